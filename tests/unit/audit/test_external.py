"""Exact behaviour of audit/ that the mutation run (mutmut, a sample of audit/'s mutants) found untested.

Every expected value is worked out by hand in a comment, from the report's printed numbers (data/) or from a
small SYNTHETIC example named as such; synthetic rows never enter the packaged data, they are built in memory
(dataclasses.replace of the loaded Dataset / ExternalData).
"""
from __future__ import annotations

import dataclasses
import inspect
import math
from fractions import Fraction

import pandas as pd
import pytest

from analysis_utils.audit import claims, external
from analysis_utils.audit.intervals import Interval, fmt, printed_interval
from analysis_utils.audit.rules import GRAMMAR, claim_term, value_interval
from analysis_utils.audit.strength import band
from analysis_utils.data.external import load_external
from analysis_utils.data.qualifiers import QualifierTable
from analysis_utils.errors import AnalysisError, ClaimError, IntervalError
from analysis_utils.report import audit_views as views
from analysis_utils.report import external_views, narrate
from analysis_utils.report.explain import formula

# the 11 makerspaces of 表4, all under 武昌区 (entities.csv, level makerspace)
MAKERSPACES = {"5.5SPACE", "e+创客空间", "东创创意园i创·天地", "凤凰社创艺社影视摄影创艺空间", "E佳众创空间", "世鳌国际",
               "多盟管理总部", "珞樱文化众创空间", "平沙水榭创投空间", "青春码头众创空间", "武昌区青年创客驿站服务中心"}


@pytest.fixture(scope="module")
def ext(data):
    return load_external(data)


def with_rules(data, *rules: str):
    """The dataset with a SYNTHETIC registry of claims holding only ``rules`` (inputs() reads rule and rule_alt)."""
    registry = pd.DataFrame({"claim": [f"SYNTHETIC_{i}" for i in range(len(rules))], "rule": list(rules),
                             "rule_alt": [""] * len(rules), "basis": ["compared"] * len(rules)})
    return dataclasses.replace(data, tables={**data.tables, "claims": registry})


# ---------------------------------------------------------------- claims.inputs: the level and parent a rule names

@pytest.mark.parametrize("rule, expected", [
    # count_where(indicator, op, value, level, parent): the districts under 武汉市 are 武昌区 alone, whose gdp is
    # printed for 2015 only (表2's 870)
    ('count_where("gdp", ">", 800, "district", "武汉市") >= 1', {("武昌区", "gdp", 2015)}),
    # total(indicator, level): parent left out is 武昌区, i.e. 表4's 11 makerspaces, each printed for 2015
    ('total("operating_cost", "makerspace") > 0', {(m, "operating_cost", 2015) for m in MAKERSPACES}),
])
def test_inputs_are_the_members_of_the_level_and_parent_a_rule_names(data, rule, expected):
    assert claims.inputs(with_rules(data, rule)) == expected


@pytest.mark.parametrize("rule, expected", [
    # count_where with only (indicator, op, value): the default level and parent, 表4's makerspaces (inputs()
    # used to read the level from a 4th argument that is not there: IndexError)
    ('count_where("investment_raised", "==", 0) > 5', {(m, "investment_raised", 2015) for m in MAKERSPACES}),
    # level and parent given by keyword
    ('total("gdp", level="district", parent="武汉市") > 0', {("武昌区", "gdp", 2015)}),
    # no year given: total() reads each member's latest row (表1's patent grants of 武昌区: 2011–2015, so 2015);
    # a year given (4th argument of total, or by keyword): that year alone is read, so only it is an input
    ('total("patent_grants", "district", "武汉市") > 0', {("武昌区", "patent_grants", 2015)}),
    ('total("patent_grants", "district", "武汉市", 2014) > 0', {("武昌区", "patent_grants", 2014)}),
    ('count_where("patent_grants", ">", 2000, "district", "武汉市", year=2013) >= 1',
     {("武昌区", "patent_grants", 2013)}),
])
def test_inputs_read_defaults_keywords_and_the_year_as_the_helpers_do(data, rule, expected):
    assert claims.inputs(with_rules(data, rule)) == expected


def test_a_dataset_without_a_registry_says_which_file_lacks_it(data):
    # SYNTHETIC: the dataset without its claims table
    bare = dataclasses.replace(data, tables={k: v for k, v in data.tables.items() if k != "claims"})
    for call in (claims.audit, claims.inputs, claims.registry):
        with pytest.raises(AnalysisError) as e:
            call(bare)
        assert str(e.value) == f"no 'claims' resource in {data.data_dir}/datapackage.json"


RESULT_COLUMNS = ["verdict", "basis", "recomputed", "recomputed_alt", "verdict_rule", "verdict_alt", "reading",
                  "band_low", "band_high", "band_units", "strength"]


