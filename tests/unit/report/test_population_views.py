"""report/population_views.py: Table 2's population column flagged in words; expected text written by hand."""
from __future__ import annotations

from analysis_utils.analysis import compare
from analysis_utils.report import population_views


def test_the_note_names_the_registered_and_the_resident_figures(data, ext):
    alt = compare.resident_alternative(data, ext, ["武昌区", "南山区", "余杭区"])
    assert population_views.population_note(data, alt, 2015, "en") == (
        "Table 2's 'resident population' column mixes two concepts: the figures of Wuchang District and Yuhang "
        "District are registered (hukou) population by the evidence, that of Nanshan District resident population. "
        "Comparisons per 10,000 residents therefore divide by different populations; the tables below recompute them "
        "with a published resident population (each district's year nearest 2015, not interpolated).")
    assert population_views.population_note(data, alt, 2015, "zh").startswith(
        "表2“常住人口”一列混用两种口径：武昌区、余杭区的数字据证据为户籍人口，南山区的为常住人口。")
    # one concept only: nothing to flag
    assert population_views.population_note(data, alt[alt["entity"] == "南山区"], 2015, "en") == ""


def test_the_view_shows_concept_source_and_standing(data, ext):
    alt = compare.resident_alternative(data, ext, ["武昌区", "余杭区"])
    view = population_views.population_view(data, ext, alt, "zh")
    assert list(view.columns) == ["区", "报告所印（万人）", "口径", "口径的证据", "已公布常住人口（万人）", "年份", "来源",
                                  "来源地位"]
    assert view.iloc[1].tolist()[2:] == ["户籍人口（证据所示）", "杭州市统计局", 135.9, "2016", "杭州市统计局",
                                         "官方发布（发布者自己的网站）"]
