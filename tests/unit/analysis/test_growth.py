"""analysis/growth.py: CAGR, growth needed to close a gap, years to close it, the gap table.

Expected values are worked out by hand from data/observations.csv (arithmetic in the comments).
A test here fails if ``ratio ** (1 / years)`` becomes ``ratio ** years`` or the peer growth is dropped.
"""
from __future__ import annotations

import math

import pytest

from analysis_utils.analysis import growth
from analysis_utils.errors import AnalysisError

# 表1, 武昌区: patent grants 1532 (2011) -> 2826 (2015); invention grants 493 -> 970.
INVENTION_CAGR = 0.1843531  # (970/493)^(1/4) - 1 = 1.9675456^0.25 - 1 = 1.1843531 - 1


def test_cagr_by_hand():
    assert growth.cagr(100, 121, 2) == pytest.approx(0.1)  # sqrt(1.21) - 1
    assert growth.cagr(4, 1, 2) == pytest.approx(-0.5)  # sqrt(1/4) - 1
    assert growth.cagr(1532, 2826, 4) == pytest.approx(0.1654089, rel=1e-6)  # 1.8446475^0.25 - 1
    assert growth.cagr(7, 7, 3) == 0.0


@pytest.mark.parametrize("first, last, years", [(100, 121, 0), (100, 121, -1), (0, 121, 2), (-1, 121, 2),
                                                (100, 0, 2), (100, -5, 2)])
def test_cagr_refuses_non_positive_values_or_span(first, last, years):
    with pytest.raises(AnalysisError, match="CAGR needs positive values"):
        growth.cagr(first, last, years)


def test_series_cagr_of_table_1(data):
    c = growth.series_cagr(data, "武昌区", "invention_patent_grants")
    assert (c["start"], c["end"], c["first"], c["last"]) == (2011, 2015, 493.0, 970.0)
    assert c["cagr"] == pytest.approx(INVENTION_CAGR, rel=1e-6)
    assert c["entity"] == "武昌区" and c["indicator"] == "invention_patent_grants"


@pytest.mark.parametrize("entity, indicator", [("武昌区", "gdp"),           # one year only (表2, 2015)
                                               ("南山区", "patent_grants"),  # no series at all
                                               ("武昌区", "no_such_indicator")])
def test_series_cagr_needs_two_years(data, entity, indicator):
    with pytest.raises(AnalysisError, match="needs two years or more"):
        growth.series_cagr(data, entity, indicator)


def test_required_growth_by_hand():
    assert growth.required_growth(4, 2) == pytest.approx(1.0)  # 4^(1/2) - 1
    assert growth.required_growth(4, 2, peer_growth=0.1) == pytest.approx(1.2)  # 1.1 x 2 - 1
    assert growth.required_growth(1.21, 2) == pytest.approx(0.1)  # 1.1 - 1
    assert growth.required_growth(8, 3, peer_growth=-0.5) == pytest.approx(0.0)  # 0.5 x 2 - 1
    assert growth.required_growth(0.25, 2) == pytest.approx(-0.5)  # ahead: may shrink by half a year
    assert growth.required_growth(1, 5) == 0.0


def test_required_growth_edge_cases():
    assert math.isnan(growth.required_growth(0, 2)) and math.isnan(growth.required_growth(float("nan"), 2))
    assert math.isnan(growth.required_growth(-3, 2))
    for years in (0, -1):
        with pytest.raises(AnalysisError, match="target year must be after the base year"):
            growth.required_growth(4, years)


