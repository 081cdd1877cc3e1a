"""Captions, notes and generated sentences of notebooks 01–06 read as written for the run's focus and language.

Expected strings are worked out by hand from the report's captions (表2 "2015年武昌区与南山区、余杭区创新成效比较",
表3 "武昌区与南山区、余杭区的人才分布情况比较") and data/entities.csv's English names. A SYNTHETIC fourth district
with observations for the 表2 indicators only (no 表3 talent data) checks that a district without a table's data
gets a row of "-" and a note, never an empty row, whether it is the focus or a peer.
"""
from __future__ import annotations

import csv
import shutil

import pytest
from conftest import SYNTHETIC_DISTRICT, add_synthetic_district, append_rows

from analysis_utils.analysis.external_series import share_series, whole_of
from analysis_utils.data.external import load_external
from analysis_utils.data.load import load
from analysis_utils.paths import DATA_DIR
from analysis_utils.report import findings, narrative, report_tables
from analysis_utils.report.names import entity_names, label_rows
from analysis_utils.report.narrative import series_sentence

REPORT = ["武昌区", "南山区", "余杭区"]


@pytest.fixture(scope="module")
def four(tmp_path_factory):
    """The packaged data plus a synthetic district holding 表2 indicators only."""
    target = tmp_path_factory.mktemp("t2only") / "data"
    shutil.copytree(DATA_DIR, target)
    add_synthetic_district(target)
    path = target / "observations.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    entity, source = rows[0].index("entity"), rows[0].index("source")
    kept = [r for r in rows if not (r[entity] == SYNTHETIC_DISTRICT and r[source] == "表3")]
    assert len(kept) < len(rows)  # the synthetic district had 表3 rows, now it has none
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(kept)
    return load(target)


def test_titles_are_the_reports_for_its_districts_and_name_the_run_s_otherwise(data):
    zh, en = entity_names(data, "zh"), entity_names(data, "en")
    assert report_tables.title(2, "zh", [zh[e] for e in REPORT], 2015) == "表2 2015年武昌区与南山区、余杭区创新成效比较"
    assert report_tables.title(3, "zh", [zh[e] for e in REPORT]) == "表3 武昌区与南山区、余杭区的人才分布情况比较"
    assert report_tables.title(1, "zh", [zh["武昌区"]]) == "表1 “十二五”期间武昌区专利授权情况"
    assert report_tables.title(5, "zh", [zh["武昌区"]], 2014) == "表5 2014年武昌区工业企业发展情况"
    # another focus: the caption names it and its peers, not the report's fixed three in the report's order
    assert report_tables.title(2, "zh", ["南山区", "武昌区", "余杭区"], 2015) == "表2 2015年南山区与武昌区、余杭区创新成效比较"
    assert report_tables.title(3, "en", [en["余杭区"], en["武昌区"], en["南山区"]]) == \
        "Table 3 Talent of Yuhang District compared with Wuchang District and Nanshan District"
    assert report_tables.title(2, "en", [en["南山区"], en["余杭区"]], 2015) == \
        "Table 2 Innovation performance of Nanshan District compared with Yuhang District, 2015"


def test_the_question_lists_peers_as_names(data):
    q = narrative.question(data, "南山区", ["武昌区", "余杭区"], "zh")
    assert q.startswith("本次运行的关注区为南山区，对标区为武昌区、余杭区：") and "；" not in q
    q = narrative.question(data, "余杭区", ["武昌区", "南山区"], "en")
    assert q.startswith("This run compares Yuhang District with Wuchang District and Nanshan District: "), q


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("focus", [*REPORT, SYNTHETIC_DISTRICT])
def test_no_empty_row_or_cell_in_tables_2_and_3(four, focus, lang):
    names = entity_names(four, lang)
    entities = [focus, *[d for d in four.districts() if d != focus]]
    assert SYNTHETIC_DISTRICT in entities and len(entities) == 4
    for table in (report_tables.table_2(four, lang, entities), report_tables.table_3(four, lang, entities)):
        assert table.iloc[:, 0].tolist() == [names[e] for e in entities]  # every district has its row
        cells = table.iloc[:, 1:].astype(str).apply(lambda c: c.str.strip())
        assert not (cells == "").any().any(), table
    t3 = report_tables.table_3(four, lang, entities)
    # the synthetic district has no 表3 data: a row of "-", named in the note; the report's three are not
    assert report_tables.empty_rows(t3) == [names[SYNTHETIC_DISTRICT]]
    note = narrative.empty_rows_note(t3, lang)
    assert names[SYNTHETIC_DISTRICT] in note and not any(names[d] in note for d in REPORT)
    assert report_tables.empty_rows(report_tables.table_2(four, lang, entities)) == []
    assert narrative.empty_rows_note(report_tables.table_2(four, lang, entities), lang) == ""