def test_a_claim_nothing_bears_on_gets_the_empty_result(data):
    # 表3's 共53人 (t3_huanghe_talent_total_53, basis none): no rule, so every result field is empty, the band is
    # NaN, and the sentence is the catalogue's explain.none
    claim = data.claims.set_index("claim").loc["t3_huanghe_talent_total_53"].to_dict()
    out = narrate.explain_claim(data, claim | {"claim": "t3_huanghe_talent_total_53"}, "en")
    assert list(claims.evaluate(data, claim | {"claim": "t3_huanghe_talent_total_53"})) == RESULT_COLUMNS
    assert list(out) == RESULT_COLUMNS + ["explanation", "detail"]
    assert {k: v for k, v in out.items() if not k.startswith("band_")} == {
        "verdict": "unverifiable", "basis": "none", "recomputed": "", "recomputed_alt": "", "verdict_rule": "",
        "verdict_alt": "", "reading": "", "strength": "",
        "explanation": "Nothing else in the report bears on this number: unverifiable.", "detail": ""}
    assert all(math.isnan(out[k]) for k in ("band_low", "band_high", "band_units"))


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
    assert out["explanation"].startswith("Strict reading (every cell exact at two decimals, reproduced): the sum "
                                         "of Total revenue over 11 rows (cells exact as printed) = 452.71, printed "
                                         "452.71 × 10,000 yuan: agrees. Loose reading (every cell rounded at "
                                         "its own decimals, consistent): ")
    assert out["detail"].startswith("Recomputed interval 452.71; printed 452.71 × 10,000 yuan stands for "
                                    "[452.705, 452.715). | Recomputed interval [")
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
    assert out["explanation"].startswith("Printed 2–3 × 100 million yuan implies 2–3 × 2: [4, 6];")


def test_a_claim_term_without_a_qualifier_is_a_plain_printed_number(data):
    # a claim row without the qualifier field at all: plain, 5 at 0 decimals stands for [4.5, 5.5)
    term = claim_term({"value": 5, "decimals": 0, "unit": "亿元"}, data.units_table)
    assert (term.iv, term.unit) == (Interval(Fraction(9, 2), Fraction(11, 2), True, False), "亿元")
    # a whole count of persons printed whole is exact: 表3's 27 academicians
    term = claim_term({"value": 27, "decimals": 0, "unit": "人"}, data.units_table)
    assert (term.iv, term.unit) == (Interval.point(27), "人")


def test_the_audit_has_the_registry_columns_then_the_results(data):
    # the registry's columns without source_file and basis (basis comes back among the results), in file order
    registry = ["claim", "section", "source", "kind", "statement_zh", "statement_en", "printed", "value",
                "value_high", "qualifier", "decimals", "unit", "items", "check", "rule", "rule_alt", "readings",
                "rule_label", "rule_label_zh", "note", "source_line"]
    assert list(claims.audit(data).columns) == registry + RESULT_COLUMNS


def test_the_audit_has_no_words_and_the_audit_table_adds_them_in_both_languages(data):
    # claims.audit is codes and numbers: no explanation or detail, no parameter lang; the only columns of one
    # language are the registry's own pairs (statement_zh/statement_en, rule_label_zh/rule_label)
    audit = claims.audit(data)
    assert "lang" not in inspect.signature(claims.audit).parameters
    assert not [c for c in audit.columns if c.startswith(("explanation", "detail"))]
    assert [c for c in audit.columns if c.endswith(("_zh", "_en"))] == ["statement_zh", "statement_en", "rule_label_zh"]
    # narrate.audit_table: the same frame, then exactly these four columns, in this order
    table = narrate.audit_table(data)
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
    assert row["detail_en"] == "Recomputed interval 31.1978; printed 31.2% stands for [31.15, 31.25)."
    assert row["detail_zh"] == "重算区间 31.1978；原文 31.2 代表 [31.15, 31.25)。"


# ---------------------------------------------------------------- claims.not_checkable: plain facts

def test_plain_facts_keep_their_printed_text_and_say_why_in_each_kind(data):
    facts = claims.not_checkable(data)
    codes = {(r.source, r.printed): r.why for r in facts.itertuples()}
    # claims.csv: p_date_hubei_pilot_2013 (kind date, 一(一)3 '2013年'), p_four_projects (kind label_count, 二3
    # '四个工程'), neither with a basis: codes date and unlisted; their texts are messages.csv's fact.date and
    # fact.unlisted (report.audit_views.facts_view, row for row in the facts' order)
    assert codes[("一(一)3", "2013年")] == "date" and codes[("二3", "四个工程")] == "unlisted"
    view = views.facts_view(facts, data, "en")
    rows = dict(zip(zip(facts["source"], facts["printed"]), view["Why it is not a claim"]))
    assert rows[("一(一)3", "2013年")] == "A date of an outside event: the report prints nothing to check it against."
    assert rows[("二3", "四个工程")] == "The label counts items the report does not list: nothing to count."
    assert rows[("三(二)1", "两轴、一核、八片")] == rows[("二3", "四个工程")]
    assert facts["printed"].notna().all()


