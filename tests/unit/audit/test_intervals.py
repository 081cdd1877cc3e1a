"""audit/intervals.py: interval logic, exact on fractions. What a printed number stands for, arithmetic with open and
closed ends, three-valued comparisons, whole numbers and fractions an interval holds; then the corners a coverage
run and a mutation run found unexercised (exact numbers and refusals, the empty interval, reflected operators,
reciprocals, powers and roots, formatting). Every expectation is worked out by hand in the comment next to it."""
from __future__ import annotations

import math
import pickle
from fractions import Fraction
from fractions import Fraction as F

import numpy as np
import pandas as pd
import pytest

from analysis_utils.audit.intervals import (
    EMPTY,
    INF,
    Interval,
    compare,
    decimals_of,
    exact,
    fmt,
    fractions_in,
    printed_interval,
    round_printed,
    rounding_interval,
    tri_and,
    tri_or,
    whole_numbers_in,
)
from analysis_utils.audit.rules import value_interval
from analysis_utils.data.qualifiers import QualifierTable
from analysis_utils.errors import IntervalError


# --- what a printed number stands for -------------------------------------------------------
@pytest.mark.parametrize("text, lo, hi", [
    ("38", "37.5", "38.5"),              # 0 decimals: ± 0.5
    ("28.7", "28.65", "28.75"),          # 1 decimal: ± 0.05
    ("1683.07", "1683.065", "1683.075"),  # 2 decimals: ± 0.005
    ("0.76", "0.755", "0.765"),
])
def test_rounding_interval_positive_is_closed_open(text, lo, hi):
    iv = rounding_interval(text, decimals_of(text))
    assert (iv.lo, iv.hi, iv.lo_closed, iv.hi_closed) == (F(lo), F(hi), True, False)
    assert iv.contains(F(lo)) and not iv.contains(F(hi))  # 28.65 prints 28.7 (half up); 28.75 prints 28.8


def test_negative_rounding_is_mirrored():
    # -9.9 at 1 decimal: values in (-9.95, -9.85]; -9.95 rounds (away from zero) to -10.0, -9.85 to -9.9
    iv = rounding_interval("-9.9", 1)
    assert (iv.lo, iv.hi, iv.lo_closed, iv.hi_closed) == (F("-9.95"), F("-9.85"), False, True)
    assert iv.contains(F("-9.85")) and not iv.contains(F("-9.95"))
    assert round_printed(F("-9.95"), 1) == F("-10") and round_printed(F("-9.85"), 1) == F("-9.9")


def test_zero_is_open_both_sides():
    # 0 at 0 decimals: 0.5 rounds to 1 and -0.5 to -1, so (-0.5, 0.5)
    assert rounding_interval(0, 0) == Interval(F(-1, 2), F(1, 2), False, False)


def test_round_printed_is_half_up_exactly():
    # 27/72 = 0.375 exactly → 37.5% → "38" under half up, decided on exact fractions
    assert round_printed(F(27, 72) * 100, 0) == 38
    assert round_printed(F("28.65"), 1) == F("28.7")
    assert round_printed(F("2.5"), 0) == 3  # Python's round(2.5) is 2; printed figures round half up


@pytest.mark.parametrize("qualifier, value, high, expected", [
    ("gt", 200, None, Interval(200, INF, False, False)),      # >200
    ("ge", 500, None, Interval(500, INF)),                     # 不低于500
    ("over", 40, None, Interval(40, INF)),                     # 40余
    ("lt", 50, None, Interval(-INF, 50)),                      # 50%以下: 以下 includes 50 → (-∞, 50]
    ("le", 1, None, Interval(-INF, 1)),                        # 最高1亿
    ("range", 5, 10, Interval(5, 10)),                         # 5—10万
    ("missing", None, None, Interval.unknown()),               # '-'
])
def test_qualifiers(qualifier, value, high, expected):
    assert printed_interval(value, 0, qualifier, high) == expected


