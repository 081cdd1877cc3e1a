"""Issue 12, "trustworthy runs": each failing case of the issue, and others of its kind, as a test.

Bad inputs: the exit code or error code, the key words of the one message, and — where the case is a
failed re-run — that the previous build is byte for byte intact. The cache is tested against every
input kind (data file, parameter, a file a parameter names, library code, notebook, an output changed
behind its back); an interruption test sends SIGINT at several points of a run.
Notebooks used here are built in tmp_path (tiny, one kernel each), never in notebooks/.
"""
from __future__ import annotations

import csv
import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from analysis_utils import __version__, paths
from analysis_utils.data.load import load
from analysis_utils.errors import AnalysisError, DataValidationError, ParameterError
from analysis_utils.run import cli, cli_params, pipeline, staging
from analysis_utils.run.notebooks import discover, read_cells

FIXTURES = Path(__file__).parent / "fixtures" / "notebooks"


def snapshot(folder: Path) -> dict[str, str]:
    """{relative path: sha256} of every file under ``folder``: "byte for byte intact" compares these."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def run_cli(*args, cwd=None, timeout=300):
    return subprocess.run([sys.executable, "-m", "analysis_utils", *map(str, args)], capture_output=True,
                          text=True, timeout=timeout, cwd=cwd or paths.REPO_ROOT)


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
        cli_params.merge_params([], path)
    assert err.value.code == code and str(path) in str(err.value.value) and words in str(err.value)


def test_p_values_that_start_with_a_dash_and_lists():
    rest, pairs = cli.split_pairs(["reproduce", "-p", "scenario_growth", "-5e-2", "--force", "-p", "peers", "南山区,余杭区"])
    assert rest == ["reproduce", "--force"]
    values, raw = cli_params.merge_params(pairs)
    assert values["scenario_growth"] == -0.05  # -5e-2 = -5 × 10⁻² = -0.05
    with pytest.raises(ParameterError, match="two words"):
        cli.split_pairs(["reproduce", "-p", "lang"])


def test_path_parameters_resolve_against_the_callers_folder(tmp_path, monkeypatch):
    (tmp_path / "w.yaml").write_text("a: 1\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    values, raw = cli_params.merge_params([["weights", "w.yaml"]])
    assert values["weights"] == raw["weights"] == str(tmp_path / "w.yaml")
    monkeypatch.setenv("HOME", str(tmp_path))
    values, _ = cli_params.merge_params([], _yaml(tmp_path, "data_dir: ~/\n"))
    assert values["data_dir"] == str(tmp_path)
    with pytest.raises(ParameterError) as err:
        cli_params.merge_params([["weights", "missing.yaml"]])
    assert err.value.code == "missing-file" and str(tmp_path / "missing.yaml") in str(err.value)


def _yaml(folder: Path, text: str) -> Path:
    path = folder / "params.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_year_must_be_held_for_the_focus_and_peers(data):
    """Case 7: 2016 rows are plans and policies only (year_inferred); 2015 is the one usable year."""
    from analysis_utils.run.params import check_params

    with pytest.raises(ParameterError) as err:
        check_params("02_gaps", year=2016, dataset=data, output_dir="x")
    assert err.value.name == "year" and "2015" in err.value.expected and "2016" not in err.value.expected


# ---------------------------------------------------------------------------- case 16: the report's scope
def test_table_1_keeps_2011_to_2015_when_the_data_add_2016(data_copy):
    from analysis_utils.analysis import tables

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

    districts = ["武昌区", "南山区", "余杭区"]
    # 余杭区 has 8 of the 11 indicators: 8/11 = 0.727 ≥ 0.5 (default) but < 0.8
    assert list(indicators.indicator_matrix(data, districts, 2015, min_coverage=0.5).values.index) == districts
    assert list(indicators.indicator_matrix(data, districts, 2015, min_coverage=0.8).values.index) == districts[:2]
    table = indicators.snapshot_for_index(data, districts, 2015, "en", min_coverage=0.8)
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


def test_unwritable_output_folder_is_one_line(tmp_path):
    blocker = tmp_path / "a_file"
    blocker.write_text("", encoding="utf-8")
    proc = run_cli("reproduce", "--notebooks-dir", FIXTURES, "--output", blocker / "build")
    assert proc.returncode == 2
    assert proc.stderr.strip().count("\n") == 0 and "not writable" in proc.stderr, proc.stderr


def _notebook(folder: Path, name: str, params: str, *code: str, kernel: str = paths.KERNEL_NAME,
              version: int = 4) -> Path:
    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook

    cells = ([new_code_cell(params, metadata={"tags": ["parameters"]})] if params else []) + [new_code_cell(c) for c in code]
    nb = new_notebook(cells=cells, metadata={"kernelspec": {"name": kernel, "language": "python", "display_name": kernel}})
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.ipynb"
    if version == 3:
        path.write_text(nbformat.writes(nbformat.convert(nb, 3), version=3), encoding="utf-8")
    else:
        nbformat.write(nb, path)
    return path


def test_nbformat_3_notebook_is_read_upgraded(tmp_path):
    _notebook(tmp_path, "01_old", 'focus: str = "武昌区"  # district', "print(focus)", version=3)
    assert "cells" not in json.loads((tmp_path / "01_old.ipynb").read_text(encoding="utf-8"))
    [nb] = discover(tmp_path)
    assert nb.problem is None and len(read_cells(nb.path)) == 2
    listed = run_cli("reproduce", "--list", "--notebooks-dir", tmp_path)
    assert listed.returncode == 0 and "focus" in listed.stdout


# ---------------------------------------------------------------------------- runs (kernels)
WRITES = ("from pathlib import Path\n"
          "out = Path(output_dir); out.mkdir(parents=True, exist_ok=True)\n"
          "text = Path(weights).read_text() if weights else ''\n"
          "assert not fail, 'asked to fail'\n"
          "(out / 'result.csv').write_text(f'n,weights\\n{n},{text.strip()}\\n')")
PARAMS = ('n: int = 1  # a number\nweights: str = ""  # a file\nfail: bool = False  # fail on purpose\n'
          'output_dir: str = ""  # outputs\ndata_dir: str = ""  # data')


@pytest.mark.notebook
def test_cache_notices_every_input_kind(tmp_path, data_copy, monkeypatch, warm_nbconvert):
    """Case 1 and 2: a changed data file, parameter, a file a parameter names, library code (the
    environment digest), notebook, or an output edited behind the cache's back each re-run the notebook."""
    nbs, out = tmp_path / "nbs", tmp_path / "build"
    source = _notebook(nbs, "01_w", PARAMS, WRITES)
    weights = tmp_path / "w.yaml"
    weights.write_text("a: 1\n", encoding="utf-8")

    def run(**params):
        values = {"data_dir": str(data_copy), "weights": str(weights), **params}
        return pipeline.reproduce(nbs, out, values, jobs=1).results[0].status

    assert run() == "ran" and run() == "cached"
    weights.write_text("a: 2\n", encoding="utf-8")  # case 1: the weights file, by content
    assert run() == "ran" and run() == "cached"
    assert (out / "outputs" / "01_w" / "result.csv").read_text() == "n,weights\n1,a: 2\n"
    (data_copy / "extra.txt").write_text("new\n", encoding="utf-8")  # a data file
    assert run() == "ran" and run() == "cached"
    assert run(n=2) == "ran" and run(n=2) == "cached"  # a parameter
    (out / "outputs" / "01_w" / "result.csv").write_text("n\n99\n")  # case 2: an output behind its back
    assert run(n=2) == "ran"
    (out / "outputs" / "01_w" / "stray.csv").write_text("x\n")  # an output added behind its back
    assert run(n=2) == "ran" and not (out / "outputs" / "01_w" / "stray.csv").exists()
    source.write_text(source.read_text(encoding="utf-8").replace("a number", "a count"), encoding="utf-8")
    assert run(n=2) == "ran"  # the notebook
    monkeypatch.setattr(pipeline, "environment_digest", lambda: "other library code")
    assert run(n=2) == "ran" and run(n=2) == "cached"  # library code


