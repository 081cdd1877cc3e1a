"""report/narrate.py: the claims audit in words. narrate.audit_table adds each claim's explanation and detail in both
languages to claims.audit's codes and numbers; explain_claim words one claim, step_text one step of a rule's trace,
note_fields the fields of a note. Everything a reader sees is in the reader's language: neither language shows
indicator ids or unit codes; entity names, units, report locations and printed values are worded for the reader
(issue "What readers see is right in every variant", item 4). Expected texts are written out by hand from the
report's numbers; SYNTHETIC claims are built in memory.

claims.audit, not_checkable and compare_printed take no focus: the audit reads the whole report whichever
district a notebook puts first, so one audit per language covers the focus 武昌区 and 南山区 alike
(test_the_audit_reads_the_same_whatever_the_focus runs the reader views for both and checks they are the same)."""
from __future__ import annotations

import csv
import inspect
import re

import pandas as pd
import pytest

from analysis_utils import labels
from analysis_utils.audit import claims
from analysis_utils.audit.intervals import Interval
from analysis_utils.audit.rules import Step, Term
from analysis_utils.labels import text
from analysis_utils.paths import DATA_DIR
from analysis_utils.report import audit_views as views
from analysis_utils.report import narrate
from analysis_utils.report.narrate import step_text
from tests._support.language import INDICATORS, MACHINE_IDS, ids_in


def facts_what(data, lang) -> list[str]:
    """What each plain fact is, in ``lang`` (report.audit_views.facts_view's column audit.what)."""
    return list(views.facts_view(claims.not_checkable(data), data, lang)[text("audit.what", lang)])


# ---------------------------------------------------------------- no ids or codes in any sentence
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_indicator_id_in_any_sentence(data, audits, lang):
    audit = audits[lang]
    sentences = list(audit["explanation"]) + list(audit["detail"]) + list(audit[f"statement_{lang}"])
    sentences += facts_what(data, lang)
    # a Chinese sentence has no Latin id at all; an English one none of the ids that are no English word
    assert ids_in(sentences, INDICATORS if lang == "zh" else MACHINE_IDS) == []
    assert not [s for s in sentences if re.search(r"==|<=|>=|!=", s)]  # the rule language's operators


def test_no_unit_code_in_english_sentences(data, audits):
    units = [r["unit"] for r in csv.DictReader(open(DATA_DIR / "units.csv", encoding="utf-8")) if r["unit"] != "%"]
    sentences = list(audits["en"]["explanation"]) + list(audits["en"]["detail"])
    assert not [s for s in sentences if any(u in s for u in units)]


def test_the_audit_reads_the_same_whatever_the_focus(tmp_path):
    """The reader's audit tables of 02 (at 表2) and 04 do not depend on the focus district."""
    from analysis_utils.run.params import setup

    shown = []
    for focus in ("武昌区", "南山区"):
        params = setup("04_claims_audit", {"focus": focus, "lang": "en", "output_dir": str(tmp_path / focus)})
        audit = narrate.audit_table(params.data)
        shown.append((views.audit_view(audit, "en"), views.at_location(audit, "表2", "en")))
    pd.testing.assert_frame_equal(shown[0][0], shown[1][0])
    pd.testing.assert_frame_equal(shown[0][1], shown[1][1])


# ---------------------------------------------------------------- hand-written texts, English
def test_english_invention_patent_stock_of_wuchang(audits):
    # 表2: 18 (项/万人) × 113 万人 = 2034; 17.5 × 112.5 = 1968.75 to 18.5 × 113.5 = 2099.75 (open above), a width of
    # 131: shown at whole numbers (two significant digits of the width), the ends rounded outward
    assert audits["en"].loc["t2_patent_stock_wuchang", "explanation"] == (
        "Printed 18 items per 10,000 residents implies invention patents in force in Wuchang District (items): "
        "2034 [1968, 2100); the report prints nothing to check it against. The check accepts any printed value.")
    # trial F read '499.716 [495.06225, 504.37025)': 5.4 × 92.54 = 499.716 within 5.35 × 92.535 = 495.06225 and
    # 5.45 × 92.545 = 504.37025, a width of 9.308: one decimal, the ends rounded outward
    assert "invention patents in force in Yuhang District (items): 499.7 [495.0, 504.4);" in \
        audits["en"].loc["t2_patent_stock_yuhang", "explanation"]
    assert audits["en"].loc["t2_patent_stock_wuchang", "statement_en"] == \
        "Wuchang District owns 18 invention patents per 10,000 residents."


