"""Every class of bad input gives one specific problem naming file, row, column, value and code."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from analysis_utils.data.load import load
from analysis_utils.errors import DataValidationError

OBS = "observations.csv"


def replace_line(path: Path, startswith: str, new: str | None) -> int:
    """Replace (or drop, if new is None) the first line starting with ``startswith``; return its line number."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    for i, line in enumerate(lines):
        if line.startswith(startswith):
            if new is None:
                del lines[i]
            else:
                lines[i] = new + "\n"
            path.write_text("".join(lines), encoding="utf-8")
            return i + 1
    raise AssertionError(f"no line starting with {startswith!r} in {path}")


def problems_of(data_dir):
    with pytest.raises(DataValidationError) as info:
        load(data_dir)
    return info.value.problems


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
    problems = problems_of(data_copy)
    assert any(p.code == "missing-column" and p.column == "qualifier" for p in problems)


def test_every_problem_is_reported_at_once(data_copy):
    replace_line(data_copy / OBS, "武昌区,patent_grants,2012,", "武昌区,patent_grants,2012,,false,x,,件,,1971,表1,,,")
    replace_line(data_copy / OBS, "南山区,makerspaces,", "南山区,makerspaces,2015,,false,-76,,个,,-76,表2,,,")
    assert len(problems_of(data_copy)) == 2


def test_packaged_data_is_valid_and_keeps_source_lines(data):
    obs = data.observations
    first = obs.iloc[0]
    assert first["source_file"] == "observations.csv" and first["source_line"] == 2


def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "analysis_utils", *args], capture_output=True, text=True)


def test_cli_validate_prints_a_summary_and_exits_zero():
    result = run_cli("validate")
    assert result.returncode == 0, result.stderr
    assert "valid" in result.stdout and "entities" in result.stdout and "indicators" in result.stdout


def test_cli_validate_lists_problems_and_exits_non_zero(data_copy):
    replace_line(data_copy / OBS, "南山区,makerspaces,", "南山区,makerspaces,2015,,false,-76,,个,,-76,表2,,,")
    result = run_cli("validate", str(data_copy))
    assert result.returncode == 1
    assert 'observations.csv, row' in result.stderr and 'column "value"' in result.stderr
    assert "[constraint-error]" in result.stderr


def test_cli_validate_on_a_missing_folder(tmp_path):
    result = run_cli("validate", str(tmp_path / "nowhere"))
    assert result.returncode == 1 and "nowhere" in result.stderr and "[missing-folder]" in result.stderr


def test_nothing_is_written_on_failure(data_copy):
    replace_line(data_copy / OBS, "南山区,makerspaces,", "南山区,makerspaces,2015,,false,-76,,个,,-76,表2,,,")
    before = sorted(p.name for p in data_copy.iterdir())
    run_cli("validate", str(data_copy))
    assert sorted(p.name for p in data_copy.iterdir()) == before


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


def test_one_problem_is_one_line_and_several_are_counted():
    from analysis_utils.errors import DataProblem

    one = DataProblem("data/observations.csv", 3, "value", "2O8", "a number", "type-error")
    two = DataProblem("data/units.csv", None, None, None, "the file", "missing-file")
    assert str(DataValidationError([one])) == ("a problem in the data: data/observations.csv, row 3 (line 4), "
                                               "column \"value\": got '2O8', expected a number [type-error]")
    assert str(DataValidationError([one, two])).splitlines() == [
        "2 problems in the data:", "  data/observations.csv, row 3 (line 4), column \"value\": got '2O8', "
        "expected a number [type-error]", "  data/units.csv: expected the file [missing-file]"]
    many = DataValidationError([one] * 3)
    assert many.render(2).splitlines()[-1].startswith("  … and 1 more")


def test_an_unknown_unit_lists_known_units_as_words(data_copy):
    replace_line(data_copy / OBS, "武昌区,gdp,", "武昌区,gdp,2015,,false,870,,亿美元,,870,表2,,")
    with pytest.raises(DataValidationError) as err:
        load(data_copy)
    expected = [p.expected for p in err.value.problems if p.column == "unit"][0]
    assert expected.startswith("a value described in units.csv (e.g. %, ") and "[" not in expected


# ---------------------------------------------------------------- the external folder (published figures, 06)
def _external_rows(folder: Path, name: str) -> int:
    import csv

    with (folder / "external" / name).open(encoding="utf-8", newline="") as handle:
        return sum(1 for _ in csv.DictReader(handle))


def _break_external_value(folder: Path) -> None:
    path = folder / "external" / "observations.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    assert lines[1].startswith("武汉市,rd_expenditure,2013,,false,248,")  # the row the test breaks
    lines[1] = lines[1].replace("false,248,", "false,24x8,", 1)
    path.write_text("".join(lines), encoding="utf-8")


def test_validate_checks_the_external_folder_too(data_copy, capsys):
    from analysis_utils.paths import DATA_DIR
    from analysis_utils.run.cli import validate_command

    assert validate_command(str(DATA_DIR)) == 0
    summary = capsys.readouterr().out.splitlines()[-1]
    assert summary == (f"  external/: valid, sources: {_external_rows(DATA_DIR, 'sources.csv')}, "
                       f"published figures: {_external_rows(DATA_DIR, 'observations.csv')}")
    _break_external_value(data_copy)
    assert validate_command(str(data_copy)) == 1
    err = capsys.readouterr().err.strip()
    assert err == (f"a problem in the data: {data_copy / 'external' / 'observations.csv'}, row 1 (line 2), column "
                   "\"value\": got '24x8', "
                   "expected a number [type-error]")


def test_a_bad_external_file_is_refused_before_any_notebook_runs(data_copy, tmp_path):
    """06 reads data/external/: reproduce checks it with the report's files, before anything runs or is written
    (before, 01–05 ran and 06 failed inside its kernel)."""
    from analysis_utils import paths
    from analysis_utils.errors import AnalysisError
    from analysis_utils.run import runner

    _break_external_value(data_copy)
    out = tmp_path / "build"
    with pytest.raises(AnalysisError) as err:
        runner.reproduce(paths.NOTEBOOKS_DIR, out, {"data_dir": str(data_copy)}, {"data_dir": str(data_copy)})
    assert str(err.value) == (f"a problem in the data: {data_copy / 'external' / 'observations.csv'}, row 1 (line 2), "
                              "column \"value\": "
                              "got '24x8', expected a number [type-error]")
    assert not out.exists()
