"""report/external_views.py: the external checks as a reader sees them: the explanation citing its source, every
reader table in the page's language (Chinese, in English, only in the columns headed as the source's own words),
published figures with their unit names, the summary and the sources.

Expected texts are worked out by hand from the published figures (data/external/observations.csv, each with its
place in the source) and the report's printed numbers; never taken from the code under test."""
from __future__ import annotations

import re

import pytest

from analysis_utils.analysis.external_series import share_series, whole_of
from analysis_utils.audit import external
from analysis_utils.report import external_views
from analysis_utils.report.names import entity_names, indicator_names
from analysis_utils.report.report_tables import series_view
from tests._support.language import texts_in_wrong_language


def test_english_and_chinese_texts_cite_the_source(data, ext, checks):
    for lang in ("zh", "en"):
        frame = external_views.worded(checks, data, ext, lang)
        assert all(row["publisher"] in row["explanation"] for row in frame.to_dict("records"))


ORIGINAL = {"en": {"In the source (original Chinese)", "Title (original Chinese)"},
            "zh": {"来源原文", "标题（原文）"}}


def reader_frames(data, ext, checks, lang, focus):
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
def test_reader_tables_read_in_the_page_language(data, ext, checks, lang, focus):
    frames = reader_frames(data, ext, checks, lang, focus)
    for name, frame in frames.items():
        headers = [str(c) for c in frame.columns]
        assert not texts_in_wrong_language(headers, lang), (name, headers)
        for column in frame.columns:
            if column in ORIGINAL[lang]:
                continue
            bad = texts_in_wrong_language([str(v) for v in frame[column]], lang)
            assert not bad, (name, column, bad[:3])
    # no machine ids or our files' places are shown
    for frame in frames.values():
        assert not {"source_id", "source_file", "source_line", "kind", "scope", "url", "all", "agrees"} & set(frame.columns)


def _row(view, where, published_for, statement_part, publisher_part=""):
    hit = view[(view.iloc[:, 0] == where) & (view.iloc[:, 5] == str(published_for))  # a year is a label: '2015'
               & view.iloc[:, 1].str.contains(statement_part, regex=False)
               & view.iloc[:, 8].str.contains(publisher_part, regex=False)]
    assert len(hit) == 1, (where, published_for, statement_part, len(hit))
    return hit.iloc[0]


def test_explanations_by_hand_in_english(data, ext, checks):
    view = external_views.external_view(checks, data, ext, "en")
    wuhan = _row(view, "I(2).3", 2015, "R&D intensity, Wuhan")
    assert wuhan["Explanation"] == (
        "Wuhan Municipal Science and Technology Bureau published 3.02% for 2015 only on 2019-09-05, after the report "
        "(August 2016): the authors could not have had it, so it is context, neither agreement nor disagreement; "
        "against the printed 2.9%, published minus printed is 0.12 percentage points (table, row 7, column 2015).")
    assert wuhan["External check"] == "published after the report (context only)"
    assert wuhan["Standing of the source"] == "official (on its publisher's own site)"
    assert wuhan["In the source (original Chinese)"] == "*全社会R&D经费内部支出占GDP的比重(%)"
    # 1101.04 亿元 = 110,104,000,000 yuan; 表2's 1235 亿元 = 123,500,000,000 yuan
    yuhang = _row(view, "Table 2", 2014, "Yuhang District")
    assert yuhang["Published"] == "110.104 billion yuan"
    assert yuhang["Explanation"] == (
        "Yuhang District People's Government, Hangzhou (text reproduced by 010b.com) published 110.104 billion "
        "yuan for 2014 (another year, place or whole than the printed 123.5 billion yuan; context only) (section "
        "reviewing the work of 2014, sentence on GDP).")
    assert yuhang["In the source (original Chinese)"] == \
        "2014年工作回顾: 全区实现生产总值1101.04亿元,按可比价格计算,比上年增长9.5%"
    assert yuhang["External check"] == "context only (another year, place or whole)"
    assert yuhang["Standing of the source"] == "official text (on another host)"
    # Xinhua's page shows traditional characters: its words as shown, marked so; its 億元 read as the unit
    xinhua = _row(view, "Table 2", 2015, "Gross regional product, Nanshan", "Xinhua")
    assert xinhua["Published"] == "371.5 billion yuan"  # 3715 亿元 = 371,500,000,000 yuan
    assert xinhua["In the source (original Chinese)"] == "2015年經濟總量達3715億元 (traditional characters, as shown)"
    assert xinhua["Standing of the source"] == "news report naming its publisher"


