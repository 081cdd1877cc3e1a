"""report/charts/: what each chart promises a reader (bounds drawn open and named, one row per printed number, a
district's look on every chart, footnotes clear of the labels, a long name over nothing), and the rules that read a
drawn figure (tests/_support/charts.py) on hand-made figures. Every chart as the notebooks draw it, read by these
rules: tests/integration/test_notebook_charts.py."""
from __future__ import annotations

import matplotlib
import matplotlib.pyplot as plt
import pytest
from matplotlib.text import Text

from analysis_utils.analysis import compare, growth
from analysis_utils.analysis.external_series import share_series, whole_of
from analysis_utils.report import charts, external_views, report_tables
from analysis_utils.report.names import entity_names, indicator_names, label_rows
from tests._support.charts import (
    drawn_ticks,
    external_figure,
    outside_figure,
    overlapping_texts,
    past_the_frame,
    read_charts,
    sensitivity_with_a_blank_row,
    wrong_language,
)

matplotlib.use("Agg")



FOCI = ("武昌区", "南山区")
LANGS = ("zh", "en")


def test_the_language_rule_itself():
    # hand cases: the rule must catch both directions and let units and R&D through
    assert wrong_language("专利授权数量", "en") and wrong_language("Patent grants（件）", "en")
    assert not wrong_language("Patent grants (2011 = 100)", "en")
    assert wrong_language("exact", "zh") and wrong_language("ratio 标准化", "zh")
    assert not wrong_language("5.5SPACE", "zh", ["5.5SPACE"]) and wrong_language("5.5SPACE exact", "zh", ["5.5SPACE"])
    assert not wrong_language("年度研发投入（R&D）占GDP比例 %", "zh") and not wrong_language("面积 km²", "zh")


# ------------------------------------------------------------------------------------------ what a reader sees
# Expected texts below are written by hand from the report and the catalogue's meaning, not copied from output.
KIND_LEGEND = {"zh": {"exact": "精确值", "lower": "下限（真实值至少如此）", "upper": "上限（真实值至多如此）"},
               "en": {"exact": "exact value", "lower": "lower bound (true value at least this)",
                      "upper": "upper bound (true value at most this)"}}


def legend_texts(fig) -> list[str]:
    legends = list(fig.legends) + [ax.get_legend() for ax in fig.axes if ax.get_legend()]
    return [t.get_text() for legend in legends for t in legend.get_texts()]


def kind_collections(fig, kind: str):
    return [c for c in fig.axes[0].collections if c.get_gid() == f"kind:{kind}"]


@pytest.mark.parametrize("lang", LANGS)
def test_talent_chart_draws_nanshan_10wan_yu_as_an_open_lower_bound(data, lang):
    """表3 prints Nanshan's researchers as '10万余人': more than 100,000, a lower bound, not exactly 100,000."""
    talent = label_rows(compare.talent_long(data, ["武昌区", "南山区", "余杭区"]), data, lang)
    fig = charts.talent_dot_plot(talent, lang)
    fig.draw_without_rendering()
    legend = legend_texts(fig)
    assert KIND_LEGEND[lang]["lower"] in legend and KIND_LEGEND[lang]["exact"] in legend
    assert KIND_LEGEND[lang]["upper"] not in legend  # no upper bound on this chart: no entry for one
    assert {"zh": {"武昌区", "南山区", "余杭区"}, "en": {"Wuchang District", "Nanshan District", "Yuhang District"}}[
        lang] <= set(legend)
    (bound,) = kind_collections(fig, "lower")
    assert bound.get_offsets().tolist() == [[100_000, pytest.approx(bound.get_offsets()[0][1])]]
    fill = bound.get_facecolors()
    assert len(fill) == 0 or fill[:, 3].max() == 0  # open: no fill (facecolor 'none')
    exact = kind_collections(fig, "exact")
    assert exact and all(c.get_facecolors()[:, 3].min() == 1 for c in exact)  # filled
    assert all(len(c.get_offsets()) for c in exact)
    bound_marker = bound.get_paths()[0].vertices.tolist()
    assert all(c.get_paths()[0].vertices.tolist() != bound_marker for c in exact)  # '>' is no district's marker
    assert "≥100,000" in [t.get_text() for t in fig.axes[0].texts]
    plt.close(fig)


