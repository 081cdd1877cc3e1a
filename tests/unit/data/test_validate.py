"""The cell rules, typing and small tables of data/ on synthetic inputs: every problem compared as a WHOLE record
(file, row, column, value, expected text, code, line), each worked out by hand from the synthetic table written here.

Covers data.validate (_check_cells, _check_constraints, _parse, to_frames), data.qualifiers (Qualifier,
QualifierTable.from_frame, _flag, _text), data.units.UnitTable.from_frame and data.load.Dataset.__post_init__.
Nothing here reads the packaged data; every table is synthetic.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis_utils.data.load import Dataset, RawTable
from analysis_utils.data.qualifiers import (
    Qualifier,
    QualifierError,
    QualifierTable,
    _flag,
    _text,
)
from analysis_utils.data.units import UnitTable
from analysis_utils.data.validate import (
    _check_cells,
    _check_foreign_keys,
    _check_observations,
    _check_primary_key,
    _check_qualifiers,
    _parse,
    collect_problems,
    to_frames,
)
from analysis_utils.errors import DataProblem

SYNTHETIC = "/synthetic/table.csv"


def raw_table(header: list[str], cells: list[list[str]], lines: list[int], path: str = SYNTHETIC) -> RawTable:
    """A synthetic RawTable as data.load.read_raw builds it: each row's cells by header name plus __ncells__."""
    rows = [dict(zip(header, c)) | {"__ncells__": str(len(c))} for c in cells]
    return RawTable(Path(path), header, rows, lines)


# A synthetic schema with one field of each type and each constraint; 'gone' is not in the file.
SCHEMA = {"fields": [
    {"name": "id", "type": "string", "constraints": {"required": True, "pattern": "[a-z]+"}},
    {"name": "n", "type": "integer", "constraints": {"required": True, "minimum": 0, "maximum": 10}},
    {"name": "x", "type": "number", "constraints": {"exclusiveMinimum": 0}},
    {"name": "flag", "type": "boolean"},  # no constraints at all
    {"name": "kind", "type": "string", "constraints": {"enum": ["a", "b"]}},
    {"name": "note", "type": "string", "constraints": {}},
    {"name": "gone", "type": "string", "constraints": {"required": True}},
]}
HEADER = ["id", "n", "x", "flag", "kind", "note"]


def check(cells: list[list[str]], lines: list[int]) -> list[DataProblem]:
    """The problems of the synthetic rows, without the missing-column problem every table of SCHEMA has."""
    problems = _check_cells(raw_table(HEADER, cells, lines), SCHEMA)
    assert problems[0].code == "missing-column"
    return problems[1:]


def test_a_column_of_the_schema_missing_from_the_file():
    problems = _check_cells(raw_table(HEADER, [], []), SCHEMA)
    assert problems == [DataProblem(SYNTHETIC, None, "gone", None,
                                    "a column 'gone'; columns in file: ['id', 'n', 'x', 'flag', 'kind', 'note']",
                                    "missing-column", None)]
    assert problems[0].line is None


def test_good_rows_and_empty_optional_cells_have_no_problem():
    # boundaries included: n 0 and 10 (minimum, maximum inclusive), x just above 0 (exclusive minimum);
    # tab and line feed are ordinary text; empty optional cells skip every other rule (no enum / pattern on "")
    assert check([["a", "0", "0.001", "true", "b", "tab\there"],
                  ["zz", "10", "", "", "", "line\nfeed\r"],
                  ["q", "5", "1e3", "0", "a", ""]], [2, 4, 7]) == []


def test_a_required_cell_left_empty_names_the_type_expected():
    assert check([["", "", "1", "", "", ""]], [9]) == [
        DataProblem(SYNTHETIC, 1, "id", "", "a value (text)", "required-error", 9),
        DataProblem(SYNTHETIC, 1, "n", "", "a value (a whole number)", "required-error", 9)]


