"""composite/sensitivity.py: the Monte Carlo uncertainty and sensitivity analysis of the composite index: seeds and
chunks, rank intervals and frequencies, first-order indices (against known cases, the Ishigami function's closed form
and SALib), position sensitivity, refusals; then the design, the accumulator and the indices worked by hand on small
SYNTHETIC matrices (every sample re-scored through composite_index, an independent path)."""
from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from analysis_utils.composite import sensitivity
from analysis_utils.composite.index import (
    AGGREGATIONS,
    NORMALISATIONS,
    DegenerateMethodWarning,
    IndicatorMatrix,
    composite_index,
)
from analysis_utils.composite.sensitivity import (
    FACTORS,
    first_order_index,
    monte_carlo,
    rank_quantile,
)
from analysis_utils.errors import ParameterError
from tests._support.composite import A, B, C, D, E, fields, five, ordered

pytestmark = pytest.mark.filterwarnings("ignore::analysis_utils.composite.index.DegenerateMethodWarning")


SIX = [f"SYNTHETIC_{c}" for c in "ABCDEF"]


def synthetic(n_entities: int = 6, n_indicators: int = 5, seed: int = 0, noise: float = 1.0) -> IndicatorMatrix:
    """Entity k has quality k + 1 plus noise on every indicator; one gap and one lower bound."""
    rng = np.random.default_rng(seed)
    names = SIX if n_entities == 6 else [f"SYNTHETIC_{k:03d}" for k in range(n_entities)]
    base = np.arange(1, n_entities + 1)[:, None] * 2.0 + 10.0
    values = pd.DataFrame(base + noise * rng.normal(size=(n_entities, n_indicators)), index=names,
                          columns=[f"ind_{i}" for i in range(n_indicators)])
    qualifier = pd.DataFrame("", index=values.index, columns=values.columns)
    values.iloc[0, 1] = np.nan
    qualifier.iloc[0, 1] = "missing"
    qualifier.iloc[-1, 0] = "gt"
    return IndicatorMatrix(values, qualifier, pd.Series(1, index=values.columns))


@pytest.fixture(scope="module")
def six():
    return synthetic()


@pytest.fixture(scope="module")
def run(six):
    return monte_carlo(six, 600, seed=11, reference=SIX[0], progress=False)


def test_same_seed_same_numbers_other_seed_other_numbers(six, run):
    again = monte_carlo(six, 600, seed=11, reference=SIX[0], progress=False)
    pd.testing.assert_frame_equal(run.rank_summary, again.rank_summary)
    pd.testing.assert_frame_equal(run.rank_frequency, again.rank_frequency)
    pd.testing.assert_frame_equal(run.sensitivity, again.sensitivity)
    pd.testing.assert_frame_equal(run.samples, again.samples)
    other = monte_carlo(six, 600, seed=12, reference=SIX[0], progress=False)
    assert not run.samples.equals(other.samples)
    assert not run.rank_frequency.equals(other.rank_frequency)


def test_chunking_does_not_change_the_numbers(six, run):
    chunked = monte_carlo(six, 600, seed=11, reference=SIX[0], chunk_size=7, progress=False)
    pd.testing.assert_frame_equal(run.rank_frequency, chunked.rank_frequency)
    pd.testing.assert_frame_equal(run.sensitivity, chunked.sensitivity)
    pd.testing.assert_series_equal(run.shift_sensitivity, chunked.shift_sensitivity)


def test_rank_intervals_contain_the_nominal_ranks(run):
    s = run.rank_summary
    assert ((s.rank_p05 <= s.nominal_rank) & (s.nominal_rank <= s.rank_p95)).all(), s
    assert ((s.rank_p05 <= s.median_rank) & (s.median_rank <= s.rank_p95)).all()
    assert s.nominal_rank.tolist() == run.nominal.ranks.tolist()


def test_rank_frequency_is_a_distribution(run):
    freq = run.rank_frequency
    assert freq.shape == (6, 6) and list(freq.columns) == list(range(1, 7))
    assert freq.sum(axis=1).to_numpy() == pytest.approx(np.ones(6))
    mean_from_freq = (freq * np.arange(1, 7)).sum(axis=1)
    assert mean_from_freq.to_numpy() == pytest.approx(run.rank_summary.mean_rank.to_numpy())