def test_years_to_close_by_hand():
    assert growth.years_to_close(1.21, 0.1) == pytest.approx(2.0)  # ln 1.21 / ln 1.1
    assert growth.years_to_close(4, 1.2, peer_growth=0.1) == pytest.approx(2.0)  # ln 4 / ln(2.2 / 1.1)
    assert growth.years_to_close(8, 1.0) == pytest.approx(3.0)  # ln 8 / ln 2
    # ratio <= 1: the focus is level or ahead already
    assert growth.years_to_close(1.0, 0.1) == 0.0 and growth.years_to_close(0.5, -0.2) == 0.0
    # relative growth (1 + g_focus) / (1 + g_peer) <= 1: never
    assert growth.years_to_close(2, 0.05, peer_growth=0.05) == math.inf
    assert growth.years_to_close(2, 0.0) == math.inf and growth.years_to_close(2, 0.05, 0.1) == math.inf
    # nothing to say without a ratio or a growth rate
    assert math.isnan(growth.years_to_close(float("nan"), 0.1)) and math.isnan(growth.years_to_close(0, 0.1))
    assert math.isnan(growth.years_to_close(2, float("nan")))


@pytest.mark.parametrize("ratio, bound, expected", [
    (1.0, "exact", "level"),  # a tie: before, 'leads'
    (1.0, "upper", "unknown"),  # peer ≤ focus: a lead or a tie, it does not say which (before: 'leads')
    (1.0, "lower", "unknown"),  # peer ≥ focus: a lag or a tie
    (0.5, "exact", "leads"), (2.0, "exact", "trails"), (2.0, "lower", "trails"), (0.5, "upper", "leads"),
])
def test_gap_position_a_tie_is_level_not_a_lead(ratio, bound, expected):
    assert growth.gap_position(ratio, bound) == expected


def test_historical_growth_uses_the_invention_grants_of_table_1(data):
    hist = growth.historical_growth(data, "武昌区")
    assert list(hist) == ["invention_patents_per_10k"]
    rate, basis = hist["invention_patents_per_10k"]
    assert rate == pytest.approx(INVENTION_CAGR, rel=1e-6)
    assert basis == "proxy"  # a code; report_tables.gap_view names it (growth_basis.proxy: CAGR of 表1 invention grants)
    assert growth.historical_growth(data, "南山区") == {}  # the report prints no series for 南山区


def row(gaps, entity, indicator, denominator="total"):
    sel = gaps[(gaps["entity"] == entity) & (gaps["indicator"] == indicator) & (gaps["denominator"] == denominator)]
    assert len(sel) == 1
    return sel.iloc[0]


def test_gap_table_rows(gaps):
    # per peer: 9 raw 表2 indicators + 20 normalised (7 extensive x 3 denominators - GDP per GDP)
    assert len(gaps) == 2 * (9 + 20) and "武昌区" not in set(gaps["entity"])


def test_gap_table_with_the_focus_growth_of_table_1(gaps):
    r = row(gaps, "南山区", "invention_patents_per_10k")
    assert r["ratio"] == pytest.approx(17.444444, rel=1e-6)  # 314 / 18
    # 5 years: 17.4444^(1/5) - 1 = exp(2.859021 / 5) - 1 = 0.771460
    assert r["required_growth"] == pytest.approx(0.771460, rel=1e-5)
    assert r["focus_growth"] == pytest.approx(INVENTION_CAGR, rel=1e-6)
    # ln 17.4444 / ln 1.1843531 = 2.859021 / 0.169197 = 16.8976 years
    assert r["years_to_close"] == pytest.approx(16.89762, rel=1e-5)
    assert r["peer_growth"] == 0.0 and r["peer_growth_basis"] == "held_still"
    assert r["focus_growth_basis"] == "proxy" and r["position"] == "trails"


def test_gap_table_with_a_given_peer_growth(gaps):
    r = row(gaps, "南山区", "gdp")
    # 1.05 x (3715/870)^(1/5) - 1 = 1.05 x 4.2701149^0.2 - 1 = 1.05 x 1.3368661 - 1 = 0.403709
    assert r["required_growth"] == pytest.approx(0.4037094, rel=1e-5)
    assert r["peer_growth"] == 0.05 and r["peer_growth_basis"] == "given"
    # no focus growth for GDP and no scenario: nothing to say about years
    assert math.isnan(r["focus_growth"]) and r["focus_growth_basis"] == "none" and math.isnan(r["years_to_close"])
    # the same peer on another indicator is held still: (1641/74)^(1/5) - 1 = exp(3.098995 / 5) - 1 = 0.858555
    assert row(gaps, "南山区", "high_tech_firms")["required_growth"] == pytest.approx(0.858555, rel=1e-5)


