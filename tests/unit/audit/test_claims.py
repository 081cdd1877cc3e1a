"""audit/claims.py: the claims audit. The shipped registry (every claim evaluated, hand-worked verdicts for each kind
of check), claims built to fail, rules and rows that must be refused, the observations a rule reads (inputs), the
result columns, and the band property over the whole registry.

Expected numbers are worked out by hand in the comments, never copied from the code's output. Where a test also
checks a claim's explanation it reads the verdict through report.narrate (explain_claim, audit_table)."""
from __future__ import annotations

import dataclasses
import math
import pickle
import re

import pandas as pd
import pytest

from analysis_utils.audit import claims
from analysis_utils.audit.claims import (
    BASES,
    VERDICTS,
    audit,
    compare_printed,
    evaluate,
    inputs,
    not_checkable,
    summary,
)
from analysis_utils.errors import AnalysisError, ClaimError
from analysis_utils.report import narrate
from tests._support.language import CJK, MACHINE_IDS, ids_in


def evaluate_en(data, claim):
    """The evaluation with its explanation in English (the phrases asserted below)."""
    return narrate.explain_claim(data, claim, "en")


@pytest.fixture(scope="module")
def audited(audit_table):
    return audit_table.rename(columns={"explanation_en": "explanation", "detail_en": "detail"}).set_index("claim")


def synthetic(**fields) -> dict:
    """A claim that is not in the report (id prefixed synthetic_), built for a test."""
    base = {"claim": "synthetic_claim", "section": "一", "source": "表1", "kind": "growth",
            "statement_zh": "SYNTHETIC", "statement_en": "SYNTHETIC", "printed": "", "qualifier": "",
            "basis": "recomputed"}
    return base | fields


# --- the shipped registry --------------------------------------------------------------------
def test_every_claim_is_evaluated_and_explained(data, audited):
    claims = data.claims[data.claims["basis"].fillna("") != ""]  # rows without a basis are plain facts
    assert len(audited) == len(claims) and audited.index.is_unique
    assert set(audited["verdict"]) <= set(VERDICTS) and set(audited["basis"]) <= set(BASES)
    assert audited["explanation"].str.strip().str.len().gt(20).all()
    checked = audited[audited["check"] != ""]
    assert (checked["recomputed"] != "").all()


def test_table_1_growth_rates_are_reproduced(data):
    # 1971/1532 = 1.28655 → 28.7; 2130/1971 = 1.08067 → 8.1; 2154/2130 = 1.01127 → 1.1; 2826/2154 = 1.31198 → 31.2
    # 627/493 = 1.27181 → 27.2; 565/627 = 0.90112 → -9.9; 594/565 = 1.05133 → 5.1; 970/594 = 1.63300 → 63.3
    table = compare_printed(data, 1)
    assert list(table["recomputed"]) == ["28.7", "8.1", "1.1", "31.2", "27.2", "-9.9", "5.1", "63.3"]
    assert table["agree"].all() and list(table["printed"]) == list(table["recomputed"])


def test_table_4_and_5_derived_numbers(data):
    # 表4: 18.59+44.55+94.83+75.56+271.04+244.3+402+126+350+45.2+11 = 1683.07;
    # 2.1+24+23+17.63+14+148.19+0+156+60+7.79+0 = 452.71; 200+2500+262+3500 = 6462 ('-' left out)
    t4 = compare_printed(data, 4).set_index("claim")
    assert list(t4["recomputed"]) == ["1683.07", "452.71", "6462"] and t4["agree"].all()
    assert t4.loc["t4_total_revenue", "statement_en"] == "Total revenue of the 11 makerspaces."
    # 表5: 37/2440 = 1.516% → 1.52; 12/386 = 3.109% → 3.11; 119247/15762363 = 0.7565% → 0.76
    t5 = compare_printed(data, 5)
    assert list(t5["recomputed"]) == ["1.52", "3.11", "0.76"] and t5["agree"].all()
    with pytest.raises(AnalysisError, match="table_no"):
        compare_printed(data, 6)


def test_shenzhen_team_share_is_inconsistent(audited):
    # 56/N = 72.3% needs N in (56/0.7235, 56/0.7225] = (77.40, 77.51]: no whole number.
    # 56/77 = 72.73% would print 72.7; 56/78 = 71.79% would print 71.8
    row = audited.loc["p_guangdong_teams_share_shenzhen"]
    assert row["verdict"] == "inconsistent"
    assert "72.7%" in row["explanation"] and "77" in row["explanation"]
    assert "71.8%" in row["explanation"] and "78" in row["explanation"]


