"""The composite index's input: the report's indicators for a set of districts, sized per resident.

Extensive totals (GDP, firms, carriers, R&D, talent) are divided by the resident population so that
a large district does not win on size alone; intensities (R&D share, patents per 10k) enter as they
are. Qualifiers pass through: ">200" divided by an exact population stays a lower bound.
"""
from __future__ import annotations

import math
import warnings

import pandas as pd

from analysis_utils.analysis.compare import join_source_ids, per_denominator, snapshot
from analysis_utils.composite.index import IndicatorMatrix, composite_index
from analysis_utils.composite.sensitivity import monte_carlo
from analysis_utils.data.load import REPORT_YEAR, Dataset
from analysis_utils.errors import AnalysisError

PER_RESIDENT = ["gdp", "high_tech_firms", "high_tech_output", "innovation_carriers", "makerspaces",
                "park_floor_area", "rd_expenditure", "academicians", "talent_national_1000"]
AS_IS = ["rd_intensity", "invention_patents_per_10k"]
INDICATORS = PER_RESIDENT + AS_IS  # eleven, as in the scale benchmark
# An entity is ranked only with a value for at least half of the indicators (6 of 11): below that its
# rank would rest on a minority of the indicators, the rest filled in by the ``missing`` rule (a new
# district with 2 of 11 was ranked 2nd, interval 2–3). The report's three districts have 11, 11 and 8.
MIN_COVERAGE = 0.5


def coverage(matrix: IndicatorMatrix) -> pd.Series:
    """Share (0–1) of the indicators with a value (exact or a bound), per entity (index: entity)."""
    return matrix.values.notna().sum(axis=1) / matrix.values.shape[1]


def _ranked(entities: list[str], shares: pd.Series, min_coverage: float) -> list[str]:
    """The entities at or above ``min_coverage``, in order (the focus too only when it reaches it)."""
    check_index_option("min_coverage", min_coverage)
    return [e for e in entities if shares[e] >= min_coverage]


def reference(matrix: IndicatorMatrix, focus: str) -> str:
    """The entity the 'ratio' normalisation divides by: the focus when it is ranked, else the first ranked entity
    (a thin focus is shown, not ranked, and an index cannot be relative to an entity it leaves out)."""
    entities = list(matrix.values.index)
    return focus if focus in entities else entities[0]


def indicator_matrix(data: Dataset, entities: list[str], year: int = REPORT_YEAR,
                     min_coverage: float = 0.0) -> IndicatorMatrix:
    """Entities × the eleven indicators, with qualifier codes and the dataset's qualifier meanings.

    PER_RESIDENT indicators are sized by ``analysis.compare.per_denominator(..., "per_resident")``: value
    / resident_population in 万人, i.e. per 10k residents (每万人); AS_IS indicators enter as observed.
    A missing or range cell stays NaN with code 'missing'; so do the sized values of an entity without
    resident_population in ``year`` (it is then below any useful coverage). Raises AnalysisError when a
    resident_population is a bound or not positive.

    ``min_coverage`` (0–1; the notebook's default is MIN_COVERAGE): entities with a value for a smaller
    share of the indicators (:func:`coverage`) are left out of the matrix, so out of every ranking, the focus
    too (it is shown, not ranked: :func:`index_inputs` gives each entity's coverage and whether it is ranked, and
    :func:`reference` the entity the index is then relative to). AnalysisError when fewer than two entities
    reach ``min_coverage``: there is nothing to rank.
    """
    cells = _cells(data, entities, year)
    values = pd.DataFrame(index=pd.Index(entities, name="entity"), columns=INDICATORS, dtype=float)
    qualifier = pd.DataFrame("missing", index=values.index, columns=INDICATORS)
    for _, row in cells[~cells["bound"].isin(("missing", "range"))].iterrows():
        values.loc[row["entity"], row["indicator"]] = row["value"]
        qualifier.loc[row["entity"], row["indicator"]] = row["qualifier"]
    direction = data.indicators.set_index("indicator")["direction"].astype(int).loc[INDICATORS]
    matrix = IndicatorMatrix(values, qualifier, direction, data.qualifier_table)
    if min_coverage:
        shares = coverage(matrix)
        kept = _ranked(entities, shares, min_coverage)
        if len(kept) < 2:
            raise AnalysisError(f"only {len(kept)} of the entities {list(entities)} reach min_coverage "
                                f"{min_coverage:.0%} of the {len(INDICATORS)} composite indicators (coverage: "
                                + ", ".join(f"{e} {shares[e]:.0%}" for e in entities)
                                + "): at least two are needed to rank; add data or lower min_coverage")
        if kept != list(entities):
            matrix = IndicatorMatrix(values.loc[kept], qualifier.loc[kept], direction, data.qualifier_table)
    return matrix


