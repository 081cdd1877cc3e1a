"""report/printed.py: a printed value and its unit in the reader's words (English words and the singular after one;
in Chinese the report's own text), and english_amount, the one wording of an amount in English (万 and 亿 said in
the base unit with 'million' and 'billion'). Expected texts are written by hand: each amount multiplied out on
paper (1101.04 亿元 = 1101.04 × 100,000,000 yuan = 110,104,000,000 yuan = 110.104 billion yuan)."""
from __future__ import annotations

import pytest

from analysis_utils.report.printed import (
    english_amount,
    english_unit,
    in_words,
    multiple_of,
    printed_text,
    unit_label,
)
from tests._support.language import CJK


def test_unit_labels(data):
    units = data.units_table
    # a multiple is named as one of it is said in English: 亿 is 100 million, 万 is 10,000
    assert unit_label(units, "亿元", "en") == "100 million yuan" and unit_label(units, "亿元", "zh") == "亿元"
    assert unit_label(units, "亿元/万人", "en") == "100 million yuan per 10,000 persons"
    assert unit_label(units, "千元", "en") == "1,000 yuan" and unit_label(units, "万平方米", "en") == "10,000 square metres"
    assert unit_label(units, "公顷", "en") == "hectares"  # a unit with a name of its own, not a multiple
    assert unit_label(units, "项/万人", "en") == "items per 10,000 residents"  # a unit of its own in units.csv
    assert unit_label(units, "%", "en") == "%"


