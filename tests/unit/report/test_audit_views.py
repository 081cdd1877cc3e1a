"""report/audit_views.py: the claims audit laid out for readers (which rows, in which order, which language), and the
plain facts (claims.not_checkable) worded in each language.

A small audit frame is built here by hand (SYNTHETIC claims), so the expected rows and their order
follow from the frame, not from the code. Column headers are only checked for their language; the views of the
real audit have Chinese, in English, only in the column headed as the original."""
from __future__ import annotations

import dataclasses
import inspect

import pandas as pd
import pytest

from analysis_utils import labels
from analysis_utils.audit import claims
from analysis_utils.errors import AnalysisError
from analysis_utils.labels import text
from analysis_utils.report import audit_views as views
from tests._support.language import CJK

VERDICTS = ["reproduced", "consistent", "inconsistent", "implied", "unverifiable"]


@pytest.fixture
def audit():
    rows = [  # claim, source, verdict
        ("SYN-1", "表1", "reproduced"), ("SYN-2", "表2", "implied"), ("SYN-3", "表1", "inconsistent"),
        ("SYN-4", "二1", "unverifiable"), ("SYN-5", "表2", "inconsistent"), ("SYN-6", "表1", "implied"),
        ("SYN-7", "表5", "consistent"),
    ]
    return pd.DataFrame({
        "claim": [r[0] for r in rows], "source": [r[1] for r in rows], "verdict": [r[2] for r in rows],
        "statement_zh": [f"陈述{r[0]}" for r in rows], "statement_en": [f"statement {r[0]}" for r in rows],
        "printed": ["28.7", "3.1", "63.3", "约1万", ">200", "18", "1.52"],
        "recomputed": ["28.66", "", "63.30", "", "", "", ""],
        "explanation_zh": [f"理由{r[0]}" for r in rows], "detail_zh": [f"细节{r[0]}" for r in rows],
        "explanation_en": [f"why {r[0]}" for r in rows], "detail_en": [f"detail {r[0]}" for r in rows], "section": ["一"] * 7,
        "basis": ["recomputed", "derived", "recomputed", "none", "bounded", "derived", "compared"],
        "band_low": [28.6053, float("nan"), 63.5, float("nan"), 5.33, float("-inf"), float("-inf")],
        "band_high": [28.7053, float("nan"), 63.6, float("nan"), float("inf"), float("inf"), 1.6],
    }, index=[10, 11, 12, 13, 14, 15, 16])


def test_verdict_label_languages():
    for verdict in VERDICTS:
        zh, en = views.verdict_label(verdict, "zh"), views.verdict_label(verdict, "en")
        assert CJK.search(zh) and not CJK.search(en) and zh != en
    assert len({views.verdict_label(v, "zh") for v in VERDICTS}) == 5  # five distinct labels
    for lang in ("zh", "en"):  # an unknown verdict is an error naming the missing catalogue key, not passed through
        with pytest.raises(AnalysisError, match="verdict.SYNTHETIC_unknown"):
            views.verdict_label("SYNTHETIC_unknown", lang)


def test_audit_view_one_row_per_claim_in_the_chosen_language(audit):
    for lang in ("zh", "en"):
        view = views.audit_view(audit, lang)
        assert view.shape == (7, 8) and list(view.index) == list(range(7))
        where = audit["source"].tolist() if lang == "zh" else [labels.location(c, "en") for c in audit["source"]]
        assert view.iloc[:, 0].tolist() == where                            # where (表1 -> Table 1 in en)
        statements = audit["statement_zh" if lang == "zh" else "statement_en"].tolist()
        assert view.iloc[:, 1].tolist() == statements                       # what
        assert view.iloc[:, 2].tolist() == audit["printed"].tolist()        # as printed
        assert view.iloc[:, 3].tolist() == [views.verdict_label(v, lang) for v in audit["verdict"]]
        assert view.iloc[:, 5].tolist() == ["28.6053–28.7053", "", "63.5–63.6", "", "≥5.33", "(−∞, ∞)", "≤1.6"]
        assert view.iloc[:, 6].tolist() == audit[f"explanation_{lang}"].tolist()  # the reader's language only
        assert view.iloc[:, 7].tolist() == audit[f"detail_{lang}"].tolist()
        assert not any(str(x).startswith("SYN-") for x in view.to_numpy().ravel())  # no internal ids
    assert not any(CJK.search(c) for c in views.audit_view(audit, "en").columns)
    assert not any(CJK.search(b) for b in views.audit_view(audit, "en").iloc[:, 4])
    assert all(CJK.search(c) for c in views.audit_view(audit, "zh").columns)
    assert "section" not in views.audit_view(audit, "en").columns  # only the reader's columns


def test_notable_puts_inconsistent_first_then_implied_in_audit_order(audit):
    view = views.notable(audit, "en")
    # inconsistent: SYN-3, SYN-5 (audit order); implied: SYN-2, SYN-6; consistent: SYN-7; the rest left out
    assert view.iloc[:, 6].tolist() == ["why SYN-3", "why SYN-5", "why SYN-2", "why SYN-6", "why SYN-7"]
    assert list(view.index) == [0, 1, 2, 3, 4]


