"""Composite index: known answers worked out by hand on tiny synthetic matrices."""
from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pytest

from analysis_utils.composite.index import (
    DegenerateMethodWarning,
    IndicatorMatrix,
    aggregate,
    borda_terms,
    composite_index,
    copeland_scores,
    normalise,
    positive_for_geometric,
    rank_descending,
    resolve_weights,
    treat_censored_missing,
)
from analysis_utils.errors import AnalysisError, ParameterError

A, B, C, D = "SYNTHETIC_A", "SYNTHETIC_B", "SYNTHETIC_C", "SYNTHETIC_D"


def matrix(values: dict, qualifiers: dict | None = None, direction: dict | None = None) -> IndicatorMatrix:
    """Build a matrix from {indicator: {entity: value}}; qualifiers {(entity, indicator): code}."""
    v = pd.DataFrame(values, dtype=float)
    q = pd.DataFrame("", index=v.index, columns=v.columns).astype(object)
    q[v.isna()] = "missing"
    for (ent, ind), code in (qualifiers or {}).items():
        q.loc[ent, ind] = code
    d = pd.Series({i: (direction or {}).get(i, 1) for i in v.columns})
    return IndicatorMatrix(v, q, d)


@pytest.fixture
def three():
    # p: higher is better; q: lower is better.
    return matrix({"p": {A: 2, B: 4, C: 10}, "q": {A: 5, B: 1, C: 3}}, direction={"p": 1, "q": -1})


def quiet(fn, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegenerateMethodWarning)
        return fn(*args, **kwargs)


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


def test_direction_flips_the_order():
    m_up = matrix({"q": {A: 5, B: 1, C: 3, D: 4}})
    m_down = matrix({"q": {A: 5, B: 1, C: 3, D: 4}}, direction={"q": -1})
    assert composite_index(m_up).ranks.tolist() == [1, 4, 3, 2]
    assert composite_index(m_down).ranks.tolist() == [4, 1, 2, 3]


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


def test_ratio_with_reference_zero_warns_then_composite_refuses():
    m = matrix({"p": {A: 0, B: 2, C: 3, D: 4}, "t": {A: 1, B: 2, C: 3, D: 4}})
    with pytest.warns(DegenerateMethodWarning, match="reference 'SYNTHETIC_A' has value 0 on \\['p'\\]"):
        out = normalise(m.values, "ratio", reference=A)
    assert out["p"].isna().all()
    with pytest.warns(DegenerateMethodWarning), pytest.raises(AnalysisError, match="finite"):
        composite_index(m, normalisation="ratio", reference=A)


def test_ratio_needs_a_known_reference(three):
    with pytest.raises(ParameterError) as err:
        normalise(three.values, "ratio", reference="SYNTHETIC_Z")
    assert err.value.code == "unknown-entity" and err.value.value == "SYNTHETIC_Z"


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


def test_geometric_refuses_non_positive_values():
    norm = pd.DataFrame({"p": [0.0, 1.0]}, index=[A, B])
    with pytest.raises(AnalysisError, match="strictly positive"):
        aggregate(norm, pd.Series({"p": 1.0}), "geometric")


def test_positive_for_geometric_leaves_ranks_alone():
    norm = pd.DataFrame({"p": [2.0, 3.0]}, index=[A, B])
    assert positive_for_geometric(norm, "rank") is norm


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


def test_table_lists_best_first(three):
    table = quiet(composite_index, three).table()
    assert table.index.tolist() == [C, B, A]
    assert {"score", "rank", "contribution_p", "contribution_q"} <= set(table.columns)


# --- weights -----------------------------------------------------------------------------------

def test_equal_weights_and_renormalisation():
    assert resolve_weights(None, ["p", "q"]).tolist() == [0.5, 0.5]
    assert resolve_weights({"p": 3, "q": "1"}, ["p", "q"]).tolist() == [0.75, 0.25]


@pytest.mark.parametrize("weights, code, value", [
    ({"p": 1, "q": 1, "zz": 1}, "unknown-indicator", "zz"),
    ({"p": -1, "q": 1}, "constraint-error", -1),
    ({"p": "heavy", "q": 1}, "type-error", "heavy"),
    ({"p": True, "q": 1}, "type-error", True),
    ({"p": float("nan"), "q": 1}, "constraint-error", None),
    ({"p": 0, "q": 0}, "constraint-error", None),
    ({"p": 1}, "missing-weight", None),
])
def test_bad_weights_name_the_indicator_and_value(weights, code, value):
    with pytest.raises(ParameterError) as err:
        resolve_weights(weights, ["p", "q"])
    assert err.value.code == code
    if value is not None:
        assert err.value.value == value
        assert str(value) in str(err.value)


