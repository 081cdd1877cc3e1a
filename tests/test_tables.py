"""The table views equal the report. Expected values are a second, independent transcription of
the report's tables (shared/seed), in report_transcription.py, typed from the report, not from the data or the code."""
from __future__ import annotations

import re

import pandas as pd
import pytest

from analysis_utils.analysis import tables
from analysis_utils.errors import AnalysisError
from report_transcription import REPORT_TABLE_1, REPORT_TABLE_2, REPORT_TABLE_3, REPORT_TABLE_4, REPORT_TABLE_5

CJK = re.compile(r"[\u4e00-\u9fff]")


def test_table_1_equals_report(data):
    t = tables.table_1(data)
    assert [tuple(r) for r in t.astype(str).itertuples(index=False)] == REPORT_TABLE_1


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
    from conftest import SYNTHETIC_DISTRICT

    data_dir, values = synthetic_data_dir
    data = load(data_dir)
    t2 = tables.table_2(data)
    assert t2.iloc[:, 0].tolist() == ["武昌区", "南山区", "余杭区", SYNTHETIC_DISTRICT]
    row = t2[t2.iloc[:, 0] == SYNTHETIC_DISTRICT].iloc[0]
    assert row["区域总产值(亿元)"] == tables.format_number(values["gdp"])
    t3 = tables.table_3(data)
    assert SYNTHETIC_DISTRICT in t3.iloc[:, 0].tolist()


def test_prose_table_finds_every_location_of_section(data):
    prose = tables.prose_table(data, "一(二)3")
    # 一(二)3 prints 3.1%, 2.9%, 1个亿, 3000余万元, 4481, 2826, 970 and 34亿元
    assert set(prose["原文"]) >= {"2.9%", "1个亿", "3000余万元", "4481件", "34亿元"}
    assert len(prose) == 8


def test_english_units_in_cells_are_english_and_singular_for_one(data):
    """表3 prints 国家千人计划1人 for Wuchang: '1 person', not '1 persons'; every other unit in English too."""
    import re

    from analysis_utils.analysis.tables import format_cell

    talent = tables.table_3(data, lang="en").set_index("District")
    assert "National Thousand Talents Plan: 1 person;" in talent.loc["Wuchang District", "Talent plans"]
    assert "Hubei provincial Hundred Talents Plan: 4 persons" in talent.loc["Wuchang District", "Talent plans"]
    row = {"value": 291.0, "value_high": None, "unit": "亿元", "qualifier": ""}
    assert format_cell(row, "en", with_unit=True) == "291 hundred million yuan"
    for cell in talent.to_numpy().ravel():
        assert not re.search("[\u4e00-\u9fff]", str(cell)), cell


def test_table_1_growth_numbers_by_hand(data):
    """The unrounded growth rates behind 表1 (as_printed=False, what the charts and findings read), worked by hand
    from the report's counts: 2015 (2826 / 2154 − 1) × 100 = 672 / 2154 × 100, invention (970 / 594 − 1) × 100 =
    376 / 594 × 100, 2014 (2154 / 2130 − 1) × 100 = 24 / 2130 × 100."""
    t = tables.table_1(data, lang="en", as_printed=False).set_index(tables.table_1(data, lang="en").columns[0])
    growth, inv_growth = t.columns[1], t.columns[3]
    assert t.loc[2015, growth] == pytest.approx(672 / 2154 * 100, abs=1e-9)
    assert t.loc[2015, inv_growth] == pytest.approx(376 / 594 * 100, abs=1e-9)
    assert t.loc[2014, growth] == pytest.approx(24 / 2130 * 100, abs=1e-9)
    assert t.loc[2015, t.columns[0]] == 2826 and t.loc[2015, t.columns[2]] == 970


def test_table_5_shares_by_hand(data):
    """表5's share row (as_printed=False): Wuchang over Wuhan, 2014, each column by hand: 37 / 2440, 12 / 386,
    119247 / 15762363 (thousand yuan), × 100."""
    t = tables.table_5(data, lang="en", as_printed=False)
    shares = t.iloc[2, 1:].astype(float).tolist()
    assert shares == pytest.approx([37 / 2440 * 100, 12 / 386 * 100, 119247 / 15762363 * 100], abs=1e-9)


def test_small_analysis_rules_by_hand(data):
    from analysis_utils.analysis import growth

    assert growth.cagr(1.0, 4.0, 2) == pytest.approx(1.0)  # 1 → 4 in two years: doubling each year
    assert growth.gap_position(2.0, "upper") == "unknown" and growth.gap_position(0.5, "lower") == "unknown"
    assert tables.format_number(float("nan")) == "-" and tables.format_number(None) == "-"
    assert tables.entity_with_series(data, "武昌区") == "武昌区"  # the report's 表1 series is Wuchang's own