@pytest.mark.parametrize("lang", LANGS)
def test_a_bound_share_bar_is_hatched_and_named(data, lang):
    """表5 prints no bound, so the bounds are given by hand: the first share a lower bound, the third an upper."""
    table5 = report_tables.table_5(data, lang=lang, as_printed=False)
    fig = charts.share_bars(table5, "A", "B", 2014, lang, bounds=["lower", "exact", "upper"])
    fig.draw_without_rendering()
    bars = {p.get_gid(): p for p in fig.axes[0].patches if (p.get_gid() or "").startswith("kind:")}
    assert set(bars) == {"kind:lower", "kind:exact", "kind:upper"}
    assert bars["kind:lower"].get_hatch() and bars["kind:upper"].get_hatch() and not bars["kind:exact"].get_hatch()
    legend = legend_texts(fig)
    assert [KIND_LEGEND[lang][k] for k in ("exact", "lower", "upper")] == legend
    labels = [t.get_text() for t in fig.axes[0].texts]
    assert labels == ["≥1.52%", "3.11%", "≤0.76%"]  # 37/2440, 12/386, 119247/15762360 of 表5
    plt.close(fig)
    fig = charts.share_bars(table5, "A", "B", 2014, lang)  # no bound: no legend of kinds
    assert not legend_texts(fig)
    plt.close(fig)


EXTERNAL_ROWS = {  # one row per report number compared (the claim and its table cell are one comparison)
    "zh": ["一(二)3 武汉市年度研发投入占比 2.9%", "表2 南山区年度研发投入占比 5.8", "一(二)1 两院院士数量占湖北院士总量的38%",
           "二1 南山区引进广东省创新创业团队56个,占全市72.3%", "表2 武昌区常住人口 113", "表2 南山区常住人口 112",
           "表2 南山区区域总产值 3715", "表2 南山区高新技术企业数量 1641", "表2 余杭区常住人口 92.54",
           "表2 余杭区区域总产值 1235"],
    "en": ["I(2).3 R&D intensity, Wuhan 2.9%", "Table 2 R&D intensity, Nanshan District 5.8",
           "I(2).1 Wuchang's academicians are 38% of all academicians in Hubei",
           "II.1 Nanshan's 56 Guangdong innovation teams are 72.3% of Shenzhen's",
           "Table 2 Resident population, Wuchang District 113", "Table 2 Resident population, Nanshan District 112",
           "Table 2 Gross regional product, Nanshan District 3715", "Table 2 High-tech enterprises, Nanshan District 1641",
           "Table 2 Resident population, Yuhang District 92.54", "Table 2 Gross regional product, Yuhang District 1235"],
}


@pytest.mark.parametrize("lang", LANGS)
def test_fig13_has_a_readable_scale_and_one_row_per_printed_number(data, ext, checks, lang):
    """fig13 (notebook 06, external_comparison_plot) had one tick, '1', on a log axis over 0.4–1.05, and printed
    2.9% and 5.8 on two rows each: a claim and its own table cell compared with the same published figures."""
    fig = external_figure(data, ext, checks, lang)
    fig.draw_without_rendering()
    ax = fig.axes[0]
    ticks = drawn_ticks(ax.xaxis)
    assert len(ticks) >= 3, ticks
    assert 1 in ticks  # 1 = the same
    shown = {round(t, 6): label.get_text() for t, label in zip(ax.xaxis.get_majorticklocs(), ax.get_xticklabels())}
    # published ÷ printed runs from 501.92/1235 = 0.41 (余杭 GDP 2008) to 169.7/72.3 = 2.35 (56 of 33 teams)
    assert [shown[round(t, 6)] for t in ticks] == ["0.5", "1", "2"]
    rows = [t.get_text().replace("\n", " ") for t in ax.get_yticklabels()]
    assert rows == EXTERNAL_ROWS[lang]
    # 27 pairs (report number, published figure), of which the 4 of 一(二)3's and 表2's R&D cells repeat their claims
    assert sum(len(c.get_offsets()) for c in ax.collections) == 23
    # the two 2015 figures of the academicians' claim (27/71 and 27/67) are told apart
    years = [t.get_text() for t in ax.texts]
    assert "2015 (38.03%)" in years and "2015 (40.3%)" in years
    plt.close(fig)


