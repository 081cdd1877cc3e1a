"""report/charts/: every text drawn on a chart is in the reader's language, and what a chart labels holds.

Each chart function of report/charts/ (except external_comparison_plot and share_series_plot, tested at the end
of this file as 06 draws them) is built as notebooks 01–05 build it, from the packaged data, for focus 武昌区 and
南山区 in zh and en. After drawing, every visible Text of the figure is read (titles, suptitle, axis labels, tick
labels, legend entries, fig.texts, annotations, colour-bar labels):
- en: no CJK character at all (no legend entry is declared original-language);
- zh: no Latin word except R&D, GDP and the method names the catalogue keeps (none today), and units
  such as % or km² are not words."""
from __future__ import annotations

import re

import matplotlib
import matplotlib.pyplot as plt  # noqa: E402
import pytest
from matplotlib.text import Text  # noqa: E402

from analysis_utils.analysis import compare, growth, tables  # noqa: E402
from analysis_utils.analysis.external_series import share_series, whole_of
from analysis_utils.audit import (
    claims,  # noqa: E402
)
from analysis_utils.composite import indicators  # noqa: E402
from analysis_utils.report import (
    charts,
    external_views,
    report_tables,  # noqa: E402
)
from analysis_utils.report.names import entity_names, indicator_labels, indicator_names, label_rows  # noqa: E402
from tests._support.language import CJK, LATIN_LETTERS, texts_in_wrong_language

matplotlib.use("Agg")


ALLOWED_LATIN = re.compile(r"R&D|GDP|km²|m²")


FOCI = ("武昌区", "南山区")
LANGS = ("zh", "en")


def wrong_language(label: str, lang: str, proper_names=()) -> bool:
    """True if ``label`` holds text of the other language (see the module docstring). ``proper_names`` are
    names as the data spell them in ``lang`` (a makerspace called '5.5SPACE' is not an English word in zh)."""
    if lang == "en":
        return bool(CJK.search(label))
    for name in sorted(proper_names, key=len, reverse=True):
        label = label.replace(name, "")
    return bool(LATIN_LETTERS.search(ALLOWED_LATIN.sub("", label)))


def test_the_language_rule_itself():
    # hand cases: the rule must catch both directions and let units and R&D through
    assert wrong_language("专利授权数量", "en") and wrong_language("Patent grants（件）", "en")
    assert not wrong_language("Patent grants (2011 = 100)", "en")
    assert wrong_language("exact", "zh") and wrong_language("ratio 标准化", "zh")
    assert not wrong_language("5.5SPACE", "zh", ["5.5SPACE"]) and wrong_language("5.5SPACE exact", "zh", ["5.5SPACE"])
    assert not wrong_language("年度研发投入（R&D）占GDP比例 %", "zh") and not wrong_language("面积 km²", "zh")


def all_texts(fig) -> list[str]:
    fig.draw_without_rendering()  # tick labels exist only once drawn (laid out; no pixels needed to read texts)
    return [t.get_text() for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]


def figures(data, focus: str, lang: str):
    """(name, figure) for every chart 01–05 draw, built with the notebooks' calls."""
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
    yield "share_bars", charts.share_bars(report_tables.table_5(data, lang=lang, as_printed=False), names["武昌区"],
                                          names["武汉市"], 2014, lang)
    norm = label_rows(compare.normalised_ratios(data, focus, peers, 2015), data, lang)
    yield "normalised_dot_plot", charts.normalised_dot_plot(norm, names[focus], 2015, lang)
    historical = growth.historical_growth(data, focus)
    gaps = label_rows(growth.gap_table(data, focus, peers, 2015, 2020, focus_growth=historical), data, lang)
    hist = historical.get("invention_patents_per_10k", (None, ""))[0]
    yield "required_growth_plot", charts.required_growth_plot(gaps[gaps["denominator"] == "total"], 2020, hist, lang)
    yield "verdict_bars", charts.verdict_bars(claims.audit(data, at=["表1", "表2"]), lang)
    matrix = indicators.indicator_matrix(data, [focus, *peers], 2015, min_coverage=0.5)
    nominal, _w = indicators.composite_nominal(matrix, normalisation="ratio", aggregation="geometric", weights=None,
                                               censored="bound", missing="mean", reference=focus)
    labels = indicator_labels(data, lang)
    yield "contributions_plot", charts.contributions_plot(nominal.contributions.rename(index=names), labels,
                                                          "geometric", lang, record=nominal.record, names=names)
    mc, _w = indicators.run_uncertainty(matrix, 60, 1, weights=None, reference=focus, normalisation="ratio",
                                        aggregation="geometric", censored="bound", missing="mean")
    yield "rank_frequency_heatmap", charts.rank_frequency_heatmap(mc.rank_frequency.rename(index=names), 60, lang)
    yield "sensitivity_heatmap", charts.sensitivity_heatmap(mc.position_sensitivity.rename(index=names), 60, lang,
                                                            title_key="chart.pos_sens_title")
    # a sensitivity frame where something moved and a row never did: both cell texts and the note are drawn
    import numpy as np
    import pandas as pd

    from analysis_utils.composite.sensitivity import FACTORS
    sens = pd.DataFrame([[0.5] * len(FACTORS), [np.nan] * len(FACTORS)], index=[names[focus], names[peers[0]]],
                        columns=list(FACTORS))
    yield "sensitivity_heatmap(rank)", charts.sensitivity_heatmap(sens, 60, lang)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("focus", FOCI)
