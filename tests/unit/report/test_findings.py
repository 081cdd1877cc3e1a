"""report/findings.py: the generated sentences carry the right numbers, and agree with the tables they summarise for
every district as focus, in both languages.

The wording is not tested (it lives in the language catalogue); the numbers inside the sentences are,
against values worked out by hand from data/observations.csv. A printed percentage passes if it is the
hand value rounded to however many decimals it is printed with, so a change of rounding rule does not
break these tests but a wrong formula does."""
from __future__ import annotations

import re
import shutil

import numpy as np
import pandas as pd
import pytest

from analysis_utils.analysis import compare, growth
from analysis_utils.data.load import load
from analysis_utils.labels import in_sentence
from analysis_utils.paths import DATA_DIR
from analysis_utils.report import findings, report_tables
from analysis_utils.report.names import entity_names, indicator_names, label_rows
from analysis_utils.report.report_tables import gap_view
from tests._support.data import SYNTHETIC_DISTRICT, add_synthetic_district, append_rows

NUMBER = re.compile(r"(?<![A-Za-z0-9_.])-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:\s*%)?")
LANGS = ("zh", "en")


def numbers(sentence: str) -> list[tuple[float, int, bool]]:
    """(value, printed decimals, is a percentage) for every number in ``sentence``."""
    out = []
    for m in NUMBER.finditer(sentence):
        text = m.group(0).replace(",", "")
        percent = text.endswith("%")
        text = text.rstrip("%").strip()
        decimals = len(text.split(".")[1]) if "." in text else 0
        out.append((float(text), decimals, percent))
    return out


def close(printed: tuple[float, int, bool], true: float) -> bool:
    value, decimals, _percent = printed
    return abs(value - true) <= 0.5 * 10 ** -decimals + 1e-9


def has_percent(sentence: str, true_percent: float) -> bool:
    """Some percentage in the sentence is ``true_percent`` at its printed precision."""
    return any(p and close((v, d, p), true_percent) for v, d, p in numbers(sentence))


def has_number(sentence: str, true: float) -> bool:
    return any(close(n, true) for n in numbers(sentence))


def first_number_after(sentence: str, text: str) -> tuple[float, int, bool]:
    """The first number printed after ``text`` (a label) in the sentence."""
    start = sentence.index(text) + len(text)
    return numbers(sentence[start:])[0]


@pytest.mark.parametrize("lang", LANGS)
def test_foundation_numbers_of_table_1(data, lang):
    patents, inventions, share = findings.foundation(data, "武昌区", lang)
    # 专利授权 1532 (2011) -> 2826 (2015): CAGR (2826/1532)^(1/4) - 1 = 1.8446475^0.25 - 1 = 16.54 %,
    # in all 2826/1532 - 1 = 84.46 %
    for value in (1532, 2826, 2011, 2015):
        assert has_number(patents, value), patents
    assert has_percent(patents, 16.5409) and has_percent(patents, 84.4648), patents
    # 发明专利授权 493 -> 970: (970/493)^(1/4) - 1 = 1.9675456^0.25 - 1 = 18.44 %; 970/493 - 1 = 96.75 %
    assert has_number(inventions, 493) and has_number(inventions, 970)
    assert has_percent(inventions, 18.4353) and has_percent(inventions, 96.7546), inventions
    # 2015: 970 / 2826 = 34.32 % of grants are inventions
    assert has_number(share, 2015) and has_percent(share, 34.3241), share
    assert not has_percent(share, 2826 / 970 * 100)  # not the inverse


@pytest.mark.parametrize("lang", LANGS)
def test_ratio_extremes_of_table_2(data, lang):
    ratios = label_rows(compare.table2_ratios(data, "武昌区", ["南山区", "余杭区"], 2015), data, lang)
    nanshan, yuhang = findings.ratio_extremes(ratios, "FOCUS", lang)
    # a name inside a sentence: 'high-tech enterprises' in English (labels.in_sentence)
    labels = ratios.set_index(["entity", "indicator"])["indicator_label"].map(lambda n: in_sentence(n, lang))
    sep = "，" if lang == "zh" else ", "
    # 南山区: all 9 ratios > 1 (smallest R&D share 5.8/3.1 = 1.87), 0 behind; widest high-tech firms 1641/74 = 22.18
    assert sorted(int(v) for v, d, p in numbers(nanshan) if not p and d == 0 and v < 100) == [0, 9, 9]
    assert close(first_number_after(nanshan, labels[("南山区", "high_tech_firms")] + sep), 22.1757)
    # 余杭区: 6 comparable (output, R&D, R&D share printed '-'), 5 ahead, 1 behind (patents per 10k 5.4 < 18);
    # widest innovation carriers 281/34 = 8.26; 武昌区's lead: patents per 10k 18/5.4 = 3.33 (not 0.3)
    # and 3 of the 9 cannot be compared (never counted as comparable)
    assert sorted(int(v) for v, d, p in numbers(yuhang) if not p and d == 0 and v < 100) == [1, 3, 5, 6, 9]
    assert close(first_number_after(yuhang, labels[("余杭区", "innovation_carriers")] + sep), 8.2647)
    assert close(first_number_after(yuhang, labels[("余杭区", "invention_patents_per_10k")] + sep), 3.3333)


