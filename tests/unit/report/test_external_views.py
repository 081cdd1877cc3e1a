"""data/external: validation of the sources folder, the second audit pass, the extended series.

Expected values are worked out by hand from the published figures (data/external/observations.csv, each with its
place in the source) and the report's printed numbers; never taken from the code under test.
"""
from __future__ import annotations

import csv
import re

import matplotlib
import pytest

from analysis_utils.analysis.external_series import share_series, whole_of
from analysis_utils.audit import external
from analysis_utils.data.external import load_external
from analysis_utils.data.load import load
from analysis_utils.errors import DataValidationError
from analysis_utils.report import charts, external_views
from analysis_utils.report.names import entity_names, indicator_names
from analysis_utils.report.report_tables import series_view

matplotlib.use("Agg")


@pytest.fixture(scope="module")
def ext(data):
    return load_external(data)


@pytest.fixture(scope="module")
def checks(data, ext):
    return external.external_checks(data, ext)


def pair(checks, item, year):
    hit = checks[(checks["item"] == item) & (checks["external_year"] == year)]
    assert len(hit) >= 1, (item, year)
    return hit.iloc[0]


def test_packaged_folder_has_eight_sources_or_more_each_used(ext):
    assert len(ext.sources) >= 8
    assert set(ext.observations["source_id"]) <= set(ext.sources["source_id"])
    assert (ext.observations["location"] != "").all()
    assert set(ext.sources["kind"]) <= {"official statistics", "government report", "news report"}


def test_two_disagreeing_sources_are_both_kept(ext):
    # Wuhan's 2015 invention applications: science bureau 15077, 长江日报 15065
    obs = ext.observations
    hit = obs[(obs["entity"] == "武汉市") & (obs["indicator"] == "invention_patent_applications") & (obs["year"] == 2015)]
    assert sorted(hit["value"].astype(float)) == [15065.0, 15077.0]


def test_wuhan_average_is_the_2014_value(checks):
    # printed 2.9% stands for [2.85, 2.95); 2015 published 3.02 is outside: differs by 3.02 - 2.9 = 0.12
    same = pair(checks, "武汉市/rd_intensity/2015", 2015)
    assert same["verdict"] == "differs" and same["difference"] == pytest.approx(0.12)
    # 2014 published 2.91 is inside [2.85, 2.95): the report's 2.9 matches 2014
    assert pair(checks, "武汉市/rd_intensity/2015", 2014)["verdict"] == "other_year"
    # 2013 published 2.74 is outside and another year: context only
    assert pair(checks, "武汉市/rd_intensity/2015", 2013)["verdict"] == "context"
    # the 2015 figure differs while 2014's matches: the number's overall verdict says both, never only "other year"
    assert same["item_verdict"] == "differs_other"


def test_academicians_share_of_hubei_agrees_and_wuhan_is_another_scope(checks):
    claim = checks[checks["item"] == "p_academicians_share_hubei"]
    hubei = claim[claim["entity"] == "湖北省"].iloc[0]
    # 27 / 71 = 0.380282 → 38.03%, inside the printed 38% = [37.5, 38.5)
    assert hubei["verdict"] == "agrees" and hubei["external_value"] == pytest.approx(38.028169, abs=1e-6)
    wuhan = claim[claim["entity"] == "武汉市"].iloc[0]
    # 27 / 67 = 0.402985 → 40.30%: outside, and Wuhan is not the whole the claim names
    assert wuhan["verdict"] == "context" and wuhan["external_value"] == pytest.approx(40.298507, abs=1e-6)
    assert hubei["before"] == "implied" and bool(hubei["newly_checked"])


def test_table_2_cells(checks):
    # Nanshan GDP printed 3715 (亿元), published 3715 for 2015: agrees
    assert pair(checks, "南山区/gdp/2015", 2015)["verdict"] == "agrees"
    # Yuhang GDP printed 1235 for 2015; only 2014 (1101.04), 2011, 2008 published: context; 1101.04 - 1235 = -133.96
    yuhang = pair(checks, "余杭区/gdp/2015", 2014)
    assert yuhang["verdict"] == "context" and yuhang["difference"] == pytest.approx(-133.96)
    assert yuhang["item_verdict"] == "context"


