"""Claims audit: the shipped registry, claims built to fail, and rules that must be refused.

Expected numbers are worked out by hand in the comments, never copied from the code's output.
"""
from __future__ import annotations

import csv
import pickle

import pytest

from analysis_utils.audit.claims import VERDICTS, ClaimError, audit, compare_printed, evaluate, summary
from analysis_utils.data.load import load
from analysis_utils.errors import AnalysisError, DataValidationError


@pytest.fixture(scope="module")
def audited(data):
    return audit(data).set_index("claim")


def synthetic(**fields) -> dict:
    """A claim that is not in the report (id prefixed synthetic_), built for a test."""
    base = {"claim": "synthetic_claim", "section": "一", "source": "表1", "kind": "growth",
            "statement_zh": "SYNTHETIC", "statement_en": "SYNTHETIC", "printed": "", "qualifier": ""}
    return base | fields


# --- the shipped registry --------------------------------------------------------------------
def test_every_claim_is_evaluated_and_explained(data, audited):
    assert len(audited) == len(data.claims) and audited.index.is_unique
    assert set(audited["verdict"]) <= set(VERDICTS)
    assert audited["explanation"].str.strip().str.len().gt(20).all()
    checked = audited[audited["check"] != ""]
    assert (checked["recomputed"] != "").all()


def test_table_1_growth_rates_are_reproduced(data):
    # 1971/1532 = 1.28655 → 28.7; 2130/1971 = 1.08067 → 8.1; 2154/2130 = 1.01127 → 1.1; 2826/2154 = 1.31198 → 31.2
    # 627/493 = 1.27181 → 27.2; 565/627 = 0.90112 → -9.9; 594/565 = 1.05133 → 5.1; 970/594 = 1.63300 → 63.3
    table = compare_printed(data, 1, lang="en")
    assert list(table["recomputed"]) == ["28.7", "8.1", "1.1", "31.2", "27.2", "-9.9", "5.1", "63.3"]
    assert table["agree"].all() and list(table["printed"]) == list(table["recomputed"])


def test_table_4_and_5_derived_numbers(data):
    # 表4: 18.59+44.55+94.83+75.56+271.04+244.3+402+126+350+45.2+11 = 1683.07;
    # 2.1+24+23+17.63+14+148.19+0+156+60+7.79+0 = 452.71; 200+2500+262+3500 = 6462 ('-' left out)
    t4 = compare_printed(data, 4).set_index("claim")
    assert list(t4["recomputed"]) == ["1683.07", "452.71", "6462"] and t4["agree"].all()
    t4_en = compare_printed(data, 4, lang="en").set_index("claim")
    assert t4_en.loc["t4_total_revenue", "statement"] == "Total revenue of the 11 makerspaces."
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
    assert row["verdict"] == "implied" and row["recomputed"].startswith("{71, 72}")


def test_tech_contract_multiple_has_two_readings(audited):
    # standard (×4.67): 33.5/4.675 = 7.166 … 34.5/4.665 = 7.396; loose (×3.67): 33.5/3.675 = 9.116 … 34.5/3.665 = 9.413
    row = audited.loc["p_tech_contract_multiple"]
    assert row["verdict"] == "implied" and row["reading"] == "undecided"
    assert "(7.16578, 7.3955)" in row["recomputed"] and "(9.11565, 9.41337)" in row["recomputed_alt"]
    assert "cannot decide" in row["explanation"]


def test_more_than_half_without_investment(audited):
    # 6 zeros of 11 and one '-' (世鳌国际): 6/11 = 54.5% … 7/11 = 63.6%, above 50% either way
    row = audited.loc["p_makerspaces_without_investment"]
    assert row["verdict"] == "reproduced" and "世鳌国际" in row["explanation"]
    assert "世鳌国际" in audited.loc["t4_total_investment", "explanation"]


def test_missing_peer_value_is_unverifiable(audited):
    row = audited.loc["p_gap_rd_intensity_yuhang"]  # 余杭区 prints '-' for its R&D share
    assert row["verdict"] == "unverifiable" and "'-'" in row["explanation"]


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
    result = evaluate(data, synthetic(printed="28.8", value=28.8, decimals=1, unit="%", check="recompute",
                                      rule=GROWTH_2012))
    assert result["verdict"] == "inconsistent"
    assert "would have to be 28.7" in result["explanation"]