def test_rows_with_fewer_or_more_cells_than_the_header():
    # the short row has no x, flag, kind, note at all: they read as empty (optional), id and n are fine
    assert check([["c", "4"], ["d", "5", "1", "true", "a", "n", "surplus"]], [3, 8]) == [
        DataProblem(SYNTHETIC, 1, None, "2 cells", "6 cells as in the header", "extra-cell", 3),
        DataProblem(SYNTHETIC, 2, None, "7 cells", "6 cells as in the header", "extra-cell", 8)]


def test_a_short_row_missing_a_required_cell():
    assert check([["e"]], [5]) == [
        DataProblem(SYNTHETIC, 1, None, "1 cells", "6 cells as in the header", "extra-cell", 5),
        DataProblem(SYNTHETIC, 1, "n", "", "a value (a whole number)", "required-error", 5)]


def test_control_characters_are_named_by_code_point_and_no_other_rule_runs():
    bell_vt_nel = "a\x07b\x0bc\x07\x85"  # U+0007 twice, U+000B, U+0085 (C1): each named once, sorted
    assert check([["ok", "1\x7f", "1", "true", "a", bell_vt_nel], ["ok", "2", "1", "true", "a", "x\x00\ufffe"]],
                 [4, 6]) == [
        DataProblem(SYNTHETIC, 1, "n", "1\x7f", "text without control characters (found U+007F); no table, "
                    "workbook or page can hold them", "character-error", 4),
        DataProblem(SYNTHETIC, 1, "note", bell_vt_nel, "text without control characters (found U+0007, U+000B, "
                    "U+0085); no table, workbook or page can hold them", "character-error", 4),
        DataProblem(SYNTHETIC, 2, "note", "x\x00\ufffe", "text without control characters (found U+0000, U+FFFE); "
                    "no table, workbook or page can hold them", "character-error", 6)]


def test_cells_of_the_wrong_type():
    assert check([["ab", "1.5", "abc", "yes", "a", ""]], [3]) == [
        DataProblem(SYNTHETIC, 1, "n", "1.5", "a whole number", "type-error", 3),
        DataProblem(SYNTHETIC, 1, "x", "abc", "a number", "type-error", 3),
        DataProblem(SYNTHETIC, 1, "flag", "yes", "true or false", "type-error", 3)]


def test_each_constraint_names_its_bound():
    assert check([["Ab", "11", "0", "", "c", ""], ["b", "-1", "-2.5", "", "", ""]], [4, 5]) == [
        DataProblem(SYNTHETIC, 1, "id", "Ab", "text matching /[a-z]+/", "constraint-error", 4),
        DataProblem(SYNTHETIC, 1, "n", 11, "at most 10", "constraint-error", 4),
        DataProblem(SYNTHETIC, 1, "x", 0.0, "more than 0", "constraint-error", 4),
        DataProblem(SYNTHETIC, 1, "kind", "c", "one of ['a', 'b']", "constraint-error", 4),
        DataProblem(SYNTHETIC, 2, "n", -1, "at least 0", "constraint-error", 5),
        DataProblem(SYNTHETIC, 2, "x", -2.5, "more than 0", "constraint-error", 5)]


def test_a_constraint_on_a_typed_value_compares_the_typed_value():
    schema = {"fields": [{"name": "year", "type": "integer", "constraints": {"enum": [2015, 2016]}},
                         {"name": "code", "type": "string", "constraints": {"pattern": "[0-9]{2}"}}]}
    table = raw_table(["year", "code"], [["2015", "07"], ["+2016", "7"], ["2017", "070"]], [2, 5, 7])
    assert _check_cells(table, schema) == [
        DataProblem(SYNTHETIC, 2, "code", "7", "text matching /[0-9]{2}/", "constraint-error", 5),
        DataProblem(SYNTHETIC, 3, "year", 2017, "one of [2015, 2016]", "constraint-error", 7),
        DataProblem(SYNTHETIC, 3, "code", "070", "text matching /[0-9]{2}/", "constraint-error", 7)]