def test_approx_uses_significant_digits_and_nearly_is_below():
    # 约5500: two significant digits, last one is hundreds → ± 50
    assert printed_interval(5500, 0, "approx") == Interval(5450, 5550, True, False)
    # 约1(万): ± 0.5
    assert printed_interval(1, 0, "approx") == Interval(F(1, 2), F(3, 2), True, False)
    # 近1万: [1 − 0.5, 1]
    assert printed_interval(1, 0, "nearly") == Interval(F(1, 2), 1)


def test_exact_count_is_a_point():
    assert printed_interval(2826, 0, "", exact_value=True) == Interval.point(2826)


# --- arithmetic ----------------------------------------------------------------------------
def test_add_sub_track_open_ends():
    a, b = rounding_interval("1.1", 1), rounding_interval("2.2", 1)  # [1.05,1.15) + [2.15,2.25)
    assert a + b == Interval(F("3.2"), F("3.4"), True, False)
    assert b - a == Interval(F("1.0"), F("1.2"), False, False)  # 2.15−1.15 (open) … 2.25 (open)−1.05


def test_multiplication_signs_and_zero():
    # [-1, 1] × [2, 3): extremes -3 and 3 need y = 3, which is excluded
    assert Interval(-1, 1) * Interval(2, 3, True, False) == Interval(-3, 3, False, False)
    # 0 × anything is 0 and attained
    assert Interval.point(0) * Interval.unknown() == Interval.point(0)
    assert Interval(0, 1) * Interval(1, INF) == Interval(0, INF)


def test_division_and_division_by_zero():
    # 1 / (0, 1] = [1, ∞)
    assert Interval.point(1) / Interval(0, 1, False, True) == Interval(1, INF)
    with pytest.raises(IntervalError, match="holds 0"):
        Interval.point(1) / Interval(-1, 1)
    with pytest.raises(IntervalError):
        Interval.point(1) / Interval.point(0)


def test_growth_at_printed_precision():
    # 表1 2012: 1971/1532 − 1 = 0.286553… → 28.66%, inside [28.65, 28.75) but not inside [28.75, 28.85)
    growth = (Interval.point(1971) / Interval.point(1532) - 1) * 100
    assert growth.is_point and F("28.655") < growth.lo < F("28.656")
    assert growth.intersects(rounding_interval("28.7", 1))
    assert not growth.intersects(rounding_interval("28.8", 1))


def test_multiple_two_readings():
    # 34 / (1 + 3.67): 33.5/4.675 = 7.1658, 34.5/4.665 = 7.3955; both ends open (34.5 and 4.675 are excluded)
    turnover, times = rounding_interval(34, 0), rounding_interval("3.67", 2)
    base = turnover / (times + 1)
    assert base == Interval(F("33.5") / F("4.675"), F("34.5") / F("4.665"), False, False)
    # 34 / 3.67: 33.5/3.675 = 9.1156 … 34.5/3.665 = 9.4134
    assert (turnover / times).lo == F("33.5") / F("3.675")


def test_power_root_is_monotone():
    # (2154/1532)^(1/3) − 1 ≈ 12.03% a year; the root is widened outward but stays tiny
    cagr = ((Interval.point(2154) / 1532).power(F(1, 3)) - 1) * 100
    assert F("12.02") < cagr.lo <= cagr.hi < F("12.04")


# --- comparisons ---------------------------------------------------------------------------
def test_three_valued_comparisons():
    assert Interval(1, 2, True, False).lt(Interval(2, 3)) is True  # 2 is excluded on the left
    assert Interval(1, 2).lt(Interval(2, 3)) is None               # both may be 2
    assert Interval(1, 2).le(Interval(2, 3)) is True
    assert Interval(3, 4).lt(Interval(1, 3)) is False
    assert Interval.point(3).eq(3) is True and Interval(1, 2).eq(5) is False and Interval(1, 2).eq(Interval(2, 3)) is None
    assert compare(Interval.unknown(), "<", 5) is None
    with pytest.raises(IntervalError):
        compare(1, "=<", 2)


