"""Every chart notebooks 01–06 draw, built with the notebooks' own calls from the packaged data (focus_figures() and
common_figures()), for 武昌区 in Chinese and 南山区 in English (SURVEYED), laid out once and read as a reader sees it
(tests/_support/charts.py): every text in the reader's language, no text over another, past the figure's edge or a
value label past its frame, three ticks on every numeric axis, names on a y axis read across.

It runs the analysis behind each chart (comparisons, gaps, the composite index and its uncertainty), so it is here and
not among the unit tests of report/charts (tests/unit/report/test_charts.py), which test each chart's own promises
and the reading rules themselves."""
from __future__ import annotations

import matplotlib
import pytest

from analysis_utils.analysis import compare, growth, tables
from analysis_utils.analysis.external_series import share_series, whole_of
from analysis_utils.composite import indicators
from analysis_utils.report import charts, report_tables
from analysis_utils.report.names import (
    entity_names,
    indicator_labels,
    indicator_names,
    label_rows,
)
from tests._support.charts import (
    external_figure,
    read_charts,
    sensitivity_with_a_blank_row,
    wrong_language,
)

matplotlib.use("Agg")

# Each focus and each language once, crossed: a chart costs about 0.3 CPU-s to make and lay out, and all four pairs
# took 14 CPU-s. A focus changes the numbers and names drawn, a language the texts and their widths;
# tests/unit/report/test_charts.py's long-name test puts both languages on fig2 and fig6.
SURVEYED = (("武昌区", "zh"), ("南山区", "en"))


def common_figures(data, ext, checks, audit, lang: str):
    """(name, figure) of the charts the notebooks draw that are the same whatever the focus, built with the
    notebooks' calls: 01–05's share_bars (武昌区 in 武汉市, named by the chart itself) and verdict_bars (``audit``:
    claims.audit of 表1 and 表2), and 06's external_comparison_plot (:func:`external_figure`)."""
    names = entity_names(data, lang)
    yield "share_bars", charts.share_bars(report_tables.table_5(data, lang=lang, as_printed=False), names["武昌区"],
                                          names["武汉市"], 2014, lang)
    yield "verdict_bars", charts.verdict_bars(audit, lang)
    yield "external_comparison_plot", external_figure(data, ext, checks, lang)


def focus_figures(data, ext, focus: str, lang: str):
    """(name, figure) of the charts the notebooks draw for ``focus``, built with the notebooks' calls: those of
    01–05, then 06's share_series_plot (None where no published whole exists)."""
    names = entity_names(data, lang)
    peers = [d for d in data.districts() if d != focus]
    entity = tables.entity_with_series(data, focus)
    table1 = report_tables.table_1(data, lang=lang, entity=entity, as_printed=False)
    yield "indexed_series", charts.indexed_series(table1, lang)
    ratios = label_rows(compare.table2_ratios(data, focus, peers, 2015), data, lang)
    yield "ratio_dot_plot", charts.ratio_dot_plot(ratios, names[focus], 2015, lang)
    talent = label_rows(compare.talent_long(data, [focus, *peers]), data, lang)
    yield "talent_dot_plot", charts.talent_dot_plot(talent, lang)
    table4 = report_tables.table_4(data, lang=lang, as_printed=False)
    yield "makerspace_dumbbell", charts.makerspace_dumbbell(table4, lang)
    norm = label_rows(compare.normalised_ratios(data, focus, peers, 2015), data, lang)
    yield "normalised_dot_plot", charts.normalised_dot_plot(norm, names[focus], 2015, lang)
    historical = growth.historical_growth(data, focus)
    gaps = label_rows(growth.gap_table(data, focus, peers, 2015, 2020, focus_growth=historical), data, lang)
    hist = historical.get("invention_patents_per_10k", (None, ""))[0]
    yield "required_growth_plot", charts.required_growth_plot(gaps[gaps["denominator"] == "total"], 2020, hist, lang,
                                                              names[focus])
    matrix = indicators.indicator_matrix(data, [focus, *peers], 2015, min_coverage=0.5)
    nominal, _w = indicators.composite_nominal(matrix, normalisation="ratio", aggregation="geometric", weights=None,
                                               censored="bound", missing="mean", reference=focus)
    labels = indicator_labels(data, lang)
    yield "contributions_plot", charts.contributions_plot(nominal.contributions.rename(index=names), labels,
                                                          "geometric", lang, record=nominal.record, names=names,
                                                          reference=names[focus])
    mc, _w = indicators.run_uncertainty(matrix, 60, 1, weights=None, reference=focus, normalisation="ratio",
                                        aggregation="geometric", censored="bound", missing="mean")
    yield "rank_frequency_heatmap", charts.rank_frequency_heatmap(mc.rank_frequency.rename(index=names), 60, lang)
    yield "sensitivity_heatmap", charts.sensitivity_heatmap(mc.position_sensitivity.rename(index=names), 60, lang,
                                                            title_key="chart.pos_sens_title")
    # a sensitivity frame where something moved and two rows never did: both cell texts and the note are drawn
    yield "sensitivity_heatmap(rank)", charts.sensitivity_heatmap(sensitivity_with_a_blank_row(names), 60, lang)
    whole = whole_of(data, focus)
    series = share_series(data, ext, part_entity=focus, whole_entity=whole)
    yield "share_series_plot", charts.share_series_plot(series, names[focus], names.get(whole, whole),
                                                        indicator_names(data, lang), lang)