def test_indices_lie_in_unit_interval(run):
    values = np.concatenate([run.sensitivity.to_numpy().ravel(), run.shift_sensitivity.to_numpy()])
    values = values[~np.isnan(values)]
    assert ((values >= 0) & (values <= 1)).all()
    assert list(run.sensitivity.columns) == list(FACTORS) and list(run.shift_sensitivity.index) == list(FACTORS)
    assert len(run.samples) == 600 and set(FACTORS) < set(run.samples.columns)


def test_dominant_factor_on_a_case_where_only_the_treatment_matters():
    # Two entities. A wins i1 and i2 only through its lower bounds ">100" (B has 50); B wins i3.
    # Keeping the bounds, A holds 2/3 of the weight, and even with +-25 % weights at least
    # 1.5 / 2.75 > 1/2, so every normalisation and aggregation ranks A first; dropping the censored
    # indicators leaves i3 alone and B first. Only the treatment moves the ranks.
    a, b = "SYNTHETIC_A", "SYNTHETIC_B"
    values = pd.DataFrame({"i1": [100.0, 50.0], "i2": [100.0, 50.0], "i3": [1.0, 2.0]}, index=[a, b])
    qualifier = pd.DataFrame({"i1": ["gt", ""], "i2": ["ge", ""], "i3": ["", ""]}, index=[a, b])
    m = IndicatorMatrix(values, qualifier, pd.Series(1, index=values.columns))
    res = monte_carlo(m, 2000, seed=5, normalisations=("minmax", "zscore", "rank"), aggregations=AGGREGATIONS,
                      treatments=(("bound", "mean"), ("drop_indicator", "drop_indicator")),
                      drop_indicators=False, progress=False)
    assert res.shift_sensitivity["treatment"] > 0.95
    assert res.shift_sensitivity.drop("treatment").max() < 0.05
    assert res.dominant_factor.tolist() == ["treatment", "treatment"]
    assert (res.sensitivity["treatment"] > 0.95).all()


@pytest.mark.parametrize("aggregation", AGGREGATIONS)
@pytest.mark.parametrize("normalisation", NORMALISATIONS)
def test_monte_carlo_without_uncertainty_reproduces_the_nominal_index(normalisation, aggregation):
    m = synthetic(7, 4, seed=3, noise=4.0)
    res = monte_carlo(m, 20, seed=0, reference="SYNTHETIC_000", normalisation=normalisation,
                      aggregation=aggregation, normalisations=(normalisation,), aggregations=(aggregation,),
                      treatments=(("bound", "mean"),), weight_spread=0.0, drop_indicators=False,
                      chunk_size=6, progress=False)
    nominal = res.nominal.ranks
    for entity, rank in nominal.items():
        assert res.rank_frequency.loc[entity, rank] == 1.0
    assert res.sensitivity.isna().all().all()


def test_rank_quantile_is_the_inverted_cdf():
    rng = np.random.default_rng(0)
    ranks = rng.integers(1, 6, size=(1000, 4))  # q x 1000 is a whole number: the boundary case
    counts = np.stack([np.bincount(ranks[:, e] - 1, minlength=5) for e in range(4)])
    for q in (0.05, 0.5, 0.95):
        expected = np.quantile(ranks, q, axis=0, method="inverted_cdf")
        assert rank_quantile(np.cumsum(counts, axis=1), q).tolist() == expected.tolist()
    # Half the samples at rank 1, half at rank 2: the cumulative share reaches exactly 0.5 at rank 1.
    assert rank_quantile(np.cumsum([[500, 500]], axis=1), 0.5).tolist() == [1]
    assert np.quantile([1] * 500 + [2] * 500, 0.5, method="inverted_cdf") == 1


def binned_index(x: np.ndarray, y: np.ndarray) -> float:
    levels = np.unique(x)
    ssb = sum((x == k).sum() * (y[x == k].mean() - y.mean()) ** 2 for k in levels)
    sst = ((y - y.mean()) ** 2).sum()
    return float(first_order_index(np.array([ssb]), np.array([sst]), len(levels), len(y))[0])