def test_more_than_half():
    # 6 or 7 of 11 makerspaces: [6/11, 7/11] = [0.545, 0.636] > 1/2 whichever way the '-' falls
    assert Interval(F(6, 11), F(7, 11)).gt(F(1, 2)) is True
    # 5 to 7 of 11 would be undetermined
    assert Interval(F(5, 11), F(7, 11)).gt(F(1, 2)) is None


def test_lower_bound_share():
    # >200 / 3715 (±0.5): share > 200/3715.5 = 5.3828% — consistent with a printed 5.8, contradicts 5.3
    share = Interval(200, INF, False, False) / rounding_interval(3715, 0) * 100
    assert share.lo == F(200) / F("3715.5") * 100 and not share.lo_closed
    assert share.intersects(rounding_interval("5.8", 1))
    assert not share.intersects(rounding_interval("5.3", 1))


def test_kleene_logic():
    assert tri_and(True, None) is None and tri_and(False, None) is False
    assert tri_or(False, None) is None and tri_or(True, None) is True


# --- whole numbers ---------------------------------------------------------------------------
def test_whole_numbers_implied_by_a_share():
    # 27 academicians are 38% of N: 27/N in [0.375, 0.385) → N in (70.13, 72] → {71, 72}
    # (27/72 = 37.5% rounds half up to 38; 27/70 = 38.6% does not)
    n = Interval.point(27) / (rounding_interval(38, 0) / 100)
    assert whole_numbers_in(n) == [71, 72]


def test_no_whole_number_is_inconsistent():
    # 56 teams are 72.3% of N: N in (56/0.7235, 56/0.7225] = (77.40, 77.51] — no whole number
    # (56/77 = 72.73% → 72.7; 56/78 = 71.79% → 71.8)
    n = Interval.point(56) / (rounding_interval("72.3", 1) / 100)
    assert whole_numbers_in(n) == []
    assert round_printed(F(56, 77) * 100, 1) == F("72.7") and round_printed(F(56, 78) * 100, 1) == F("71.8")


def test_whole_numbers_respect_open_ends_and_refuse_unbounded():
    assert whole_numbers_in(Interval(1, 3, False, False)) == [2]
    assert whole_numbers_in(Interval(1, 3)) == [1, 2, 3]
    with pytest.raises(IntervalError, match="unbounded"):
        whole_numbers_in(Interval(1, INF))


def test_fractions_of_a_two_decimal_share():
    # 68.42% ∈ [0.68415, 0.68425): 13/19 = 0.684210… fits, and so do its multiples up to 100
    assert fractions_in(rounding_interval("68.42", 2) / 100, 100) == [(13, 19), (26, 38), (39, 57), (52, 76), (65, 95)]
    # 37 industrial firms (表5) cannot give 68.42%: 25/37 = 67.57%, 26/37 = 70.27%
    assert not any(d == 37 for _, d in fractions_in(rounding_interval("68.42", 2) / 100, 100))


def test_formatting_and_pickling():
    assert str(rounding_interval("28.7", 1)) == "[28.65, 28.75)"
    assert str(Interval(-INF, 5, False, True)) == "(-∞, 5]"
    assert fmt(F(1971, 1532) * 100 - 100) == "28.6554"
    assert str(Interval.empty()) == "∅"
    err = pickle.loads(pickle.dumps(IntervalError("x")))
    assert str(err) == "x"


# --- corners: exact numbers, the empty interval, reflected operators, powers and roots -------------
def ends(i: Interval) -> tuple:
    return i.lo, i.hi, i.lo_closed, i.hi_closed


def test_exact_numbers_and_refusals():
    assert exact(np.int64(3)) == F(3) and type(exact(np.int64(3))) is F
    assert exact(np.float64(28.7)) == F(287, 10)  # numpy scalar by its shortest repr
    assert exact(" 1.25 ") == F(5, 4) and exact(-INF) == -INF
    for bad in (True, np.bool_(False), [1], None):
        with pytest.raises(TypeError, match="not a number"):
            exact(bad)
    with pytest.raises(IntervalError, match="NaN is not a number an interval can hold"):
        exact(float("nan"))


