"""Series the published statistics extend: a report entity's share of a published whole, year by year."""
from __future__ import annotations

import pandas as pd

from analysis_utils.data.external import text_column
from analysis_utils.labels import check_lang, join, name_column, text

SHARE_INDICATORS = ("patent_applications", "patent_grants", "invention_patent_grants", "tech_contract_turnover")
SERIES_COLUMNS = ["indicator", "year", "part", "whole", "share", "unit", "source_id", "location"]


def share_series(data, ext, part_entity: str = "武昌区", whole_entity: str = "武汉市",
                 indicators=SHARE_INDICATORS) -> pd.DataFrame:
    """``part_entity``'s value in the report over ``whole_entity``'s published value, for every year both exist.

    Columns SERIES_COLUMNS: part (the report's value), whole (the external one, same unit), share in % of the
    whole (part / whole × 100, unrounded), the whole's source_id and location. One row per external figure, so
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
                         "location": w["location"]})
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


def series_sentence(data, ext, entity: str, whole: str, series: pd.DataFrame, lang: str = "zh",
                    indicators=SHARE_INDICATORS) -> str:
    """The sentence in ``lang`` before the series of ``entity``'s share of ``whole`` (share_series' frame
    ``series``, whole_of's ``whole``): what the series rests on or, for an empty ``series``, why there is none,
    from the data: ``entity`` has no city (``whole`` ''); or the report (``data``) gives ``indicators`` for other
    entities only, named, not for ``entity`` (and, if so, that the published figures ``ext`` hold none of
    ``whole``'s totals either); or the published figures hold no totals of ``whole`` for the years (named) and
    units of ``entity``'s numbers. Raises ParameterError for a bad ``lang``."""
    check_lang(lang)
    names = data.entity_names(lang)
    label, whole_label = names.get(entity, entity), names.get(whole, whole)
    if not series.empty:
        return text("external.series_lead", lang, entity=label, whole=whole_label)
    if not whole:
        return text("external.series_no_city", lang, entity=label)
    obs = data.observations
    given = obs[obs["indicator"].isin(indicators) & obs["value"].notna()]
    order = [i for i in indicators if i in set(given["indicator"])] or list(indicators)
    indicator_names = join([data.indicator_meta(i)[name_column(lang)] for i in order], lang, names=True)
    own = given[given["entity"] == entity]
    if own.empty:
        having = [names.get(e, e) for e in dict.fromkeys(given["entity"])]
        parts = [text("external.series_no_part", lang, entity=label, whole=whole_label, indicators=indicator_names,
                      having=join(having, lang, names=True)) if having else
                 text("external.series_no_part_anyone", lang, entity=label, whole=whole_label,
                      indicators=indicator_names)]
        if not (ext.observations["entity"] == whole).any():
            parts.append(text("external.series_no_totals", lang, whole=whole_label))
        return text("finding.two_sentences", lang, a=parts[0], b=parts[1]) if len(parts) > 1 else parts[0]
    own_names = join([data.indicator_meta(i)[name_column(lang)] for i in dict.fromkeys(own["indicator"])], lang,
                     names=True)
    start, end = int(own["year"].min()), int(own["year"].max())
    years = str(start) if start == end else text("external.year_span", lang, start=start, end=end)
    return text("external.series_none", lang, entity=label, whole=whole_label, indicators=own_names, years=years)


def series_view(series: pd.DataFrame, ext, indicator_names: dict, units, entity_label: str, whole_label: str,
                lang: str = "zh") -> pd.DataFrame:
    """share_series' frame for readers of ``lang``: indicator names (``indicator_names``: id -> name in ``lang``),
    year, the part, the whole, the share in %, the unit (``units``: data.units.UnitTable, its label), the whole's
    publisher and place in the source in ``lang`` (data.external.text_column) and the source's own words there
    under a header saying they are the original; headers from the catalogue (part and whole named by
    ``entity_label`` and ``whole_label``). Raises ParameterError for a bad ``lang``."""
    check_lang(lang)
    sources = ext.sources.set_index("source_id")
    obs = ext.observations.set_index(["source_id", "location"], drop=False)
    keys = list(zip(series["source_id"], series["location"]))
    view = pd.DataFrame({
        text("external.series_indicator", lang): [indicator_names.get(i, i) for i in series["indicator"]],
        text("external.series_year", lang): series["year"],
        text("external.series_part", lang, entity=entity_label): series["part"],
        text("external.series_whole", lang, whole=whole_label): series["whole"],
        text("external.series_share", lang): series["share"],
        text("external.series_unit", lang): [units.label(u, lang) for u in series["unit"]],
        text("external.series_publisher", lang): [sources.loc[s, text_column("publisher", lang)]
                                                   for s in series["source_id"]],
        text("external.series_location", lang): [obs.loc[k, text_column("location", lang)] for k in keys],
        text("external.col.quote", lang): [obs.loc[k, "quote"] for k in keys],
    })
    for column in view.columns[2:4]:  # counts stay whole numbers on the page ('4481', not '4481.00')
        values = pd.to_numeric(view[column], errors="coerce")
        if values.notna().all() and (values % 1 == 0).all():
            view[column] = values.astype("Int64")
    return view.reset_index(drop=True)