def test_summary_counts_each_report_number_once(checks):
    table = external.external_summary(checks)
    items = checks["item"].nunique()
    assert table.loc["all", "all"] == items
    # by hand from the packaged data: 3 linked claims, 4 cells (南山 GDP, 南山 R&D, 余杭 GDP, 武汉 R&D)
    assert (table.loc["claim", "all"], table.loc["cell", "all"]) == (3, 4)


def test_summary_shows_a_same_year_disagreement_beside_another_years_match(checks):
    """By hand: claims: t2_rd_intensity_nanshan (5.8 = 5.8) and p_academicians_share_hubei (27/71 = 38.03% in 38%)
    agree; p_rd_intensity_above_wuhan (2.9%: 2015 published 3.02 differs, 2014 2.91 matches) is its own column.
    Cells: 南山 GDP 3715 and R&D 5.8 agree; 武汉 R&D 2.9 as the claim; 余杭 GDP 1235 meets 2014/2011/2008 figures
    only: context. Nothing else changes verdict; no number is counted under plain 'differs' or 'other_year'."""
    table = external.external_summary(checks)
    assert list(table.columns) == ["agrees", "differs", "differs_other", "other_year", "other_scope", "context", "all",
                                   "newly_checked"]
    assert table.loc["claim"].tolist()[:7] == [2, 0, 1, 0, 0, 0, 3]
    assert table.loc["cell"].tolist()[:7] == [2, 0, 1, 0, 0, 1, 4]
    assert table.loc["all"].tolist()[:7] == [4, 0, 2, 0, 0, 1, 7]


@pytest.mark.parametrize("pairs, expected", [
    (["agrees", "differs", "other_year"], "agrees"),
    (["differs", "other_year", "context"], "differs_other"),
    (["differs", "other_scope"], "differs_other"),
    (["other_year", "context"], "other_year"),
    (["other_scope"], "other_scope"),
    (["differs", "context"], "differs"),
    (["context"], "context"),
])
def test_item_verdict_rule(pairs, expected):
    assert external.item_verdict(pairs) == expected


def test_english_and_chinese_texts_cite_the_source(data, ext, checks):
    for lang in ("zh", "en"):
        frame = external_views.worded(checks, data, ext, lang)
        assert all(row["publisher"] in row["explanation"] for row in frame.to_dict("records"))


def test_wuchang_share_of_wuhan_patent_grants(data, ext):
    series = share_series(data, ext)
    grants = series[series["indicator"] == "patent_grants"].set_index("year")["share"]
    # 2130/15901 = 13.3954%, 2154/16335 = 13.1864%, 2826/21740 = 12.9991%
    assert grants.to_dict() == pytest.approx({2013: 13.395384, 2014: 13.186410, 2015: 12.999080}, abs=1e-5)


def _rewrite(path, row_no, column, value):
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    rows[row_no - 1][column] = value
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


@pytest.mark.parametrize("file, row, column, value, code", [
    ("observations.csv", 3, "source_id", "no_such_source", "foreign-key-error"),
    ("sources.csv", 2, "url", "whwips.com/show.asp?id=43", "constraint-error"),
    ("sources.csv", 1, "date_published", "2019-02-30", "constraint-error"),
    ("sources.csv", 1, "date_accessed", "30.11.2026", "constraint-error"),
    ("sources.csv", 3, "date_accessed", "2016-01-01", "constraint-error"),  # read before published (2016-04-26)
    ("sources.csv", 1, "kind", "blog", "constraint-error"),
    ("observations.csv", 1, "value", "2O8", "type-error"),
    ("indicators.csv", 1, "indicator", "patent_grants", "unique-error"),  # redefines a report indicator
    # the texts we wrote per language: English ones without Chinese, Chinese ones in Chinese
    ("sources.csv", 1, "publisher_en", "武汉市科学技术局", "constraint-error"),
    ("sources.csv", 2, "publisher_en", "", "required-error"),
    ("sources.csv", 5, "scope", "Academicians (两院院士) of Hubei", "constraint-error"),
    ("sources.csv", 1, "scope_zh", "Wuhan city totals", "constraint-error"),
    ("sources.csv", 1, "scope_zh", "武汉市全市总量 per year", "constraint-error"),
    ("observations.csv", 4, "location", "table, row 7 *全社会R&D经费内部支出占GDP的比重(%), column 2013",
     "constraint-error"),
    ("observations.csv", 4, "location_zh", "table, row 7, column 2013", "constraint-error"),
    ("observations.csv", 4, "quote", "", "required-error"),
])
def test_broken_external_folder_names_file_row_column(data_copy, file, row, column, value, code):
    path = data_copy / "external" / file
    _rewrite(path, row, column, value)
    with pytest.raises(DataValidationError) as info:
        load_external(load(data_copy))
    hits = [p for p in info.value.problems
            if p.file.endswith(f"external/{file}") and p.row == row and p.column == column and p.code == code]
    assert hits, [str(p) for p in info.value.problems]