def test_hubei_academicians_are_71_or_72(audited):
    # 27/N in [37.5%, 38.5%) → N in (70.13, 72]: 71 (38.03%) or 72 (37.5% → 38 half up)
    row = audited.loc["p_academicians_share_hubei"]
    assert row["verdict"] == "implied" and row["recomputed"].endswith("= {71, 72}")


def test_tech_contract_multiple_has_two_readings(audited):
    # standard (×4.67): 33.5/4.675 = 7.166 … 34.5/4.665 = 7.396; loose (×3.67): 33.5/3.675 = 9.116 … 34.5/3.665 = 9.413
    row = audited.loc["p_tech_contract_multiple"]
    assert row["verdict"] == "implied" and row["reading"] == "undecided"
    assert "(7.16578, 7.3955)" in row["recomputed"] and "(9.11565, 9.41337)" in row["recomputed_alt"]
    assert "cannot decide" in row["explanation"]


def test_more_than_half_without_investment(audited):
    # 6 zeros of 11 and one '-' (世鳌国际): 6/11 = 54.5% … 7/11 = 63.6%, above 50% either way
    # a direction only (more than half), so "consistent", not "reproduced"
    row = audited.loc["p_makerspaces_without_investment"]
    assert (row["verdict"], row["basis"]) == ("consistent", "compared") and "Shi'ao International ('-')" in row["explanation"]
    assert "Shi'ao International is printed '-' and left out of the sum." in audited.loc["t4_total_investment", "explanation"]


def test_missing_peer_value_is_unverifiable(audited):
    row = audited.loc["p_gap_rd_intensity_yuhang"]  # 余杭区 prints '-' for its R&D share
    assert row["verdict"] == "unverifiable" and "'-'" in row["explanation"]


# --- the kinds, worked by hand -------------------------------------------------------------
def test_recomputation_reproduced_with_a_tight_band(audited):
    # 2826/2154 − 1 = 0.311978 → 31.1978%; printed v stands for [v − 0.05, v + 0.05): accepted for
    # v in (31.1478, 31.2478], a band of 0.1 = 1 unit of the last digit (≤ 5): reproduced
    row = audited.loc["t1_growth_patents_2015"]
    assert (row["verdict"], row["basis"], row["strength"]) == ("reproduced", "recomputed", "tight")
    assert row["band_low"] == pytest.approx(31.1478, abs=2e-4) and row["band_high"] == pytest.approx(31.2478, abs=2e-4)
    assert "2826 / 2154 − 1 = 31.20%, printed 31.2%: agrees." in row["explanation"]


def test_one_sided_bound_is_implied_and_weak(audited):
    # Nanshan: R&D >200 over GDP [3714.5, 3715.5) → share > 200/3715.5 = 5.3828%; a printed v is refuted only when
    # v + 0.05 ≤ 5.3828, so the band is (5.3328, ∞): one-sided; basis bounded caps it at implied
    row = audited.loc["t2_rd_intensity_nanshan"]
    assert (row["verdict"], row["basis"], row["strength"]) == ("implied", "bounded", "one_sided")
    assert row["band_low"] == pytest.approx(5.3328, abs=2e-4) and row["band_high"] == float("inf")


# The claims whose check uses only numbers or items printed in their own sentence, listed by hand from the report:
# 一(二)3 "…为3.1%,高于武汉市的平均值2.9%"; 二1 "…仅有7名,其中…4名,…3名" and "…不低于1000万元…最高可获得1亿元";
# 二2 "运营成本总量为1683.07万元,而收入总量仅为452.71万元"; 二4 三区 (大学园区、科技园区与居民社区);
# 三(二)1 一港、一城、两带 (即: the four named); 三(二)2 三大领域 (the three named); 三(四)1 1+2+N (named in brackets).
INTERNAL = {"p_rd_intensity_above_wuhan", "p_academicians_key_industries_7", "p_yuhang_case_by_case_1yi",
            "p_makerspace_revenue_below_cost", "p_three_zones", "p_layout_zhigu", "p_three_fields",
            "p_service_system_1_2_n"}


