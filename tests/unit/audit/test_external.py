"""audit/external.py: the second audit pass, the report's numbers against published figures (data/external/):
each pair's verdict, each number's overall verdict, the first-pass verdict it had before, the summary by kind.

Expected values are worked out by hand from the published figures (data/external/observations.csv, each with its
place in the source) and the report's printed numbers; never taken from the code under test. SYNTHETIC published
figures are built in memory (dataclasses.replace of the loaded ExternalData)."""
from __future__ import annotations

import dataclasses
import inspect
import math

import pandas as pd
import pytest

from analysis_utils.audit import external
from analysis_utils.report import external_views


# ---------------------------------------------------------------- the packaged checks
def pair(checks, item, year):
    hit = checks[(checks["item"] == item) & (checks["external_year"] == year)]
    assert len(hit) >= 1, (item, year)
    return hit.iloc[0]


def test_wuhan_average_is_compared_only_as_a_later_publication(checks):
    # the science bureau's table was published 2019-09-05, three years after the report (August 2016): each of its
    # figures is context ('later_published'), whatever it shows. The numbers stay: 2015's 3.02 lies outside the
    # printed 2.9% = [2.85, 2.95), 3.02 − 2.9 = 0.12; 2014's 2.91 lies inside
    same = pair(checks, "武汉市/rd_intensity/2015", 2015)
    assert same["verdict"] == "later_published" and same["difference"] == pytest.approx(0.12)
    assert same["published_on"] == "2019-09-05" and same["tier"] == "official_site"
    assert pair(checks, "武汉市/rd_intensity/2015", 2014)["verdict"] == "later_published"
    assert pair(checks, "武汉市/rd_intensity/2015", 2013)["verdict"] == "later_published"
    assert same["item_verdict"] == "later_published" and same["item_tier"] == "official_site"


def test_the_recent_years_mean_is_a_reading_of_the_average(checks):
    # 平均值2.9% read as the mean of 2013–2015: (2.74 + 2.91 + 3.02) / 3 = 8.67 / 3 = 2.89, its interval
    # [2.885, 2.895) inside [2.85, 2.95); published 2019: later_published all the same; 2.89 − 2.9 = −0.01
    claim = checks[(checks["item"] == "p_rd_intensity_above_wuhan")
                   & checks["external_printed"].str.startswith("(")].iloc[0]
    assert claim["external_printed"] == "(2.74 + 2.91 + 3.02)/3 = 2.89"
    assert claim["external_value"] == pytest.approx(2.89) and claim["difference"] == pytest.approx(-0.01)
    assert claim["verdict"] == "later_published"


def test_academicians_share_of_hubei_agrees_on_an_unattributed_repost(checks):
    claim = checks[checks["item"] == "p_academicians_share_hubei"]
    hubei = claim[claim["entity"] == "湖北省"].iloc[0]
    # 27 / 71 = 0.380282 → 38.03%, inside the printed 38% = [37.5, 38.5); the 71 comes from a repost without
    # publisher or date: the agreement rests on an unattributed page, and says so
    assert hubei["verdict"] == "agrees" and hubei["external_value"] == pytest.approx(38.028169, abs=1e-6)
    assert (hubei["tier"], hubei["item_tier"], hubei["published_on"]) == ("unattributed", "unattributed", "")
    # the repost shows traditional characters: the quote is as shown, and marked so
    assert (hubei["quote"], hubei["quote_script"]) == ("我省兩院院士已達71人; 目前我省71名兩院院士", "traditional")
    wuhan = claim[claim["entity"] == "武汉市"].iloc[0]
    # 27 / 67 = 0.402985 → 40.30%: Wuhan's own count, published 2019: a later publication
    assert wuhan["verdict"] == "later_published" and wuhan["external_value"] == pytest.approx(40.298507, abs=1e-6)
    assert hubei["before"] == "implied" and bool(hubei["newly_checked"])


