"""report/report_tables.py: the tables a page shows. The report's tables equal the report: expected values are
a second, independent transcription of the report's tables (shared/seed), in tests/_support/report_transcription.py,
typed from the report, not from the data or the code; the other expected values are worked out by hand (arithmetic
in the comments). Headers, cells, prose tables and captions are in the reader's language; the report's years stay
the table's whatever years a user's data add."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis_utils.analysis import growth
from analysis_utils.analysis.external_series import share_series
from analysis_utils.analysis.tables import format_number
from analysis_utils.data.external import load_external
from analysis_utils.data.load import load
from analysis_utils.errors import AnalysisError
from analysis_utils.report import audit_views as views
from analysis_utils.report import (
    names,
    report_tables,
)
from analysis_utils.report import report_tables as tables
from analysis_utils.report.names import entity_names
from tests._support.data import DISTRICTS, OBS_ROW, SYNTHETIC_DISTRICT, append_rows
from tests._support.language import CJK
from tests._support.report_transcription import (
    REPORT_TABLE_1,
    REPORT_TABLE_2,
    REPORT_TABLE_3,
    REPORT_TABLE_4,
    REPORT_TABLE_5,
)


def test_table_1_equals_report(data):
    t = tables.table_1(data)  # the report's cells exactly as it prints them: in Chinese no grouping (1532)
    assert [tuple(r) for r in t.astype(str).itertuples(index=False)] == REPORT_TABLE_1
    assert tables.table_1(data, "en").iloc[0, 1] == "1,532"  # English groups the digits


def test_table_2_equals_report(data):
    t = tables.table_2(data)
    assert t.iloc[:, 0].tolist() == list(REPORT_TABLE_2)
    for district, printed in REPORT_TABLE_2.items():
        assert t[t.iloc[:, 0] == district].iloc[0, 1:].tolist() == printed, district


def test_table_3_equals_report(data):
    t = tables.table_3(data)
    for district, (researchers, academicians, programmes) in REPORT_TABLE_3.items():
        row = t[t.iloc[:, 0] == district].iloc[0]
        assert row.iloc[1] == researchers and row.iloc[2] == academicians
        for fragment in programmes:
            assert fragment in row.iloc[3], (district, fragment)


def test_table_4_equals_report_including_total(data):
    t = tables.table_4(data)
    assert [tuple(r) for r in t.astype(str).itertuples(index=False)] == REPORT_TABLE_4


def test_table_5_equals_report_including_shares(data):
    t = tables.table_5(data)
    assert [tuple(r) for r in t.astype(str).itertuples(index=False)] == REPORT_TABLE_5


@pytest.mark.parametrize("number", [1, 2, 3, 4, 5])
def test_english_tables_have_no_chinese(data, number):
    t = tables.TABLE_FUNCTIONS[number](data, lang="en")
    assert not [c for c in t.columns if CJK.search(str(c))]
    assert not CJK.search(" ".join(t.iloc[:, 0].astype(str)))


def test_numbers_view_keeps_bounds_and_missing(data):
    t = tables.table_2(data, as_printed=False)
    nanshan = t[t.iloc[:, 0] == "南山区"].iloc[0]
    assert nanshan["年度研发投入总量(亿元)"] == 200  # the printed bound of '>200'
    yuhang = t[t.iloc[:, 0] == "余杭区"].iloc[0]
    assert pd.isna(yuhang["高新技术产业产值(亿元)"])


def test_unknown_entity_and_language_are_refused(data):
    with pytest.raises(AnalysisError, match="unknown entities"):
        tables.table_2(data, entities=["武昌区", "洪山区"])
    with pytest.raises(AnalysisError, match="expected one of 'zh', 'en'"):
        tables.table_2(data, lang="fr")


def test_synthetic_district_appears_in_table_views(synthetic_data_dir):
    from analysis_utils.data.load import load

    data_dir, values = synthetic_data_dir
    data = load(data_dir)
    t2 = tables.table_2(data)
    assert t2.iloc[:, 0].tolist() == ["武昌区", "南山区", "余杭区", SYNTHETIC_DISTRICT + "†"]  # not the report's
    row = t2[t2.iloc[:, 0] == SYNTHETIC_DISTRICT + "†"].iloc[0]
    assert row["区域总产值(亿元)"] == format_number(values["gdp"]) + "†"  # not the report's number: marked
    t3 = tables.table_3(data)
    assert SYNTHETIC_DISTRICT + "†" in t3.iloc[:, 0].tolist()


def test_prose_table_finds_every_location_of_section(data):
    prose = tables.prose_table(data, "一(二)3")
    # 一(二)3 prints 3.1%, 2.9%, 1个亿, 3000余万元, 4481, 2826, 970 and 34亿元
    assert set(prose["原文"]) >= {"2.9%", "1个亿", "3000余万元", "4481件", "34亿元"}
    assert len(prose) == 8


def test_a_starred_year_is_explained_by_its_header(data):
    """A newcomer met '2015*' on pages 02 and 03 with nothing saying what the star meant."""
    zh, en = tables.prose_table(data, "二", "zh"), tables.prose_table(data, "二", lang="en")
    assert "年份（* 为据上下文推断）" in zh.columns and "Year (* inferred from the context)" in en.columns
    assert zh["年份（* 为据上下文推断）"].str.endswith("*").any()


def test_english_prose_values_are_amounts_in_their_base_unit(data):
    """一(二)3's 1个亿 is 100,000,000 yuan and 3000余万元 more than 30,000,000 yuan; 表3's 约1万人 about 10,000
    persons; 三(二)3's 5—10万平方米 50,000 to 100,000 square metres: no 'ten thousand' or 'hundred million'."""
    def rows(section):
        prose = tables.prose_table(data, section, "en")
        return {p: (v, u) for p, v, u in zip(prose["As printed (original Chinese)"], prose["Value"], prose["Unit"])}

    first, third = rows("一"), rows("三")
    assert first["约1万人"] == ("~10,000", "persons")
    assert first["1个亿"] == ("100 million", "yuan")
    assert first["3000余万元"] == ("30+ million", "yuan")
    assert first["433.9亿元"] == ("43.39 billion", "yuan")
    assert first["4481件"] == ("4,481", "pieces")
    assert first["2.9%"] == ("2.9", "%")
    assert third["5—10万平方米"] == ("50,000–100,000", "square metres")
    assert third["120.5公顷"] == ("120.5", "hectares")
    assert rows("二")["不低于1000万元"] == ("≥10 million", "yuan")
    zh = tables.prose_table(data, "一", "zh")
    assert zh.loc[zh["原文"] == "约1万人", ["数值", "单位"]].values.tolist() == [["约1", "万人"]]


