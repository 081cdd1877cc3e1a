"""composite/index.py: composite_index, with known answers worked out by hand on tiny SYNTHETIC matrices: direction,
each aggregation (arithmetic, geometric, Borda, Copeland) over each normalisation, weights renormalised over the
indicators in use, the result table best first, a bad choice named, the treatment record returned."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from analysis_utils.composite.index import (
    DegenerateMethodWarning,
    IndicatorMatrix,
    composite_index,
    normalise,
)
from analysis_utils.errors import AnalysisError, ParameterError
from tests._support.composite import A, B, C, D, five, matrix, quiet


def test_direction_flips_the_order():
    m_up = matrix({"q": {A: 5, B: 1, C: 3, D: 4}})
    m_down = matrix({"q": {A: 5, B: 1, C: 3, D: 4}}, direction={"q": -1})
    assert composite_index(m_up).ranks.tolist() == [1, 4, 3, 2]
    assert composite_index(m_down).ranks.tolist() == [4, 1, 2, 3]


def test_ratio_with_reference_zero_warns_then_composite_refuses():
    m = matrix({"p": {A: 0, B: 2, C: 3, D: 4}, "t": {A: 1, B: 2, C: 3, D: 4}})
    with pytest.warns(DegenerateMethodWarning, match="reference 'SYNTHETIC_A' has value 0 on \\['p'\\]"):
        out = normalise(m.values, "ratio", reference=A)
    assert out["p"].isna().all()
    with pytest.warns(DegenerateMethodWarning), pytest.raises(AnalysisError, match="finite"):
        composite_index(m, normalisation="ratio", reference=A)


# --- aggregation, contributions, ranks --------------------------------------------------------

def test_arithmetic_minmax_with_weights(three):
    # weights p 3, q 1 -> 0.75, 0.25. minmax p 0, .25, 1; q 0, 1, .5.
    # A 0; B .75*.25 + .25*1 = .4375; C .75 + .25*.5 = .875 -> ranks C 1, B 2, A 3.
    r = quiet(composite_index, three, "minmax", "arithmetic", weights={"p": 3, "q": 1})
    assert r.scores.tolist() == pytest.approx([0, 0.4375, 0.875])
    assert r.ranks.tolist() == [3, 2, 1]
    assert r.contributions.loc[C].tolist() == pytest.approx([0.75, 0.125])
    assert r.contributions.sum(axis=1).tolist() == pytest.approx(r.scores.tolist())


def test_arithmetic_ratio_equal_weights(three):
    # ratio p 1, 2, 5; q 1, 5, 5/3 -> A 1, B 3.5, C (5 + 5/3)/2 = 10/3 -> B 1, C 2, A 3.
    r = composite_index(three, "ratio", "arithmetic", reference=A)
    assert r.scores.tolist() == pytest.approx([1, 3.5, 10 / 3])
    assert r.ranks.tolist() == [3, 1, 2]


def test_arithmetic_rank_tie_shares_the_best_rank(three):
    # ranks p 1, 2, 3; q 1, 3, 2 -> A 1, B 2.5, C 2.5 -> B and C both rank 1, A rank 3.
    r = composite_index(three, "rank", "arithmetic")
    assert r.scores.tolist() == pytest.approx([1, 2.5, 2.5])
    assert r.ranks.tolist() == [3, 1, 1]


def test_arithmetic_zscore(three):
    # (z_p + z_q) / 2 with z_p from test_zscore_by_hand, z_q = -1, 1, 0.
    sd = math.sqrt(52 / 3)
    r = composite_index(three, "zscore", "arithmetic")
    assert r.scores.tolist() == pytest.approx([(-10 / 3 / sd - 1) / 2, (-4 / 3 / sd + 1) / 2, 14 / 3 / sd / 2])
    assert r.ranks.tolist() == [3, 2, 1]


def test_geometric_rescales_minmax_onto_1_100(three):
    # minmax p 0, .25, 1 -> 1 + 99x = 1, 25.75, 100; q 0, 1, .5 -> 1, 100, 50.5.
    # weights .75/.25: A 1; B 25.75^.75 100^.25; C 100^.75 50.5^.25.
    r = quiet(composite_index, three, "minmax", "geometric", weights={"p": 3, "q": 1})
    assert r.scores.tolist() == pytest.approx([1, 25.75 ** 0.75 * 100 ** 0.25, 100 ** 0.75 * 50.5 ** 0.25])
    assert r.ranks.tolist() == [3, 2, 1]
    # contributions w ln x add up to ln(score)
    assert r.contributions.sum(axis=1).tolist() == pytest.approx(np.log(r.scores).tolist())


def test_geometric_ratio_uses_ratios_as_they_are(three):
    # ratio p 1, 2, 5; q 1, 5, 5/3; equal weights: sqrt(1*1), sqrt(2*5), sqrt(5*5/3).
    r = composite_index(three, "ratio", "geometric", reference=A)
    assert r.scores.tolist() == pytest.approx([1, math.sqrt(10), math.sqrt(25 / 3)])


@pytest.fixture
def split_majority():
    # X best on i1, i2 and worst on i3; Y second on i1, i2 and best on i3.
    return matrix({"i1": {"X": 4, "Y": 3, "Z": 2, "W": 1},
                   "i2": {"X": 4, "Y": 3, "Z": 2, "W": 1},
                   "i3": {"X": 1, "Y": 4, "Z": 3, "W": 2}})


def test_borda_by_hand(split_majority):
    # Net pairwise wins per indicator with 4 entities: rank 4 -> +3, 3 -> +1, 2 -> -1, 1 -> -3.
    # X 3 + 3 - 3 = 3; Y 1 + 1 + 3 = 5; Z -1 - 1 + 1 = -1; W -3 - 3 - 1 = -7; weights 1/3 each.
    r = composite_index(split_majority, "minmax", "borda")
    assert r.scores.tolist() == pytest.approx([1, 5 / 3, -1 / 3, -7 / 3])
    assert r.ranks.tolist() == [2, 1, 3, 4]


def test_copeland_by_hand_is_non_compensatory(split_majority):
    # X beats Y, Z, W on i1 and i2 (2/3 of the weight) -> +3.  Y loses to X, beats Z, W -> +1.
    # Z beats W only -> -1.  W loses all -> -3.  X is first although Borda puts Y first.
    r = composite_index(split_majority, "minmax", "copeland")
    assert r.scores.tolist() == [3, 1, -1, -3]
    assert r.ranks.tolist() == [1, 2, 3, 4]
    assert r.contributions.sum(axis=1).tolist() == pytest.approx([1, 5 / 3, -1 / 3, -7 / 3])


def test_copeland_half_weight_is_a_tie(three):
    # Equal weights: A loses both pairs; B vs C split 1/2 - 1/2, a tie -> A -2, B 1, C 1.
    r = composite_index(three, "rank", "copeland")
    assert r.scores.tolist() == [-2, 1, 1]
    assert r.ranks.tolist() == [3, 1, 1]


def test_copeland_tie_survives_float_weights():
    # Weights .1, .2, .3 renormalise (divided by their float sum) to 1/6, 1/3, 1/2, whose float
    # difference 1/6 + 1/3 - 1/2 is 1.1e-16, not 0. X wins a and b, Y wins c: exactly half the
    # weight each, a tie: both score 0 and share rank 1.
    w = {"a": 0.1, "b": 0.2, "c": 0.3}
    total = 0.1 + 0.2 + 0.3
    assert 0.1 / total + 0.2 / total - 0.3 / total != 0.0
    m = matrix({"a": {"X": 2, "Y": 1}, "b": {"X": 2, "Y": 1}, "c": {"X": 1, "Y": 2}})
    r = composite_index(m, "rank", "copeland", weights=w)
    assert r.scores.tolist() == [0, 0] and r.ranks.tolist() == [1, 1]


def test_table_lists_best_first(three):
    table = quiet(composite_index, three).table()
    assert table.index.tolist() == [C, B, A]
    assert {"score", "rank", "contribution_p", "contribution_q"} <= set(table.columns)


def test_weights_renormalised_over_indicators_in_use():
    # p has a censored cell and is dropped: q, r keep 1 : 3 -> 0.25, 0.75.
    m = matrix({"p": {A: 9, B: 1, C: 2, D: 3}, "q": {A: 1, B: 2, C: 3, D: 4}, "r": {A: 4, B: 3, C: 2, D: 1}},
               qualifiers={(A, "p"): "gt"})
    r = composite_index(m, weights={"p": 2, "q": 1, "r": 3}, censored="drop_indicator")
    assert r.weights.to_dict() == pytest.approx({"q": 0.25, "r": 0.75})


# --- a bad choice named, the treatment record ----------------------------------------------------

def test_composite_index_names_its_bad_choice():
    m = five()
    for kwargs, name, value in ((dict(normalisation="softmax"), "normalisation", "softmax"),
                                (dict(aggregation="median"), "aggregation", "median")):
        with pytest.raises(ParameterError) as err:
            composite_index(m, **kwargs)
        assert (err.value.name, err.value.value, err.value.code) == (name, value, "bad-choice")


def test_composite_index_returns_its_treatment_record():
    # D/p missing -> mean of 1, 2, 4 = 7/3; A/q "gt" 3 -> the lower bound 3 is used.
    values = pd.DataFrame({"p": [1.0, 2.0, 4.0, np.nan], "q": [3.0, 1.0, 2.0, 5.0]}, index=[A, B, C, D])
    qualifier = pd.DataFrame("", index=values.index, columns=values.columns)
    qualifier.loc[D, "p"], qualifier.loc[A, "q"] = "missing", "gt"
    r = composite_index(IndicatorMatrix(values, qualifier, pd.Series({"p": 1, "q": 1})))
    rows = r.record[["entity", "indicator", "qualifier", "after"]].values.tolist()
    assert rows == [[D, "p", "missing", pytest.approx(7 / 3)], [A, "q", "gt", 3.0]]
    assert r.record[["action", "side", "method", "count"]].values.tolist() == [["imputed", "", "mean", 3], ["bound_used", "lower", "", 0]]