def test_checks_within_one_sentence_share_one_basis_and_earn_at_most_consistent(audited):
    # statcheck's internal consistency: every one of them passes, so each is "consistent", none "reproduced"
    assert set(audited.index[audited["basis"] == "internal"]) == INTERNAL
    assert set(audited.loc[sorted(INTERNAL), "verdict"]) == {"consistent"}
    # 7 = 4 + 3 (a sum): exact whole numbers, a printed v is accepted for v in (6.5, 7.5]: tight, yet consistent
    seven = audited.loc["p_academicians_key_industries_7"]
    assert (seven["verdict"], seven["strength"], seven["recomputed"]) == ("consistent", "tight", "7")
    assert "internal consistency check" in seven["explanation"] and "coherent, not true" in seven["explanation"]
    # 三区 (a count of the items the sentence names): 3 = 3, consistent as the sum is
    assert (audited.loc["p_three_zones", "verdict"], audited.loc["p_three_zones", "recomputed"]) == ("consistent", "3")
    # 1亿 ≥ 1000万 (a comparison): a printed v 亿元 (最高, at most v) is refuted only below 0.1: one-sided
    case = audited.loc["p_yuhang_case_by_case_1yi"]
    assert (case["strength"], case["band_low"]) == ("one_sided", pytest.approx(0.1, abs=1e-3))


def test_a_failed_internal_check_is_inconsistent(data):
    # SYNTHETIC: "7名, 其中 4名 … 3名" printed as 8: 4 + 3 = 7 ≠ 8
    rule = 'obs("武昌区", "academicians_smart_manufacturing") + obs("武昌区", "academicians_health")'
    result = evaluate_en(data, synthetic(kind="count", printed="8名", value=8, decimals=0, unit="人",
                                         check="recompute", rule=rule, basis="internal"))
    assert result["verdict"] == "inconsistent"


def test_counted_items_listed_elsewhere_stay_counted(audited):
    # 表2's 11 makerspaces against the 11 rows of 表4, another table: counted, reproduced
    row = audited.loc["t2_makerspaces_wuchang_11"]
    assert (row["verdict"], row["basis"], row["recomputed"]) == ("reproduced", "counted", "11")
    assert set(audited.index[audited["basis"] == "counted"]) == {"t2_makerspaces_wuchang_11"}


def test_a_comparison_with_numbers_of_another_sentence_is_compared(audited):
    # 起步仅为30万元 against 不低于500万元 and 最高1亿元, printed in the sentence before: 30 < 500 < 10000 (万元)
    row = audited.loc["p_wuchang_funding_start_30"]
    assert (row["verdict"], row["basis"], row["strength"]) == ("consistent", "compared", "one_sided")
    assert row["band_high"] == pytest.approx(500, abs=1e-2)  # 30 → v: refuted once v ≥ 500


def test_eight_key_industries_only_imply_one_unnamed(audited):
    # 八大 (三(一)2) against the seven 二1 names before 等 (another section): 8 − 7 = 1 key industry never named;
    # 等 allows more, so nothing printed could refute 8: derived, implied
    row = audited.loc["p_key_industries_eight"]
    assert (row["verdict"], row["basis"], row["recomputed"], row["strength"]) == ("implied", "derived", "1", "open")


def test_every_rule_that_cannot_differ_from_the_printed_number_is_found(audited):
    # A rule that never reads `this` and is no recomputation accepts every printed value: band open. Only
    # derivations ("implied": what the number implies) may have one, never a reproduced or consistent claim.
    open_ = audited[audited["strength"] == "open"]
    assert set(open_["verdict"]) == {"implied"}
    assert "p_key_industries_eight" in set(open_.index)


def test_table_4_totals_strict_and_loose_readings(audited):
    # strict: cells exact, 18.59 + 44.55 + … + 11 = 1683.07 exactly → printed v accepted in (1683.065, 1683.075]:
    # 1 unit → reproduced. loose: cells at their own decimals, 5 × 0.005 + 2 × 0.05 + 4 × 0.5 = 2.125 either side →
    # (1680.945 − 0.005, 1685.195 + 0.005): 425 units → consistent only. The strict reading decides.
    row = audited.loc["t4_total_operating_cost"]
    assert (row["verdict"], row["verdict_rule"], row["verdict_alt"], row["reading"]) == (
        "reproduced", "reproduced", "consistent", "printing")
    assert row["band_high"] - row["band_low"] == pytest.approx(0.01, abs=1e-4)
    assert "[1680.945, 1685.195)" in row["recomputed_alt"] and "strict reading decides" in row["explanation"]


