"""data/validate.py: every class of bad input gives one specific problem naming file, row, column, value and code.

First the cell rules, the typing of one cell and the rules across files on synthetic inputs (_check_cells,
_check_constraints, _parse, to_frames, _check_observations, _check_qualifiers, collect_problems): every problem
compared as a WHOLE record (file, row, column, value, expected text, code, line), worked out by hand from the
synthetic table written here. Then the same rules through load() on a copy of the packaged data broken one line or
cell at a time: each class of bad input, the claims registry, what a user's keyboard types (full-width digits, a
descriptor in another encoding, control characters)."""
from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest

from analysis_utils.data.load import RawTable, load
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
from analysis_utils.errors import DataProblem, DataValidationError, DataWarning
from tests._support.data import OBS, OBS_ROW, append_rows, problems_of, replace_line

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
                       [["r1", "u01", "approx", ""], ["r2", "", "nearly", "r1"], ["r3", "kg", "", "r9"], ["r4"],
                        ["r5", "u1O", "nearly", ""]],
                       [2, 3, 5, 7, 8],
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
        # a typo (the letter O for a zero) is given its near matches first, u10 among them though the sample cuts
        # it: difflib's ratio of 'u1O' to 'u10' and to 'u01' is 2 × 2 / 6 = 0.67, to u00, u02 … 1 × 2 / 6 (cut at
        # 0.6); of 'r9' to 'r1' 0.5: none
        DataProblem(thing_file, 5, "unit", "u1O", f"a value described in units.csv (closest: u10, u01; e.g. {ten})",
                    "foreign-key-error", 8),
        # an empty unit or parent is no reference; an empty qualifier must be a code of qualifiers.csv
        DataProblem(thing_file, 3, "qualifier", "", "a value described in qualifiers.csv (e.g. approx, nearly)",
                    "foreign-key-error", 5),
        DataProblem(thing_file, 4, "qualifier", "", "a value described in qualifiers.csv (e.g. approx, nearly)",
                    "foreign-key-error", 7),  # the short row r4 has no qualifier cell: empty; nor unit nor parent
        DataProblem(thing_file, 3, "parent", "r9", "a value described in things.csv (e.g. r1, r2, r3, r4, r5)",
                    "foreign-key-error", 5)]


# ------------------------------------------------------------------ rules across files
SYNTHETIC_OBS = "/synthetic/observations.csv"
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
    return {"observations": raw_table(OBS_HEADER, cells, [k + 3 for k in range(len(cells))], path=SYNTHETIC_OBS),
            "units": UNITS, "indicators": INDICATORS, "qualifiers": QUALIFIERS}


def test_observations_that_are_fine():
    assert _check_observations(observations(
        "grants,2015,,12,,件,", "gdp,2015,,3,4,亿元,syn_range", "grants,2015,,,,件,syn_missing",
        "people,2015,,1.5,,万人,", "rate,2015,,-3,,%,", "grants,2015,2015,7,,件,syn_nearly", "grants,2015,x,1,,件,",
        "grants,2015,,3.0000001,,件,", "grants,2015,,2.5,,项,", "gdp,2015,,1,,kg,", "grants,2015,,-1.5,,kg,",
    )) == [DataProblem(SYNTHETIC_OBS, 9, "value", 2.5, "a whole number of 项 (count)", "constraint-error", 11)]  # no factor: 1


def test_a_value_present_exactly_when_the_qualifier_says_so():
    assert _check_observations(observations(
        "grants,2015,,,,件,", "grants,2015,,5,,件,syn_missing", "gdp,2015,,1,2,亿元,", "gdp,2015,,3,,亿元,syn_range",
        "gdp,2015,,3,3,亿元,syn_range", "gdp,2015,,3,2.5,亿元,syn_range")) == [
        DataProblem(SYNTHETIC_OBS, 1, "value", "", "an empty value exactly when the qualifier's class is 'missing' "
                    "(no bound in qualifiers.csv)", "constraint-error", 3),
        DataProblem(SYNTHETIC_OBS, 2, "value", "5", "an empty value exactly when the qualifier's class is 'missing' "
                    "(no bound in qualifiers.csv)", "constraint-error", 4),
        DataProblem(SYNTHETIC_OBS, 3, "value_high", "2", "a value_high exactly when the qualifier's class is 'range' "
                    "(upper bound value_high)", "constraint-error", 5),
        DataProblem(SYNTHETIC_OBS, 4, "value_high", "", "a value_high exactly when the qualifier's class is 'range' "
                    "(upper bound value_high)", "constraint-error", 6),
        DataProblem(SYNTHETIC_OBS, 5, "value_high", 3.0, "more than value 3", "constraint-error", 7),
        DataProblem(SYNTHETIC_OBS, 6, "value_high", 2.5, "more than value 3", "constraint-error", 8)]