@pytest.mark.parametrize("title_key", ["chart.pos_sens_title", "chart.sens_title"])  # fig11, fig12
@pytest.mark.parametrize("lang", LANGS)
def test_the_sensitivity_footnote_sits_below_the_axis_labels(data, lang, title_key):
    """fig11/fig12: the note on blank rows printed over the column names ('权重', '标准化方法', …) in Chinese."""
    fig = charts.sensitivity_heatmap(sensitivity_with_a_blank_row(entity_names(data, lang)), 2000, lang, title_key=title_key)
    fig.draw_without_rendering()
    renderer = fig.canvas.get_renderer()
    (note,) = [t for t in fig.findobj(Text) if t.get_gid() == "footnote"]
    assert note.get_text().replace("\n", "").startswith({"zh": "灰字行：", "en": "Grey rows: "}[lang])
    box = note.get_window_extent(renderer)
    others = [t for ax in fig.axes for t in [*ax.get_xticklabels(), *ax.get_yticklabels(), ax.xaxis.label]
              if t.get_visible() and t.get_text()]
    assert len(others) >= 5 + 3  # five column names, three districts
    for other in others:
        assert not box.overlaps(other.get_window_extent(renderer)), other.get_text()
        assert box.y1 <= other.get_window_extent(renderer).y0 + 0.5 or other in fig.axes[0].get_yticklabels() \
            or other.axes is not fig.axes[0]
    plt.close(fig)


def test_the_past_the_frame_rule_itself():
    fig, ax = plt.subplots(figsize=(4, 3), layout="constrained")
    ax.plot([0, 1], [0, 1])
    ax.annotate("far right", (1, 1), textcoords="offset points", xytext=(6, 0))
    ax.annotate("inside", (0.2, 0.5), textcoords="offset points", xytext=(6, 0))
    fig.draw_without_rendering()
    assert past_the_frame(fig) == ["far right"]
    plt.close(fig)


def test_the_outside_rule_itself():
    fig, ax = plt.subplots(figsize=(4, 3), layout="constrained")
    ax.set_title("inside")
    ax.text(0.5, 0.5, "inside too")
    ax.text(1.5, 0.5, "beyond the right edge", transform=ax.transAxes)
    fig.draw_without_rendering()
    assert outside_figure(fig) == ["beyond the right edge"]
    plt.close(fig)


def the_overlap_rule_itself():
    fig, ax = plt.subplots()
    ax.text(0.5, 0.5, "一二三")
    ax.text(0.5, 0.5, "四五六")
    ax.text(0.1, 0.1, "far")
    fig.draw_without_rendering()
    assert overlapping_texts(fig) == [("一二三", "四五六")]
    plt.close(fig)


def test_the_overlap_rule_itself():
    the_overlap_rule_itself()


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


@pytest.mark.parametrize("focus", FOCI)
@pytest.mark.parametrize("lang", LANGS)
def test_chart_texts_in_the_page_language(data, ext, checks, lang, focus):
    import matplotlib.pyplot as plt

    fig = charts.external_comparison_plot(external_views.worded(checks, data, ext, lang), lang)
    fig.draw_without_rendering()
    texts = chart_texts(fig)
    proper = list(entity_names(data, lang).values())
    assert not [t for t in texts if wrong_language(t, lang, proper)], texts
    legend = [t.get_text() for t in fig.legends[0].get_texts()]  # one legend under the chart
    # in the order matplotlib fills the columns (row by row on the page: _legend_below)
    assert {"en": {"agrees with the published figure", "differs from the published figure"},
            "zh": {"与公开数据相符", "与公开数据不符"}}[lang] <= set(legend)
    assert not [t for t in legend if wrong_language(t, lang, proper)], legend
    assert {"en": "I(2).3 R&D intensity, Wuhan 2.9%", "zh": "一(二)3 武汉市年度研发投入占比 2.9%"}[lang] in texts
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
    assert not [t for t in texts if wrong_language(t, lang, proper)], texts
    title = fig.axes[0].get_title()
    expected_names = {"en": ("Wuchang District", "Wuhan"), "zh": ("武昌区", "武汉市")}[lang]
    assert all(n in title for n in expected_names)
    legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert {"en": {"Patent applications", "Patent grants"}, "zh": {"专利申报", "专利授权数量"}}[lang] <= set(legend)
    plt.close(fig)