def test_plain_facts_are_codes_and_the_view_words_them_in_each_language(data):
    # not_checkable takes no language: its columns hold ids, codes and the registry's statements in both languages
    assert "lang" not in inspect.signature(claims.not_checkable).parameters
    facts = claims.not_checkable(data)
    assert list(facts.columns) == ["source", "printed", "claim", "entity", "indicator", "statement_zh",
                                   "statement_en", "why"]
    assert set(facts["why"]) <= {"date", "unlisted", "plain", "not_printed"}
    rows = facts.set_index(["source", "printed"])
    # 二3 prints Nanshan's 92 listed innovative enterprises once (observations.csv), read by no claim: a plain fact
    assert rows.loc[("二3", "92家")].to_dict() == {"claim": "", "entity": "南山区", "indicator": "listed_innovative_firms",
                                                  "statement_zh": "", "statement_en": "", "why": "plain"}
    # claims.csv's p_date_hubei_pilot_2013 (kind date, no basis): its statements as the registry gives them
    assert rows.loc[("一(一)3", "2013年")].to_dict() == {
        "claim": "p_date_hubei_pilot_2013", "entity": "", "indicator": "",
        "statement_zh": "2013年湖北省开始创建“国家创新型试点省份”",
        "statement_en": "Hubei began building a national innovative pilot province in 2013.", "why": "date"}
    # the reader's view of one and the same frame, in each language (row for row)
    at = list(zip(facts["source"], facts["printed"])).index(("二3", "92家"))
    assert views.facts_view(facts, data, "en").iloc[at].tolist() == [
        "II.3", "92家", "Listed innovative enterprises, Nanshan District",
        "A single number printed once, asserting no relation to another: a plain fact, not a claim."]
    assert views.facts_view(facts, data, "zh").iloc[at].tolist() == [
        "二3", "92家", "南山区创新型上市企业", "只印一次的单个数字，不与其他数字构成关系：不是论断。"]
    date = list(zip(facts["source"], facts["printed"])).index(("一(一)3", "2013年"))
    assert views.facts_view(facts, data, "en").iloc[date].tolist() == [
        "I(1).3", "2013年", "Hubei began building a national innovative pilot province in 2013.",
        "A date of an outside event: the report prints nothing to check it against."]
    assert views.facts_view(facts, data, "zh").iloc[date].tolist() == [
        "一(一)3", "2013年", "2013年湖北省开始创建“国家创新型试点省份”", "外部事件的日期：报告中没有可对照的数字。"]


def test_an_observation_of_an_entity_entities_csv_does_not_name_is_shown_by_its_id(data):
    # SYNTHETIC: an observation of an entity missing from entities.csv (load() would refuse it; a Dataset built
    # in code need not): its 'what' names the entity by its id, "{indicator}, {entity}" in English
    row = data.observations.iloc[0].to_dict() | {"entity": "SYNTHETIC_无名区", "indicator": "gdp", "year": 2015,
                                                  "value": 1.0, "printed": "1", "qualifier": "", "source": "二1"}
    synthetic = dataclasses.replace(data, tables={**data.tables, "observations": pd.concat(
        [data.observations, pd.DataFrame([row])], ignore_index=True)})
    facts = claims.not_checkable(synthetic)
    view = views.facts_view(facts, synthetic, "en")
    mask = ((facts["source"] == "二1") & (facts["printed"] == "1")).to_numpy()
    assert facts[mask][["entity", "indicator"]].values.tolist() == [["SYNTHETIC_无名区", "gdp"]]
    assert view[mask]["What is printed"].tolist() == ["Gross regional product, SYNTHETIC_无名区"]


# ---------------------------------------------------------------- claims: a malformed row, named exactly

CHECK_LIST = "['recompute', 'condition', 'implies']"
BASIS_LIST = "['recomputed', 'restated', 'counted', 'compared', 'bounded', 'derived', 'self', 'none']"


@pytest.mark.parametrize("fields, problem, expected", [
    ({"check": "guess", "rule": "1 < 2"}, "check = 'guess'", f"one of {CHECK_LIST} or empty"),
    ({"check": "condition", "rule": ""}, "check = 'condition' with rule empty", "a rule exactly when check is set"),
    ({"check": "", "rule": "1 < 2"}, "check = '' with rule given", "a rule exactly when check is set"),
    ({"check": "condition", "rule": "1 < 2", "basis": "vibes"}, "basis = 'vibes'",
     f"one of {BASIS_LIST} or empty (a plain fact)"),
    ({"check": "condition", "rule": "1 < 2", "basis": ""}, "a rule without a basis", f"a basis, one of {BASIS_LIST}"),
    ({"check": "condition", "rule": "1 < 2", "basis": "none"}, "basis 'none' with a rule",
     "no rule: nothing in the report bears on the claim"),
    ({"rule_alt": "1 < 2", "basis": "none"}, "rule_alt without rule", "a rule first, then its alternative reading"),
    ({"check": "condition", "rule": "1 < 2", "rule_alt": "2 < 3", "readings": "both"}, "readings = 'both'",
     "one of ['wording', 'printing'], and only with a rule_alt"),
    ({"check": "condition", "rule": "1 < 2", "readings": "printing"}, "readings = 'printing'",
     "one of ['wording', 'printing'], and only with a rule_alt"),
    ({"value": 5, "printed": "5"}, "value 5 without decimals", "the number of decimals printed"),
    ({"check": "recompute", "rule": "1 + 1"}, "check 'recompute' but no printed value", "a value to compare with"),
])
def test_a_malformed_claim_row_is_named_with_its_problem_and_what_was_expected(data, fields, problem, expected):
    # SYNTHETIC rows, each breaking one rule of claims._check_row (the rest well formed: basis compared)
    claim = {"claim": "SYNTHETIC_bad", "statement_zh": "x", "statement_en": "x", "basis": "compared"} | fields
    with pytest.raises(ClaimError) as e:
        narrate.explain_claim(data, claim, "en")
    assert (e.value.claim, e.value.rule, e.value.problem, e.value.expected) == (
        "SYNTHETIC_bad", fields.get("rule", ""), problem, expected)


def test_a_malformed_row_without_an_id_is_named_by_a_question_mark(data):
    with pytest.raises(ClaimError) as e:
        claims.evaluate(data, {"check": "guess", "rule": "1 < 2", "basis": "compared"})
    assert e.value.claim == "?"