def test_the_published_team_counts_against_the_impossible_72_3_percent(checks):
    # 截至2015年底 Shenzhen: 33 Guangdong teams, 64 Peacock teams, 83 in all (64 + 33 − 14 in both). Nanshan's
    # 56 Guangdong teams over Shenzhen's 33: 56/33 = 169.7 %, not 72.3 % = [72.25, 72.35): differs (a part larger
    # than its whole); over the widest whole 83: 56/83 = 67.47 %; over the Peacock teams 64: 56/64 = 87.5 %, both
    # wholes of another scope and neither 72.3 %: context. No whole number n gives 56/n in [72.25, 72.35) %:
    # 56/0.7235 = 77.40 < n ≤ 56/0.7225 = 77.51
    claim = checks[checks["item"] == "p_guangdong_teams_share_shenzhen"].set_index("indicator")
    assert claim.loc["guangdong_innovation_teams", "external_printed"] == "56/33 = 169.7%"
    assert claim.loc["guangdong_innovation_teams", "verdict"] == "differs"
    assert claim.loc["innovation_teams_union", ["external_printed", "verdict"]].tolist() == ["56/83 = 67.47%", "context"]
    assert claim.loc["peacock_teams", ["external_printed", "verdict"]].tolist() == ["56/64 = 87.5%", "context"]
    assert set(claim["item_verdict"]) == {"differs"} and set(claim["tier"]) == {"unattributed"}
    assert set(claim["before"]) == {"inconsistent"}


def test_table_2_cells(checks):
    # Nanshan GDP printed 3715 (亿元): three 2015 figures agree — an unattributed page's 3715, a forum repost's
    # 3714.57 (in [3714.5, 3715.5)) and Xinhua's 3715 (a named news report of 2016-05-11, before the report):
    # the agreement rests on the named report
    nanshan = checks[checks["item"] == "南山区/gdp/2015"]
    assert set(nanshan["verdict"]) == {"agrees"} and set(nanshan["item_tier"]) == {"named_news"}
    assert sorted(nanshan["tier"]) == ["named_news", "unattributed", "unattributed"]
    # Yuhang GDP printed 1235 for 2015; only 2014 (1101.04), 2011, 2008 published: context; 1101.04 - 1235 = -133.96
    yuhang = pair(checks, "余杭区/gdp/2015", 2014)
    assert yuhang["verdict"] == "context" and yuhang["difference"] == pytest.approx(-133.96)
    assert yuhang["item_verdict"] == "context"
    # Nanshan's 1641 high-tech enterprises: Xinhua's 1641 of May 2016 ('目前'): another year's figure agrees
    assert pair(checks, "南山区/high_tech_firms/2015", 2016)["verdict"] == "other_year"


def test_resident_population_cells_meet_published_residents(checks):
    # 南山 112 against 111.91 (2015, a forum repost citing the Shenzhen Statistics Bureau): agrees, unattributed
    assert pair(checks, "南山区/resident_population/2015", 2015)[["verdict", "tier"]].tolist() == [
        "agrees", "unattributed"]
    # 余杭 92.54 against Hangzhou's official 135.90 for 2016, published 2017-02-23: a later publication
    yuhang = pair(checks, "余杭区/resident_population/2015", 2016)
    assert yuhang["verdict"] == "later_published" and yuhang["difference"] == pytest.approx(135.90 - 92.54)
    # 武昌 113 against the 2010 census (1,199,127 persons = 119.9127万, an undated mirror: context, another year)
    # and the 2018–2020 figures, all published after the report: 2019's page is undated, but a figure of 2019
    # cannot have appeared before August 2016
    wuchang = checks[checks["item"] == "武昌区/resident_population/2015"].set_index("external_year")["verdict"]
    assert wuchang.to_dict() == {2010: "context", 2020: "later_published", 2019: "later_published",
                                 2018: "later_published"}
    assert pair(checks, "武昌区/resident_population/2015", 2019)["published_on"] == ""  # the date is not invented


def test_summary_counts_each_report_number_once_by_standing(checks):
    """By hand from the packaged data. Claims: p_rd_intensity_above_wuhan later_published (official site);
    t2_rd_intensity_nanshan and p_academicians_share_hubei agree, p_guangdong_teams_share_shenzhen differs (all
    three on unattributed pages). Cells: 余杭 resident and 武汉 R&D later_published, 余杭 GDP context (official
    site); 武昌 resident later_published (official copy); 南山 GDP agrees and 南山 high-tech other_year (named news);
    南山 resident and R&D agree (unattributed)."""
    table = external.external_summary(checks)
    assert list(table.columns) == ["agrees", "differs", "differs_other", "other_year", "other_scope",
                                   "later_published", "context", "all", "newly_checked"]
    expected = {
        ("claim", "official_site"): [0, 0, 0, 0, 0, 1, 0, 1], ("claim", "unattributed"): [2, 1, 0, 0, 0, 0, 0, 3],
        ("claim", "all"): [2, 1, 0, 0, 0, 1, 0, 4],
        ("cell", "official_site"): [0, 0, 0, 0, 0, 2, 1, 3], ("cell", "official_copy"): [0, 0, 0, 0, 0, 1, 0, 1],
        ("cell", "named_news"): [1, 0, 0, 1, 0, 0, 0, 2], ("cell", "unattributed"): [2, 0, 0, 0, 0, 0, 0, 2],
        ("cell", "all"): [3, 0, 0, 1, 0, 3, 1, 8],
        ("all", "official_site"): [0, 0, 0, 0, 0, 3, 1, 4], ("all", "official_copy"): [0, 0, 0, 0, 0, 1, 0, 1],
        ("all", "named_news"): [1, 0, 0, 1, 0, 0, 0, 2], ("all", "unattributed"): [4, 1, 0, 0, 0, 0, 0, 5],
        ("all", "all"): [5, 1, 0, 1, 0, 4, 1, 12]}
    assert {k: table.loc[k].tolist()[:8] for k in expected} == expected
    assert list(table.index) == list(expected)
    # agreements from unattributed pages (4) are never added to those from named or official sources (1)
    assert table.loc[("all", "all"), "all"] == checks["item"].nunique()