def test_closed_and_mid():
    assert ends(Interval.closed(1, "2.5")) == (F(1), F(5, 2), True, True)
    assert Interval.closed(2, 2).is_point
    with pytest.raises(IntervalError, match=r"closed interval \[3, 1\]: lo > hi"):  # as documented, not ∅
        Interval.closed(3, 1)
    assert Interval(1, 2, False, False).mid == F(3, 2) and Interval(-3, 4).mid == F(1, 2)
    with pytest.raises(IntervalError, match=r"an unbounded interval \[1, ∞\) has no midpoint"):
        _ = Interval(1, INF).mid


def test_empty_absorbs_every_operation():
    for result in (EMPTY + 1, Interval(1, 2) + EMPTY, EMPTY * 2, Interval(1, 2) * EMPTY, EMPTY.reciprocal(),
                   EMPTY.power(2), -EMPTY, 1 / Interval(2, 1)):
        assert result.is_empty and str(result) == "∅"
    assert Interval(0, 1).lt(EMPTY) is None and EMPTY.le(1) is None


def test_reflected_operators():
    # 10 - [1, 2) = (8, 9]; 6 / [2, 3] = [2, 3].
    assert ends(10 - Interval(1, 2, True, False)) == (F(8), F(9), False, True)
    assert ends(6 / Interval(2, 3)) == (F(2), F(3), True, True)
    assert ends(2 + Interval(1, 2)) == (F(3), F(4), True, True) and ends(3 * Interval(1, 2)) == (F(3), F(6), True, True)


def test_reciprocal_of_an_unbounded_interval():
    # 1 / [2, ∞) = (0, 1/2]: the infinite end goes to an open 0.
    assert ends(Interval(2, INF).reciprocal()) == (F(0), F(1, 2), False, True)
    # 1 / (0, 4] = [1/4, ∞).
    assert ends(Interval(0, 4, False, True).reciprocal()) == (F(1, 4), INF, True, False)
    assert ends(Interval(-4, 0, True, False).reciprocal()) == (-INF, F(-1, 4), False, True)


def test_integer_power_is_exact_and_bad_powers_are_refused():
    # [2, 3)^2 = [4, 9); [1/2, ∞)^3 = [1/8, ∞).
    assert ends(Interval(2, 3, True, False).power(2)) == (F(4), F(9), True, False)
    assert ends(Interval("0.5", INF).power(3)) == (F(1, 8), INF, True, False)
    with pytest.raises(IntervalError, match=r"power 2 of \[-1, 1\]: needs a non-negative interval"):
        Interval(-1, 1).power(2)
    with pytest.raises(IntervalError, match="power 0 of"):
        Interval(1, 2).power(0)


def test_le_ge_ne_three_valued():
    assert Interval(1, 2).le(Interval(2, 3)) is True          # 2 <= 2
    assert Interval(3, 4).le(Interval(1, 2)) is False         # 3 > 2 always
    assert Interval(2, 3, False, True).le(Interval(1, 2)) is False  # x > 2 >= y
    assert Interval(2, 3).le(Interval(1, 2)) is None          # x = y = 2 only
    assert Interval(1, 3).le(Interval(2, 4)) is None
    assert Interval(2, 3).ge(Interval(1, 2)) is True and Interval(1, 2).ge(Interval(3, 4)) is False
    assert Interval.point(2).ne(2) is False and Interval(1, 2).ne(5) is True and Interval(1, 2).ne(2) is None
    assert [compare(1, op, 2) for op in ("<", "<=", ">", ">=", "==", "!=")] == [True, True, False, False, False, True]