def test_units_counts_and_years_of_observations():
    assert _check_observations(observations(
        "grants,2015,,12,,亿元,", "grants,2015,,-2,,件,", "grants,2015,,2.5,,件,", "people,2015,,1.00001,,万人,",
        "gdp,2015,,-5,-1,亿元,syn_range", "grants,2015,2016,1,,件,", "grants,2015,,,-1,件,", "grants,2015")) == [
        DataProblem(SYNTHETIC_OBS, 1, "unit", "亿元", "a unit of dimension 'count' like 件 (indicator grants)", "unit-error", 3),
        DataProblem(SYNTHETIC_OBS, 2, "value", -2.0, "a non-negative number (count in 件)", "constraint-error", 4),
        DataProblem(SYNTHETIC_OBS, 3, "value", 2.5, "a whole number of 件 (count)", "constraint-error", 5),
        DataProblem(SYNTHETIC_OBS, 4, "value", 1.00001, "a whole number of 万人 (persons)", "constraint-error", 6),
        DataProblem(SYNTHETIC_OBS, 5, "value", -5.0, "a non-negative number (currency_cny in 亿元)", "constraint-error", 7),
        DataProblem(SYNTHETIC_OBS, 5, "value_high", -1.0, "a non-negative number (currency_cny in 亿元)", "constraint-error", 7),
        DataProblem(SYNTHETIC_OBS, 6, "year_start", "2016", "a year not after year 2015", "constraint-error", 8),
        # no value, a value_high: both out of place, and the value_high is still checked as a count
        DataProblem(SYNTHETIC_OBS, 7, "value", "", "an empty value exactly when the qualifier's class is 'missing' "
                    "(no bound in qualifiers.csv)", "constraint-error", 9),
        DataProblem(SYNTHETIC_OBS, 7, "value_high", "-1", "a value_high exactly when the qualifier's class is 'range' "
                    "(upper bound value_high)", "constraint-error", 9),
        DataProblem(SYNTHETIC_OBS, 7, "value_high", -1.0, "a non-negative number (count in 件)", "constraint-error", 9),
        DataProblem(SYNTHETIC_OBS, 8, "value", "", "an empty value exactly when the qualifier's class is 'missing' "
                    "(no bound in qualifiers.csv)", "constraint-error", 10)]  # a short row: no value cell


def test_units_without_a_factor_column_count_in_the_unit_itself():
    raw = observations("grants,2015,,2.5,,件,", "grants,2015,,2,,件,")
    raw["units"] = raw_table(["unit", "dimension"], [["件", "count"]], [2], path="/synthetic/units.csv")
    assert _check_observations(raw) == [
        DataProblem(SYNTHETIC_OBS, 1, "value", 2.5, "a whole number of 件 (count)", "constraint-error", 3)]