def test_the_band_of_accepted_printed_values_reads_in_the_printed_amounts_scale(audits):
    """Trial G read "printed 29.1 billion yuan: agrees. The check accepts any printed value from 290 to 292": the
    band in 亿元 beside the amount in billions. 291 亿元 accepts 290 to 292 亿元 = 29 to 29.2 billion; nearly 1 万人
    (0.5 to 2 万人) reads 5,000 to 20,000; Chinese keeps the report's own numbers."""
    en, zh = audits["en"], audits["zh"]
    assert en.loc["p_high_tech_output_291", "explanation"].endswith(
        "The check accepts any printed value from 29 billion to 29.2 billion (2 units of the last printed digit; the "
        "limit is 5).")
    assert "The check accepts any printed value from 5,000 to 20,000 (" in en.loc["p_researchers_nearly_10k",
                                                                              "explanation"]
    assert "该检验接受 290 至 292 之间的任何印出值" in zh.loc["p_high_tech_output_291", "explanation"]


def test_english_units_are_singular_after_one(audits):
    en = audits["en"]
    # 表3: one national-1000 talent in Wuchang against 128 (Nanshan) and 84 (Yuhang)
    assert en.loc["p_talent_national_1000_fewer", "detail"] == "1 person < 128 persons ✓; 1 person < 84 persons ✓"
    # 11 makerspaces counted: a band of 10.5–11.5 is one unit of the last digit; 291亿元 is printed at 290–292
    assert "(1 unit of the last printed digit; the limit is 5)" in en.loc["t2_makerspaces_wuchang_11", "explanation"]
    assert "(2 units of the last printed digit; the limit is 5)" in en.loc["p_high_tech_output_291", "explanation"]
    # 291 亿元 = 29,100,000,000 yuan
    assert "printed 29.1 billion yuan: agrees" in en.loc["p_high_tech_output_291", "explanation"]


def test_english_printed_values_and_missing_cells(audits):
    en = audits["en"]
    # 一(二)1 prints 近1万人: at most 1万, at one significant digit [0.5, 1]; 表3's 约1万人 gives [0.5, 1.5); in
    # English 近1万人 is nearly 10,000 persons and the intervals are in persons with it: [5,000, 10,000]
    assert en.loc["p_researchers_nearly_10k", "detail"] == \
        "Recomputed interval [5,000, 15,000); printed nearly 10,000 persons stands for [5,000, 10,000]."
    assert en.loc["p_researchers_nearly_10k", "explanation"].startswith(
        "≈1 = 1, printed nearly 10,000 persons: agrees.")
    # 表2 prints '-' for Yuhang's R&D intensity
    assert en.loc["p_gap_rd_intensity_yuhang", "explanation"] == \
        "3.1 < -: cannot be decided (Yuhang District's R&D intensity for 2015 is printed '-')."
    # 表4: 世鳌国际 prints '-' for investment raised; 最高可获得1亿元 against 1000万元
    assert "Shi'ao International ('-') may or may not satisfy investment raised by the teams and firms served = 0." \
        in en.loc["p_makerspaces_without_investment", "explanation"]
    # 1000 万元 = 10,000,000 yuan; 1 亿元 = 100,000,000 yuan
    assert en.loc["p_yuhang_case_by_case_1yi", "detail"] == "10 million yuan ≤ 100 million yuan ✓"
    # 30 万元 = 300,000 yuan; 500 万元 = 5,000,000 yuan
    assert en.loc["p_wuchang_funding_start_30", "detail"] == \
        "300,000 yuan < 5 million yuan ✓; 5 million yuan < 100 million yuan ✓"
    # 表2's GDP: Wuchang 870 亿元 = [869.5, 870.5) × 10⁸ yuan = [86.95, 87.05) billion; Nanshan 3715 亿元
    assert en.loc["p_gap_gdp_nanshan", "detail"] == "[86.95, 87.05) billion yuan < [371.45, 371.55) billion yuan ✓"
    # 约1万人 against 10万余人: [0.5, 1.5) 万人 = [5,000, 15,000) persons, [10, ∞) 万人 = [100,000, ∞) persons
    assert en.loc["p_talent_total_gap_nanshan", "detail"] == "[5,000, 15,000) persons < [100,000, ∞) persons ✓"