def test_english_units_in_cells_are_english_and_singular_for_one(data):
    """表3 prints 国家千人计划1人 for Wuchang: '1 person', not '1 persons'; every other unit in English too."""
    talent = tables.table_3(data, lang="en").set_index("District")
    assert "National Thousand Talents Plan: 1 person;" in talent.loc["Wuchang District", "Talent plans"]
    assert "Hubei provincial Hundred Talents Plan: 4 persons" in talent.loc["Wuchang District", "Talent plans"]
    row = {"value": 291.0, "value_high": None, "unit": "亿元", "qualifier": ""}
    assert tables.format_cell(row, "en", with_unit=True) == "29.1 billion yuan"  # 291 × 100,000,000 yuan
    assert tables.format_cell(row, "zh", with_unit=True) == "291亿元"
    # 表3: Wuchang's 约1万人 and Nanshan's 10万余人, in persons
    assert talent.loc["Wuchang District", "Researchers in universities and research institutes"] == "~10,000 persons"
    assert talent.loc["Nanshan District", "Researchers in universities and research institutes"] == "100,000+ persons"
    for cell in talent.to_numpy().ravel():
        assert not CJK.search(str(cell)), cell


@pytest.fixture(scope="module")
def gaps(gaps, data):
    """The unit tests' gap rows (tests/unit/conftest.py) labelled in English (names.label_rows), as notebook 03 shows
    them."""
    return names.label_rows(gaps, data, "en")


