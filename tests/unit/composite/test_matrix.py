"""composite/matrix.py: the indicator matrix (labels, qualifier codes, direction checked) and the treatment of censored
and missing cells (bound, exclude, drop the indicator; mean, median, min, worst, zero), each worked out by hand on a
SYNTHETIC matrix, with the record of what was done."""
from __future__ import annotations

import pandas as pd
import pytest

from analysis_utils.composite.index import (
    IndicatorMatrix,
    treat_censored_missing,
)
from analysis_utils.composite.matrix import _cells
from analysis_utils.errors import AnalysisError, ParameterError
from tests._support.composite import A, B, C, D, matrix

# --- censored and missing ----------------------------------------------------------------------

@pytest.fixture
def gappy():
    # A printed ">10"; D missing; observed B 4, C 6.
    return matrix({"p": {A: 10, B: 4, C: 6, D: None}, "o": {A: 1, B: 2, C: 3, D: 4}}, qualifiers={(A, "p"): "gt"})


@pytest.mark.parametrize("censored, missing, expected_a, expected_d", [
    ("bound", "mean", 10, 20 / 3),     # A keeps its bound; D = (10 + 4 + 6) / 3
    ("bound", "median", 10, 6),        # median of 4, 6, 10
    ("bound", "min", 10, 4),
    ("bound", "zero", 10, 0),
    ("exclude", "mean", 5, 5),         # A becomes missing; both = (4 + 6) / 2
    ("exclude", "worst", 4, 4),        # higher is better: worst observed = 4
])
def test_treatments_by_hand(gappy, censored, missing, expected_a, expected_d):
    treated, record = treat_censored_missing(gappy, censored, missing)
    assert treated.values.loc[A, "p"] == pytest.approx(expected_a)
    assert treated.values.loc[D, "p"] == pytest.approx(expected_d)
    assert (treated.qualifier == "").all().all()
    assert (record.loc[record.entity == D, "action"] == "imputed").all()
    assert (record.entity == A).any()


def test_worst_follows_direction(gappy):
    flipped = IndicatorMatrix(gappy.values, gappy.qualifier, pd.Series({"p": -1, "o": 1}))
    treated, _ = treat_censored_missing(flipped, "exclude", "worst")
    assert treated.values.loc[D, "p"] == 6  # lower is better: worst observed = max(4, 6)


@pytest.mark.parametrize("censored, missing, reason", [
    ("drop_indicator", "mean", "censored"), ("bound", "drop_indicator", "missing"),
    ("exclude", "drop_indicator", "missing")])
def test_drop_indicator_records_why(gappy, censored, missing, reason):
    treated, record = treat_censored_missing(gappy, censored, missing)
    assert treated.indicators == ["o"]
    row = record[record.indicator == "p"].iloc[-1]
    assert row.entity == "(all)" and row.action == f"dropped_{reason}"


def test_bound_record_says_what_was_used(gappy):
    _, record = treat_censored_missing(gappy, "bound", "mean")
    row = record[(record.entity == A) & (record.indicator == "p")].iloc[0]
    assert (row.qualifier, row.before, row.after, row.action, row.side) == ("gt", 10, 10, "bound_used", "lower")


def test_all_missing_indicator_is_dropped_and_empty_result_refused():
    m = matrix({"p": {A: None, B: None}, "o": {A: 1, B: 2}})
    treated, record = treat_censored_missing(m, "bound", "mean")
    assert treated.indicators == ["o"] and record.action.iloc[-1] == "dropped_empty"
    with pytest.raises(AnalysisError, match="drops every indicator"):
        treat_censored_missing(matrix({"p": {A: None, B: 1}}), "bound", "drop_indicator")


def test_unknown_treatment_option(gappy):
    with pytest.raises(ParameterError) as err:
        treat_censored_missing(gappy, censored="guess")
    assert err.value.name == "censored" and err.value.value == "guess"


# --- the matrix itself -------------------------------------------------------------------------

def test_matrix_checks_labels_codes_and_direction():
    v = pd.DataFrame({"p": [1.0, 2.0]}, index=[A, B])
    q = pd.DataFrame({"p": ["", ""]}, index=[A, B])
    with pytest.raises(AnalysisError, match="qualifier labels do not match"):
        IndicatorMatrix(v, q.rename(index={B: C}), pd.Series({"p": 1}))
    with pytest.raises(AnalysisError, match="unknown qualifier codes \\['about'\\]"):
        IndicatorMatrix(v, q.replace({"": "about"}), pd.Series({"p": 1}))
    with pytest.raises(AnalysisError, match="'missing' must go with a NaN"):
        IndicatorMatrix(v, q.replace({"": "missing"}), pd.Series({"p": 1}))
    with pytest.raises(AnalysisError, match="direction must be \\+1 or -1"):
        IndicatorMatrix(v, q, pd.Series({"p": 0}))
    with pytest.raises(AnalysisError, match="direction must name each indicator"):
        IndicatorMatrix(v, q, pd.Series({"x": 1}))


def test_cells_lists_ten_then_counts_the_rest():
    mask = pd.DataFrame({"p": [True] * 11}, index=[f"e{k:02d}" for k in range(11)])
    assert _cells(mask) == ", ".join(f"e{k:02d}/p" for k in range(10)) + " … and 1 more"
    assert _cells(mask.iloc[:10]) == ", ".join(f"e{k:02d}/p" for k in range(10))
    assert _cells(mask, limit=2) == "e00/p, e01/p … and 9 more"


def test_treatment_defaults_to_the_bound():
    from analysis_utils.composite.index import treat_censored_missing

    values = pd.DataFrame({"p": [3.0, 1.0, 2.0]}, index=[A, B, C])
    qualifier = pd.DataFrame({"p": ["gt", "", ""]}, index=[A, B, C])
    treated, record = treat_censored_missing(IndicatorMatrix(values, qualifier, pd.Series({"p": 1})))
    assert treated.values["p"].tolist() == [3.0, 1.0, 2.0]
    assert record[["action", "side"]].values.tolist() == [["bound_used", "lower"]]
