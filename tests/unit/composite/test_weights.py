"""Composite index: exact messages and hand-worked values that a sampled mutation run showed untested.

Every expected value here is worked out by hand (arithmetic in the comments) or recomputed through a
second, independent path of the library (composite_index per Monte Carlo sample), never read back from
the function under test.
"""
from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from analysis_utils.composite import sensitivity
from analysis_utils.composite.index import (
    DegenerateMethodWarning,
    IndicatorMatrix,
    composite_index,
    normalise,
    positive_for_geometric,
)
from analysis_utils.composite.matrix import _cells
from analysis_utils.composite.weights import resolve_weights, weights_in_use
from analysis_utils.errors import ParameterError

A, B, C, D, E = (f"SYNTHETIC_{c}" for c in "ABCDE")


def fields(err: ParameterError) -> tuple:
    return err.name, err.where, err.value, err.expected, err.code


# --- weights: every refusal, field by field ------------------------------------------------------

def test_weights_of_a_wrong_type():
    with pytest.raises(ParameterError) as err:
        resolve_weights(3, ["p", "q"])
    assert fields(err.value) == ("weights", None, "int",
                                 "None, a dict, a Series or the path of a .yaml/.yml/.csv file", "type-error")


def test_weights_file_missing_or_of_an_unknown_kind(tmp_path):
    with pytest.raises(ParameterError) as err:
        resolve_weights(tmp_path / "nope.yaml", ["p"])
    assert fields(err.value) == ("weights", None, str(tmp_path / "nope.yaml"),
                                 "an existing .yaml, .yml or .csv file", "missing-file")
    path = tmp_path / "weights.txt"
    path.write_text("p: 1\n", encoding="utf-8")
    with pytest.raises(ParameterError) as err:
        resolve_weights(path, ["p"])
    assert fields(err.value) == ("weights", None, str(path), "a file ending in .yaml, .yml or .csv", "bad-choice")
    assert str(err.value) == (f'parameter "weights" = {str(path)!r}: expected a file ending in .yaml, .yml or .csv '
                              "[bad-choice]")


@pytest.mark.parametrize("suffix", [".yml", ".YAML", ".yaml"])
def test_weights_from_a_yml_file(tmp_path, suffix):
    path = tmp_path / f"w{suffix}"
    path.write_text("p: 1\nq: 3\n", encoding="utf-8")
    assert resolve_weights(path, ["p", "q"]).tolist() == [0.25, 0.75]  # 1/4, 3/4


@pytest.mark.parametrize("text, type_name", [("- 1\n- 2\n", "list"), ("weights: 3\n", "int"), ("", "NoneType")])
def test_yaml_weights_must_be_a_mapping(tmp_path, text, type_name):
    path = tmp_path / "w.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ParameterError) as err:
        resolve_weights(path, ["p", "q"])
    assert fields(err.value) == ("weights", f"file {path}", type_name, "a mapping indicator: weight", "type-error")


def test_csv_weights_missing_a_column(tmp_path):
    path = tmp_path / "w.csv"
    path.write_text("name,weight\np,2\n", encoding="utf-8")
    with pytest.raises(ParameterError) as err:
        resolve_weights(path, ["p", "q"])
    assert fields(err.value) == ("weights", f"file {path}", "name, weight", "columns 'indicator' and 'weight'",
                                 "missing-column")


@pytest.mark.parametrize("cell", ["", "NA", "nan", "N/A"])
def test_csv_weight_that_pandas_would_read_as_missing_is_kept_as_text(tmp_path, cell):
    # The file is read as text: an empty or "NA" weight is named as it stands, not turned into NaN.
    path = tmp_path / "w.csv"
    path.write_text(f"indicator,weight\np,1\nq,{cell}\n", encoding="utf-8")
    with pytest.raises(ParameterError) as err:
        resolve_weights(path, ["p", "q"])
    expected = "a finite number >= 0" if cell.lower() == "nan" else "a number >= 0"  # float("nan") parses
    code = "constraint-error" if cell.lower() == "nan" else "type-error"
    assert fields(err.value) == ("weights", f"file {path}, row 2 (line 3), indicator 'q'", cell, expected, code)


