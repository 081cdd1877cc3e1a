"""report/explain.py: a rule as readers see it (formula: the printed numbers in place of obs(...) and printed(...),
helpers in words, brackets only where the reading would change) and a printed range (shown_number). Expected texts
are written by hand from the report's numbers; SYNTHETIC items and unknown ids are named as such."""
from __future__ import annotations

import pytest

from analysis_utils.report.explain import formula

# ---------------------------------------------------------------- explain.formula: a rule as readers see it

ITEMS = {"items": "zone:白沙; zone:小龟山; zone:小样; office:知卓"}  # SYNTHETIC: 4 items, 3 of group 'zone'


@pytest.mark.parametrize("rule, claim, lang, shown", [
    # 表1's patent grants: 2154 (2014), 2826 (2015), 1532 (2011); 表2's R&D 26.97 and GDP 870 (武昌区)
    ('growth(obs("武昌区", "patent_grants", 2014), obs("武昌区", "patent_grants", 2015))', {}, "en",
     "2826 / 2154 − 1"),
    ('share(obs("武昌区", "rd_expenditure", 2015), obs("武昌区", "gdp", 2015))', {}, "en", "26.97 / 870"),
    ('cagr(obs("武昌区", "patent_grants", 2011), obs("武昌区", "patent_grants", 2015), 4)', {}, "en",
     "(2826 / 1532)^(1/4) − 1"),
    ('growth(obs("武昌区", "patent_grants", 2011) + 1, 2 * 3)', {}, "en", "2 × 3 / (1532 + 1) − 1"),
    ("cagr(1 + 1, 2 - 1, 4)", {}, "en", "((2 − 1) / (1 + 1))^(1/4) − 1"),  # a sum under / needs brackets
    # qualifiers printed as signs: 南山区's R&D '>200'; a claim's own number 'this' with its qualifier
    ('obs("南山区", "rd_expenditure", 2015) < 300', {}, "en", ">200 < 300"),
    ("this > 5", {"value": 10, "qualifier": "over"}, "en", "≥10 > 5"),
    ("this > 5", {"value": 5500, "qualifier": "approx"}, "en", "≈5500 > 5"),
    ("this < 2", {"value": 1, "qualifier": "nearly"}, "en", "≤1 < 2"),
    ('printed("t5_share_firms_with_rd") + 1', {}, "en", "3.11 + 1"),
    # brackets only where the reading would change: the right side of − and /, a lower precedence below
    ("1 - (2 - 3)", {}, "en", "1 − (2 − 3)"),
    ("(1 - 2) - 3", {}, "en", "1 − 2 − 3"),
    ("1 - (2 + 3)", {}, "en", "1 − (2 + 3)"),
    ("1 + (2 - 3)", {}, "en", "1 + 2 − 3"),
    ("2 * (3 + 4)", {}, "en", "2 × (3 + 4)"),
    ("1 + 2 * 3", {}, "en", "1 + 2 × 3"),
    ("6 / (2 / 3)", {}, "en", "6 / (2 / 3)"),
    ("(6 / 2) / 3", {}, "en", "6 / 2 / 3"),
    ("6 * (2 / 3)", {}, "en", "6 × 2 / 3"),
    ("-(1 - 2) < 3", {}, "en", "−(1 − 2) < 3"),
    ("1 < 2 <= 3 != 4", {}, "en", "1 < 2 ≤ 3 ≠ 4"),
    ("1 is 2", {}, "en", "1 ? 2"),  # not a comparison of the rule language (run_rule refuses it): '?'
    ("share(6, 2 * 3)", {}, "en", "6 / (2 × 3)"),
    ("ratio(1 + 2, 6 / 2)", {}, "en", "(1 + 2) / (6 / 2)"),
    ("1 < 2 and 2 < 3 or 0 >= 1", {}, "en", "1 < 2 and 2 < 3 or 0 ≥ 1"),
    ("1 < 2 and 2 < 3 and 3 == 3", {}, "zh", "1 < 2 且 2 < 3 且 3 = 3"),
    ("1 > 2 or 3 > 4", {}, "zh", "1 > 2 或 3 > 4"),
    # helpers without an arithmetic sign, worded; a level and parent as the helper reads them (11 makerspaces
    # under 武昌区, 1 district under 武汉市, 5 projects under 武昌区)
    ('total("operating_cost", "makerspace", "武昌区")', {}, "en", "the sum of operating cost over 11 rows"),
    ('total("operating_cost", "makerspace", "武昌区", exact=True)', {}, "en",
     "the sum of operating cost over 11 rows (cells exact as printed)"),
    ('total("operating_cost", "makerspace", "武昌区", exact=True)', {}, "zh", "11行运营成本之和（各格按印出值精确）"),
    ('total("gdp", "district", "武汉市")', {}, "en", "the sum of gross regional product over 1 rows"),
    ('total("SYNTHETIC_unknown", "makerspace", "武昌区")', {}, "en", "the sum of SYNTHETIC_unknown over 11 rows"),
    ('count_where("investment_raised", "==", 0, "makerspace", "武昌区")', {}, "en",
     "the rows of 11 with investment raised by the teams and firms served = 0"),
    ('count_where("gdp", ">", 800.5, "district", "武汉市")', {}, "zh", "1行中区域总产值 > 800.5 的行数"),
    # a value that is an expression is shown as one (it used to show as 'None'); a string as written
    ('count_where("investment_raised", ">=", 2 * 1000, "makerspace", "武昌区")', {}, "en",
     "the rows of 11 with investment raised by the teams and firms served ≥ 2 × 1000"),
    ('count_where("investment_raised", ">", this)', {"value": 262}, "en",
     "the rows of 11 with investment raised by the teams and firms served > 262"),
    # level and parent left out: 表4's 11 makerspaces under 武昌区
    ('total("operating_cost")', {}, "en", "the sum of operating cost over 11 rows"),
    ('count_where("investment_raised", "==", 0)', {}, "en",
     "the rows of 11 with investment raised by the teams and firms served = 0"),
    ('count_entities("project")', {}, "en", "the 5 rows listed"),
    ('count_entities("makerspace", "武昌区")', {}, "zh", "表中列出的11行"),
    ("count_items()", ITEMS, "en", "the 4 items listed"),
    ('count_items("zone")', ITEMS, "en", "the 3 items listed"),
    ('count_items("office")', ITEMS, "en", "the 1 item listed"),
    ("lower(this) > 5", {"value": 10, "qualifier": "over"}, "en", "the lower end of ≥10 > 5"),
    ("whole_in(this / 2)", {"value": 7}, "en", "the whole numbers in 7 / 2"),
    ("fractions(this, 100)", {"value": 68.42}, "zh", "给出 68.42 的计数 n/N"),
    # numbers of one dimension printed in two units name their units, the claim's own (this) too: 二1's 不低于1000万元
    # against the claim's 最高1亿元; numbers of different dimensions (件 and the claim's %) do not. In English each is
    # an amount: 1000 万元 = 10,000,000 yuan = 10 million yuan, 1 亿元 = 100,000,000 yuan = 100 million yuan
    ('lower(obs("余杭区", "top_team_funding_international")) <= upper(this)', {"value": 1, "qualifier": "le",
     "unit": "亿元"}, "en", "the lower end of ≥10 million yuan ≤ the upper end of ≤100 million yuan"),
    ('lower(obs("余杭区", "top_team_funding_international")) <= upper(this)', {"value": 1, "qualifier": "le",
     "unit": "亿元"}, "zh", "≥1000万元 的下限 ≤ ≤1亿元 的上限"),
    ('growth(obs("武昌区", "patent_grants", 2014), obs("武昌区", "patent_grants", 2015))', {"value": 31.2, "unit": "%"},
     "en", "2826 / 2154 − 1"),
    # two claims' numbers (printed()) in one unit, 万元: no unit named
    ('printed("p_makerspace_revenue_total") < printed("p_makerspace_cost_total")', {}, "en", "452.71 < 1683.07"),
])
def test_a_formula_shows_printed_numbers_and_words_helpers(data, rule, claim, lang, shown):
    assert formula(data, claim, rule, lang) == shown