# ---------------------------------------------------------------- hand-written texts, Chinese
def test_chinese_texts_name_indicators_in_chinese(audits):
    zh = audits["zh"]
    assert zh.loc["p_gap_rd_intensity_yuhang", "explanation"] == "3.1 < -：无法判定（余杭区2015年年度研发投入占比印为“-”）。"
    assert "世鳌国际（“-”）可能满足也可能不满足 服务的团队及企业当年获得投资总额 = 0。" in \
        zh.loc["p_makerspaces_without_investment", "explanation"]
    assert zh.loc["p_yuhang_case_by_case_1yi", "detail"] == "1000 万元 ≤ 1 亿元 ✓"
    assert zh.loc["p_researchers_nearly_10k", "detail"] == "重算区间 [0.5, 1.5)；原文 近1万人 代表 [0.5, 1]。"
    assert "（1 个末位单位；上限 5）" in zh.loc["t2_makerspaces_wuchang_11", "explanation"]


def test_a_trace_step_in_both_languages(data):
    step = Step(Term(Interval.point(74), "家"), "<=", Term(Interval.point(1641), "家"), True)
    assert step_text(data, step, "en") == "74 establishments ≤ 1,641 establishments ✓"  # digits grouped
    assert step_text(data, step, "zh") == "74 家 ≤ 1641 家 ✓"


def test_plain_facts_name_the_district_and_the_indicator(data):
    # 二3 prints Nanshan's 92 listed innovative enterprises once; no claim reads it
    facts = claims.not_checkable(data)  # codes: the district and the indicator by id
    assert facts[(facts["source"] == "二3") & (facts["printed"] == "92家")][["entity", "indicator"]].values.tolist() \
        == [["南山区", "listed_innovative_firms"]]
    whats_en, whats_zh = set(facts_what(data, "en")), set(facts_what(data, "zh"))
    assert "Listed innovative enterprises, Nanshan District" in whats_en and "南山区创新型上市企业" in whats_zh
    assert not ids_in(list(whats_en) + list(whats_zh), MACHINE_IDS)


# ---------------------------------------------------------------- explain_claim: one claim's explanation and detail
def audited(data, claim_id: str, lang: str = "en") -> dict:
    claim = data.claims.set_index("claim").loc[claim_id].to_dict() | {"claim": claim_id}
    return narrate.explain_claim(data, claim, lang)


def test_an_implied_quantity_is_detailed_by_its_interval(data):
    # p_high_tech_output_growth_129 (check implies): 表2's high-tech output 291 = [290.5, 291.5) over
    # 1 + 129% = [2.285, 2.295): (290.5 / 2.295, 291.5 / 2.285) = (126.579…, 127.571…), both ends open; not a
    # recomputation, so no "Recomputed interval … printed …" sentence
    assert audited(data, "p_high_tech_output_growth_129")["detail"] == "(126.58, 127.571)"


def test_a_table_convention_is_told_as_a_strict_and_a_loose_reading(data):
    # 表4's total revenue 452.71 (readings 'printing'): the strict reading (cells exact as printed) and the loose
    # one (each cell rounded at its own decimals), strict first; the printed 452.71 is the exact sum
    out = audited(data, "t4_total_revenue")
    # each reading's sentence starts with a capital; the indicator inside it does not (total revenue)
    # 452.71 万元 = 4,527,100 yuan = 4.5271 million yuan
    assert out["explanation"].startswith("Strict reading (every cell exact at two decimals, reproduced): The sum "
                                         "of total revenue over 11 rows (cells exact as printed) = 452.71, printed "
                                         "4.5271 million yuan: agrees. Loose reading (every cell rounded at "
                                         "its own decimals, consistent): ")
    # the strict reading recomputes one number (exact cells): said as a value, not as an interval of one; in
    # millions with the printed amount: [452.705, 452.715) 万元 = [4.52705, 4.52715) million
    assert out["detail"].startswith("Recomputed value 4.5271 million (exact: the interval holds this one number); "
                                    "printed 4.5271 million yuan stands for [4.52705, 4.52715) million. | "
                                    "Recomputed interval [")
    assert (out["verdict"], out["reading"]) == ("reproduced", "printing")