def test_empty_rows_note_hand_strings(four):
    t3 = report_tables.table_3(four, "zh", ["武昌区", SYNTHETIC_DISTRICT])
    assert t3.iloc[1].tolist() == [SYNTHETIC_DISTRICT, "-", "-", "-"]
    assert narrative.empty_rows_note(t3, "zh") == f"{SYNTHETIC_DISTRICT}在数据中没有本表的任何数值，该行各格显示为“-”。"
    t3 = report_tables.table_3(four, "en", [SYNTHETIC_DISTRICT, "南山区"])
    assert narrative.empty_rows_note(t3, "en") == \
        "The data hold no value of this table for SYNTHETIC district: every cell of that row reads “-”."


def test_foundation_quotes_the_years_shown(data_copy):
    # a user's data extend 表1 to 2016 (synthetic numbers: 3000 grants, 1000 invention grants)
    append_rows(data_copy / "observations.csv", [
        {"entity": "武昌区", "indicator": i, "year": 2016, "year_inferred": "false", "value": v, "unit": "件",
         "printed": str(v), "source": "表1", "note": "synthetic"} for i, v in (("patent_grants", 3000),
                                                                             ("invention_patent_grants", 1000))])
    data = load(data_copy)
    # the report's years: 1532 (2011) -> 2826 (2015), (2826/1532)^(1/4) - 1 = 16.5 %; 970/2826 = 34.3 %
    shown = findings.foundation(data, "武昌区", "zh")
    assert shown[0] == "武昌区专利授权数量从2011年的1532件增至2015年的2826件，年均增长16.5%，累计增长84.5%。"
    assert shown[2] == "2015年发明专利占专利授权的34.3%。"
    # the extended series: (3000/1532)^(1/5) - 1 = 1.95822^0.2 - 1 = 14.4 %, in all 95.8 %; 1000/3000 = 33.3 %
    extended = findings.foundation(data, "武昌区", "en", years=None)
    assert extended[0] == ("Wuchang District: Patent grants rose from 1532 in 2011 to 3000 in 2016, 14.4% a year, "
                           "95.8% in all.")
    assert extended[2] == "In 2016, invention patents were 33.3% of all grants."
    assert len(report_tables.table_1(data, years=None)) == 6 and len(report_tables.table_1(data)) == 5


def test_treatment_record_qualifiers_read_as_words(data):
    import pandas as pd

    from analysis_utils.report.present import localise

    record = pd.DataFrame({"qualifier": ["gt", "missing"]})
    assert localise(record, "zh", kind=data.qualifier_table.kind)["限定词"].tolist() == ["下限", "缺失"]
    assert localise(record, "en", kind=data.qualifier_table.kind)["Qualifier"].tolist() == ["lower bound", "missing"]


COLUMNS_EN = ("Where the column “Ratio is” says “lower bound” (a number printed as “>200”, say), the growth needed is a "
              "lower bound too. Where the column “Focus is” says “leads or level”, there is nothing to close; where it "
              "says “unknown” (a value is missing, or its printed bound does not say who leads), there is nothing to "
              "compare; in both cases the growth needed and the years are left empty.")
NONE_EN = ("Where the column “Growth basis” says “none”, there is no growth of the focus district to go on, and the "
           "years to close are left empty; the parameter `scenario_growth` sets an assumed growth.")


