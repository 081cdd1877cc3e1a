"""Trust in what a user gives: a bad data cell named by file, row and column; command-line values typed and
resolved as typed; the report's scope kept whatever the data add; one checkout, one .venv. (Runs and their
faults: tests/integration/test_run.py.)"""
from __future__ import annotations

import csv
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import run_cli

from analysis_utils import paths
from analysis_utils.data.load import load
from analysis_utils.errors import AnalysisError, DataValidationError, ParameterError
from analysis_utils.run import cli, params


def append_row(path: Path, cells: list[str]) -> None:
    with path.open("a", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerow(cells)


OBS_ROW = ["武昌区", "patent_grants", "2015", "", "false", "1", "", "件", "", "1", "表1", "", ""]


# ---------------------------------------------------------------------------- data: cases 5, 6, 14
@pytest.mark.parametrize("case, cells, column, code, words", [
    # case 5: full-width digits, as Chinese input methods type them; one policy for every numeric field
    ("full-width year", {2: "２０１５"}, "year", "type-error", "ASCII digits ('2015')"),
    ("full-width value", {5: "１５３２"}, "value", "type-error", "ASCII digits ('1532')"),
    ("underscore value", {5: "1_532"}, "value", "type-error", "no _ separators"),
    ("Arabic-Indic digits", {2: "٢٠١٥"}, "year", "type-error", "ASCII digits"),
    # case 6: characters no output can hold, in any cell
    ("vertical tab", {12: "note\vmore"}, "note", "character-error", "U+000B"),
    ("form feed in a name", {0: "武\f昌区"}, "entity", "character-error", "U+000C"),
])
def test_bad_cell_is_named_by_file_row_and_column(data_copy, case, cells, column, code, words):
    row = list(OBS_ROW)
    for i, text in cells.items():
        row[i] = text
    row[1] = "firms_with_rd" if column != "entity" else row[1]  # not a duplicate of an existing key
    append_row(data_copy / "observations.csv", row)
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
    append_row(data_copy / "observations.csv", row)
    with pytest.raises(DataValidationError) as err:
        load(data_copy)
    assert [p.code for p in err.value.problems] == ["unique-error"]


def test_validate_lists_every_problem_with_all_or_report(data_copy, tmp_path):
    """Case 14: 60 bad rows; the default shows 50 and says how to see the rest."""
    for i in range(60):
        row = list(OBS_ROW)
        row[1], row[5] = "firms_with_rd", f"x{i}"  # value 'x0'…: 60 type errors (years 1950…2009: distinct keys)
        row[2] = str(1950 + i)
        append_row(data_copy / "observations.csv", row)
    short = run_cli("validate", data_copy)
    assert short.returncode == 1 and "validate --all" in short.stderr
    assert len([line for line in short.stderr.splitlines() if line.endswith("]")]) == 50
    report = tmp_path / "problems.csv"
    full = run_cli("validate", data_copy, "--all", "--report", report)
    assert full.returncode == 1 and full.stderr.count("[type-error]") == 60
    rows = list(csv.DictReader(report.open(encoding="utf-8-sig")))
    assert len([r for r in rows if r["code"] == "type-error"]) == 60
    assert set(rows[0]) == {"file", "row", "line", "column", "value", "expected", "code"}


# ---------------------------------------------------------------------------- parameters: cases 7, 9, 10
@pytest.mark.parametrize("content, encoding, code, words", [
    ("focus: 南山区\n", "gbk", "encoding-error", "line 1"),
    ("focus: [南山区\nlang: zh\n", "utf-8", "format-error", "line 2"),
    ("focus: 南山区\nlang: zh\nfocus: 余杭区\n", "utf-8", "duplicate-key", "line 3"),
])
def test_yaml_parameter_file_errors_name_file_and_line(tmp_path, content, encoding, code, words):
    path = tmp_path / "p.yaml"
    path.write_bytes(content.encode(encoding))
    with pytest.raises(ParameterError) as err:
        params.from_command_line([], path)
    assert err.value.code == code and str(path) in str(err.value.value) and words in str(err.value)


def test_p_values_that_start_with_a_dash_and_lists():
    rest, pairs = cli.split_pairs(["reproduce", "-p", "scenario_growth", "-5e-2", "--force", "-p", "peers", "南山区,余杭区"])
    assert rest == ["reproduce", "--force"]
    values, raw = params.from_command_line(pairs)
    assert values["scenario_growth"] == -0.05  # -5e-2 = -5 × 10⁻² = -0.05
    with pytest.raises(ParameterError, match="two words"):
        cli.split_pairs(["reproduce", "-p", "lang"])


def test_path_parameters_resolve_against_the_callers_folder(tmp_path, monkeypatch):
    (tmp_path / "w.yaml").write_text("a: 1\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    values, raw = params.from_command_line([["weights", "w.yaml"]])
    assert values["weights"] == raw["weights"] == str(tmp_path / "w.yaml")
    monkeypatch.setenv("HOME", str(tmp_path))
    values, _ = params.from_command_line([], _yaml(tmp_path, "data_dir: ~/\n"))
    assert values["data_dir"] == str(tmp_path)
    with pytest.raises(ParameterError) as err:
        params.from_command_line([["weights", "missing.yaml"]])
    assert err.value.code == "missing-file" and str(tmp_path / "missing.yaml") in str(err.value)


def _yaml(folder: Path, text: str) -> Path:
    path = folder / "params.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_table_1_keeps_2011_to_2015_when_the_data_add_2016(data_copy):
    from analysis_utils.report import report_tables as tables

    for indicator in ("patent_grants", "invention_patent_grants"):
        row = list(OBS_ROW)
        row[1], row[2] = indicator, "2016"
        append_row(data_copy / "observations.csv", row)
    extended = load(data_copy)
    table = tables.table_1(extended)
    assert table.iloc[:, 0].tolist() == ["2011", "2012", "2013", "2014", "2015"]
    assert tables.table_1(extended, years=None).iloc[:, 0].tolist()[-1] == "2016"  # the extended series


# ---------------------------------------------------------------------------- case 15: thin data
def test_entities_below_the_coverage_threshold_are_shown_not_ranked(data):
    from analysis_utils.composite import indicators
    from analysis_utils.report.report_tables import snapshot_for_index

    districts = ["武昌区", "南山区", "余杭区"]
    # 余杭区 has 8 of the 11 indicators: 8/11 = 0.727 ≥ 0.5 (default) but < 0.8
    assert list(indicators.indicator_matrix(data, districts, 2015, min_coverage=0.5).values.index) == districts
    assert list(indicators.indicator_matrix(data, districts, 2015, min_coverage=0.8).values.index) == districts[:2]
    table = snapshot_for_index(data, districts, 2015, "en", min_coverage=0.8)
    assert table.iloc[:, -2:].values.tolist() == [["11/11", "yes"], ["11/11", "yes"], ["8/11", "no"]]
    with pytest.raises(AnalysisError, match="cannot be ranked"):
        indicators.indicator_matrix(data, ["余杭区", "武昌区"], 2015, min_coverage=0.8)


# ---------------------------------------------------------------------------- case 4, 8, 11 (no kernel)
def test_a_copied_checkout_is_detected(tmp_path):
    (tmp_path / "src" / "analysis_utils").mkdir(parents=True)
    (tmp_path / "src" / "analysis_utils" / "paths.py").write_text("", encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text("", encoding="utf-8")
    (tmp_path / "notebooks").mkdir()
    assert paths.foreign_checkout(tmp_path / "notebooks") == tmp_path
    assert paths.foreign_checkout(paths.REPO_ROOT / "src") is None
    proc = run_cli("validate", cwd=tmp_path)
    assert proc.returncode == 2 and "rm -rf .venv && make venv" in proc.stderr


def test_makefile_refuses_a_venv_of_another_checkout(tmp_path):
    shutil.copy(paths.REPO_ROOT / "Makefile", tmp_path / "Makefile")
    (tmp_path / ".venv").mkdir()
    (tmp_path / ".venv" / ".checkout").write_text("/somewhere/else\n", encoding="utf-8")
    for target in ("test", "reproduce", "venv"):
        proc = subprocess.run(["make", "-C", str(tmp_path), target], capture_output=True, text=True)
        assert proc.returncode != 0 and "belongs to /somewhere/else" in proc.stderr, target
    # help and clean touch no .venv: they work in the copy (clean removes its build/)
    (tmp_path / "build").mkdir()
    for target in ("help", "clean"):
        proc = subprocess.run(["make", "-C", str(tmp_path), target], capture_output=True, text=True)
        assert proc.returncode == 0, (target, proc.stderr)
    assert "make reproduce" in subprocess.run(["make", "-C", str(tmp_path)], capture_output=True, text=True).stdout
    assert not (tmp_path / "build").exists()
