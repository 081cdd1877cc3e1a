"""Notebook prose that depends on the parameters, generated from the data as Markdown.

A notebook's fixed markdown cannot name the focus district or quote its numbers, because ``focus``, ``peers``
and ``lang`` change; these functions return the Markdown a code cell shows (report.present.show_markdown),
every number in it computed from the observations and every word from the language catalogue.
"""
from __future__ import annotations

import pandas as pd

from analysis_utils.analysis.compare import join_source_ids
from analysis_utils.analysis.external_series import SHARE_INDICATORS
from analysis_utils.analysis.growth import PROXY_SERIES, series_cagr
from analysis_utils.data.load import Dataset
from analysis_utils.labels import check_lang, join, text
from analysis_utils.report.names import entity_names, in_sentence, indicator_name
from analysis_utils.report.present import with_formats
from analysis_utils.report.report_tables import empty_rows, marked_numbers
from analysis_utils.rounding import format_fixed, format_percent

SIZE_INDICATORS = ("resident_population", "area", "gdp")
SIZE_DECIMALS = 2  # the precision of the size table beside the sentences: a sentence quotes what the table shows
SIZE_KEYS = ("entity", *SIZE_INDICATORS, *(f"{i}_x" for i in SIZE_INDICATORS))  # catalogue "size.<key>"


def _sizes(data: Dataset, entities: list[str], year: int) -> tuple[pd.DataFrame, ...]:
    """(values, multiples, their sources, the multiples' sources) of SIZE_INDICATORS: entity × indicator frames, in
    the order given; a value NaN where not observed, a multiple its value ÷ the first entity's; a source the
    registry id of the observation (values) or of both observations (multiples: analysis.compare.join_source_ids),
    '' for the report's numbers and where there is no number."""
    obs = data.observations
    sel = obs[obs["entity"].isin(entities) & obs["indicator"].isin(SIZE_INDICATORS) & (obs["year"] == year)]
    sel = sel[sel["qualifier"] != "missing"]  # a '-' is no number of anyone's
    values = sel.pivot_table(index="entity", columns="indicator", values="value", aggfunc="first")
    values = values.reindex(index=entities, columns=list(SIZE_INDICATORS)).astype(float)
    own = {(e, i): s for e, i, s in zip(sel["entity"], sel["indicator"], sel["source_id"].astype(str))}
    sources = pd.DataFrame([[own.get((e, i), "") for i in SIZE_INDICATORS] for e in entities], index=values.index,
                           columns=list(SIZE_INDICATORS))
    multiples = values / values.iloc[0]
    joined = pd.DataFrame([[join_source_ids(sources.loc[e, i], sources.iloc[0][i]) for i in SIZE_INDICATORS]
                           for e in entities], index=values.index, columns=list(SIZE_INDICATORS))
    return values, multiples, sources, joined.where(multiples.notna(), "")


def district_sizes(data: Dataset, entities: list[str], year: int, lang: str = "zh") -> pd.DataFrame:
    """Residents, area and GDP of each entity in ``year``, and each as a multiple of the first entity (the focus).

    Returns one row per entity, columns (headed in ``lang`` by ``size.<name>`` with the indicator's name from
    indicators.csv, as every other table and sentence names it): entity name, population (万人),
    area (km²), GDP (亿元), then population, area and GDP ÷ the focus's (×). A size that is not observed is NaN.
    A size from another source (its observation's source_id), and a multiple computed from one (the entity's or
    the focus's), carries OTHER_MARK after its number ('28.29†', '0.25†'), its column then text
    (report_tables.marked_numbers): report_tables.others_note names the sources under the table; with the report's
    numbers only, every column is numbers.
    Raises ParameterError for a ``lang`` other than 'zh'/'en'.
    """
    check_lang(lang)
    names = entity_names(data, lang)
    values, multiples, sources, multiple_sources = _sizes(data, entities, year)
    out = pd.DataFrame({text("size.entity", lang): [names[e] for e in entities]})
    kinds = {}
    for frame, frame_sources, suffix, kind in ((values, sources, "", "value"),
                                               (multiples, multiple_sources, "_x", "ratio")):
        for indicator in SIZE_INDICATORS:
            column = text(f"size.{indicator}{suffix}", lang, name=_name(data, indicator, lang))
            marked = marked_numbers(frame[indicator], frame_sources[indicator], kind)
            out[column] = frame[indicator].to_numpy() if marked is None else marked
            if marked is None:
                kinds[column] = kind
    # a page shows the sizes as the data hold them (113, 87.42, 3,715) and the multiples at two decimals
    return with_formats(out, kinds)


