"""One rounding rule (rounding.py): half away from zero on the printed decimal, for tables, prose and the audit.

Every expected value is worked out by hand: 四舍五入 on the magnitude, the float read as it prints.
"""
from __future__ import annotations

import csv
import math
from fractions import Fraction as F

import pytest

from analysis_utils.audit.claims import compare_printed
from analysis_utils.audit.intervals import round_printed
from analysis_utils.data.load import load
from analysis_utils.report.report_tables import table_1
from analysis_utils.rounding import (
    format_fixed,
    format_percent,
    round_exact,
    round_half_up,
)


@pytest.mark.parametrize("value, decimals, expected, text", [
    (0.125, 2, 0.13, "0.13"),     # round(0.125, 2) is 0.12 (half to even)
    (2.675, 2, 2.68, "2.68"),     # round(2.675, 2) is 2.67 (binary 2.67499…); as printed it is a tie
    (0.5, 0, 1.0, "1"),           # round(0.5) is 0
    (1.5, 0, 2.0, "2"),
    (2.5, 0, 3.0, "3"),           # round(2.5) is 2
    (-0.125, 2, -0.13, "-0.13"),  # half away from zero: the mirror of 0.125
    (31.195, 2, 31.2, "31.20"),   # trailing zero kept by format_fixed
    (-0.004, 2, 0.0, "0.00"),     # no '-0.00'
    (1234.5, -1, 1230.0, "1230"),  # to tens: 123.45 tens → 123 tens = 1230
])
def test_hand_values(value, decimals, expected, text):
    assert round_half_up(value, decimals) == expected
    assert format_fixed(value, decimals) == text


def test_nan_and_infinity():
    assert math.isnan(round_half_up(float("nan"), 2)) and format_fixed(float("nan"), 2) == "-"
    assert format_fixed(None, 1) == "-" and format_percent(float("nan")) == "-"
    assert round_half_up(float("inf"), 1) == float("inf") and format_fixed(float("-inf"), 1) == "-∞"


def test_percent_is_read_exactly():
    # 0.0125 → 1.25% → 1.3% (f"{0.0125:.1%}" gives 1.2%); -0.0125 → -1.3%
    assert format_percent(0.0125) == "1.3%" and format_percent(-0.0125) == "-1.3%"
    assert format_percent(F(1, 3), 2) == "33.33%"


def test_audit_rounds_with_the_same_rule():
    # the audit's exact rounding and the float rounding agree on ties, both signs
    for value, decimals in ((F("0.125"), 2), (F("-0.125"), 2), (F("2.5"), 0), (F("-9.95"), 1), (F("28.65"), 1)):
        assert round_printed(value, decimals) == round_exact(value, decimals) == F(repr(round_half_up(float(value),
                                                                                                      decimals)))


def test_table_and_audit_agree_where_half_even_would_not(data_copy):
    # synthetic copy: 武昌区 patent grants 2011 = 1520, 2012 = 1843 → 1843/1520 − 1 = 323/1520 = 0.2125 → 21.25%
    # exactly: half up prints 21.3; Python's round((1843/1520 − 1) * 100, 1) prints 21.2
    assert round((1843 / 1520 - 1) * 100, 1) == 21.2
    path = data_copy / "observations.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        if row["entity"] == "武昌区" and row["indicator"] == "patent_grants" and row["year"] in ("2011", "2012"):
            row["value"] = row["printed"] = {"2011": "1520", "2012": "1843"}[row["year"]]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    data = load(data_copy)
    table = table_1(data, lang="en").set_index("Year")
    assert table.loc["2012", "Growth (%)"] == "21.3"
    audit = compare_printed(data, 1).set_index("claim")
    assert audit.loc["t1_growth_patents_2012", "recomputed"] == "21.3"


@pytest.mark.parametrize("value, toward, expected", [
    (0.13485, "nearest", "0.13"), (0.13485, "up", "0.14"), (0.13485, "down", "0.13"),
    (0.125, "nearest", "0.13"),       # half away from zero; f"{0.125:.2g}" gives 0.12
    (130.4, "nearest", "130"), (130.4, "up", "140"), (0.0449, "up", "0.045"), (0.0449, "down", "0.044"),
    (0.995, "up", "1"), (7.0, "nearest", "7"), (1000, "down", "1000"), (-0.13485, "up", "-0.13"),
    (-0.13485, "down", "-0.14"), (0.0, "up", "0"), (float("inf"), "up", "∞"), (float("nan"), "up", "-")])
def test_significant_digits_round_a_bound_outward(value, toward, expected):
    from analysis_utils.rounding import format_significant

    assert format_significant(value, 2, toward) == expected