def test_every_chart_text_is_in_the_reader_language(data, focus, lang):
    bad, seen = {}, set()
    proper = list(entity_names(data, lang).values())
    for name, fig in figures(data, focus, lang):
        if fig is None:
            continue
        seen.add(name)
        wrong = [t for t in all_texts(fig) if wrong_language(t, lang, proper)]
        if wrong:
            bad[name] = wrong
        plt.close(fig)
    assert len(seen) >= 11, seen
    assert not bad, bad


# ---------------------------------------------------------------- the ratio chart's bound labels
def test_every_bound_label_on_the_ratio_chart_still_holds(data):
    """An upper bound 0.13485 (Wuchang's R&D expenditure over Nanshan's, seen from Nanshan) was labelled '≤0.13'."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.text import Annotation

    from analysis_utils.analysis import compare
    from analysis_utils.report import charts
    from analysis_utils.report.names import label_rows

    ratios = label_rows(compare.table2_ratios(data, "南山区", ["武昌区", "余杭区"], 2015), data, "en")
    fig = charts.ratio_dot_plot(ratios, "Nanshan", 2015, "en")
    labels = [a.get_text() for a in fig.findobj(Annotation) if a.get_text()[:1] in "≤≥"]
    assert "≤0.14" in labels and "≤0.13" not in labels
    bounds = ratios[ratios["ratio_bound"].isin(["lower", "upper"])]
    for sign, label_value in ((t[0], float(t[1:])) for t in labels):
        side = bounds[bounds["ratio_bound"] == ("upper" if sign == "≤" else "lower")]["ratio"]
        assert any((label_value >= v) if sign == "≤" else (label_value <= v) for v in side), (sign, label_value)


# ---------------------------------------------------------------- 06's charts: published figures and the share series
def test_no_chart_for_an_empty_series(data, ext):
    series = share_series(data, ext, part_entity="南山区", whole_entity="深圳市")
    assert charts.share_series_plot(series, "南山区", "深圳市", {}, "zh") is None


def chart_texts(fig):
    out = [t.get_text() for t in fig.texts]
    for ax in fig.axes:
        out += [ax.get_title(), ax.get_xlabel(), ax.get_ylabel()]
        out += [t.get_text() for t in ax.get_xticklabels() + ax.get_yticklabels() + ax.texts]
        if ax.get_legend():
            out += [t.get_text() for t in ax.get_legend().get_texts()]
    return [t for t in out if t]


@pytest.mark.parametrize("focus", ["武昌区", "南山区"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_chart_texts_in_the_page_language(data, ext, checks, lang, focus):
    import matplotlib.pyplot as plt

    fig = charts.external_comparison_plot(external_views.worded(checks, data, ext, lang), lang)
    fig.draw_without_rendering()
    texts = chart_texts(fig)
    assert not texts_in_wrong_language(texts, lang), texts_in_wrong_language(texts, lang)
    legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert legend[:2] == {"en": ["agrees with the published figure", "differs from the published figure"],
                          "zh": ["与公开数据相符", "与公开数据不符"]}[lang]
    assert {"en": "I(2).3 2.9%", "zh": "一(二)3 2.9%"}[lang] in texts
    plt.close(fig)
    names, whole = entity_names(data, lang), whole_of(data, focus)
    series = share_series(data, ext, part_entity=focus, whole_entity=whole)
    labels = indicator_names(data, lang)
    fig = charts.share_series_plot(series, names[focus], names[whole], labels, lang)
    if focus == "南山区":  # no published Shenzhen totals: no chart (the page says why in a sentence)
        assert fig is None
        return
    fig.draw_without_rendering()
    texts = chart_texts(fig)
    assert not texts_in_wrong_language(texts, lang), texts_in_wrong_language(texts, lang)
    title = fig.axes[0].get_title()
    expected_names = {"en": ("Wuchang District", "Wuhan"), "zh": ("武昌区", "武汉市")}[lang]
    assert all(n in title for n in expected_names)
    legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert {"en": {"Patent applications", "Patent grants"}, "zh": {"专利申报", "专利授权数量"}}[lang] <= set(legend)
    plt.close(fig)