def test_english_explanations_say_amounts_as_english_readers_write_them(data, ext, checks):
    """Worked by hand from data/external/observations.csv and 表2: 万人 is 10,000 persons, 亿元 100,000,000 yuan.
    Wuchang's printed 113 万人 = 1,130,000 persons; wuhanx.com's 127.63 万人 = 1,276,300 persons, 14.63 万人 =
    146,300 more; the census's 1092750 人 against 113 万人: 109.2750 − 113 = −3.7250 万人 = −37,250 persons.
    Yuhang's printed 92.54 万人 = 925,400 persons; Hangzhou's 135.90 万人 = 1,359,000, 43.36 万人 = 433,600 more.
    27/67 = 40.3% against the printed 38%: 2.3 points at the one decimal of 40.3 (before: 2.299). A sentence does
    not start with a host name's small letter."""
    view = external_views.external_view(checks, data, ext, "en")
    wuhanx = _row(view, "Table 2", 2019, "Resident population, Wuchang", "wuhanx")
    assert wuhanx["Published"] == "1.2763 million persons"
    assert wuhanx["Explanation"] == (
        "The website wuhanx.com (unattributed page) published 1.2763 million persons for 2019 (the source is "
        "undated), which can only have appeared after the report (August 2016): the authors could not have had it, "
        "so it is context, neither agreement nor disagreement; against the printed 1.13 million persons, published "
        "minus printed is 146,300 persons (list of districts, Wuchang).")
    census = _row(view, "Table 2", 2020, "Resident population, Wuchang", "Seventh Census")
    assert census["Published"] == "1,092,750 persons"
    assert census["Explanation"].endswith(
        "published 1,092,750 persons for 2020 only on 2021-05-28, after the report (August 2016): the authors could "
        "not have had it, so it is context, neither agreement nor disagreement; against the printed 1.13 million "
        "persons, published minus printed is -37,250 persons (table of districts, row Wuchang).")
    assert _row(view, "Table 2", 2010, "Resident population, Wuchang", "piglix")["Published"] == "1,199,127 persons"
    hangzhou = _row(view, "Table 2", 2016, "Resident population, Yuhang", "Hangzhou")
    assert hangzhou["Published"] == "1.359 million persons"
    assert "against the printed 925,400 persons, published minus printed is 433,600 persons" in hangzhou["Explanation"]
    academicians = _row(view, "I(2).1", 2015, "academicians", "Wuhan Municipal Science")
    assert "against the printed 38%, published minus printed is 2.3 percentage points (table, row 16, " \
        "column 2015)." in academicians["Explanation"]
    # szxxg.com's 56/33 = 169.697…% against the printed 72.3%: 97.397… points, 97.4 at one decimal
    teams = [e for e in view["Explanation"] if "56/33" in e]
    assert len(teams) == 1 and teams[0].startswith(
        "The website szxxg.com (unattributed page; the address path reads 2016-08-06) published 56/33 = 169.7% for "
        "2015; the report prints 72.3%: published minus printed is 97.4 percentage points")
    assert not [e for e in view["Explanation"] if not e[:1].isupper()]  # every sentence starts with a capital
    for words in ("ten thousand", "hundred million", "× 10,000"):
        assert not [e for e in view["Explanation"] if words in e], words
    # the Chinese is the report's: its numbers and units as printed, its differences at four significant digits
    zh = external_views.external_view(checks, data, ext, "zh")["说明"]
    assert [e for e in zh if "公布数减报告数为-3.7250万人" in e and "与报告所印113相比" in e]
    assert [e for e in zh if "公布数减报告数为2.3个百分点" in e]
    assert [e for e in zh if e.startswith("wuhanx.com（未署名网页）公布的2019年数字127.63万人")]


