"""Composite index of indicators, one step per function, after the JRC/OECD Handbook (2008).

Handbook on Constructing Composite Indicators (Nardo et al., OECD/JRC 2008), Part I checklist:
step 3 imputation of missing data -> `treat_censored_missing`; step 5 normalisation -> `normalise`;
step 6 weighting and aggregation -> `weights.resolve_weights`, `aggregate`, `contributions`;
step 7 uncertainty and sensitivity -> `analysis_utils.sensitivity.monte_carlo`.
Where the Handbook leaves a choice open we follow COINr (Becker et al.), named at each place.
`composite_index` chains the steps and returns a `CompositeResult`.
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from analysis_utils.checks import check_choice
from analysis_utils.data.qualifiers import QualifierTable, packaged_qualifiers
from analysis_utils.errors import AnalysisError, ParameterError
from analysis_utils.composite.weights import resolve_weights, weights_in_use  # importable from here too

# Which code is exact, a lower or an upper bound is read from the qualifiers table (data/qualifiers.py):
# the matrix's own table (a dataset's, via indicator_matrix) or the packaged qualifiers.csv.
MATRIX_KINDS = ("exact", "lower", "upper", "missing")  # a range cell has no single value: give it as missing

CENSORED_OPTIONS = ("bound", "exclude", "drop_indicator")
MISSING_OPTIONS = ("drop_indicator", "mean", "median", "min", "worst", "zero")
NORMALISATIONS = ("ratio", "minmax", "zscore", "rank")
AGGREGATIONS = ("arithmetic", "geometric", "borda", "copeland")
GEOMETRIC_RANGE = (1.0, 100.0)  # COINr's advice: min-max onto [1, 100] before a geometric mean
ALL_ENTITIES = "(all)"
RECORD_COLUMNS = ["entity", "indicator", "qualifier", "before", "after", "action"]


class DegenerateMethodWarning(UserWarning):
    """Warned when a normalisation carries little or no information for the data it is given."""


def _fail(message: str) -> None:
    raise AnalysisError(message)


def _cells(mask: pd.DataFrame, limit: int = 10) -> str:
    """List up to `limit` (entity, indicator) cells where mask is true, for error messages."""
    stacked = mask.stack()
    cells = [f"{e}/{i}" for e, i in stacked[stacked].index[:limit]]
    more = int(stacked.sum()) - len(cells)
    return ", ".join(cells) + (f" … and {more} more" if more > 0 else "")


@dataclass
class IndicatorMatrix:
    """Entities x indicators with a qualifier code per cell and a direction per indicator.

    ``qualifiers`` says what each code means (default: the packaged qualifiers.csv); a code must be
    known there and of class exact, lower, upper or missing (``MATRIX_KINDS``).
    """

    values: pd.DataFrame  # index entity, columns indicator id, float; NaN where missing
    qualifier: pd.DataFrame  # same labels; codes of the qualifiers table
    direction: pd.Series  # indicator id -> +1 (higher is better) or -1 (lower is better)
    qualifiers: QualifierTable | None = None  # None: the packaged table

    def __post_init__(self):
        v, q, d = self.values, self.qualifier, self.direction
        if not (isinstance(v, pd.DataFrame) and isinstance(q, pd.DataFrame) and isinstance(d, pd.Series)):
            _fail("IndicatorMatrix needs values and qualifier as DataFrames and direction as a Series")
        if v.shape[0] == 0 or v.shape[1] == 0:
            _fail(f"IndicatorMatrix is empty: {v.shape[0]} entities x {v.shape[1]} indicators")
        for what, labels in (("entity", v.index), ("indicator", v.columns)):
            if labels.has_duplicates:
                _fail(f"duplicate {what} labels in values: {sorted(set(labels[labels.duplicated()]))[:10]}")
        if set(q.index) != set(v.index) or set(q.columns) != set(v.columns) or q.shape != v.shape:
            _fail(f"qualifier labels do not match values: qualifier {q.shape}, values {v.shape}; "
                  f"entities only in one: {sorted(set(q.index) ^ set(v.index))[:10]}, "
                  f"indicators only in one: {sorted(set(q.columns) ^ set(v.columns))[:10]}")
        if set(d.index) != set(v.columns) or d.index.has_duplicates:
            _fail(f"direction must name each indicator once; got {list(d.index)[:12]}, "
                  f"indicators are {list(v.columns)[:12]}")
        self.values = self._numeric(v)
        self.qualifier = q.loc[v.index, v.columns].fillna("").astype(str)
        self.direction = self._directions(d.loc[v.columns])
        if self.qualifiers is None:
            self.qualifiers = packaged_qualifiers()
        self._check_codes()

    @staticmethod
    def _numeric(v: pd.DataFrame) -> pd.DataFrame:
        try:
            return v.astype("float64")
        except (TypeError, ValueError) as exc:
            _fail(f"values must be numeric (NaN where missing): {exc}")

    @staticmethod
    def _directions(d: pd.Series) -> pd.Series:
        bad = d[~d.isin([1, -1])]
        if len(bad):
            _fail(f"direction must be +1 or -1 (context-only indicators, direction 0, cannot enter "
                  f"a composite): got {bad.to_dict()}")
        return d.astype("int64")

    def _check_codes(self) -> None:
        q, missing = self.qualifier, self.values.isna()
        allowed = self.qualifiers.codes(*MATRIX_KINDS)
        unknown = ~q.isin(allowed)
        if unknown.to_numpy().any():
            _fail(f"unknown qualifier codes {sorted(set(q[unknown].stack()))} at {_cells(unknown)}; "
                  f"expected one of {list(allowed)} (classes {list(MATRIX_KINDS)} in the qualifiers table)")
        if (bad := missing ^ (q == "missing")).to_numpy().any():
            _fail(f"qualifier 'missing' must go with a NaN value and only with it; mismatch at {_cells(bad)}")

    @property
    def entities(self) -> list[str]:
        """The row labels (entities), in order."""
        return list(self.values.index)

    @property
    def indicators(self) -> list[str]:
        """The column labels (indicator ids), in order."""
        return list(self.values.columns)


# --- Step 3: censored and missing cells --------------------------------------------------------

def treat_censored_missing(matrix: IndicatorMatrix, censored: str = "bound",
                           missing: str = "mean") -> tuple[IndicatorMatrix, pd.DataFrame]:
    """Treat censored then missing cells (Handbook step 3, imputation; single imputation only).

    censored — cells whose qualifier is a bound in the qualifiers table (">200", 余, 不低于: lower;
      以下, 最高, 近: upper — the true value is <= the printed one):
      "bound"          use the printed bound as the value (conservative for a lower bound);
      "exclude"        treat the cell as missing, then apply `missing`;
      "drop_indicator" drop every indicator that has a censored cell.
    missing — cells with no value (after "exclude"):
      "drop_indicator" drop every indicator that has a missing cell;
      "mean" / "median" the indicator's mean / median over the entities that have a value;
      "min"            the indicator's smallest observed value (favourable if lower is better);
      "worst"          the worst observed value given the direction (min, or max if lower is better);
      "zero"           0.
    Exact cells other than plain numbers (约: approx) are used as printed. An indicator left with no observed value is
    dropped. Returns the treated matrix (treated cells get qualifier "") and a record with one row
    per treated cell or dropped indicator: entity, indicator, qualifier, before, after, action.
    """
    check_choice("censored", censored, CENSORED_OPTIONS)
    check_choice("missing", missing, MISSING_OPTIONS)
    values, qual, record = matrix.values.copy(), matrix.qualifier.copy(), []
    for ind in matrix.indicators:
        _treat_indicator(ind, values, qual, matrix.direction[ind], censored, missing, record, matrix.qualifiers)
    kept = [i for i in matrix.indicators if i in values.columns]
    if not kept:
        _fail(f"censored={censored!r}, missing={missing!r} drops every indicator; choose another treatment")
    treated = IndicatorMatrix(values[kept], qual[kept], matrix.direction[kept], matrix.qualifiers)
    return treated, pd.DataFrame(record, columns=RECORD_COLUMNS)


def _treat_indicator(ind, values, qual, direction, censored, missing, record, qualifiers) -> None:
    """Treat one indicator column in place (deleting it from values and qual when it is dropped)."""
    col, codes = values[ind], qual[ind]
    approximate = [c for c in qualifiers.codes("exact") if not qualifiers[c].is_plain]
    for ent in codes.index[codes.isin(approximate)]:
        record.append([ent, ind, codes[ent], col[ent], col[ent], "approximate value used as printed"])
    bounds = codes.index[codes.isin(qualifiers.codes("lower", "upper"))]
    if len(bounds) and censored == "drop_indicator":
        return _drop(ind, values, qual, record, f"dropped: {len(bounds)} censored cell(s)")
    for ent in bounds:
        side = qualifiers.kind(codes[ent])
        if censored == "bound":
            record.append([ent, ind, codes[ent], col[ent], col[ent], f"{side} bound used as the value"])
        else:
            record.append([ent, ind, codes[ent], col[ent], np.nan, f"{side} bound excluded, set missing"])
    if len(bounds):
        if censored == "exclude":
            values.loc[bounds, ind] = np.nan
        qual.loc[bounds, ind] = "" if censored == "bound" else "missing"
    _impute(ind, values, qual, direction, missing, record)


def _impute(ind, values, qual, direction, missing, record) -> None:
    col = values[ind]
    gaps = col.index[col.isna()]
    if len(gaps) == 0:
        return
    observed = col.dropna()
    if observed.empty:
        return _drop(ind, values, qual, record, "dropped: no observed value")
    if missing == "drop_indicator":
        return _drop(ind, values, qual, record, f"dropped: {len(gaps)} missing cell(s)")
    worst = observed.min() if direction > 0 else observed.max()
    fill = {"mean": observed.mean(), "median": observed.median(), "min": observed.min(),
            "worst": worst, "zero": 0.0}[missing]
    action = f"imputed: {missing} of {len(observed)} observed value(s)"
    record.extend([ent, ind, "missing", np.nan, fill, action] for ent in gaps)
    values.loc[gaps, ind] = fill
    qual.loc[gaps, ind] = ""


def _drop(ind, values, qual, record, action) -> None:
    record.append([ALL_ENTITIES, ind, "", np.nan, np.nan, action])
    del values[ind]
    del qual[ind]


# --- Step 5: normalisation ---------------------------------------------------------------------

def normalise(values: pd.DataFrame, method: str, reference: str | None = None,
              direction: pd.Series | None = None) -> pd.DataFrame:
    """Normalise each indicator so that higher is better (Handbook step 5, normalisation).

    "ratio"  x / x_ref, the reference entity scores 1 ("distance to a reference"); lower-is-better: x_ref / x.
    "minmax" (x - min) / (max - min) onto [0, 1]; lower-is-better: (max - x) / (max - min).
    "zscore" (x - mean) / sd with the sample sd (ddof=1, as R's sd() in COINr); lower-is-better: -z.
    "rank"   rank 1..n from worst to best, ties share the average rank.
    A constant indicator gets the neutral value (minmax 0.5, zscore 0, rank (n+1)/2, ratio 1).
    Warns `DegenerateMethodWarning` when the method carries little information: min-max with <= 3
    entities, z-score with < 3, a constant indicator, a ratio whose reference value is 0 (that column
    becomes NaN) or a lower-is-better ratio with a 0 value (inf).
    """
    check_choice("normalisation", method, NORMALISATIONS)
    sign = np.ones(values.shape[1]) if direction is None else direction.loc[values.columns].to_numpy(float)
    x = values.to_numpy(dtype=float)
    constant = np.nanmax(x, axis=0) == np.nanmin(x, axis=0)
    _warn_degenerate(method, values, constant)
    if method == "ratio":
        out = _ratio(values, x, sign, reference)
    elif method == "minmax":
        lo, hi = np.nanmin(x, axis=0), np.nanmax(x, axis=0)
        span = np.where(constant, 1.0, hi - lo)
        out = np.where(sign > 0, x - lo, hi - x) / span
        out[:, constant] = 0.5
    elif method == "zscore":
        sd = np.nanstd(x, axis=0, ddof=1) if len(x) > 1 else np.zeros(x.shape[1])
        out = sign * (x - np.nanmean(x, axis=0)) / np.where(constant | (sd == 0), 1.0, sd)
        out[:, constant] = 0.0
    else:
        out = _average_ranks(x * sign)
    return pd.DataFrame(out, index=values.index, columns=values.columns)


def _ratio(values: pd.DataFrame, x: np.ndarray, sign: np.ndarray, reference) -> np.ndarray:
    if reference not in values.index:
        raise ParameterError("reference", reference, "an entity of the matrix for the ratio normalisation, "
                             f"e.g. {list(values.index)[:5]}", code="unknown-entity")
    ref = x[values.index.get_loc(reference)]
    zero_ref = ref == 0
    if zero_ref.any():
        _warn(f"ratio: reference {reference!r} has value 0 on {list(values.columns[zero_ref])}; "
              "those indicators become NaN")
    zero_x = (x == 0) & (sign < 0) & ~zero_ref
    if zero_x.any():
        _warn(f"ratio: a lower-is-better value of 0 gives an infinite ratio at "
              f"{_cells(pd.DataFrame(zero_x, index=values.index, columns=values.columns))}")
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(sign > 0, x / ref, ref / x)
    out[:, zero_ref] = np.nan
    return out


def _average_ranks(x: np.ndarray) -> np.ndarray:
    """Ascending ranks 1..n per column, ties averaged (scipy's rankdata 'average')."""
    from scipy.stats import rankdata

    return rankdata(x, method="average", axis=0)


def _warn_degenerate(method: str, values: pd.DataFrame, constant: np.ndarray) -> None:
    n = len(values)
    if method == "minmax" and n <= 3:
        _warn(f"minmax with {n} entities puts the best at 1 and the worst at 0 on every indicator; "
              "only a middle entity carries information")
    if method == "zscore" and n < 3:
        _warn(f"zscore with {n} entities: every indicator becomes +-{1 / np.sqrt(2):.3f}, a pure sign")
    if constant.any():
        _warn(f"{method}: indicator(s) {list(values.columns[constant])} are constant and carry no information")


def _warn(message: str) -> None:
    warnings.warn(message, DegenerateMethodWarning, stacklevel=4)


def positive_for_geometric(normalised: pd.DataFrame, method: str) -> pd.DataFrame:
    """Make normalised values strictly positive for a geometric mean (Handbook step 6).

    minmax and zscore can give 0 or negative values, so each indicator is rescaled by min-max onto
    [1, 100] (COINr's advice for geometric aggregation); zscore is therefore ranked like minmax under a
    geometric mean. ratio and rank values are used as they are (ranks are >= 1; ratios are > 0
    unless a value is 0, which `aggregate` then refuses).
    """
    if method not in ("minmax", "zscore"):
        return normalised
    x = normalised.to_numpy(dtype=float)
    lo, hi = x.min(axis=0), x.max(axis=0)
    span = np.where(hi > lo, hi - lo, 1.0)
    scaled = np.where(hi > lo, (x - lo) / span, 0.5)
    low, high = GEOMETRIC_RANGE
    return pd.DataFrame(low + (high - low) * scaled, index=normalised.index, columns=normalised.columns)


# --- Step 6: aggregation -----------------------------------------------------------------------

def aggregate(normalised: pd.DataFrame, weights: pd.Series, method: str) -> pd.Series:
    """Composite score per entity, higher is better (Handbook step 6, aggregation).

    "arithmetic" sum_i w_i x_i (fully compensatory).
    "geometric"  prod_i x_i^w_i; needs x > 0 (see `positive_for_geometric`).
    "borda"      weighted Borda count as net pairwise wins: sum_b sum_i w_i (P_abi - P_bai), P 1 if a beats
                 b on i, 1/2 on a tie; equal to sum_i w_i (2 avg_rank_i(a) - (n + 1)), O(n log n).
    "copeland"   non-compensatory (Munda & Nardo; COINr a_copeland): outranking e_ab = sum_i w_i P_abi;
                 a wins the pair if e_ab > e_ba; score = pairs won - pairs lost. O(n^2 x indicators).
    """
    check_choice("aggregation", method, AGGREGATIONS)
    w = weights.loc[normalised.columns].to_numpy(dtype=float)
    if method == "copeland":
        score = copeland_scores(_finite(normalised), w)
    else:
        score = score_terms(normalised, method) @ w
        score = np.exp(score) if method == "geometric" else score
    return pd.Series(score, index=normalised.index, name="score")


def score_terms(normalised: pd.DataFrame, method: str) -> np.ndarray:
    """Per entity and indicator, the term whose weighted sum is the score.

    x (arithmetic), ln x (geometric: the score is exp of the sum), net pairwise wins (borda; also
    what `contributions` shows for copeland).
    """
    x = _finite(normalised)
    if method == "arithmetic":
        return x
    if method == "geometric":
        if (x <= 0).any():
            _fail("geometric aggregation needs strictly positive normalised values; non-positive at "
                  f"{_cells(normalised <= 0)}")
        return np.log(x)
    return borda_terms(x)


def _finite(normalised: pd.DataFrame) -> np.ndarray:
    x = normalised.to_numpy(dtype=float)
    if not np.isfinite(x).all():
        _fail("normalised values must be finite; NaN or inf at "
              f"{_cells(~np.isfinite(normalised.astype(float)))} (a ratio to a reference value 0?)")
    return x


def borda_terms(x: np.ndarray) -> np.ndarray:
    """Per indicator, net pairwise wins of each entity: #{b beaten} - #{b beating}, ties count 0.

    Identity: with average ascending ranks r, wins - losses = 2 r - (n + 1).
    """
    return 2.0 * _average_ranks(x) - (x.shape[0] + 1)


def copeland_scores(x: np.ndarray, w: np.ndarray, block: int = 256) -> np.ndarray:
    """Copeland scores from the weighted outranking matrix, built in blocks of rows to bound memory."""
    n, scores = x.shape[0], np.empty(x.shape[0])
    for start in range(0, n, block):
        rows = x[start:start + block]
        net = np.zeros((len(rows), n))  # e_ab - e_ba
        for i in range(x.shape[1]):
            net += w[i] * np.sign(rows[:, i, None] - x[None, :, i])
        scores[start:start + block] = pairwise_outcome(net).sum(axis=1)
    return scores


def pairwise_outcome(net: np.ndarray) -> np.ndarray:
    """+1 / 0 / -1 from e_ab - e_ba; sums of float weights within 1e-12 of 0 count as a tie."""
    return np.where(np.abs(net) <= 1e-12, 0.0, np.sign(net))


def contributions(normalised: pd.DataFrame, weights: pd.Series, method: str) -> pd.DataFrame:
    """Each indicator's part of each entity's score.

    arithmetic: w_i x_i, summing to the score. geometric: w_i ln x_i, summing to ln(score) (the
    log-share of indicator i is this over ln(score)). borda and copeland: the weighted net pairwise
    wins w_i (2 r_i - (n + 1)); they sum to the Borda score; for Copeland, whose majority rule is not
    additive, they show which indicators win the pairwise comparisons, not a split of its score.
    """
    w = weights.loc[normalised.columns].to_numpy(dtype=float)
    parts = score_terms(normalised, "borda" if method == "copeland" else method) * w
    return pd.DataFrame(parts, index=normalised.index, columns=normalised.columns)


def rank_descending(scores: np.ndarray) -> np.ndarray:
    """Ranks along the last axis, 1 = highest score; scores within 1e-9 (relative) share the best rank."""
    scores = np.atleast_2d(scores)
    order = np.argsort(-scores, axis=1)  # order among equal scores is irrelevant: they share a rank
    ordered = np.take_along_axis(scores, order, axis=1)
    tol = 1e-9 * np.maximum(1.0, np.abs(ordered).max(axis=1, keepdims=True))
    new = np.ones(ordered.shape, dtype=bool)
    new[:, 1:] = (ordered[:, :-1] - ordered[:, 1:]) > tol
    position = np.arange(1, scores.shape[1] + 1, dtype=np.int32)
    ranked = np.maximum.accumulate(np.where(new, position, 0), axis=1).astype(np.int32)
    ranks = np.empty_like(ranked)
    np.put_along_axis(ranks, order, ranked, axis=1)
    return ranks


# --- Chain ---------------------------------------------------------------------------------------

@dataclass
class CompositeResult:
    """One composite index: scores, ranks (1 = best), contributions and how the data were treated."""

    scores: pd.Series
    ranks: pd.Series
    contributions: pd.DataFrame
    normalised: pd.DataFrame  # as aggregated (after the [1, 100] rescale for a geometric mean)
    weights: pd.Series  # the weights in use, summing to 1
    record: pd.DataFrame  # see treat_censored_missing
    settings: dict = field(default_factory=dict)

    def table(self) -> pd.DataFrame:
        """Score, rank and contributions side by side, best first."""
        out = pd.concat([self.scores, self.ranks, self.contributions.add_prefix("contribution_")], axis=1)
        return out.sort_values("rank", kind="stable")


def composite_index(matrix: IndicatorMatrix, normalisation: str = "minmax", aggregation: str = "arithmetic",
                    weights=None, censored: str = "bound", missing: str = "mean",
                    reference: str | None = None) -> CompositeResult:
    """Treat, normalise, weight and aggregate `matrix` into one index (Handbook steps 3, 5 and 6)."""
    check_choice("normalisation", normalisation, NORMALISATIONS)
    check_choice("aggregation", aggregation, AGGREGATIONS)
    nominal = resolve_weights(weights, matrix.indicators)
    treated, record = treat_censored_missing(matrix, censored, missing)
    w = weights_in_use(nominal, treated.indicators)
    norm = normalise(treated.values, normalisation, reference, treated.direction)
    if aggregation == "geometric":
        norm = positive_for_geometric(norm, normalisation)
    scores = aggregate(norm, w, aggregation)
    ranks = pd.Series(rank_descending(scores.to_numpy())[0], index=scores.index, name="rank")
    settings = dict(normalisation=normalisation, aggregation=aggregation, censored=censored,
                    missing=missing, reference=reference)
    return CompositeResult(scores, ranks, contributions(norm, w, aggregation), norm, w, record, settings)