@pytest.mark.parametrize("rule, lang, shown", [
    ("1 +", "en", "1 +"),                                        # does not parse: shown as written
    ("-(1 + 2)", "en", "−(1 + 2)"),
    ("+3", "en", "3"),
    ("not (1 < 2)", "en", "not (1 < 2)"),
    ("not (1 < 2)", "zh", "非（1 < 2）"),
    ("ratio(1 + 2, 4 - 1)", "en", "(1 + 2) / (4 − 1)"),
    ("ratio(6, 2 * 3)", "en", "6 / (2 × 3)"),                    # 6 / 2 × 3 would read as (6 / 2) × 3
    ("obs('SYNTHETIC_NOPE', 'gdp')", "en", "obs('SYNTHETIC_NOPE', 'gdp')"),  # shown as written; evaluation reports it
    ("printed('SYNTHETIC_NOPE')", "en", "printed('SYNTHETIC_NOPE')"),
    ("first_year('武昌区', 'gdp')", "en", "the first year of gross regional product"),
    ("last_year('武昌区', 'gdp')", "zh", "区域总产值的末年"),
    ("this[0]", "en", "this[0]"),
])
def test_formula_shown_to_readers(data, rule, lang, shown):
    from analysis_utils.report.explain import formula

    assert formula(data, {}, rule, lang) == shown


def test_shown_number_of_a_range():
    from analysis_utils.report.explain import shown_number

    assert shown_number(5, "range", 10) == "5–10" and shown_number(None, "range", 10) == "-"
