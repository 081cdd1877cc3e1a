"""Everything the claims audit shows a reader is in the reader's language: an English audit has no Chinese
outside the columns headed as the original, neither language shows indicator ids or unit codes, entity names,
units, report locations and printed values are worded for the reader (issue "What readers see is right in
every variant", item 4). Expected texts are written out by hand from the report's numbers.

claims.audit, not_checkable and compare_printed take no focus: the audit reads the whole report whichever
district a notebook puts first, so one audit per language covers the focus 武昌区 and 南山区 alike (the test
below runs the reader views for both and checks they are the same)."""
from __future__ import annotations

import csv
import re

import pandas as pd
import pytest

from analysis_utils.audit import claims
from analysis_utils.audit.intervals import Interval
from analysis_utils.audit.rules import Step, Term
from analysis_utils.labels import text
from analysis_utils.paths import DATA_DIR
from analysis_utils.report import audit_views as views
from analysis_utils.report import narrate
from analysis_utils.report.narrate import step_text
from analysis_utils.report.printed import printed_text, unit_label

CJK = re.compile("[\u4e00-\u9fff]")
INDICATORS = [r["indicator"] for r in csv.DictReader(open(DATA_DIR / "indicators.csv", encoding="utf-8"))]
# In English prose 'academicians', 'makerspaces' and 'area' are words; ids with '_' (and 'gdp') are never prose.
MACHINE_IDS = [i for i in INDICATORS if "_" in i or i == "gdp"]
ORIGINAL = {"en": "As printed (original Chinese)", "zh": "原文数字"}  # the one column that quotes the report


def _ids_in(texts, ids) -> list[str]:
    pattern = re.compile(r"(?<![A-Za-z_])(" + "|".join(map(re.escape, ids)) + r")(?![A-Za-z_])")
    return [t for t in texts if pattern.search(str(t))]


@pytest.fixture(scope="module")
def audits(data):
    """narrate.audit_table (codes, numbers, and the texts in both languages) per reader language, with that
    language's texts also under 'explanation' and 'detail' (the views read explanation_<lang>, detail_<lang>)."""
    table = narrate.audit_table(data).set_index("claim")
    return {lang: table.assign(explanation=table[f"explanation_{lang}"], detail=table[f"detail_{lang}"])
            for lang in ("zh", "en")}


def facts_what(data, lang) -> list[str]:
    """What each plain fact is, in ``lang`` (report.audit_views.facts_view's column audit.what)."""
    return list(views.facts_view(claims.not_checkable(data), data, lang)[text("audit.what", lang)])


# ---------------------------------------------------------------- whole outputs

def _english_frames(data, audit):
    frames = {"audit_view": views.audit_view(audit.reset_index(), "en"),
              "notable": views.notable(audit.reset_index(), "en"),
              "facts_view": views.facts_view(claims.not_checkable(data), data, "en"),
              "audit": audit.reset_index()[["explanation", "detail", "statement_en", "rule_label"]]}
    for n in (1, 4, 5):
        frames[f"compare_{n}"] = claims.compare_printed(data, n).drop(columns=["claim", "statement_zh"])
    return frames


def test_english_audit_has_chinese_only_in_the_column_of_the_original(data, audits):
    for name, frame in _english_frames(data, audits["en"]).items():
        assert not [c for c in frame.columns if CJK.search(str(c))], name
        for column in frame.columns:
            if column == ORIGINAL["en"]:
                continue
            bad = [v for v in frame[column].astype(str) if CJK.search(v)]
            assert not bad, (name, column, bad[:3])


def test_the_original_column_is_headed_as_the_original(data, audits):
    for lang in ("zh", "en"):
        assert ORIGINAL[lang] in list(views.audit_view(audits[lang].reset_index(), lang).columns)
        assert ORIGINAL[lang] in list(views.facts_view(claims.not_checkable(data), data, lang).columns)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_indicator_id_in_any_sentence(data, audits, lang):
    audit = audits[lang]
    sentences = list(audit["explanation"]) + list(audit["detail"]) + list(audit[f"statement_{lang}"])
    sentences += facts_what(data, lang)
    # a Chinese sentence has no Latin id at all; an English one none of the ids that are no English word
    assert _ids_in(sentences, INDICATORS if lang == "zh" else MACHINE_IDS) == []
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
    # 表2: 18 (项/万人) × 113 万人 = 2034; 17.5 × 112.5 = 1968.75 to 18.5 × 113.5 = 2099.75 (open above)
    assert audits["en"].loc["t2_patent_stock_wuchang", "explanation"] == (
        "Printed 18 items per 10000 residents implies invention patents in force in Wuchang District (items): "
        "2034 [1968.75, 2099.75); the report prints nothing to check it against. The check accepts any printed value.")
    assert audits["en"].loc["t2_patent_stock_wuchang", "statement_en"] == \
        "Wuchang District owns 18 invention patents per 10,000 residents."


def test_english_units_are_singular_after_one(audits):
    en = audits["en"]
    # 表3: one national-1000 talent in Wuchang against 128 (Nanshan) and 84 (Yuhang)
    assert en.loc["p_talent_national_1000_fewer", "detail"] == "1 person < 128 persons ✓; 1 person < 84 persons ✓"
    # 11 makerspaces counted: a band of 10.5–11.5 is one unit of the last digit; 291亿元 is printed at 290–292
    assert "(1 unit of the last printed digit; the limit is 5)" in en.loc["t2_makerspaces_wuchang_11", "explanation"]
    assert "(2 units of the last printed digit; the limit is 5)" in en.loc["p_high_tech_output_291", "explanation"]
    assert "printed 291 × 100 million yuan: agrees" in en.loc["p_high_tech_output_291", "explanation"]