def test_ratio_extremes_says_when_the_widest_gap_is_a_lower_bound():
    def sentences(bound):
        ratios = pd.DataFrame({"entity_label": ["SYNTHETIC_P"] * 2, "indicator_label": ["SYN_a", "SYN_b"],
                               "ratio": [7.4, 0.5], "ratio_bound": [bound, "exact"]})
        return findings.ratio_extremes(ratios, "FOCUS", "en")[0]

    exact, lower = sentences("exact"), sentences("lower")
    assert exact != lower  # a lower-bound ratio ('>200' / 26.97) is not stated as exact
    assert has_number(exact, 7.4) and has_number(lower, 7.4)
    # 1 of 2 ahead, 1 behind; the focus's lead on SYN_b is 1 / 0.5 = 2.0 times, never "0.5 times"
    assert sorted(int(v) for v, d, p in numbers(exact) if d == 0) == [1, 1, 2]
    assert close(first_number_after(exact, "SYN_b, "), 2.0) and "0.5" not in exact


def test_ratio_extremes_an_upper_bound_is_not_a_direction():
    # a ratio ≤ 3 (upper bound above 1) says nothing about who leads: neither count nor widest lead
    ratios = pd.DataFrame({"entity_label": ["SYNTHETIC_P"] * 2, "indicator_label": ["SYN_a", "SYN_b"],
                           "ratio": [3.0, 0.25], "ratio_bound": ["upper", "upper"]})
    (s,) = findings.ratio_extremes(ratios, "FOCUS", "en")
    assert "SYN_a" not in s and close(first_number_after(s, "SYN_b, "), 4.0)  # 1 / 0.25, at least
    assert "at least" in s


@pytest.mark.parametrize("lang", LANGS)
def test_makerspaces_of_table_4(data, lang):
    coverage, investment = findings.makerspaces(report_tables.table_4(data, lang=lang, as_printed=False), lang)
    # 11 spaces; revenue 452.71 / cost 1683.07 (表4 totals) = 26.90 %; revenue below cost in all but
    # 珞樱 (156 > 126): 10
    assert has_number(coverage, 11) and has_number(coverage, 10) and has_percent(coverage, 26.8979), coverage
    # investment 0 at 5.5SPACE, e+, 凤凰社, E佳, 青春码头, 青年创客驿站: 6; 世鳌国际 '-': 1;
    # the two largest, 3500 + 2500 = 6000 of 6462 = 92.85 %
    ints = sorted(int(v) for v, d, p in numbers(investment) if not p)
    assert 6 in ints and 1 in ints and has_percent(investment, 92.8505), investment


def test_makerspace_coverage_counts_only_spaces_with_both_numbers():
    # SYN_c has no revenue: coverage (50 + 30) / (100 + 60) = 50 %, over 2 spaces, both below cost
    frame = pd.DataFrame({"name": ["SYN_a", "SYN_b", "SYN_c", "total"], "cost": [100.0, 60.0, 40.0, 200.0],
                          "revenue": [50.0, 30.0, np.nan, 80.0], "investment": [0.0, 10.0, 5.0, 15.0]})
    assert findings.makerspaces(frame, "en")[0] == ("Revenue of the 2 makerspaces covers 50.0% of their operating "
                                                    "cost; 2 of them earn less than they spend.")


def test_gaps_names_the_hardest_and_easiest_growth():
    gap_rows = pd.DataFrame({
        "entity_label": ["SYN_P1"] * 4 + ["SYN_P2"],
        "indicator_label": ["SYN_a", "SYN_b", "SYN_c", "SYN_d", "SYN_a"],
        "ratio": [4.0, 1.21, 0.5, np.nan, 0.8],
        "position": ["trails", "trails", "leads", "unknown", "leads"],
        "required_growth": [1.0, 0.1, np.nan, np.nan, np.nan],  # 4^(1/2) - 1, 1.21^(1/2) - 1
    })
    for lang in LANGS:
        out = findings.gaps(gap_rows, 2030, lang, focus="SYN_F")
        assert len(out) == 3  # P1: growth + lead on 1 of 4; P2: lead on 1 of 1, no growth asked
        s = out[0]
        assert has_number(s, 2030)
        assert close(first_number_after(s, "SYN_a"), 100.0) and close(first_number_after(s, "SYN_b"), 10.0)
        assert "SYN_c" not in s and "SYN_d" not in s  # the focus leads, or unknown
        # leads on 1 of the 3 comparable (SYN_d is unknown), and 1 of the 4 cannot be compared
        assert "SYN_F" in out[1] and sorted(int(v) for v, d, p in numbers(out[1])) == [1, 1, 3, 4]
        assert "SYN_P2" in out[2] and "SYN_F" in out[2] and not has_percent(out[2], -10.0)