@pytest.mark.parametrize("body, indicator, value, expected, code", [
    # an indicator named NA is an unknown indicator, not a crash (pandas would read it as missing)
    ("p,1\nNA,1\n", "NA", "NA", "one of the indicators p, q", "unknown-indicator"),
    # a repeated indicator: the second row and its weight are named
    ("p,1\np,2\nq,1\n", "p", "2", "one weight per indicator", "unique-error"),
], ids=["indicator-NA", "duplicate"])
def test_csv_rows_refused_by_row_and_indicator(tmp_path, body, indicator, value, expected, code):
    path = tmp_path / "w.csv"
    path.write_text("indicator,weight\n" + body, encoding="utf-8")
    with pytest.raises(ParameterError) as err:
        resolve_weights(path, ["p", "q"])
    assert fields(err.value) == ("weights", f"file {path}, row 2 (line 3), indicator '{indicator}'", value, expected,
                                 code)


def test_unknown_indicator_lists_the_first_twenty_indicators():
    names = [f"i{k:02d}" for k in range(25)]
    with pytest.raises(ParameterError) as err:
        resolve_weights({"zz": 1}, names)
    assert fields(err.value) == ("weights", "indicator 'zz'", "zz",
                                 "one of the indicators " + ", ".join(f"i{k:02d}" for k in range(20)),
                                 "unknown-indicator")


def test_missing_weight_names_the_given_and_the_missing_indicators(tmp_path):
    with pytest.raises(ParameterError) as err:
        resolve_weights({"r": 1, "p": 2}, ["p", "q", "r", "s"])
    assert fields(err.value) == ("weights", None, "weights for 2 of 4 indicators", "a weight for every indicator (0 to exclude); missing: q, s",
                                 "missing-weight")
    path = tmp_path / "w.yaml"
    path.write_text("p: 1\n", encoding="utf-8")
    with pytest.raises(ParameterError) as err:
        resolve_weights(path, ["p", "q"])
    assert fields(err.value) == ("weights", f"file {path}", "weights for 1 of 2 indicators", "a weight for every indicator (0 to exclude); "
                                 "missing: q", "missing-weight")


@pytest.mark.parametrize("raw, expected, code", [
    ("heavy", "a number >= 0", "type-error"),
    (True, "a number >= 0", "type-error"),
    (None, "a number >= 0", "type-error"),
    ([1], "a number >= 0", "type-error"),
    (-0.5, "a finite number >= 0", "constraint-error"),
    (float("inf"), "a finite number >= 0", "constraint-error"),
])
def test_bad_weight_value_fields(raw, expected, code):
    with pytest.raises(ParameterError) as err:
        resolve_weights({"p": 1, "q": raw}, ["p", "q"])
    assert fields(err.value) == ("weights", "indicator 'q'", raw, expected, code)


def test_all_zero_weights_are_shown_with_their_source(tmp_path):
    with pytest.raises(ParameterError) as err:
        resolve_weights({"p": 0, "q": 0.0}, ["p", "q"])
    assert fields(err.value) == ("weights", None, "p: 0, q: 0",
                                 "at least one positive weight among the indicators in use", "constraint-error")
    with pytest.raises(ParameterError) as err:
        weights_in_use(pd.Series({"p": 0.0, "q": 0.0, "r": 1.0}), ["p", "q"])
    assert err.value.where == "the indicators in use: p, q" and err.value.value == "p: 0, q: 0"
    # r alone is kept: 1 / 1.
    assert weights_in_use(pd.Series({"p": 0.5, "q": 0.0, "r": 0.5}), ["q", "r"]).tolist() == [0.0, 1.0]