def test_synthetic_total_outside_the_rounding_of_its_rows(data):
    # the rows of 表4 are printed to 2, 1 or 0 decimals: 5×0.005 + 2×0.05 + 4×0.5 = 2.125 either side of 1683.07,
    # i.e. [1680.945, 1685.195); a printed 1690 is outside, a printed 1684 inside
    rule = 'total("operating_cost", "makerspace", "武昌区")'
    bad = evaluate(data, synthetic(printed="1690", value=1690, decimals=0, unit="万元", check="recompute", rule=rule))
    near = evaluate(data, synthetic(printed="1684", value=1684, decimals=0, unit="万元", check="recompute", rule=rule))
    assert bad["verdict"] == "inconsistent" and near["verdict"] == "reproduced"
    assert "[1680.945, 1685.195)" in bad["recomputed"]


def test_synthetic_false_comparison_is_inconsistent(data):
    rule = 'obs("武昌区", "gdp", 2015) > obs("南山区", "gdp", 2015)'  # 870 > 3715 is false
    result = evaluate(data, synthetic(kind="comparison", printed="SYNTHETIC", check="condition", rule=rule))
    assert result["verdict"] == "inconsistent" and "false" in result["explanation"]


def test_synthetic_implied_whole_numbers(data):
    # 27 as 37% of N: 27/N in [0.365, 0.375) → N in (72, 73.97] → {73} (27/73 = 36.99%; 27/72 = 37.5% → 38)
    rule = 'whole_in(obs("武昌区", "academicians", 2015) / (this / 100))'
    result = evaluate(data, synthetic(kind="share", printed="37%", value=37, decimals=0, unit="%", check="implies",
                                      rule=rule))
    assert result["verdict"] == "implied" and result["recomputed"].startswith("{73}")


def test_synthetic_impossible_whole_names_nearest_printed_values(data):
    # 10 as 33.4% of N: N in (10/0.3345, 10/0.3335] = (29.895, 29.985]: none.
    # Down: 33.3% → (29.985, 30.075] holds 30. Up: 33.5 … 34.4 hold none; 34.5% → (28.944, 29.030] holds 29.
    result = evaluate(data, synthetic(kind="share", printed="33.4%", value=33.4, decimals=1, unit="%",
                                      check="implies", rule="whole_in(10 / (this / 100))"))
    assert result["verdict"] == "inconsistent"
    assert "printed as 34.5% it would allow 29" in result["explanation"]
    assert "printed as 33.3% it would allow 30" in result["explanation"]


def test_synthetic_missing_input_is_unverifiable(data):
    rule = 'share(obs("余杭区", "rd_expenditure", 2015), obs("余杭区", "gdp", 2015))'  # 余杭区 R&D is '-'
    result = evaluate(data, synthetic(kind="ratio", printed="5", value=5, decimals=0, unit="%", check="recompute",
                                      rule=rule))
    assert result["verdict"] == "unverifiable"


def test_synthetic_ambiguous_wording_names_the_supported_reading(data):
    # 27/71 = 38.03% prints 38 (reading 1); 27/70 = 38.57% prints 38.6 ≠ 38 (reading 2)
    result = evaluate(data, synthetic(kind="share", printed="38%", value=38, decimals=0, unit="%", check="recompute",
                                      rule='share(obs("武昌区", "academicians", 2015), 71)',
                                      rule_alt='share(obs("武昌区", "academicians", 2015), 70)'))
    assert (result["verdict"], result["verdict_rule"], result["verdict_alt"]) == ("reproduced", "reproduced",
                                                                                   "inconsistent")
    assert result["reading"] == "rule" and "first reading only" in result["explanation"]


def test_units_are_converted_within_a_dimension(data):
    # 最高1亿元 = 10000万元 > 不低于1000万元
    rule = 'upper(obs("余杭区", "project_funding_case_by_case")) > lower(obs("余杭区", "top_team_funding_international"))'
    result = evaluate(data, synthetic(kind="comparison", printed="x", check="condition", rule=rule))
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
        evaluate(data, synthetic(**fields))
    assert problem in str(info.value)


# --- the registry is validated by load() --------------------------------------------------------
def _rewrite(path, change):
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
        header = list(rows[0])
    change(rows)
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, header)
        writer.writeheader()
        writer.writerows(rows)


@pytest.mark.parametrize("column, value, code", [
    ("check", "guess", "constraint-error"),
    ("unit", "furlong", "foreign-key-error"),
    ("decimals", "one", "type-error"),
    ("claim", "Bad Id", "constraint-error"),
])
def test_broken_registry_fails_validation(data_copy, column, value, code):
    _rewrite(data_copy / "claims.csv", lambda rows: rows[0].update({column: value}))
    with pytest.raises(DataValidationError) as info:
        load(data_copy)
    problems = [p for p in info.value.problems if p.file.endswith("claims.csv")]
    assert [(p.row, p.column, p.code) for p in problems] == [(1, column, code)]