@pytest.mark.parametrize("pairs, expected", [
    (["agrees", "differs", "other_year"], "agrees"),
    (["differs", "other_year", "context"], "differs_other"),
    (["differs", "other_scope"], "differs_other"),
    (["other_year", "context"], "other_year"),
    (["other_scope"], "other_scope"),
    (["differs", "context"], "differs"),
    (["context"], "context"),
    (["later_published", "context"], "later_published"),
    (["later_published", "other_year"], "other_year"),
    (["differs", "later_published"], "differs"),
])
def test_item_verdict_rule(pairs, expected):
    assert external.item_verdict(pairs) == expected


def test_the_checks_are_codes_and_numbers_and_the_words_are_added_per_language(data, ext, checks):
    # external_checks takes no language; a column of one language comes only as a _zh/_en pair (the claim's
    # statement, the place in the source); the report's and the source's own words (printed, external_printed,
    # quote) are the same whatever the reader's language

    assert "lang" not in inspect.signature(external.external_checks).parameters
    assert list(checks.columns) == [
        "item", "kind", "source", "statement_zh", "statement_en", "entity", "indicator", "year", "printed", "unit",
        "external_year", "external_printed", "external_unit", "external_value", "difference", "relative", "verdict",
        "item_verdict", "before", "newly_checked", "source_id", "tier", "item_tier", "published_on", "url", "location_zh",
        "location_en", "quote", "quote_script"]
    stems = {c[:-3] for c in checks.columns if c.endswith(("_zh", "_en"))}
    assert stems == {"statement", "location"} and all({f"{s}_zh", f"{s}_en"} <= set(checks.columns) for s in stems)
    assert not {"statement", "location", "published", "publisher", "explanation"} & set(checks.columns)
    # 一(二)3's 2.9% against the science bureau's 3.02 for 2015 (row 7, column 2015 of its table): a cell, so no
    # statement of its own; 3.02 − 2.9 = 0.12
    row = pair(checks, "武汉市/rd_intensity/2015", 2015)
    assert (row["statement_zh"], row["statement_en"], row["printed"], row["unit"]) == ("", "", "2.9%", "%")
    assert (row["external_printed"], row["external_unit"], row["verdict"]) == ("3.02", "%", "later_published")
    assert (row["location_zh"], row["location_en"]) == ("表中第7行，2015年列", "table, row 7, column 2015")
    # report.external_views adds the words: checks_table both explanations, worded one language's reader columns
    table = external_views.checks_table(checks, data, ext)
    assert list(table.columns) == list(checks.columns) + ["explanation_zh", "explanation_en"]
    assert table.loc[row.name, "explanation_en"] == (
        "Wuhan Municipal Science and Technology Bureau published 3.02% for 2015 only on 2019-09-05, after the report "
        "(August 2016): the authors could not have had it, so it is context, neither agreement nor disagreement; "
        "against the printed 2.9%, published minus printed is 0.12 percentage points (table, row 7, column 2015).")
    assert table.loc[row.name, "explanation_zh"] == (
        "武汉市科学技术局于2019-09-05才公布2015年的数字3.02%，晚于报告（2016年8月）：报告作者无从得到，仅供参照，不算相符或"
        "不符；与报告所印2.9%相比公布数减报告数为0.12个百分点（表中第7行，2015年列）。")
    for lang, words in (("en", ["R&D intensity, Wuhan", "3.02%", "Wuhan Municipal Science and Technology Bureau"]),
                        ("zh", ["武汉市年度研发投入占比", "3.02%", "武汉市科学技术局"])):
        worded = external_views.worded(checks, data, ext, lang)
        assert list(worded.columns) == list(checks.columns) + ["statement", "published", "publisher", "explanation"]
        assert worded.loc[row.name, ["statement", "published", "publisher"]].tolist() == words
        assert worded.loc[row.name, "explanation"] == table.loc[row.name, f"explanation_{lang}"]


