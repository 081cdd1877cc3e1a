"""audit/rules.py: the rule language of claims.csv. Its helpers on a tiny synthetic stand-in for the dataset (only
``observations`` is read by them), the trace of comparisons, refusals that name the problem and what was expected;
then rules on the packaged data: a claim's own number as a term, bounds of intervals, quantities of two dimensions,
bad rules (raised through narrate.explain_claim, as a notebook meets them). Expected values by hand."""
from __future__ import annotations

from fractions import Fraction
from fractions import Fraction as F
from types import SimpleNamespace

import pandas as pd
import pytest

from analysis_utils.audit.intervals import Interval
from analysis_utils.audit.rules import GRAMMAR, Context, Term, claim_term, run_rule
from analysis_utils.errors import ClaimError
from analysis_utils.report import narrate

OBS = pd.DataFrame({"entity": ["SYNTHETIC_A"] * 3 + ["SYNTHETIC_B"], "indicator": ["gdp"] * 3 + ["gdp"],
                    "year": [2013, 2011, 2015, 2014]})


def run(rule: str, this=None):
    ctx = Context(SimpleNamespace(observations=OBS), {"claim": "T9"}, rule, this=this)
    return run_rule(ctx, rule), ctx


def refused(rule: str) -> ClaimError:
    with pytest.raises(ClaimError) as err:
        run(rule)
    assert err.value.claim == "T9" and err.value.rule == rule
    return err.value


def test_first_and_last_year_of_a_series():
    assert run("first_year('SYNTHETIC_A', 'gdp')")[0].iv.lo == 2011
    assert run("last_year('SYNTHETIC_A', 'gdp')")[0].iv.lo == 2015
    assert run("last_year('SYNTHETIC_A', 'gdp') - first_year('SYNTHETIC_A', 'gdp') == 4")[0] is True
    err = refused("first_year('SYNTHETIC_A', 'patents')")
    assert (err.problem, err.expected) == ("no observation of 'patents' for 'SYNTHETIC_A'",
                                           "an entity and indicator in observations.csv")


def test_ratio_unary_and_not():
    assert run("ratio(3, 4)")[0] == Term(_point(F(3, 4)))
    assert run("-ratio(3, 4)")[0] == Term(_point(F(-3, 4)))
    assert run("+ratio(3, 4)")[0] == Term(_point(F(3, 4)))
    assert run("not (1 < 2)")[0] is False and run("not (2 < 1)")[0] is True


def test_trace_shows_each_comparison_with_its_mark():
    result, ctx = run("1 < 2 <= 2")
    assert result is True and [str(s) for s in ctx.trace] == ["1 < 2 ✓", "2 <= 2 ✓"]
    result, ctx = run("3 > 4")
    assert result is False and [str(s) for s in ctx.trace] == ["3 > 4 ✗"]


def test_refusals_name_the_problem_and_what_was_expected():
    err = refused("not 3")
    assert (err.problem, err.expected) == ("got 3 where a statement was needed",
                                           "a comparison (true, false or undetermined)")
    err = refused("ratio('a', 2)")
    assert (err.problem, err.expected) == ("got 'a' where a number was needed", "a number")
    assert refused("ratio(**{'a': 1})").problem == "**keyword unpacking is not allowed"
    err = refused("total('gdp', exact=1)")
    assert (err.problem, err.expected) == ("total(): exact = 1", "exact as True or False")


def _point(x):
    from analysis_utils.audit.intervals import Interval

    return Interval.point(x)


# ---------------------------------------------------------------- rules on the packaged data
def test_a_claim_term_without_a_qualifier_is_a_plain_printed_number(data):
    # a claim row without the qualifier field at all: plain, 5 at 0 decimals stands for [4.5, 5.5)
    term = claim_term({"value": 5, "decimals": 0, "unit": "亿元"}, data.units_table)
    assert (term.iv, term.unit) == (Interval(Fraction(9, 2), Fraction(11, 2), True, False), "亿元")
    # a whole count of persons printed whole is exact: 表3's 27 academicians
    term = claim_term({"value": 27, "decimals": 0, "unit": "人"}, data.units_table)
    assert (term.iv, term.unit) == (Interval.point(27), "人")


@pytest.mark.parametrize("helper, side, where", [("upper", "upper", "above")])
def test_a_bound_of_an_unbounded_interval_is_a_claim_error_naming_it(data, helper, side, where):
    # 南山区's R&D is printed '>200' (亿元): (200, ∞), with no upper end
    rule = f'{helper}(obs("南山区", "rd_expenditure", 2015)) > 100'
    claim = {"claim": "SYNTHETIC_bound", "check": "condition", "basis": "compared", "rule": rule}
    with pytest.raises(ClaimError) as e:
        narrate.explain_claim(data, claim, "en")
    assert (e.value.claim, e.value.rule) == ("SYNTHETIC_bound", rule)
    assert e.value.problem == f"(200, ∞) 亿元 has no {side} bound"
    assert e.value.expected == f"an interval bounded {where}"