def test_ambiguous_wording_gets_the_verdict_of_every_reading(audited):
    # 高于武汉市的平均值2.9%: (1) Wuhan 2.9 < Wuchang 3.1 — true; (2) 2.9 points above → Wuhan 3.1 − 2.9 = 0.2 > 0 —
    # true. Both are directions only: consistent under both; accepted while v − 0.05 < 3.15, i.e. v < 3.2
    row = audited.loc["p_rd_intensity_above_wuhan"]
    assert (row["verdict"], row["verdict_rule"], row["verdict_alt"], row["reading"]) == (
        "consistent", "consistent", "consistent", "both")
    assert row["band_low"] == float("-inf") and row["band_high"] == pytest.approx(3.2, abs=2e-4)


def test_restatement_is_reproduced(audited):
    # 二2 prints 1683.07 again: the 表4 total [1683.065, 1683.075) meets v's [v − 0.005, v + 0.005) for
    # v in (1683.06, 1683.08): 2 units
    row = audited.loc["p_makerspace_cost_total"]
    assert (row["verdict"], row["basis"]) == ("reproduced", "restated")
    assert row["band_units"] == pytest.approx(2, abs=0.01)


def test_enumeration_in_its_own_sentence_is_internal(audited):
    # 三区: 大学园区、科技园区、居民社区 = 3 items, named in the sentence that counts them; a printed 3 is exact,
    # v in (2.5, 3.5] accepted, but the count only shows the sentence coherent: consistent
    row = audited.loc["p_three_zones"]
    assert (row["verdict"], row["basis"], row["recomputed"]) == ("consistent", "internal", "3")
    assert (row["band_low"], row["band_high"]) == (pytest.approx(2.5, abs=1e-3), pytest.approx(3.5, abs=1e-3))


def test_a_restatement_qualified_otherwise_than_its_source_is_only_consistent(audited):
    # 一(二)1 近1万人 (nearly: [0.5, 1] 万) restates 表3's 约1万人 (about: [0.5, 1.5) 万): they overlap, but two vague
    # readings do not reproduce one another
    row = audited.loc["p_researchers_nearly_10k"]
    assert (row["verdict"], row["basis"], row["verdict_rule"]) == ("consistent", "restated", "consistent")
    assert "“nearly” where the number it restates is “approximately”" in row["explanation"]
    # every other restatement prints its number as its source does (no qualifier on either side): reproduced
    others = audited[(audited["basis"] == "restated") & (audited.index != "p_researchers_nearly_10k")]
    assert len(others) == 12 and set(others["verdict"]) == {"reproduced"}


def test_the_qualifier_rule_holds_for_any_restatement(data):
    # SYNTHETIC restatements of 表3's 约1万人: printed 约1万人 (the same qualifier) → reproduced; printed 1万人
    # (none; exactly [0.5, 1.5) at 0 decimals) → consistent, however well the intervals agree
    rule = 'obs("武昌区", "researchers_univ_institutes")'
    row = dict(kind="count", value=1, decimals=0, unit="万人", check="recompute", rule=rule, basis="restated")
    same = evaluate_en(data, synthetic(printed="约1万人", qualifier="approx", **row))
    plain = evaluate_en(data, synthetic(printed="1万人", qualifier="", **row))
    assert same["verdict"] == "reproduced"
    assert plain["verdict"] == "consistent" and "“no qualifier” where the number it restates is “approximately”" \
        in plain["explanation"]
    # the rule is about restatements: the same number recomputed (basis recomputed) is not capped by it
    assert evaluate_en(data, synthetic(printed="1万人", qualifier="", **(row | {"basis": "recomputed"})))[
        "verdict"] == "reproduced"


def test_two_statements_set_apart_as_plain_facts_are_claims(audited, data):
    # 二2 其它园区重点产业集聚度均在50%以下: a bound on every park but one, whose concentrations the report never prints;
    # 二3 (数量全国排名第2): a national rank, with two other districts' counts printed only. Nothing to check either.
    for claim in ("p_park_concentration_below_50", "p_nanshan_high_tech_rank_2"):
        assert (audited.loc[claim, "verdict"], audited.loc[claim, "basis"]) == ("unverifiable", "none")
    facts = not_checkable(data)
    assert not set(facts["printed"]) & {"均在50%以下", "数量全国排名第2"}


