"""analysis/compare.py: snapshots, normalised indicators and peer/focus ratios.

Every expected number is worked out by hand from data/observations.csv (the arithmetic is in the comments);
none comes from the code under test. Labels are checked against data/indicators.csv and data/entities.csv
only where the behaviour (which language, which denominator) matters, never against a label table.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from analysis_utils.analysis import compare
from analysis_utils.data.load import load
from analysis_utils.errors import AnalysisError


def one(frame: pd.DataFrame, **where) -> pd.Series:
    """The single row of ``frame`` matching every column=value in ``where``."""
    mask = np.ones(len(frame), dtype=bool)
    for column, value in where.items():
        mask &= (frame[column] == value).to_numpy()
    rows = frame[mask]
    assert len(rows) == 1, (where, rows)
    return rows.iloc[0]


@pytest.mark.parametrize("qualifier, bound", [
    ("gt", "lower"), ("ge", "lower"), ("over", "lower"),      # '>200', '不低于', '10万余'
    ("lt", "upper"), ("le", "upper"), ("nearly", "upper"),    # '以下', '最高', '近1万'
    ("missing", "missing"),                                   # '-'
    ("", "exact"), ("approx", "exact"), ("range", "range"),   # exact at their printed value; a range is its own class
])
def test_bound_of_every_qualifier(qualifier, bound):
    assert compare.bound_of(qualifier) == bound


def test_snapshot_one_year_with_missing_and_bound(data):
    snap = compare.snapshot(data, ["武昌区", "南山区", "余杭区"], ["gdp", "rd_expenditure"], 2015)
    assert list(snap.columns) == ["entity", "indicator", "value", "unit", "qualifier", "bound", "source_ids"]
    assert set(snap["source_ids"]) == {""}  # the report's own numbers: no other source
    assert len(snap) == 6  # 3 districts x 2 indicators, all printed in 表2 for 2015
    assert one(snap, entity="武昌区", indicator="gdp")["value"] == 870  # 表2: 870 亿元
    nanshan_rd = one(snap, entity="南山区", indicator="rd_expenditure")  # printed '>200'
    assert nanshan_rd["value"] == 200 and nanshan_rd["bound"] == "lower" and nanshan_rd["unit"] == "亿元"
    yuhang_rd = one(snap, entity="余杭区", indicator="rd_expenditure")  # printed '-'
    assert math.isnan(yuhang_rd["value"]) and yuhang_rd["bound"] == "missing"
    # another year: 表2 is 2015 only
    assert compare.snapshot(data, ["武昌区"], ["gdp"], 2014).empty


def test_normalised_for_one_district_by_hand(data):
    norm = compare.normalised(data, ["武昌区"], 2015)
    # 7 extensive indicators x 3 denominators, minus GDP per GDP = 20 rows
    assert len(norm) == 20
    assert set(norm["denominator"]) == {"per_resident", "per_km2", "per_gdp"}
    assert not ((norm["indicator"] == "gdp") & (norm["denominator"] == "per_gdp")).any()
    firms = {r.denominator: r for r in norm[norm["indicator"] == "high_tech_firms"].itertuples()}
    # 武昌区 high-tech firms 74; residents 113 万人; area 87.42 km²; GDP 870 亿元
    assert firms["per_resident"].value == pytest.approx(0.6548673, rel=1e-6)  # 74 / 113
    assert firms["per_km2"].value == pytest.approx(0.8464882, rel=1e-6)       # 74 / 87.42
    assert firms["per_gdp"].value == pytest.approx(0.0850575, rel=1e-6)       # 74 / 870
    assert firms["per_resident"].unit == "个/万人" and firms["per_km2"].unit == "个/平方公里"
    assert firms["per_gdp"].unit == "个/亿元"
    gdp = one(norm, indicator="gdp", denominator="per_resident")
    assert gdp["value"] == pytest.approx(7.6991150, rel=1e-6)  # 870 / 113 亿元 per 万人
    assert (norm["bound"] == "exact").all()


def test_normalised_keeps_bounds_and_missing(data):
    norm = compare.normalised(data, ["南山区", "余杭区"], 2015)
    rd = one(norm, entity="南山区", indicator="rd_expenditure", denominator="per_resident")
    assert rd["value"] == pytest.approx(1.7857143, rel=1e-6) and rd["bound"] == "lower"  # '>200' / 112
    output = one(norm, entity="余杭区", indicator="high_tech_output", denominator="per_km2")
    assert math.isnan(output["value"]) and output["bound"] == "missing"  # printed '-'


def test_normalised_refuses_a_denominator_that_is_only_a_bound(data_copy):
    obs_path = data_copy / "observations.csv"
    obs = pd.read_csv(obs_path, dtype=str, keep_default_na=False)
    row = (obs["entity"] == "武昌区") & (obs["indicator"] == "resident_population")
    obs.loc[row, ["qualifier", "printed"]] = ["over", "113余"]
    obs.to_csv(obs_path, index=False, encoding="utf-8")
    with pytest.raises(AnalysisError, match="resident_population of 武昌区"):
        compare.normalised(load(data_copy), ["武昌区"], 2015)


def frame(rows):
    return pd.DataFrame(rows, columns=["entity", "indicator", "value", "bound"])


def test_ratio_to_focus_values_and_bound_flipping():
    values = frame([
        ("F", "a", 10.0, "exact"), ("P", "a", 25.0, "lower"),    # peer '>25' over exact 10 -> ratio > 2.5
        ("F", "b", 4.0, "lower"), ("P", "b", 12.0, "exact"),     # exact 12 over focus '>4' -> ratio < 3
        ("F", "c", 5.0, "exact"), ("P", "c", 2.0, "exact"),      # 2 / 5 = 0.4, exact
        ("F", "d", 5.0, "lower"), ("P", "d", 10.0, "lower"),     # bound over bound: nothing known
        ("F", "e", 5.0, "upper"), ("P", "e", 10.0, "exact"),     # exact over '<5' -> ratio > 2
        ("F", "f", 5.0, "exact"), ("P", "f", np.nan, "missing"),  # missing stays missing
    ])
    out = compare.ratio_to_focus(values, "F")
    peer = out[out["entity"] == "P"].set_index("indicator")
    assert peer.loc["a", "ratio"] == pytest.approx(2.5) and peer.loc["a", "ratio_bound"] == "lower"
    assert peer.loc["b", "ratio"] == pytest.approx(3.0) and peer.loc["b", "ratio_bound"] == "upper"
    assert peer.loc["c", "ratio"] == pytest.approx(0.4) and peer.loc["c", "ratio_bound"] == "exact"
    assert peer.loc["d", "ratio_bound"] == "unknown"
    assert peer.loc["e", "ratio"] == pytest.approx(2.0) and peer.loc["e", "ratio_bound"] == "lower"
    assert math.isnan(peer.loc["f", "ratio"]) and peer.loc["f", "ratio_bound"] == "missing"
    focus = out[out["entity"] == "F"].set_index("indicator")
    assert (focus["ratio"] == 1.0).all()  # the focus over itself
    assert "value_focus" not in out and "bound_focus" not in out
    assert len(out) == len(values)


def test_ratio_to_focus_within_groups_of_keys():
    values = pd.DataFrame({
        "entity": ["F", "P", "F", "P"], "indicator": ["a"] * 4, "denominator": ["x", "x", "y", "y"],
        "value": [2.0, 6.0, 4.0, 6.0], "bound": ["exact"] * 4})
    out = compare.ratio_to_focus(values, "F", keys=("indicator", "denominator"))
    peer = out[out["entity"] == "P"].set_index("denominator")["ratio"]
    assert peer["x"] == pytest.approx(3.0) and peer["y"] == pytest.approx(1.5)  # 6/2 and 6/4


def test_table2_ratios_by_hand(data):
    r = compare.table2_ratios(data, "武昌区", ["南山区", "余杭区"], 2015)
    assert len(r) == 2 * 9 and "武昌区" not in set(r["entity"])  # 7 extensive + 2 intensive per peer
    assert one(r, entity="南山区", indicator="gdp")["ratio"] == pytest.approx(4.2701149, rel=1e-6)  # 3715 / 870
    rd = one(r, entity="南山区", indicator="rd_expenditure")
    assert rd["ratio"] == pytest.approx(7.4156470, rel=1e-6) and rd["ratio_bound"] == "lower"  # '>200' / 26.97
    patents = one(r, entity="余杭区", indicator="invention_patents_per_10k")
    assert patents["ratio"] == pytest.approx(0.3) and patents["ratio_bound"] == "exact"  # 5.4 / 18
    assert one(r, entity="余杭区", indicator="high_tech_output")["ratio_bound"] == "missing"  # '-'


def test_normalised_ratios_by_hand(data):
    r = compare.normalised_ratios(data, "武昌区", ["南山区"], 2015)
    assert len(r) == 20
    firms = r[(r["indicator"] == "high_tech_firms")].set_index("denominator")["ratio"]
    # per resident: (1641/112) / (74/113) = 185433 / 8288 = 22.3737
    assert firms["per_resident"] == pytest.approx(22.373673, rel=1e-6)
    # per km²: (1641/185) / (74/87.42) = 143456.22 / 13690 = 10.4789
    assert firms["per_km2"] == pytest.approx(10.478906, rel=1e-6)
    # per GDP: (1641/3715) / (74/870) = 1427670 / 274910 = 5.1932
    assert firms["per_gdp"] == pytest.approx(5.193227, rel=1e-6)


def test_talent_long_converts_wan_persons(data):
    t = compare.talent_long(data, ["武昌区", "南山区", "余杭区"])
    # 武昌区 '约1万人' researchers = 10000 persons; 南山区 '10万余人' = 100000; 余杭区 '-' is left out
    assert one(t, entity="武昌区", indicator="researchers_univ_institutes")["value"] == 10_000
    assert one(t, entity="南山区", indicator="researchers_univ_institutes")["value"] == 100_000
    assert t[(t["entity"] == "余杭区") & (t["indicator"] == "researchers_univ_institutes")].empty
    assert one(t, entity="南山区", indicator="talent_peacock")["value"] == 905
    # 160 overseas projects are counted in 个, not persons: not on a person scale
    assert "overseas_projects_matched" not in set(t["indicator"])
    # persons only: 武昌区 2 + 4 programmes, 南山区 2 + 2, 余杭区 1 + 2
    assert len(t) == 6 + 4 + 3
    # codes only (report.names.label_rows names them), with each value's qualifier and its bound class
    assert list(t.columns) == ["entity", "indicator", "value", "qualifier", "bound"]
    assert one(t, entity="南山区", indicator="researchers_univ_institutes")["bound"] == "lower"  # 10万余人
    assert one(t, entity="武昌区", indicator="researchers_univ_institutes")["bound"] == "exact"  # 约1万人
    assert set(t["bound"]) == {"exact", "lower"}


# ---------------------------------------------------------------------------- the sources of derived values
# examples/synthetic-district (SYNTHETIC, source synthetic_bulletin): 示例区 residents 73 万人, area 28.29 km², GDP
# 1000 亿元, 60 high-tech firms. The report's 2015 numbers (表2): 武昌区 113 / 87.42 / 870 / 74 firms, 南山区
# 112 / 185 / 3715 / 1641 firms.
def test_join_source_ids_is_unique_sorted_and_empty_for_the_reports_own():
    assert compare.join_source_ids("b", "", "a;b") == "a;b"
    assert compare.join_source_ids("", "") == "" and compare.join_source_ids("x", float("nan")) == "x"
    assert compare.split_source_ids("a;b") == ["a", "b"] and compare.split_source_ids("") == []


def test_ratio_to_focus_joins_the_focus_sources_with_the_rows():
    values = pd.DataFrame({"entity": ["F", "P", "Q", "F", "P"], "indicator": ["a", "a", "a", "b", "b"],
                           "value": [2.0, 6.0, np.nan, 4.0, 8.0], "bound": ["exact", "exact", "missing", "exact",
                                                                          "exact"],
                           "source_ids": ["x", "", "", "", "y;z"]})
    out = compare.ratio_to_focus(values, "F").set_index(["entity", "indicator"])["source_ids"]
    assert out[("P", "a")] == "x"  # 6 / 2: the focus's 2 is x's
    assert out[("Q", "a")] == ""  # no ratio, no number of anyone's
    assert out[("P", "b")] == "y;z" and out[("F", "b")] == ""  # 8 / 4; 4 / 4: the report's


def test_a_users_district_sized_per_resident_names_its_source_and_the_reports_do_not(example_data):
    norm = compare.normalised(example_data, ["武昌区", "南山区", "示例区"], 2015)
    firms = one(norm, entity="示例区", indicator="high_tech_firms", denominator="per_resident")
    assert firms["value"] == pytest.approx(0.8219178, rel=1e-6)  # 60 / 73
    assert firms["source_ids"] == "synthetic_bulletin"
    nanshan = one(norm, entity="南山区", indicator="high_tech_firms", denominator="per_resident")
    assert nanshan["value"] == pytest.approx(14.651786, rel=1e-6) and nanshan["source_ids"] == ""  # 1641 / 112
    assert set(norm.loc[norm["entity"] != "示例区", "source_ids"]) == {""}  # the report's, a user's district beside


def test_a_replaced_number_names_its_source_wherever_it_is_used(replaced_data):
    norm = compare.normalised(replaced_data, ["武昌区", "南山区"], 2015)
    gdp = one(norm, entity="武昌区", indicator="gdp", denominator="per_resident")
    assert gdp["value"] == pytest.approx(7.7876106, rel=1e-6) and gdp["source_ids"] == "synthetic_bulletin"  # 880/113
    per_gdp = one(norm, entity="武昌区", indicator="high_tech_firms", denominator="per_gdp")  # 880 the denominator
    assert per_gdp["value"] == pytest.approx(0.0840909, rel=1e-6) and per_gdp["source_ids"] == "synthetic_bulletin"
    assert one(norm, entity="武昌区", indicator="high_tech_firms", denominator="per_resident")["source_ids"] == ""
    ratios = compare.normalised_ratios(replaced_data, "武昌区", ["南山区"], 2015)
    # the focus's 880 divides 南山区's firms per GDP: (1641/3715) / (74/880) = 1444080 / 274910 = 5.252919
    row = one(ratios, entity="南山区", indicator="high_tech_firms", denominator="per_gdp")
    assert row["ratio"] == pytest.approx(5.252919, rel=1e-6) and row["source_ids"] == "synthetic_bulletin"
    # per resident neither uses it: (1641/112) / (74/113) = 22.373673, the report's own
    row = one(ratios, entity="南山区", indicator="high_tech_firms", denominator="per_resident")
    assert row["ratio"] == pytest.approx(22.373673, rel=1e-6) and row["source_ids"] == ""
    # 6 per-GDP rows (7 extensive indicators but GDP) + GDP per resident and per km²
    assert (ratios["source_ids"] != "").sum() == 8


# ---------------------------------------------------------------- population concepts (issue 23)
def test_population_concepts_and_the_nearest_published_resident_population(data, ext):
    # data/concepts.csv: 武昌 113 and 余杭 92.54 are registered by the evidence, 南山 112 resident. Published
    # residents nearest 2015: 武昌 2018's 128.28 (3 years; 2019 is 4, 2010 and 2020 are 5), 余杭 2016's 135.90,
    # 南山 2015's 111.91
    from analysis_utils.analysis import compare

    alt = compare.resident_alternative(data, ext, ["武昌区", "南山区", "余杭区"]).set_index("entity")
    assert alt["concept"].to_dict() == {"武昌区": "registered", "南山区": "resident", "余杭区": "registered"}
    assert alt["printed_value"].to_dict() == {"武昌区": 113.0, "南山区": 112.0, "余杭区": 92.54}
    assert alt["resident"].round(4).to_dict() == {"武昌区": 128.28, "南山区": 111.91, "余杭区": 135.9}
    assert alt["resident_year"].astype(int).to_dict() == {"武昌区": 2018, "南山区": 2015, "余杭区": 2016}
    assert alt.loc["余杭区", "resident_tier"] == "official_site"
    assert alt.loc["武昌区", "evidence_source_id"] == "wuchang_profile_2017"
    # 余杭's 'registered' is inferred (no page gives 92.54 with its concept), 武昌's stated by its profile
    assert alt["inferred"].to_dict() == {"武昌区": False, "南山区": False, "余杭区": True}
    assert set(alt["population_source_id"]) == {""}  # all three are the report's numbers


def test_a_users_district_without_a_published_resident_population_is_not_recomputed(example_data, ext):
    """Before: the SYNTHETIC 示例区 (73万 from its own bulletin, nothing published) showed GDP per 10,000 residents
    1000/73 = 13.698630 'recomputed' as the same 13.698630, change +0.0%. Now: its population names its source, and
    with nothing published there is nothing to recompute (NaN), while 武昌's recomputation stays."""
    from analysis_utils.analysis import compare

    entities = ["示例区", "武昌区"]
    alt = compare.resident_alternative(example_data, ext, entities).set_index("entity")
    assert alt.loc["示例区", "population_source_id"] == "synthetic_bulletin"
    assert alt.loc["示例区", "concept"] == "resident" and pd.isna(alt.loc["示例区", "resident"])
    sens = compare.per_resident_sensitivity(example_data, alt.reset_index(), entities)
    gdp = sens[sens["indicator"] == "gdp"].set_index("entity")
    assert gdp.loc["示例区", "value"] == pytest.approx(1000 / 73)
    assert pd.isna(gdp.loc["示例区", "value_resident"]) and pd.isna(gdp.loc["示例区", "change"])
    assert gdp.loc["武昌区", "value_resident"] == pytest.approx(870 / 128.28)