# --- normalisation and aggregation ---------------------------------------------------------------

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


def test_cells_lists_ten_then_counts_the_rest():
    mask = pd.DataFrame({"p": [True] * 11}, index=[f"e{k:02d}" for k in range(11)])
    assert _cells(mask) == ", ".join(f"e{k:02d}/p" for k in range(10)) + " … and 1 more"
    assert _cells(mask.iloc[:10]) == ", ".join(f"e{k:02d}/p" for k in range(10))
    assert _cells(mask, limit=2) == "e00/p, e01/p … and 9 more"


# --- Monte Carlo: the design, the accumulator and the indices -------------------------------------

def five() -> IndicatorMatrix:
    """Five entities, three indicators (r lower is better), a gap at B/q and a lower bound at E/p."""
    values = pd.DataFrame({"p": [3.0, 7.0, 1.0, 9.0, 12.0], "q": [40.0, np.nan, 25.0, 10.0, 31.0],
                           "r": [0.9, 0.4, 0.7, 0.2, 0.6]}, index=[A, B, C, D, E])
    qualifier = pd.DataFrame("", index=values.index, columns=values.columns)
    qualifier.loc[B, "q"] = "missing"
    qualifier.loc[E, "p"] = "gt"
    return IndicatorMatrix(values, qualifier, pd.Series({"p": 1, "q": 1, "r": -1}))


TREATMENTS = (("bound", "mean"), ("exclude", "median"), ("bound", "worst"), ("drop_indicator", "zero"))
NORMS = ("minmax", "rank", "zscore")
AGGS = ("arithmetic", "geometric", "borda", "copeland")


@pytest.fixture(scope="module")
def mc():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegenerateMethodWarning)
        return monte_carlo_five(seed=5)


def monte_carlo_five(seed):
    return sensitivity.monte_carlo(five(), 48, seed=seed, normalisations=NORMS, aggregations=AGGS,
                                   treatments=TREATMENTS, weight_draws=4, progress=False)


def test_each_sample_is_scored_with_its_own_settings(mc):
    # Recompute every sample through composite_index with the sample's weights, dropped indicator,
    # normalisation, aggregation and treatment; its mean |rank - nominal rank| must be the one recorded.
    m, nominal = five(), mc.nominal.ranks
    assert mc.samples["treatment"].nunique() == len(TREATMENTS)  # every table is used
    for i, s in mc.samples.iterrows():
        weights = mc.weight_pool.loc[s["weights"]].copy()
        if s["dropped_indicator"] != "none":
            weights[s["dropped_indicator"]] = 0.0
        censored, missing = s["treatment"].split("/")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DegenerateMethodWarning)
            r = composite_index(m, s["normalisation"], s["aggregation"], weights.to_dict(), censored, missing)
        shift = (r.ranks - nominal).abs().mean()
        assert s["mean_abs_rank_shift"] == pytest.approx(shift, abs=1e-12), (i, dict(s))


def test_result_keeps_its_seed_and_labels_its_columns(mc):
    assert mc.seed == 5 and mc.n_samples == 48
    assert list(mc.rank_summary.columns) == ["nominal_rank", "median_rank", "rank_p05", "rank_p95", "mean_rank"]
    assert list(mc.rank_summary.index) == [A, B, C, D, E]
    assert list(mc.mean_position.index) == [A, B, C, D, E] and mc.mean_position.name == "mean_position"
    assert list(mc.sensitivity.columns) == list(sensitivity.FACTORS)
    assert mc.shift_sensitivity.name == "first_order_index"