def _gaps(data, focus, lang, scenario=None):
    from analysis_utils.analysis import growth

    peers = [d for d in REPORT if d != focus]
    g = label_rows(growth.gap_table(data, focus, peers, 2015, 2020, focus_growth=growth.historical_growth(data, focus),
                                    scenario_growth=scenario), data, lang)
    return g[g["denominator"] == "total"]


def test_gap_reading_names_the_proxy_only_where_it_is_used(data, four):
    # 余杭区 has no series in the report: no proxy sentence, years left empty
    assert narrative.gap_reading(data, "余杭区", _gaps(data, "余杭区", "en"), "en") == COLUMNS_EN + "\n\n" + NONE_EN
    assert "代理" not in narrative.gap_reading(data, "南山区", _gaps(data, "南山区", "zh"), "zh")
    # a user's district with 表2 numbers only: no proxy either
    assert "proxy" not in narrative.gap_reading(four, SYNTHETIC_DISTRICT, _gaps(four, SYNTHETIC_DISTRICT, "en"), "en")
    # 武昌区: 表1 invention grants 493 (2011) -> 970 (2015): (970/493)^(1/4) - 1 = 18.4 %
    assert narrative.gap_reading(data, "武昌区", _gaps(data, "武昌区", "en"), "en") == "\n\n".join([
        COLUMNS_EN,
        "Wuchang District's own growth is known only where the report prints a series: the growth of Invention patents "
        "in force per 10000 residents is approximated by the annual growth of Wuchang District's Invention patent "
        "grants over 2011–2015, 18.4% (the column “Growth basis” says “proxy: CAGR of a related series”).",
        NONE_EN])
    zh = narrative.gap_reading(data, "武昌区", _gaps(data, "武昌区", "zh"), "zh").split("\n\n")
    assert zh[0] == ("“比值性质”一列为“下限”时（数字印作“>200”之类），所需增速也是下限；“关注区位置”一列为“领先或持平”时不需追赶，"
                     "为“无法判断”时（数值缺失，或所印界限不能说明谁领先）无从比较，这两种情况下所需增速和年数都留空。")
    assert zh[1] == ("武昌区自身的增速只在报告给出序列时可得：每万人发明专利拥有量的增速以武昌区发明专利授权数量2011—2015年的"
                     "年均增速18.4%近似（“增速来源”一列为“代理：相关序列的年均增速”）。")
    # an assumed growth is named as such, and nothing is left without a basis
    scenario = narrative.gap_reading(data, "余杭区", _gaps(data, "余杭区", "en", scenario=0.1), "en")
    assert scenario == COLUMNS_EN + "\n\n" + (
        "Where the column “Growth basis” says “scenario (assumed)”, the years to close rest on an assumed growth of "
        "10.0% a year: an analyst's assumption, not a figure of the report.")


def test_series_sentence_for_a_district_without_a_city(four):
    ext = load_external(four)
    whole = whole_of(four, SYNTHETIC_DISTRICT)
    assert whole == ""
    empty = share_series(four, ext, SYNTHETIC_DISTRICT, whole)
    assert series_sentence(four, ext, SYNTHETIC_DISTRICT, whole, empty, "zh") == \
        "数据（entities.csv）中SYNTHETIC_测试区没有所属城市，无法计算其占全市的比重。"


@pytest.fixture(scope="module")
def ext(data):
    return load_external(data)


def test_series_for_a_focus_in_a_city_without_published_totals(data, ext):
    assert (whole_of(data, "武昌区"), whole_of(data, "南山区"), whole_of(data, "余杭区")) == ("武汉市", "深圳市", "杭州市")
    series = share_series(data, ext, part_entity="南山区", whole_entity="深圳市")
    assert series.empty
    # the report gives patent and technology-contract numbers for Wuchang only (表1, prose); no Shenzhen totals
    assert series_sentence(data, ext, "南山区", "深圳市", series, "en") == (
        "The report (and the data used) give Patent applications, Patent grants, Invention patent grants and "
        "Technology contract turnover for Wuchang District only, not for Nanshan District, so Nanshan District's "
        "share of Shenzhen cannot be computed. Nor do the published figures hold any totals of Shenzhen.")
    assert series_sentence(data, ext, "余杭区", "杭州市", share_series(data, ext, "余杭区", "杭州市"), "zh") == (
        "报告（及所用数据）只给出武昌区的专利申报、专利授权数量、发明专利授权数量、技术合同交易额，没有余杭区的，"
        "无法计算余杭区占杭州市的比重。外部数据中也没有杭州市的任何总量。")
    wuchang = share_series(data, ext, part_entity="武昌区", whole_entity="武汉市")
    assert series_sentence(data, ext, "武昌区", "武汉市", wuchang, "en") == (
        "Wuchang District's share of Wuhan: the report gives Wuchang District's own numbers, Wuhan's totals were "
        "published outside the report.")


