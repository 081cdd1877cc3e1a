"""Series the published statistics extend: a report entity's share of a published whole, year by year.

The page's sentence and table for them are report.narrative.series_sentence and report.report_tables.series_view.
"""
from __future__ import annotations

import pandas as pd

SHARE_INDICATORS = ("patent_applications", "patent_grants", "invention_patent_grants", "tech_contract_turnover")
SERIES_COLUMNS = ["indicator", "year", "part", "whole", "share", "unit", "source_id", "location_zh", "location_en"]


def share_series(data, ext, part_entity: str = "武昌区", whole_entity: str = "武汉市",
                 indicators=SHARE_INDICATORS) -> pd.DataFrame:
    """``part_entity``'s value in the report over ``whole_entity``'s published value, for every year both exist.

    Columns SERIES_COLUMNS: part (the report's value), whole (the external one, same unit), share in % of the
    whole (part / whole × 100, unrounded), the whole's source_id and its place in the source in both languages
    (location_zh, location_en: observations.csv location_zh, location), as audit.external's checks hold it. One
    row per external figure, so
    a year two sources publish appears twice. Rows are sorted by indicator (``indicators`` order) and year; an
    empty frame (same columns) when nothing matches. Source of the method: a plain ratio, as 表5 prints it.
    """
    obs, ext_obs, rows = data.observations, ext.observations, []
    for indicator in indicators:
        part = obs[(obs["entity"] == part_entity) & (obs["indicator"] == indicator)].set_index("year")
        whole = ext_obs[(ext_obs["entity"] == whole_entity) & (ext_obs["indicator"] == indicator)]
        for w in whole.to_dict("records"):
            if w["year"] not in part.index or pd.isna(part.loc[w["year"], "value"]) or part.loc[w["year"], "unit"] != w["unit"]:
                continue
            p = float(part.loc[w["year"], "value"])
            rows.append({"indicator": indicator, "year": int(w["year"]), "part": p, "whole": float(w["value"]),
                         "share": 100 * p / float(w["value"]), "unit": w["unit"], "source_id": w["source_id"],
                         "location_zh": w["location_zh"], "location_en": w["location"]})
    out = pd.DataFrame(rows, columns=SERIES_COLUMNS)
    return out.sort_values(["indicator", "year"], key=lambda s: s.map(list(indicators).index)
                           if s.name == "indicator" else s).reset_index(drop=True)


def whole_of(data, entity: str) -> str:
    """The entity ``entity`` is part of (entities.csv ``parent``: 武昌区 -> 武汉市, 南山区 -> 深圳市); '' for none.
    Raises KeyError naming ``entity`` when entities.csv has no such row."""
    ent = data.tables["entities"].set_index("entity")
    if entity not in ent.index:
        raise KeyError(f"unknown entity {entity!r}")
    parent = ent.loc[entity, "parent"]
    return "" if pd.isna(parent) else str(parent)