@pytest.mark.parametrize("lang", LANGS)
def test_fig13_draws_a_figure_of_an_unattributed_source_hollow(data, ext, checks, lang):
    """A referee: every 'agrees' dot looked alike, so Nanshan's 5.8% (agreeing only with an unattributed page)
    read like the Xinhua agreement on its GDP. By hand from data/external/: 表2 南山区 5.8's figures are all on
    unattributed pages (hollow); 南山区 GDP 3715 has Xinhua's named report (filled) beside a repost (hollow)."""
    fig = external_figure(data, ext, checks, lang)
    ax = fig.axes[0]
    white = (1.0, 1.0, 1.0, 1.0)
    dots = {}  # row -> [hollow?] of its dots
    for c in ax.collections:
        for (_x, y), face in zip(c.get_offsets(), c.get_facecolors()):
            dots.setdefault(int(round(y)), []).append(tuple(face) == white)
    row = {label: i for i, label in enumerate(EXTERNAL_ROWS[lang])}
    rd = row[EXTERNAL_ROWS[lang][1]]  # 表2 南山区 R&D intensity 5.8
    gdp = row[EXTERNAL_ROWS[lang][6]]  # 表2 南山区 GDP 3715
    assert dots[rd] and all(dots[rd])
    assert True in dots[gdp] and False in dots[gdp]
    legend = [t.get_text() for t in fig.legends[0].get_texts()] if fig.legends else \
        [t.get_text() for t in ax.get_legend().get_texts()]
    assert {"zh": "空心点：来源为未署名网页或转载", "en": "hollow dot: its source is an unattributed page or repost"}[lang] in legend
    plt.close(fig)


def test_the_theme_and_palettes_are_seaborns():
    """style.SEABORN_WHITEGRID is what seaborn's set_theme(style="whitegrid", context="notebook") sets (its default
    colormap aside: no chart uses it, and seaborn registers it only when imported), colour for colour and number for
    number; style.palette gives seaborn's color_palette, repeating past the end."""
    import seaborn as sns
    from matplotlib.colors import to_rgb

    from analysis_utils.report.charts import style

    def settings() -> dict:
        return {k: v for k, v in matplotlib.rcParams.items() if k != "image.cmap"}

    def same(a, b) -> bool:
        if hasattr(a, "by_key"):
            return same(a.by_key()["color"], b.by_key()["color"])
        if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
            return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
        try:
            return a == b or to_rgb(a) == to_rgb(b)
        except (TypeError, ValueError):
            return False

    with matplotlib.rc_context():
        matplotlib.rcdefaults()
        sns.set_theme(style="whitegrid", context="notebook")
        seaborns = settings()
        matplotlib.rcdefaults()
        matplotlib.rcParams.update(style.SEABORN_WHITEGRID)
        ours = settings()
        assert [k for k in seaborns if not same(seaborns[k], ours[k])] == []
        assert [to_rgb(c) for c in style.palette(12)] == [to_rgb(c) for c in sns.color_palette(n_colors=12)]
    assert [to_rgb(c) for c in style.palette(22, "tab20")] == list(sns.color_palette("tab20", 22))
    assert len(style.palette(0)) == 1  # a chart of no district still gets a colour


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_long_focus_name_overlaps_nothing_on_the_ratio_charts(data, lang):
    """A user's district is named at length ("Example District (SYNTHETIC) †"): fig6's axis label, once under each
    of its three panels, ran into the next one's (a newcomer's worked example); now it is said once."""
    from analysis_utils.report.names import OTHER_MARK

    long = {"en": "Example District (SYNTHETIC)", "zh": "示例区（SYNTHETIC，虚构的区）"}[lang] + f" {OTHER_MARK}"
    peers = [d for d in data.districts() if d != "武昌区"]
    norm = label_rows(compare.normalised_ratios(data, "武昌区", peers, 2015), data, lang)
    ratios = label_rows(compare.table2_ratios(data, "武昌区", peers, 2015), data, lang)
    drawn = read_charts([("fig6", charts.normalised_dot_plot(norm, long, 2015, lang)),
                         ("fig2", charts.ratio_dot_plot(ratios, long, 2015, lang))])
    assert {name: chart["overlaps"] for name, chart in drawn.items()} == {"fig6": [], "fig2": []}
    assert sum(text.count(long) for text in drawn["fig6"]["texts"]) == 3  # the title and the one axis label