def test_missing_statements_are_registered(audited):
    assert audited.loc["t3_huanghe_talent_total_53", "verdict"] == "unverifiable"   # 共53人: no breakdown
    land = audited.loc["p_land_lacking_vs_peers"]                                      # 87.42 < 185, < 1220
    assert (land["verdict"], land["basis"]) == ("consistent", "compared")


def test_padding_is_gone(data, audited):
    # 13 + 14 = 27 is one recomputation (表3's 27) and one restatement (二1's 27), no more
    uses = [c for c, rule in audited["rule"].items() if "academicians_cas" in rule]
    assert sorted(uses) == ["p_academicians_share_hubei", "t3_academicians_wuchang_27"]
    assert not any(audited["kind"] == "date")


def test_every_plain_fact_is_an_input_or_not_checkable(data):
    # The report's plain numbers, typed from the report (shared/seed), by location: each must be read by some
    # claim's rule or be listed as not checkable.
    prose = {"一(二)1": ["40余家", "13人", "14人", "336人次"], "一(二)2": ["15家", "433.9亿元", "15.8亿元", "14家"],
             "一(二)3": ["1个亿", "3000余万元", "4481件", "34亿元"], "二1": ["56个", "不低于1000万元"],
             "三(二)4": ["约5500平方米", "约2400平方米", "约3400平方米"], "三(四)3": ["2-3亿元"]}
    obs = data.observations
    used = inputs(data)
    listed = not_checkable(data)
    for source, printed_list in prose.items():
        for printed in printed_list:
            rows = obs[(obs["source"] == source) & (obs["printed"] == printed)]
            in_obs = [(r.entity, r.indicator, int(r.year)) in used for r in rows.itertuples()]
            in_list = ((listed["source"] == source) & (listed["printed"] == printed)).any()
            assert any(in_obs) or in_list, f"{source} {printed}: neither a claim's input nor listed as not checkable"
    dates = listed[listed["why"] == "date"]
    assert len(dates) == 7  # six dates of outside events and 表1's 十二五 period
    claimed = set(zip(data.claims["source"], data.claims["printed"]))  # a claim's own number (表2's 18 per 万人)
    for table in ("表2", "表3", "表5"):  # every table cell is an input, a claim itself, or listed
        for r in obs[obs["source"] == table].itertuples():
            assert (r.entity, r.indicator, int(r.year)) in used or (table, r.printed) in claimed or \
                ((listed["source"] == table) & (listed["printed"] == r.printed)).any(), (table, r.printed)


def test_summary_counts_claims_by_verdict_and_basis(audited):
    # counted by hand from claims.csv (68 claims): recomputed 16 (表1's 8 rates, 表2's 3.1, 表3's 27, 表4's 3 totals,
    # 表5's 3 shares); restated 13 (12 + 近1万, consistent); counted 1 (表2's 11 makerspaces); internal 8 (INTERNAL);
    # compared 17 (16 + 余杭's '-' R&D share, unverifiable); bounded 1 (5.8%); derived 9 (8 implied + 72.3%);
    # none 3 (共53人, 均在50%以下, 全国排名第2)
    table = summary(audited.reset_index(), by="basis")
    assert list(table.columns) == [*VERDICTS, "all"] and table.loc["all", "all"] == len(audited) == 68
    assert list(table.index) == [*BASES, "all"]
    expected = {"recomputed": [16, 0, 0, 0, 0], "restated": [12, 1, 0, 0, 0], "counted": [1, 0, 0, 0, 0],
                "internal": [0, 8, 0, 0, 0], "compared": [0, 16, 0, 1, 0], "bounded": [0, 0, 1, 0, 0],
                "derived": [0, 0, 8, 0, 1], "none": [0, 0, 0, 3, 0], "all": [29, 25, 9, 4, 1]}
    assert {b: table.loc[b, list(VERDICTS)].tolist() for b in expected} == expected


def test_caps_cover_every_basis(data):
    assert set(claims.CAPS) == set(BASES)
    assert claims.CAPS["internal"] == claims.CAPS["compared"] == "consistent"


