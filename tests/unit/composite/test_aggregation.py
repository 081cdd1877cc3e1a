"""composite/aggregation.py: normalisation (ratio, min-max, z-score, rank) and its degenerate cases, the geometric
mean's positive rescaling, aggregation, Borda and Copeland terms against naive loops, ranks with ties. Known answers
are worked out by hand on tiny SYNTHETIC matrices (tests/_support/composite.py); messages are checked word for word."""
from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pytest

from analysis_utils.composite.index import (
    DegenerateMethodWarning,
    aggregate,
    borda_terms,
    copeland_scores,
    normalise,
    positive_for_geometric,
    rank_descending,
)
from analysis_utils.errors import AnalysisError, ParameterError
from tests._support.composite import A, B, C, D, fields, matrix

# --- normalisation -----------------------------------------------------------------------------

def test_ratio_to_reference_inverts_lower_is_better(three):
    # p: x / x_A = 2/2, 4/2, 10/2 = 1, 2, 5.  q (lower better): x_A / x = 5/5, 5/1, 5/3.
    out = normalise(three.values, "ratio", reference=A, direction=three.direction)
    assert out["p"].tolist() == pytest.approx([1, 2, 5])
    assert out["q"].tolist() == pytest.approx([1, 5, 5 / 3])


def test_minmax_by_hand(three):
    # p: (x - 2) / 8 = 0, 0.25, 1.  q: (5 - x) / 4 = 0, 1, 0.5.
    with pytest.warns(DegenerateMethodWarning, match="minmax with 3 entities"):
        out = normalise(three.values, "minmax", direction=three.direction)
    assert out["p"].tolist() == pytest.approx([0, 0.25, 1])
    assert out["q"].tolist() == pytest.approx([0, 1, 0.5])


def test_zscore_by_hand(three):
    # p: mean 16/3; deviations -10/3, -4/3, 14/3; sample var (100 + 16 + 196)/9/2 = 52/3, sd 4.16333.
    # q: mean 3; deviations 2, -2, 0; var 8/2 = 4, sd 2; z = 1, -1, 0, negated (lower better).
    out = normalise(three.values, "zscore", direction=three.direction)
    sd = math.sqrt(52 / 3)
    assert out["p"].tolist() == pytest.approx([-10 / 3 / sd, -4 / 3 / sd, 14 / 3 / sd])
    assert out["q"].tolist() == pytest.approx([-1, 1, 0])


def test_rank_by_hand_with_ties():
    # r: 7, 7, 1 -> ascending ranks 2.5, 2.5, 1 (tie averaged); lower better s: 3, 1, 2 -> 1, 3, 2.
    m = matrix({"r": {A: 7, B: 7, C: 1}, "s": {A: 3, B: 1, C: 2}}, direction={"s": -1})
    out = normalise(m.values, "rank", direction=m.direction)
    assert out["r"].tolist() == [2.5, 2.5, 1]
    assert out["s"].tolist() == [1, 3, 2]


# --- degenerate warnings -------------------------------------------------------------------------

def test_minmax_with_four_entities_does_not_warn():
    m = matrix({"p": {A: 1, B: 2, C: 3, D: 4}})
    with warnings.catch_warnings():
        warnings.simplefilter("error", DegenerateMethodWarning)
        normalise(m.values, "minmax")


def test_zscore_with_two_entities_warns():
    m = matrix({"p": {A: 1, B: 3}})
    with pytest.warns(DegenerateMethodWarning, match="zscore with 2 entities"):
        out = normalise(m.values, "zscore")
    # mean 2, sample sd sqrt(2): z = -1/sqrt(2), +1/sqrt(2)
    assert out["p"].tolist() == pytest.approx([-1 / math.sqrt(2), 1 / math.sqrt(2)])


def test_constant_indicator_warns_and_gets_the_neutral_value():
    m = matrix({"p": {A: 1, B: 2, C: 3, D: 4}, "k": {A: 7, B: 7, C: 7, D: 7}})
    with pytest.warns(DegenerateMethodWarning, match=r"\['k'\] are constant"):
        out = normalise(m.values, "minmax")
    assert out["k"].tolist() == [0.5] * 4


def test_ratio_needs_a_known_reference(three):
    with pytest.raises(ParameterError) as err:
        normalise(three.values, "ratio", reference="SYNTHETIC_Z")
    assert err.value.code == "unknown-entity" and err.value.value == "SYNTHETIC_Z"


def test_geometric_refuses_non_positive_values():
    norm = pd.DataFrame({"p": [0.0, 1.0]}, index=[A, B])
    with pytest.raises(AnalysisError, match="strictly positive"):
        aggregate(norm, pd.Series({"p": 1.0}), "geometric")


def test_positive_for_geometric_leaves_ranks_alone():
    norm = pd.DataFrame({"p": [2.0, 3.0]}, index=[A, B])
    assert positive_for_geometric(norm, "rank") is norm


# --- Borda and Copeland: the fast pairwise identities against naive loops ------------------------
def naive_net_wins(x: np.ndarray) -> np.ndarray:
    n = len(x)
    return np.array([[sum(np.sign(x[a, i] - x[b, i]) for b in range(n)) for i in range(x.shape[1])]
                     for a in range(n)], dtype=float)