# ---------------------------------------------------------------- rules: notes and errors in sentences

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
        " Shi'ao International ('-') may or may not satisfy Investment raised by the teams and firms served ≥ 2500."
        " Duomeng Management Headquarters ('2500 × 10,000 yuan') may or may not satisfy Investment raised by the"
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
        "Duomeng Management Headquarters", "Investment raised by the teams and firms served", "≥", "2500",
        "2500 × 10,000 yuan")
    # a printed value with its qualifier: 南山区's R&D '>200' (qualifier gt, 'greater than' in qualifiers.csv)
    bounded = narrate.note_fields(data, {"printed": ">200", "printed_value": 200, "unit": "亿元", "qualifier": "gt"},
                                  "en")
    assert bounded["printed"] == "greater than 200 × 100 million yuan"
    assert narrate.note_fields(data, {"printed": ">200", "printed_value": 200, "unit": "亿元", "qualifier": "gt"},
                               "zh")["printed"] == ">200"
    unknown = narrate.note_fields(data, {"entity": "SYNTHETIC_x", "indicator": "SYNTHETIC_y", "op": "~", "n": 1}, "en")
    assert unknown == {"entity": "SYNTHETIC_x", "indicator": "SYNTHETIC_y", "op": "~", "n": 1}


@pytest.mark.parametrize("helper, side, where", [("upper", "upper", "above")])
def test_a_bound_of_an_unbounded_interval_is_a_claim_error_naming_it(data, helper, side, where):
    # 南山区's R&D is printed '>200' (亿元): (200, ∞), with no upper end
    rule = f'{helper}(obs("南山区", "rd_expenditure", 2015)) > 100'
    claim = {"claim": "SYNTHETIC_bound", "check": "condition", "basis": "compared", "rule": rule}
    with pytest.raises(ClaimError) as e:
        narrate.explain_claim(data, claim, "en")
    assert (e.value.claim, e.value.rule) == ("SYNTHETIC_bound", rule)
    assert e.value.problem == f"(200, ∞) 亿元 has no {side} bound"
    assert e.value.expected == f"an interval bounded {where}"


def test_the_lower_bound_of_a_number_printed_above_200_is_200(data):
    # lower((200, ∞)) = 200 exactly, and 200 > 100: true ('compared' caps a true statement at consistent)
    claim = {"claim": "SYNTHETIC_lower", "check": "condition", "basis": "compared",
             "rule": 'lower(obs("南山区", "rd_expenditure", 2015)) > 100'}
    assert narrate.explain_claim(data, claim, "en")["verdict"] == "consistent"


GDP = 'obs("武昌区", "gdp", 2015)'                     # 表2: 870 亿元, [869.5, 870.5)
POPULATION = 'obs("武昌区", "resident_population", 2015)'  # 表2: 113 万人, [112.5, 113.5)
MIXED = "cannot convert 万人 (persons) with 亿元 (currency_cny): different dimensions"


@pytest.mark.parametrize("rule, problem", [
    (f"growth({GDP}, {POPULATION})", f"cannot compare [869.5, 870.5) 亿元 with [112.5, 113.5) 万人: {MIXED}"),
    (f"cagr({GDP}, {POPULATION}, 2)", f"cannot compare [869.5, 870.5) 亿元 with [112.5, 113.5) 万人: {MIXED}"),
    (f"share({GDP}, {POPULATION})", "cannot divide [112.5, 113.5) 万人 with [869.5, 870.5) 亿元: "
     "cannot convert 亿元 (currency_cny) with 万人 (persons): different dimensions"),
    (f"{GDP} + {POPULATION}", f"cannot add [869.5, 870.5) 亿元 with [112.5, 113.5) 万人: {MIXED}"),
    (f"{GDP} - {POPULATION}", f"cannot subtract [869.5, 870.5) 亿元 with [112.5, 113.5) 万人: {MIXED}"),
    ('obs("武昌区", "gdp", 2015, "人")', "cannot convert 1 人 with [869.5, 870.5) 亿元: "
     "cannot convert 亿元 (currency_cny) with 人 (persons): different dimensions"),
])
def test_quantities_of_two_dimensions_are_refused_saying_what_was_attempted(data, rule, problem):
    claim = {"claim": "SYNTHETIC_units", "check": "implies", "basis": "derived", "rule": rule}
    with pytest.raises(ClaimError) as e:
        narrate.explain_claim(data, claim, "en")
    assert (e.value.problem, e.value.expected) == (problem, "quantities of one dimension")


@pytest.mark.parametrize("rule, problem, expected", [
    ('total("operating_cost", "makerspace", "SYNTHETIC_nowhere")',
     "no entity of level 'makerspace' under 'SYNTHETIC_nowhere'", "a level and parent present in entities.csv"),
    ('obs("武昌区", "gdp", 2015).lo', '"obs(\'武昌区\', \'gdp\', 2015).lo" (Attribute) is not allowed', GRAMMAR),
    # 870 − 870 read at the printed precision: [869.5, 870.5) − [869.5, 870.5) = (−1, 1), which holds 0
    (f"1 / ({GDP} - {GDP})", "division by (-1, 1), an interval that holds 0",
     "arithmetic that is defined for the intervals involved"),
    ("growth(1)", "growth(): missing a required argument: 'b'", "growth(a, b)"),
    ("growth(1, 'a')", "got 'a' where a number was needed", "a number"),
    ("growth('a', 1)", "got 'a' where a number was needed", "a number"),
    ("growth(obs(", "cannot be parsed ('(' was never closed, column 11)", GRAMMAR),
    ("unknown + 1", "unknown name 'unknown'", "'this' or a call of a helper"),
    ("count_items()", "the claim lists no items", "items in the claim's 'items' column, separated by ';'"),
    ("this + 1", "'this' is used but the claim prints no number", "a value in the claim's row"),
])
def test_a_bad_rule_is_refused_with_its_exact_problem(data, rule, problem, expected):
    claim = {"claim": "SYNTHETIC_rule", "check": "implies", "basis": "derived", "rule": rule}
    with pytest.raises(ClaimError) as e:
        narrate.explain_claim(data, claim, "en")
    assert (e.value.problem, e.value.expected) == (problem, expected)