def test_summary_counts_every_claim(audited):
    table = summary(audited.reset_index())
    assert list(table.columns) == [*VERDICTS, "all"]
    assert table.loc["all", "all"] == len(audited)
    assert list(table.index) == ["一", "二", "三", "all"]
    assert (table.loc[["一", "二", "三"]].sum() == table.loc["all"]).all()
    by_kind = summary(audited.reset_index(), by="kind")  # 'total' is a kind: the margin must not overwrite it
    assert by_kind.loc["total", "all"] == (audited["kind"] == "total").sum()
    assert by_kind.loc["all", "all"] == len(audited)


# --- claims built to fail ------------------------------------------------------------------------
GROWTH_2012 = 'growth(obs("武昌区", "patent_grants", 2011), obs("武昌区", "patent_grants", 2012))'


def test_synthetic_growth_printed_wrong_is_inconsistent(data):
    # data give 28.655…%, which prints 28.7; a printed 28.8 stands for [28.75, 28.85): no overlap
    result = evaluate_en(data, synthetic(printed="28.8", value=28.8, decimals=1, unit="%", check="recompute",
                                      rule=GROWTH_2012))
    assert result["verdict"] == "inconsistent"
    assert "the data would print 28.7" in result["explanation"] and math.isnan(result["band_low"])


def test_synthetic_total_outside_the_rounding_of_its_rows(data):
    # the rows of 表4 are printed to 2, 1 or 0 decimals: 5×0.005 + 2×0.05 + 4×0.5 = 2.125 either side of 1683.07,
    # i.e. [1680.945, 1685.195); a printed 1690 is outside, a printed 1684 inside. A printed v at 0 decimals
    # ([v − 0.5, v + 0.5)) is accepted for v in (1680.445, 1685.695): 5.25 units > 5, so only "consistent"
    rule = 'total("operating_cost", "makerspace", "武昌区")'
    bad = evaluate_en(data, synthetic(printed="1690", value=1690, decimals=0, unit="万元", check="recompute", rule=rule))
    near = evaluate_en(data, synthetic(printed="1684", value=1684, decimals=0, unit="万元", check="recompute", rule=rule))
    assert bad["verdict"] == "inconsistent" and near["verdict"] == "consistent"
    assert near["band_units"] == pytest.approx(5.25, abs=0.01) and "wider than 5 units" in near["explanation"]
    assert "[1680.945, 1685.195)" in bad["recomputed"]


def test_synthetic_false_comparison_is_inconsistent(data):
    rule = 'obs("武昌区", "gdp", 2015) > obs("南山区", "gdp", 2015)'  # 870 > 3715 is false
    result = evaluate_en(data, synthetic(kind="comparison", printed="SYNTHETIC", check="condition", rule=rule,
                                      basis="compared"))
    assert result["verdict"] == "inconsistent" and "false" in result["explanation"]


def test_synthetic_implied_whole_numbers(data):
    # 27 as 37% of N: 27/N in [0.365, 0.375) → N in (72, 73.97] → {73} (27/73 = 36.99%; 27/72 = 37.5% → 38)
    rule = 'whole_in(obs("武昌区", "academicians", 2015) / (this / 100))'
    result = evaluate_en(data, synthetic(kind="share", printed="37%", value=37, decimals=0, unit="%", check="implies",
                                      rule=rule, basis="derived"))
    assert result["verdict"] == "implied" and result["recomputed"].endswith("= {73}")


def test_synthetic_impossible_whole_names_nearest_printed_values(data):
    # 10 as 33.4% of N: N in (10/0.3345, 10/0.3335] = (29.895, 29.985]: none.
    # Down: 33.3% → (29.985, 30.075] holds 30. Up: 33.5 … 34.4 hold none; 34.5% → (28.944, 29.030] holds 29.
    result = evaluate_en(data, synthetic(kind="share", printed="33.4%", value=33.4, decimals=1, unit="%",
                                      check="implies", rule="whole_in(10 / (this / 100))", basis="derived"))
    assert result["verdict"] == "inconsistent"
    assert "printed as 34.5% it would allow 29" in result["explanation"]
    assert "printed as 33.3% it would allow 30" in result["explanation"]


def test_synthetic_missing_input_is_unverifiable(data):
    rule = 'share(obs("余杭区", "rd_expenditure", 2015), obs("余杭区", "gdp", 2015))'  # 余杭区 R&D is '-'
    result = evaluate_en(data, synthetic(kind="ratio", printed="5", value=5, decimals=0, unit="%", check="recompute",
                                      rule=rule))
    assert result["verdict"] == "unverifiable"