def test_notable_shows_what_published_figures_imply_beside_the_verdict(audit):
    view = views.notable(audit, "zh", {"SYN-5": "外部：56/33 = 169.7%", "SYN-1": "not notable"})
    assert list(view.columns)[-1] == "已公布数字所示（外部来源）"
    # rows SYN-3, SYN-5, SYN-2, SYN-6, SYN-7: only SYN-5 has a text; SYN-1 (reproduced) is not among them
    assert view.iloc[:, -1].tolist() == ["", "外部：56/33 = 169.7%", "", "", ""]
    assert len(views.notable(audit, "en").columns) == len(views.VIEW_COLUMNS)  # nothing beside: no column


def test_at_location(audit):
    assert views.at_location(audit, "表1", "en").iloc[:, 6].tolist() == ["why SYN-1", "why SYN-3", "why SYN-6"]
    assert views.at_location(audit, "二1", "en").iloc[:, 6].tolist() == ["why SYN-4"]
    assert views.at_location(audit, "二1", "zh").iloc[:, 6].tolist() == ["理由SYN-4"]
    assert views.at_location(audit, "表9", "en").empty


def test_views_of_the_real_audit(data, claims_audit):
    audit = claims_audit  # claims.audit(data)
    view = views.audit_view(audit, "en")
    assert len(view) == (data.claims["basis"].fillna("") != "").sum()  # one row per claim, plain facts apart
    notable = views.notable(audit, "en")
    expected = int(audit["verdict"].isin(["inconsistent", "implied", "consistent"]).sum())
    assert len(notable) == expected


def test_english_audit_view_names_report_places_in_english(audit):
    """'表2' in an English table read 'Table 2' nowhere else; the place is in the reader's language too."""
    en = views.audit_view(audit, "en")
    assert not en.iloc[:, 0].astype(str).str.contains(CJK).any()
    zh = views.audit_view(audit, "zh")
    assert list(zh.iloc[:, 0]) == list(audit["source"])  # zh: as the report prints it


def test_printed_vs_recomputed_shows_an_exact_value_as_a_number_and_an_interval_as_one(data):
    """表5's shares: 37 / 2440 and 12 / 386 are exact (their interval is one number: shown as the number, said to be
    exact), 119247 / 15762363 千元 is recomputed as an interval (shown as one, in its unit); 表4's totals are exact
    sums of 万元 shown with grouped digits (in Chinese) or as amounts in yuan (in English)."""
    from analysis_utils.audit import claims

    table5 = views.printed_vs_recomputed(claims.compare_printed(data, 5), data, "en")
    assert list(table5.columns) == ["Statement", "As printed (original Chinese)", "Recomputed (as printed)",
                                    "Recomputed value (exact, or the interval it lies in)", "Agrees"]
    # a percentage follows its number as '3.1%' does everywhere in English; an interval's bracket after a space
    assert table5.iloc[:, 3].tolist() == ["1.51639% (exact)", "3.10881% (exact)", "(0.756527, 0.756533) %"]
    assert table5.iloc[:, 4].tolist() == ["yes", "yes", "yes"]
    table4 = views.printed_vs_recomputed(claims.compare_printed(data, 4), data, "zh")
    assert table4.iloc[:, 3].tolist() == ["1,683.07 万元（精确）", "452.71 万元（精确）", "6,462 万元（精确）"]
    # in English the sums of 万元 are amounts in yuan: 1683.07 × 10,000 = 16,830,700 = 16.8307 million,
    # 452.71 × 10,000 = 4,527,100 = 4.5271 million, 6462 × 10,000 = 64,620,000 = 64.62 million
    table4_en = views.printed_vs_recomputed(claims.compare_printed(data, 4), data, "en")
    assert table4_en.iloc[:, 3].tolist() == ["16.8307 million yuan (exact)", "4.5271 million yuan (exact)",
                                             "64.62 million yuan (exact)"]
    assert table4.columns[3] == "重算值（精确值，或其所在区间）"


# ---------------------------------------------------------------- facts_view: plain facts in each language

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


# ---------------------------------------------------------------- audit_view: optional columns

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


# ---------------------------------------------------------------- the real audit's views in the reader's language
ORIGINAL = {"en": "As printed (original Chinese)", "zh": "原文数字"}  # the one column that quotes the report


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


def test_plain_facts_view(data):
    view = views.facts_view(claims.not_checkable(data), data, "en")
    assert list(view.columns) == [text("audit.source", "en"), ORIGINAL["en"], "What is printed", "Why it is not a claim"]
    assert "Table 2" in set(view["Location"]) and "I(1).2" in set(view["Location"])
    zh = views.facts_view(claims.not_checkable(data), data, "zh")
    assert "表2" in set(zh["位置"]) and list(zh.columns)[1] == "原文数字"


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


def test_a_negative_band_is_written_with_minus_signs_and_a_spaced_dash():
    """Before: '-9.938–-9.838' (a hyphen-minus touching the range dash)."""
    assert views.band_label(-9.938, -9.838, 1) == "−9.938 – −9.838"
    assert views.band_label(-0.5, 2, 1) == "−0.5 – 2"
    assert views.band_label(31.148, 31.248, 1) == "31.148–31.248"  # no minus: unchanged
    assert views.band_label(float("-inf"), -3.2, 1) == "≤−3.2"