@pytest.mark.notebook
def test_failed_rerun_keeps_the_last_good_build_and_marks_it_stale(tmp_path, warm_nbconvert):
    """Case 3: a notebook that fails keeps its last good outputs; the site says stale and why."""
    nbs, out = tmp_path / "nbs", tmp_path / "build"
    _notebook(nbs, "01_w", PARAMS, WRITES)
    assert pipeline.reproduce(nbs, out, jobs=1).results[0].status == "ran"
    good = {k: v for k, v in snapshot(out).items() if k.split("/")[0] in ("outputs", "notebooks", ".cache")
            and not k.endswith("inspect.json")}
    report = pipeline.reproduce(nbs, out, {"fail": True}, jobs=1)
    [err] = report.failures
    assert "asked to fail" in str(err) and err.kept == str(out / "failed" / "01_w.ipynb")
    now = snapshot(out)
    assert {k: now.get(k) for k in good} == good  # byte for byte
    assert not (out / staging.PREVIOUS).exists()
    index = (out / "site" / "index.html").read_text(encoding="utf-8")
    # the reason in the index's language (zh: no lang given), from the catalogue; the stale row shows the
    # parameters of the outputs it shows (the good run's, without fail=True)
    assert "status-stale" in index and "过期：本次运行失败；显示的是上一次成功运行（" in index
    assert "this run failed" not in index
    row = index[index.index("01_w"):index.index("</tr>", index.index("01_w"))]
    assert "<code>fail</code>" not in row
    assert (out / "failed" / "01_w.ipynb").exists()
    assert pipeline.reproduce(nbs, out, jobs=1).results[0].status == "cached"  # the good build serves again
    assert not (out / "failed").exists()  # and the failed notebook, no longer the build's, is gone