def test_gap_table_keeps_bounds_and_normalised_rows(gaps):
    rd = row(gaps, "南山区", "rd_expenditure")
    assert rd["ratio_bound"] == "lower"  # '>200' / 26.97
    per_res = row(gaps, "南山区", "high_tech_firms", "per_resident")
    assert per_res["ratio"] == pytest.approx(22.373673, rel=1e-6)  # (1641/112) / (74/113)
    ahead = row(gaps, "余杭区", "invention_patents_per_10k")  # 5.4 / 18 = 0.3: 武昌区 is ahead
    # the focus leads: no growth is "needed" (not 0.3^(1/5) - 1 = -21.4 %) and no "0 years to close"
    assert ahead["ratio"] == pytest.approx(0.3) and ahead["position"] == "leads"
    assert math.isnan(ahead["years_to_close"]) and math.isnan(ahead["required_growth"])
    missing = row(gaps, "余杭区", "rd_expenditure")  # '-'
    assert math.isnan(missing["ratio"]) and math.isnan(missing["required_growth"]) and missing["position"] == "unknown"


def test_gap_table_scenario_growth_fills_indicators_without_a_series(data):
    g = growth.gap_table(data, "武昌区", ["南山区"], 2015, 2025, scenario_growth=0.1)
    r = g[(g["indicator"] == "gdp") & (g["denominator"] == "total")].iloc[0]
    # ln(3715/870) / ln 1.1 = 1.451640 / 0.095310 = 15.2307 years; 10 years: exp(0.145164) - 1 = 0.156229
    assert r["years_to_close"] == pytest.approx(15.2307, rel=1e-4)
    assert r["required_growth"] == pytest.approx(0.156229, rel=1e-4)
    assert r["focus_growth"] == 0.1 and r["focus_growth_basis"] == "scenario"


def test_gap_table_refuses_a_target_before_the_base(data):
    with pytest.raises(AnalysisError, match="target year"):
        growth.gap_table(data, "武昌区", ["南山区"], 2015, 2015)


def test_gap_table_names_the_sources_of_each_ratio(replaced_data):
    """A replaced focus number (SYNTHETIC: 武昌区 GDP 880 for the report's 870, source synthetic_bulletin) is in
    every ratio that divides by it; a user's peer (示例区, SYNTHETIC) brings its own source."""
    gaps = growth.gap_table(replaced_data, "武昌区", ["南山区", "示例区"], 2015, 2020)
    nanshan = gaps[gaps["entity"] == "南山区"].set_index(["indicator", "denominator"])
    assert nanshan.loc[("gdp", "total"), "ratio"] == pytest.approx(4.2215909, rel=1e-6)  # 3715 / 880
    assert nanshan.loc[("gdp", "total"), "source_ids"] == "synthetic_bulletin"
    assert nanshan.loc[("high_tech_firms", "total"), "source_ids"] == ""  # 1641 / 74, the report's
    # of 南山区's 9 + 20 rows, those using 武昌区's GDP: GDP total, per resident, per km², and the 6 per-GDP rows
    assert sorted(nanshan.index[nanshan["source_ids"] != ""]) == sorted(
        [("gdp", d) for d in ("total", "per_resident", "per_km2")]
        + [(i, "per_gdp") for i in ("high_tech_firms", "high_tech_output", "innovation_carriers", "makerspaces",
                                    "park_floor_area", "rd_expenditure")])
    own = gaps[gaps["entity"] == "示例区"]
    # every ratio of 示例区 uses its own numbers: 1000 / 880 for GDP names the one source once
    assert set(own["source_ids"]) == {"synthetic_bulletin"}
    assert own.set_index(["indicator", "denominator"]).loc[("gdp", "total"), "ratio"] == pytest.approx(
        1.1363636, rel=1e-6)  # 1000 / 880