@pytest.fixture(scope="module")
def survey(data, ext, checks, claims_audit):
    """survey(focus, lang): :func:`read_charts` of every chart the notebooks draw (:func:`focus_figures` and
    :func:`common_figures`), each drawn once per module: the language test and the reader's test below share the
    drawing, and a chart that reads no focus is drawn once per language."""
    # 01–02's audit at 表1 and 表2, claims.audit(data, at=[...]): the full audit's rows there (tests/unit/audit)
    audit = claims_audit[claims_audit["source"].isin(["表1", "表2"])].reset_index(drop=True)
    common, surveys = {}, {}

    def survey_of(focus: str, lang: str) -> dict[str, dict]:
        if lang not in common:
            common[lang] = read_charts(common_figures(data, ext, checks, audit, lang))
        if (focus, lang) not in surveys:
            surveys[focus, lang] = {**read_charts(focus_figures(data, ext, focus, lang)), **common[lang]}
        return surveys[focus, lang]

    return survey_of


@pytest.mark.parametrize("focus, lang", SURVEYED)
def test_every_chart_text_is_in_the_reader_language(data, survey, focus, lang):
    proper = list(entity_names(data, lang).values())
    charts_drawn = survey(focus, lang)
    bad = {name: wrong for name, drawn in charts_drawn.items()
           if (wrong := [t for t in drawn["texts"] if wrong_language(t, lang, proper)])}
    assert len(charts_drawn) >= 11, sorted(charts_drawn)
    assert not bad, bad


@pytest.mark.parametrize("focus, lang", SURVEYED)
def test_no_chart_prints_text_over_text_or_has_an_axis_of_fewer_than_three_ticks(survey, focus, lang):
    """Every chart the notebooks draw with the packaged data (each focus and each language, SURVEYED): no two drawn
    texts (titles, labels, tick labels, annotations, legend entries, notes) overlap, and every numeric axis shows at
    least three ticks. (Heatmap and category axes are fixed lists and not counted.)"""
    charts_drawn = survey(focus, lang)
    assert len(charts_drawn) >= 12, sorted(charts_drawn)
    overlaps = {name: drawn["overlaps"] for name, drawn in charts_drawn.items() if drawn["overlaps"]}
    assert not overlaps, overlaps
    few = {name: drawn["few_ticks"] for name, drawn in charts_drawn.items() if drawn["few_ticks"]}
    assert not few, few
    cut = {name: drawn["outside"] for name, drawn in charts_drawn.items() if drawn["outside"]}
    assert not cut, cut  # saved as laid out, at the figure's size: a text beyond its edge would be cut off
    over = {name: drawn["past_frame"] for name, drawn in charts_drawn.items() if drawn["past_frame"]}
    assert not over, over  # a value label runs over its axes' frame (fig5's '3.11%', fig6's '22' did)
    sideways = {name: drawn["sideways"] for name, drawn in charts_drawn.items() if drawn["sideways"]}
    assert not sideways, sideways  # names on the y axis read across (fig10's districts were turned on their side)