def test_first_order_index_known_cases():
    rng = np.random.default_rng(1)
    x = rng.integers(0, 4, 4000)
    assert binned_index(x, x * 1.0) == pytest.approx(1.0)
    # Var(x) = 1.25 for 4 equally likely levels; adding noise of variance 1.25 halves the index.
    assert 0.45 <= binned_index(x, x + rng.normal(scale=np.sqrt(1.25), size=4000)) <= 0.55
    # 200 levels, 1000 samples, y unrelated to x: the raw SSB/SST would be about 199/1000 = 0.2.
    many = rng.integers(0, 200, 1000)
    assert binned_index(many, rng.normal(size=1000)) < 0.06


def test_copeland_refused_beyond_its_budget(six, monkeypatch):
    monkeypatch.setattr(sensitivity, "COPELAND_BUDGET", 100)
    with pytest.raises(ParameterError) as err:
        monte_carlo(six, 10, aggregations=("arithmetic", "copeland"), progress=False)
    assert err.value.code == "too-costly" and "borda" in str(err.value)


@pytest.mark.parametrize("kwargs, name", [
    (dict(normalisations=("minmax", "softmax")), "normalisations"),
    (dict(aggregations=()), "aggregations"),
    (dict(treatments=(("bound", "guess"),)), "treatments"),
    (dict(n_samples=1), "n_samples"),
    (dict(seed="x"), "seed"),
    (dict(weight_spread=1.5), "weight_spread"),
])
def test_bad_parameters(six, kwargs, name):
    args = dict(n_samples=10, progress=False) | kwargs
    with pytest.raises(ParameterError) as err:
        monte_carlo(six, **args)
    assert err.value.name == name


def test_dropping_the_last_indicator_is_refused():
    m = synthetic(6, 2)  # ind_1 has a gap: ("bound", "drop_indicator") keeps ind_0 only
    with pytest.raises(ParameterError, match="at least one indicator"):
        monte_carlo(m, 10, treatments=(("bound", "drop_indicator"),), progress=False)


def test_three_entities_with_the_defaults_warn_about_minmax():
    # The report's case: three districts, ratio to a reference, Copeland among the aggregations.
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        res = monte_carlo(synthetic(3, 2), 50, reference="SYNTHETIC_000", progress=False)
    assert any(issubclass(w.category, DegenerateMethodWarning) and "minmax with 3" in str(w.message)
               for w in caught)
    assert set(res.levels["normalisation"]) == {"minmax", "zscore", "rank", "ratio"}
    assert "copeland" in res.levels["aggregation"] and res.weight_pool.shape == (50, 2)


def test_relative_position_by_hand():
    # scores 1, 3, 2: worst 1 -> 0, best 3 -> 1, 2 is halfway; all tied -> 0.5
    pos = sensitivity.relative_position(np.array([[1.0, 3.0, 2.0], [2.0, 2.0, 2.0]]))
    assert pos.tolist() == [[0.0, 1.0, 0.5], [0.5, 0.5, 0.5]]
    # unchanged by an increasing affine map, so comparable across normalisations
    scores = np.array([[0.3, 0.9, 0.4, 0.1]])
    assert np.allclose(sensitivity.relative_position(scores), sensitivity.relative_position(10 * scores + 3))


def test_position_sensitivity_names_the_only_factor_that_varies():
    # SYNTHETIC: A leads on x, B on y, C is even; weights decide where C sits between them.
    values = pd.DataFrame({"x": [1.0, 0.0, 0.55, 0.1], "y": [0.0, 1.0, 0.55, 0.1]},
                          index=["SYNTHETIC_A", "SYNTHETIC_B", "SYNTHETIC_C", "SYNTHETIC_D"])
    matrix = IndicatorMatrix(values, pd.DataFrame("", index=values.index, columns=values.columns),
                             pd.Series(1, index=values.columns))
    result = monte_carlo(matrix, 600, seed=3, normalisation="zscore", normalisations=("zscore",),
                         aggregations=("arithmetic",), treatments=(("bound", "mean"),), drop_indicators=False,
                         progress=False)
    moving = result.position_sensitivity.dropna(how="all")
    assert "SYNTHETIC_C" in moving.index  # its position moves with the weights
    assert (moving["weights"] > 0.9).all()
    assert (moving.drop(columns="weights").fillna(0).abs() < 1e-9).all().all()  # single-level factors: nothing to explain
    assert result.mean_position.between(0, 1).all()


def test_position_sensitivity_is_nan_for_an_entity_always_at_an_end(run):
    always_best = run.rank_summary.index[(run.rank_summary["rank_p05"] == 1) & (run.rank_summary["rank_p95"] == 1)]
    for entity in always_best:
        assert run.position_sensitivity.loc[entity].isna().all()
        assert run.mean_position[entity] == 1.0