def test_a_recomputation_is_explained_one_digit_finer_than_printed(data):
    # 表1: patent grants 2154 (2014) and 2826 (2015), whole counts, so exact: 2826 / 2154 − 1 = 31.1977…%, shown
    # one digit finer than the printed 31.2: 31.20%. A printed v is accepted when [v − 0.05, v + 0.05) holds
    # 31.1977…: v in (31.1477…, 31.2477…], shown to 3 decimals: 31.148 to 31.248, one unit wide.
    claim = data.claims.set_index("claim").loc["t1_growth_patents_2015"].to_dict() | {"claim": "t1_growth_patents_2015"}
    out = narrate.explain_claim(data, claim, "en")
    assert out["explanation"] == ("2826 / 2154 − 1 = 31.20%, printed 31.2%: agrees. The check accepts any printed "
                                  "value from 31.148 to 31.248 (1 unit of the last printed digit; the limit is 5).")
    assert out["detail"] == "Recomputed interval 31.1978; printed 31.2% stands for [31.15, 31.25)."


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
    ('total("operating_cost", "makerspace", "武昌区")', {}, "en", "the sum of Operating cost over 11 rows"),
    ('total("operating_cost", "makerspace", "武昌区", exact=True)', {}, "en",
     "the sum of Operating cost over 11 rows (cells exact as printed)"),
    ('total("operating_cost", "makerspace", "武昌区", exact=True)', {}, "zh", "11行运营成本之和（各格按印出值精确）"),
    ('total("gdp", "district", "武汉市")', {}, "en", "the sum of Gross regional product over 1 rows"),
    ('total("SYNTHETIC_unknown", "makerspace", "武昌区")', {}, "en", "the sum of SYNTHETIC_unknown over 11 rows"),
    ('count_where("investment_raised", "==", 0, "makerspace", "武昌区")', {}, "en",
     "the rows of 11 with Investment raised by the teams and firms served = 0"),
    ('count_where("gdp", ">", 800.5, "district", "武汉市")', {}, "zh", "1行中区域总产值 > 800.5 的行数"),
    # a value that is an expression is shown as one (it used to show as 'None'); a string as written
    ('count_where("investment_raised", ">=", 2 * 1000, "makerspace", "武昌区")', {}, "en",
     "the rows of 11 with Investment raised by the teams and firms served ≥ 2 × 1000"),
    ('count_where("investment_raised", ">", this)', {"value": 262}, "en",
     "the rows of 11 with Investment raised by the teams and firms served > 262"),
    # level and parent left out: 表4's 11 makerspaces under 武昌区
    ('total("operating_cost")', {}, "en", "the sum of Operating cost over 11 rows"),
    ('count_where("investment_raised", "==", 0)', {}, "en",
     "the rows of 11 with Investment raised by the teams and firms served = 0"),
    ('count_entities("project")', {}, "en", "the 5 rows listed"),
    ('count_entities("makerspace", "武昌区")', {}, "zh", "表中列出的11行"),
    ("count_items()", ITEMS, "en", "the 4 items listed"),
    ('count_items("zone")', ITEMS, "en", "the 3 items listed"),
    ('count_items("office")', ITEMS, "en", "the 1 item listed"),
    ("lower(this) > 5", {"value": 10, "qualifier": "over"}, "en", "the lower end of ≥10 > 5"),
    ("whole_in(this / 2)", {"value": 7}, "en", "the whole numbers in 7 / 2"),
    ("fractions(this, 100)", {"value": 68.42}, "zh", "给出 68.42 的计数 n/N"),
])
def test_a_formula_shows_printed_numbers_and_words_helpers(data, rule, claim, lang, shown):
    assert formula(data, claim, rule, lang) == shown


# ---------------------------------------------------------------- intervals: power

def test_nan_is_refused_by_name():
    with pytest.raises(IntervalError) as e:
        Interval(math.nan, 1)
    assert str(e.value) == "NaN is not a number an interval can hold"


def test_a_printed_value_without_decimals_or_qualifier_is_a_plain_whole_number():
    # defaults: 0 decimals, no qualifier: 5 stands for [4.5, 5.5)
    assert printed_interval(5) == Interval(Fraction(9, 2), Fraction(11, 2), True, False)