@pytest.mark.notebook
def test_bad_parameter_over_a_complete_build_touches_nothing(tmp_path):
    """Case 3's example: `-p lang EN` over a complete build, one line, non-zero exit, build intact."""
    out = tmp_path / "build"
    first = run_cli("reproduce", "--notebooks-dir", FIXTURES, "--output", out, "--only", "01")
    assert first.returncode == 0, first.stderr
    before = snapshot(out)
    proc = run_cli("reproduce", "--notebooks-dir", FIXTURES, "--output", out, "-p", "lang", "EN")
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines() == ["error: parameter \"lang\" = 'EN': expected one of 'zh', 'en' [bad-choice]"]
    assert snapshot(out) == before


@pytest.mark.notebook
def test_odd_notebooks_fail_alone(tmp_path):
    """Case 11 and 12: a notebook naming a kernel that is not installed fails alone with one line; one
    with no parameters cell is warned about; an nbformat-3 notebook runs; one broken file fails alone."""
    nbs = tmp_path / "nbs"
    _notebook(nbs, "01_r", "", "x <- 1", kernel="ir-not-installed")
    _notebook(nbs, "02_plain", "", "print('no parameters here')")
    _notebook(nbs, "03_old", 'focus: str = "武昌区"  # district', "print(focus)", version=3)
    (nbs / "04_broken.ipynb").write_text("{not json", encoding="utf-8")
    proc = run_cli("reproduce", "--notebooks-dir", nbs, "--output", tmp_path / "out", "-p", "focus", "南山区", "-j", "1")
    assert proc.returncode == 1
    lines = dict(line.split(None, 2)[:2] for line in proc.stdout.splitlines() if line[:2] in ("01", "02", "03", "04"))
    assert lines == {"01_r": "FAILED", "02_plain": "ran", "03_old": "ran", "04_broken": "FAILED"}
    assert "no such kernel 'ir-not-installed'" in proc.stdout
    assert "02_plain declares none of the parameters given (focus)" in proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout


def _fake_build(out: Path, name: str, text: str) -> dict[str, str]:
    for path in staging.build_files(out, name):
        target = path / "t.csv" if path.name == name else path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(f"{text} {target.name}", encoding="utf-8")
    return snapshot(out)