def test_a_tie_is_reported_as_a_tie_not_as_a_lead():
    """Before: a ratio of exactly 1 was 'leads' and counted in "already leads SYN_P1 on 2 of 3". SYN_b is level."""
    gap_rows = pd.DataFrame({
        "entity_label": ["SYN_P1"] * 3, "indicator_label": ["SYN_a", "SYN_b", "SYN_c"], "ratio": [4.0, 1.0, 0.5],
        "position": ["trails", "level", "leads"], "required_growth": [1.0, np.nan, np.nan]})
    assert findings.gaps(gap_rows, 2030, "en", focus="SYN_F")[1] == (
        "SYN_F already leads SYN_P1 on 1 of 3 comparable indicators and needs no growth there. SYN_F is level with "
        "SYN_P1 on 1 of 3 comparable indicators and needs no growth there either.")
    assert findings.gaps(gap_rows, 2030, "zh", focus="SYN_F")[1] == (
        "SYN_F已在3项可比指标中的1项上领先SYN_P1，这些指标无需追赶。SYN_F与SYN_P1在3项可比指标中的1项上持平，这些指标也无需追赶。")
    # Notebook 02's counts: a tie is neither ahead nor behind, and is said
    ratios = pd.DataFrame({"entity_label": ["SYN_P"] * 3, "indicator_label": ["SYN_a", "SYN_b", "SYN_c"],
                           "ratio": [2.0, 1.0, 1.0], "ratio_bound": ["exact", "exact", "lower"]})
    assert findings.ratio_extremes(ratios, "SYN_F", "en") == [
        "SYN_P is ahead of SYN_F on 1 of 2 comparable indicators, behind on 0 and level on 1; SYN_P's widest lead is "
        "SYN_a, 2.0 times SYN_F's. 1 of the 3 indicators of SYN_P and SYN_F cannot be compared (a value is missing, "
        "or its printed bound does not say who leads)."]  # a lower bound of exactly 1 allows a tie: not a lead
    assert findings.ratio_extremes(ratios, "SYN_F", "zh")[0].startswith(
        "SYN_P在2项可比指标中有1项高于SYN_F、0项低于SYN_F、1项与SYN_F持平；")


def test_lead_counts_leave_out_what_cannot_be_compared():
    """Hand-written sentences: SYN_P1 has 4 rows, one missing (unknown): the focus leads on 1 of 3 comparable ones;
    SYN_P2's only row is missing: no lead sentence, only that it cannot be compared."""
    gap_rows = pd.DataFrame({
        "entity_label": ["SYN_P1"] * 4 + ["SYN_P2"],
        "indicator_label": ["SYN_a", "SYN_b", "SYN_c", "SYN_d", "SYN_a"],
        "ratio": [4.0, 1.21, 0.5, np.nan, np.nan],
        "position": ["trails", "trails", "leads", "unknown", "unknown"],
        "required_growth": [1.0, 0.1, np.nan, np.nan, np.nan],
    })
    en = findings.gaps(gap_rows, 2030, "en", focus="SYN_F")
    assert en[1:] == [
        "SYN_F already leads SYN_P1 on 1 of 3 comparable indicators and needs no growth there. 1 of the 4 indicators "
        "of SYN_P1 and SYN_F cannot be compared (a value is missing, or its printed bound does not say who leads).",
        "1 of the 1 indicators of SYN_P2 and SYN_F cannot be compared (a value is missing, or its printed bound does "
        "not say who leads)."]
    zh = findings.gaps(gap_rows, 2030, "zh", focus="SYN_F")
    assert zh[1] == ("SYN_F已在3项可比指标中的1项上领先SYN_P1，这些指标无需追赶。"
                     "SYN_P1与SYN_F的4项指标中有1项无法比较（数值缺失，或所印界限不能说明谁领先）。")
    # ratio_extremes: a lower bound below 1 says nothing about who leads, so it is not comparable either
    ratios = pd.DataFrame({"entity_label": ["SYN_P"] * 3, "indicator_label": ["SYN_a", "SYN_b", "SYN_c"],
                           "ratio": [2.0, 0.5, 0.8], "ratio_bound": ["exact", "missing", "lower"]})
    (s,) = findings.ratio_extremes(ratios, "SYN_F", "en")
    assert s == ("SYN_P is ahead of SYN_F on 1 of 1 comparable indicators and behind on 0; SYN_P's widest lead is "
                 "SYN_a, 2.0 times SYN_F's. 2 of the 3 indicators of SYN_P and SYN_F cannot be compared (a value is "
                 "missing, or its printed bound does not say who leads).")