def test_series_sentence_for_a_users_district(data, ext, tmp_path):
    """A user's 4th district (西湖区 of 杭州市) with 表2 numbers for 2015 only: the sentence never says the report
    has its numbers; a district with patent grants but no published city totals for those years is told so."""
    copy = tmp_path / "data"
    shutil.copytree(data.data_dir, copy)
    with (copy / "entities.csv").open("a", encoding="utf-8") as f:
        f.write("西湖区,Xihu District,district,杭州市,a user's district\n")
    user = load(copy)
    empty = share_series(user, ext, "西湖区", "杭州市")
    assert series_sentence(user, ext, "西湖区", "杭州市", empty, "en") == (
        "The report (and the data used) give Patent applications, Patent grants, Invention patent grants and "
        "Technology contract turnover for Wuchang District only, not for Xihu District, so Xihu District's share "
        "of Hangzhou cannot be computed. Nor do the published figures hold any totals of Hangzhou.")
    # 武昌区 against a city with no published totals (武汉's are in the data, so ask for 深圳市's): years 2011–2015
    none = share_series(data, ext, "武昌区", "深圳市")
    assert series_sentence(data, ext, "武昌区", "深圳市", none, "zh").startswith(
        "外部数据中没有深圳市与报告中武昌区的数字（")
    assert "2011—2015年" in series_sentence(data, ext, "武昌区", "深圳市", none, "zh")
    assert series_sentence(data, ext, "武昌区", "", none, "en") == (
        "The data (entities.csv) give no city for Wuchang District, so no share of a city can be computed.")


def test_a_table_header_and_the_sentence_beside_it_name_an_indicator_alike(data):
    """Table 2's English headers are indicators.csv's names (with the unit), the names 02/03's sentences use."""
    from analysis_utils.analysis import compare

    en = list(report_tables.table_2(data, lang="en", entities=["武昌区", "余杭区"], year=2015).columns)
    assert en == ["District", "Land area (km²)", "Resident population (10k persons)",
                  "Gross regional product (100 million yuan)", "High-tech enterprises",
                  "High-tech industry output (100 million yuan)", "Innovation carriers at city level or above",
                  "Makerspaces", "Industrial floor space in parks (10k m²)", "R&D expenditure (100 million yuan)",
                  "R&D intensity (% of GDP)", "Invention patents in force per 10000 residents"]
    (yuhang,) = findings.ratio_extremes(label_rows(compare.table2_ratios(data, "武昌区", ["余杭区"], 2015), data, "en"),
                                        "Wuchang District", "en")
    assert "widest lead is Innovation carriers at city level or above, 8.3 times" in yuhang
    assert "Invention patents in force per 10000 residents, 3.3 times" in yuhang
    # a normalised label: the same name and "per 10000 residents", never "per 10k residents"
    labels = label_rows(compare.normalised(data, ["武昌区", "余杭区"], 2015), data, "en")["indicator_label"]
    assert "Industrial floor space in parks (per 10000 residents)" in set(labels)
    assert not any("10k residents" in label for label in labels)


def test_every_zh_page_calls_the_focus_district_the_same():
    import json

    for path in sorted((DATA_DIR.parent / "notebooks").glob("*.ipynb")):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        words = "".join("".join(c["source"]) for c in cells if "lang-zh" in c.get("metadata", {}).get("tags", []))
        assert "重点区" not in words, path.name  # 关注区, as every page and the catalogue say