def test_strict_and_inclusive_bounds_of_a_dataset_s_own_qualifiers():
    # SYNTHETIC qualifiers: syn_lt '低于' (strictly below, no precision) and syn_gt '高于' (strictly above):
    # 低于50 is (−∞, 50), 高于50 is (50, ∞); the packaged lt '以下' includes its number: (−∞, 50]
    table = QualifierTable.from_frame(pd.DataFrame({
        "qualifier": ["", "syn_lt", "syn_gt"], "lower": ["value", "", "value"], "upper": ["value", "value", ""],
        "lower_inclusive": ["true", "", "false"], "upper_inclusive": ["true", "false", ""],
        "precision": ["decimals", "", ""]}))
    assert printed_interval(50, 0, "syn_lt", qualifiers=table) == Interval(-math.inf, 50, False, False)
    assert printed_interval(50, 0, "syn_gt", qualifiers=table) == Interval(50, math.inf, False, False)
    assert printed_interval(50, 0, "lt") == Interval(-math.inf, 50, False, True)
    # an observation's value read with the dataset's own table (rules.value_interval), not the packaged one
    assert value_interval(50, 0, "syn_lt", None, "", None, qualifiers=table) == Interval(-math.inf, 50, False, False)


def test_a_large_exact_number_is_shown_with_every_digit():
    # beyond 10^15 a float no longer holds every integer: 10^16 + 1 is shown exactly, not as 10^16
    assert fmt(Fraction(10 ** 16 + 1)) == "10000000000000001"
    assert fmt(Fraction(1683065, 1000)) == "1683.065"


def test_a_root_of_an_interval_from_zero_starts_at_zero():
    # [0, 4] ** (1/2) = [0, 2]: the lower end 0 is exact (0 ** p = 0), the upper one widened by a float step
    r = Interval(0, 4).power(Fraction(1, 2))
    assert r.lo == 0 and r.lo_closed
    assert 2 <= r.hi < Fraction(2) + Fraction(1, 10 ** 12)


def test_a_root_keeps_which_ends_are_closed():
    # a printed interval [4, 9) (closed below, open above): its square root [2, 3) keeps both kinds of end,
    # each end moved outward by one float step
    r = Interval(4, 9, True, False).power(Fraction(1, 2))
    assert (r.lo_closed, r.hi_closed) == (True, False)
    assert Fraction(2) - Fraction(1, 10 ** 12) < r.lo <= 2 and 3 <= r.hi < Fraction(3) + Fraction(1, 10 ** 12)
    r = Interval(4, 9, False, True).power(Fraction(1, 2))
    assert (r.lo_closed, r.hi_closed) == (False, True)


# ---------------------------------------------------------------- strength.band: printed values a check accepts

def test_a_band_bounded_below_only():
    # SYNTHETIC check accepting v ≥ 5, printed 5.8 (unit 0.1). Down: 5.7, 5.6, 5.4, 5.0 accepted (steps 0.1, 0.2,
    # 0.4, 0.8), 4.2 refused; bisecting [4.2, 5.0] keeps 5.0 inside until the gap is 0.8 / 2^13 = 1/10240 ≤ 0.0001
    # (PRECISION of a unit): the edge is the middle, 5 − 1/20480. Up: never refused, unbounded: +∞.
    b = band(lambda v: v >= 5, 5.8, 1)
    assert (b.low, b.high, b.unit) == (Fraction(102399, 20480), math.inf, Fraction(1, 10))
    assert b.width_units == math.inf and not b.bounded and b.shown(1) == ("5", "")
    assert claims.strength(b) == "one_sided"


def test_a_band_bounded_above_only():
    # SYNTHETIC check accepting v ≤ 7, printed 3 (unit 1). Up: 4, 6 accepted, 10 refused; bisecting [6, 10]:
    # 8 refused, 7 accepted, then 7 stays inside until the gap is 4 / 2^12 = 1/1024: 7 + 1/2048.
    # Down: never refused: −∞.
    b = band(lambda v: v <= 7, 3, 0)
    assert (b.low, b.high) == (-math.inf, Fraction(14337, 2048))
    assert claims.strength(b) == "one_sided"
    assert claims.strength(band(lambda v: True, 3, 0)) == "open"


def test_a_band_stops_at_the_floor():
    # floor 0 (a positive count cannot be negative). Accepting everything: down 2, 1, then −1 is below the floor
    # and 0 is accepted: no lower bound (−∞). Accepting v ≥ 0.5: 0 is refused, so the search bisects [0, 1]:
    # 0.5 accepted, then 0.5 stays inside until the gap is 1/1024: the edge is 0.5 − 1/2048.
    assert band(lambda v: True, 3, 0, floor=0).low == -math.inf
    assert band(lambda v: v >= Fraction(1, 2), 3, 0, floor=0).low == Fraction(1023, 2048)
    # accepting v > 1: 2 accepted, 1 refused (above the floor): bisecting [1, 2] to 1/1024: 1 + 1/2048
    assert band(lambda v: v > 1, 3, 0, floor=0).low == Fraction(2049, 2048)


def test_a_band_on_the_printing_grid():
    # SYNTHETIC scattered check accepting the printed values 2, 3, 4 and 8: around 3, the run 2–4; edges half
    # a unit beyond: [1.5, 4.5], 3 units wide
    b = band(lambda v: v in (2, 3, 4, 8), 3, 0, grid=True)
    assert (b.low, b.high, b.width_units, b.bounded) == (Fraction(3, 2), Fraction(9, 2), 3.0, True)
    assert claims.strength(b) == "tight"
    # accepted everywhere: down to the floor (−∞ below), and all 50 steps up (+∞)
    b = band(lambda v: True, 3, 0, floor=0, grid=True)
    assert (b.low, b.high) == (-math.inf, math.inf)
    # a printed value the check refutes has no band
    assert band(lambda v: v != 3, 3, 0) is None and band(lambda v: v != 3, 3, 0, grid=True) is None


