"""audit/intervals.py: the corners a coverage run of the audit tests left unexercised, by hand.

Every expected interval is worked out in the comments; endpoints are exact fractions.
"""
from __future__ import annotations

from fractions import Fraction as F

import numpy as np
import pytest

from analysis_utils.audit.intervals import (
    EMPTY,
    INF,
    Interval,
    IntervalError,
    compare,
    decimals_of,
    exact,
    printed_interval,
    whole_numbers_in,
)


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