def test_duplicate_keys_are_compared_after_typing():
    schema = {"fields": [{"name": "entity", "type": "string"}, {"name": "year", "type": "number"}],
              "primaryKey": ["entity", "year"]}
    table = raw_table(["entity", "year"], [["a", "2015"], ["a", "2015.0"], ["a", ""], ["a", ""], ["b", "x"],
                                           ["b", "x"], ["c", "2015"], ["a", "2016"]], [2, 4, 5, 6, 7, 8, 9, 10])
    assert _check_primary_key(table, schema) == [
        DataProblem(SYNTHETIC, 2, "entity+year", "a/2015.0", "a unique key; row 1 has the same", "unique-error", 4),
        DataProblem(SYNTHETIC, 4, "entity+year", "a/", "a unique key; row 3 has the same", "unique-error", 6),
        DataProblem(SYNTHETIC, 6, "entity+year", "b/x", "a unique key; row 5 has the same", "unique-error", 8)]
    short = raw_table(["entity", "year"], [["a"], ["a"]], [2, 4])  # rows without a year cell: its key is ('a', '')
    assert _check_primary_key(short, schema) == [
        DataProblem(SYNTHETIC, 2, "entity+year", "a/", "a unique key; row 1 has the same", "unique-error", 4)]
    assert _check_primary_key(table, {"fields": schema["fields"]}) == []  # no key, nothing to check
    assert _check_primary_key(table, schema | {"primaryKey": ["entity", "gone"]}) == []  # its column is missing


def test_foreign_keys_name_the_target_file_and_ten_known_values():
    units = raw_table(["unit"], [[f"u{k:02d}"] for k in range(11)] + [[""]], list(range(2, 14)),
                      path="/synthetic/units.csv")
    qualifiers = raw_table(["qualifier"], [["nearly"], ["approx"]], [2, 3], path="/synthetic/qualifiers.csv")
    things = raw_table(["id", "unit", "qualifier", "parent"],
                       [["r1", "u01", "approx", ""], ["r2", "", "nearly", "r1"], ["r3", "kg", "", "r9"], ["r4"]],
                       [2, 3, 5, 7],
                       path="/synthetic/things.csv")
    schema = {"foreignKeys": [
        {"fields": ["unit"], "reference": {"resource": "units", "fields": ["unit"]}},
        {"fields": ["qualifier"], "reference": {"resource": "qualifiers", "fields": ["qualifier"]}},
        {"fields": ["parent"], "reference": {"resource": "", "fields": ["id"]}},  # the table itself
        {"fields": ["unit"], "reference": {"resource": "absent", "fields": ["unit"]}},  # no such table: skipped
        {"fields": ["gone"], "reference": {"resource": "units", "fields": ["unit"]}}]}  # no such column: skipped
    raw = {"things": things, "units": units, "qualifiers": qualifiers}
    ten = ", ".join(f"u{k:02d}" for k in range(10))  # sorted, the empty unit left out, the 11th (u10) cut
    thing_file = "/synthetic/things.csv"
    assert _check_foreign_keys(raw, "things", schema) == [
        DataProblem(thing_file, 3, "unit", "kg", f"a value described in units.csv (e.g. {ten})",
                    "foreign-key-error", 5),
        # an empty unit or parent is no reference; an empty qualifier must be a code of qualifiers.csv
        DataProblem(thing_file, 3, "qualifier", "", "a value described in qualifiers.csv (e.g. approx, nearly)",
                    "foreign-key-error", 5),
        DataProblem(thing_file, 4, "qualifier", "", "a value described in qualifiers.csv (e.g. approx, nearly)",
                    "foreign-key-error", 7),  # the short row r4 has no qualifier cell: empty; nor unit nor parent
        DataProblem(thing_file, 3, "parent", "r9", "a value described in things.csv (e.g. r1, r2, r3, r4)",
                    "foreign-key-error", 5)]


