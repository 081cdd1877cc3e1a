"""data/qualifiers.py: one meaning per qualifier, read from data/qualifiers.csv and used by every layer (intervals,
claims, comparisons, the composite index); then the Qualifier and QualifierTable themselves on synthetic rows.

Expected intervals are worked out by hand in the comments from the report's wording (以下 and 以上
include the number itself; 近 is close to but not above it), never copied from the code's output."""
from __future__ import annotations

import csv
import re
from fractions import Fraction as F
from pathlib import Path

import numpy as np
import pandas as pd
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
from analysis_utils.data.qualifiers import (
    Qualifier,
    QualifierError,
    QualifierTable,
    _flag,
    _text,
    packaged_qualifiers,
)
from analysis_utils.errors import AnalysisError, DataValidationError
from analysis_utils.paths import PACKAGE_DIR
from tests._support.data import DISTRICTS, SYNTHETIC_QUALIFIERS


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


# ------------------------------------------------------------------ Qualifier and QualifierTable on synthetic rows
def qualifier(**changes) -> Qualifier:
    """A synthetic exact qualifier with ``changes``."""
    fields = dict(code="syn", printed_as="约", name_en="synthetic", lower="value", upper="value",
                  lower_inclusive=True, upper_inclusive=True, precision="decimals") | changes
    return Qualifier(**fields)


def test_a_sound_qualifier_keeps_its_fields():
    q = qualifier(lower="", lower_inclusive=None, upper_inclusive=False, precision="", meaning="m")
    assert (q.code, q.printed_as, q.name_en, q.lower, q.upper, q.lower_inclusive, q.upper_inclusive, q.precision,
            q.meaning, q.kind) == ("syn", "约", "synthetic", "", "value", None, False, "", "m", "upper")


@pytest.mark.parametrize("changes, message", [
    (dict(lower="value_high", lower_inclusive=True),
     "qualifier 'syn': lower: expected 'value' or empty"),  # not 'value' == upper: no exactness rule
    (dict(upper="high"), "qualifier 'syn': upper: expected 'value', 'value_high' or empty"),
    (dict(lower="", lower_inclusive=True),
     "qualifier 'syn': lower_inclusive: expected true or false exactly when lower is given (lower is '')"),
    (dict(upper_inclusive=None),
     "qualifier 'syn': upper_inclusive: expected true or false exactly when upper is given (upper is 'value'); "
     "lower_inclusive: expected true and upper_inclusive true: an exact value includes itself"),
    (dict(precision="rounded"), "qualifier 'syn': precision: expected 'decimals', 'significant' or empty"),
    (dict(upper="value_high", lower="", lower_inclusive=None, precision=""),
     "qualifier 'syn': lower: expected 'value' for a range (upper is 'value_high')"),
    (dict(upper="value_high"), "qualifier 'syn': precision: expected empty for a range (no printed value is a bound)"),
])
def test_a_qualifier_whose_bounds_do_not_make_sense(changes, message):
    with pytest.raises(QualifierError) as info:
        qualifier(**changes)
    assert str(info.value) == message


@pytest.mark.parametrize("cell, flag", [
    ("true", True), ("1", True), (" TRUE ", True), ("True", True), ("false", False), ("0", False), ("False ", False),
    ("", None), ("yes", None), (None, None), (float("nan"), None), (pd.NA, None), (np.nan, None),
    (True, True), (False, False), (np.bool_(True), True), (1, True), (0, False), (0.0, False),
])
def test_flag_reads_a_boolean_cell(cell, flag):
    assert _flag(cell) is flag


@pytest.mark.parametrize("cell, text", [
    (None, ""), (float("nan"), ""), (pd.NA, ""), ("", ""), ("约", "约"), ("nan", "nan"), (5, "5"), (1.5, "1.5"),
])
def test_text_reads_a_text_cell(cell, text):
    assert _text(cell) == text


def test_qualifier_table_from_a_frame_of_text():
    table = QualifierTable.from_frame(pd.DataFrame(SYNTHETIC_QUALIFIERS))
    assert table.by_code == {
        "": Qualifier("", "", "", "value", "value", True, True, "decimals", "as printed"),
        "syn_ge": Qualifier("syn_ge", "不低于", "at least", "value", "", True, None, "decimals", ""),
        "syn_missing": Qualifier("syn_missing", "-", "not given", "", "", None, None, "", "no value")}


def test_qualifier_table_from_a_typed_frame_without_optional_columns():
    frame = pd.DataFrame({
        "qualifier": pd.array(["syn_le", None], dtype="string"), "lower": ["", "value"], "upper": ["value", "value"],
        "lower_inclusive": pd.array([None, True], dtype="boolean"),
        "upper_inclusive": pd.array([False, True], dtype="boolean"), "precision": [np.nan, "decimals"]})
    table = QualifierTable.from_frame(frame)
    assert table.by_code == {"syn_le": Qualifier("syn_le", "", "", "", "value", None, False, "", ""),
                             "": Qualifier("", "", "", "value", "value", True, True, "decimals", "")}


@pytest.mark.parametrize("missing", ["qualifier", "lower", "upper", "lower_inclusive", "upper_inclusive",
                                     "precision"])
def test_qualifier_table_names_a_missing_column(missing):
    frame = pd.DataFrame(SYNTHETIC_QUALIFIERS).drop(columns=[missing])
    with pytest.raises(QualifierError) as info:
        QualifierTable.from_frame(frame)
    assert str(info.value) == (f"the qualifiers table has no column(s) ['{missing}']; "
                               f"columns: {list(frame.columns)}")


def test_codes_of_a_class_and_an_unknown_class():
    table = QualifierTable.from_frame(pd.DataFrame(SYNTHETIC_QUALIFIERS))
    assert table.codes() == ("", "syn_ge", "syn_missing") and table.codes("missing", "exact") == ("", "syn_missing")
    with pytest.raises(QualifierError) as info:
        table.codes("lower", "bounded")
    assert str(info.value) == ("unknown qualifier class 'bounded'; expected one of "
                               "['exact', 'lower', 'upper', 'range', 'missing']")


def test_qualifier_table_refuses_a_bad_row():
    frame = pd.DataFrame(SYNTHETIC_QUALIFIERS)
    frame.loc[1, "upper_inclusive"] = "true"  # syn_ge has no upper bound
    with pytest.raises(QualifierError, match=r"^qualifier 'syn_ge': upper_inclusive: expected true or false exactly "
                                             r"when upper is given \(upper is ''\)$"):
        QualifierTable.from_frame(frame)