# ---------------------------------------------------------------- pages in the reader's language
# Written here by hand, not taken from the code: Han characters and CJK punctuation; Latin a Chinese page may
# carry (R&D, GDP, acronyms such as CAS, web addresses and site names); headers of the columns holding the
# sources' own Chinese words.
HAN = re.compile("[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]")
LATIN_OK = re.compile(r"R&D|GDP|[A-Z]{2,}|https?://\S+|[\w.-]+\.(com|cn|org|net)\b")
ORIGINAL = {"en": {"In the source (original Chinese)", "Title (original Chinese)"},
            "zh": {"来源原文", "标题（原文）"}}


def latin_words(s: str) -> list[str]:
    return re.findall(r"[A-Za-z]{3,}", LATIN_OK.sub("", s))


def wrong_language(texts, lang):
    """The texts that do not read as ``lang``: with Han characters in en, with Latin words in zh."""
    return [t for t in texts if (HAN.search(t) if lang == "en" else latin_words(t))]


def reader_frames(data, ext, lang, focus):
    checks = external.external_checks(data, ext)
    names = entity_names(data, lang)
    whole = whole_of(data, focus)
    series = share_series(data, ext, part_entity=focus, whole_entity=whole)
    labels = indicator_names(data, lang)
    return {"checks": external_views.external_view(checks, data, ext, lang),
            "sources": external_views.sources_view(ext.sources, lang),
            "summary": external_views.summary_view(external.external_summary(checks), lang),
            "series": series_view(series, ext, labels, data.units_table, names[focus], names[whole], lang)}