# --- Oracle: the Ishigami function, whose first-order indices are known in closed form --------------
# Y = sin X1 + a sin² X2 + b X3⁴ sin X1, Xi ~ U(−π, π), a = 7, b = 0.1 (Ishigami & Homma 1990;
# Saltelli et al. 2008, Global Sensitivity Analysis: The Primer, §4.9):
#   V  = a²/8 + b π⁴/5 + b² π⁸/18 + 1/2 = 6.125 + 1.948182 + 5.271406 + 0.5 = 13.844588
#   V1 = (1 + b π⁴/5)² / 2 = 2.948182² / 2 = 4.345888        -> S1 = 0.3139
#   V2 = a²/8 = 6.125                                         -> S2 = 0.4424
#   V3 = 0 (X3 acts only together with X1)                    -> S3 = 0
ISHIGAMI_A, ISHIGAMI_B = 7.0, 0.1
ISHIGAMI_PROBLEM = {"num_vars": 3, "names": ["x1", "x2", "x3"], "bounds": [[-np.pi, np.pi]] * 3}


def ishigami_indices(a: float = ISHIGAMI_A, b: float = ISHIGAMI_B) -> np.ndarray:
    v1 = (1 + b * np.pi ** 4 / 5) ** 2 / 2
    v2 = a ** 2 / 8
    v = a ** 2 / 8 + b * np.pi ** 4 / 5 + b ** 2 * np.pi ** 8 / 18 + 0.5
    return np.array([v1, v2, 0.0]) / v


def ishigami(x: np.ndarray) -> np.ndarray:
    return np.sin(x[:, 0]) + ISHIGAMI_A * np.sin(x[:, 1]) ** 2 + ISHIGAMI_B * x[:, 2] ** 4 * np.sin(x[:, 0])


def binned_indices(x: np.ndarray, y: np.ndarray, bins: int) -> np.ndarray:
    """Our estimator on a continuous input: equal-width bins of [−π, π] as the levels."""
    out = []
    for column in x.T:
        level = np.minimum(((column + np.pi) / (2 * np.pi) * bins).astype(int), bins - 1)
        count = np.bincount(level, minlength=bins)
        means = np.bincount(level, weights=y, minlength=bins) / count
        ssb = (count * (means - y.mean()) ** 2).sum()
        sst = ((y - y.mean()) ** 2).sum()
        out.append(first_order_index(np.array([ssb]), np.array([sst]), bins, len(y))[0])
    return np.array(out)


@pytest.fixture(scope="module")
def ishigami_sample():
    from SALib.sample import latin

    x = latin.sample(ISHIGAMI_PROBLEM, 2 ** 16, seed=1)
    return x, ishigami(x)


def test_ishigami_closed_form():
    # the closed form above, written out: 4.345888 / 13.844588 and 6.125 / 13.844588
    assert ishigami_indices() == pytest.approx([0.3139, 0.4424, 0.0], abs=5e-5)


def test_our_function_is_salibs_ishigami(ishigami_sample):
    from SALib.test_functions import Ishigami

    x, y = ishigami_sample
    assert np.allclose(Ishigami.evaluate(x, A=ISHIGAMI_A, B=ISHIGAMI_B), y)


def test_first_order_index_on_ishigami_matches_the_closed_form(ishigami_sample):
    x, y = ishigami_sample
    ours = binned_indices(x, y, bins=128)
    assert ours == pytest.approx([0.3139, 0.4424, 0.0], abs=0.01)


def test_first_order_index_on_ishigami_matches_salib(ishigami_sample):
    """The same samples through SALib's RBD-FAST (documented as compatible with all samplers)."""
    from SALib.analyze import rbd_fast

    x, y = ishigami_sample
    salib = np.asarray(rbd_fast.analyze(ISHIGAMI_PROBLEM, x, y, num_resamples=10, seed=1)["S1"])
    assert salib == pytest.approx([0.3139, 0.4424, 0.0], abs=0.01)
    # two estimators, one sample: their difference is far below the sampling error of either
    assert binned_indices(x, y, bins=128) == pytest.approx(salib, abs=0.005)


# --- the design, the accumulator and the indices, by hand -------------------------------------------
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