def test_english_printed_values_and_missing_cells(audits):
    en = audits["en"]
    # 一(二)1 prints 近1万人: at most 1万, at one significant digit [0.5, 1]; 表3's 约1万人 gives [0.5, 1.5)
    assert en.loc["p_researchers_nearly_10k", "detail"] == \
        "Recomputed interval [0.5, 1.5); printed nearly 1 × 10,000 persons stands for [0.5, 1]."
    # 表2 prints '-' for Yuhang's R&D intensity
    assert en.loc["p_gap_rd_intensity_yuhang", "explanation"] == \
        "3.1 < -: cannot be decided (Yuhang District's R&D intensity for 2015 is printed '-')."
    # 表4: 世鳌国际 prints '-' for investment raised; 最高可获得1亿元 against 1000万元
    assert "Shi'ao International ('-') may or may not satisfy Investment raised by the teams and firms served = 0." \
        in en.loc["p_makerspaces_without_investment", "explanation"]
    assert en.loc["p_yuhang_case_by_case_1yi", "detail"] == "1000 ten thousand yuan ≤ 1 hundred million yuan ✓"


# ---------------------------------------------------------------- hand-written texts, Chinese

def test_chinese_texts_name_indicators_in_chinese(audits):
    zh = audits["zh"]
    assert zh.loc["p_gap_rd_intensity_yuhang", "explanation"] == "3.1 < -：无法判定（余杭区2015年年度研发投入占比印为“-”）。"
    assert "世鳌国际（“-”）可能满足也可能不满足 服务的团队及企业当年获得投资总额 = 0。" in \
        zh.loc["p_makerspaces_without_investment", "explanation"]
    assert zh.loc["p_yuhang_case_by_case_1yi", "detail"] == "1000 万元 ≤ 1 亿元 ✓"
    assert zh.loc["p_researchers_nearly_10k", "detail"] == "重算区间 [0.5, 1.5)；原文 近1万人 代表 [0.5, 1]。"
    assert "（1 个末位单位；上限 5）" in zh.loc["t2_makerspaces_wuchang_11", "explanation"]


# ---------------------------------------------------------------- the helpers

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


def test_a_trace_step_in_both_languages(data):
    step = Step(Term(Interval.point(74), "家"), "<=", Term(Interval.point(1641), "家"), True)
    assert step_text(data, step, "en") == "74 establishments ≤ 1641 establishments ✓"
    assert step_text(data, step, "zh") == "74 家 ≤ 1641 家 ✓"


def test_plain_facts_view(data):
    view = views.facts_view(claims.not_checkable(data), data, "en")
    assert list(view.columns) == [text("audit.source", "en"), ORIGINAL["en"], "What is printed", "Why it is not a claim"]
    assert "Table 2" in set(view["Location"]) and "I(1).2" in set(view["Location"])
    zh = views.facts_view(claims.not_checkable(data), data, "zh")
    assert "表2" in set(zh["位置"]) and list(zh.columns)[1] == "原文数字"


def test_printed_vs_recomputed_statements_in_english(data):
    t4 = claims.compare_printed(data, 4)
    assert not t4["statement_en"].str.contains(CJK).any()
    english = t4.drop(columns=["claim", "statement_zh"])
    assert not _ids_in(english.astype(str).stack(), MACHINE_IDS + list(t4["claim"]))


def test_english_texts_of_the_registry_are_english(data):
    """claims.csv's English statement and rule label are data, read by every English audit sentence."""
    registry = claims.registry(data)
    for column in ("statement_en", "rule_label"):
        bad = [t for t in registry[column].fillna("") if CJK.search(t) or re.search(r"\brd\b", t)]
        assert not bad, (column, bad)
    # 表3's 约1万人 and 表2's (项) in English words
    labels = registry.set_index("claim")["rule_label"]
    assert labels["p_researchers_nearly_10k"] == "researchers printed in Table 3 (approximately 10000 persons)"
    assert labels["t2_patent_stock_nanshan"] == "invention patents in force in Nanshan District (items)"


def test_plain_facts_name_the_district_and_the_indicator(data):
    # 二3 prints Nanshan's 92 listed innovative enterprises once; no claim reads it
    facts = claims.not_checkable(data)  # codes: the district and the indicator by id
    assert facts[(facts["source"] == "二3") & (facts["printed"] == "92家")][["entity", "indicator"]].values.tolist() \
        == [["南山区", "listed_innovative_firms"]]
    whats_en, whats_zh = set(facts_what(data, "en")), set(facts_what(data, "zh"))
    assert "Listed innovative enterprises, Nanshan District" in whats_en and "南山区创新型上市企业" in whats_zh
    assert not _ids_in(list(whats_en) + list(whats_zh), MACHINE_IDS)


def test_a_cell_printed_dash_is_not_called_a_number(data):
    """表2 prints '-' for Yuhang's high-tech output and R&D expenditure, 表3 for its researchers: not checkable
    because there is no number, not 'a single number printed once'."""
    from analysis_utils.audit.claims import not_checkable

    facts = not_checkable(data)
    blank = facts["printed"] == "-"
    assert sorted(facts.loc[blank, "source"]) == ["表2", "表2", "表3"]
    assert set(facts.loc[blank, "why"]) == {"not_printed"}
    assert "not_printed" not in set(facts.loc[~blank, "why"])
    for lang, why in (("en", "The report prints “-” here: there is no number to check."),
                      ("zh", "报告此格印为“-”：没有数字，无从核对。")):
        shown = views.facts_view(facts, data, lang)[text("audit.why", lang)]
        assert set(shown[blank.to_numpy()]) == {why}
        assert why not in set(shown[~blank.to_numpy()])