def test_an_impossible_whole_number_names_the_nearest_printed_values_that_work(data):
    # SYNTHETIC: printed 0.4% (1 decimal) stands for [0.35, 0.45)%, so 0.01 / (this / 100) lies in
    # (0.01 / 0.0045, 0.01 / 0.0035] = (2.222…, 2.857…]: no whole number. One digit up, 0.5% = [0.45, 0.55)%:
    # (1.818…, 2.222…] holds 2; one digit down, 0.3% = [0.25, 0.35)%: (2.857…, 4] holds 3 and 4.
    claim = {"claim": "SYNTHETIC_whole", "check": "implies", "basis": "derived", "value": 0.4, "decimals": 1,
             "unit": "%", "printed": "0.4%", "rule": "whole_in(0.01 / (this / 100))"}
    en, zh = narrate.explain_claim(data, claim, "en"), narrate.explain_claim(data, claim, "zh")
    assert en["verdict"] == "inconsistent" and en["detail"] == "ℤ ∩ (2.22222, 2.85714] = ∅"
    assert en["explanation"] == (
        "Printed 0.4% needs the whole numbers in 0.01 / (0.4 / 100) in (2.22222, 2.85714], which holds no whole "
        "number: impossible. Nearest printed values that would work: printed as 0.5% it would allow 2; printed as "
        "0.3% it would allow 3, 4.")
    assert zh["explanation"].endswith("可行的最近印出值：印为 0.5% 时可为 2；印为 0.3% 时可为 3, 4。")


def test_a_claim_printed_as_a_range_is_read_as_the_range(data):
    # SYNTHETIC claim printed like 三(四)3's "2-3亿元": qualifier range, [2, 3] both ends included; × 2: [4, 6]
    claim = {"claim": "SYNTHETIC_range", "check": "implies", "basis": "derived", "value": 2, "value_high": 3,
             "qualifier": "range", "decimals": 0, "unit": "亿元", "printed": "2-3亿元", "rule": "this * 2"}
    out = narrate.explain_claim(data, claim, "en")
    assert (out["verdict"], out["recomputed"], out["detail"]) == ("implied", "[4, 6]", "[4, 6]")
    assert out["explanation"].startswith("Printed 200–300 million yuan implies 2–3 × 2: [4, 6];")


def test_the_audit_has_no_words_and_the_audit_table_adds_them_in_both_languages(claims_audit, audit_table):
    # claims.audit is codes and numbers: no explanation or detail, no parameter lang; the only columns of one
    # language are the registry's own pairs (statement_zh/statement_en, rule_label_zh/rule_label)
    audit = claims_audit  # claims.audit(data), made once per session
    assert "lang" not in inspect.signature(claims.audit).parameters
    assert not [c for c in audit.columns if c.startswith(("explanation", "detail"))]
    assert [c for c in audit.columns if c.endswith(("_zh", "_en"))] == ["statement_zh", "statement_en", "rule_label_zh"]
    # narrate.audit_table: the same frame, then exactly these four columns, in this order
    table = audit_table  # narrate.audit_table(data), made once per session
    assert list(table.columns) == list(audit.columns) + ["explanation_zh", "detail_zh", "explanation_en", "detail_en"]
    pd.testing.assert_frame_equal(table[list(audit.columns)], audit)
    # 表1's 31.2% (t1_growth_patents_2015): 2826 / 2154 − 1 = 0.311977…, one digit finer than printed 31.20%;
    # the band 31.148 to 31.248 is one unit of the printed digit (test_a_recomputation_is_explained_…)
    row = table.set_index("claim").loc["t1_growth_patents_2015"]
    assert row["explanation_en"] == ("2826 / 2154 − 1 = 31.20%, printed 31.2%: agrees. The check accepts any printed "
                                     "value from 31.148 to 31.248 (1 unit of the last printed digit; the limit is 5).")
    # zh quotes the report's own text: 表1 prints 31.2 in a column headed (%) (claims.csv printed '31.2')
    assert row["explanation_zh"] == ("2826 / 2154 − 1 = 31.20%，原文为 31.2：相符。 该检验接受 31.148 至 31.248 之间的"
                                     "任何印出值（1 个末位单位；上限 5）。")
    # exact counts recompute one number: said as a value, not as an 'interval' of one number
    assert row["detail_en"] == ("Recomputed value 31.1978 (exact: the interval holds this one number); printed 31.2% "
                                "stands for [31.15, 31.25).")
    assert row["detail_zh"] == "重算值 31.1978（精确，区间只含这一个数）；原文 31.2 代表 [31.15, 31.25)。"