@pytest.mark.parametrize("focus", ["武昌区", "南山区"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_reader_tables_read_in_the_page_language(data, ext, lang, focus):
    for name, frame in reader_frames(data, ext, lang, focus).items():
        headers = [str(c) for c in frame.columns]
        assert not wrong_language(headers, lang), (name, headers)
        for column in frame.columns:
            if column in ORIGINAL[lang]:
                continue
            bad = wrong_language([str(v) for v in frame[column]], lang)
            assert not bad, (name, column, bad[:3])
    # no machine ids or our files' places are shown
    for frame in reader_frames(data, ext, lang, focus).values():
        assert not {"source_id", "source_file", "source_line", "kind", "scope", "url", "all", "agrees"} & set(frame.columns)


def test_no_chart_for_an_empty_series(data, ext):
    series = share_series(data, ext, part_entity="南山区", whole_entity="深圳市")
    assert charts.share_series_plot(series, "南山区", "深圳市", {}, "zh") is None


def _row(view, where, published_for, statement_part):
    hit = view[(view.iloc[:, 0] == where) & (view.iloc[:, 5] == published_for)
               & view.iloc[:, 1].str.contains(statement_part, regex=False)]
    assert len(hit) == 1, (where, published_for, statement_part, len(hit))
    return hit.iloc[0]


def test_explanations_by_hand_in_english(data, ext, checks):
    view = external_views.external_view(checks, data, ext, "en")
    wuhan = _row(view, "I(2).3", 2015, "R&D intensity, Wuhan")
    assert wuhan["Explanation"] == ("Wuhan Municipal Science and Technology Bureau published 3.02% for 2015; the "
                                    "report prints 2.9%: published minus printed is 0.12 percentage points "
                                    "(table, row 7, column 2015).")
    assert wuhan["In the source (original Chinese)"] == "*全社会R&D经费内部支出占GDP的比重(%)"
    yuhang = _row(view, "Table 2", 2014, "Yuhang District")
    assert yuhang["Published"] == "1101.04 hundred million yuan"
    assert yuhang["Explanation"] == (
        "Yuhang District People's Government, Hangzhou (text reproduced by 010b.com) published 1101.04 hundred million "
        "yuan for 2014 (another year or place than the printed 1235; context only) (section reviewing the work of "
        "2014, sentence on GDP).")
    assert yuhang["In the source (original Chinese)"] == \
        "2014年工作回顾: 全区实现生产总值1101.04亿元,按可比价格计算,比上年增长9.5%"
    assert yuhang["External check"] == "context only (another year or place)"


def test_explanations_by_hand_in_chinese(data, ext):
    view = external_views.external_view(external.external_checks(data, ext), data, ext, "zh")
    wuhan = _row(view, "一(二)3", 2015, "武汉市年度研发投入占比")
    assert wuhan["说明"] == "武汉市科学技术局公布的2015年数字为3.02%，与报告所印2.9%不符：公布数减报告数为0.12个百分点（表中第7行，2015年列）。"
    assert wuhan["外部核查"] == "与公开数据不符"
    nanshan = _row(view, "表2", 2015, "南山区区域总产值")
    assert nanshan["公开数字"] == "3715亿元"
    assert nanshan["说明"] == ("ddzxzl.com（未署名的南山区介绍网页）公布的2015年数字为3715亿元，与报告所印3715在所印精度内相符"
                             "（正文中2015年地区生产总值的句子）。")
    assert nanshan["来源原文"] == "2015年,南山实现本地生产总值3715 亿元,增长9.3%"


def test_the_checks_are_codes_and_numbers_and_the_words_are_added_per_language(data, ext, checks):
    # external_checks takes no language; a column of one language comes only as a _zh/_en pair (the claim's
    # statement, the place in the source); the report's and the source's own words (printed, external_printed,
    # quote) are the same whatever the reader's language
    import inspect

    assert "lang" not in inspect.signature(external.external_checks).parameters
    assert list(checks.columns) == [
        "item", "kind", "source", "statement_zh", "statement_en", "entity", "indicator", "year", "printed", "unit",
        "external_year", "external_printed", "external_unit", "external_value", "difference", "relative", "verdict",
        "item_verdict", "before", "newly_checked", "source_id", "url", "location_zh", "location_en", "quote"]
    stems = {c[:-3] for c in checks.columns if c.endswith(("_zh", "_en"))}
    assert stems == {"statement", "location"} and all({f"{s}_zh", f"{s}_en"} <= set(checks.columns) for s in stems)
    assert not {"statement", "location", "published", "publisher", "explanation"} & set(checks.columns)
    # 一(二)3's 2.9% against the science bureau's 3.02 for 2015 (row 7, column 2015 of its table): a cell, so no
    # statement of its own; 3.02 − 2.9 = 0.12
    row = pair(checks, "武汉市/rd_intensity/2015", 2015)
    assert (row["statement_zh"], row["statement_en"], row["printed"], row["unit"]) == ("", "", "2.9%", "%")
    assert (row["external_printed"], row["external_unit"], row["verdict"]) == ("3.02", "%", "differs")
    assert (row["location_zh"], row["location_en"]) == ("表中第7行，2015年列", "table, row 7, column 2015")
    # report.external_views adds the words: checks_table both explanations, worded one language's reader columns
    table = external_views.checks_table(checks, data, ext)
    assert list(table.columns) == list(checks.columns) + ["explanation_zh", "explanation_en"]
    assert table.loc[row.name, "explanation_en"] == (
        "Wuhan Municipal Science and Technology Bureau published 3.02% for 2015; the report prints 2.9%: published "
        "minus printed is 0.12 percentage points (table, row 7, column 2015).")
    assert table.loc[row.name, "explanation_zh"] == (
        "武汉市科学技术局公布的2015年数字为3.02%，与报告所印2.9%不符：公布数减报告数为0.12个百分点（表中第7行，2015年列）。")
    for lang, words in (("en", ["R&D intensity, Wuhan", "3.02%", "Wuhan Municipal Science and Technology Bureau"]),
                        ("zh", ["武汉市年度研发投入占比", "3.02%", "武汉市科学技术局"])):
        worded = external_views.worded(checks, data, ext, lang)
        assert list(worded.columns) == list(checks.columns) + ["statement", "published", "publisher", "explanation"]
        assert worded.loc[row.name, ["statement", "published", "publisher"]].tolist() == words
        assert worded.loc[row.name, "explanation"] == table.loc[row.name, f"explanation_{lang}"]


def test_published_figures_with_unit_names(data):
    units = data.units_table
    assert external_views.shown_value("3715 亿元", "亿元", units, "en") == "3715 hundred million yuan"
    assert external_views.shown_value("3715 亿元", "亿元", units, "zh") == "3715亿元"
    assert external_views.shown_value("71名", "人", units, "en") == "71 persons"  # a measure word printed for the unit
    assert external_views.shown_value("2.74", "%", units, "en") == "2.74%"
    assert external_views.shown_value("1名", "人", units, "en") == "1 person"  # singular, as data.printed writes it
    assert external_views.shown_value("1.0 个", "个", units, "en") == "1.0 unit"
    assert external_views.shown_value("1", "万人", units, "en") == "1 ten thousand persons"  # factor 10^4: kept
    assert external_views.shown_value("1,000 个", "个", units, "en") == "1,000 units"
    assert external_views.shown_value("248.00", "亿元", units, "en") == "248.00 hundred million yuan"  # precision kept
    assert external_views.difference_text(0.12, "%", units, "zh") == "0.12个百分点"
    assert external_views.difference_text(-133.96, "亿元", units, "en") == "-134 hundred million yuan"  # 4 significant digits


def test_summary_and_sources_views_by_hand(data, ext, checks):
    summary = external_views.summary_view(external.external_summary(checks), "en")
    assert list(summary.columns) == ["Report numbers", "agrees with the published figure",
                                     "differs from the published figure",
                                     "differs from the same year's published figure (matches another year's or place's)",
                                     "matches another year's published figure",
                                     "matches a published figure of another place",
                                     "context only (another year or place)", "All",
                                     "newly checked (not checkable from the report alone)"]
    assert list(summary["Report numbers"]) == ["statements of the report", "numbers in the report's tables and text",
                                               "all"]
    zh = external_views.summary_view(external.external_summary(checks), "zh")
    assert list(zh.columns)[1:4] == ["与公开数据相符", "与公开数据不符", "与同年公开数据不符（与另一年份或范围的数据相符）"]
    sources = external_views.sources_view(ext.sources, "zh")
    assert list(sources.columns) == ["发布者", "标题（原文）", "网址", "发布日期", "阅读日期", "类别", "范围与说明"]
    assert set(sources["类别"]) == {"官方统计", "政府报告", "新闻报道"}
    en = external_views.sources_view(ext.sources, "en")
    assert en.loc[0, "Publisher"] == "Wuhan Municipal Science and Technology Bureau"
    assert en.loc[0, "Title (original Chinese)"] == "科技统计简表(2013-2018年)"


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
def test_chart_texts_in_the_page_language(data, ext, lang, focus):
    import matplotlib.pyplot as plt

    checks = external_views.worded(external.external_checks(data, ext), data, ext, lang)
    fig = charts.external_comparison_plot(checks, lang)
    fig.canvas.draw()
    texts = chart_texts(fig)
    assert not wrong_language(texts, lang), wrong_language(texts, lang)
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
    fig.canvas.draw()
    texts = chart_texts(fig)
    assert not wrong_language(texts, lang), wrong_language(texts, lang)
    title = fig.axes[0].get_title()
    expected_names = {"en": ("Wuchang District", "Wuhan"), "zh": ("武昌区", "武汉市")}[lang]
    assert all(n in title for n in expected_names)
    legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert {"en": {"Patent applications", "Patent grants"}, "zh": {"专利申报", "专利授权数量"}}[lang] <= set(legend)
    plt.close(fig)