@pytest.mark.parametrize("printed, value, unit, qualifier, high, en", [
    ("近1万人", 1, "万人", "nearly", None, "nearly 10,000 persons"),
    ("约1万人", 1, "万人", "approx", None, "approximately 10,000 persons"),
    ("1人", 1, "人", "", None, "1 person"),
    ("2人", 2, "人", "", None, "2 persons"),
    ("74家", 74, "家", "", None, "74"),
    ("1个", 1, "个", "", None, "1"),
    ("3.1%", 3.1, "%", "", None, "3.1%"),
    ("1683.07万元", 1683.07, "万元", "", None, "16.8307 million yuan"),
    ("最高可获得1亿元", 1, "亿元", "le", None, "at most 100 million yuan"),
    ("1个亿", 1, "亿元", "", None, "100 million yuan"),
    ("30万元", 30, "万元", "ge", None, "at least 300,000 yuan"),
    ("5—10万平方米", 5, "万平方米", "range", 10, "50,000–100,000 square metres"),
    ("2-3亿元", 2, "亿元", "range", 3, "200–300 million yuan"),
    ("2826件", 2826, "件", "", None, "2,826"),
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
    assert unit_label(units, "万人", "en", 1) == "10,000 persons"  # 1 万人 is 10,000 persons
    # a unit after 'per' is one of it: '万人/平方公里' read "10,000 persons per square kilometres"
    assert unit_label(units, "万人/平方公里", "en") == "10,000 persons per square kilometre"
    assert unit_label(units, "公顷", "en", 1) == "hectare" and unit_label(units, "倍", "en", 1) == "times"
    assert unit_label(units, "人次", "en", 1) == "person-time" and unit_label(units, "人", "zh", 1) == "人"


# ---------------------------------------------------------------- english_amount: the one English wording of an amount
@pytest.mark.parametrize("amount, unit, en", [
    # 万人: × 10,000 persons. 1 -> 10,000; 135.90 -> 1,359,000 = 1.359 million (the printed 0 is not carried over)
    ("1", "万人", "10,000 persons"),
    ("nearly 1", "万人", "nearly 10,000 persons"),
    ("about 1", "万人", "about 10,000 persons"),
    ("127.63", "万人", "1.2763 million persons"),
    ("135.90", "万人", "1.359 million persons"),
    ("92.54", "万人", "925,400 persons"),
    # 亿元: × 100,000,000 yuan. 3715 -> 371,500,000,000 = 371.5 billion; 1 -> 100,000,000 = 100 million
    ("3715", "亿元", "371.5 billion yuan"),
    ("1101.04", "亿元", "110.104 billion yuan"),
    ("1", "亿元", "100 million yuan"),
    ("248.00", "亿元", "24.8 billion yuan"),
    # 万元: 1000 × 10,000 = 10,000,000 = 10 million; 30 × 10,000 = 300,000 (below a million: grouped digits)
    ("1000", "万元", "10 million yuan"),
    ("≥1000", "万元", "≥10 million yuan"),
    ("30", "万元", "300,000 yuan"),
    ("0.5", "万元", "5,000 yuan"),
    # 千元: 119247 × 1,000 = 119,247,000 = 119.247 million
    ("119247", "千元", "119.247 million yuan"),
    # a range or an interval: both ends in the scale of the larger one
    ("5–10", "万平方米", "50,000–100,000 square metres"),
    ("2–3", "亿元", "200–300 million yuan"),
    ("[869.5, 870.5)", "亿元", "[86.95, 87.05) billion yuan"),
    ("[0.5, 1.5)", "万人", "[5,000, 15,000) persons"),
    ("[10, ∞)", "万人", "[100,000, ∞) persons"),
    ("[999.5, 1000.5)", "万元", "[9.995, 10.005) million yuan"),
    # a difference keeps its sign: -3.7250 万人 = -37,250 persons
    ("-3.7250", "万人", "-37,250 persons"),
    ("−0.43", "亿元", "−43 million yuan"),
    # units without a multiple keep their printed digits, grouped by threes from four digits on
    ("1092750", "人", "1,092,750 persons"),
    ("1,199,127", "人", "1,199,127 persons"),
    ("1", "人", "1 person"),
    ("nearly 1", "人", "nearly 1 person"),
    ("2", "人", "2 persons"),
    ("1641", "家", "1,641 establishments"),
    ("1.0", "个", "1.0 unit"),
    ("248.00", "元", "248.00 yuan"),
    ("1219.5", "平方公里", "1,219.5 square kilometres"),
    ("2", "公顷", "2 hectares"),
    ("3.1", "%", "3.1%"),
    ("5–10", "%", "5–10%"),
    ("(0.756527, 0.756533)", "%", "(0.756527, 0.756533) %"),
    ("2826", "", "2,826"),
    # no number: as it is; an unbounded interval is an amount all the same
    ("(-∞, ∞)", "%", "(-∞, ∞) %"),
    ("(-∞, ∞)", "万人", "(-∞, ∞) persons"),
    ("-", "万元", "-"),
    ("∅", "亿元", "∅"),
])
def test_an_amount_in_english_by_hand(data, amount, unit, en):
    assert english_amount(amount, unit, data.units_table) == en


def test_an_amount_without_its_unit_name_keeps_its_scale_word(data):
    units = data.units_table
    assert english_amount("3715", "亿元", units, named=False) == "371.5 billion"
    assert english_amount("~1", "万人", units, named=False) == "~10,000"
    assert english_amount("3,000+", "万元", units, named=False) == "30+ million"
    assert english_amount("[0.5, 1]", "万人", units, named=False) == "[5,000, 10,000]"
    assert english_amount("3.1", "%", units, named=False) == "3.1"
    # the unit such an amount is written in, for the column beside it
    assert [english_unit(u, units) for u in ("万人", "亿元", "万平方米", "家", "%", "公顷")] == \
        ["persons", "yuan", "square metres", "establishments", "%", "hectares"]


def test_multiples_are_a_scale_word_before_a_base_unit(data):
    units = data.units_table
    assert multiple_of("万人", units) == ("人", 10000) and multiple_of("亿元", units) == ("元", 100000000)
    assert multiple_of("千元", units) == ("元", 1000) and multiple_of("万平方米", units) == ("平方米", 10000)
    # units of a name of their own, base units, ratios, compounds and unknown units are not multiples
    assert [multiple_of(u, units) for u in ("公顷", "平方公里", "人", "元", "%", "项/万人", "亿元/万人", "SYNTHETIC")] \
        == [None] * 8


def test_an_amount_is_multiplied_out_exactly(data):
    # as floats 1.13 × 10000 = 11299.999999999998, 0.07 × 10000 = 700.0000000000001 and 1.13 × 1e8 =
    # 112999999.99999999: none of that shows, the printed digits are multiplied as decimals
    units = data.units_table
    assert english_amount("1.13", "万人", units) == "11,300 persons"
    assert english_amount("0.07", "万元", units) == "700 yuan"
    assert english_amount("1.13", "亿元", units) == "113 million yuan"
    assert english_amount("1683.07", "万元", units) == "16.8307 million yuan"
    assert english_amount("452.71", "万元", units) == "4.5271 million yuan"


def test_which_readers_read_amounts_in_words():
    assert in_words("en") and not in_words("zh")
