"""One meaning per qualifier, read from data/qualifiers.csv by data.qualifiers and used by every layer.

Expected intervals are worked out by hand in the comments from the report's wording (以下 and 以上
include the number itself; 近 is close to but not above it), never copied from the code's output.
"""
from __future__ import annotations

import csv
import re
from fractions import Fraction as F
from pathlib import Path

import pytest

from analysis_utils.analysis.compare import bound_of, per_denominator, snapshot
from analysis_utils.audit.claims import evaluate
from analysis_utils.audit.intervals import (
    INF,
    Interval,
    IntervalError,
    printed_interval,
)
from analysis_utils.composite.index import IndicatorMatrix, treat_censored_missing
from analysis_utils.composite.indicators import indicator_matrix
from analysis_utils.data.load import load
from analysis_utils.data.qualifiers import QualifierError, packaged_qualifiers
from analysis_utils.errors import AnalysisError, DataValidationError
from analysis_utils.paths import PACKAGE_DIR

DISTRICTS = ["武昌区", "南山区", "余杭区"]


def test_packaged_classes():
    table = packaged_qualifiers()
    assert table.codes("exact") == ("", "approx")
    assert table.codes("lower") == ("over", "gt", "ge")
    assert table.codes("upper") == ("nearly", "lt", "le")  # 近 is an upper bound, like 以下 and 最高
    assert table.codes("range") == ("range",) and table.codes("missing") == ("missing",)
    assert table["lt"].upper_inclusive is True and table["gt"].lower_inclusive is False
    assert table["lt"].name_en == "at most"
    with pytest.raises(QualifierError, match="unknown qualifier 'about'"):
        table["about"]


@pytest.mark.parametrize("qualifier, value, decimals, high, expected", [
    ("", F("28.7"), 1, None, Interval(F("28.65"), F("28.75"), True, False)),  # 28.7 ± 0.05, half up
    ("approx", 5500, 0, None, Interval(5450, 5550, True, False)),            # 约5500: hundreds digit → ± 50
    ("nearly", 1, 0, None, Interval(F(1, 2), 1, True, True)),                # 近1万: ≤ 1, within 0.5 below
    ("over", 40, 0, None, Interval(40, INF, True, False)),                   # 40余家: 40 or more
    ("gt", 200, 0, None, Interval(200, INF, False, False)),                  # >200: 200 itself excluded
    ("ge", 30, 0, None, Interval(30, INF, True, False)),                     # 起步30万元: 30 included
    ("lt", 50, 0, None, Interval(-INF, 50, False, True)),                    # 50%以下: 50 included
    ("le", 1, 0, None, Interval(-INF, 1, False, True)),                      # 最高1亿元: 1 included
    ("range", 5, 0, 10, Interval(5, 10, True, True)),                        # 5—10万平方米
    ("missing", None, 0, None, Interval.unknown()),                          # '-'
])
def test_interval_of_each_code(qualifier, value, decimals, high, expected):
    assert printed_interval(value, decimals, qualifier, high) == expected


def test_yixia_includes_the_number():
    assert printed_interval(50, 0, "lt").contains(50)       # 50%以下 allows exactly 50%
    assert not printed_interval(200, 0, "gt").contains(200)  # >200 does not allow 200
    assert printed_interval(1, 0, "nearly").contains(1) and not printed_interval(1, 0, "nearly").contains(F("1.01"))
    with pytest.raises(IntervalError, match="unknown qualifier"):
        printed_interval(1, 0, "about")


def test_claim_needing_exactly_50_is_not_refuted(data):
    # 武昌区 park concentration is printed 均在50%以下 → (−∞, 50]; "== 50" is possible, "< 50" not certain
    base = {"claim": "synthetic_q", "section": "二", "source": "二2", "kind": "comparison", "statement_zh": "SYNTHETIC",
            "statement_en": "SYNTHETIC", "printed": "x", "qualifier": "", "check": "condition",
            "basis": "compared"}
    equal = evaluate(data, base | {"rule": 'obs("武昌区", "park_key_industry_concentration") == 50'})
    strict = evaluate(data, base | {"rule": 'obs("武昌区", "park_key_industry_concentration") < 50'})
    above = evaluate(data, base | {"rule": 'obs("武昌区", "park_key_industry_concentration") > 50'})
    assert equal["verdict"] != "inconsistent"
    assert strict["verdict"] != "reproduced"
    assert above["verdict"] == "inconsistent"  # above 50 is excluded by 以下 in either reading


def _write_qualifiers(data_dir: Path, code: str, **changes) -> None:
    path = data_dir / "qualifiers.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    header = list(rows[0])
    for row in rows:
        if row["qualifier"] == code:
            row.update(changes)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header)
        writer.writeheader()
        writer.writerows(rows)