def test_per_resident_values_with_the_published_resident_population(data, ext):
    # GDP per 10,000 residents: 武昌 870/113 = 7.699115 → 870/128.28 = 6.782039, change 113/128.28 − 1 = −11.91 %;
    # 余杭 1235/92.54 = 13.345580 → 1235/135.90 = 9.087564
    from analysis_utils.analysis import compare

    entities = ["武昌区", "南山区", "余杭区"]
    alt = compare.resident_alternative(data, ext, entities)
    sens = compare.per_resident_sensitivity(data, alt, entities)
    gdp = sens[sens["indicator"] == "gdp"].set_index("entity")
    assert gdp.loc["武昌区", "value"] == pytest.approx(7.699115, abs=1e-6)
    assert gdp.loc["武昌区", "value_resident"] == pytest.approx(6.782039, abs=1e-6)
    assert gdp.loc["武昌区", "change"] == pytest.approx(113 / 128.28 - 1)
    assert gdp.loc["余杭区", "value_resident"] == pytest.approx(9.087564, abs=1e-6)
    # the original data keep the report's numbers
    assert float(data.observation("武昌区", "resident_population", 2015)["value"]) == 113.0


def test_the_largest_gap_names_the_sources_of_its_numbers(data, example_data):
    """The batch page marks a gap computed from a user's numbers (its focus's are the SYNTHETIC bulletin's)."""
    from analysis_utils.analysis import compare

    assert compare.largest_gap(data, "武昌区", ["南山区"], 2015)["source_ids"] == ""
    assert compare.largest_gap(example_data, "示例区", ["南山区"], 2015)["source_ids"] == "synthetic_bulletin"


def test_a_focus_without_any_number_is_told_where_to_add_them(data_copy):
    """A newcomer's thin district whose observations.csv had only its header: the run said '(add its numbers, or
    choose the districts with -p peers)', which cannot help when the district is the focus."""
    from analysis_utils.analysis.compare import check_comparison
    from analysis_utils.data.load import load
    from analysis_utils.errors import ParameterError
    from tests._support.data import append_rows

    append_rows(data_copy / "entities.csv", [{"entity": "空区", "name_en": "Empty District (SYNTHETIC)",
                                              "level": "district", "parent": "武汉市"}])
    with pytest.raises(ParameterError) as err:
        check_comparison(load(data_copy), "空区", None, 2015)
    assert ("a year with a reported value of every district compared; 空区 has none in 2015 (空区 has no observation "
            "at all: add its numbers to the observations.csv of its data folder, or choose another focus with -p "
            "focus)") in str(err.value)
