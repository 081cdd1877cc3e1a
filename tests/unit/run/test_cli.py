"""Trust in what a user gives: a bad data cell named by file, row and column; command-line values typed and
resolved as typed; the report's scope kept whatever the data add; one checkout, one .venv. (Runs and their
faults: tests/integration/test_run.py.)"""
from __future__ import annotations

import csv

import pytest

from analysis_utils.errors import ParameterError
from analysis_utils.run import cli, params
from tests._support.cli import run_cli
from tests._support.data import OBS, OBS_ROW, append_rows, break_external_value, external_rows, replace_line


def test_cli_validate_prints_a_summary_and_exits_zero():
    result = run_cli("validate")
    assert result.returncode == 0, result.stderr
    assert "valid" in result.stdout and "entities" in result.stdout and "indicators" in result.stdout


def test_cli_validate_lists_problems_and_exits_non_zero(data_copy):
    replace_line(data_copy / OBS, "南山区,makerspaces,", "南山区,makerspaces,2015,,false,-76,,个,,76,表2,,")
    result = run_cli("validate", str(data_copy))
    assert result.returncode == 1
    assert 'observations.csv, row' in result.stderr and 'column "value"' in result.stderr
    assert "[constraint-error]" in result.stderr


def test_cli_validate_on_a_missing_folder(tmp_path):
    result = run_cli("validate", str(tmp_path / "nowhere"))
    assert result.returncode == 1 and "nowhere" in result.stderr and "[missing-folder]" in result.stderr


def test_nothing_is_written_on_failure(data_copy):
    replace_line(data_copy / OBS, "南山区,makerspaces,", "南山区,makerspaces,2015,,false,-76,,个,,76,表2,,")
    before = sorted(p.name for p in data_copy.iterdir())
    run_cli("validate", str(data_copy))
    assert sorted(p.name for p in data_copy.iterdir()) == before


def test_validate_checks_the_external_folder_too(data_copy, capsys):
    from analysis_utils.paths import DATA_DIR
    from analysis_utils.run.cli import validate_command

    assert validate_command(str(DATA_DIR)) == 0
    summary = capsys.readouterr().out.splitlines()[-1]
    assert summary == (f"  external/: valid, sources: {external_rows(DATA_DIR, 'sources.csv')}, "
                       f"published figures: {external_rows(DATA_DIR, 'observations.csv')}")
    break_external_value(data_copy)
    assert validate_command(str(data_copy)) == 1
    err = capsys.readouterr().err.strip()
    assert err == (f"a problem in the data: {data_copy / 'external' / 'observations.csv'}, row 1 (line 2), column "
                   "\"value\": got '24x8', "
                   "expected a number [type-error]")



def test_validate_lists_every_problem_with_all_or_report(data_copy, tmp_path):
    """Case 14: 60 bad rows; the default shows 50 and says how to see the rest."""
    for i in range(60):
        row = list(OBS_ROW)
        row[1], row[5] = "firms_with_rd", f"x{i}"  # value 'x0'…: 60 type errors (years 1950…2009: distinct keys)
        row[2] = str(1950 + i)
        append_rows(data_copy / "observations.csv", [row])
    short = run_cli("validate", data_copy)
    assert short.returncode == 1 and "validate --all" in short.stderr
    assert len([line for line in short.stderr.splitlines() if line.endswith("]")]) == 50
    report = tmp_path / "problems.csv"
    full = run_cli("validate", data_copy, "--all", "--report", report)
    assert full.returncode == 1 and full.stderr.count("[type-error]") == 60
    rows = list(csv.DictReader(report.open(encoding="utf-8-sig")))
    assert len([r for r in rows if r["code"] == "type-error"]) == 60
    assert set(rows[0]) == {"file", "row", "line", "column", "value", "expected", "code"}


def test_p_values_that_start_with_a_dash_and_lists():
    rest, pairs = cli.split_pairs(["reproduce", "-p", "scenario_growth", "-5e-2", "--force", "-p", "peers", "南山区,余杭区"])
    assert rest == ["reproduce", "--force"]
    values, raw = params.from_command_line(pairs)
    assert values["scenario_growth"] == -0.05  # -5e-2 = -5 × 10⁻² = -0.05
    with pytest.raises(ParameterError, match="two words"):
        cli.split_pairs(["reproduce", "-p", "lang"])
