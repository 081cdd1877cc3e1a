"""Bad files through the command line (issue "your own data", item 4): `validate` says each in one line and exits 2,
`reproduce` refuses it before any notebook starts (the same line after `error: `, exit 2) and leaves an existing
build byte for byte as it was. Expected lines are written by hand. One case of each command runs as
``python -m analysis_utils``; the others call its main in this process (tests._support.cli.cli_here)."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from analysis_utils.composite.indicators import INDICATORS
from analysis_utils.paths import DATA_DIR
from tests._support.cli import cli_here, run_cli
from tests._support.notebooks import write_notebook
from tests._support.runs import snapshot


def first_line(path: Path) -> str:
    return path.read_text(encoding="utf-8").split("\n")[0]


def header_only(folder: Path) -> str:
    path = folder / "observations.csv"
    path.write_text(first_line(path) + "\n", encoding="utf-8")
    return (f"error: a problem in the data: {path}: expected at least one row under the header (resource "
            "'observations' cannot be empty) [empty-table]")


def units_folder(folder: Path) -> str:
    (folder / "units.csv").unlink()
    (folder / "units.csv").mkdir()
    return f"error: a problem in the data: {folder / 'units.csv'}: expected the file of resource 'units', found a folder [not-a-file]"


def value_twice(folder: Path) -> str:
    path = folder / "observations.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    path.write_text("\n".join([lines[0] + ",value"] + [t + ",1" if t else t for t in lines[1:]]), encoding="utf-8")
    return (f"error: a problem in the data: {path}, line 1, column \"value\": expected each column name once; 'value' "
            "names columns 6 and 15, and readers differ on which of them they keep [duplicate-label]")


def stray_quote(folder: Path) -> str:
    path = folder / "observations.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    assert lines[102].endswith(",,year not printed")  # line 103
    lines[102] = lines[102].replace(",,year not printed", ",,\"year not printed")
    path.write_text("\n".join(lines), encoding="utf-8")
    return (f"error: a problem in the data: {path}, row 102 (line 103), column \"note\": got '\"year not printed…', "
            "expected one record per line, but this record runs from line 103 to line 107: a quote (\") opening this "
            "cell probably swallowed lines 104–107 (close it on its line, or write a quote inside a cell as \"\") "
            "[quote-error]")


def stray_quote_last_line(folder: Path) -> str:
    path = folder / "observations.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    assert lines[129].endswith(",,,target at the time of the report; no deadline printed") and lines[130] == ""
    lines[129] = lines[129].replace(",,,target", ",,,\"target")
    path.write_text("\n".join(lines), encoding="utf-8")
    return (f"error: a problem in the data: {path}, row 129 (line 130), column \"note\": got '\"target at the time "
            "of the report; no dea…', expected a closing quote for the quote (\") that opens this cell, but the file "
            "ends inside the cell (close it on its line, or write a quote inside a cell as \"\") [quote-error]")


def excel_columns(folder: Path) -> str:
    path = folder / "entities.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(first_line(path), first_line(path) + ",,", 1), encoding="utf-8")
    return (f"error: a problem in the data: {path}, line 1: expected a name in every header cell; columns 6 and 7 "
            "have none (empty columns a spreadsheet added after the last one: delete them) [blank-label]")


def descriptor_folder(folder: Path) -> str:
    (folder / "datapackage.json").unlink()
    (folder / "datapackage.json").mkdir()
    return (f"error: a problem in the data: {folder / 'datapackage.json'}: expected the data package's descriptor, "
            "found a folder [not-a-file]")


def external_file(folder: Path) -> str:
    shutil.rmtree(folder / "external")
    (folder / "external").write_text("", encoding="utf-8")
    # the report's own package names the sources registry (external/sources.csv) and its schema file there
    return (f"error: a problem in the data: {folder / 'external'}: expected a folder holding sources.schema.json, "
            "found a file [not-a-folder]")


BREAKS = {"header only": header_only, "units.csv a folder": units_folder, "value twice": value_twice,
          "stray quote": stray_quote, "stray quote on the last line": stray_quote_last_line, "excel columns": excel_columns, "datapackage.json a folder": descriptor_folder,
          "external a file": external_file}


@pytest.mark.parametrize("case", list(BREAKS), ids=list(BREAKS))
def test_validate_says_each_bad_file_in_one_line(data_copy, case):
    """Before: a traceback (header only: IndexError; a folder: IsADirectoryError) or "valid" (value twice, stray
    quote, a stray quote on the last line, external a file)."""
    expected = BREAKS[case](data_copy).removeprefix("error: ")
    result = (run_cli if case == "header only" else cli_here)("validate", data_copy)  # one in its own process
    assert (result.returncode, result.stderr.splitlines(), result.stdout) == (2, [expected], "")


def test_validate_warns_of_a_column_it_does_not_read_and_passes(data_copy):
    path = data_copy / "entities.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    path.write_text("\n".join([lines[0] + ",comment"] + [t + ",mine" if t else t for t in lines[1:]]), encoding="utf-8")
    result = cli_here("validate", data_copy)
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == [
        f"warning: {path}, line 1, column \"comment\": expected a column of resource 'entities' (entity, name_en, "
        "level, parent, note); this one is not read [extra-label]"]
    assert result.stdout.startswith(f"{data_copy}: valid\n")


@pytest.mark.parametrize("make", ["missing", "file"])
def test_a_data_folder_that_is_not_a_folder(tmp_path, make):
    target = tmp_path / "mydata"
    if make == "file":
        target.write_text("entity\n", encoding="utf-8")
    result = cli_here("validate", target)
    assert (result.returncode, result.stderr.splitlines()) == (2, [
        f"parameter \"data_dir\" = '{target}': expected an existing data folder (datapackage.json and its CSV files) "
        "[missing-folder]"])
    result = cli_here("reproduce", "--output", tmp_path / "build", "-p", "data_dir", target)
    assert (result.returncode, result.stderr.splitlines()) == (2, [
        f"error: parameter \"data_dir\" = '{target}': expected an existing folder (looked for {target}) "
        "[missing-folder]"])
    assert not (tmp_path / "build").exists()


# ---------------------------------------------------------------------------- reproduce: checked before anything runs
STARTS = ("from pathlib import Path\n"
          "Path(marker).mkdir(parents=True, exist_ok=True)\n"
          "(Path(marker) / 'started').write_text('yes')\n"
          "Path(output_dir).mkdir(parents=True, exist_ok=True)\n"
          "(Path(output_dir) / 'result.csv').write_text('n\\n1\\n')")
PARAMS = 'data_dir: str = ""  # data\nmarker: str = ""  # where it says it started\noutput_dir: str = ""  # outputs'


@pytest.fixture(scope="module")
def good_build(tmp_path_factory) -> tuple[Path, Path, Path, Path]:
    """(notebooks, data folder, build, marker folder) of one good run of 01_starts on a copy of the packaged data, made
    once for the module (the marker it wrote removed): each case copies the build and breaks a fresh copy of the data
    in the place the good run read it from."""
    root = tmp_path_factory.mktemp("good_build")
    nbs, data, out, marker = root / "nbs", root / "data", root / "build", root / "marker"
    shutil.copytree(DATA_DIR, data)
    write_notebook(nbs, "01_starts", PARAMS, STARTS)
    good = cli_here("reproduce", "--notebooks-dir", nbs, "--output", out, "-p", "data_dir", data,
                    "-p", "marker", marker)
    assert good.returncode == 0, good.stderr
    assert (marker / "started").exists()
    shutil.rmtree(marker)
    return nbs, data, out, marker


@pytest.mark.notebook
@pytest.mark.parametrize("case", ["header only", "units.csv a folder", "stray quote", "external a file"])
def test_reproduce_starts_no_notebook_on_bad_data_and_keeps_the_build(tmp_path, good_build, case):
    """Before (header only): every notebook started and failed in its kernel. The data is read and checked by the
    run itself, once, before any notebook starts; the build of the last good run (the module's good_build, copied)
    stays byte for byte."""
    nbs, data, built, marker = good_build
    out = shutil.copytree(built, tmp_path / "build", symlinks=True)
    shutil.rmtree(data)  # the packaged data again, where the good run read it, then broken
    shutil.copytree(DATA_DIR, data)
    before = snapshot(out)
    expected = BREAKS[case](data)
    bad = (run_cli if case == "header only" else cli_here)(  # one in its own process
        "reproduce", "--notebooks-dir", nbs, "--output", out, "-p", "data_dir", data, "-p", "marker", marker)
    assert (bad.returncode, bad.stderr.splitlines()) == (2, [expected])
    assert not marker.exists() and snapshot(out) == before


@pytest.mark.notebook
def test_reproduce_prints_the_warning_of_a_column_it_does_not_read_and_runs(tmp_path, data_copy):
    nbs, out, marker = tmp_path / "nbs", tmp_path / "build", tmp_path / "marker"
    write_notebook(nbs, "01_starts", PARAMS, STARTS)
    path = data_copy / "units.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    path.write_text("\n".join([lines[0] + ",source"] + [t + ",mine" if t else t for t in lines[1:]]), encoding="utf-8")
    result = cli_here("reproduce", "--notebooks-dir", nbs, "--output", out, "-p", "data_dir", data_copy,
                      "-p", "marker", marker)
    assert result.returncode == 0, result.stderr
    assert [t for t in result.stderr.splitlines() if t.startswith("warning")] == [
        f"warning: {path}, line 1, column \"source\": expected a column of resource 'units' (unit, name_en, dimension, "
        "factor, base_unit, note); this one is not read [extra-label]"]
    assert (marker / "started").exists()


def weights(tmp_path: Path, text: bytes) -> Path:
    path = tmp_path / "weights.csv"
    path.write_bytes(text)
    return path


@pytest.mark.parametrize("text, expected", [
    (b"", "error: parameter \"weights\" = '{path}': expected a header line, then rows (the file is empty) [empty-file]"),
    ("indicator,weight\n".encode() + b"".join(f"{i},1e308\n".encode() for i in INDICATORS),
     "error: parameter \"weights\" (file {path}) = '11 weights summing to inf': expected finite non-negative numbers "
     "whose sum is finite and positive (only their ratios count: scale them down) [constraint-error]"),
    ("indicator,weight\n".encode() + b"".join(f"{i},{'nan' if i == 'gdp' else 1}\n".encode() for i in INDICATORS),
     "error: parameter \"weights\" (file {path}, row 1 (line 2), indicator 'gdp') = 'nan': expected a finite number "
     ">= 0 [constraint-error]"),
], ids=["0 bytes", "1e308 each", "nan"])
def test_reproduce_checks_the_weights_file_before_any_notebook(tmp_path, text, expected):
    """Before: 0 bytes gave pandas' EmptyDataError traceback; 1e308 ran notebook 05, which failed in its kernel."""
    path = weights(tmp_path, text)
    result = cli_here("reproduce", "--output", tmp_path / "build", "--only", "05", "-p", "weights", path)
    assert (result.returncode, result.stderr.splitlines()) == (2, [expected.format(path=path)])
    assert not (tmp_path / "build").exists()