@pytest.mark.parametrize("lang, expected", [
    ("zh", ["武昌区已在6项可比指标中的1项上领先余杭区，这些指标无需追赶。余杭区与武昌区的9项指标中有3项无法比较"
            "（数值缺失，或所印界限不能说明谁领先）。"]),
    ("en", ["Wuchang District already leads Yuhang District on 1 of 6 comparable indicators and needs no growth there. "
            "3 of the 9 indicators of Yuhang District and Wuchang District cannot be compared (a value is missing, or "
            "its printed bound does not say who leads)."]),
])
def test_gap_leads_on_the_report_count_comparable_indicators(data, lang, expected):
    # 表2 2015, 9 indicators; 余杭区 prints '-' for high-tech output, R&D and R&D share: 6 comparable; of those
    # 武昌区 leads only on invention patents per 10k (18 > 5.4)
    g = label_rows(growth.gap_table(data, "武昌区", ["余杭区"], 2015, 2020), data, lang)
    names = entity_names(data, lang)
    assert findings.gaps(g[g["denominator"] == "total"], 2020, lang, focus=names["武昌区"])[1:] == expected


def test_gap_leads_with_yuhang_as_focus(data):
    # the other way round: 余杭区 leads 武昌区 on 5 of the 6 comparable (GDP 1235 > 870, firms, carriers 281 > 34,
    # makerspaces 17 > 11, park floor space)
    g = label_rows(growth.gap_table(data, "余杭区", ["武昌区"], 2015, 2020), data, "en")
    out = findings.gaps(g[g["denominator"] == "total"], 2020, "en", focus="Yuhang District")
    assert out[1].startswith("Yuhang District already leads Wuchang District on 5 of 6 comparable indicators and "
                             "needs no growth there. 3 of the 9 indicators")


def test_gaps_names_a_single_trailing_indicator_once():
    gap_rows = pd.DataFrame({"entity_label": ["SYN_P"] * 2, "indicator_label": ["SYN_a", "SYN_b"],
                             "ratio": [1.21, 0.5], "position": ["trails", "leads"],
                             "required_growth": [0.1, np.nan]})  # 1.21^(1/2) - 1 = 10 %
    growth_sentence = findings.gaps(gap_rows, 2030, "en", focus="SYN_F")[0]
    assert growth_sentence.count("SYN_a") == 1 and has_percent(growth_sentence, 10.0)


def test_gaps_on_the_report(data):
    g = label_rows(growth.gap_table(data, "武昌区", ["南山区", "余杭区"], 2015, 2020), data, "en")
    # one growth sentence per peer ("To match …"), then one about the rows 武昌区 already leads (per km², …)
    nanshan, yuhang = [s for s in findings.gaps(g, 2020, "en") if s.startswith("To match")]
    # 南山区 hardest: high-tech firms per resident (1641/112)/(74/113) = 22.37 -> 22.37^(1/5) - 1 = 86.19 %;
    # easiest: park floor space per GDP (150/3715)/(32/870) = 1.0977 -> 1.0977^(1/5) - 1 = 1.88 %
    assert has_percent(nanshan, 86.1862) and has_percent(nanshan, 1.8827), nanshan
    # 余杭区 hardest: carriers per resident (281/92.54)/(34/113) = 10.09 -> 58.78 %;
    # easiest: makerspaces per GDP (17/1235)/(11/870) = 1.0887 -> 1.71 %
    assert has_percent(yuhang, 58.7798) and has_percent(yuhang, 1.7142), yuhang


def summary_frame():
    # deliberately not in rank order
    return pd.DataFrame({"nominal_rank": [2, 1, 3], "rank_p05": [1, 1, 3], "rank_p95": [3, 2, 3]},
                        index=["SYN_B", "SYN_A", "SYN_C"])


@pytest.mark.parametrize("lang", LANGS)
def test_composite_ranking_and_robustness(lang):
    shift = pd.Series(np.nan, index=["weights", "normalisation"])
    out = findings.composite(summary_frame(), shift, 1234, lang)
    assert len(out) == 2
    ranking = out[0]
    positions = [ranking.index(e) for e in ("SYN_A", "SYN_B", "SYN_C")]
    assert positions == sorted(positions)  # in rank order
    # each district followed by its rank, then its 5-95 % interval
    for entity, expected in (("SYN_A", [1, 5, 95, 1, 2]), ("SYN_B", [2, 5, 95, 1, 3]), ("SYN_C", [3, 5, 95, 3, 3])):
        after = numbers(ranking[ranking.index(entity):])
        assert [abs(int(v)) for v, _d, _p in after[:5]] == expected, (entity, after)
    assert has_number(out[1], 1234)  # no choice moved the ranks in 1234 samples


def test_composite_names_the_strongest_choice_and_positions():
    shift = pd.Series([0.12, 0.73, np.nan], index=["weights", "normalisation", "aggregation"])
    position = pd.DataFrame({"weights": [0.9, np.nan, 0.3], "normalisation": [0.05, np.nan, 0.6]},
                            index=["SYN_A", "SYN_B", "SYN_C"])
    out = findings.composite(summary_frame(), shift, 500, "en", position_sensitivity=position)
    assert len(out) == 4  # ranking, strongest choice, SYN_A and SYN_C (SYN_B never moves)
    assert has_number(out[1], 0.73) and not has_number(out[1], 0.12)
    assert "SYN_A" in out[2] and has_number(out[2], 0.9) and not has_number(out[2], 0.05)
    assert "SYN_C" in out[3] and has_number(out[3], 0.6) and not has_number(out[3], 0.3)
    assert findings.composite(summary_frame(), shift, 500, "en")[1:] == out[1:2]  # no positions given