# ---------------------------------------------------------------- views.audit_view: optional columns

def test_the_view_of_an_audit_without_bands_has_an_empty_band_per_row(data):
    # SYNTHETIC two-row audit frame without band_low, band_high, decimals, basis or detail (all optional), on a
    # non-default index: two rows come out, each with an empty band
    frame = pd.DataFrame({"source": ["表2", "二1"], "statement_zh": ["甲", "乙"], "statement_en": ["A", "B"],
                          "printed": ["1", "2"], "verdict": ["reproduced", "inconsistent"],
                          "explanation_en": ["x", "y"]}, index=[7, 3])
    view = views.audit_view(frame, "en")
    assert len(view) == 2
    assert view.iloc[:, 5].tolist() == ["", ""]  # VIEW_COLUMNS[5] is the band
    assert view.iloc[:, 1].tolist() == ["A", "B"]
    assert view.iloc[:, 6].tolist() == ["x", "y"] and view.iloc[:, 7].tolist() == ["", ""]  # explanation, detail


# ---------------------------------------------------------------- external: the packaged checks

@pytest.fixture(scope="module")
def checks(data, ext):
    return external.external_checks(data, ext)


def test_before_is_the_first_pass_verdict_of_each_linked_claim(checks):
    before = checks.drop_duplicates("item").set_index("item")["before"]
    # p_rd_intensity_above_wuhan: basis 'compared' caps the true 3.1 > 2.9 at consistent;
    # t2_rd_intensity_nanshan: 'bounded' (only R&D > 200 is printed) at implied; p_academicians_share_hubei:
    # 'derived' (the whole behind 38%) at implied; report cells some claim reads: claim_input
    assert before["p_rd_intensity_above_wuhan"] == "consistent"
    assert before["t2_rd_intensity_nanshan"] == "implied"
    assert before["p_academicians_share_hubei"] == "implied"
    assert before["南山区/gdp/2015"] == "claim_input"
    # newly checked: implied before, a same-year published figure agrees now
    newly = checks.drop_duplicates("item").set_index("item")["newly_checked"]
    assert newly["t2_rd_intensity_nanshan"] and newly["p_academicians_share_hubei"]
    assert not newly["p_rd_intensity_above_wuhan"] and not newly["南山区/gdp/2015"]


def test_each_check_is_of_a_claim_or_of_a_cell(checks):
    kinds = checks.drop_duplicates("item").set_index("item")["kind"]
    # three linked claims (claim_links.csv), four report cells with a published counterpart
    assert sorted(kinds[kinds == "claim"].index) == ["p_academicians_share_hubei", "p_rd_intensity_above_wuhan",
                                                     "t2_rd_intensity_nanshan"]
    assert sorted(kinds[kinds == "cell"].index) == ["余杭区/gdp/2015", "南山区/gdp/2015", "南山区/rd_intensity/2015",
                                                    "武汉市/rd_intensity/2015"]
    summary = external.external_summary(checks)
    assert summary.loc["cell", "all"] == 4 and summary.loc["claim", "all"] == 3


# ---------------------------------------------------------------- external: SYNTHETIC published figures

def synthetic_ext(ext, rows: list[dict], links: list[dict] | None = None):
    """The external data with only the SYNTHETIC observations ``rows`` (each a template row of a real source with
    the given fields) and the packaged claim links, or ``links``."""
    template = ext.observations.iloc[0].to_dict() | {"year_start": None, "value_high": None, "qualifier": "",
                                                     "note": "SYNTHETIC", "quote": "SYNTHETIC"}
    observations = pd.DataFrame([template | r for r in rows])
    claim_links = ext.claim_links if links is None else pd.DataFrame(links)
    return dataclasses.replace(ext, observations=observations, claim_links=claim_links)


def one(checks, item):
    hit = checks[checks["item"] == item]
    assert len(hit) == 1, (item, len(hit))
    return hit.iloc[0]


def test_a_published_figure_is_read_at_its_own_printed_decimals(data, ext):
    # SYNTHETIC: Wuhan's 2015 R&D intensity published as "3.00" stands for [2.995, 3.005), not [2.5, 3.5): it
    # misses the report's 2.9% = [2.85, 2.95), so the pair differs by 3.00 − 2.9 = 0.1
    synthetic = synthetic_ext(ext, [{"entity": "武汉市", "indicator": "rd_intensity", "year": 2015, "value": 3.0,
                                     "unit": "%", "printed": "3.00"}])
    checks = external.external_checks(data, synthetic)
    for item in ("武汉市/rd_intensity/2015", "p_rd_intensity_above_wuhan"):
        row = one(checks, item)
        assert row["verdict"] == "differs" and row["difference"] == pytest.approx(0.1)


def test_a_printed_zero_has_a_difference_but_no_relative_difference(data, ext):
    # SYNTHETIC: 5.5SPACE's investment raised, printed 0 (万元) in 表4, published as 0: they agree, the difference
    # is 0 and there is no relative difference (nothing to divide by)
    synthetic = synthetic_ext(ext, [{"entity": "5.5SPACE", "indicator": "investment_raised", "year": 2015,
                                     "value": 0.0, "unit": "万元", "printed": "0"}])
    row = one(external.external_checks(data, synthetic), "5.5SPACE/investment_raised/2015")
    assert row["verdict"] == "agrees" and row["difference"] == 0
    assert row["relative"] is None or math.isnan(row["relative"])


