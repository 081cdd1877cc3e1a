"""Comparisons beyond the report: normalised indicators, peer/focus ratios, growth needed to close gaps.

Inputs are observations only (never printed derived values). A lower bound (">200") stays a lower
bound through division by an exact positive denominator; a missing value stays missing.
"""
from __future__ import annotations


import numpy as np
import pandas as pd

from analysis_utils.data.load import LOWER_BOUND_QUALIFIERS, UPPER_BOUND_QUALIFIERS, Dataset
from analysis_utils.errors import AnalysisError
from analysis_utils.labels import check_lang, name_column, text

# Extensive 表2 indicators (totals that grow with the size of a district) and the denominators the report gives.
EXTENSIVE_INDICATORS = ["gdp", "high_tech_firms", "high_tech_output", "innovation_carriers", "makerspaces",
                        "park_floor_area", "rd_expenditure"]
INTENSIVE_INDICATORS = ["rd_intensity", "invention_patents_per_10k"]
DENOMINATORS = {  # key: (indicator, unit of the denominator); labels are the catalogue's "denominator.<key>"
    "per_resident": ("resident_population", "万人"),
    "per_km2": ("area", "平方公里"),
    "per_gdp": ("gdp", "亿元"),
}


def bound_of(qualifier: str) -> str:
    """'lower', 'upper', 'missing' or 'exact' (approx and range count as exact at their printed value)."""
    if qualifier in LOWER_BOUND_QUALIFIERS:
        return "lower"
    if qualifier in UPPER_BOUND_QUALIFIERS:
        return "upper"
    return "missing" if qualifier == "missing" else "exact"


def snapshot(data: Dataset, entities: list[str], indicators: list[str], year: int) -> pd.DataFrame:
    """Tidy rows entity, indicator, value (NaN if missing), unit, bound — one year."""
    obs = data.observations
    sel = obs[obs["entity"].isin(entities) & obs["indicator"].isin(indicators) & (obs["year"] == year)]
    out = pd.DataFrame({
        "entity": sel["entity"].astype(str), "indicator": sel["indicator"].astype(str),
        "value": sel["value"].astype("float64").to_numpy(), "unit": sel["unit"].astype(str),
        "bound": sel["qualifier"].map(bound_of).to_numpy(),
    })
    out.loc[out["bound"] == "missing", "value"] = np.nan
    return out.reset_index(drop=True)


def normalised(data: Dataset, entities: list[str], year: int = 2015) -> pd.DataFrame:
    """Each extensive 表2 indicator divided by population, area and GDP, for every entity.

    Returns entity, indicator, denominator, value, unit (e.g. '亿元/万人'), bound.
    """
    snap = snapshot(data, entities, EXTENSIVE_INDICATORS + [d[0] for d in DENOMINATORS.values()], year)
    rows = []
    for key, (den_indicator, den_unit) in DENOMINATORS.items():
        den = snap[snap["indicator"] == den_indicator].set_index("entity")
        for _, r in snap[snap["indicator"].isin(EXTENSIVE_INDICATORS)].iterrows():
            if r["indicator"] == den_indicator or r["entity"] not in den.index:
                continue
            d = den.loc[r["entity"]]
            if d["bound"] != "exact" or not d["value"] > 0:
                raise AnalysisError(f"{den_indicator} of {r['entity']} in {year} must be an exact positive number "
                                    f"to normalise by it; got {d['value']} ({d['bound']})")
            value = r["value"] / d["value"]
            rows.append({"entity": r["entity"], "indicator": r["indicator"], "denominator": key,
                         "value": value, "unit": f"{r['unit']}/{den_unit}", "bound": r["bound"]})
    return pd.DataFrame(rows)


def ratio_to_focus(values: pd.DataFrame, focus: str, keys=("indicator",)) -> pd.DataFrame:
    """Add ``ratio`` = entity value / focus value within each group of ``keys``, and its bound.

    A peer's lower bound over an exact focus value gives a lower-bound ratio.
    """
    keys = list(keys)
    focus_rows = values[values["entity"] == focus].set_index(keys)[["value", "bound"]]
    out = values.join(focus_rows, on=keys, rsuffix="_focus")
    out["ratio"] = out["value"] / out["value_focus"]
    out["ratio_bound"] = np.where(out["bound_focus"] == "exact", out["bound"],
                                  np.where(out["bound"] == "exact", out["bound_focus"].map(_flip), "unknown"))
    out.loc[out["ratio"].isna(), "ratio_bound"] = "missing"
    return out.drop(columns=["value_focus", "bound_focus"])


def _flip(bound: str) -> str:
    return {"lower": "upper", "upper": "lower"}.get(bound, bound)


def label_rows(df: pd.DataFrame, data: Dataset, lang: str, entity_col: str = "entity") -> pd.DataFrame:
    """``df`` with indicator_label and entity_label added in ``lang`` (same rows and index).

    ``df`` needs columns indicator and ``entity_col``; where it has a ``denominator`` column (a key of
    DENOMINATORS, or 'total'), the label carries it: '区域总产值（每万人）' / 'GDP (per 10k residents)'.
    Raises ParameterError for a ``lang`` other than 'zh'/'en'.
    """
    name = name_column(lang)
    meta = data.indicators.set_index("indicator")[name]
    names = data.entity_names(lang)
    out = df.copy()
    out["indicator_label"] = out["indicator"].map(meta)
    if "denominator" in out:
        out["indicator_label"] = [name if den not in DENOMINATORS else
                                  text("label.with_denominator", lang, name=name,
                                       denominator=text(f"denominator.{den}", lang))
                                  for name, den in zip(out["indicator_label"], out["denominator"])]
    out["entity_label"] = out[entity_col].map(names)
    return out


def table2_ratios(data: Dataset, focus: str, peers: list[str], year: int, lang: str = "zh") -> pd.DataFrame:
    """Peer/focus ratio of every 表2 indicator that is not a denominator."""
    check_lang(lang)
    snap = snapshot(data, [focus, *peers], EXTENSIVE_INDICATORS + INTENSIVE_INDICATORS, year)
    ratios = ratio_to_focus(snap, focus)
    return label_rows(ratios[ratios["entity"] != focus], data, lang)


def normalised_ratios(data: Dataset, focus: str, peers: list[str], year: int, lang: str = "zh") -> pd.DataFrame:
    """Peer/focus ratio of each extensive indicator per resident, per km² and per 亿元 of GDP."""
    check_lang(lang)
    ratios = ratio_to_focus(normalised(data, [focus, *peers], year), focus, keys=("indicator", "denominator"))
    return label_rows(ratios[ratios["entity"] != focus], data, lang)


def talent_long(data: Dataset, entities: list[str], lang: str = "zh") -> pd.DataFrame:
    """表3 person counts in persons (万人 converted), long format for a log-scale dot plot."""
    from analysis_utils.analysis.tables import TABLE_3_COLUMNS, TABLE_3_PROGRAMMES

    check_lang(lang)
    indicators = TABLE_3_COLUMNS + TABLE_3_PROGRAMMES
    obs = data.observations
    sel = obs[obs["entity"].isin(entities) & obs["indicator"].isin(indicators) & (obs["qualifier"] != "missing")]
    dims = sel["unit"].map(data.units_table.dimension)
    sel = sel[dims == "persons"]
    values = [data.units_table.convert(float(v), u, "人") for v, u in zip(sel["value"], sel["unit"])]
    out = pd.DataFrame({"entity": sel["entity"].to_numpy(), "indicator": sel["indicator"].to_numpy(), "value": values})
    return label_rows(out, data, lang)