def test_gap_view_keeps_the_numbers_in_either_language(gaps):
    zh, en = tables.gap_view(gaps, "zh"), tables.gap_view(gaps, "en")
    assert zh.shape == en.shape == (len(gaps), 10)
    assert not any(CJK.search(c) for c in en.columns) and all(CJK.search(c) for c in zh.columns)
    # the values too are in the view's language: codes such as held_still / proxy / lower are named
    text_cells = en.select_dtypes(exclude="number").iloc[:, 2:]
    assert not text_cells.apply(lambda c: c.str.contains(CJK)).any().any()
    assert not zh.select_dtypes(exclude="number").isin(["held_still", "held still", "proxy", "lower"]).any().any()
    # the ratio and years keep their values, growth rates are in % (× 100), in the order of the gap table
    for column, factor in (("ratio", 1), ("required_growth", 100), ("years_to_close", 1)):
        matching = [c for c in en.columns if en[c].dtype.kind == "f" and np.allclose(
            en[c].to_numpy(), gaps[column].to_numpy(dtype=float) * factor, equal_nan=True)]
        assert matching, column
    pd.testing.assert_series_equal(zh.iloc[:, 0], gaps["indicator_label"].reset_index(drop=True),
                                   check_names=False, check_index=False)


def test_snapshot_for_index(data):
    t = tables.snapshot_for_index(data, DISTRICTS, 2015, lang="en")
    assert t.shape == (3, 14) and not CJK.search(" ".join(map(str, t.columns)))  # name, 11, coverage, ranked
    assert not CJK.search(" ".join(t.iloc[:, 0]))  # English district names
    firms = [c for c in t.columns if c.startswith("High-tech enterprises")]
    assert len(firms) == 1
    # 74/113, 1641/112, 338/92.54
    assert t[firms[0]].tolist() == pytest.approx([0.6548673, 14.651786, 3.6524746], rel=1e-6)


def test_snapshot_for_index_says_who_is_not_ranked(data):
    # 2015: 武昌区 and 南山区 have all 11 indicators, 余杭区 8 (3 gaps); with min_coverage 1 only 余杭区 is
    # left out of the ranking, and the table says so in the reader's language.
    zh = tables.snapshot_for_index(data, DISTRICTS, 2015, min_coverage=1.0)
    assert zh["地区"].tolist() == DISTRICTS  # headed as every table but 表2, which prints 所在地区
    assert zh["指标覆盖"].tolist() == ["11/11", "11/11", "8/11"]
    assert zh["参与排名"].tolist() == ["是", "是", "否"]
    en = tables.snapshot_for_index(data, DISTRICTS, 2015, lang="en", min_coverage=1.0)
    assert en.iloc[:, -2:].values.tolist() == [["11/11", "yes"], ["11/11", "yes"], ["8/11", "no"]]
    assert list(en.columns[-2:]) == ["Indicators covered", "Ranked"]
    # The default threshold ranks all three.
    assert tables.snapshot_for_index(data, DISTRICTS, 2015).iloc[:, -1].tolist() == ["是", "是", "是"]


def test_snapshot_for_index_reads_the_year_asked(data):
    # the report gives the 11 indicators of 表2/表3, and the population that sizes them, for 2015 only; 表2 prints
    # "-" for three of Yuhang's (high-tech output, R&D expenditure, R&D intensity): 8 of 11, still >= one half
    districts = ["武昌区", "南山区", "余杭区"]
    y2015 = tables.snapshot_for_index(data, districts, 2015, "en")
    assert y2015["Indicators covered"].tolist() == ["11/11", "11/11", "8/11"]
    assert y2015["Ranked"].tolist() == ["yes"] * 3
    y2014 = tables.snapshot_for_index(data, districts, 2014, "en")  # no 表2 in 2014: shown, none ranked
    assert y2014["Indicators covered"].tolist() == ["0/11"] * 3 and y2014["Ranked"].tolist() == ["no"] * 3