@pytest.mark.parametrize("focus", FOCI)
def test_a_district_keeps_its_colour_and_marker_on_every_chart(data, focus):
    """fig2, fig3, fig6 and fig7 each drew only some districts and gave each its look by its place in that chart: on
    page 03 (focus 南山区, English) 余杭区 was an orange square in fig6 and a blue circle, 武昌区's look there, in fig7.
    With the page's looks (style.district_looks of the focus and its peers) each district has one colour and one marker,
    and no two districts share them, nor the focus's red; the looks come from the data's districts, so a district
    looks the same whatever the focus (a newcomer compared a 南山区 build with the worked example's)."""
    from matplotlib.colors import to_hex

    from analysis_utils.report.charts.style import PALETTE, SEABORN_DEEP

    lang = "en"
    names = entity_names(data, lang)
    peers = [d for d in data.districts() if d != focus]
    looks = charts.district_looks([names[d] for d in data.districts()])
    # by hand: the data's 1st and 3rd districts; deep's red (4th) is left out for the focus's reference line
    assert looks[names["武昌区"]] == ("#4c72b0", "o") and looks[names["余杭区"]] == ("#55a868", "D")
    assert not {SEABORN_DEEP[3], PALETTE["focus"]} & {colour for colour, _ in looks.values()}
    assert [c for c, _ in charts.district_looks(list("abcd")).values()][3] == SEABORN_DEEP[4]
    gaps = label_rows(growth.gap_table(data, focus, peers, 2015, 2020), data, lang)
    figures = [
        charts.ratio_dot_plot(label_rows(compare.table2_ratios(data, focus, peers, 2015), data, lang), names[focus],
                              2015, lang, looks=looks),
        charts.talent_dot_plot(label_rows(compare.talent_long(data, [focus, *peers]), data, lang), lang, looks=looks),
        charts.normalised_dot_plot(label_rows(compare.normalised_ratios(data, focus, peers, 2015), data, lang),
                                   names[focus], 2015, lang, looks=looks),
        charts.required_growth_plot(gaps[gaps["denominator"] == "total"], 2020, None, lang, names[focus], looks=looks)]
    seen = {}
    for fig in figures:
        for ax in fig.axes:
            for points in ax.collections:
                if points.get_label() in looks and len(points.get_offsets()):
                    colour = points.get_facecolor() if len(points.get_facecolor()) else points.get_edgecolor()
                    shape = len(points.get_paths()[0].vertices)  # a circle, a square, a diamond: as many vertices
                    seen.setdefault(points.get_label(), set()).add((to_hex(colour[0]), shape))
        plt.close(fig)
    assert {label: len(found) for label, found in seen.items()} == {label: 1 for label in seen}, seen
    assert len({next(iter(found)) for found in seen.values()}) == len(seen) >= 3  # no two districts look alike