def test_rank_summary_is_read_from_the_rank_frequency(mc):
    # An independent reading of the histogram: the q-quantile is the first rank whose cumulative share
    # reaches q (inverted CDF); the mean rank is sum r x share.
    freq = mc.rank_frequency
    for q, column in ((0.05, "rank_p05"), (0.5, "median_rank"), (0.95, "rank_p95")):
        cum = freq.cumsum(axis=1) * mc.n_samples
        first = [int(next(r for r in freq.columns if cum.loc[e, r] >= q * mc.n_samples - 1e-9)) for e in freq.index]
        assert mc.rank_summary[column].tolist() == first, column
    assert mc.rank_summary["mean_rank"].to_numpy() == pytest.approx((freq * freq.columns.to_numpy()).sum(axis=1))


def test_level_indices_by_hand():
    # One factor, levels 0, 0, 0, 1 (the second level has a single sample, which counts).
    # e1: Y 1, 1, 1, 3; mean 1.5; SST .75 + 2.25 = 3; SSB 3 (1 - 1.5)^2 + (3 - 1.5)^2 = 3; MSW 0 -> S = 1.
    # e2: Y 0, 1, 2, 5; mean 2; SST 4 + 1 + 0 + 9 = 14; level means 1 and 5: SSB 3 + 9 = 12;
    #     MSW (14 - 12) / (4 - 2) = 1 -> S = (12 - 1 x 1) / 14 = 11/14.
    level_sums = [np.array([[3.0, 3.0], [3.0, 5.0]])]
    out = sensitivity._level_indices(level_sums, np.array([1.5, 2.0]), np.array([3.0, 14.0]),
                                     np.array([[0], [0], [0], [1]]), ["e1", "e2"])
    assert list(out.columns) == ["weights"]
    assert out["weights"].tolist() == pytest.approx([1.0, 11 / 14])


def shift_samples(y, codes):
    labels = {f: [f"{f} {k}" for k in range(3)] for f in sensitivity.FACTORS}
    samples = pd.DataFrame({f: pd.Categorical.from_codes(codes, labels[f]) for f in sensitivity.FACTORS})
    samples["mean_abs_rank_shift"] = y
    return samples


@pytest.mark.parametrize("value", [0.0, 0.1, 1 / 3])
def test_shift_indices_of_a_constant_shift_are_nan(value):
    # Y never varies: no factor explains anything, S is undefined (NaN), whatever the float rounding
    # of its mean (three times 0.1 sums to 0.30000000000000004).
    out = sensitivity._shift_indices(shift_samples([value] * 3, [0, 1, 2]))
    assert list(out.index) == list(sensitivity.FACTORS) and out.isna().all()


def test_shift_indices_by_hand():
    # Y 0, 2, 4, 6 at levels 0, 0, 1, 1: mean 3; SST 9 + 1 + 1 + 9 = 20; level means 1, 5: SSB 2 x 4 + 2 x 4 = 16;
    # MSW (20 - 16) / (4 - 2) = 2; S = (16 - 1 x 2) / 20 = 0.7.
    out = sensitivity._shift_indices(shift_samples([0.0, 2.0, 4.0, 6.0], [0, 0, 1, 1]))
    assert out.tolist() == pytest.approx([0.7] * 5)


def test_dropping_the_only_weighted_indicator_names_the_treatment():
    m = five()
    with pytest.raises(ParameterError) as err:
        sensitivity.monte_carlo(m, 4, weights={"p": 0, "q": 0, "r": 1}, treatments=(("bound", "mean"),),
                                progress=False)
    assert fields(err.value) == ("treatments", None, "treatment #0 with dropped indicator 'r'",
                                 "choices that leave at least one indicator with a positive weight; "
                                 "remove that treatment or set drop_indicators=False", "constraint-error")


# --- composite_index, rank_descending and monte_carlo: names, records, ties, progress -------------

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