def test_explanations_by_hand_in_chinese(data, ext, checks):
    view = external_views.external_view(checks, data, ext, "zh")
    wuhan = _row(view, "一(二)3", 2015, "武汉市年度研发投入占比")
    assert wuhan["说明"] == ("武汉市科学技术局于2019-09-05才公布2015年的数字3.02%，晚于报告（2016年8月）：报告作者无从得到，"
                           "仅供参照，不算相符或不符；与报告所印2.9%相比公布数减报告数为0.12个百分点（表中第7行，2015年列）。")
    assert wuhan["外部核查"] == "晚于报告公布（仅供参照）"
    assert wuhan["来源地位"] == "官方发布（发布者自己的网站）"
    nanshan = _row(view, "表2", 2015, "南山区区域总产值", "ddzxzl")
    assert nanshan["公开数字"] == "3715亿元"
    assert nanshan["说明"] == ("ddzxzl.com（未署名的南山区介绍网页）公布的2015年数字为3715亿元，与报告所印3715在所印精度内相符"
                             "（正文中2015年地区生产总值的句子）。")
    assert nanshan["来源原文"] == "2015年,南山实现本地生产总值3715 亿元,增长9.3%"
    assert nanshan["来源地位"] == "未署名网页或转载"
    assert _row(view, "表2", 2015, "南山区区域总产值", "新华")["来源原文"] == "2015年經濟總量達3715億元（繁体原文）"


def test_published_figures_with_unit_names(data):
    units = data.units_table
    assert external_views.shown_value("3715 亿元", "亿元", units, "en") == "371.5 billion yuan"
    assert external_views.shown_value("3715 亿元", "亿元", units, "zh") == "3715亿元"
    assert external_views.shown_value("3715億元", "亿元", units, "en") == "371.5 billion yuan"  # traditional
    assert external_views.shown_value("71名", "人", units, "en") == "71 persons"  # a measure word printed for the unit
    assert external_views.shown_value("2.74", "%", units, "en") == "2.74%"
    # a mean the audit computed from published figures: the unit goes on its result (fig13 drew "2015 (2.89)")
    assert external_views.shown_value("(2.74 + 2.91 + 3.02)/3 = 2.89", "%", units, "zh") == \
        "(2.74 + 2.91 + 3.02)/3 = 2.89%"
    assert external_views.shown_value("56/77 = 72.7%", "%", units, "en") == "56/77 = 72.7%"  # already with its unit
    assert external_views.shown_value("1名", "人", units, "en") == "1 person"  # singular, as data.printed writes it
    assert external_views.shown_value("1.0 个", "个", units, "en") == "1.0 unit"
    assert external_views.shown_value("1", "万人", units, "en") == "10,000 persons"  # 1 × 10,000 persons
    assert external_views.shown_value("1", "万人", units, "zh") == "1万人"
    assert external_views.shown_value("1,000 个", "个", units, "en") == "1,000 units"
    # 248.00 亿元 = 24,800,000,000 yuan: the zeros that show the printed precision are not English
    assert external_views.shown_value("248.00", "亿元", units, "en") == "24.8 billion yuan"
    # 135.90 万人 = 1,359,000 persons; 127.63 万人 = 1,276,300 persons
    assert external_views.shown_value("135.90万人", "万人", units, "en") == "1.359 million persons"
    assert external_views.shown_value("127.63", "万人", units, "en") == "1.2763 million persons"
    # persons counted one by one keep their digits, grouped as a published '1,199,127' is
    assert external_views.shown_value("1092750", "人", units, "en") == "1,092,750 persons"
    assert external_views.shown_value("1,199,127", "人", units, "en") == "1,199,127 persons"
    assert external_views.difference_text(0.12, "%", units, "zh") == "0.12个百分点"
    # without decimals: 4 significant digits, -134 亿元 = -13,400,000,000 yuan
    assert external_views.difference_text(-133.96, "亿元", units, "en") == "-13.4 billion yuan"
    assert external_views.difference_text(-133.96, "亿元", units, "zh") == "-134亿元"
    # at the precision of the numbers compared: 27/67 = 40.2985…%, published as 40.3%, against the printed 38%:
    # 2.2985… points, at the one decimal of 40.3 2.3 (before: 2.299); the Chinese keeps its four digits
    share = 27 / 67 * 100
    assert external_views.difference_text(share - 38, "%", units, "en", decimals=1) == "2.3 percentage points"
    assert external_views.difference_text(share - 38, "%", units, "zh", decimals=1) == "2.3个百分点"  # 40.3 − 38, at one decimal
    # -3.725 万人 at four decimals (1092750 人 is 109.2750 万人) = -37,250 persons
    assert external_views.difference_text(109.275 - 113, "万人", units, "en", decimals=4) == "-37,250 persons"