def test_without_a_qualifiers_table_a_code_is_its_own_class():
    raw = observations("grants,2015,,,,件,missing", "grants,2015,,,,件,syn_missing")
    del raw["qualifiers"]
    assert _check_observations(raw) == [
        DataProblem(SYNTHETIC_OBS, 2, "value", "", "an empty value exactly when the qualifier's class is 'missing' "
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


# ------------------------------------------------------------------ a copy of data/ broken line by line, through load()
CASES = {
    # name: (file, line prefix, replacement, expected column, expected value, expected code)
    "non-numeric value": (OBS, "武昌区,patent_grants,2012,", "武昌区,patent_grants,2012,,false,19x1,,件,,1971,表1,,,",
                          "value", "19x1", "type-error"),
    "year typed with a letter": (OBS, "武昌区,patent_grants,2013,", "武昌区,patent_grants,2O13,,false,2130,,件,,2130,表1,,,",
                                 "year", "2O13", "type-error"),
    "negative count": (OBS, "南山区,makerspaces,", "南山区,makerspaces,2015,,false,-76,,个,,-76,表2,,,",
                       "value", -76.0, "constraint-error"),
    "fractional count": (OBS, "南山区,makerspaces,", "南山区,makerspaces,2015,,false,76.5,,个,,76,表2,,,",
                         "value", 76.5, "constraint-error"),
    "unknown unit": (OBS, "武昌区,gdp,", "武昌区,gdp,2015,,false,870,,亿美元,,870,表2,,,", "unit", "亿美元", "foreign-key-error"),
    "unit of another dimension": (OBS, "武昌区,gdp,", "武昌区,gdp,2015,,false,870,,件,,870,表2,,,", "unit", "件", "unit-error"),
    "entity not described": (OBS, "余杭区,area,", "洪山区,area,2015,,false,1220,,平方公里,,1220,表2,,,",
                             "entity", "洪山区", "foreign-key-error"),
    "indicator not described": (OBS, "余杭区,area,", "余杭区,land,2015,,false,1220,,平方公里,,1220,表2,,,",
                                "indicator", "land", "foreign-key-error"),
    "unknown qualifier": (OBS, "南山区,rd_expenditure,", "南山区,rd_expenditure,2015,,false,200,,亿元,more,>200,表2,,,",
                          "qualifier", "more", "foreign-key-error"),
    "value missing without '-' qualifier": (OBS, "余杭区,high_tech_output,", "余杭区,high_tech_output,2015,,false,,,亿元,,-,表2,,,",
                                            "value", "", "constraint-error"),
    "duplicated key": (OBS, "武昌区,patent_grants,2011,", "武昌区,patent_grants,2012,,false,1532,,件,,1532,表1,,,",
                       "entity+indicator+year", "武昌区/patent_grants/2012", "unique-error"),
    "bad source location": (OBS, "武昌区,area,", "武昌区,area,2015,,false,87.42,,平方公里,,87.42,table 2,,,",
                            "source", "table 2", "constraint-error"),
    "unknown unit in indicators": ("indicators.csv", "gdp,", "gdp,区域总产值,GDP,亿美元,1,false,GDP.", "unit", "亿美元",
                                   "foreign-key-error"),
    "bad direction": ("indicators.csv", "gdp,", "gdp,区域总产值,GDP,亿元,2,false,GDP.", "direction", 2, "constraint-error"),
}


@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_each_bad_input_names_file_row_column_value_and_code(data_copy, case):
    file, prefix, replacement, column, value, code = CASES[case]
    line = replace_line(data_copy / file, prefix, replacement)
    problems = problems_of(data_copy)
    match = [p for p in problems if p.code == code and p.column == column]
    assert match, f"expected a {code} on column {column}; got {[str(p) for p in problems]}"
    problem = match[0]
    assert Path(problem.file).name == file
    # a duplicate is reported on its second occurrence: the untouched 2012 row right after the edited one
    expected_line = line + 1 if case == "duplicated key" else line
    assert problem.line == expected_line and problem.row == expected_line - 1
    assert problem.value == value
    assert len(problems) == 1, [str(p) for p in problems]


def test_missing_file_is_named(data_copy):
    (data_copy / "units.csv").unlink()
    problems = problems_of(data_copy)
    assert problems[0].code == "missing-file" and problems[0].file.endswith("units.csv")


def test_missing_column_is_named(data_copy):
    path = data_copy / OBS
    text = path.read_text(encoding="utf-8").replace(",qualifier,", ",qualifer,", 1)
    path.write_text(text, encoding="utf-8")
    with pytest.warns(DataWarning, match='column "qualifer": expected a column of resource .observations.'):
        problems = problems_of(data_copy)  # the misspelt column is also one not read: said as a warning
    assert any(p.code == "missing-column" and p.column == "qualifier" for p in problems)


def test_every_problem_is_reported_at_once(data_copy):
    replace_line(data_copy / OBS, "武昌区,patent_grants,2012,", "武昌区,patent_grants,2012,,false,x,,件,,1971,表1,,,")
    replace_line(data_copy / OBS, "南山区,makerspaces,", "南山区,makerspaces,2015,,false,-76,,个,,-76,表2,,,")
    assert len(problems_of(data_copy)) == 2


def test_packaged_data_is_valid_and_keeps_source_lines(data):
    obs = data.observations
    first = obs.iloc[0]
    assert first["source_file"] == "observations.csv" and first["source_line"] == 2


@pytest.mark.parametrize("cell, expected", [
    ("２０１５", "a whole number in ASCII digits ('2015'): full-width or other digits are not read as numbers"),
    ("2_015", "a whole number (no _ separators)"),
    ("二零一五", "a whole number in ASCII digits"),
    ("20l5", "a whole number"),
])
def test_a_bad_year_says_what_to_type_instead(data_copy, cell, expected):
    """The expected-text of a type error, word for word: the reader sees it, so a change to it must be deliberate."""
    replace_line(data_copy / OBS, "武昌区,patent_grants,2015,", None)
    with (data_copy / OBS).open("a", encoding="utf-8") as handle:
        handle.write(f"武昌区,patent_grants,{cell},,false,2826,,件,,2826,表1,一(二)3,\n")
    with pytest.raises(DataValidationError) as err:
        load(data_copy)
    [problem] = [p for p in err.value.problems if p.column == "year"]
    assert (problem.code, problem.value, problem.expected) == ("type-error", cell, expected)


@pytest.mark.parametrize("cell, field_type, expected", [
    ("１５３２", "number", "a number in ASCII digits ('1532'): full-width or other digits are not read as numbers"),
    ("1_532", "number", "a number (no _ separators)"),
    ("一五三二", "number", "a number in ASCII digits"),
    ("1_532", "string", "text"),
    ("１５", "string", "text"),
    ("tru_e", "boolean", "true or false"),
])
def test_type_words_for_each_field_type(cell, field_type, expected):
    """What a bad cell should hold, per field type: the digit advice is for number and integer cells only."""
    from analysis_utils.data.validate import _type_words

    assert _type_words(cell, field_type) == expected


def test_an_unknown_unit_lists_known_units_as_words(data_copy):
    replace_line(data_copy / OBS, "武昌区,gdp,", "武昌区,gdp,2015,,false,870,,亿美元,,870,表2,,")
    with pytest.raises(DataValidationError) as err:
        load(data_copy)
    expected = [p.expected for p in err.value.problems if p.column == "unit"][0]
    # 亿美元 (US dollars) against 亿元: two characters of 3 + 2 match, a ratio of 2 × 2 / 5 = 0.8; 万元 0.4
    assert expected.startswith("a value described in units.csv (closest: 亿元; e.g. %, ") and "[" not in expected


# ------------------------------------------------------------------ the registry (claims.csv) is validated by load()
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


# ------------------------------------------------------------------ what a user types: full-width digits, encodings
@pytest.mark.parametrize("case, cells, column, code, words", [
    # case 5: full-width digits, as Chinese input methods type them; one policy for every numeric field
    ("full-width year", {2: "２０１５"}, "year", "type-error", "ASCII digits ('2015')"),
    ("full-width value", {5: "１５３２"}, "value", "type-error", "ASCII digits ('1532')"),
    ("underscore value", {5: "1_532"}, "value", "type-error", "no _ separators"),
    ("Arabic-Indic digits", {2: "٢٠١٥"}, "year", "type-error", "ASCII digits"),
    # case 6: characters no output can hold, in any cell
    ("vertical tab", {13: "note\vmore"}, "note", "character-error", "U+000B"),
    ("form feed in a name", {0: "武\f昌区"}, "entity", "character-error", "U+000C"),
])
def test_bad_cell_is_named_by_file_row_and_column(data_copy, case, cells, column, code, words):
    row = list(OBS_ROW)
    for i, text in cells.items():
        row[i] = text
    row[1] = "firms_with_rd" if column != "entity" else row[1]  # not a duplicate of an existing key
    append_rows(data_copy / "observations.csv", [row])
    with pytest.raises(DataValidationError) as err:
        load(data_copy)
    hits = [p for p in err.value.problems if p.column == column and p.code == code]
    assert hits, err.value.render()
    assert hits[0].file.endswith("observations.csv") and words in hits[0].expected
    n_rows = sum(1 for _ in open(data_copy / "observations.csv", encoding="utf-8-sig")) - 1
    assert hits[0].row == n_rows  # the appended row, the last one


def test_descriptor_in_another_encoding_is_one_problem(data_copy):
    path = data_copy / "datapackage.json"
    text = path.read_text(encoding="utf-8")
    path.write_bytes(text.replace('"title"', '"标题": "武昌", "title"', 1).encode("gbk"))
    with pytest.raises(DataValidationError) as err:
        load(data_copy)
    assert [(p.file, p.code) for p in err.value.problems] == [(str(path), "encoding-error")]


def test_keys_are_compared_after_typing(data_copy):
    """Case 5's duplicate: '+2015' is the integer 2015, so the key 武昌区/patent_grants/2015 is there twice."""
    row = list(OBS_ROW)
    row[2] = "+2015"
    append_rows(data_copy / "observations.csv", [row])
    with pytest.raises(DataValidationError) as err:
        load(data_copy)
    assert [p.code for p in err.value.problems] == ["unique-error"]
