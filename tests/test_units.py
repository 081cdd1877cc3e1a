from __future__ import annotations

import pytest

from analysis_utils.errors import UnitError


def test_convert_wan_yuan_to_yi_yuan(data):
    # 1 亿元 = 10000 万元
    assert data.units_table.convert(30, "万元", "亿元") == pytest.approx(0.003)
    assert data.units_table.convert(1, "亿元", "万元") == pytest.approx(10000)
    assert data.units_table.convert(119247, "千元", "亿元") == pytest.approx(1.19247)


def test_quantities_compare_across_units_of_one_dimension(data):
    start = data.quantity("武昌区", "project_funding_start")  # 30 万元
    cap = data.quantity("余杭区", "project_funding_case_by_case")  # 1 亿元
    assert start < cap
    assert (start + cap).to("万元").value == pytest.approx(10030)


def test_adding_or_comparing_different_dimensions_is_refused(data):
    gdp = data.quantity("武昌区", "gdp", 2015)
    firms = data.quantity("武昌区", "high_tech_firms", 2015)
    # the message names the operation, the units and why: "cannot add 亿元 (…) with 个 (…): different dimensions"
    with pytest.raises(UnitError, match="cannot add 亿元.*different dimensions"):
        gdp + firms
    with pytest.raises(UnitError, match="cannot compare 亿元.*different dimensions"):
        gdp < firms
    with pytest.raises(UnitError, match="bare number"):
        gdp + 5


def test_unknown_unit_is_refused(data):
    with pytest.raises(UnitError, match="unknown unit"):
        data.units_table.convert(1, "亿美元", "亿元")


def test_equal_quantities_in_two_units(data):
    table = data.units_table
    one_yi, ten_thousand_wan = table.quantity(1, "亿元"), table.quantity(10000, "万元")  # 1 亿元 = 10000 万元
    assert not one_yi < ten_thousand_wan and not ten_thousand_wan < one_yi
    assert one_yi <= ten_thousand_wan and one_yi >= ten_thousand_wan


def test_converted_quantity_keeps_its_new_unit_and_table(data):
    q = data.units_table.quantity(2, "亿元").to("万元")
    assert q.unit == "万元" and q.value == pytest.approx(20000)
    assert (q + data.units_table.quantity(1, "亿元")).value == pytest.approx(30000)  # 2 亿 + 1 亿 in 万元