def test_the_precision_of_a_difference_is_that_of_the_numbers_compared(data):
    units = data.units_table
    assert external_views.compared_decimals("38%", "27/67 = 40.3%", "%", "%", units) == 1
    assert external_views.compared_decimals("2.9%", "2.74", "%", "%", units) == 2
    # 1092750 人 in the report's 万人 is 109.2750: four decimals; 1,199,127 人 likewise
    assert external_views.compared_decimals("113", "1092750", "万人", "人", units) == 4
    assert external_views.compared_decimals("113", "1,199,127", "万人", "人", units) == 4
    assert external_views.compared_decimals("92.54", "135.90", "万人", "万人", units) == 2
    assert external_views.compared_decimals("3715", "3714.57 亿元", "亿元", "亿元", units) == 2
    # no number, or units not a power of ten apart (or of another dimension): no common precision
    assert external_views.compared_decimals("-", "3715", "亿元", "亿元", units) is None
    assert external_views.compared_decimals("3", "2", "人", "元", units) is None


def test_summary_and_sources_views_by_hand(data, ext, checks):
    summary = external_views.summary_view(external.external_summary(checks), "en")
    assert list(summary.columns) == ["Report numbers", "Standing of the source", "agrees with the published figure",
                                     "differs from the published figure",
                                     "differs from the same year's published figure (matches another year's or place's)",
                                     "matches another year's published figure",
                                     "matches a published figure of another place",
                                     "published after the report (context only)",
                                     "context only (another year, place or whole)", "All",
                                     "newly checked (not checkable from the report alone)"]
    claims, cells = "statements of the report", "numbers in the report's tables and text"
    assert list(zip(summary["Report numbers"], summary["Standing of the source"])) == [
        (claims, "official (on its publisher's own site)"), (claims, "unattributed page or repost"), (claims, "all"),
        (cells, "official (on its publisher's own site)"), (cells, "official text (on another host)"),
        (cells, "news report naming its publisher"), (cells, "unattributed page or repost"), (cells, "all"),
        ("all", "official (on its publisher's own site)"), ("all", "official text (on another host)"),
        ("all", "news report naming its publisher"), ("all", "unattributed page or repost"), ("all", "all")]
    zh = external_views.summary_view(external.external_summary(checks), "zh")
    assert list(zh.columns)[2:5] == ["与公开数据相符", "与公开数据不符", "与同年公开数据不符（与另一年份或范围的数据相符）"]
    sources = external_views.sources_view(ext.sources, "zh")
    assert list(sources.columns) == ["发布者", "标题（原文）", "网址", "发布日期", "阅读日期", "类别", "来源地位", "范围与说明"]
    assert set(sources["类别"]) == {"官方统计", "政府报告", "新闻报道", "其他"}
    assert sources.loc[0, "来源地位"] == "官方发布（发布者自己的网站）"
    en = external_views.sources_view(ext.sources, "en")
    assert en.loc[0, "Publisher"] == "Wuhan Municipal Science and Technology Bureau"
    assert en.loc[0, "Title (original Chinese)"] == "科技统计简表(2013-2018年)"