@pytest.mark.parametrize("lang, expected", [
    ("zh", ["综合指数排名：SYN_A：第1名（5–95%区间 1–1）；SYN_B：第2名（5–95%区间 2–2）。",
            "只有两个区参与排名，300次抽样中两者的名次从未改变：任何分析选择都不改变排名，也就没有敏感度可画。"]),
    ("en", ["Composite ranking: SYN_A: rank 1 (5–95% interval 1–1); SYN_B: rank 2 (5–95% interval 2–2).",
            "Only two districts are ranked, and in 300 samples neither ever changed place: no analyst choice changes "
            "the ranking, so there is no sensitivity to chart."]),
])
def test_composite_with_two_districts_says_once_that_nothing_moved(lang, expected):
    """Before: notebook 05 said it three times (positions never moved "for instance, only two districts are
    ranked"; ranks never changed; no choice changed the ranking). With two ranked, each is always the best or the
    worst: one sentence says it."""
    summary = pd.DataFrame({"nominal_rank": [2, 1], "rank_p05": [2, 1], "rank_p95": [2, 1]}, index=["SYN_B", "SYN_A"])
    shift = pd.Series(np.nan, index=["weights", "normalisation"])
    position = pd.DataFrame({"weights": [np.nan, np.nan], "normalisation": [np.nan, np.nan]}, index=["SYN_B", "SYN_A"])
    assert findings.composite(summary, shift, 300, lang, position_sensitivity=position) == expected


@pytest.mark.parametrize("lang, expected", [
    ("zh", "300次抽样中也没有任何区在最差与最好之间的相对位置改变，因而没有敏感度可画。"),
    ("en", "No district's relative position between the worst and the best moved in the 300 samples either, so "
           "there is no sensitivity to chart."),
])
def test_composite_with_three_districts_and_nothing_moving_says_each_once(lang, expected):
    shift = pd.Series(np.nan, index=["weights", "normalisation"])
    position = pd.DataFrame({"weights": [np.nan] * 3}, index=["SYN_B", "SYN_A", "SYN_C"])
    out = findings.composite(summary_frame(), shift, 300, lang, position_sensitivity=position)
    assert len(out) == 3 and out[2] == expected
    assert out[1] == findings.composite(summary_frame(), shift, 300, lang)[1]  # ranking_robust, as before


def test_invention_share_uses_the_last_year_with_both_series(data_copy):
    """A user adds 2016 patent grants only (issue: extra years): the share sentence stays on 2015,
    970 / 2826 = 34.32% (表1), instead of failing on the missing 2016 invention count."""
    from analysis_utils.data.load import load

    append_rows(data_copy / "observations.csv", [{
        "entity": "武昌区", "indicator": "patent_grants", "year": 2016, "year_inferred": "false", "value": 3000,
        "unit": "件", "qualifier": "", "printed": "3000", "source": "表1", "note": "SYNTHETIC test row"}])
    sentences = findings.foundation(load(data_copy), "武昌区", "en")
    assert "In 2015" in sentences[-1] and "34.3%" in sentences[-1]


def test_audit_lead_counts_and_the_inconsistent_claim(data, claims_audit):
    """The audit's opening sentences against a hand count of claims.csv: 68 claims (66 before 均在50%以下 and
    全国排名第2 were registered); 29 reproduced = 16 recomputed + 12 restated (13 restatements, 近1万 against
    表3's 约1万 only consistent) + 1 counted (表2's 11 makerspaces, 表4's rows); 8 checked only within their
    sentence (3.1% > 2.9%, 7 = 4 + 3, 1亿 ≥ 1000万, 452.71 < 1683.07, 三区, 一港一城两带, 三大领域, 1+2+N), all
    coherent; of the other 31: 17 consistent (16 directions against numbers printed elsewhere + 近1万), 9 implied
    (8 derived + 5.8% bounded), 4 unverifiable (余杭's '-' R&D share, 共53人, 均在50%以下, 全国排名第2) and
    1 inconsistent (72.3%); 36 entries not checkable (38 less the two now registered). The inconsistent statement
    is quoted once, not followed by its own printed figure again, with one full stop."""
    from analysis_utils.audit.claims import not_checkable

    facts = not_checkable(data)
    lead = findings.audit_lead(claims_audit, facts, "en")
    assert lead[0] == (
        "The report makes 68 numeric claims (36 plain facts and empty cells are set apart as not checkable). "
        "29 were reproduced: 16 recomputed from other printed numbers, 12 restating a number printed elsewhere, "
        "1 counting items listed elsewhere. 8 can be checked only against numbers or items printed in their own "
        "sentence (internal consistency, which shows a sentence coherent, not true): 8 of them are coherent. "
        "Of the other claims, 17 are only consistent (a direction, a weak check, or a restatement qualified "
        "otherwise than its source), 9 only implied, 4 unverifiable.")
    assert lead[1] == "Inconsistent claims (1): Nanshan's 56 Guangdong innovation teams are 72.3% of Shenzhen's."
    zh = findings.audit_lead(claims_audit, facts, "zh")
    assert zh[0] == (
        "报告中有68条数字论断（另有36项单纯事实或空格无从核查，不计入）。29条经核对复现：16条由报告其他数字重算，"
        "12条与他处所印数字一致，1条计数他处所列的项目。8条只能与同一句中印出的数字或项目对照（内部一致性：只说明该句"
        "自洽，不说明其属实），其中8条自洽。其余论断中，17条仅相符（只核对方向、检验较弱，或重印时限定词不同），"
        "9条仅能推出隐含值，4条无法核实。")
    assert zh[1] == "不一致的论断1条：南山区引进广东省创新创业团队56个,占全市72.3%。"