def test_weights_from_yaml(tmp_path):
    path = tmp_path / "weights.yaml"
    path.write_text("weights:\n  p: 3\n  q: 1\n", encoding="utf-8")
    assert resolve_weights(path, ["p", "q"]).tolist() == [0.75, 0.25]
    path.write_text("p: 1\nq: -0.5\n", encoding="utf-8")
    with pytest.raises(ParameterError) as err:
        resolve_weights(str(path), ["p", "q"])
    assert err.value.name == "weights" and err.value.where == f"file {path}, indicator 'q'" and err.value.value == -0.5
    assert str(err.value) == (f"parameter \"weights\" (file {path}, indicator 'q') = -0.5: expected a finite number >= 0 "
                              "[constraint-error]")


def test_weights_from_csv_name_the_row(tmp_path):
    path = tmp_path / "weights.csv"
    path.write_text("indicator,weight\np,2\nq,2\n", encoding="utf-8")
    assert resolve_weights(path, ["p", "q"]).tolist() == [0.5, 0.5]
    path.write_text("indicator,weight\np,2\nq,lots\n", encoding="utf-8")
    with pytest.raises(ParameterError) as err:
        resolve_weights(path, ["p", "q"])
    assert err.value.code == "type-error" and err.value.value == "lots"
    assert err.value.where == f"file {path}, row 2 (line 3), indicator 'q'"
    path.write_text("name,weight\np,2\n", encoding="utf-8")
    with pytest.raises(ParameterError, match="'indicator' and 'weight'"):
        resolve_weights(path, ["p", "q"])


def test_weights_file_must_exist(tmp_path):
    with pytest.raises(ParameterError) as err:
        resolve_weights(tmp_path / "nope.yaml", ["p"])
    assert err.value.code == "missing-file"


def test_weights_renormalised_over_indicators_in_use():
    # p has a censored cell and is dropped: q, r keep 1 : 3 -> 0.25, 0.75.
    m = matrix({"p": {A: 9, B: 1, C: 2, D: 3}, "q": {A: 1, B: 2, C: 3, D: 4}, "r": {A: 4, B: 3, C: 2, D: 1}},
               qualifiers={(A, "p"): "gt"})
    r = composite_index(m, weights={"p": 2, "q": 1, "r": 3}, censored="drop_indicator")
    assert r.weights.to_dict() == pytest.approx({"q": 0.25, "r": 0.75})


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


@pytest.mark.parametrize("page", ["docs/composite-index.md", "docs/zh-CN/composite-index.md"])
def test_the_documented_weights_example_is_a_valid_weights_file(tmp_path, page):
    """The example of the composite index page (English and Chinese) is what a user copies: every indicator once,
    rd_intensity and patents doubled, so 2/13 each and 1/13 for the other nine after renormalisation."""
    import re

    from analysis_utils.composite.indicators import INDICATORS
    from analysis_utils.composite.weights import resolve_weights
    from analysis_utils.paths import REPO_ROOT

    doc = (REPO_ROOT / page).read_text(encoding="utf-8")
    example = re.search(r"```yaml\n(weights:.*?)```", doc, re.S).group(1)
    (tmp_path / "w.yaml").write_text(example, encoding="utf-8")
    weights = resolve_weights(tmp_path / "w.yaml", INDICATORS)
    assert weights["rd_intensity"] == pytest.approx(2 / 13) and weights["gdp"] == pytest.approx(1 / 13)


def test_a_weights_file_that_names_an_indicator_twice_is_refused_with_both_lines(tmp_path):
    """YAML keeps the last of two equal keys without a word; a weights file must not."""
    from analysis_utils.composite.weights import resolve_weights
    from analysis_utils.errors import ParameterError

    path = tmp_path / "w.yaml"
    path.write_text("weights:\n  gdp: 1\n  rd_intensity: 2\n  gdp: 3\n", encoding="utf-8")
    with pytest.raises(ParameterError) as info:
        resolve_weights(path, ["gdp", "rd_intensity"])
    assert (info.value.name, info.value.code) == ("weights", "duplicate-key")
    assert str(info.value) == (f"parameter \"weights\" = '{path}, line 4': expected each name once; 'gdp' is already "
                               "given on line 2 [duplicate-key]")