def test_user_table_changes_every_layer(data_copy):
    # A user reads '>200' (gt, 南山区 R&D expenditure 2015, 亿元) as a plain number: lower = upper = value.
    _write_qualifiers(data_copy, "gt", upper="value", upper_inclusive="true", lower_inclusive="true",
                      precision="decimals")
    mine = load(data_copy)
    # loader and comparisons
    assert mine.qualifier_table.kind("gt") == "exact" and bound_of("gt", mine.qualifier_table) == "exact"
    snap = snapshot(mine, ["南山区"], ["rd_expenditure"], 2015)
    assert list(snap["bound"]) == ["exact"]
    # audit: 200 at 0 decimals → [199.5, 200.5)
    assert printed_interval(200, 0, "gt", qualifiers=mine.qualifier_table) == Interval(F(399, 2), F(401, 2), True, False)
    # composite: the cell is no longer censored, so "exclude" keeps it (200 / 112 万人)
    treated, record = treat_censored_missing(indicator_matrix(mine, DISTRICTS), censored="exclude")
    assert treated.values.loc["南山区", "rd_expenditure"] == pytest.approx(200 / 112)
    nanshan = record[(record["entity"] == "南山区") & (record["indicator"] == "rd_expenditure")]
    assert nanshan.empty  # not treated (余杭区's '-' is still imputed)
    # with the packaged table the same cell is a lower bound and "exclude" sets it missing, then imputes
    _, packaged_record = treat_censored_missing(indicator_matrix(load(), DISTRICTS), censored="exclude")
    hit = packaged_record[(packaged_record["entity"] == "南山区") & (packaged_record["indicator"] == "rd_expenditure")]
    assert hit[["action", "side"]].values.tolist()[:1] == [["bound_excluded", "lower"]]


def test_nearly_is_an_upper_bound_in_the_composite_with_printed_value_under_bound():
    import pandas as pd

    values = pd.DataFrame({"p": [1.0, 2.0]}, index=["A", "B"])
    qualifier = pd.DataFrame({"p": ["nearly", ""]}, index=["A", "B"])
    matrix = IndicatorMatrix(values, qualifier, pd.Series({"p": 1}))
    treated, record = treat_censored_missing(matrix, censored="bound")
    assert treated.values.loc["A", "p"] == 1.0  # the printed value, unchanged
    assert record[["action", "side"]].values.tolist() == [["bound_used", "upper"]]
    excluded, _ = treat_censored_missing(matrix, censored="exclude", missing="zero")
    assert excluded.values.loc["A", "p"] == 0.0


def test_bad_qualifier_row_is_a_validation_error(data_copy):
    _write_qualifiers(data_copy, "le", lower_inclusive="true")  # 最高 has no lower bound to include
    with pytest.raises(DataValidationError) as info:
        load(data_copy)
    problems = [p for p in info.value.problems if p.file.endswith("qualifiers.csv")]
    assert [(p.row, p.column, p.code) for p in problems] == [(8, "lower_inclusive", "constraint-error")]


def test_per_denominator_matches_the_composite_by_hand(data):
    # observations.csv: 武昌区 high_tech_firms 2015 = 74 个, resident_population = 113 万人 → 74/113 per 10k
    rows = per_denominator(data, ["武昌区"], ["high_tech_firms"], 2015, "per_resident")
    assert list(rows["unit"]) == ["个/万人"] and rows["value"].iloc[0] == 74 / 113
    assert indicator_matrix(data, DISTRICTS).values.loc["武昌区", "high_tech_firms"] == 74 / 113
    # 南山区 rd_expenditure '>200' 亿元 / 112 万人 stays a lower bound
    rd = per_denominator(data, ["南山区"], ["rd_expenditure"], 2015)
    assert (rd["value"].iloc[0], rd["qualifier"].iloc[0], rd["bound"].iloc[0]) == (200 / 112, "gt", "lower")
    with pytest.raises(AnalysisError, match="denominator"):
        per_denominator(data, ["武昌区"], ["gdp"], 2015, "per_person")


def test_no_module_hard_codes_qualifier_codes():
    # Codes may be named only as keys of display templates ("code": (zh, en)); their meaning is in the table.
    codes = "approx|nearly|over|gt|ge|lt|le"
    literal = re.compile(rf"""["']({codes})["']""")
    offenders = []
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            code_part = line.split("#", 1)[0]
            for match in literal.finditer(code_part):
                if not re.match(r"\s*:\s*\(", code_part[match.end():]):
                    offenders.append(f"{path.name}:{number}: {line.strip()}")
    assert offenders == []