def _cells(data: Dataset, entities: list[str], year: int) -> pd.DataFrame:
    """The index's inputs in long form: per_denominator's rows of PER_RESIDENT (per resident), snapshot's of AS_IS."""
    return pd.concat([per_denominator(data, entities, PER_RESIDENT, year, "per_resident"),
                      snapshot(data, entities, AS_IS, year)], ignore_index=True)


def index_sources(data: Dataset, entities: list[str], year: int = REPORT_YEAR) -> pd.DataFrame:
    """The sources of each input of the index, cell by cell: one row per entity (index ``entity``, in the order
    given), one column per indicator id of INDICATORS, each cell the registry ids of the observations the value
    is computed from (a PER_RESIDENT value: its numerator's and the resident population's; an AS_IS value: its
    own), joined by ';' (analysis.compare.join_source_ids); '' for the report's own numbers and for a cell without
    a value. What a page marks cell by cell (report.report_tables.snapshot_for_index); :func:`index_inputs` gives
    each row's union. Raises AnalysisError as indicator_matrix does."""
    cells = _cells(data, entities, year)
    out = pd.DataFrame("", index=pd.Index(entities, name="entity"), columns=INDICATORS)
    for entity, indicator, bound, ids in zip(cells["entity"], cells["indicator"], cells["bound"], cells["source_ids"]):
        if bound not in ("missing", "range"):  # as indicator_matrix: a range enters as missing
            out.loc[entity, indicator] = ids
    return out


def index_inputs(data: Dataset, entities: list[str], year: int, min_coverage: float = MIN_COVERAGE) -> pd.DataFrame:
    """The matrix of every entity of ``entities`` (none left out) with its coverage: one row per entity (index
    ``entity``, in the order given), one column per indicator id of INDICATORS (values as indicator_matrix gives
    them: per 10k residents for PER_RESIDENT, NaN where missing), then ``n_values`` (how many of the
    ``len(INDICATORS)`` indicators have a value, exact or a bound: :func:`coverage` × 11) and ``ranked`` (bool:
    coverage at least ``min_coverage``), then ``source_ids``: the registry ids of every observation any value of
    the row is computed from (:func:`index_sources`' cells of the row joined: analysis.compare.join_source_ids), ''
    when all are the report's own numbers, then ``bounds``: the cells that are a bound, 'indicator:lower' or
    'indicator:upper' joined by ';' (南山's R&D expenditure, printed >200亿元: 'rd_expenditure:lower'), '' for none.
    Raises AnalysisError as indicator_matrix does (without
    ``min_coverage``); ParameterError for a ``min_coverage`` outside 0–1. A page shows it with
    report.report_tables.snapshot_for_index.

    The sources are one column per row, not one per indicator: the table stays what the index reads, a row per
    entity and a number column per indicator (a script that drops ``n_values``, ``ranked``, ``source_ids`` and
    ``bounds`` has the matrix), and a row's sources are few (a district's numbers are the report's, or the user's few sources),
    so eleven more columns would be mostly empty. Which cell a source gives is in :func:`index_sources` (what a
    page marks) and in the normalised values of notebook 03, cell by cell."""
    matrix = indicator_matrix(data, entities, year)
    shares = coverage(matrix)
    ranked = set(_ranked(list(entities), shares, min_coverage))
    table = matrix.values.copy()
    table["n_values"] = [round(shares[e] * len(INDICATORS)) for e in entities]
    table["ranked"] = [e in ranked for e in entities]
    sources = index_sources(data, entities, year)
    table["source_ids"] = [join_source_ids(*sources.loc[e]) for e in entities]
    kinds = matrix.qualifier.map(data.qualifier_table.kind)  # a bound ('>200' per 10k residents) says so
    table["bounds"] = [";".join(f"{i}:{kinds.loc[e, i]}" for i in INDICATORS if kinds.loc[e, i] in ("lower", "upper"))
                       for e in entities]
    return table


def results_source_ids(inputs: pd.DataFrame) -> str:
    """The registry ids every result of the index rests on: the ``source_ids`` of the ranked rows of
    :func:`index_inputs` joined (analysis.compare.join_source_ids), '' when every input is the report's own number.
    Not row by row: an entity's score, rank, rank interval and sensitivity are computed from every ranked entity's
    inputs (ratio normalisation divides by the reference; min-max, z-scores, ranks and the Monte Carlo's draws
    compare the entities with one another), so a user's number under any ranked district moves every result, which
    pages and workbooks then mark. A district shown but not ranked (too few values) enters no result."""
    ranked = inputs[inputs["ranked"].astype(bool)] if "ranked" in inputs else inputs
    return join_source_ids(*ranked["source_ids"])