def test_series_numbers_are_shown_at_their_kind_in_both_languages(data):
    """Wuchang's patent grants (2130, 2154, 2826: 表1) and Wuhan's (15901, 16335, 21740) are counts: whole numbers
    with grouped digits in the reader's table (not 15901.00), Wuhan's technology contract turnover 471.09 亿元 at
    its two decimals, the share a float shown at two decimals, the year a label; the place in the source in the
    page's language (the zh page in Chinese)."""
    ext = load_external(data)
    series = share_series(data, ext, part_entity="武昌区")
    assert {"location_zh", "location_en"} <= set(series.columns)  # the CSV keeps both languages
    for lang, place in (("en", "table, row 11, column 2013"), ("zh", "表中第11行，2013年列")):
        entity = names.entity_names(data, lang)
        indicator_names = names.indicator_names(data, lang)
        view = tables.series_view(series, ext, indicator_names, data.units_table, entity["武昌区"], entity["武汉市"],
                                  lang)
        grants = view[view.iloc[:, 0] == indicator_names["patent_grants"]]
        assert grants.iloc[:, 1].tolist() == ["2013", "2014", "2015"]
        assert grants.iloc[:, 2].tolist() == ["2,130", "2,154", "2,826"]
        assert grants.iloc[:, 3].tolist() == ["15,901", "16,335", "21,740"]
        assert grants.iloc[:, 4].tolist() == pytest.approx([13.395384, 13.186410, 12.999080], abs=1e-5)
        assert view.attrs["formats"] == {view.columns[4]: "{:,.2f}"}
        assert grants.iloc[0, 7] == place
        turnover = view[view.iloc[:, 0] == indicator_names["tech_contract_turnover"]]
        assert turnover.iloc[:, 2:4].values.tolist() == [["34", "471.09"]]


# ---------------------------------------------------------------- headers, cells, prose tables and titles in words
def _headers_en(data, audit) -> dict[str, list[str]]:
    """``audit``: claims.audit(data)."""
    peers = ["南山区", "余杭区"]
    gaps = names.label_rows(growth.gap_table(data, "武昌区", peers, 2015, 2020), data, "en")
    frames = {f"table_{n}": report_tables.TABLE_FUNCTIONS[n](data, lang="en") for n in report_tables.TABLE_FUNCTIONS}
    frames.update({"prose_table": report_tables.prose_table(data, "二", "en"),
                   "gap_view": report_tables.gap_view(gaps, "en"), "audit_view": views.audit_view(audit, "en"),
                   "snapshot_for_index": report_tables.snapshot_for_index(data, ["武昌区", *peers], 2015, "en")})
    return {name: [str(c) for c in frame.columns] for name, frame in frames.items()}


def test_english_tables_have_no_chinese_headers(data, claims_audit):
    for name, headers in _headers_en(data, claims_audit).items():
        assert not [h for h in headers if CJK.search(h)], name


@pytest.mark.parametrize("qualifier, value, unit, lang, expected", [
    ("approx", 1.0, "万人", "zh", "约1万人"),
    ("approx", 1.0, "万人", "en", "~10,000 persons"),     # 1 万 = 10,000
    ("over", 10.0, "万人", "zh", "10万余人"),             # 余 sits after 万
    ("over", 10.0, "万人", "en", "100,000+ persons"),     # 10 万 = 100,000
    ("", 905.0, "人", "en", "905 persons"),
    ("gt", 200.0, "个", "en", ">200"),                    # count units are left out in English
    ("gt", 200.0, "个", "zh", ">200个"),
    ("missing", float("nan"), "人", "en", "-"),
])
def test_format_cell_in_both_languages(qualifier, value, unit, lang, expected):
    row = pd.Series({"qualifier": qualifier, "value": value, "value_high": float("nan"), "unit": unit})
    assert report_tables.format_cell(row, lang, with_unit=True) == expected