def test_the_lower_bound_of_a_number_printed_above_200_is_200(data):
    # lower((200, ∞)) = 200 exactly, and 200 > 100: true ('compared' caps a true statement at consistent)
    claim = {"claim": "SYNTHETIC_lower", "check": "condition", "basis": "compared",
             "rule": 'lower(obs("南山区", "rd_expenditure", 2015)) > 100'}
    assert narrate.explain_claim(data, claim, "en")["verdict"] == "consistent"


GDP = 'obs("武昌区", "gdp", 2015)'                     # 表2: 870 亿元, [869.5, 870.5)
POPULATION = 'obs("武昌区", "resident_population", 2015)'  # 表2: 113 万人, [112.5, 113.5)
MIXED = "cannot convert 万人 (persons) with 亿元 (currency_cny): different dimensions"


@pytest.mark.parametrize("rule, problem", [
    (f"growth({GDP}, {POPULATION})", f"cannot compare [869.5, 870.5) 亿元 with [112.5, 113.5) 万人: {MIXED}"),
    (f"cagr({GDP}, {POPULATION}, 2)", f"cannot compare [869.5, 870.5) 亿元 with [112.5, 113.5) 万人: {MIXED}"),
    (f"share({GDP}, {POPULATION})", "cannot divide [112.5, 113.5) 万人 with [869.5, 870.5) 亿元: "
     "cannot convert 亿元 (currency_cny) with 万人 (persons): different dimensions"),
    (f"{GDP} + {POPULATION}", f"cannot add [869.5, 870.5) 亿元 with [112.5, 113.5) 万人: {MIXED}"),
    (f"{GDP} - {POPULATION}", f"cannot subtract [869.5, 870.5) 亿元 with [112.5, 113.5) 万人: {MIXED}"),
    ('obs("武昌区", "gdp", 2015, "人")', "cannot convert 1 人 with [869.5, 870.5) 亿元: "
     "cannot convert 亿元 (currency_cny) with 人 (persons): different dimensions"),
])
def test_quantities_of_two_dimensions_are_refused_saying_what_was_attempted(data, rule, problem):
    claim = {"claim": "SYNTHETIC_units", "check": "implies", "basis": "derived", "rule": rule}
    with pytest.raises(ClaimError) as e:
        narrate.explain_claim(data, claim, "en")
    assert (e.value.problem, e.value.expected) == (problem, "quantities of one dimension")


@pytest.mark.parametrize("rule, problem, expected", [
    ('total("operating_cost", "makerspace", "SYNTHETIC_nowhere")',
     "no entity of level 'makerspace' under 'SYNTHETIC_nowhere'", "a level and parent present in entities.csv"),
    ('obs("武昌区", "gdp", 2015).lo', '"obs(\'武昌区\', \'gdp\', 2015).lo" (Attribute) is not allowed', GRAMMAR),
    # 870 − 870 read at the printed precision: [869.5, 870.5) − [869.5, 870.5) = (−1, 1), which holds 0
    (f"1 / ({GDP} - {GDP})", "division by (-1, 1), an interval that holds 0",
     "arithmetic that is defined for the intervals involved"),
    ("growth(1)", "growth(): missing a required argument: 'b'", "growth(a, b)"),
    ("growth(1, 'a')", "got 'a' where a number was needed", "a number"),
    ("growth('a', 1)", "got 'a' where a number was needed", "a number"),
    ("growth(obs(", "cannot be parsed ('(' was never closed, column 11)", GRAMMAR),
    ("unknown + 1", "unknown name 'unknown'", "'this' or a call of a helper"),
    ("count_items()", "the claim lists no items", "items in the claim's 'items' column, separated by ';'"),
    ("this + 1", "'this' is used but the claim prints no number", "a value in the claim's row"),
])
def test_a_bad_rule_is_refused_with_its_exact_problem(data, rule, problem, expected):
    claim = {"claim": "SYNTHETIC_rule", "check": "implies", "basis": "derived", "rule": rule}
    with pytest.raises(ClaimError) as e:
        narrate.explain_claim(data, claim, "en")
    assert (e.value.problem, e.value.expected) == (problem, expected)


def test_a_rule_records_the_qualifier_of_every_printed_number_it_reads(data):
    # 表3's 约1万人 (approx) read by obs(); 表4's total 1683.07 (no qualifier) read by printed(); the claim's own
    # number (this) is not recorded: claims.qualifier_differs compares the claim's qualifier with these
    rule = 'obs("武昌区", "researchers_univ_institutes") + printed("t4_total_operating_cost") * 0'
    ctx = Context(data, {"claim": "SYNTHETIC_q"}, rule)
    run_rule(ctx, rule)
    assert ctx.qualifiers == ["approx", ""]