# ---------------------------------------------------------------- notes and errors in sentences
def test_an_undetermined_member_is_quoted_with_its_unit(data):
    # SYNTHETIC claim over 表4's investment raised (万元): 平沙水榭 3500 stands for [3499.5, 3500.5) ≥ 2500 surely;
    # 多盟管理总部 2500 for [2499.5, 2500.5), which straddles 2500; 世鳌国际 is printed '-'; the rest are ≤ 262.
    # The count is [1, 3], so "≥ 2" is undetermined; each note names the member, quotes its printed value (in
    # English with its unit, singular only after 1), names the indicator and prints '>=' as '≥'.
    claim = {"claim": "SYNTHETIC_count", "section": "二", "source": "二1", "kind": "count", "statement_zh": "x",
             "statement_en": "x", "check": "condition", "basis": "compared",
             "rule": 'count_where("investment_raised", ">=", 2500, "makerspace", "武昌区") >= 2'}
    en, zh = narrate.explain_claim(data, claim, "en"), narrate.explain_claim(data, claim, "zh")
    assert en["detail"] == zh["detail"] == "[1, 3] ≥ 2 ?"
    assert en["explanation"].endswith(
        " Shi'ao International ('-') may or may not satisfy investment raised by the teams and firms served ≥ 2500."
        " Duomeng Management Headquarters ('25 million yuan') may or may not satisfy investment raised by the"
        " teams and firms served ≥ 2500.")
    assert zh["explanation"].endswith(" 世鳌国际（“-”）可能满足也可能不满足 服务的团队及企业当年获得投资总额 ≥ 2500。"
                                      " 多盟管理总部（“2500”）可能满足也可能不满足 服务的团队及企业当年获得投资总额 ≥ 2500。")


def test_note_fields_name_what_they_know_and_keep_the_rest(data):
    # names from entities.csv / indicators.csv, '>=' as '≥', a float 2500.0 as '2500', the printed value as a
    # reader of English reads it; an id neither table holds, an operator without a symbol, an unknown field: kept
    known = narrate.note_fields(data, {"entity": "多盟管理总部", "indicator": "investment_raised", "op": ">=",
                                       "value": 2500.0, "printed": "2500", "printed_value": 2500, "unit": "万元",
                                       "qualifier": "", "value_high": None}, "en")
    assert (known["entity"], known["indicator"], known["op"], known["value"], known["printed"]) == (
        "Duomeng Management Headquarters", "investment raised by the teams and firms served", "≥", "2500",
        "25 million yuan")  # 2500 万元 = 25,000,000 yuan
    # a printed value with its qualifier: 南山区's R&D '>200' (qualifier gt, 'greater than' in qualifiers.csv)
    bounded = narrate.note_fields(data, {"printed": ">200", "printed_value": 200, "unit": "亿元", "qualifier": "gt"},
                                  "en")
    assert bounded["printed"] == "greater than 20 billion yuan"  # 200 亿元 = 20,000,000,000 yuan
    assert narrate.note_fields(data, {"printed": ">200", "printed_value": 200, "unit": "亿元", "qualifier": "gt"},
                               "zh")["printed"] == ">200"
    unknown = narrate.note_fields(data, {"entity": "SYNTHETIC_x", "indicator": "SYNTHETIC_y", "op": "~", "n": 1}, "en")
    assert unknown == {"entity": "SYNTHETIC_x", "indicator": "SYNTHETIC_y", "op": "~", "n": 1}