def test_english_prose_tables_name_places_and_units_in_english(data):
    for section in ("一", "二", "三"):
        prose = report_tables.prose_table(data, section, "en")
        for column in ("Location", "Unit", "Data source"):
            assert not prose[column].astype(str).str.contains(CJK).any(), (section, column)


def test_titles_are_the_reports_for_its_districts_and_name_the_run_s_otherwise(data):
    zh, en = entity_names(data, "zh"), entity_names(data, "en")
    assert report_tables.title(2, "zh", [zh[e] for e in DISTRICTS], 2015) == "表2 2015年武昌区与南山区、余杭区创新成效比较"
    assert report_tables.title(3, "zh", [zh[e] for e in DISTRICTS]) == "表3 武昌区与南山区、余杭区的人才分布情况比较"
    assert report_tables.title(1, "zh", [zh["武昌区"]]) == "表1 “十二五”期间武昌区专利授权情况"
    assert report_tables.title(5, "zh", [zh["武昌区"]], 2014) == "表5 2014年武昌区工业企业发展情况"
    # another focus: the caption names it and its peers, not the report's fixed three in the report's order
    assert report_tables.title(2, "zh", ["南山区", "武昌区", "余杭区"], 2015) == "表2 2015年南山区与武昌区、余杭区创新成效比较"
    assert report_tables.title(3, "en", [en["余杭区"], en["武昌区"], en["南山区"]]) == \
        "Table 3 Talent of Yuhang District compared with Wuchang District and Nanshan District"
    assert report_tables.title(2, "en", [en["南山区"], en["余杭区"]], 2015) == \
        "Table 2 Innovation performance of Nanshan District compared with Yuhang District, 2015"


# ---------------------------------------------------------------- the report's scope, whatever the data add
def test_table_1_keeps_2011_to_2015_when_the_data_add_2016(data_copy):
    from analysis_utils.report import report_tables as tables

    for indicator in ("patent_grants", "invention_patent_grants"):
        row = list(OBS_ROW)
        row[1], row[2] = indicator, "2016"
        append_rows(data_copy / "observations.csv", [row])
    extended = load(data_copy)
    table = tables.table_1(extended)
    assert table.iloc[:, 0].tolist() == ["2011", "2012", "2013", "2014", "2015"]
    assert tables.table_1(extended, years=None).iloc[:, 0].tolist()[-1] == "2016"  # the extended series


def test_the_index_inputs_show_a_bound_as_a_bound(data):
    """A newcomer's case: Nanshan's R&D expenditure is printed '>200' (亿元): per 10k residents it is more than
    200 / 112 = 1.786, shown '≥1.786', not as an exact 1.786; Wuchang's 26.97 / 113 = 0.239 stays a number."""
    t = tables.snapshot_for_index(data, DISTRICTS, 2015, "en")
    column = [c for c in t.columns if c.startswith("R&D expenditure")][0]
    assert t[column].tolist() == ["0.239", "≥1.786", "-"]


# ---------------------------------------------------------------- derived cells from another source's number
# examples/synthetic-district (SYNTHETIC, source synthetic_bulletin): 示例区 residents 73 万人, GDP 1000 亿元, 60
# high-tech firms, R&D intensity 2.5 %, 20 invention patents per 10k; replaced_data also stands 880 (SYNTHETIC, same
# source) in for the report's 武昌区 GDP of 870. The report's 2015 numbers (表2): 武昌区 113 万人, 74 firms, 3.1 %,
# 18 patents; 南山区 112 万人, GDP 3715, 1641 firms, 5.8 %, 314 patents.
EXAMPLE_NOTE = {
    "zh": "† 不是报告的数值，来自：示例区统计局（SYNTHETIC，虚构）《示例区2015年国民经济和社会发展统计公报（SYNTHETIC，虚构）》"
          "（2016-03，SYNTHETIC: an invented bulletin, for the example only；范围：为示例虚构的数字（SYNTHETIC），"
          "不描述任何真实地区；示例区†）。",
    "en": "† Not the report's numbers, from: Example District Statistics Bureau (SYNTHETIC), "
          "示例区2015年国民经济和社会发展统计公报（SYNTHETIC，虚构） (2016-03, SYNTHETIC: an invented bulletin, for the "
          "example only; scope: SYNTHETIC figures invented for the example; they describe no real place; "
          "Example District (SYNTHETIC)†).",
}