def naive_copeland(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    n, out = len(x), np.zeros(len(x))
    for a in range(n):
        for b in range(n):
            e_ab = sum(w[i] * (1.0 if x[a, i] > x[b, i] else 0.5 if x[a, i] == x[b, i] else 0.0)
                       for i in range(len(w)))
            if a != b:
                out[a] += 1 if e_ab > 0.5 + 1e-12 else -1 if e_ab < 0.5 - 1e-12 else 0
    return out


@pytest.mark.parametrize("seed", range(5))
def test_fast_pairwise_identities_match_naive_loops(seed):
    rng = np.random.default_rng(seed)
    x = rng.integers(0, 4, size=(9, 4)).astype(float)  # small integers: many ties
    w = rng.dirichlet(np.ones(4))
    assert borda_terms(x) == pytest.approx(naive_net_wins(x))
    assert copeland_scores(x, w, block=4) == pytest.approx(naive_copeland(x, w))


def test_rank_descending_ties_share_the_best_rank():
    assert rank_descending(np.array([3.0, 5.0, 5.0, 1.0]))[0].tolist() == [3, 1, 1, 4]
    assert rank_descending(np.array([[1.0, 1.0 + 1e-15, 0.0]]))[0].tolist() == [1, 1, 3]


# --- exact messages and degenerate cases ---------------------------------------------------------

def test_ratio_unknown_reference_fields():
    values = pd.DataFrame({"p": [1.0, 2.0]}, index=[A, B])
    with pytest.raises(ParameterError) as err:
        normalise(values, "ratio", reference="SYNTHETIC_Z")
    assert fields(err.value) == ("reference", None, "SYNTHETIC_Z",
                                 f"an entity of the matrix for the ratio normalisation, e.g. {[A, B]}",
                                 "unknown-entity")


def test_ratio_lower_is_better_zero_warns_with_the_cell_and_no_numpy_warning():
    # q lower is better: A/q is 0 -> x_ref / 0 = inf. p higher is better has a 0 at B: p/ref = 0 / 2 = 0,
    # and the unused branch ref / x divides by 0 too: numpy must stay silent about both.
    values = pd.DataFrame({"p": [2.0, 0.0, 4.0], "q": [1.0, 2.0, 0.0]}, index=[A, B, C])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = normalise(values, "ratio", reference=A, direction=pd.Series({"p": 1, "q": -1}))
    messages = [(w.category, str(w.message)) for w in caught]
    assert messages == [(DegenerateMethodWarning,
                         f"ratio: a lower-is-better value of 0 gives an infinite ratio at {C}/q")]
    assert out["p"].tolist() == [1.0, 0.0, 2.0]  # 2/2, 0/2, 4/2
    assert out["q"].tolist() == [1.0, 0.5, np.inf]  # 1/1, 1/2, 1/0


def test_positive_for_geometric_rescales_each_column_on_its_own_range():
    # a: -1, 0, 1 -> 0, .5, 1; b: 2, 4, 10 -> 0, .25, 1; c constant -> .5. Then 1 + 99 x scaled.
    norm = pd.DataFrame({"a": [-1.0, 0.0, 1.0], "b": [2.0, 4.0, 10.0], "c": [3.0, 3.0, 3.0]}, index=[A, B, C])
    for method in ("minmax", "zscore"):
        out = positive_for_geometric(norm, method)
        assert out["a"].tolist() == [1.0, 50.5, 100.0]
        assert out["b"].tolist() == [1.0, 25.75, 100.0]
        assert out["c"].tolist() == [50.5, 50.5, 50.5]
    pd.testing.assert_frame_equal(positive_for_geometric(norm, "ratio"), norm)


def test_rank_descending_tolerance_is_relative_to_the_largest_score():
    from analysis_utils.composite.index import rank_descending

    # 1e6 and 1e6 + 1e-4 differ by 1e-10 of the scale (< 1e-9): a tie; 5e5 is third.
    assert rank_descending(np.array([1e6, 1e6 + 1e-4, 5e5])).tolist() == [[1, 1, 3]]
    # below a scale of 1 the tolerance is absolute 1e-9: 1.5e-9 apart is not a tie, 5e-10 apart is
    # (neighbours in the sorted order are compared: 2e-9 > 5e-10 ~ 0).
    assert rank_descending(np.array([0.0, 3e-9, 1.5e-9])).tolist() == [[3, 1, 2]]
    assert rank_descending(np.array([0.0, 2e-9, 5e-10])).tolist() == [[2, 1, 2]]
    assert rank_descending(np.array([0.0, 5e-10])).tolist() == [[1, 1]]


def test_zscore_degenerate_cases_say_exactly_what_they_give():
    # Two entities: z = +-(d/2) / (d / sqrt 2) = +-1/sqrt 2 = +-0.707.
    values = pd.DataFrame({"p": [1.0, 3.0]}, index=[A, B])
    with pytest.warns(DegenerateMethodWarning) as caught:
        out = normalise(values, "zscore")
    assert [str(w.message) for w in caught] == ["zscore with 2 entities: every indicator becomes +-0.707, a pure sign"]
    assert out["p"].to_numpy() == pytest.approx([-2 ** -0.5, 2 ** -0.5])
    # One entity: every indicator is constant and gets 0, without numpy's degrees-of-freedom warning.
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = normalise(values.iloc[:1], "zscore")
    assert out["p"].tolist() == [0.0]
    assert {w.category for w in caught} == {DegenerateMethodWarning}


def test_aggregate_names_its_bad_method_and_geometric_names_the_non_positive_cells():
    from analysis_utils.composite.index import aggregate
    from analysis_utils.errors import AnalysisError

    norm = pd.DataFrame({"p": [0.5, 0.0, 2.0], "q": [1.0, 3.0, -1.0]}, index=[A, B, C])
    w = pd.Series({"p": 0.5, "q": 0.5})
    with pytest.raises(ParameterError) as err:
        aggregate(norm, w, "median")
    assert (err.value.name, err.value.value, err.value.code) == ("aggregation", "median", "bad-choice")
    with pytest.raises(AnalysisError) as err:
        aggregate(norm, w, "geometric")
    assert str(err.value) == ("geometric aggregation needs strictly positive normalised values; non-positive at "
                              f"{B}/p, {C}/q")