def test_rank_descending_tolerance_is_relative_to_the_largest_score():
    from analysis_utils.composite.index import rank_descending

    # 1e6 and 1e6 + 1e-4 differ by 1e-10 of the scale (< 1e-9): a tie; 5e5 is third.
    assert rank_descending(np.array([1e6, 1e6 + 1e-4, 5e5])).tolist() == [[1, 1, 3]]
    # below a scale of 1 the tolerance is absolute 1e-9: 1.5e-9 apart is not a tie, 5e-10 apart is
    # (neighbours in the sorted order are compared: 2e-9 > 5e-10 ~ 0).
    assert rank_descending(np.array([0.0, 3e-9, 1.5e-9])).tolist() == [[3, 1, 2]]
    assert rank_descending(np.array([0.0, 2e-9, 5e-10])).tolist() == [[2, 1, 2]]
    assert rank_descending(np.array([0.0, 5e-10])).tolist() == [[1, 1]]


def test_bad_seed_says_what_it_is_for():
    with pytest.raises(ParameterError) as err:
        sensitivity.monte_carlo(five(), 4, seed="x", progress=False)
    assert fields(err.value) == ("seed", None, "x", "an integer (the same seed gives the same numbers), got str",
                                 "type-error")


def test_copeland_budget_message(monkeypatch):
    monkeypatch.setattr(sensitivity, "COPELAND_BUDGET", 100)
    with pytest.raises(ParameterError) as err:
        sensitivity.monte_carlo(five(), 10, aggregations=("arithmetic", "copeland"), progress=False)
    assert fields(err.value) == ("aggregations", None, ["arithmetic", "copeland"],
                                 "'copeland' only while entities^2 x samples <= 1e+02 (here 5^2 x 10); for large "
                                 "sets use 'borda', the weighted pairwise net wins in O(n log n)", "too-costly")


@pytest.mark.parametrize("progress", [True, False])
def test_progress_bar_on_request_only(capsys, progress):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegenerateMethodWarning)
        sensitivity.monte_carlo(five(), 12, chunk_size=5, progress=progress)
    err = capsys.readouterr().err
    if progress:
        assert "12/12" in err and "sample" in err  # chunks of 5, 5, 2 all counted
    else:
        assert err == ""


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


def test_focus_exactly_at_min_coverage_is_ranked():
    from analysis_utils.composite.indicators import _ranked

    shares = pd.Series({A: 0.5, B: 0.25, C: 1.0})
    assert _ranked([A, B, C], shares, 0.5) == [A, C]  # at the threshold counts; below does not


def test_treatment_defaults_to_the_bound():
    from analysis_utils.composite.index import treat_censored_missing

    values = pd.DataFrame({"p": [3.0, 1.0, 2.0]}, index=[A, B, C])
    qualifier = pd.DataFrame({"p": ["gt", "", ""]}, index=[A, B, C])
    treated, record = treat_censored_missing(IndicatorMatrix(values, qualifier, pd.Series({"p": 1})))
    assert treated.values["p"].tolist() == [3.0, 1.0, 2.0]
    assert record[["action", "side"]].values.tolist() == [["bound_used", "lower"]]


def test_every_bad_row_of_a_weights_file_at_once(tmp_path):
    """An unknown indicator, a negative and a text weight, a repeated row and a missing indicator: five errors
    in one ParameterErrors, in file order, then the missing weights."""
    from analysis_utils.errors import ParameterErrors

    path = tmp_path / "w.csv"
    path.write_text("indicator,weight\np,-1\nzz,1\nq,lots\nq,2\n", encoding="utf-8")
    with pytest.raises(ParameterErrors) as err:
        resolve_weights(path, ["p", "q", "r"])
    assert [(e.code, e.value, e.where) for e in err.value.errors] == [
        ("constraint-error", "-1", f"file {path}, row 1 (line 2), indicator 'p'"),
        ("unknown-indicator", "zz", f"file {path}, row 2 (line 3), indicator 'zz'"),
        ("type-error", "lots", f"file {path}, row 3 (line 4), indicator 'q'"),
        ("unique-error", "2", f"file {path}, row 4 (line 5), indicator 'q'"),
        ("missing-weight", "weights for 2 of 3 indicators", f"file {path}")]
    assert err.value.errors[-1].expected == "a weight for every indicator (0 to exclude); missing: r"