@pytest.mark.parametrize("moved", [0, 1, 3, 5])
def test_repair_after_a_kill_while_setting_aside(tmp_path, moved):
    """Killed after moving ``moved`` of the 5 build files aside: repair puts the good build back whole."""
    good = _fake_build(tmp_path, "01_x", "good")
    backup = tmp_path / staging.PREVIOUS / "01_x"
    for path in list(reversed(staging.build_files(tmp_path, "01_x")))[:moved]:
        target = backup / path.relative_to(tmp_path)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(path, target)
    staging.repair(tmp_path)
    assert snapshot(tmp_path) == good


def test_repair_after_a_kill_during_the_run(tmp_path):
    """Killed while the notebook ran (half its new files written, a temporary file): the good build back."""
    good = _fake_build(tmp_path, "01_x", "good")
    staging.set_aside(tmp_path, "01_x")
    (tmp_path / "outputs" / "01_x").mkdir(parents=True)
    (tmp_path / "outputs" / "01_x" / "half.csv").write_text("new", encoding="utf-8")
    (tmp_path / "notebooks" / ".01_x.running.ipynb").write_text("", encoding="utf-8")
    staging.repair(tmp_path)
    assert snapshot(tmp_path) == good


@pytest.mark.notebook
def test_partial_rerun_index_describes_what_each_row_shows(tmp_path, data_copy, warm_nbconvert):
    """A build made with its own data folder and lang=en, then `--only 02 -p weights w.yaml` into it: the
    index (zh: this run gave no lang) says the rows come from different data and names each row's data sha256
    and parameters: 01_w those of the first run (n=7, the copied data), 02_w this run's (weights, packaged data)."""
    import hashlib

    nbs, out = tmp_path / "nbs", tmp_path / "build"
    _notebook(nbs, "01_w", PARAMS, WRITES)
    _notebook(nbs, "02_w", PARAMS, WRITES)
    (data_copy / "notes.txt").write_text("a reader's note\n", encoding="utf-8")  # other data, other sha256
    first = pipeline.reproduce(nbs, out, {"data_dir": str(data_copy), "n": 7}, jobs=1)
    assert [r.status for r in first.results] == ["ran", "ran"]
    weights = tmp_path / "w.yaml"
    weights.write_text("a: 1\n", encoding="utf-8")
    second = pipeline.reproduce(nbs, out, {"weights": str(weights)}, only=["02"], jobs=1)
    assert [r.status for r in second.results] == ["ran"]

    def sha(root: Path) -> str:  # data sha256 as the README defines it, by hand
        h = hashlib.sha256()
        for f in sorted(p for p in root.rglob("*") if p.is_file()):
            h.update(f.relative_to(root).as_posix().encode() + b"\0" + hashlib.sha256(f.read_bytes()).digest())
        return h.hexdigest()
    index = (out / "site" / "index.html").read_text(encoding="utf-8")
    header = index[index.index("<h1>"):index.index("<h2>")]
    assert "各笔记本显示的结果来自不同的数据：见各行" in header and sha(paths.DATA_DIR) not in header
    # only the data differ: the version is the one both rows show, and no sentence says versions differ
    assert f"程序包版本 {__version__}" in header and "程序包版本 -" not in header and "不同的程序包版本" not in header

    def row(name: str) -> str:
        start = index.index(f"<code>{name}</code>")
        return index[start:index.index("</tr>", start)]
    assert sha(data_copy) in row("01_w") and "<code>7</code>" in row("01_w") and "w.yaml" not in row("01_w")
    assert sha(paths.DATA_DIR) in row("02_w") and "w.yaml" in row("02_w") and "<code>7</code>" not in row("02_w")


def test_a_refused_run_leaves_no_folder_it_made(tmp_path):
    """A bad value refused before any notebook runs: exit 2, and the output folder (and the parents the run
    would have made) do not appear; an existing folder is left as it was."""
    proc = run_cli("reproduce", "--notebooks-dir", FIXTURES, "--output", tmp_path / "new" / "build", "-p", "lang", "fr")
    assert proc.returncode == 2 and not (tmp_path / "new").exists()
    (tmp_path / "kept").mkdir()
    proc = run_cli("reproduce", "--notebooks-dir", FIXTURES, "--output", tmp_path / "kept", "-p", "lang", "fr")
    assert proc.returncode == 2 and (tmp_path / "kept").is_dir()