def test_audit_lead_counts_an_internal_check_apart_from_the_consistent_ones():
    """SYNTHETIC audit frame: one claim per basis the lead names, verdicts chosen so that each count is distinct."""
    audit = pd.DataFrame({
        "verdict": ["reproduced", "reproduced", "reproduced", "consistent", "consistent", "unverifiable",
                    "consistent", "consistent", "implied", "inconsistent"],
        "basis": ["recomputed", "recomputed", "counted", "internal", "internal", "internal", "restated", "compared",
                  "derived", "internal"],
        "band_units": [1.0] * 10, "statement_en": ["S"] * 9 + ["BROKEN SUM"], "statement_zh": ["S"] * 10,
        "printed": ["1"] * 10})
    lead = findings.audit_lead(audit, pd.DataFrame({"why": ["date"]}), "en")
    # 3 reproduced (2 recomputed, 0 restated, 1 counted); 4 internal, 2 coherent; others: 2 consistent
    # (restated, compared), 1 implied, 0 unverifiable (the unverifiable one is internal); 1 inconsistent, named
    assert lead[0] == (
        "The report makes 10 numeric claims (1 plain facts and empty cells are set apart as not checkable). "
        "3 were reproduced: 2 recomputed from other printed numbers, 0 restating a number printed elsewhere, "
        "1 counting items listed elsewhere. 4 can be checked only against numbers or items printed in their own "
        "sentence (internal consistency, which shows a sentence coherent, not true): 2 of them are coherent. "
        "Of the other claims, 2 are only consistent (a direction, a weak check, or a restatement qualified "
        "otherwise than its source), 1 only implied, 0 unverifiable.")
    assert lead[1] == "Inconsistent claims (1): BROKEN SUM (1)."


def test_foundation_quotes_the_years_shown(data_copy):
    # a user's data extend 表1 to 2016 (synthetic numbers: 3000 grants, 1000 invention grants)
    append_rows(data_copy / "observations.csv", [
        {"entity": "武昌区", "indicator": i, "year": 2016, "year_inferred": "false", "value": v, "unit": "件",
         "printed": str(v), "source": "表1", "note": "synthetic"} for i, v in (("patent_grants", 3000),
                                                                             ("invention_patent_grants", 1000))])
    data = load(data_copy)
    # the report's years: 1532 (2011) -> 2826 (2015), (2826/1532)^(1/4) - 1 = 16.5 %; 970/2826 = 34.3 %
    shown = findings.foundation(data, "武昌区", "zh")
    assert shown[0] == "武昌区专利授权数量从2011年的1532件增至2015年的2826件，年均增长16.5%，累计增长84.5%。"
    assert shown[2] == "2015年发明专利占专利授权的34.3%。"
    # the extended series: (3000/1532)^(1/5) - 1 = 1.95822^0.2 - 1 = 14.4 %, in all 95.8 %; 1000/3000 = 33.3 %
    extended = findings.foundation(data, "武昌区", "en", years=None)
    assert extended[0] == ("Wuchang District: patent grants rose from 1532 in 2011 to 3000 in 2016, 14.4% a year, "
                           "95.8% in all.")
    assert extended[2] == "In 2016, invention patents were 33.3% of all grants."
    assert len(report_tables.table_1(data, years=None)) == 6 and len(report_tables.table_1(data)) == 5