def _gap_rows(data, peers, lang):
    gaps = names.label_rows(growth.gap_table(data, "武昌区", peers, 2015, 2020), data, lang)
    return gaps[gaps["denominator"] == "total"].reset_index(drop=True)


def _cell(view, row: int, header_start: str):
    [column] = [c for c in view.columns if c.startswith(header_start)]
    return view.loc[row, column]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_note_names_the_source_with_its_scope_in_the_pages_language(example_data, lang):
    gaps = _gap_rows(example_data, ["南山区", "示例区"], lang)
    assert tables.derived_note(example_data, gaps["source_ids"], ["武昌区", "南山区", "示例区"], lang) == \
        EXAMPLE_NOTE[lang]
    assert tables.others_note(example_data, ["武昌区", "示例区"], lang) == EXAMPLE_NOTE[lang]
    # the report's own rows name no source
    assert tables.derived_note(example_data, gaps.loc[gaps["entity"] == "南山区", "source_ids"],
                               ["武昌区", "南山区", "示例区"], lang) == ""


def test_the_gap_view_marks_the_ratios_of_a_users_district_and_not_the_reports(example_data):
    gaps = _gap_rows(example_data, ["南山区", "示例区"], "en")
    view = tables.gap_view(gaps, "en")
    row = {(e, i): k for k, (e, i) in enumerate(zip(gaps["entity"], gaps["indicator"]))}
    # 示例区 GDP 1000 / 870 = 1.149425; by 2020: 1.149425^(1/5) - 1 = 2.8256 %
    assert _cell(view, row[("示例区", "gdp")], "Peer / focus") == "1.15†"
    assert _cell(view, row[("示例区", "gdp")], "Required annual growth") == "2.8†"
    # 60 / 74 = 0.810811: 武昌区 leads, no growth asked, no number to mark
    assert _cell(view, row[("示例区", "high_tech_firms")], "Peer / focus") == "0.81†"
    assert _cell(view, row[("示例区", "high_tech_firms")], "Required annual growth") == "-"
    # 南山区's are the report's numbers over the report's: 3715 / 870 = 4.270115, 1641 / 74 = 22.175676
    assert _cell(view, row[("南山区", "gdp")], "Peer / focus") == "4.27"
    assert _cell(view, row[("南山区", "high_tech_firms")], "Peer / focus") == "22.18"
    assert not view.loc[gaps["entity"] == "南山区"].astype(str).apply(lambda c: c.str.contains("†")).any().any()


def test_a_replaced_focus_number_marks_every_ratio_over_it(replaced_data):
    gaps = _gap_rows(replaced_data, ["南山区"], "zh")
    view = tables.gap_view(gaps, "zh")
    row = {i: k for k, i in enumerate(gaps["indicator"])}
    assert gaps.loc[row["gdp"], "source_ids"] == "synthetic_bulletin"
    # 3715 / 880 = 4.221591; by 2020: 4.221591^(1/5) - 1 = 33.38 %
    assert _cell(view, row["gdp"], "对标区/关注区") == "4.22†" and _cell(view, row["gdp"], "所需年均增速（%）") == "33.4†"
    # 1641 / 74 = 22.175676 over the report's 74: unmarked; 22.175676^(1/5) - 1 = 85.86 %
    assert _cell(view, row["high_tech_firms"], "对标区/关注区") == "22.18"
    assert _cell(view, row["high_tech_firms"], "所需年均增速（%）") == "85.9"
    assert "示例区统计局" in tables.derived_note(replaced_data, gaps["source_ids"], ["武昌区", "南山区"], "zh")