def test_a_recomputation_is_explained_one_digit_finer_than_printed(data):
    # 表1: patent grants 2154 (2014) and 2826 (2015), whole counts, so exact: 2826 / 2154 − 1 = 31.1977…%, shown
    # one digit finer than the printed 31.2: 31.20%. A printed v is accepted when [v − 0.05, v + 0.05) holds
    # 31.1977…: v in (31.1477…, 31.2477…], shown to 3 decimals: 31.148 to 31.248, one unit wide.
    claim = data.claims.set_index("claim").loc["t1_growth_patents_2015"].to_dict() | {"claim": "t1_growth_patents_2015"}
    out = narrate.explain_claim(data, claim, "en")
    assert out["explanation"] == ("2826 / 2154 − 1 = 31.20%, printed 31.2%: agrees. The check accepts any printed "
                                  "value from 31.148 to 31.248 (1 unit of the last printed digit; the limit is 5).")
    assert out["detail"] == ("Recomputed value 31.1978 (exact: the interval holds this one number); printed 31.2% "
                             "stands for [31.15, 31.25).")


# Common words the English explanations used to write with a capital inside a sentence (indicator names put in
# a formula or a note as a table cell writes them), and the small words they used to start a sentence with.
CAPITALISED_INSIDE = ("the sum of Total revenue", "the sum of Operating cost", "with Investment raised",
                      "satisfy Investment raised", "the sum of Gross regional product", "first year of Patent",
                      "last year of Patent")
SMALL_STARTS = ("the sum of", "the rows of", "the lower end of", "the 3 items listed", "the 11 rows listed")


def test_english_explanations_start_with_a_capital_and_name_common_things_in_small_letters(data, audit_table):
    """Every English explanation of every claim: each sentence (after '. ', or after a reading's head 'Strict
    reading (…): ') starts with a capital letter, a number or a symbol, and none holds a common word written with
    a capital inside it (hand-written examples found in the 04 page); proper nouns keep theirs."""
    texts = audit_table[["claim", "explanation_en", "detail_en"]]  # narrate.audit_table(data)
    for claim, explanation, detail in texts.itertuples(index=False):
        for said in (explanation, detail):
            for sentence in re.split(r"(?<=[.!?])\s+|\s\|\s|(?<=\)):\s", said):
                sentence = sentence.strip()
                assert not sentence[:1].islower(), (claim, sentence)
            assert not [w for w in CAPITALISED_INSIDE if w in said], (claim, said)
            assert not [w for w in SMALL_STARTS if said.startswith(w) or f". {w}" in said], (claim, said)
    by_claim = texts.set_index("claim")["explanation_en"]
    assert by_claim["t2_makerspaces_wuchang_11"].startswith("The 11 rows listed = 11, printed 11: agrees.")
    # a sentence that starts with a worded helper (SYNTHETIC: 表4's revenue below its cost, summed over the rows)
    summed = {"claim": "synthetic_sums", "section": "二", "source": "二2", "kind": "comparison",
              "statement_zh": "SYNTHETIC", "statement_en": "SYNTHETIC", "printed": "仅为", "check": "condition",
              "basis": "compared",
              "rule": 'total("total_revenue", "makerspace", "武昌区") < total("operating_cost", "makerspace", "武昌区")'}
    assert narrate.explain_claim(data, summed, "en")["explanation"].startswith(
        "The sum of total revenue over 11 rows < the sum of operating cost over 11 rows: true")
    # proper nouns and acronyms keep their capitals inside a sentence
    assert labels.in_sentence("Hubei provincial Hundred Talents Plan", "en") == "Hubei provincial Hundred Talents Plan"
    assert labels.in_sentence("National Thousand Talents Plan", "en") == "National Thousand Talents Plan"
    assert labels.in_sentence("R&D intensity", "en") == "R&D intensity"
    assert labels.in_sentence("High-tech enterprises", "en") == "high-tech enterprises"
    assert labels.in_sentence("总收入", "zh") == "总收入"


@pytest.mark.parametrize("code, lang, word", [
    ("nearly", "zh", "近"), ("nearly", "en", "nearly"), ("approx", "zh", "约"), ("approx", "en", "approximately"),
    ("", "zh", "不加限定词"), ("", "en", "no qualifier"),
])
def test_a_qualifier_in_words(data, code, lang, word):
    # qualifiers.csv: nearly 近 / nearly, approx 约 / approximately; a plain number has no word of its own
    assert narrate.qualifier_word(data, code, lang) == word