def test_a_table_header_and_the_sentence_beside_it_name_an_indicator_alike(data):
    """Table 2's English headers are indicators.csv's names (with the unit), the names 02/03's sentences use."""
    from analysis_utils.analysis import compare

    en = list(report_tables.table_2(data, lang="en", entities=["武昌区", "余杭区"], year=2015).columns)
    assert en == ["District", "Land area (km²)", "Resident population (10,000 persons)",
                  "Gross regional product (100 million yuan)", "High-tech enterprises",
                  "High-tech industry output (100 million yuan)", "Innovation carriers at city level or above",
                  "Makerspaces", "Industrial floor space in parks (10,000 m²)", "R&D expenditure (100 million yuan)",
                  "R&D intensity (% of GDP)", "Invention patents in force per 10,000 residents"]
    (yuhang,) = findings.ratio_extremes(label_rows(compare.table2_ratios(data, "武昌区", ["余杭区"], 2015), data, "en"),
                                        "Wuchang District", "en")
    assert "widest lead is innovation carriers at city level or above, 8.3 times" in yuhang
    assert "invention patents in force per 10,000 residents, 3.3 times" in yuhang
    # a normalised label: the same name and "per 10,000 residents", never "per 10k residents"
    labels = label_rows(compare.normalised(data, ["武昌区", "余杭区"], 2015), data, "en")["indicator_label"]
    assert "Industrial floor space in parks (per 10,000 residents)" in set(labels)
    assert not any("10k residents" in label for label in labels)


# ---------------------------------------------------------------- sentences against the tables, for every focus
# The districts are the report's three plus a SYNTHETIC fourth that leads 武昌区 on some indicators (×2) and trails
# it on others (×0.25, ×0.5), so every focus meets peers it leads and peers it trails. The expected values are
# worked out here from the observations (peer value / focus value), not read from the code under test:
# - a printed multiple is a lead, so it is ≥ 1: the peer's widest lead is its largest ratio above 1, the focus's
#   widest lead is 1 / the smallest ratio below 1;
# - the growth the focus needs exists only where the peer leads: r^(1/N) − 1 > 0 with N = 2020 − 2015;
#   where the focus leads, the gap table has no required growth and no "years to close" (not −46 %, not 0).
#
# 武昌区 × 2 everywhere except: firms and makerspaces × 0.25, invention patents per 10k × 0.5, and R&D
# intensity × 1 (R&D and GDP are both doubled, so their quotient is unchanged).
SCALES = {"high_tech_firms": 0.25, "makerspaces": 0.25, "invention_patents_per_10k": 0.5, "rd_intensity": 1.0}
DISTRICTS = ["武昌区", "南山区", "余杭区", SYNTHETIC_DISTRICT]


@pytest.fixture(scope="module")
def four(tmp_path_factory):
    target = tmp_path_factory.mktemp("four") / "data"
    shutil.copytree(DATA_DIR, target)
    add_synthetic_district(target, scale=2.0, scales=SCALES)
    return load(target)


def hand_ratios(data, focus, peer):
    """indicator -> (peer / focus, bound of that ratio) from the observations of 2015; missing values left out.

    A peer's lower bound over an exact focus value is a lower bound of the ratio; an exact peer value over a
    focus lower bound (南山区's R&D '>200' as focus) is an upper bound of the ratio.
    """
    obs = data.observations
    obs = obs[(obs["year"] == 2015) & obs["indicator"].isin(compare.EXTENSIVE_INDICATORS + compare.INTENSIVE_INDICATORS)]
    f = obs[obs["entity"] == focus].set_index("indicator")
    p = obs[obs["entity"] == peer].set_index("indicator")
    kind = data.qualifier_table.kind
    out = {}
    for indicator in f.index.intersection(p.index):
        kf, kp = kind(f.at[indicator, "qualifier"]), kind(p.at[indicator, "qualifier"])
        if "missing" in (kf, kp) or (kf != "exact" and kp != "exact"):
            continue
        bound = kp if kf == "exact" else {"lower": "upper", "upper": "lower"}[kf]
        out[indicator] = (float(p.at[indicator, "value"]) / float(f.at[indicator, "value"]), bound)
    return out


def number_after(sentence: str, label: str, lang: str) -> tuple[float, int, bool]:
    """The first number after ``label`` where it is followed by its separator ('，' / ', ')."""
    marker = in_sentence(label, lang) + ("，" if lang == "zh" else ", ")  # a name inside a sentence: lower-cased
    assert marker in sentence, (label, sentence)
    return numbers(sentence[sentence.index(marker) + len(marker):])[0]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("focus", DISTRICTS)
def test_ratio_sentences_call_a_lead_a_lead(four, focus, lang):
    peers = [d for d in DISTRICTS if d != focus]
    ratios = label_rows(compare.table2_ratios(four, focus, peers, 2015), four, lang)
    names = entity_names(four, lang)
    labels = indicator_names(four, lang)
    sentences = findings.ratio_extremes(ratios, names[focus], lang)
    assert len(sentences) == len(peers)
    for peer, sentence in zip(peers, sentences):
        assert sentence.startswith(names[peer]), sentence
        hand = hand_ratios(four, focus, peer)
        ahead = {i: r for i, (r, bound) in hand.items() if r > 1 and bound in ("exact", "lower")}
        behind = {i: r for i, (r, bound) in hand.items() if r < 1 and bound in ("exact", "upper")}
        # every multiple printed (a number with a decimal) is a lead, so at least 1
        multiples = [v for v, d, p in numbers(sentence) if d > 0 and not p]
        assert multiples and all(v >= 1 for v in multiples), sentence
        assert len(multiples) == (1 if ahead else 0) + (1 if behind else 0), sentence
        counts = sorted(int(v) for v, d, p in numbers(sentence) if d == 0 and not p)
        assert len(ahead) in counts and len(behind) in counts, (sentence, len(ahead), len(behind))
        if ahead:
            widest = max(ahead, key=ahead.get)
            assert close(number_after(sentence, labels[widest], lang), ahead[widest]), (sentence, widest)
        if behind:
            widest = min(behind, key=behind.get)
            assert close(number_after(sentence, labels[widest], lang), 1 / behind[widest]), (sentence, widest)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("focus", DISTRICTS)