def test_a_report_cell_keeps_its_qualifier(data, ext):
    # SYNTHETIC: Nanshan's R&D published as 215.5亿元 = [215.45, 215.55); the report prints '>200', i.e. (200, ∞):
    # they agree (read without its '>', 200 would be [199.5, 200.5) and differ); difference 215.5 − 200 = 15.5
    synthetic = synthetic_ext(ext, [{"entity": "南山区", "indicator": "rd_expenditure", "year": 2015, "value": 215.5,
                                     "unit": "亿元", "printed": "215.5亿元"}])
    row = one(external.external_checks(data, synthetic), "南山区/rd_expenditure/2015")
    assert row["verdict"] == "agrees" and row["difference"] == pytest.approx(15.5)


def test_a_share_of_a_published_whole_in_percent(data, ext):
    # SYNTHETIC: Wuchang's GDP published as 860亿元, [859.5, 860.5); the report's R&D 26.97亿元 is [26.965, 26.975).
    # R&D / GDP × 100 lies in [26.965 / 860.5, 26.975 / 859.5) × 100 = [3.1336, 3.1385), inside the printed
    # 3.1's [3.05, 3.15): agrees. The point value 26.97 / 860 × 100 = 3.13605 (shown to 4 significant digits),
    # 0.03605 above the printed 3.1. The report's own GDP cell, 870 = [869.5, 870.5), misses [859.5, 860.5):
    # it differs by 860 − 870 = −10.
    synthetic = synthetic_ext(ext, [{"entity": "武昌区", "indicator": "gdp", "year": 2015, "value": 860.0,
                                     "unit": "亿元", "printed": "860亿元"}],
                              [{"claim": "t2_rd_intensity_wuchang", "how": "share", "entity": "武昌区",
                                "indicator": "gdp", "part_entity": "武昌区", "part_indicator": "rd_expenditure",
                                "scope": "same", "note": "SYNTHETIC"}])
    checks = external.external_checks(data, synthetic)
    share = one(checks, "t2_rd_intensity_wuchang")
    assert (share["kind"], share["year"], share["external_year"]) == ("claim", 2015, 2015)
    assert (share["external_printed"], share["external_unit"]) == ("26.97/860 = 3.136%", "%")
    assert external_views.worded(checks, data, synthetic, "en").loc[share.name, "published"] == "26.97/860 = 3.136%"
    assert share["verdict"] == "agrees" and share["difference"] == pytest.approx(0.036047, abs=1e-6)
    cell = one(checks, "武昌区/gdp/2015")
    assert cell["verdict"] == "differs" and cell["difference"] == pytest.approx(-10)


def test_a_linked_series_the_report_does_not_print_speaks_of_the_report_year(data, ext):
    # SYNTHETIC: 南山区's 5.8% linked to a published R&D intensity of 深圳市, a series the report prints for no
    # year: the claim speaks of the report's year, 2015; "4.20" = [4.195, 4.205) misses [5.75, 5.85) and is of
    # another place: context
    synthetic = synthetic_ext(ext, [{"entity": "深圳市", "indicator": "rd_intensity", "year": 2015, "value": 4.2,
                                     "unit": "%", "printed": "4.20"}],
                              [{"claim": "t2_rd_intensity_nanshan", "how": "value", "entity": "深圳市",
                                "indicator": "rd_intensity", "part_entity": None, "part_indicator": None,
                                "scope": "other", "note": "SYNTHETIC"}])
    row = one(external.external_checks(data, synthetic), "t2_rd_intensity_nanshan")
    assert (row["year"], row["external_year"], row["verdict"]) == (2015, 2015, "context")
    assert row["difference"] == pytest.approx(4.2 - 5.8)


def test_a_linked_plain_fact_is_read_at_its_printed_decimals(data, ext):
    # SYNTHETIC plain fact (no basis, so no first-pass verdict) printed "2.90%" with no decimals column: its
    # printed text gives 2 decimals, [2.895, 2.905); Wuhan's 2015 R&D intensity published as 2.95 = [2.945, 2.955)
    # misses it: differs by 2.95 − 2.9 = 0.05 (read at 1 decimal, [2.85, 2.95), it would agree). Before: a
    # plain fact.
    fact = {c: None for c in data.claims.columns} | {
        "claim": "SYNTHETIC_fact", "section": "二", "source": "二1", "kind": "ratio", "statement_zh": "SYNTHETIC",
        "statement_en": "SYNTHETIC", "printed": "2.90%", "value": 2.9, "decimals": None, "unit": "%",
        "qualifier": "", "check": "", "basis": "", "rule": "", "rule_alt": ""}
    synthetic_data = dataclasses.replace(data, tables={**data.tables, "claims": pd.concat(
        [data.claims, pd.DataFrame([fact])], ignore_index=True)})
    synthetic = synthetic_ext(ext, [{"entity": "武汉市", "indicator": "rd_intensity", "year": 2015, "value": 2.95,
                                     "unit": "%", "printed": "2.95"}],
                              [{"claim": "SYNTHETIC_fact", "how": "value", "entity": "武汉市",
                                "indicator": "rd_intensity", "part_entity": None, "part_indicator": None,
                                "scope": "same", "note": "SYNTHETIC"}])
    row = one(external.external_checks(synthetic_data, synthetic), "SYNTHETIC_fact")
    assert (row["year"], row["verdict"], row["before"], row["newly_checked"]) == (2015, "differs", "plain_fact", True)
    assert row["difference"] == pytest.approx(0.05)
