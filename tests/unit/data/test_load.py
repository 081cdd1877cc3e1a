"""data/load.py: typed frames, source file on every row, lookups by entity, indicator and year."""
from __future__ import annotations

import pytest

from analysis_utils.errors import AnalysisError


def test_frames_are_typed_as_the_descriptor_says(data):
    obs = data.observations  # datapackage.json: year integer, value number, year_inferred boolean
    assert str(obs["year"].dtype) == "Int64" and str(obs["value"].dtype) == "Float64"
    assert str(obs["year_inferred"].dtype) == "boolean" and str(obs["entity"].dtype) == "string"


def test_every_row_names_its_source_file(data):
    assert set(data.observations["source_file"]) == {"observations.csv"}
    assert set(data.claims["source_file"]) == {"claims.csv"}


def test_usable_years_are_the_reported_years_every_entity_shares(data):
    """run.params checks ``year`` against these: 2016 holds only plans (inferred years) for the report's districts."""
    years = data.usable_years(["武昌区", "南山区", "余杭区"])
    assert 2015 in years and 2016 not in years and years == sorted(years)
    assert data.usable_years(["武昌区", "no such district"]) == []


def test_summary_counts_what_validate_prints(data):
    got = data.summary()
    assert got["files"] == [r["path"] for r in data.descriptor["resources"]]
    assert got["rows"] == sum(len(data.tables[r["name"]]) for r in data.descriptor["resources"])
    assert (got["observations"], got["years"][0], got["years"][-1]) == (len(data.observations), 2011, 2016)


def test_quantity_of_a_given_year_and_of_the_latest(data):
    # 表1: 武昌区 patent grants 1532 in 2011, 2826 in 2015 (the latest)
    assert data.quantity("武昌区", "patent_grants", 2011).value == 1532
    assert data.quantity("武昌区", "patent_grants").value == 2826
    assert data.quantity("武昌区", "patent_grants", 2011).unit == "件"


def test_unknown_indicator_is_named(data):
    with pytest.raises(AnalysisError, match="unknown indicator 'SYNTHETIC_x'"):
        data.indicator_meta("SYNTHETIC_x")


def test_find_lists_every_number_printed_at_a_place(data):
    """表1 prints ten counts (patent grants and invention grants, 2011–2015); 一(二)3 prints, among others,
    4481 patent applications and, again, 2826 grants of 2015 (first printed in 表1)."""
    table1 = data.find("表1")
    assert len(table1) == 10 and set(table1["indicator"]) == {"patent_grants", "invention_patent_grants"}
    assert sorted(table1.loc[table1["indicator"] == "patent_grants", "value"]) == [1532, 1971, 2130, 2154, 2826]
    prose = data.find("一(二)3")
    assert 4481 in set(prose["value"]) and 2826 in set(prose["value"])
    assert data.find("SYNTHETIC nowhere").empty


def test_quantity_subtraction_and_comparisons_convert_units(data):
    table = data.units_table
    one_yi, wan = table.quantity(1, "亿元"), table.quantity(2500, "万元")
    assert (one_yi - wan).value == pytest.approx(0.75) and (one_yi - wan).unit == "亿元"  # 1 − 2500/10000
    assert one_yi > wan and not wan > one_yi and wan < one_yi
    assert one_yi == table.quantity(10000, "万元") and not one_yi == wan
    assert hash(one_yi) == hash(table.quantity(10000, "万元"))  # equal quantities hash alike


def test_find_reads_every_place_of_a_semicolon_list(data):
    """also_in may list several places ('一(二)3; 三(一)2'): each is found, and only whole places match."""
    import copy

    other = copy.copy(data)
    other.tables = dict(data.tables)
    obs = data.tables["observations"].copy()
    first = obs.index[(obs["entity"] == "武昌区") & (obs["indicator"] == "patent_grants") & (obs["year"] == 2015)][0]
    obs.loc[first, "also_in"] = "一(二)3; SYNTHETIC 三(九)9"
    obs["also_in"] = obs["also_in"].where(obs.index == first, None)  # every other row: no also_in at all
    other.tables["observations"] = obs
    assert list(other.find("SYNTHETIC 三(九)9").index) == [first]
    assert first in other.find("一(二)3").index
    assert other.find("SYNTHETIC 三(九)").empty  # a place is matched whole, not as a prefix