def test_gap_sentences_and_table_never_ask_a_leader_to_catch_up(four, focus, lang):
    peers = [d for d in DISTRICTS if d != focus]
    names = entity_names(four, lang)
    table = label_rows(growth.gap_table(four, focus, peers, 2015, 2020,
                                        focus_growth=growth.historical_growth(four, focus)), four, lang)
    # the table: no required growth, no years where the focus leads; positive growth where the peer leads
    leads = table[table["position"] == "leads"]
    trails = table[table["position"] == "trails"]
    assert leads["required_growth"].isna().all() and leads["years_to_close"].isna().all()
    assert (leads["ratio"] <= 1).all() and (trails["ratio"] > 1).all()
    assert (trails["required_growth"] > 0).all()
    view = gap_view(table, lang)
    assert not (view.select_dtypes("number") < 0).any().any()  # nothing negative is shown to a reader
    sentences = findings.gaps(table, 2020, lang, focus=names[focus])
    for peer in peers:
        about = [s for s in sentences if names[peer] in s]
        rows = table[table["entity"] == peer]
        hand = hand_ratios(four, focus, peer)
        # the raw Table 2 rows of the gap table are the hand ratios: same direction, same values
        raw = rows[rows["denominator"] == "total"].set_index("indicator")
        for indicator, (r, bound) in hand.items():
            expected = "level" if r == 1 and bound == "exact" else "unknown" if r == 1 else \
                "trails" if r > 1 and bound in ("exact", "lower") else \
                "leads" if r < 1 and bound in ("exact", "upper") else "unknown"
            assert raw.at[indicator, "position"] == expected, (focus, peer, indicator, r, bound)
            assert raw.at[indicator, "ratio"] == pytest.approx(r)
        if (rows["position"] == "trails").any():
            # hardest: (largest trailing ratio)^(1/5) − 1, easiest: (smallest)^(1/5) − 1, in %
            trailing = rows.loc[rows["position"] == "trails", "ratio"]
            assert any(has_percent(s, (trailing.max() ** 0.2 - 1) * 100) and
                       has_percent(s, (trailing.min() ** 0.2 - 1) * 100) for s in about), about
        for s in about:
            assert not re.search(r"-\d", s), s  # never a negative growth
        n = int((rows["position"] == "leads").sum())
        if n:
            assert any(names[focus] in s and n in [int(v) for v, d, p in numbers(s) if d == 0] for s in about), about
        else:
            assert not any(names[focus] in s for s in about), about


def test_foundation_says_a_flat_or_falling_series_is_no_rise(data_copy):
    """Before: "rose from 1532 in 2011 to 1532 in 2016, 0.0% a year". A user's SYNTHETIC 2016 counts: grants back
    at 2011's 1532 (flat), invention grants 400, below 2011's 493: (400/493)^(1/5) - 1 = -4.1 %, in all -18.9 %."""
    append_rows(data_copy / "observations.csv", [
        {"entity": "武昌区", "indicator": i, "year": 2016, "year_inferred": "false", "value": v, "unit": "件",
         "printed": str(v), "source": "表1", "note": "SYNTHETIC"} for i, v in (("patent_grants", 1532),
                                                                             ("invention_patent_grants", 400))])
    data = load(data_copy)
    assert findings.foundation(data, "武昌区", "en", years=None)[:2] == [
        "Wuchang District: patent grants stood at 1532 in both 2011 and 2016: no growth.",
        "Wuchang District: invention patent grants fell from 493 in 2011 to 400 in 2016, -4.1% a year, -18.9% in all."]
    assert findings.foundation(data, "武昌区", "zh", years=None)[:2] == [
        "武昌区专利授权数量在2011年和2016年都是1532件，没有增长。",
        "武昌区发明专利授权数量从2011年的493件降至2016年的400件，年均增长-4.1%，累计增长-18.9%。"]


def test_a_lead_that_rounds_to_one_is_printed_at_two_decimals():
    """A newcomer read "…'s widest lead is invention patents …, 1.0 times Wuchang District's" for 18.5 against 18:
    by hand 18.5 / 18 = 1.0278, said 1.03; 22.2 and bounds keep one decimal."""
    from analysis_utils.report.findings import _times

    assert _times(18.5 / 18, "exact", "en") == "1.03"
    assert _times(22.24, "exact", "en") == "22.2"
    assert _times(1.04, "exact", "zh") == "1.04" and _times(1.05, "exact", "zh") == "1.1"
