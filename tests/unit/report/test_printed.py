"""report/printed.py: a printed value and its unit in the reader's words (English words and the singular after one;
in Chinese the report's own text). Expected texts are written by hand."""
from __future__ import annotations

import pytest

from analysis_utils.report.printed import printed_text, unit_label
from tests._support.language import CJK


def test_unit_labels(data):
    units = data.units_table
    assert unit_label(units, "亿元", "en") == "hundred million yuan" and unit_label(units, "亿元", "zh") == "亿元"
    assert unit_label(units, "亿元/万人", "en") == "hundred million yuan per ten thousand persons"
    assert unit_label(units, "项/万人", "en") == "items per 10,000 residents"  # a unit of its own in units.csv
    assert unit_label(units, "%", "en") == "%"


@pytest.mark.parametrize("printed, value, unit, qualifier, high, en", [
    ("近1万人", 1, "万人", "nearly", None, "nearly 1 × 10,000 persons"),
    ("1人", 1, "人", "", None, "1 person"),
    ("2人", 2, "人", "", None, "2 persons"),
    ("74家", 74, "家", "", None, "74"),
    ("1个", 1, "个", "", None, "1"),
    ("3.1%", 3.1, "%", "", None, "3.1%"),
    ("1683.07万元", 1683.07, "万元", "", None, "1683.07 × 10,000 yuan"),
    ("最高可获得1亿元", 1, "亿元", "le", None, "at most 1 × 100 million yuan"),
    ("30万元", 30, "万元", "ge", None, "at least 30 × 10,000 yuan"),
    ("5—10万平方米", 5, "万平方米", "range", 10, "5–10 × 10,000 square metres"),
    ("-", None, "%", "missing", None, "-"),
    ("较大差距", None, "", "", None, "the printed words"),
])
def test_printed_values_in_english_and_as_printed_in_chinese(data, printed, value, unit, qualifier, high, en):
    args = dict(units=data.units_table, qualifiers=data.qualifier_table, qualifier=qualifier, value_high=high)
    assert printed_text(printed, value, unit, "en", **args) == en
    assert printed_text(printed, value, unit, "zh", **args) == printed
    assert not CJK.search(printed_text(printed, value, unit, "en", **args))


def test_unit_labels_count(data):
    units = data.units_table
    assert [unit_label(units, "个", "en", n) for n in (1, 2, None)] == ["unit", "units", "units"]
    assert unit_label(units, "万人", "en", 1) == "ten thousand persons"  # 1 万人 is 10,000 persons
    assert unit_label(units, "人次", "en", 1) == "person-time" and unit_label(units, "人", "zh", 1) == "人"