# ------------------------------------------------------------------ rules across files
OBS = "/synthetic/observations.csv"
UNITS = raw_table(["unit", "dimension", "factor"], [["件", "count", "1"], ["万人", "persons", "1e4"],
                                                   ["亿元", "currency_cny", "1e8"], ["%", "share", "1"],
                                                   ["项", "count", ""]], [2, 3, 4, 5, 6], path="/synthetic/units.csv")
INDICATORS = raw_table(["indicator", "unit"], [["grants", "件"], ["people", "万人"], ["gdp", "亿元"], ["rate", "%"]],
                       [2, 3, 4, 5], path="/synthetic/indicators.csv")
QUALIFIERS = raw_table(["qualifier", "lower", "upper"], [["", "value", "value"], ["syn_range", "value", "value_high"],
                                                         ["syn_missing", "", ""], ["syn_nearly", "", "value"]],
                       [2, 3, 4, 5], path="/synthetic/qualifiers.csv")
OBS_HEADER = ["indicator", "year", "year_start", "value", "value_high", "unit", "qualifier"]


def observations(*rows: str) -> dict:
    cells = [r.split(",") for r in rows]
    return {"observations": raw_table(OBS_HEADER, cells, [k + 3 for k in range(len(cells))], path=OBS),
            "units": UNITS, "indicators": INDICATORS, "qualifiers": QUALIFIERS}


def test_observations_that_are_fine():
    assert _check_observations(observations(
        "grants,2015,,12,,件,", "gdp,2015,,3,4,亿元,syn_range", "grants,2015,,,,件,syn_missing",
        "people,2015,,1.5,,万人,", "rate,2015,,-3,,%,", "grants,2015,2015,7,,件,syn_nearly", "grants,2015,x,1,,件,",
        "grants,2015,,3.0000001,,件,", "grants,2015,,2.5,,项,", "gdp,2015,,1,,kg,", "grants,2015,,-1.5,,kg,",
    )) == [DataProblem(OBS, 9, "value", 2.5, "a whole number of 项 (count)", "constraint-error", 11)]  # no factor: 1


def test_a_value_present_exactly_when_the_qualifier_says_so():
    assert _check_observations(observations(
        "grants,2015,,,,件,", "grants,2015,,5,,件,syn_missing", "gdp,2015,,1,2,亿元,", "gdp,2015,,3,,亿元,syn_range",
        "gdp,2015,,3,3,亿元,syn_range", "gdp,2015,,3,2.5,亿元,syn_range")) == [
        DataProblem(OBS, 1, "value", "", "an empty value exactly when the qualifier's class is 'missing' "
                    "(no bound in qualifiers.csv)", "constraint-error", 3),
        DataProblem(OBS, 2, "value", "5", "an empty value exactly when the qualifier's class is 'missing' "
                    "(no bound in qualifiers.csv)", "constraint-error", 4),
        DataProblem(OBS, 3, "value_high", "2", "a value_high exactly when the qualifier's class is 'range' "
                    "(upper bound value_high)", "constraint-error", 5),
        DataProblem(OBS, 4, "value_high", "", "a value_high exactly when the qualifier's class is 'range' "
                    "(upper bound value_high)", "constraint-error", 6),
        DataProblem(OBS, 5, "value_high", 3.0, "more than value 3", "constraint-error", 7),
        DataProblem(OBS, 6, "value_high", 2.5, "more than value 3", "constraint-error", 8)]