def test_before_is_the_first_pass_verdict_of_each_linked_claim(checks):
    before = checks.drop_duplicates("item").set_index("item")["before"]
    # p_rd_intensity_above_wuhan: the true 3.1 > 2.9, checked within its sentence, is consistent;
    # t2_rd_intensity_nanshan: 'bounded' (only R&D > 200 is printed) at implied; p_academicians_share_hubei:
    # 'derived' (the whole behind 38%) at implied; report cells some claim reads: claim_input
    assert before["p_rd_intensity_above_wuhan"] == "consistent"
    assert before["t2_rd_intensity_nanshan"] == "implied"
    assert before["p_academicians_share_hubei"] == "implied"
    assert before["南山区/gdp/2015"] == "claim_input"
    # newly checked: implied before, a same-year figure published in time agrees now (a later one checks nothing)
    newly = checks.drop_duplicates("item").set_index("item")["newly_checked"]
    assert newly["t2_rd_intensity_nanshan"] and newly["p_academicians_share_hubei"]
    assert not newly["p_rd_intensity_above_wuhan"] and not newly["南山区/gdp/2015"]


def test_each_check_is_of_a_claim_or_of_a_cell(checks):
    kinds = checks.drop_duplicates("item").set_index("item")["kind"]
    # four linked claims (claim_links.csv), eight report cells with a published counterpart
    assert sorted(kinds[kinds == "claim"].index) == ["p_academicians_share_hubei", "p_guangdong_teams_share_shenzhen",
                                                     "p_rd_intensity_above_wuhan", "t2_rd_intensity_nanshan"]
    assert sorted(kinds[kinds == "cell"].index) == [
        "余杭区/gdp/2015", "余杭区/resident_population/2015", "南山区/gdp/2015", "南山区/high_tech_firms/2015",
        "南山区/rd_intensity/2015", "南山区/resident_population/2015", "武昌区/resident_population/2015",
        "武汉市/rd_intensity/2015"]
    summary = external.external_summary(checks)
    assert summary.loc[("cell", "all"), "all"] == 8 and summary.loc[("claim", "all"), "all"] == 4


# ---------------------------------------------------------------- SYNTHETIC published figures
def synthetic_ext(ext, rows: list[dict], links: list[dict] | None = None):
    """The external data with only the SYNTHETIC observations ``rows`` (each a template row of a real source with
    the given fields) and the packaged claim links, or ``links``."""
    # first_published: the SYNTHETIC figure appeared before the report, so it is checked (the template's source,
    # the science bureau's table, is of 2019)
    template = ext.observations.iloc[0].to_dict() | {"year_start": None, "value_high": None, "qualifier": "",
                                                     "note": "SYNTHETIC", "quote": "SYNTHETIC",
                                                     "first_published": "2016-03"}
    observations = pd.DataFrame([template | r for r in rows])
    claim_links = ext.claim_links if links is None else pd.DataFrame(links)
    return dataclasses.replace(ext, observations=observations, claim_links=claim_links)


def one(checks, item):
    hit = checks[checks["item"] == item]
    assert len(hit) == 1, (item, len(hit))
    return hit.iloc[0]


def test_a_published_figure_is_read_at_its_own_printed_decimals(data, ext, claims_audit):
    # SYNTHETIC: Wuhan's 2015 R&D intensity published as "3.00" stands for [2.995, 3.005), not [2.5, 3.5): it
    # misses the report's 2.9% = [2.85, 2.95), so the pair differs by 3.00 − 2.9 = 0.1
    synthetic = synthetic_ext(ext, [{"entity": "武汉市", "indicator": "rd_intensity", "year": 2015, "value": 3.0,
                                     "unit": "%", "printed": "3.00"}])
    checks = external.external_checks(data, synthetic, claims_audit)
    for item in ("武汉市/rd_intensity/2015", "p_rd_intensity_above_wuhan"):
        row = one(checks, item)
        assert row["verdict"] == "differs" and row["difference"] == pytest.approx(0.1)


