"""Composite index of indicators, one step per function, after the JRC/OECD Handbook (2008).

Handbook on Constructing Composite Indicators (Nardo et al., OECD/JRC 2008), Part I checklist:
step 3 imputation of missing data -> `treat_censored_missing`; step 5 normalisation -> `normalise`;
step 6 weighting and aggregation -> `weights.resolve_weights`, `aggregate`, `contributions`;
step 7 uncertainty and sensitivity -> `analysis_utils.composite.sensitivity.monte_carlo`.
The steps live in `composite.matrix` (step 3) and `composite.aggregation` (steps 5 and 6); their names are
importable from here too, so `composite.index` stays the one place to import the method from.
Where the Handbook leaves a choice open we follow COINr (Becker et al.), named at each place.
`composite_index` chains the steps and returns a `CompositeResult`.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from analysis_utils.checks import check_choice
from analysis_utils.composite.aggregation import (  # noqa: F401
    AGGREGATIONS,
    GEOMETRIC_RANGE,
    NORMALISATIONS,
    DegenerateMethodWarning,
    aggregate,
    borda_terms,
    contributions,
    copeland_scores,
    normalise,
    pairwise_outcome,
    positive_for_geometric,
    rank_descending,
    score_terms,
)
from analysis_utils.composite.matrix import (  # noqa: F401
    ALL_ENTITIES,
    CENSORED_OPTIONS,
    MATRIX_KINDS,
    MISSING_OPTIONS,
    RECORD_COLUMNS,
    IndicatorMatrix,
    treat_censored_missing,
)
from analysis_utils.composite.weights import (  # importable from here too
    resolve_weights,
    weights_in_use,
)

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