def test_printed_number_refusals():
    with pytest.raises(IntervalError, match="not a printed number: '12a'"):
        decimals_of("12a")
    assert decimals_of(" -3.250 ") == 3
    with pytest.raises(IntervalError, match="qualifier 'approx' needs a value"):
        printed_interval(None, 0, "approx")
    with pytest.raises(IntervalError, match=r"qualifier 'range' \(a range\) needs value_high"):
        printed_interval(3, 0, "range")


def test_whole_numbers_of_an_empty_or_too_wide_interval():
    assert whole_numbers_in(EMPTY) == [] and whole_numbers_in(Interval("0.2", "0.8")) == []
    assert whole_numbers_in(Interval(0, 9), limit=10) == list(range(10))  # exactly the limit
    with pytest.raises(IntervalError, match=r"\[0, 10\] holds 11 whole numbers, more than 10"):
        whole_numbers_in(Interval(0, 10), limit=10)


def test_nan_is_refused_by_name():
    with pytest.raises(IntervalError) as e:
        Interval(math.nan, 1)
    assert str(e.value) == "NaN is not a number an interval can hold"


def test_a_printed_value_without_decimals_or_qualifier_is_a_plain_whole_number():
    # defaults: 0 decimals, no qualifier: 5 stands for [4.5, 5.5)
    assert printed_interval(5) == Interval(Fraction(9, 2), Fraction(11, 2), True, False)


def test_strict_and_inclusive_bounds_of_a_dataset_s_own_qualifiers():
    # SYNTHETIC qualifiers: syn_lt '低于' (strictly below, no precision) and syn_gt '高于' (strictly above):
    # 低于50 is (−∞, 50), 高于50 is (50, ∞); the packaged lt '以下' includes its number: (−∞, 50]
    table = QualifierTable.from_frame(pd.DataFrame({
        "qualifier": ["", "syn_lt", "syn_gt"], "lower": ["value", "", "value"], "upper": ["value", "value", ""],
        "lower_inclusive": ["true", "", "false"], "upper_inclusive": ["true", "false", ""],
        "precision": ["decimals", "", ""]}))
    assert printed_interval(50, 0, "syn_lt", qualifiers=table) == Interval(-math.inf, 50, False, False)
    assert printed_interval(50, 0, "syn_gt", qualifiers=table) == Interval(50, math.inf, False, False)
    assert printed_interval(50, 0, "lt") == Interval(-math.inf, 50, False, True)
    # an observation's value read with the dataset's own table (rules.value_interval), not the packaged one
    assert value_interval(50, 0, "syn_lt", None, "", None, qualifiers=table) == Interval(-math.inf, 50, False, False)


def test_a_large_exact_number_is_shown_with_every_digit():
    # beyond 10^15 a float no longer holds every integer: 10^16 + 1 is shown exactly, not as 10^16
    assert fmt(Fraction(10 ** 16 + 1)) == "10000000000000001"
    assert fmt(Fraction(1683065, 1000)) == "1683.065"


def test_a_root_of_an_interval_from_zero_starts_at_zero():
    # [0, 4] ** (1/2) = [0, 2]: the lower end 0 is exact (0 ** p = 0), the upper one widened by a float step
    r = Interval(0, 4).power(Fraction(1, 2))
    assert r.lo == 0 and r.lo_closed
    assert 2 <= r.hi < Fraction(2) + Fraction(1, 10 ** 12)


def test_a_root_keeps_which_ends_are_closed():
    # a printed interval [4, 9) (closed below, open above): its square root [2, 3) keeps both kinds of end,
    # each end moved outward by one float step
    r = Interval(4, 9, True, False).power(Fraction(1, 2))
    assert (r.lo_closed, r.hi_closed) == (True, False)
    assert Fraction(2) - Fraction(1, 10 ** 12) < r.lo <= 2 and 3 <= r.hi < Fraction(3) + Fraction(1, 10 ** 12)
    r = Interval(4, 9, False, True).power(Fraction(1, 2))
    assert (r.lo_closed, r.hi_closed) == (False, True)