def _name(data: Dataset, indicator: str, lang: str) -> str:
    """The indicator's name in ``lang`` (indicators.csv name_zh / name_en): the one name every page uses."""
    return indicator_name(data, indicator, lang)


def size_sentences(data: Dataset, focus: str, peers: list[str], year: int, lang: str = "zh") -> str:
    """Markdown bullets, one per peer: its population, area and GDP as multiples of the focus's (from
    district_sizes), at the table's precision (SIZE_DECIMALS), e.g.
    '- 南山区：常住人口为武昌区的0.99倍，面积为2.12倍，区域总产值为4.27倍。' (names from indicators.csv).

    Raises ParameterError for a ``lang`` other than 'zh'/'en'.
    """
    check_lang(lang)
    multiples = _sizes(data, [focus, *peers], year)[1]
    names = entity_names(data, lang)
    lines = []
    for peer in peers:
        clauses, first = {}, True
        for key, indicator in zip(("population", "area", "gdp"), SIZE_INDICATORS):
            x, name = multiples.loc[peer, indicator], in_sentence(_name(data, indicator, lang), lang)
            if pd.isna(x):  # a missing number: said so, not '-×' (a user's district without its area)
                clauses[key] = text("narrative.size_unknown", lang, name=name)
                continue
            clauses[key] = text("narrative.size_first" if first else "narrative.size_next", lang, name=name,
                                focus=names[focus], x=format_fixed(x, SIZE_DECIMALS))
            first = False
        lines.append("- " + text("narrative.sizes", lang, peer=names[peer], **clauses))
    return "\n".join(lines)


def question(data: Dataset, focus: str, peers: list[str], lang: str = "zh") -> str:
    """The question a comparison notebook answers, naming this run's focus and peers (Markdown, one line).

    Raises ParameterError for a ``lang`` other than 'zh'/'en'.
    """
    check_lang(lang)
    names = entity_names(data, lang)
    return text("narrative.question", lang, focus=names[focus], peers=join([names[p] for p in peers], lang, names=True))


def empty_rows_note(table: pd.DataFrame, lang: str = "zh") -> str:
    """A note for under a printed table naming its rows that hold no value at all (report_tables.empty_rows), e.g.
    '南山区在数据中没有本表的任何数值，该行各格显示为“-”。'; '' when every row has a value.

    Raises ParameterError for a ``lang`` other than 'zh'/'en'.
    """
    check_lang(lang)
    empty = empty_rows(table)
    return text("narrative.empty_rows", lang, names=join(empty, lang, names=True)) if empty else ""