def test_beside_claims_says_what_the_published_team_counts_imply_for_the_72_3_percent(data, ext, checks):
    """The audit page shows, beside the verdict of 二1's 72.3%, the shares 56 teams would be of Shenzhen's
    published counts at the end of 2015 (szxxg.com, unattributed): 56/33 = 169.7% of the Guangdong teams
    (differs), 56/64 = 87.5% of the Peacock teams and 56/83 = 67.47% of both counted once (context). By hand:
    56/33 = 1.69697, 56/64 = 0.875, 56/83 = 0.674699."""
    zh = external_views.beside_claims(checks, data, ext, "zh")
    en = external_views.beside_claims(checks, data, ext, "en")
    assert set(zh) == set(en) == {"p_rd_intensity_above_wuhan", "t2_rd_intensity_nanshan",
                                  "p_academicians_share_hubei", "p_guangdong_teams_share_shenzhen"}
    teams = zh["p_guangdong_teams_share_shenzhen"]
    assert re.findall(r"56/\d+ = [\d.]+%", teams) == ["56/33 = 169.7%", "56/64 = 87.5%", "56/83 = 67.47%"]
    assert teams.count("2015年") == 3 and teams.count("未署名网页或转载") == 3
    assert teams.count("与公开数据不符") == 1 and teams.count("仅供参照（年份、范围或总数口径不同）") == 2
    assert "深圳市“孔雀团队” 56/64" in teams  # named from data/external/indicators.csv, with the place
    assert "Shenzhen, Shenzhen 'Peacock' teams: 56/64 = 87.5% (2015;" in en["p_guangdong_teams_share_shenzhen"]
    # 湖北's 38%: the 67 is Wuhan's count (a city's), and the text says so by naming the place
    assert "Wuhan, Academicians of CAS and CAE: 27/67 = 40.3%" in en["p_academicians_share_hubei"]
    assert "Hubei Province, Academicians of CAS and CAE: 27/71 = 38.03%" in en["p_academicians_share_hubei"]
    # Wuhan's 2.9%: every published reading, the 2013–2015 mean (2.74 + 2.91 + 3.02)/3 = 2.89 among them, came
    # out in 2019 and is context only
    wuhan = en["p_rd_intensity_above_wuhan"].split("; Wuhan, R&D intensity")
    assert len(wuhan) == 4 and all("published after the report" in w for w in wuhan)
    assert "(2.74 + 2.91 + 3.02)/3 = 2.89" in wuhan[3]
    assert not [t for t in [*zh.values(), *en.values()] if "_" in t]  # no ids, no codes


def test_a_later_figure_of_an_undated_source_is_explained_without_a_date(data, ext, checks):
    """Before: 'wuhanx.com (unattributed page) published 127.63 ten thousand persons for 2019 only on , after the
    report' (the 2019 page is undated; a 2019 figure can only have appeared after August 2016)."""
    row = checks[(checks["item"] == "武昌区/resident_population/2015") & (checks["external_year"] == 2019)]
    en = external_views.worded(row, data, ext, "en")["explanation"].iloc[0]
    zh = external_views.worded(row, data, ext, "zh")["explanation"].iloc[0]
    assert "only on ," not in en and "(the source is undated), which can only have appeared after the report" in en
    assert "于才公布" not in zh and "（来源未注日期）只能在报告（2016年8月）之后公布" in zh


def test_published_beside_takes_the_audit_the_page_has_made(data, audit_table):
    """The audit page passes its own claims audit: the texts are those of a fresh one (notebook 04 made it twice)."""
    assert external_views.published_beside(data, "en", audit_table) == external_views.published_beside(data, "en")