def test_the_palette_is_the_themes_before_the_theme_is_applied():
    """A page's first chart took its colours before the theme was set and drew matplotlib's defaults (tab10 blue
    #1f77b4 for the first district), the later ones seaborn's deep (#4c72b0)."""
    from analysis_utils.report.charts import style

    with matplotlib.rc_context():
        matplotlib.rcdefaults()
        assert style.palette(3) == ["#4c72b0", "#dd8452", "#55a868"]


@pytest.mark.parametrize("width, named", [(0.0, False), (0.5, True)])
def test_the_contribution_legend_names_hatching_only_where_it_shows(width, named):
    """A newcomer's fig9 (focus 余杭区, whose imputed values are its own) listed 'hatched //: imputed' though the
    only imputed segment was the focus's own, zero wide under ratio normalisation. SYNTHETIC entities A and B."""
    import pandas as pd

    from analysis_utils.labels import text

    contributions = pd.DataFrame({"x": [width, 0.3], "y": [0.2, 0.4]}, index=["SYNTHETIC_A", "SYNTHETIC_B"])
    record = pd.DataFrame({"entity": ["SYNTHETIC_A"], "indicator": ["x"], "action": ["imputed"]})
    fig = charts.contributions_plot(contributions, {"x": "x", "y": "y"}, "geometric", "en", record=record)
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert (text("chart.kind.imputed", "en") in legend) is named, legend
    plt.close(fig)


@pytest.mark.parametrize("reference, hatched", [(None, {}), ("SYNTHETIC_F", {("SYNTHETIC_P", "x"): "//"})])
def test_a_ratio_resting_on_the_references_imputed_value_is_hatched(reference, hatched):
    """Under ratio normalisation every district's value on an indicator is divided by the reference's: a newcomer's
    focus (the reference) had three imputed values, and the other districts' segments resting on them were drawn as
    data. SYNTHETIC reference F (its x imputed, its own segments zero wide) and peer P: P's x segment, 0.4 wide, is
    hatched '//' once the reference is named, and the legend names the hatching; P's y (F's y is data) is not."""
    import pandas as pd

    from analysis_utils.labels import text

    contributions = pd.DataFrame({"x": [0.0, 0.4], "y": [0.0, 0.2]}, index=["SYNTHETIC_F", "SYNTHETIC_P"])
    record = pd.DataFrame({"entity": ["SYNTHETIC_F"], "indicator": ["x"], "action": ["imputed"]})
    fig = charts.contributions_plot(contributions, {"x": "x", "y": "y"}, "geometric", "en", record=record,
                                    reference=reference)
    ax = fig.axes[0]
    drawn = {(entity, indicator): bar.get_hatch() for indicator, bars in zip(("x", "y"), ax.containers)
             for entity, bar in zip(contributions.index, bars) if bar.get_width() and bar.get_hatch()}
    assert drawn == hatched
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert (text("chart.kind.imputed", "en") in legend) is bool(hatched), legend
    assert text("chart.kind.imputed", "en") == "hatched //: rests on a missing value imputed (treatment record)"
    plt.close(fig)


@pytest.mark.parametrize("lang, words", [("zh", "无可比的数值"), ("en", "no value to compare")])
def test_a_row_without_a_ratio_says_so(lang, words):
    """A newcomer's fig2 and fig6 (their district as focus, without R&D expenditure) left rows empty, as if the
    drawing had failed. SYNTHETIC peers P and Q; the row 'r&d' has no ratio for either."""
    import numpy as np
    import pandas as pd

    ratios = pd.DataFrame({"entity_label": ["SYNTHETIC_P", "SYNTHETIC_Q", "SYNTHETIC_P", "SYNTHETIC_Q"],
                           "indicator_label": ["gdp", "gdp", "r&d", "r&d"], "ratio": [2.0, 0.5, np.nan, np.nan],
                           "ratio_bound": ["exact", "exact", "missing", "missing"]})
    fig = charts.ratio_dot_plot(ratios, "SYNTHETIC_F", 2015, lang)
    ax = fig.axes[0]
    said = [(t.get_text(), t.get_position()[1]) for t in ax.texts if t.get_text() == words]
    assert said == [(words, 1)]  # on the second row only, 'r&d'
    plt.close(fig)