def test_a_printed_zero_has_a_difference_but_no_relative_difference(data, ext, claims_audit):
    # SYNTHETIC: 5.5SPACE's investment raised, printed 0 (万元) in 表4, published as 0: they agree, the difference
    # is 0 and there is no relative difference (nothing to divide by)
    synthetic = synthetic_ext(ext, [{"entity": "5.5SPACE", "indicator": "investment_raised", "year": 2015,
                                     "value": 0.0, "unit": "万元", "printed": "0"}])
    row = one(external.external_checks(data, synthetic, claims_audit), "5.5SPACE/investment_raised/2015")
    assert row["verdict"] == "agrees" and row["difference"] == 0
    assert row["relative"] is None or math.isnan(row["relative"])


def test_a_report_cell_keeps_its_qualifier(data, ext, claims_audit):
    # SYNTHETIC: Nanshan's R&D published as 215.5亿元 = [215.45, 215.55); the report prints '>200', i.e. (200, ∞):
    # they agree (read without its '>', 200 would be [199.5, 200.5) and differ); difference 215.5 − 200 = 15.5
    synthetic = synthetic_ext(ext, [{"entity": "南山区", "indicator": "rd_expenditure", "year": 2015, "value": 215.5,
                                     "unit": "亿元", "printed": "215.5亿元"}])
    row = one(external.external_checks(data, synthetic, claims_audit), "南山区/rd_expenditure/2015")
    assert row["verdict"] == "agrees" and row["difference"] == pytest.approx(15.5)


def test_a_share_of_a_published_whole_in_percent(data, ext, claims_audit):
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
    checks = external.external_checks(data, synthetic, claims_audit)
    share = one(checks, "t2_rd_intensity_wuchang")
    assert (share["kind"], share["year"], share["external_year"]) == ("claim", 2015, 2015)
    assert (share["external_printed"], share["external_unit"]) == ("26.97/860 = 3.136%", "%")
    assert external_views.worded(checks, data, synthetic, "en").loc[share.name, "published"] == "26.97/860 = 3.136%"
    assert share["verdict"] == "agrees" and share["difference"] == pytest.approx(0.036047, abs=1e-6)
    cell = one(checks, "武昌区/gdp/2015")
    assert cell["verdict"] == "differs" and cell["difference"] == pytest.approx(-10)


def test_a_linked_series_the_report_does_not_print_speaks_of_the_report_year(data, ext, claims_audit):
    # SYNTHETIC: 南山区's 5.8% linked to a published R&D intensity of 深圳市, a series the report prints for no
    # year: the claim speaks of the report's year, 2015; "4.20" = [4.195, 4.205) misses [5.75, 5.85) and is of
    # another place: context
    synthetic = synthetic_ext(ext, [{"entity": "深圳市", "indicator": "rd_intensity", "year": 2015, "value": 4.2,
                                     "unit": "%", "printed": "4.20"}],
                              [{"claim": "t2_rd_intensity_nanshan", "how": "value", "entity": "深圳市",
                                "indicator": "rd_intensity", "part_entity": None, "part_indicator": None,
                                "scope": "other", "note": "SYNTHETIC"}])
    row = one(external.external_checks(data, synthetic, claims_audit), "t2_rd_intensity_nanshan")
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


@pytest.mark.parametrize("published, expected", [
    ("", False), ("2016", False), ("2016-08", False), ("2016-08-31", False), ("2016-09", True),
    ("2016-09-01", True), ("2017", True), ("2015-12-30", False)])
def test_a_figure_is_later_than_the_report_after_august_2016(published, expected):
    # the report is dated 2016年8月; a date without a month ('2016') may be before it: not later
    assert external.later(published) is expected


def test_a_source_without_a_tier_is_the_users_own(data, ext, claims_audit):
    # SYNTHETIC: a user's registry row leaves tier empty: it stands as the user's own source, never as official
    sources = ext.sources.assign(tier="")
    synthetic = dataclasses.replace(synthetic_ext(ext, [{"entity": "武汉市", "indicator": "rd_intensity",
                                                         "year": 2015, "value": 2.9, "unit": "%", "printed": "2.9"}]),
                                    sources=sources)
    row = one(external.external_checks(data, synthetic, claims_audit), "武汉市/rd_intensity/2015")
    assert (row["verdict"], row["tier"], row["item_tier"]) == ("agrees", "own", "own")
    assert external.external_summary(external.external_checks(data, synthetic, claims_audit)).loc[("cell", "own"), "agrees"] == 1
