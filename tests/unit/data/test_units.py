"""data/units.py: units and quantities. Conversions within a dimension (1 亿元 = 10000 万元), comparison and
arithmetic across units, every operator's refusal of another dimension or a bare number named in words, and the
UnitTable read from a frame."""
from __future__ import annotations

import pandas as pd
import pytest

from analysis_utils.data.units import UnitTable
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


# Each operator names its own action in the error, for a unit of another dimension and for a bare number
# (except ==, which answers False for a bare number: Python's NotImplemented protocol).
@pytest.mark.parametrize("op, action, bare", [
    (lambda a, b: a + b, "add", True), (lambda a, b: a - b, "subtract", True), (lambda a, b: a < b, "compare", True),
    (lambda a, b: a <= b, "compare", True), (lambda a, b: a > b, "compare", True),
    (lambda a, b: a >= b, "compare", True), (lambda a, b: a == b, "compare", False),
], ids=["add", "sub", "lt", "le", "gt", "ge", "eq"])
def test_each_operator_names_its_action(op, action, bare):
    from analysis_utils.data.units import packaged_units
    from analysis_utils.errors import UnitError

    units = packaged_units()
    grants, money = units.quantity(3, "件"), units.quantity(2, "亿元")
    with pytest.raises(UnitError, match=rf"^cannot {action} 件 \(count\) with 亿元 \(currency_cny\): different dimensions$"):
        op(grants, money)
    if bare:
        with pytest.raises(UnitError, match=rf"^cannot {action} 件 with a bare number 2; give it a unit$"):
            op(grants, 2)
    else:
        assert op(grants, 2) is False


def test_order_operators_at_equality_and_across_units():
    """1 亿元 = 10000 万元: equal, so < and > are false and <= and >= true; the result keeps the unit and table."""
    from analysis_utils.data.units import packaged_units

    units = packaged_units()
    yi, wan = units.quantity(1, "亿元"), units.quantity(10000, "万元")
    assert (yi < wan, yi <= wan, yi > wan, yi >= wan, yi == wan) == (False, True, False, True, True)
    more = units.quantity(10001, "万元")
    assert (yi < more, yi <= more, yi > more, yi >= more, yi == more) == (True, True, False, False, False)
    diff = more - yi
    assert (diff.value, diff.unit, diff.table) == (pytest.approx(1.0), "万元", units)
    assert (diff - units.quantity(1, "万元")).value == pytest.approx(0.0)


def test_quantity_subtraction_and_comparisons_convert_units(data):
    table = data.units_table
    one_yi, wan = table.quantity(1, "亿元"), table.quantity(2500, "万元")
    assert (one_yi - wan).value == pytest.approx(0.75) and (one_yi - wan).unit == "亿元"  # 1 − 2500/10000
    assert one_yi > wan and not wan > one_yi and wan < one_yi
    assert one_yi == table.quantity(10000, "万元") and not one_yi == wan
    assert hash(one_yi) == hash(table.quantity(10000, "万元"))  # equal quantities hash alike


# ------------------------------------------------------------------ UnitTable from a frame
def test_unit_table_from_a_frame_of_text():
    units = pd.DataFrame({"unit": ["元", "万元", "件"], "name_en": ["yuan", "ten thousand yuan", "pieces"],
                          "dimension": ["currency_cny", "currency_cny", "count"], "factor": ["1", "1e4", "1"]})
    table = UnitTable.from_frame(units)
    assert table == UnitTable({"元": "currency_cny", "万元": "currency_cny", "件": "count"},
                              {"元": 1.0, "万元": 10000.0, "件": 1.0},
                              {"元": "yuan", "万元": "ten thousand yuan", "件": "pieces"})
    assert all(isinstance(f, float) for f in table.factors.values())
    assert table.factor("万元", "元") == 10000.0


def test_unit_table_without_english_names():
    units = pd.DataFrame({"unit": ["米"], "dimension": ["length"], "factor": [1]})
    assert UnitTable.from_frame(units) == UnitTable({"米": "length"}, {"米": 1.0}, {})


def test_unit_table_refuses_a_factor_that_is_not_a_number():
    with pytest.raises(ValueError):
        UnitTable.from_frame(pd.DataFrame({"unit": ["米"], "dimension": ["length"], "factor": ["ten"]}))
