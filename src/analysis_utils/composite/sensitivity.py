"""Uncertainty and sensitivity analysis of a composite index by Monte Carlo (Handbook step 7).

Each sample draws, independently and uniformly, one level of five factors: a perturbed weight vector,
a normalisation, an aggregation, one indicator to leave out (or none) and a censored/missing treatment.
Ranks are counted into an entities x ranks histogram chunk by chunk, so memory does not grow with
samples x entities; rank quantiles come from the cumulative histogram.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from tqdm import tqdm  # plain bar: hidden when stderr is not a terminal (papermill)

from analysis_utils.checks import check_choices, check_int, check_number, check_type
from analysis_utils.composite.index import (
    AGGREGATIONS,
    CENSORED_OPTIONS,
    MISSING_OPTIONS,
    NORMALISATIONS,
    CompositeResult,
    IndicatorMatrix,
    composite_index,
    normalise,
    pairwise_outcome,
    positive_for_geometric,
    rank_descending,
    score_terms,
    treat_censored_missing,
)
from analysis_utils.composite.weights import resolve_weights
from analysis_utils.errors import ParameterError

FACTORS = ("weights", "normalisation", "aggregation", "dropped_indicator", "treatment")
DEFAULT_TREATMENTS = (("bound", "mean"), ("bound", "median"), ("exclude", "mean"), ("bound", "worst"))
COPELAND_BUDGET = 5e9  # entities^2 x samples; ~40 s on the 2-core benchmark machine if all samples are Copeland
CHUNK_CELLS = 2_000_000  # samples x entities per chunk (~100 MB of temporaries)


@dataclass
class MonteCarloResult:
    """Rank distributions and first-order sensitivity indices of a composite index."""

    nominal: CompositeResult  # the deterministic index with the nominal choices
    rank_summary: pd.DataFrame  # entity: nominal_rank, median_rank, rank_p05, rank_p95, mean_rank
    rank_frequency: pd.DataFrame  # entity x rank (1..n): share of samples
    sensitivity: pd.DataFrame  # entity x factor: first-order index S_i of the entity's rank
    shift_sensitivity: pd.Series  # factor: S_i of the mean |rank - nominal rank| over entities
    samples: pd.DataFrame  # one row per sample: the level of each factor, mean_abs_rank_shift
    levels: dict  # factor -> list of its level labels
    weight_pool: pd.DataFrame  # draw x indicator: the perturbed weights before dropping/renormalising
    n_samples: int
    seed: int
    # entity x factor: first-order index S_i of the entity's relative position (s - min) / (max - min),
    # 0 = worst and 1 = best of its sample; it says which choice matters even when ranks never move
    position_sensitivity: pd.DataFrame = None
    mean_position: pd.Series = None  # entity: mean relative position over the samples

    @property
    def dominant_factor(self) -> pd.Series:
        """Per entity, the factor with the largest first-order index (NaN where the rank never moves)."""
        return self.sensitivity.dropna(how="all").idxmax(axis=1).reindex(self.sensitivity.index)


def monte_carlo(matrix: IndicatorMatrix, n_samples: int = 1000, seed: int = 0, *, weights=None,
                reference: str | None = None, normalisation: str = "minmax", aggregation: str = "arithmetic",
                censored: str = "bound", missing: str = "mean", normalisations=None,
                aggregations=("arithmetic", "geometric", "copeland"), treatments=DEFAULT_TREATMENTS,
                weight_spread: float = 0.25, weight_draws: int = 50, drop_indicators: bool = True,
                chunk_size: int | None = None, progress: bool | None = None) -> MonteCarloResult:
    """Propagate the modelling choices to the ranks and say which choice moves them most.

    Nominal: `composite_index(matrix, normalisation, aggregation, weights, censored, missing, reference)`.
    Factors, each drawn uniformly and independently per sample with numpy's Generator(seed):
      weights            one of `weight_draws` vectors w_i * U(1 - spread, 1 + spread), renormalised
                         (the +-25 % of JRC audits by default); a pool keeps the factor categorical;
      normalisation      from `normalisations` (default minmax, zscore, rank, and ratio if a reference);
      aggregation        from `aggregations` (copeland only while entities^2 x samples <= 5e9);
      dropped_indicator  "none" or one indicator left out (weights renormalised), if `drop_indicators`;
      treatment          a (censored, missing) pair from `treatments`.
    Ranks: 1 = best, ties share the best rank. Quantiles are inverted-CDF quantiles of the rank
    histogram. Sensitivity: a binned first-order index S_i = Var(E[Y | X_i]) / Var(Y) per factor,
    E[Y | X_i] being the mean over the samples at each level (all factors are categorical, so no
    binning error), bias-corrected (see `first_order_index`), for Y = each entity's rank and for
    Y = mean |rank - nominal rank| over entities. SALib is not used: its Sobol/Saltelli designs assume
    continuous factors and need (2 x factors + 2) x N runs. Same seed, same numbers.
    """
    nominal = composite_index(matrix, normalisation, aggregation, weights, censored, missing, reference)
    norms = _methods("normalisations", normalisations, reference)
    aggs = check_choices("aggregations", aggregations, AGGREGATIONS)
    treats = _treatments(treatments)
    _check_sizes(n_samples, seed, weight_spread, weight_draws)
    n, indicators = len(matrix.entities), matrix.indicators
    if "copeland" in aggs and n * n * n_samples > COPELAND_BUDGET:
        raise ParameterError("aggregations", list(aggs), f"'copeland' only while entities^2 x samples <= "
                             f"{COPELAND_BUDGET:.0e} (here {n}^2 x {n_samples}); for large sets use 'borda', the "
                             "weighted pairwise net wins in O(n log n)", code="too-costly")
    design = _Design(matrix, norms, aggs, treats, reference)
    rng = np.random.default_rng(seed)
    nominal_w = resolve_weights(weights, indicators).to_numpy()
    pool = nominal_w * rng.uniform(1 - weight_spread, 1 + weight_spread, (weight_draws, len(indicators)))
    drops = ["none"] + (list(indicators) if drop_indicators else [])
    sizes = [weight_draws, len(norms), len(aggs), len(drops), len(treats)]
    levels = np.stack([rng.integers(0, k, n_samples) for k in sizes], axis=1)
    keep = _keep_masks(design.kept, len(drops), nominal_w, drops)
    acc = _Accumulator(n, sizes, nominal.ranks.loc[matrix.entities].to_numpy())
    chunk = chunk_size or max(1, min(n_samples, CHUNK_CELLS // n))
    with tqdm(total=n_samples, disable=None if progress is None else not progress, unit="sample") as bar:
        for start in range(0, n_samples, chunk):
            lv = levels[start:start + chunk]
            w = pool[lv[:, 0]] * keep[lv[:, 4], lv[:, 3]]
            scores = design.scores(lv, w / w.sum(axis=1, keepdims=True))
            acc.add(lv, rank_descending(scores), relative_position(scores))
            bar.update(len(lv))
    labels = {"weights": [f"draw {k}" for k in range(weight_draws)], "normalisation": list(norms),
              "aggregation": list(aggs), "dropped_indicator": drops,
              "treatment": [f"{c}/{m}" for c, m in treats]}
    pool_table = pd.DataFrame(pool, index=labels["weights"], columns=indicators)
    return acc.result(nominal, matrix.entities, labels, pool_table, levels, seed)


def _methods(name, methods, reference):
    if methods is None:
        methods = ("minmax", "zscore", "rank") + (("ratio",) if reference is not None else ())
    return check_choices(name, methods, NORMALISATIONS)


def _treatments(treatments):
    pairs = tuple(tuple(t) for t in treatments)
    ok = all(len(t) == 2 and t[0] in CENSORED_OPTIONS and t[1] in MISSING_OPTIONS for t in pairs)
    if not pairs or not ok or len(set(pairs)) != len(pairs):
        raise ParameterError("treatments", list(treatments), f"distinct (censored, missing) pairs with censored "
                             f"in {CENSORED_OPTIONS} and missing in {MISSING_OPTIONS}")
    return pairs


def _check_sizes(n_samples, seed, weight_spread, weight_draws):
    check_int("n_samples", n_samples, 2)
    check_type("seed", seed, int, "an integer (the same seed gives the same numbers)")
    check_number("weight_spread", weight_spread, 0, 1, "a number", include_maximum=False)
    check_int("weight_draws", weight_draws, 1)


def _keep_masks(kept: np.ndarray, n_drops: int, nominal_w: np.ndarray, drops: list[str]) -> np.ndarray:
    """keep[t, d, i]: indicator i enters under treatment t with drop level d; each pair keeps a weight."""
    keep = np.repeat(kept[:, None, :], n_drops, axis=1).astype(float)
    for d in range(1, n_drops):
        keep[:, d, d - 1] = 0.0
    empty = np.argwhere((keep * nominal_w).sum(axis=2) <= 0)
    if len(empty):
        t, d = empty[0]
        raise ParameterError("treatments", f"treatment #{t} with dropped indicator {drops[d]!r}",
                             "choices that leave at least one indicator with a positive weight; "
                             "remove that treatment or set drop_indicators=False", code="constraint-error")
    return keep


class _Design:
    """Per (treatment, normalisation, aggregation) the table whose weighted sum scores each entity."""

    def __init__(self, matrix, norms, aggs, treats, reference):
        self.aggs, self.n_norms, self.n_aggs, self.n = aggs, len(norms), len(aggs), len(matrix.entities)
        self.kept = np.zeros((len(treats), len(matrix.indicators)), dtype=bool)
        self.tables = {}
        for t, (censored, missing) in enumerate(treats):
            treated, _ = treat_censored_missing(matrix, censored, missing)
            cols = [matrix.indicators.index(i) for i in treated.indicators]
            self.kept[t, cols] = True
            for k, method in enumerate(norms):
                norm = normalise(treated.values, method, reference, treated.direction)
                for a, agg in enumerate(aggs):
                    self.tables[t, k, a] = self._table(norm, method, agg, cols, len(matrix.indicators))

    @staticmethod
    def _table(norm, method, agg, cols, m):
        if agg == "geometric":
            norm = positive_for_geometric(norm, method)
        terms = score_terms(norm, "arithmetic" if agg == "copeland" else agg)  # copeland: the values
        full = np.zeros((terms.shape[0], m))
        full[:, cols] = terms
        return full

    def scores(self, lv: np.ndarray, w: np.ndarray) -> np.ndarray:
        """Scores (samples x entities) for the samples of a chunk, grouped by their table."""
        combo = (lv[:, 4] * self.n_norms + lv[:, 1]) * self.n_aggs + lv[:, 2]
        out = np.empty((len(lv), self.n))
        for key in np.unique(combo):
            rows = np.flatnonzero(combo == key)
            t, rest = divmod(int(key), self.n_norms * self.n_aggs)
            k, a = divmod(rest, self.n_aggs)
            table = self.tables[t, k, a]
            out[rows] = _copeland_batch(table, w[rows]) if self.aggs[a] == "copeland" else w[rows] @ table.T
        return out


def _copeland_batch(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Copeland scores (samples x entities) for weight rows w, in blocks of ~2e6 pairwise signs."""
    n, m = x.shape
    rows = max(1, 2_000_000 // (n * m))
    batch = max(1, 4_000_000 // (rows * n))
    out = np.empty((len(w), n))
    for start in range(0, n, rows):
        signs = np.sign(x[start:start + rows, None, :] - x[None, :, :]).reshape(-1, m)
        for s in range(0, len(w), batch):
            net = (signs @ w[s:s + batch].T).reshape(-1, n, len(w[s:s + batch]))  # e_ab - e_ba
            out[s:s + batch, start:start + rows] = pairwise_outcome(net).sum(axis=1).T
    return out


def relative_position(scores: np.ndarray) -> np.ndarray:
    """Each entity's place between the worst (0) and the best (1) score of its sample; 0.5 if all tie.

    Unlike a score it is comparable across normalisation and aggregation methods (unchanged by any
    increasing affine map of the scores), and unlike a rank it moves before the order changes.
    """
    low = scores.min(axis=1, keepdims=True)
    span = scores.max(axis=1, keepdims=True) - low
    return np.where(span > 0, (scores - low) / np.where(span > 0, span, 1.0), 0.5)


class _Accumulator:
    """Rank histogram, per-level rank sums and per-level position sums, updated chunk by chunk."""

    def __init__(self, n, sizes, nominal_ranks):
        self.n, self.sizes, self.nominal = n, sizes, nominal_ranks
        self.counts = np.zeros((n, n), dtype=np.int32)
        self.level_sums, self.shift = [np.zeros((k, n)) for k in sizes], []
        self.position_level_sums = [np.zeros((k, n)) for k in sizes]
        self.position_sum, self.position_sq = np.zeros(n), np.zeros(n)

    def add(self, lv: np.ndarray, ranks: np.ndarray, positions: np.ndarray) -> None:
        """Accumulate one chunk of samples: factor levels (samples × factors), ranks and relative positions (samples × entities)."""
        entity = np.arange(self.n)
        for row in ranks:  # one sample: each entity appears once, so fancy += is safe
            self.counts[entity, row - 1] += 1
        exact = np.float32 if len(lv) * self.n < 2 ** 24 else np.float64  # float32 sums exact below 2^24
        as_float = ranks.astype(exact)
        for f, k in enumerate(self.sizes):
            onehot = np.zeros((k, len(lv)), dtype=exact)
            onehot[lv[:, f], np.arange(len(lv))] = 1.0
            self.level_sums[f] += onehot @ as_float
            self.position_level_sums[f] += onehot.astype(np.float64) @ positions
        self.shift.append(np.abs(ranks - self.nominal).mean(axis=1))
        self.position_sum += positions.sum(axis=0)
        self.position_sq += (positions * positions).sum(axis=0)

    def result(self, nominal, entities, labels, pool, levels, seed) -> MonteCarloResult:
        """The accumulated samples summarised as a MonteCarloResult (rank quantiles, frequencies, sensitivity indices)."""
        n_samples = len(levels)
        rank = np.arange(1, self.n + 1, dtype=np.int64)
        self.total, self.total_sq = self.counts @ rank, self.counts @ (rank * rank)  # exact integers
        cum = np.cumsum(self.counts, axis=1, dtype=np.int64)
        summary = pd.DataFrame({
            "nominal_rank": nominal.ranks.loc[entities].to_numpy(),
            "median_rank": rank_quantile(cum, 0.5), "rank_p05": rank_quantile(cum, 0.05),
            "rank_p95": rank_quantile(cum, 0.95), "mean_rank": self.total / n_samples}, index=entities)
        freq = pd.DataFrame(self.counts / n_samples, index=entities, columns=pd.RangeIndex(1, self.n + 1, name="rank"))
        samples = pd.DataFrame({f: pd.Categorical.from_codes(levels[:, i], labels[f]) for i, f in enumerate(FACTORS)})
        samples["mean_abs_rank_shift"] = np.concatenate(self.shift)
        return MonteCarloResult(nominal, summary, freq, self._entity_indices(levels, entities),
                                _shift_indices(samples), samples, labels, pool, n_samples, seed,
                                self._position_indices(levels, entities),
                                pd.Series(self.position_sum / n_samples, index=entities, name="mean_position"))

    def _entity_indices(self, levels, entities) -> pd.DataFrame:
        n_samples = len(levels)
        sst = (n_samples * self.total_sq - self.total * self.total) / n_samples  # exact integer difference
        return _level_indices(self.level_sums, self.total / n_samples, sst, levels, entities)

    def _position_indices(self, levels, entities) -> pd.DataFrame:
        n_samples = len(levels)
        mean = self.position_sum / n_samples
        sst = self.position_sq - n_samples * mean * mean
        sst = np.where(sst > 1e-12 * n_samples, sst, 0.0)  # an entity always at 0 or 1 never moves
        return _level_indices(self.position_level_sums, mean, sst, levels, entities)


def _level_indices(level_sums, mean, sst, levels, entities) -> pd.DataFrame:
    """Entity x factor first-order indices from the per-level sums of Y (one array per factor)."""
    out = {}
    for f, sums in enumerate(level_sums):
        count = np.bincount(levels[:, f], minlength=len(sums))[:, None]
        used = count[:, 0] > 0
        ssb = (count[used] * (sums[used] / count[used] - mean) ** 2).sum(axis=0)
        out[FACTORS[f]] = first_order_index(ssb, sst, int(used.sum()), len(levels))
    return pd.DataFrame(out, index=entities)


def _shift_indices(samples: pd.DataFrame) -> pd.Series:
    y = samples["mean_abs_rank_shift"].to_numpy()
    sst = ((y - y.mean()) ** 2).sum() if np.ptp(y) > 0 else 0.0
    out = {}
    for f in FACTORS:
        codes = samples[f].cat.codes.to_numpy()
        count, sums = np.bincount(codes), np.bincount(codes, weights=y)
        used = count > 0
        ssb = (count[used] * (sums[used] / count[used] - y.mean()) ** 2).sum()
        out[f] = float(first_order_index(np.array([ssb]), np.array([sst]), int(used.sum()), len(y))[0])
    return pd.Series(out, name="first_order_index")


def first_order_index(ssb: np.ndarray, sst: np.ndarray, levels: int, n_samples: int) -> np.ndarray:
    """Binned first-order index Var(E[Y|X]) / Var(Y) from between/total sums of squares, bias-corrected.

    The plain ratio SSB / SST overstates by about (levels - 1) / n_samples x (1 - S); subtracting
    (levels - 1) x the within-level mean square (the epsilon-squared of one-way ANOVA) removes that.
    Clipped to [0, 1]; NaN where Y never varies (sst exactly 0).
    """
    sst = np.asarray(sst, dtype=float)
    msw = (sst - ssb) / max(n_samples - levels, 1)
    moves = sst > 0
    s = (ssb - (levels - 1) * msw) / np.where(moves, sst, 1.0)
    return np.where(moves, np.clip(s, 0.0, 1.0), np.nan)


def rank_quantile(cumulative: np.ndarray, q: float) -> np.ndarray:
    """Per entity, the smallest rank r whose cumulative count reaches q x samples (inverted CDF)."""
    total = cumulative[:, -1:]
    return (cumulative < q * total).sum(axis=1) + 1
