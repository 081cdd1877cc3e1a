"""Comparisons beyond the report: normalised indicators, peer/focus ratios, growth needed to close gaps.

Inputs are observations only (never printed derived values). A lower bound (">200") stays a lower
bound through division by an exact positive denominator; a missing value stays missing. Which
qualifier is a bound is read from the dataset's qualifiers table (data.qualifiers), nowhere else.

Every frame here carries ``source_ids``: the registry ids (external/sources.csv) of the observations its value is
computed from (numerator, denominator and, for a ratio, the focus's value), unique, sorted and joined by ';'
(:func:`join_source_ids`); '' when they are all the report's own numbers (source_id '') and for a missing value
(no number, so nobody's). A page marks such a value as another source's (report.report_tables).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from analysis_utils.analysis.tables import REPORT_DISTRICTS
from analysis_utils.checks import check_choice
from analysis_utils.data.load import REPORT_YEAR, TIERS, Dataset
from analysis_utils.data.qualifiers import QualifierTable, packaged_qualifiers
from analysis_utils.errors import AnalysisError, ParameterError, raise_parameter_errors

# Extensive 表2 indicators (totals that grow with the size of a district) and the denominators the report gives.
EXTENSIVE_INDICATORS = ["gdp", "high_tech_firms", "high_tech_output", "innovation_carriers", "makerspaces",
                        "park_floor_area", "rd_expenditure"]
INTENSIVE_INDICATORS = ["rd_intensity", "invention_patents_per_10k"]
DENOMINATORS = {  # key: (indicator, unit of the denominator); a page names them by the catalogue's "denominator.<key>"
    "per_resident": ("resident_population", "万人"),
    "per_km2": ("area", "平方公里"),
    "per_gdp": ("gdp", "亿元"),
}


def bound_of(qualifier: str, qualifiers: QualifierTable | None = None) -> str:
    """The class of a qualifier code: 'exact', 'lower', 'upper', 'range' or 'missing'.

    Read from ``qualifiers`` (a dataset's ``data.qualifier_table``; default: the packaged qualifiers.csv);
    approx 约 counts as exact at its printed value, nearly 近 as an upper bound. QualifierError if unknown.
    """
    return (packaged_qualifiers() if qualifiers is None else qualifiers).kind(qualifier)


SOURCE_SEPARATOR = ";"  # between the registry ids of one ``source_ids`` cell


def join_source_ids(*cells) -> str:
    """The ``source_ids`` of a value computed from values whose ``source_ids`` (or ``source_id``) are ``cells``: every
    registry id any of them names, once each, sorted, joined by SOURCE_SEPARATOR; '' for the report's own numbers
    only. join_source_ids('b', '', 'a;b') -> 'a;b'."""
    ids = {i for cell in cells if isinstance(cell, str) for i in cell.split(SOURCE_SEPARATOR) if i}
    return SOURCE_SEPARATOR.join(sorted(ids))


def split_source_ids(cell) -> list[str]:
    """The registry ids of one ``source_ids`` cell, in order ('' or NaN: [])."""
    return [i for i in cell.split(SOURCE_SEPARATOR) if i] if isinstance(cell, str) else []


def snapshot(data: Dataset, entities: list[str], indicators: list[str], year: int) -> pd.DataFrame:
    """Tidy rows entity, indicator, value (NaN if missing), unit, qualifier (code), bound (its class), source_ids
    (the observation's source_id; '' for the report's number and for a missing value) — one year."""
    obs = data.observations
    sel = obs[obs["entity"].isin(entities) & obs["indicator"].isin(indicators) & (obs["year"] == year)]
    kinds = data.qualifier_table
    out = pd.DataFrame({
        "entity": sel["entity"].astype(str), "indicator": sel["indicator"].astype(str),
        "value": sel["value"].astype("float64").to_numpy(), "unit": sel["unit"].astype(str),
        "qualifier": sel["qualifier"].astype(str).to_numpy(),
        "bound": [bound_of(q, kinds) for q in sel["qualifier"]],
        "source_ids": sel["source_id"].astype(str).to_numpy(),
    })
    out.loc[out["bound"] == "missing", "value"] = np.nan
    out.loc[out["bound"] == "missing", "source_ids"] = ""
    return out.reset_index(drop=True)


PER_DENOMINATOR_COLUMNS = ["entity", "indicator", "denominator", "value", "unit", "qualifier", "bound", "source_ids"]


def per_denominator(data: Dataset, entities: list[str], indicators: list[str], year: int,
                    denominator: str = "per_resident") -> pd.DataFrame:
    """Each of ``indicators`` divided by the entity's denominator in ``year`` — the one sizing function.

    ``denominator`` is a key of DENOMINATORS: per_resident (resident_population in 万人, so a value per
    10k residents, 每万人), per_km2 (area in 平方公里) or per_gdp (gdp in 亿元). Returns tidy rows
    entity, indicator, denominator, value (float; NaN where missing), unit ('家/万人'), qualifier (code as
    observed), bound (its class: an exact positive denominator keeps a lower bound a lower bound) and source_ids
    (:func:`join_source_ids` of the numerator's and the denominator's source; '' where the value is missing).
    The denominator itself is left out of ``indicators``. An entity without the denominator in ``year`` gets its
    values as missing (NaN, qualifier and bound 'missing'): shown as '-', never ranked on them. Raises
    ParameterError for an unknown ``denominator`` and AnalysisError when the denominator is a bound or not positive.
    """
    den_indicator, den_unit = DENOMINATORS[check_choice("denominator", denominator, tuple(DENOMINATORS))]
    indicators = [i for i in indicators if i != den_indicator]
    snap = snapshot(data, entities, indicators + [den_indicator], year)
    den = snap[snap["indicator"] == den_indicator].set_index("entity")
    rows = []
    for _, r in snap[snap["indicator"] != den_indicator].iterrows():
        if r["entity"] not in den.index or den.loc[r["entity"], "bound"] == "missing":  # a user's district without it
            # (or printed '-'): its sized values are missing, not fatal to every comparison it joins
            rows.append({"entity": r["entity"], "indicator": r["indicator"], "denominator": denominator,
                         "value": float("nan"), "unit": f"{r['unit']}/{den_unit}", "qualifier": "missing",
                         "bound": "missing", "source_ids": ""})
            continue
        d = den.loc[r["entity"]]
        if d["bound"] != "exact" or not d["value"] > 0:
            raise AnalysisError(f"{den_indicator} of {r['entity']} in {year} must be an exact positive number "
                                f"to normalise by it; got {d['value']} ({d['bound']})")
        rows.append({"entity": r["entity"], "indicator": r["indicator"], "denominator": denominator,
                     "value": r["value"] / d["value"], "unit": f"{r['unit']}/{den_unit}",
                     "qualifier": r["qualifier"], "bound": r["bound"],
                     "source_ids": "" if r["bound"] == "missing" else join_source_ids(r["source_ids"], d["source_ids"])})
    return pd.DataFrame(rows, columns=PER_DENOMINATOR_COLUMNS)


def normalised(data: Dataset, entities: list[str], year: int = REPORT_YEAR) -> pd.DataFrame:
    """Each extensive 表2 indicator per resident, per km² and per 亿元 of GDP (``per_denominator``), every entity.

    Returns entity, indicator, denominator, value, unit (e.g. '亿元/万人'), qualifier, bound, source_ids.
    """
    return pd.concat([per_denominator(data, entities, EXTENSIVE_INDICATORS, year, key) for key in DENOMINATORS],
                     ignore_index=True)


def ratio_to_focus(values: pd.DataFrame, focus: str, keys=("indicator",)) -> pd.DataFrame:
    """Add ``ratio`` = entity value / focus value within each group of ``keys``, and its bound.

    A peer's lower bound over an exact focus value gives a lower-bound ratio. Where ``values`` has ``source_ids``
    (every frame of this module), they become the ratio's: :func:`join_source_ids` of the row's and the focus's,
    '' where the ratio is missing; the row's own value keeps its own as ``value_source_ids`` (inserted before
    ``source_ids``), so that a table marks the report's 870 beside a ratio computed from a user's number as the
    report's.
    """
    keys = list(keys)
    carried = ["value", "bound"] + (["source_ids"] if "source_ids" in values else [])
    focus_rows = values[values["entity"] == focus].set_index(keys)[carried]
    out = values.join(focus_rows.add_suffix("_focus"), on=keys)
    out["ratio"] = out["value"] / out["value_focus"]
    out["ratio_bound"] = np.where(out["bound_focus"] == "exact", out["bound"],
                                  np.where(out["bound"] == "exact", out["bound_focus"].map(_flip), "unknown"))
    out.loc[out["ratio"].isna(), "ratio_bound"] = "missing"
    if "source_ids" in values:
        out.insert(out.columns.get_loc("source_ids"), "value_source_ids", out["source_ids"])
        out["source_ids"] = ["" if pd.isna(ratio) else join_source_ids(own, theirs)
                             for ratio, own, theirs in zip(out["ratio"], out["source_ids"], out["source_ids_focus"])]
    return out.drop(columns=[f"{c}_focus" for c in carried])


def _flip(bound: str) -> str:
    return {"lower": "upper", "upper": "lower"}.get(bound, bound)


RATIO_COLUMNS = ["entity", "indicator", "value", "unit", "qualifier", "bound", "value_source_ids", "source_ids",
                 "ratio", "ratio_bound"]


def table2_ratios(data: Dataset, focus: str, peers: list[str], year: int) -> pd.DataFrame:
    """Peer/focus ratio of every 表2 indicator (EXTENSIVE_INDICATORS, then INTENSIVE_INDICATORS) in ``year``.

    One row per peer and indicator the data hold in ``year`` (the focus's own rows left out), columns
    RATIO_COLUMNS: entity and indicator (ids), value, unit and qualifier (code) as observed, bound (its class),
    value_source_ids (the value's own sources: '' for the report's), source_ids (the ratio's: the peer's and the
    focus's sources, ratio_to_focus), ratio (peer value / focus value, a pure number; NaN where either is missing)
    and ratio_bound (exact, lower, upper, unknown or missing: ratio_to_focus). Words for a page:
    report.names.label_rows.
    """
    snap = snapshot(data, [focus, *peers], EXTENSIVE_INDICATORS + INTENSIVE_INDICATORS, year)
    ratios = ratio_to_focus(snap, focus)
    return ratios[ratios["entity"] != focus].copy()


def normalised_ratios(data: Dataset, focus: str, peers: list[str], year: int) -> pd.DataFrame:
    """Peer/focus ratio of each extensive indicator per resident, per km² and per 亿元 of GDP (``normalised``).

    One row per peer, indicator and denominator (the focus's rows left out): normalised's columns (entity,
    indicator, denominator, value, unit such as '家/万人', qualifier, bound, source_ids: the ratio's, the focus's
    sources with the peer's) and ratio, ratio_bound, the ratio taken within each indicator and denominator. Words for a page: report.names.label_rows.
    """
    ratios = ratio_to_focus(normalised(data, [focus, *peers], year), focus, keys=("indicator", "denominator"))
    return ratios[ratios["entity"] != focus].copy()


def talent_long(data: Dataset, entities: list[str]) -> pd.DataFrame:
    """表3's person counts of ``entities`` in persons (万人 converted: '约1万人' -> 10000), long format for a
    log-scale dot plot: columns entity, indicator (ids), value (persons, float), qualifier (code) and bound (its
    class, :func:`bound_of`: '10万余人' is a lower bound, so a chart can draw it as one). Counts in another
    dimension (160 overseas projects, 个) and missing values are left out. Words for a page:
    report.names.label_rows.
    """
    from analysis_utils.analysis.tables import TABLE_3_COLUMNS, TABLE_3_PROGRAMMES

    indicators = TABLE_3_COLUMNS + TABLE_3_PROGRAMMES
    obs = data.observations
    sel = obs[obs["entity"].isin(entities) & obs["indicator"].isin(indicators) & (obs["qualifier"] != "missing")]
    dims = sel["unit"].map(data.units_table.dimension)
    sel = sel[dims == "persons"]
    values = [data.units_table.convert(float(v), u, "人") for v, u in zip(sel["value"], sel["unit"])]
    return pd.DataFrame({"entity": sel["entity"].to_numpy(), "indicator": sel["indicator"].to_numpy(),
                         "value": values, "qualifier": sel["qualifier"].astype(str).to_numpy(),
                         "bound": [bound_of(q, data.qualifier_table) for q in sel["qualifier"]]})


def largest_gap(data: Dataset, focus: str, peers: list[str], year: int) -> dict | None:
    """The extensive 表2 indicator, per resident, on which ``focus`` trails its best peer by the largest ratio
    (peer value / focus value, both per 10,000 residents: ``per_denominator``): {indicator, peer, ratio,
    ratio_bound, source_ids (of the four numbers, '' for the report's)}; None when no peer is ahead on any indicator. Raises AnalysisError as per_denominator does (an
    entity with a value but no resident population)."""
    ratios = ratio_to_focus(per_denominator(data, [focus, *peers], EXTENSIVE_INDICATORS, year), focus)
    ahead = ratios[(ratios["entity"] != focus) & (ratios["ratio"] > 1)]
    if ahead.empty:
        return None
    row = ahead.loc[ahead["ratio"].idxmax()]
    return {"indicator": row["indicator"], "peer": row["entity"], "ratio": float(row["ratio"]),
            "ratio_bound": row["ratio_bound"], "source_ids": row.get("source_ids", "")}


def district_id(data: Dataset, given):
    """The id of the district ``given`` names: its id, or its English name (entities.csv ``name_en``, with or without
    a closing 'District', any case: 'Yuhang', 'yuhang district' -> '余杭区'). Anything else is returned as given, for
    :func:`check_comparison` to refuse with the list of ids and names."""
    if not isinstance(given, str) or given in data.districts():
        return given
    ent = data.entities[data.entities["entity"].isin(data.districts())]
    key = " ".join(given.split()).casefold()
    for entity, name in zip(ent["entity"], ent["name_en"].fillna("")):
        name = " ".join(str(name).split()).casefold()
        if name and key in (name, name.removesuffix(" district")):
            return entity
    return given


def check_comparison(data: Dataset, focus: str, peers=None, year: int | None = None) -> list[str]:
    """The peers of a comparison of ``focus``, checked against ``data``: ``focus`` and every peer districts of the
    data (``peers`` empty or None: every other district, the report's three first), and ``year``, when given, a
    year with a reported value of each of them (Dataset.usable_years: 2016 holds only plans). Returns the peers;
    ParameterError naming the parameter and the valid values (each id with its English name), ParameterErrors when
    several are bad."""
    problems, districts = [], data.districts()
    english = dict(zip(data.entities["entity"], data.entities["name_en"].fillna("")))  # beside each id to type

    def attempt(*args) -> bool:
        try:
            check_choice(*args, labels=english)
            return True
        except ParameterError as exc:
            problems.append(exc)
            return False
    ok = attempt("focus", focus, districts, str, "a district name")
    given = list(peers or [])
    peers = given or [d for d in REPORT_DISTRICTS if d != focus and d in districts] + \
        sorted(d for d in districts if d != focus and d not in REPORT_DISTRICTS)
    ok = all([attempt("peers", p, [d for d in districts if d != focus], str, "a district name") for p in given]) and ok
    if not peers:
        ok = False
        problems.append(ParameterError("peers", peers, "at least one district other than the focus", "empty"))
    if year is not None and ok and attempt("year", year, [year] if isinstance(year, int) else [], int,
                                           "a whole year such as 2015"):
        lacking = [e for e in [focus, *peers] if year not in data.usable_years([e])]
        if lacking:  # name who lacks it and what to do: add its numbers, or compare other districts
            none = [e for e in lacking if not (data.observations["entity"] == e).any()]
            fix = (f"{', '.join(none)} has no observation at all: add its numbers to the observations.csv of its data "
                   "folder" if none else "add its numbers to the observations.csv of its data folder") + \
                  (", or choose another focus with -p focus" if focus in lacking else ", or choose the districts "
                   "with -p peers")
            problems.append(ParameterError("year", year, f"a year with a reported value of every district compared; "
                                           f"{', '.join(lacking)} has none in {year} ({fix})", "bad-choice"))
    raise_parameter_errors(problems)
    return peers


POPULATION = "resident_population"
RESIDENT_COLUMNS = ["entity", "printed_value", "population_source_id", "concept", "evidence_source_id", "inferred",
                    "resident", "resident_year", "resident_source_id", "resident_tier"]


def population_concepts(data: Dataset, entities: list[str], year: int = REPORT_YEAR) -> pd.DataFrame:
    """The concept behind each entity's resident_population in ``year``: the observation's own row of the data's
    concepts table (data/concepts.csv: entity and year named, the evidence's source_id) where the evidence shows
    one, else the indicator's ('resident'). Columns entity, printed_value (万人, NaN where missing),
    population_source_id (the number's own source: '' for the report's, else a user's registry id), concept,
    evidence_source_id ('' for the indicator's own concept), inferred (True where the concept is inferred from the
    evidence, not stated by it)."""
    concepts = data.tables.get("concepts")
    general, own = "resident", {}
    if concepts is not None:
        rows = concepts[concepts["indicator"] == POPULATION]
        general = next((c for c, e in zip(rows["concept"], rows["entity"]) if e in ("", None) or pd.isna(e)), general)
        own = {r["entity"]: (r["concept"], r["source_id"] or "", r.get("inferred") is True)
               for r in rows.to_dict("records") if r["entity"] and not pd.isna(r["year"]) and int(r["year"]) == year}
    snap = snapshot(data, entities, [POPULATION], year).set_index("entity")
    sources = data.observations[(data.observations["indicator"] == POPULATION) & (data.observations["year"] == year)]
    sources = dict(zip(sources["entity"], sources["source_id"].fillna("")))
    return pd.DataFrame([{"entity": e, "printed_value": float(snap.loc[e, "value"]) if e in snap.index else np.nan,
                          "population_source_id": sources.get(e, ""), "concept": own.get(e, (general,))[0],
                          "evidence_source_id": own.get(e, (general, ""))[1],
                          "inferred": own.get(e, (general, "", False))[2]} for e in entities])


def resident_alternative(data: Dataset, ext, entities: list[str], year: int = REPORT_YEAR) -> pd.DataFrame:
    """Each entity's population as the report prints it (population_concepts) beside a published resident
    population for the sensitivity of per-resident comparisons (columns RESIDENT_COLUMNS; resident in 万人).

    The published figure is the external observation of resident_population (``ext``: data.external's
    ExternalData) nearest to ``year``: the smaller distance in years first, then the earlier year (a figure before
    the report's year was knowable to it), then the better tier (data.load.TIERS order). No interpolation:
    annual estimates and census counts disagree (武昌 128.28万 in 2018, 109.3万 at the 2020 census), and a line
    through them would invent a precision the sources do not have. NaN / '' where nothing is published."""
    out = population_concepts(data, entities, year)
    obs = ext.observations[ext.observations["indicator"] == POPULATION] if ext is not None else None
    tiers = dict(zip(ext.sources["source_id"], ext.sources.get("tier", pd.Series(dtype=str)))) if ext is not None else {}
    found = []
    for e in out["entity"]:
        rows = [] if obs is None else obs[obs["entity"] == e].to_dict("records")
        rows.sort(key=lambda r: (abs(int(r["year"]) - year), int(r["year"]),
                                 TIERS.index(tiers.get(r["source_id"]) or "own")))
        if rows:
            r = rows[0]
            found.append((data.units_table.convert(float(r["value"]), r["unit"], "万人"), int(r["year"]),
                          r["source_id"], tiers.get(r["source_id"]) or "own"))
        else:
            found.append((np.nan, pd.NA, "", ""))
    out[["resident", "resident_year", "resident_source_id", "resident_tier"]] = pd.DataFrame(found, index=out.index)
    return out[RESIDENT_COLUMNS]


def with_resident_population(data: Dataset, alternative: pd.DataFrame, year: int = REPORT_YEAR) -> Dataset:
    """``data`` with each entity's resident_population of ``year`` replaced by ``alternative``'s published
    resident (resident_alternative; kept where none is published): the dataset the sensitivity recomputes on.
    The original is not changed."""
    import dataclasses

    obs = data.observations.copy()
    for r in alternative.dropna(subset=["resident"]).to_dict("records"):
        hit = (obs["entity"] == r["entity"]) & (obs["indicator"] == POPULATION) & (obs["year"] == year)
        obs.loc[hit, ["value", "unit", "qualifier"]] = [r["resident"], "万人", ""]
    return dataclasses.replace(data, tables={**data.tables, "observations": obs})


def per_resident_sensitivity(data: Dataset, alternative: pd.DataFrame, entities: list[str],
                             year: int = REPORT_YEAR) -> pd.DataFrame:
    """Each extensive 表2 indicator per 10,000 residents as the data's population gives it and as the published
    resident population of ``alternative`` (resident_alternative) gives it (with_resident_population): columns
    entity, indicator, unit, qualifier, bound, value (the data's population), source_ids (per_denominator's: the
    registry ids of its numerator and population, '' for the report's), value_resident, change
    (value_resident / value − 1). value_resident and change are NaN where either number is missing, and for an
    entity with no published resident population (nothing to recompute with, not a change of 0)."""
    keys = ["entity", "indicator"]
    base = per_denominator(data, entities, EXTENSIVE_INDICATORS, year)
    resident_data = with_resident_population(data, alternative, year)
    alt = per_denominator(resident_data, entities, EXTENSIVE_INDICATORS, year)[keys + ["value"]]
    out = base[keys + ["unit", "qualifier", "bound", "value", "source_ids"]].merge(
        alt.rename(columns={"value": "value_resident"}), on=keys, how="left")
    unpublished = set(alternative.loc[alternative["resident"].isna(), "entity"])
    out.loc[out["entity"].isin(unpublished), "value_resident"] = np.nan
    out["change"] = out["value_resident"] / out["value"] - 1
    return out