def test_synthetic_ambiguous_wording_names_the_supported_reading(data):
    # 27/71 = 38.03% prints 38 (reading 1); 27/70 = 38.57% prints 38.6 ≠ 38 (reading 2)
    result = evaluate_en(data, synthetic(kind="share", printed="38%", value=38, decimals=0, unit="%", check="recompute",
                                      rule='share(obs("武昌区", "academicians", 2015), 71)',
                                      rule_alt='share(obs("武昌区", "academicians", 2015), 70)'))
    assert (result["verdict"], result["verdict_rule"], result["verdict_alt"]) == ("reproduced", "reproduced",
                                                                                   "inconsistent")
    assert result["reading"] == "rule" and "reading 1 decides" in result["explanation"]


def test_units_are_converted_within_a_dimension(data):
    # 最高1亿元 = 10000万元 > 不低于1000万元
    rule = 'upper(obs("余杭区", "project_funding_case_by_case")) > lower(obs("余杭区", "top_team_funding_international"))'
    result = evaluate_en(data, synthetic(kind="comparison", printed="x", check="condition", rule=rule, basis="counted"))
    assert result["verdict"] == "reproduced"


# --- rules that must be refused ------------------------------------------------------------------
@pytest.mark.parametrize("rule, problem", [
    ('obs("武昌区", "gdp", 1999)', "no observation of 'gdp' for '武昌区' in 1999"),
    ('obs("武昌区", "no_such_indicator")', "no observation"),
    ("growth(obs(", "cannot be parsed"),
    ('__import__("os").system("true")', "is not allowed"),
    ('obs("武昌区", "gdp", 2015).lo', "is not allowed"),
    ("growth(1)", "growth()"),
    ("unknown_name + 1", "unknown name"),
    ('obs("武昌区", "gdp", 2015) < obs("武昌区", "resident_population", 2015)', "different dimensions"),
    ("1 / (obs(\"武昌区\", \"gdp\", 2015) - obs(\"武昌区\", \"gdp\", 2015))", "holds 0"),
    ('obs("武昌区", "gdp", 2014 + 1)', "year = 2015"),                      # a year must be a plain whole number
    ('obs(1, "gdp", 2015)', "entity = 1"),
    ('total("operating_cost", "makerspace", "SYNTHETIC_nowhere")', "no entity of level 'makerspace'"),
])
def test_bad_rules_raise_a_claim_error(data, rule, problem):
    claim = synthetic(claim="synthetic_bad", printed="1", value=1, decimals=0, unit="%", check="condition", rule=rule)
    with pytest.raises(ClaimError) as info:
        evaluate(data, claim)
    err = info.value
    assert err.claim == "synthetic_bad" and err.rule == rule and problem in err.problem and err.expected
    assert 'claim "synthetic_bad"' in str(err) and rule in str(err)
    assert str(pickle.loads(pickle.dumps(err))) == str(err)


@pytest.mark.parametrize("fields, problem", [
    ({"check": "recompute", "rule": "1 < 2", "value": 1, "decimals": 0}, "gives true"),     # a statement, not a number
    ({"check": "condition", "rule": "1 + 1"}, "gives 2; expected a statement"),
    ({"check": "recompute", "rule": "this"}, "no printed value"),
    ({"check": "implies", "rule": "this + 1"}, "'this' is used but the claim prints no number"),
    ({"check": "", "rule": "1 < 2"}, "a rule exactly when check is set"),
    ({"check": "guess", "rule": "1 < 2"}, "check = 'guess'"),
])
def test_malformed_claims_raise(data, fields, problem):
    with pytest.raises(ClaimError) as info:
        evaluate_en(data, synthetic(**fields))
    assert problem in str(info.value)


# --- property over the whole registry ---------------------------------------------------------------
def test_moving_a_reproduced_value_outside_its_band_makes_it_inconsistent(data, audited):
    # For every reproduced claim: a printed value a tenth of a unit beyond either edge of its band must be refuted.
    # The failure message names every claim that does not flip.
    not_flipping = []
    registry = data.claims.set_index("claim")
    for claim, row in audited[audited["verdict"] == "reproduced"].iterrows():
        if math.isnan(row["band_low"]):
            continue  # no printed number (a counted label such as 一港、一城、两带)
        unit = 10.0 ** -int(row["decimals"])
        for edge, step in ((row["band_low"], -unit / 10), (row["band_high"], unit / 10)):
            assert math.isfinite(edge), f"{claim}: reproduced with an unbounded band"
            moved = registry.loc[claim].to_dict() | {"claim": claim, "value": edge + step}
            if evaluate(data, moved)["verdict"] != "inconsistent":
                not_flipping.append(f"{claim} at {edge + step}")
    assert not_flipping == []
    assert (audited["verdict"] == "reproduced").sum() == 29  # tested on the registry's 29 reproduced claims, not on nothing