def test_units_counts_and_years_of_observations():
    assert _check_observations(observations(
        "grants,2015,,12,,亿元,", "grants,2015,,-2,,件,", "grants,2015,,2.5,,件,", "people,2015,,1.00001,,万人,",
        "gdp,2015,,-5,-1,亿元,syn_range", "grants,2015,2016,1,,件,", "grants,2015,,,-1,件,", "grants,2015")) == [
        DataProblem(OBS, 1, "unit", "亿元", "a unit of dimension 'count' like 件 (indicator grants)", "unit-error", 3),
        DataProblem(OBS, 2, "value", -2.0, "a non-negative number (count in 件)", "constraint-error", 4),
        DataProblem(OBS, 3, "value", 2.5, "a whole number of 件 (count)", "constraint-error", 5),
        DataProblem(OBS, 4, "value", 1.00001, "a whole number of 万人 (persons)", "constraint-error", 6),
        DataProblem(OBS, 5, "value", -5.0, "a non-negative number (currency_cny in 亿元)", "constraint-error", 7),
        DataProblem(OBS, 5, "value_high", -1.0, "a non-negative number (currency_cny in 亿元)", "constraint-error", 7),
        DataProblem(OBS, 6, "year_start", "2016", "a year not after year 2015", "constraint-error", 8),
        # no value, a value_high: both out of place, and the value_high is still checked as a count
        DataProblem(OBS, 7, "value", "", "an empty value exactly when the qualifier's class is 'missing' "
                    "(no bound in qualifiers.csv)", "constraint-error", 9),
        DataProblem(OBS, 7, "value_high", "-1", "a value_high exactly when the qualifier's class is 'range' "
                    "(upper bound value_high)", "constraint-error", 9),
        DataProblem(OBS, 7, "value_high", -1.0, "a non-negative number (count in 件)", "constraint-error", 9),
        DataProblem(OBS, 8, "value", "", "an empty value exactly when the qualifier's class is 'missing' "
                    "(no bound in qualifiers.csv)", "constraint-error", 10)]  # a short row: no value cell


def test_units_without_a_factor_column_count_in_the_unit_itself():
    raw = observations("grants,2015,,2.5,,件,", "grants,2015,,2,,件,")
    raw["units"] = raw_table(["unit", "dimension"], [["件", "count"]], [2], path="/synthetic/units.csv")
    assert _check_observations(raw) == [
        DataProblem(OBS, 1, "value", 2.5, "a whole number of 件 (count)", "constraint-error", 3)]


def test_without_a_qualifiers_table_a_code_is_its_own_class():
    raw = observations("grants,2015,,,,件,missing", "grants,2015,,,,件,syn_missing")
    del raw["qualifiers"]
    assert _check_observations(raw) == [
        DataProblem(OBS, 2, "value", "", "an empty value exactly when the qualifier's class is 'missing' "
                    "(no bound in qualifiers.csv)", "constraint-error", 4)]
    for table in ("observations", "units", "indicators"):
        assert _check_observations({k: v for k, v in raw.items() if k != table}) == []


def test_qualifier_rows_whose_bounds_do_not_make_sense():
    path = "/synthetic/qualifiers.csv"
    header = ["qualifier", "lower", "upper", "lower_inclusive", "upper_inclusive", "precision"]
    table = raw_table(header, [["", "value", "value", "true", "TRUE", "decimals"],
                               ["ge", "value", "", "maybe", "", "decimals"],  # 'maybe': the cell rule's type-error
                               ["bad", "", "value", "true", "1", "rounded"],
                               ["loose", "value", "value", "0", "1", ""], ["short", "value"]], [2, 3, 5, 6, 8],
                      path=path)
    assert _check_qualifiers({"qualifiers": table}) == [
        DataProblem(path, 3, "lower_inclusive", "true", "true or false exactly when lower is given (lower is '')",
                    "constraint-error", 5),
        DataProblem(path, 3, "precision", "rounded", "'decimals', 'significant' or empty", "constraint-error", 5),
        DataProblem(path, 4, "lower_inclusive", "0", "true and upper_inclusive true: an exact value includes itself",
                    "constraint-error", 6),
        DataProblem(path, 5, "lower_inclusive", "", "true or false exactly when lower is given (lower is 'value')",
                    "constraint-error", 8)]
    assert _check_qualifiers({}) == []
    # a table without the bound columns (their missing-column problems are the cell rules'): empty bounds
    no_bounds = raw_table(["qualifier", "upper_inclusive"], [["none", ""], ["odd", "true"]], [2, 4], path=path)
    assert _check_qualifiers({"qualifiers": no_bounds}) == [
        DataProblem(path, 2, "upper_inclusive", "true", "true or false exactly when upper is given (upper is '')",
                    "constraint-error", 4)]