def record_source_ids(record: pd.DataFrame, sources: pd.DataFrame) -> list[str]:
    """The registry ids each row of a treatment record (composite_nominal's ``record``: entity, indicator, action …)
    rests on, from :func:`index_sources`' cells (``sources``: the entities of the matrix): a value imputed from the
    other entities (action ``imputed``, their mean) rests on the indicator's cells of the others; any other row on
    its own cell. '' for the report's own numbers. Not the whole index's sources: Nanshan's bound, a number the
    report prints, is not another source's because a user's district joined the comparison."""
    out = []
    for entity, indicator, action in zip(record["entity"], record["indicator"], record["action"]):
        column = sources[indicator] if indicator in sources else pd.Series(dtype=str)
        cells = column.drop(entity, errors="ignore") if action == "imputed" else column.reindex([entity]).fillna("")
        out.append(join_source_ids(*cells))
    return out


def readiness(data: Dataset, entity: str, year: int = REPORT_YEAR, min_coverage: float = MIN_COVERAGE) -> dict:
    """What ``entity``'s data give the notebooks in ``year``, as codes and counts: ``table2_missing`` (indicator ids
    of 表2 with no observation: page 02 prints '-'), ``population`` (bool: an observation of resident_population,
    which the per-resident comparisons of 03 and the index of 05 divide by), ``index_values``, ``index_missing`` (ids)
    and ``index_needed``
    (of the len(INDICATORS) composite indicators, how many it has and how many ranking needs at ``min_coverage``).
    run.cli words them as `validate`'s warnings."""
    from analysis_utils.analysis.tables import TABLE_2_COLUMNS

    obs = data.observations
    have = set(obs.loc[(obs["entity"] == entity) & (obs["year"] == year) & (obs["qualifier"] != "missing"), "indicator"])
    return {"table2_missing": [i for i in TABLE_2_COLUMNS if i not in have],
            "population": "resident_population" in have, "index_values": len(set(INDICATORS) & have),
            "index_missing": [i for i in INDICATORS if i not in have],
            "index_needed": math.ceil(min_coverage * len(INDICATORS))}


def _collecting_warnings(function, *args, **kwargs):
    """Call ``function``; return its result and its warnings, each message once, for display."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = function(*args, **kwargs)
    return result, list(dict.fromkeys(str(w.message) for w in caught))


def run_uncertainty(matrix: IndicatorMatrix, n_samples: int, seed: int, **options):
    """monte_carlo with its repeated degenerate-method warnings collected once each."""
    return _collecting_warnings(monte_carlo, matrix, n_samples, seed, progress=False, **options)


def composite_nominal(matrix: IndicatorMatrix, **options):
    """composite_index with its warnings (degenerate methods) returned rather than printed."""
    return _collecting_warnings(composite_index, matrix, **options)


def check_index_option(name: str, value, indicators: list[str] = INDICATORS):
    """One of the composite notebook's own options, checked and returned as used (``weights``: an empty text is
    equal weights, else resolve_weights over ``indicators``). ParameterError for a bad value; KeyError for a name
    that is no option (INDEX_OPTIONS)."""
    from analysis_utils.checks import check_choice, check_int, check_number
    from analysis_utils.composite.index import (
        AGGREGATIONS,
        CENSORED_OPTIONS,
        MISSING_OPTIONS,
        NORMALISATIONS,
    )
    from analysis_utils.composite.weights import resolve_weights

    checks = {
        "normalisation": lambda v: check_choice("normalisation", v, NORMALISATIONS),
        "aggregation": lambda v: check_choice("aggregation", v, AGGREGATIONS),
        "censored": lambda v: check_choice("censored", v, CENSORED_OPTIONS),
        "missing": lambda v: check_choice("missing", v, MISSING_OPTIONS),
        "n_samples": lambda v: check_int("n_samples", v, 100, 1_000_000),
        "seed": lambda v: check_int("seed", v, 0),
        "min_coverage": lambda v: check_number("min_coverage", v, 0, 1, "a share of the indicators"),
        "weights": lambda v: resolve_weights(v or None, indicators),
    }
    return checks[name](value)


INDEX_OPTIONS = ("normalisation", "aggregation", "censored", "missing", "n_samples", "seed", "min_coverage", "weights")


def check_index_params(*, normalisation: str, aggregation: str, censored: str, missing: str,
                       n_samples: int, seed: int, weights: str, indicators: list[str]) -> dict:
    """The composite notebook's own parameters, checked (check_index_option); weights resolved (empty text = equal)."""
    given = dict(normalisation=normalisation, aggregation=aggregation, censored=censored, missing=missing,
                 n_samples=n_samples, seed=seed, weights=weights)
    return {name: check_index_option(name, value, indicators) for name, value in given.items()}


def weights_table(nominal: pd.Series, in_use: pd.Series) -> pd.DataFrame:
    """The weights of an index run: one row per indicator of ``nominal`` (resolve_weights: index indicator,
    summing to 1), columns indicator, nominal_weight and weight_in_use (``in_use``: CompositeResult.weights after
    the treatment dropped indicators, renormalised to 1; 0 for a dropped indicator). Handbook step 6."""
    return pd.DataFrame({"indicator": list(nominal.index), "nominal_weight": nominal.to_numpy(dtype=float),
                         "weight_in_use": [float(in_use.get(i, 0.0)) for i in nominal.index]})
