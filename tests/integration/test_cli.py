"""The command line as a user runs it (``python -m analysis_utils validate``): exit codes, what it prints, every
problem with --all and --report, nothing written on failure. The summary in a separate process (the entry point end
to end); the rest through its main in this process, captured as a process's output (tests._support.cli.cli_here).
(Its functions, in-process: tests/unit/run/.)"""
from __future__ import annotations

import csv

from analysis_utils import paths
from tests._support.cli import cli_here, run_cli
from tests._support.data import OBS, OBS_ROW, append_rows, replace_line


def test_cli_validate_prints_a_summary_and_exits_zero():
    result = run_cli("validate")
    assert result.returncode == 0, result.stderr
    assert "valid" in result.stdout and "entities" in result.stdout and "indicators" in result.stdout


def test_cli_validate_lists_problems_and_exits_non_zero(data_copy):
    replace_line(data_copy / OBS, "南山区,makerspaces,", "南山区,makerspaces,2015,,false,-76,,个,,-76,表2,,,")
    result = cli_here("validate", str(data_copy))
    assert result.returncode == 2  # bad data: 2, as reproduce gives it
    assert 'observations.csv, row' in result.stderr and 'column "value"' in result.stderr
    assert "[constraint-error]" in result.stderr


def test_cli_validate_on_a_missing_folder(tmp_path):
    result = cli_here("validate", str(tmp_path / "nowhere"))
    assert result.returncode == 2 and "nowhere" in result.stderr and "[missing-folder]" in result.stderr


def test_nothing_is_written_on_failure(data_copy):
    replace_line(data_copy / OBS, "南山区,makerspaces,", "南山区,makerspaces,2015,,false,-76,,个,,-76,表2,,,")
    before = sorted(p.name for p in data_copy.iterdir())
    cli_here("validate", str(data_copy))
    assert sorted(p.name for p in data_copy.iterdir()) == before


def test_validate_lists_every_problem_with_all_or_report(data_copy, tmp_path):
    """Case 14: 60 bad rows; the default shows 50 and says how to see the rest."""
    for i in range(60):
        row = list(OBS_ROW)
        row[1], row[5] = "firms_with_rd", f"x{i}"  # value 'x0'…: 60 type errors (years 1950…2009: distinct keys)
        row[2] = str(1950 + i)
        append_rows(data_copy / "observations.csv", [row])
    short = cli_here("validate", data_copy)
    assert short.returncode == 2 and "validate --all" in short.stderr
    assert len([line for line in short.stderr.splitlines() if line.endswith("]")]) == 50
    report = tmp_path / "problems.csv"
    full = cli_here("validate", data_copy, "--all", "--report", report)
    assert full.returncode == 2 and full.stderr.count("[type-error]") == 60
    rows = list(csv.DictReader(report.open(encoding="utf-8-sig")))
    assert len([r for r in rows if r["code"] == "type-error"]) == 60
    assert set(rows[0]) == {"file", "row", "line", "column", "value", "expected", "code"}


def test_a_listing_read_only_in_part_ends_without_a_traceback():
    """Trial F's `reproduce --list | head`: a Python traceback (BrokenPipeError) once the reader had its lines.
    Here the reader (`true`) reads nothing and is gone long before Python starts writing: the pipe is always broken."""
    import subprocess
    import sys

    proc = subprocess.run(f"'{sys.executable}' -m analysis_utils reproduce --list | true", shell=True,
                          capture_output=True, text=True, cwd=paths.REPO_ROOT)
    assert proc.stderr == ""