def test_collect_problems_in_file_order_over_the_tables_read():
    descriptor = {"resources": [
        {"name": "absent", "schema": {"fields": [{"name": "a", "type": "string"}]}},
        {"name": "things", "schema": {"fields": [{"name": "id", "type": "string"}, {"name": "n", "type": "integer"}],
                                      "primaryKey": ["id"],
                                      "foreignKeys": [{"fields": ["id"], "reference": {"resource": "names",
                                                                                       "fields": ["name"]}}]}},
        {"name": "names", "schema": {"fields": [{"name": "name", "type": "string"}]}}]}
    raw = {"things": raw_table(["id", "n"], [["a", "x"], ["a", "1"]], [3, 5], path="/synthetic/things.csv"),
           "names": raw_table(["name"], [["b"]], [2], path="/synthetic/names.csv")}
    fk = "a value described in names.csv (e.g. b)"
    assert collect_problems(raw, descriptor) == [
        DataProblem("/synthetic/things.csv", 1, "n", "x", "a whole number", "type-error", 3),
        DataProblem("/synthetic/things.csv", 2, "id", "a", "a unique key; row 1 has the same", "unique-error", 5),
        DataProblem("/synthetic/things.csv", 1, "id", "a", fk, "foreign-key-error", 3),
        DataProblem("/synthetic/things.csv", 2, "id", "a", fk, "foreign-key-error", 5)]


# ------------------------------------------------------------------ typing of one cell
@pytest.mark.parametrize("text, field_type, value", [
    ("12", "integer", 12), ("+12", "integer", 12), ("-3", "integer", -3), ("007", "integer", 7),
    ("1.5", "number", 1.5), ("-.5", "number", -0.5), ("2.", "number", 2.0), ("1e3", "number", 1000.0),
    ("12", "number", 12.0), ("1E-2", "number", 0.01),
    ("true", "boolean", True), ("True", "boolean", True), ("TRUE", "boolean", True), ("1", "boolean", True),
    ("false", "boolean", False), ("False", "boolean", False), ("FALSE", "boolean", False), ("0", "boolean", False),
    ("1.5", "string", "1.5"), ("", "string", ""), ("ｔｅｘｔ", "string", "ｔｅｘｔ"),
])
def test_parse_gives_the_typed_value(text, field_type, value):
    parsed = _parse(text, field_type)
    assert parsed == value and type(parsed) is type(value)


@pytest.mark.parametrize("text, field_type", [
    ("1.5", "integer"), ("1e3", "integer"), ("", "integer"), ("２０１５", "integer"), ("1_000", "integer"),
    ("x", "number"), ("", "number"), ("nan", "number"), ("inf", "number"), ("1e999", "number"), ("-1e999", "number"),
    ("1_0", "number"), ("１.５", "number"), (".", "number"),
    ("yes", "boolean"), ("", "boolean"), ("t", "boolean"), ("tRUE", "boolean"),
])
def test_parse_refuses(text, field_type):
    with pytest.raises(ValueError):
        _parse(text, field_type)