# --- a strictly ordered matrix: every choice gives the same ranks, so every summary is known by hand --------

def ordered() -> IndicatorMatrix:
    """SYNTHETIC: A beats B beats C on all three indicators (r lower is better), no gap, no bound: every
    normalisation, aggregation, weight draw, dropped indicator and treatment ranks them A 1, B 2, C 3."""
    values = pd.DataFrame({"p": [9.0, 5.0, 1.0], "q": [30.0, 20.0, 10.0], "r": [0.1, 0.5, 0.9]}, index=[A, B, C])
    qualifier = pd.DataFrame("", index=values.index, columns=values.columns)
    return IndicatorMatrix(values, qualifier, pd.Series({"p": 1, "q": 1, "r": -1}))


@pytest.mark.filterwarnings("ignore::analysis_utils.composite.index.DegenerateMethodWarning")  # minmax on 3: known
def test_rank_summary_of_ranks_that_never_move():
    result = sensitivity.monte_carlo(ordered(), n_samples=40, seed=3, progress=False)
    expected = pd.DataFrame({"nominal_rank": [1, 2, 3], "median_rank": [1, 2, 3], "rank_p05": [1, 2, 3],
                             "rank_p95": [1, 2, 3], "mean_rank": [1.0, 2.0, 3.0]}, index=[A, B, C])
    pd.testing.assert_frame_equal(result.rank_summary, expected, check_dtype=False)
    # every sample puts A first and C last: frequency 1 on the diagonal, 0 elsewhere
    assert result.rank_frequency.to_numpy().tolist() == [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]]
    assert list(result.rank_frequency.index) == [A, B, C]
    # relative position (s - min) / (max - min): the best is 1 and the worst 0 in every sample
    assert result.mean_position.name == "mean_position" and list(result.mean_position.index) == [A, B, C]
    assert (result.mean_position[A], result.mean_position[C]) == (1.0, 0.0)
    assert 0.0 < result.mean_position[B] < 1.0


def test_rank_quantile_by_hand():
    # cumulative counts over ranks 1..4 of 10 samples: entity 0 is rank 1 in 4 samples, rank 2 in 2, rank 4 in 4
    cum = np.array([[4, 6, 6, 10], [0, 5, 10, 10]])
    assert sensitivity.rank_quantile(cum, 0.05).tolist() == [1, 2]   # 0.5 samples: reached at the first rank counted
    assert sensitivity.rank_quantile(cum, 0.5).tolist() == [2, 2]    # 5 samples: 6 >= 5 at rank 2; 5 >= 5 at rank 2
    assert sensitivity.rank_quantile(cum, 0.95).tolist() == [4, 3]   # 9.5 samples


def test_run_uncertainty_passes_its_options_to_monte_carlo():
    from analysis_utils.composite.indicators import run_uncertainty

    result, _warnings = run_uncertainty(ordered(), 20, 1, aggregations=("geometric",), drop_indicators=False)
    assert result.levels["aggregation"] == ["geometric"] and result.levels["dropped_indicator"] == ["none"]


def test_index_inputs_read_the_year_asked(data):
    from analysis_utils.composite.indicators import index_inputs
    from analysis_utils.errors import AnalysisError

    # the report gives the 11 indicators of 表2/表3, and the population that sizes them, for 2015 only; 表2 prints
    # "-" for three of Yuhang's (high-tech output, R&D expenditure, R&D intensity): 8 of 11, still >= one half
    districts = ["武昌区", "南山区", "余杭区"]
    y2015 = index_inputs(data, districts, 2015)
    assert y2015["n_values"].tolist() == [11, 11, 8] and y2015["ranked"].tolist() == [True] * 3
    with pytest.raises(AnalysisError) as err:
        index_inputs(data, districts, 2014)
    assert str(err.value) == ("武昌区 has no resident_population in 2014; the composite index needs it to size totals "
                              "per resident")