def gap_reading(data: Dataset, focus: str, gaps: pd.DataFrame, lang: str = "zh") -> str:
    """How to read the gap table (analysis.growth.gap_table's frame ``gaps``, shown by report_tables.gap_view), as
    Markdown paragraphs in ``lang``: what its columns "ratio is" and "focus is" mean (their headers and values quoted
    from the catalogue), then where the focus's own growth comes from, only as far as ``gaps`` uses it: the proxy
    series (growth.PROXY_SERIES: which indicator, which series of ``focus``, its years and CAGR) where a row's
    focus_growth_basis is 'proxy', the assumed rate where it is 'scenario', and empty years where a trailing row
    has 'none'. Raises ParameterError for a ``lang`` other than 'zh'/'en'.
    """
    check_lang(lang)
    column = {c: text(f"gap.{c}", lang) for c in ("ratio_bound", "position", "focus_growth_basis")}
    out = [text("narrative.gap_columns", lang, ratio_is=column["ratio_bound"], lower=text("bound.lower", lang),
                focus_is=column["position"], leads=text("position.leads", lang), level=text("position.level", lang),
                unknown=text("position.unknown", lang))]
    names = entity_names(data, lang)
    bases = gaps.groupby("indicator")["focus_growth_basis"].agg(set)
    for indicator, series in PROXY_SERIES.items():
        if "proxy" in bases.get(indicator, set()):
            c = series_cagr(data, focus, series)
            out.append(text("narrative.gap_proxy", lang, entity=names.get(focus, focus),
                            indicator=in_sentence(indicator_name(data, indicator, lang), lang),
                            series=in_sentence(indicator_name(data, series, lang), lang), start=c["start"], end=c["end"],
                            cagr=format_percent(c["cagr"]), basis=column["focus_growth_basis"],
                            proxy=text("growth_basis.proxy", lang)))
    scenario = gaps.loc[gaps["focus_growth_basis"] == "scenario", "focus_growth"]
    if len(scenario):
        out.append(text("narrative.gap_scenario", lang, basis=column["focus_growth_basis"],
                        scenario=text("growth_basis.scenario", lang), growth=format_percent(scenario.iloc[0])))
    if ((gaps["focus_growth_basis"] == "none") & (gaps["position"] == "trails")).any():
        out.append(text("narrative.gap_no_growth", lang, basis=column["focus_growth_basis"],
                        none=text("growth_basis.none", lang)))
    return "\n\n".join(out)


def series_sentence(data: Dataset, ext, entity: str, whole: str, series: pd.DataFrame, lang: str = "zh",
                    indicators=SHARE_INDICATORS) -> str:
    """The sentence in ``lang`` before the series of ``entity``'s share of ``whole`` (analysis.external_series:
    share_series' frame ``series``, whole_of's ``whole``): what the series rests on or, for an empty ``series``, why
    there is none, from the data: ``entity`` has no city (``whole`` ''); or the report (``data``) gives
    ``indicators`` for other entities only, named, not for ``entity`` (and, if so, that the published figures
    ``ext`` (data.external.ExternalData) hold none of ``whole``'s totals either); or the published figures hold no
    totals of ``whole`` for the years (named) and units of ``entity``'s numbers. Raises ParameterError for a bad
    ``lang``."""
    check_lang(lang)
    names = entity_names(data, lang)
    label, whole_label = names.get(entity, entity), names.get(whole, whole)
    if not series.empty:
        return text("external.series_lead", lang, entity=label, whole=whole_label)
    if not whole:
        return text("external.series_no_city", lang, entity=label)
    obs = data.observations
    given = obs[obs["indicator"].isin(indicators) & obs["value"].notna()]
    order = [i for i in indicators if i in set(given["indicator"])] or list(indicators)
    indicators_named = join([in_sentence(indicator_name(data, i, lang), lang) for i in order], lang, names=True)
    own = given[given["entity"] == entity]
    if own.empty:
        having = [names.get(e, e) for e in dict.fromkeys(given["entity"])]
        parts = [text("external.series_no_part", lang, entity=label, whole=whole_label, indicators=indicators_named,
                      having=join(having, lang, names=True)) if having else
                 text("external.series_no_part_anyone", lang, entity=label, whole=whole_label,
                      indicators=indicators_named)]
        if not ((ext.observations["entity"] == whole) & ext.observations["indicator"].isin(indicators)).any():
            parts.append(text("external.series_no_totals", lang, whole=whole_label))
        return text("finding.two_sentences", lang, a=parts[0], b=parts[1]) if len(parts) > 1 else parts[0]
    own_names = join([in_sentence(indicator_name(data, i, lang), lang) for i in dict.fromkeys(own["indicator"])], lang,
                     names=True)
    start, end = int(own["year"].min()), int(own["year"].max())
    years = str(start) if start == end else text("external.year_span", lang, start=start, end=end)
    return text("external.series_none", lang, entity=label, whole=whole_label, indicators=own_names, years=years)