def test_to_frames_types_each_column_and_keeps_the_source_line():
    descriptor = {"resources": [
        {"name": "things", "schema": {"fields": [
            {"name": "id", "type": "string"}, {"name": "n", "type": "integer"},
            {"name": "x", "type": "number"}, {"name": "flag", "type": "boolean"}, {"name": "note", "type": "string"}]}},
        {"name": "other", "schema": {"fields": [{"name": "k", "type": "string"}, {"name": "m", "type": "number"},
                                                {"name": "i", "type": "integer"}, {"name": "b", "type": "boolean"}]}}]}
    raw = {"things": raw_table(["id", "n", "x", "flag", "note"],
                               [["a", "3", "1.5", "true", "hi"], ["b", "", "", "0", ""], ["c", "-2"]], [2, 3, 7],
                               path="/synthetic/dir/things.csv"),
           "other": raw_table(["k", "m", "i", "b"], [["", "", "", ""]], [4], path="/synthetic/dir/other.csv")}
    frames = to_frames(raw, descriptor)
    assert list(frames) == ["things", "other"]
    expected = pd.DataFrame({
        "id": pd.array(["a", "b", "c"], dtype="string"),
        "n": pd.array([3, None, -2], dtype="Int64"),
        "x": pd.array([1.5, None, None], dtype="Float64"),
        "flag": pd.array([True, False, None], dtype="boolean"),
        "note": pd.array(["hi", "", ""], dtype="string"),  # empty text stays "" (not <NA>)
        "source_file": ["things.csv"] * 3,
        "source_line": [2, 3, 7]})
    pd.testing.assert_frame_equal(frames["things"], expected)
    # a column with no value at all is still of its type (nothing to infer a type from)
    pd.testing.assert_frame_equal(frames["other"], pd.DataFrame({
        "k": pd.array([""], dtype="string"), "m": pd.array([None], dtype="Float64"),
        "i": pd.array([None], dtype="Int64"), "b": pd.array([None], dtype="boolean"),
        "source_file": ["other.csv"], "source_line": [4]}))


# ------------------------------------------------------------------ qualifiers
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


SYNTHETIC_QUALIFIERS = {  # three synthetic codes: exact (code ''), lower bound, missing
    "qualifier": ["", "syn_ge", "syn_missing"], "printed_as": ["", "不低于", "-"],
    "name_en": ["", "at least", "not given"], "lower": ["value", "value", ""], "upper": ["value", "", ""],
    "lower_inclusive": ["true", "1", ""], "upper_inclusive": ["TRUE", "", ""],
    "precision": ["decimals", "decimals", ""], "meaning": ["as printed", "", "no value"]}


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


# ------------------------------------------------------------------ units and the dataset
def test_unit_table_from_a_frame_of_text():
    units = pd.DataFrame({"unit": ["元", "万元", "件"], "name_en": ["yuan", "ten thousand yuan", "pieces"],
                          "dimension": ["currency_cny", "currency_cny", "count"], "factor": ["1", "1e4", "1"]})
    table = UnitTable.from_frame(units)
    assert table == UnitTable({"元": "currency_cny", "万元": "currency_cny", "件": "count"},
                              {"元": 1.0, "万元": 10000.0, "件": 1.0},
                              {"元": "yuan", "万元": "ten thousand yuan", "件": "pieces"})
    assert all(isinstance(f, float) for f in table.factors.values())
    assert table.factor("万元", "元") == 10000.0


def test_unit_table_without_english_names():
    units = pd.DataFrame({"unit": ["米"], "dimension": ["length"], "factor": [1]})
    assert UnitTable.from_frame(units) == UnitTable({"米": "length"}, {"米": 1.0}, {})


def test_unit_table_refuses_a_factor_that_is_not_a_number():
    with pytest.raises(ValueError):
        UnitTable.from_frame(pd.DataFrame({"unit": ["米"], "dimension": ["length"], "factor": ["ten"]}))


def test_dataset_builds_its_qualifier_table_from_its_qualifiers_frame():
    units = UnitTable({"件": "count"}, {"件": 1.0})
    frame = pd.DataFrame(SYNTHETIC_QUALIFIERS)
    built = Dataset(Path("/synthetic"), {}, {"qualifiers": frame}, units)
    assert built.qualifier_table == QualifierTable.from_frame(frame)
    assert built.qualifier_table.codes("lower") == ("syn_ge",)
    given = QualifierTable({})
    assert Dataset(Path("/synthetic"), {}, {"qualifiers": frame}, units, given).qualifier_table is given
    assert Dataset(Path("/synthetic"), {}, {}, units).qualifier_table is None


