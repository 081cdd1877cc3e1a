"""Steps 5 and 6 of the composite index: normalisation, aggregation, contributions and ranks.

Handbook on Constructing Composite Indicators (Nardo et al., OECD/JRC 2008), Part I step 5 (normalisation)
and step 6 (weighting and aggregation); Borda and Copeland after Munda (2008) as in the Handbook's
non-compensatory aggregation; the [1, 100] rescale before a geometric mean is COINr's advice (Becker et al.).
"""
from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from analysis_utils.checks import check_choice
from analysis_utils.composite.matrix import _cells, _fail
from analysis_utils.errors import ParameterError

NORMALISATIONS = ("ratio", "minmax", "zscore", "rank")
AGGREGATIONS = ("arithmetic", "geometric", "borda", "copeland")
GEOMETRIC_RANGE = (1.0, 100.0)  # COINr's advice: min-max onto [1, 100] before a geometric mean


class DegenerateMethodWarning(UserWarning):
    """Warned when a normalisation carries little or no information for the data it is given."""


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
