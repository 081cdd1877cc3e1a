"""analysis/tables.py: the report's tables as numbers keyed by codes (entity and indicator ids, years), and the
derived rows and columns recomputed from the observations. Expected values are worked out by hand from the report's
printed numbers (arithmetic in the comments); the tables as printed are tested in test_report_tables.py.
"""
from __future__ import annotations

import math
from fractions import Fraction

import pytest

from analysis_utils.analysis import tables
from analysis_utils.errors import AnalysisError


def test_table_1_growth_numbers_by_hand(data):
    """The unrounded growth rates behind 表1 (what the charts and findings read), worked by hand from the report's
    counts: 2015 (2826 / 2154 − 1) × 100 = 672 / 2154 × 100, invention (970 / 594 − 1) × 100 = 376 / 594 × 100,
    2014 (2154 / 2130 − 1) × 100 = 24 / 2130 × 100."""
    t = tables.table_1(data)
    assert list(t.columns) == tables.TABLE_1_COLUMNS and t["year"].tolist() == [2011, 2012, 2013, 2014, 2015]
    t = t.set_index("year")
    assert t.loc[2015, "growth"] == pytest.approx(672 / 2154 * 100, abs=1e-9)
    assert t.loc[2015, "invention_growth"] == pytest.approx(376 / 594 * 100, abs=1e-9)
    assert t.loc[2014, "growth"] == pytest.approx(24 / 2130 * 100, abs=1e-9)
    assert t.loc[2015, "patent_grants"] == 2826 and t.loc[2015, "invention_patent_grants"] == 970
    assert math.isnan(t.loc[2011, "growth"])  # no year before the first
    # exactly, as printed: 672 / 2154 × 100 = 31.197… -> 31.2; (565 / 627 − 1) × 100 = −9.888… -> −9.9
    assert tables.exact_growth(2154.0, 2826.0) == Fraction(672, 2154) * 100
    assert tables.printed_round(tables.exact_growth(627.0, 565.0), 1) == "-9.9"
    assert tables.exact_growth(0.0, 1.0) is None and tables.exact_growth(float("nan"), 1.0) is None


def test_table_2_numbers_keep_bounds_and_missing(data):
    t = tables.table_2(data)
    assert list(t.index) == ["武昌区", "南山区", "余杭区"] and list(t.columns) == tables.TABLE_2_COLUMNS
    assert t.loc["南山区", "rd_expenditure"] == 200  # the printed bound of '>200'
    assert math.isnan(t.loc["余杭区", "high_tech_output"])  # '-'
    assert t.loc["武昌区", "area"] == 87.42
    with pytest.raises(AnalysisError, match="unknown entities"):
        tables.table_2(data, entities=["武昌区", "洪山区"])


def test_table_4_total_by_hand(data):
    t = tables.table_4(data)
    assert t.index[-1] == tables.TOTAL_ROW and len(t) == 11 + 1
    spaces = t.drop(index=tables.TOTAL_ROW)
    # 表4's investment column: 0+0+200+0+0+'-'+2500+262+3500+0+0 = 6462 ('-' left out)
    assert t.loc[tables.TOTAL_ROW, "investment_raised"] == 6462
    assert tables.exact_sum(spaces["investment_raised"]) == 6462
    # costs: 18.59+44.55+94.83+75.56+271.04+244.3+402+126+350+45.2+11 = 1683.07, exactly
    assert tables.exact_sum(spaces["operating_cost"]) == Fraction(168307, 100)


def test_table_5_shares_by_hand(data):
    """表5's share row: Wuchang over Wuhan, 2014, each column by hand: 37 / 2440, 12 / 386,
    119247 / 15762363 (thousand yuan), × 100."""
    t = tables.table_5(data)
    assert list(t.index) == ["武昌区", "武汉市", tables.SHARE_ROW]
    shares = t.loc[tables.SHARE_ROW].astype(float).tolist()
    assert shares == pytest.approx([37 / 2440 * 100, 12 / 386 * 100, 119247 / 15762363 * 100], abs=1e-9)
    assert tables.exact_share(37, 2440) == Fraction(3700, 2440)
    assert tables.exact_share(1, 0) is None and tables.exact_share(float("nan"), 2) is None


def test_prose_figures_find_every_location_of_section(data):
    # 一(二)3 prints 3.1%, 2.9%, 1个亿, 3000余万元, 4481, 2826, 970 and 34亿元
    hit = tables.prose_figures(data, "一(二)3")
    assert len(hit) == 8 and set(hit["location"]) == {"一(二)3"}
    assert {"2.9%", "1个亿", "3000余万元", "4481件", "34亿元"} <= set(hit["printed"])


def test_small_analysis_rules_by_hand(data):
    from analysis_utils.analysis import growth

    assert growth.cagr(1.0, 4.0, 2) == pytest.approx(1.0)  # 1 → 4 in two years: doubling each year
    assert growth.gap_position(2.0, "upper") == "unknown" and growth.gap_position(0.5, "lower") == "unknown"
    assert tables.format_number(float("nan")) == "-" and tables.format_number(None) == "-"
    assert tables.entity_with_series(data, "武昌区") == "武昌区"  # the report's 表1 series is Wuchang's own