def test_the_index_inputs_mark_the_cells_of_another_sources_numbers(replaced_data):
    t = tables.snapshot_for_index(replaced_data, ["武昌区", "南山区", "示例区"], 2015, "zh")
    # GDP per 10k residents: 880/113 = 7.787611 (replaced), 3715/112 = 33.169643, 1000/73 = 13.698630
    assert _cell(t, slice(None), "区域总产值（每万人）").tolist() == ["7.788†", "33.170", "13.699†"]
    # firms per 10k: 74/113 = 0.654867 (the report's, beside the replaced GDP: unmarked), 1641/112, 60/73 = 0.821918
    assert _cell(t, slice(None), "高新技术企业数量（每万人）").tolist() == ["0.655", "14.652", "0.822†"]
    # intensities as observed: 3.1 and 18 (the report's), 2.5 and 20 (the example's)
    assert _cell(t, slice(None), "年度研发投入占比").tolist() == ["3.1", "5.8", "2.5†"]
    assert _cell(t, slice(None), "每万人发明专利拥有量").tolist() == ["18", "314", "20†"]
    assert not t.iloc[1].astype(str).str.contains("†").any()  # 南山区: the report's numbers only


def test_the_report_districts_cells_are_unmarked_beside_a_users_district(example_data):
    t = tables.snapshot_for_index(example_data, ["武昌区", "南山区", "示例区"], 2015, "en")
    assert not t.iloc[:2].astype(str).apply(lambda c: c.str.contains("†")).any().any()
    assert _cell(t, 0, "Gross regional product") == "7.699"  # 870 / 113 = 7.699115, the report's
    assert _cell(t, 2, "High-tech enterprises") == "0.822†"  # 60 / 73


def test_the_default_derived_tables_show_no_mark_and_keep_their_numbers(data, gaps):
    view = tables.gap_view(gaps, "zh")
    index = tables.snapshot_for_index(data, DISTRICTS, 2015, "zh")
    for table in (view, index):
        assert not table.astype(str).apply(lambda c: c.str.contains("†")).any().any()
    # the numbers stay numbers, shown at their formats
    assert view.attrs["formats"] == {"对标区/关注区（倍）": "{:,.2f}", "所需年均增速（%）": "{:,.1f}",
                                     "关注区增速（%）": "{:,.1f}", "追平所需年数": "{:,.1f}"}
    assert pd.api.types.is_numeric_dtype(_cell(index, slice(None), "区域总产值（每万人）"))
    assert tables.derived_note(data, gaps["source_ids"], DISTRICTS, "zh") == ""
    assert tables.others_note(data, DISTRICTS, "en") == ""


def test_marked_numbers_formats_a_column_only_when_one_is_marked():
    assert tables.marked_numbers([4.270115, float("nan"), 0.5], ["", "x", "x;y"], "ratio") == ["4.27", "-", "0.50†"]
    assert tables.marked_numbers([3715.0, 87.42], ["x", ""], "value") == ["3,715†", "87.42"]
    assert tables.marked_numbers([1.0, float("nan")], ["", "x"], "ratio") is None  # a '-' is nobody's number


def test_results_resting_on_another_source_are_marked_and_the_reports_stay_numbers():
    """Page 05's scores when the focus's numbers are a user's: every number marked at its column's precision ('1.000†', '0.373†'; a rank '2†'),
    names and texts untouched; with the report's numbers only, the same frame (numbers, unmarked)."""
    import pandas as pd

    view = pd.DataFrame({"区": ["示例区†", "武昌区"], "得分": [1.0, 0.37312], "排名": [1, 2], "是否排名": [True, True]})
    marked = report_tables.marked_results(view, "synthetic_bulletin")
    assert marked.values.tolist() == [["示例区†", "1.000†", "1†", True], ["武昌区", "0.373†", "2†", True]]
    assert report_tables.marked_results(view, "") is view


def test_the_index_charts_are_marked_only_when_their_results_rest_on_another_source():
    assert report_tables.results_mark("synthetic_bulletin;b") == "†"
    assert report_tables.results_mark("") == ""