def test_audit_of_one_location_judges_its_claims_as_the_full_audit_does(data, audit_table):
    """02 shows only the claims printed at 表2; they must read exactly as in 04's full audit."""
    full = audit_table  # narrate.audit_table(data)
    part = narrate.audit_table(data, at=["表2"])
    assert len(part) == (full["source"] == "表2").sum() > 0
    columns = ["claim", "verdict", "basis", "explanation_zh", "explanation_en", "band_low", "band_high"]
    expected = full.loc[full["source"] == "表2", columns].reset_index(drop=True)
    pd.testing.assert_frame_equal(part[columns].reset_index(drop=True), expected)
    codes = [c for c in columns if not c.startswith("explanation_")]  # claims.audit alone judges them alike too
    pd.testing.assert_frame_equal(audit(data, at=["表2"])[codes], expected[codes])


# ---------------------------------------------------------------- inputs: the level and parent a rule names
# the 11 makerspaces of 表4, all under 武昌区 (entities.csv, level makerspace)
MAKERSPACES = {"5.5SPACE", "e+创客空间", "东创创意园i创·天地", "凤凰社创艺社影视摄影创艺空间", "E佳众创空间", "世鳌国际",
               "多盟管理总部", "珞樱文化众创空间", "平沙水榭创投空间", "青春码头众创空间", "武昌区青年创客驿站服务中心"}


def with_rules(data, *rules: str):
    """The dataset with a SYNTHETIC registry of claims holding only ``rules`` (inputs() reads rule and rule_alt)."""
    registry = pd.DataFrame({"claim": [f"SYNTHETIC_{i}" for i in range(len(rules))], "rule": list(rules),
                             "rule_alt": [""] * len(rules), "basis": ["compared"] * len(rules)})
    return dataclasses.replace(data, tables={**data.tables, "claims": registry})


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


# ---------------------------------------------------------------- the result columns of a claim and of the audit
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


def test_the_audit_has_the_registry_columns_then_the_results(claims_audit):
    # the registry's columns without source_file and basis (basis comes back among the results), in file order
    registry = ["claim", "section", "source", "kind", "statement_zh", "statement_en", "printed", "value",
                "value_high", "qualifier", "decimals", "unit", "items", "check", "rule", "rule_alt", "readings",
                "rule_label", "rule_label_zh", "note", "source_line"]
    assert list(claims_audit.columns) == registry + RESULT_COLUMNS  # claims.audit(data)


# ---------------------------------------------------------------- a malformed row, named exactly

CHECK_LIST = "['recompute', 'condition', 'implies']"
BASIS_LIST = "['recomputed', 'restated', 'counted', 'internal', 'compared', 'bounded', 'derived', 'none']"


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


# ---------------------------------------------------------------- English texts: compare_printed and the registry
def test_printed_vs_recomputed_statements_in_english(data):
    t4 = claims.compare_printed(data, 4)
    assert not t4["statement_en"].str.contains(CJK).any()
    english = t4.drop(columns=["claim", "statement_zh"])
    assert not ids_in(english.astype(str).stack(), MACHINE_IDS + list(t4["claim"]))


def test_english_texts_of_the_registry_are_english(data):
    """claims.csv's English statement and rule label are data, read by every English audit sentence."""
    registry = claims.registry(data)
    for column in ("statement_en", "rule_label"):
        bad = [t for t in registry[column].fillna("") if CJK.search(t) or re.search(r"\brd\b", t)]
        assert not bad, (column, bad)
    # 表3's 约1万人 and 表2's (项) in English words
    labels = registry.set_index("claim")["rule_label"]
    assert labels["p_researchers_nearly_10k"] == "researchers printed in Table 3 (approximately 10,000 persons)"
    assert labels["t2_patent_stock_nanshan"] == "invention patents in force in Nanshan District (items)"