# ------------------------------------------------------------------ reading a folder
def test_read_descriptor_names_bad_json_and_bad_encoding(tmp_path):
    from analysis_utils.data.load import read_descriptor
    from analysis_utils.errors import DataValidationError
    from analysis_utils.paths import DATA_DIR

    bad_json = write_bytes(tmp_path / "json" / "datapackage.json", '{\n"name": }'.encode())
    with pytest.raises(DataValidationError) as info:
        read_descriptor(bad_json.parent)
    assert info.value.problems == [DataProblem(str(bad_json), None, None, None,
                                               "valid JSON (Expecting value at line 2)", "format-error")]
    gbk = write_bytes(tmp_path / "gbk" / "datapackage.json", '{"name": "名"}'.encode("gbk"))  # 名: C3 FB
    with pytest.raises(DataValidationError) as info:
        read_descriptor(gbk.parent)
    assert info.value.problems == [DataProblem(str(gbk), None, None, None, "UTF-8 text (invalid continuation byte)",
                                               "encoding-error")]
    own = write_bytes(tmp_path / "own" / "datapackage.json", b'{"name": "synthetic", "resources": []}')
    assert read_descriptor(own.parent) == {"name": "synthetic", "resources": []}
    packaged = read_descriptor(tmp_path / "empty")  # no datapackage.json: the packaged one
    assert packaged == read_descriptor(DATA_DIR) and packaged["resources"]


def write_bytes(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def test_read_raw_reads_text_cells_with_their_lines(tmp_path):
    from analysis_utils.data.load import read_raw

    write_bytes(tmp_path / "a.csv", "\ufeffid,note\n x ,\" two\nlines \"\n\n , \ny,z,extra\n".encode())
    write_bytes(tmp_path / "gbk.csv", "id\n名\n".encode("gbk"))
    descriptor = {"resources": [{"name": "a", "path": "a.csv"}, {"name": "gone", "path": "gone.csv"},
                                {"name": "gbk", "path": "gbk.csv"}]}
    raw, problems = read_raw(tmp_path, descriptor)
    assert list(raw) == ["a"]
    a = raw["a"]
    assert (a.path, a.columns, a.lines) == (tmp_path / "a.csv", ["id", "note"], [3, 6])  # blank rows skipped
    assert a.rows == [{"id": "x", "note": "two\nlines", "__ncells__": "2"},
                      {"id": "y", "note": "z", "__ncells__": "3"}]
    assert problems == [
        DataProblem(str(tmp_path / "gone.csv"), None, None, None, "the file of resource 'gone'", "missing-file"),
        DataProblem(str(tmp_path / "gbk.csv"), None, None, None, "UTF-8 text (invalid continuation byte)",
                    "encoding-error")]


def test_dataset_lookups_name_what_is_missing():
    obs = pd.DataFrame({"entity": ["甲", "乙", "甲"], "indicator": ["syn_a", "syn_a", "syn_b"], "year": [2014, 2015, 2015],
                        "value": [1.0, 2.0, 3.0], "unit": ["件"] * 3})
    data = Dataset(Path("/synthetic"), {}, {"observations": obs}, UnitTable({"件": "count"}, {"件": 1.0}))
    assert data.observation("甲", "syn_a")["value"] == 1.0
    with pytest.raises(Exception) as info:
        data.observation("丙", "syn_a", 2015)
    assert str(info.value) == "no observation of 'syn_a' for '丙' in 2015; entities with it: ['乙', '甲']"
    with pytest.raises(Exception) as info:
        data.observation("丙", "syn_b")
    assert str(info.value) == "no observation of 'syn_b' for '丙'; entities with it: ['甲']"
    with pytest.raises(AttributeError) as attr:
        data.claims
    assert attr.value.args == ("claims",)
