"""audit/rules.py: rule-language corners a coverage run of the audit tests left unexercised.

A tiny synthetic stand-in for the dataset (only ``observations`` is read by these helpers); expected
values by hand.
"""
from __future__ import annotations

from fractions import Fraction as F
from types import SimpleNamespace

import pandas as pd
import pytest

from analysis_utils.audit.rules import Context, Term, run_rule
from analysis_utils.errors import ClaimError

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


# --- explain.formula: how a rule is shown to readers -------------------------------------------

@pytest.mark.parametrize("rule, lang, shown", [
    ("1 +", "en", "1 +"),                                        # does not parse: shown as written
    ("-(1 + 2)", "en", "−(1 + 2)"),
    ("+3", "en", "3"),
    ("not (1 < 2)", "en", "not (1 < 2)"),
    ("not (1 < 2)", "zh", "非（1 < 2）"),
    ("ratio(1 + 2, 4 - 1)", "en", "(1 + 2) / (4 − 1)"),
    ("ratio(6, 2 * 3)", "en", "6 / (2 × 3)"),                    # 6 / 2 × 3 would read as (6 / 2) × 3
    ("obs('SYNTHETIC_NOPE', 'gdp')", "en", "obs('SYNTHETIC_NOPE', 'gdp')"),  # shown as written; evaluation reports it
    ("printed('SYNTHETIC_NOPE')", "en", "printed('SYNTHETIC_NOPE')"),
    ("first_year('武昌区', 'gdp')", "en", "the first year of Gross regional product"),
    ("last_year('武昌区', 'gdp')", "zh", "区域总产值的末年"),
    ("this[0]", "en", "this[0]"),
])
def test_formula_shown_to_readers(data, rule, lang, shown):
    from analysis_utils.report.explain import formula

    assert formula(data, {}, rule, lang) == shown


def test_shown_number_of_a_range():
    from analysis_utils.report.explain import shown_number

    assert shown_number(5, "range", 10) == "5–10" and shown_number(None, "range", 10) == "-"
