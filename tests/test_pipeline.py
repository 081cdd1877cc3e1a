"""The reproduce pipeline: parameters, cache, parallel runs, failure summaries, the site's links.

Most tests run the two fixture notebooks in tests/fixtures/notebooks/ (01_passes writes a table, a
workbook, a claims audit and a PNG; 02_fails raises KeyError at source cell 3) into tmp_path, or read
the session's one build of them (conftest.fixture_build, shared with tests/test_site.py).
The worker side (warm kernels, papermill, kernel shutdown) lives in analysis_utils.run.worker.
"""
from __future__ import annotations

import csv
import json
import os
import pickle
import re
import shutil
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from analysis_utils import __version__
from analysis_utils import paths
from analysis_utils.run import cache, cli_params, parallel, pipeline
from analysis_utils.run import worker
from analysis_utils.errors import NotebookRunError, ParameterError

FIXTURES = Path(__file__).parent / "fixtures" / "notebooks"
TEMP_NAME = re.compile(r"^\..*\.(tmp|running\.ipynb)$")


def run_cli(*args: str, timeout: int = 300) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "analysis_utils", "reproduce", *map(str, args)]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=paths.REPO_ROOT)


# ---------------------------------------------------------------------------- parameters (fast)
@pytest.mark.parametrize("text, expected", [
    ("True", True), ("False", False), ("None", None),  # exact spellings only
    ("true", "true"), ("none", "none"),                # other spellings stay text
    ("12", 12), ("-3", -3), ("0101", 101),             # int() accepts leading zeros
    ("1.5", 1.5), ("1e3", 1000.0),                     # float() when int() refuses
    ("2O20", "2O20"),                                  # a letter O: not a number, stays the text
    ("武昌区", "武昌区"), ("", ""),
])
def test_resolve_type_rules(text, expected):
    got = pipeline.resolve_type(text)
    assert got == expected and type(got) is type(expected)


def test_yaml_file_then_p_later_wins(tmp_path):
    yaml_file = tmp_path / "params.yaml"
    yaml_file.write_text("focus: 洪山区\nn_samples: 5\npeers: [江岸区, 江汉区]\n", encoding="utf-8")
    values, raw = pipeline.merge_params([["n_samples", "7"], ["lang", "en"]], yaml_file)
    assert values == {"focus": "洪山区", "n_samples": 7, "peers": ["江岸区", "江汉区"], "lang": "en"}
    assert raw == {"n_samples": "7", "lang": "en"}


def test_yaml_file_must_be_a_mapping(tmp_path):
    bad = tmp_path / "params.yaml"
    bad.write_text("- just\n- a list\n", encoding="utf-8")
    with pytest.raises(ParameterError) as err:
        pipeline.merge_params([], bad)
    assert err.value.code == "type-error"


def test_str_parameter_keeps_raw_text_and_types_are_checked():
    declared = {"code": {"inferred_type_name": "str"}, "n_samples": {"inferred_type_name": "int"},
                "weight": {"inferred_type_name": "float"}, "target_year": {"inferred_type_name": "Optional[int]"},
                "growth": {"inferred_type_name": "float", "default": "None"},
                "peers": {"inferred_type_name": "list"}}
    got = cli_params.notebook_params(declared, {"code": 101, "weight": 2, "target_year": None, "growth": None},
                                   {"code": "0101"}, {"unused": 1})
    assert got == {"code": "0101", "weight": 2.0, "target_year": None, "growth": None}
    # a list on the command line (issue 12, case 10): commas, full-width commas, 、 or YAML's [a, b]
    for text in ("南山区,余杭区", "南山区，余杭区", "南山区、余杭区", "[南山区, 余杭区]"):
        assert cli_params.notebook_params(declared, {"peers": text}, {"peers": text}, {}) == {"peers": ["南山区", "余杭区"]}
    with pytest.raises(ParameterError) as err:
        cli_params.notebook_params(declared, {"n_samples": "2O20"}, {"n_samples": "2O20"}, {})
    assert (err.value.name, err.value.value, err.value.code) == ("n_samples", "2O20", "type-error")
    with pytest.raises(ParameterError):
        cli_params.notebook_params(declared, {"n_samples": True}, {}, {})
    with pytest.raises(ParameterError) as err:  # asked for in words, not as a Python type name
        cli_params.notebook_params(declared, {"n_samples": "abc"}, {"n_samples": "abc"}, {})
    assert str(err.value) == "parameter \"n_samples\" = 'abc': expected a whole number [type-error]"


def test_parameters_papermill_cannot_read_are_recovered(tmp_path):
    """papermill's inspect drops a line with a second '=' (in its help comment); we must still see it."""
    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook

    cell = new_code_cell('focus: str = "武昌区"  # district\ndata_dir: str = ""  # empty = the packaged data/',
                         metadata={"tags": ["parameters"]})
    kernel = {"kernelspec": {"name": paths.KERNEL_NAME, "language": "python", "display_name": "x"}}
    nbformat.write(new_notebook(cells=[cell], metadata=kernel), tmp_path / "01_x.ipynb")
    declared = pipeline.declared_parameters(pipeline.discover(tmp_path), None)["01_x"]
    assert declared["data_dir"] == {"name": "data_dir", "inferred_type_name": "str", "default": '""',
                                    "help": "empty = the packaged data/"}
    assert declared["focus"]["help"] == "district"


def test_discover_sorted_and_only_prefix():
    assert [nb.name for nb in pipeline.discover(FIXTURES)] == ["01_passes", "02_fails"]
    assert [nb.name for nb in pipeline.discover(FIXTURES, ["02"])] == ["02_fails"]
    with pytest.raises(ParameterError) as err:
        pipeline.discover(FIXTURES, ["9"])
    assert err.value.code == "no-match" and "01_passes" in err.value.expected


def test_unknown_parameter_rejected_with_declared_names(tmp_path):
    proc = run_cli("--notebooks-dir", FIXTURES, "--output", tmp_path / "out", "-p", "foccus", "洪山区")
    assert proc.returncode != 0
    assert 'parameter "foccus"' in proc.stderr and "unknown-parameter" in proc.stderr
    assert "focus, lang, n_samples" in proc.stderr  # the declared names are listed
    assert not (tmp_path / "out" / "notebooks").exists()  # nothing ran


def test_missing_data_dir_and_parameters_file_are_rejected(tmp_path):
    with pytest.raises(ParameterError) as err:
        pipeline.reproduce(FIXTURES, tmp_path, {"data_dir": str(tmp_path / "nope")})
    assert err.value.code == "missing-folder"
    with pytest.raises(ParameterError) as err:
        pipeline.merge_params([], tmp_path / "nope.yaml")
    assert err.value.code == "missing-file"


def test_output_dir_parameter_is_reserved(tmp_path):
    with pytest.raises(ParameterError) as err:
        pipeline.reproduce(FIXTURES, tmp_path, {"output_dir": "elsewhere"})
    assert err.value.code == "reserved-parameter"


def test_only_matching_nothing_exits_non_zero(tmp_path):
    proc = run_cli("--notebooks-dir", FIXTURES, "--output", tmp_path, "--only", "99")
    assert proc.returncode != 0 and "no-match" in proc.stderr


def test_list_prints_parameters():
    proc = run_cli("--notebooks-dir", FIXTURES, "--list")
    assert proc.returncode == 0, proc.stderr
    assert "01_passes" in proc.stdout and "02_fails" in proc.stdout
    line = next(line for line in proc.stdout.splitlines() if "n_samples" in line)
    assert line.split()[:3] == ["n_samples", "int", "20"] and "points in the chart" in line


def test_common_imports_are_those_every_notebook_makes():
    one = worker.common_imports([FIXTURES / "01_passes.ipynb"])
    assert {"matplotlib.pyplot", "pandas", "analysis_utils.report", "analysis_utils.report.writers"} <= set(one)
    assert worker.common_imports([FIXTURES / "01_passes.ipynb", FIXTURES / "02_fails.ipynb"]) == []


def test_longest_first_by_record_else_by_amount_of_code(tmp_path):
    import nbformat
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

    for name, code in [("01_short", "x = 1"), ("02_long", "y = 2\n" * 50), ("03_mid", "z = 3\n" * 10)]:
        # a long markdown cell must not count: only code is run
        nbformat.write(new_notebook(cells=[new_markdown_cell("text " * 500), new_code_cell(code)]),
                       tmp_path / f"{name}.ipynb")
    out = tmp_path / "build"
    tasks = [pipeline._task(nb, out, {}, "d", "e", 60, {}) for nb in pipeline.discover(tmp_path)]
    # no record yet: code characters 5, 300 (6 × 50), 60 (6 × 10)
    assert [t.name for t in parallel.longest_first(tasks)] == ["02_long", "03_mid", "01_short"]
    for name, seconds in [("01_short", 9.0), ("02_long", 1.0)]:
        write_record = out / ".cache" / f"{name}.json"
        write_record.parent.mkdir(parents=True, exist_ok=True)
        write_record.write_text(json.dumps({"seconds": seconds}), encoding="utf-8")
    # one record missing: still by code, never a mix of seconds and characters
    assert [t.name for t in parallel.longest_first(tasks)] == ["02_long", "03_mid", "01_short"]
    (out / ".cache" / "03_mid.json").write_text(json.dumps({"seconds": 5.0}), encoding="utf-8")
    assert [t.name for t in parallel.longest_first(tasks)] == ["01_short", "03_mid", "02_long"]


def test_data_checksum_follows_content(tmp_path):
    (tmp_path / "a.csv").write_text("x\n1\n", encoding="utf-8")
    before = cache.data_checksum(tmp_path)
    (tmp_path / "a.csv").write_text("x\n2\n", encoding="utf-8")
    assert cache.data_checksum(tmp_path) != before


def test_worker_prefers_the_venv_kernelspec(monkeypatch):
    from jupyter_client.kernelspec import KernelSpecManager

    monkeypatch.setenv("JUPYTER_PATH", "/nonexistent")
    worker.init_worker(None, None)
    assert os.environ["JUPYTER_PATH"].split(os.pathsep)[0] == str(Path(sys.prefix) / "share" / "jupyter")
    spec_dir = Path(KernelSpecManager().find_kernel_specs()[paths.KERNEL_NAME])
    assert spec_dir.resolve().is_relative_to(Path(sys.prefix).resolve())


def test_notebook_run_error_survives_pickling():
    err = NotebookRunError("nb.ipynb", 3, 4, "x = 1", "KeyError", "'南山区'", kept="build/nb.ipynb")
    back = pickle.loads(pickle.dumps(pipeline.Result("nb", "failed", 1.0, err)))
    assert str(back.error) == str(err) and back.error.cell_index == 3


SIGINT_RECORDER = """
import asyncio, pathlib, signal
def _install():  # after this cell, once ipykernel has restored its own handler: the kernel is idle
    signal.signal(signal.SIGINT, lambda *args: pathlib.Path({marker!r}).write_text("SIGINT"))
asyncio.get_event_loop().call_later(0.2, _install)
"""


@pytest.mark.notebook
def test_idle_kernel_is_stopped_without_sigint(tmp_path, monkeypatch):
    """jupyter_client's shutdown_kernel sends SIGINT first, which an idle kernel may answer with
    "KeyboardInterrupt caught in kernel" on the run's stderr; stop_kernel asks it to shut down instead.
    The kernel records any SIGINT in a file (checked by hand: shutdown_kernel(now=False) writes it)."""
    import asyncio

    monkeypatch.setenv("JUPYTER_PATH", str(Path(sys.prefix) / "share" / "jupyter"))
    km = worker.WarmKernel(str(FIXTURES), []).take()
    assert km.transport == "ipc"  # no TCP port to race for with kernels other processes start
    marker = tmp_path / "sigint"
    kc = worker.connect(km, shell=True, iopub=True)
    kc.wait_for_ready(timeout=60)
    assert kc.execute_interactive(SIGINT_RECORDER.format(marker=str(marker)), timeout=60)["content"]["status"] == "ok"
    kc.stop_channels()
    time.sleep(0.5)  # the recorder is installed 0.2 s after the cell
    asyncio.run(worker.stop_kernel(km))
    assert not asyncio.run(km.is_alive())
    assert not marker.exists()


@pytest.mark.notebook
def test_busy_kernel_is_killed_at_once(monkeypatch):
    """A kernel still running a cell (a timeout) is not asked but killed: stopped in well under the
    cell's 30 s (and under stop_kernel's 5 s grace for a shutdown request)."""
    import asyncio

    monkeypatch.setenv("JUPYTER_PATH", str(Path(sys.prefix) / "share" / "jupyter"))
    km = worker.WarmKernel(str(FIXTURES), []).take()
    kc = worker.connect(km, shell=True)
    kc.wait_for_ready(timeout=60)
    kc.execute("import time; time.sleep(30)")
    kc.stop_channels()
    start = time.perf_counter()
    asyncio.run(worker.stop_kernel(km, graceful=False))
    assert not asyncio.run(km.is_alive()) and time.perf_counter() - start < 3


PRIVATE_USES = re.compile(r"provisioner|papermill\.clientwrap|PapermillNotebookClient|_resolve_type|"
                          r"NBClientEngine|papermill\.cli\b")


def test_runner_uses_no_private_api():
    """run/ reaches only documented names of papermill, nbclient and jupyter_client: no attribute,
    getattr name or imported name with a leading underscore (of any object: ours are public too, so the check stays
    simple), no papermill internals (its client wrapper, its CLI helpers, its nbclient engine to
    subclass), no kernel provisioner."""
    import ast

    run_dir = paths.PACKAGE_DIR / "run"
    problems = []
    for path in sorted(run_dir.glob("*.py")):
        text = path.read_text(encoding="utf-8")
        problems += [f"{path.name}: {m.group()}" for m in PRIVATE_USES.finditer(text)]
        for node in ast.walk(ast.parse(text)):
            names = ([node.attr] if isinstance(node, ast.Attribute) else
                     [a.name for a in node.names] if isinstance(node, ast.ImportFrom) else
                     [a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
                     if isinstance(node, ast.Call) and getattr(node.func, "id", "") in ("getattr", "hasattr")
                     else [])
            problems += [f"{path.name}:{node.lineno}: {n}" for n in names
                         if n.startswith("_") and not n.startswith("__")]
    assert not problems, problems


# ---------------------------------------------------------------------------- where a notebook writes
def test_notebook_output_dir_is_one_rule(tmp_path):
    """Given folder as given; the pipeline's build/outputs/<stem>; by hand build/interactive/<stem>."""
    stem = "03_recommendations"
    assert paths.notebook_output_dir(stem, str(tmp_path / "mine")) == tmp_path / "mine"
    assert paths.notebook_output_dir(stem, "", build_dir=tmp_path) == tmp_path / "outputs" / stem
    assert paths.notebook_output_dir(stem) == paths.REPO_ROOT / "build" / "interactive" / stem


def test_check_params_without_output_dir_never_writes_where_the_pipeline_serves():
    """A notebook run in JupyterLab or by plain papermill (output_dir "") must not write into
    build/outputs/, which `reproduce` serves, caches and combines into tables.xlsx."""
    from analysis_utils.run.params import check_params

    out = check_params("03_recommendations", output_dir="").output_dir
    assert out == paths.REPO_ROOT / "build" / "interactive" / "03_recommendations"
    assert not out.is_relative_to(paths.REPO_ROOT / "build" / "outputs")


# ---------------------------------------------------------------------------- runs (slow)
@pytest.mark.notebook
def test_failure_is_summarised_at_the_failing_cell(fixture_build):
    [err] = fixture_build.failures
    assert Path(err.notebook).name == "02_fails.ipynb"
    assert err.cell_index == 3  # index in the source notebook, not counting the injected cell
    assert err.exec_count == 4
    assert err.first_line.startswith('value = {"武昌区": 1}["南山区"]')
    assert (err.ename, err.evalue) == ("KeyError", "'南山区'")
    kept = Path(err.kept)
    assert kept == fixture_build.output_dir / "notebooks" / "02_fails.ipynb"
    outputs = [o for c in json.loads(kept.read_text(encoding="utf-8"))["cells"] for o in c.get("outputs", [])]
    assert any(o.get("ename") == "KeyError" for o in outputs)
    statuses = {r.name: r.status for r in fixture_build.results}
    assert statuses == {"01_passes": "ran", "02_fails": "failed"}


@pytest.mark.notebook
def test_pipeline_passes_each_notebook_its_outputs_folder(fixture_build):
    out = fixture_build.output_dir
    executed = json.loads((out / "notebooks" / "01_passes.ipynb").read_text(encoding="utf-8"))
    assert executed["metadata"]["papermill"]["parameters"]["output_dir"] == str(out / "outputs" / "01_passes")


@pytest.mark.notebook
def test_passing_notebook_outputs_survive_a_failure(fixture_build):
    out = fixture_build.output_dir
    for name in ("table_1.csv", "tables.xlsx", "claims_audit.csv", "fig_samples.png"):
        assert (out / "outputs" / "01_passes" / name).stat().st_size > 0, name
    assert (out / ".cache" / "01_passes.json").exists()
    assert not (out / ".cache" / "02_fails.json").exists()  # a failure is never cached
    executed = json.loads((out / "notebooks" / "01_passes.ipynb").read_text(encoding="utf-8"))
    assert executed["metadata"]["papermill"]["parameters"]["output_dir"] == str(out / "outputs" / "01_passes")


@pytest.mark.notebook
def test_combined_workbook_has_a_sheet_per_csv_of_the_notebooks_that_succeeded(fixture_build):
    import openpyxl

    out = fixture_build.output_dir
    assert fixture_build.tables == out / "tables.xlsx"
    assert f"tables: {out / 'tables.xlsx'}" in pipeline.format_summary(fixture_build)
    passed = [r.name for r in fixture_build.results if r.status != "failed"]
    csvs = sorted(p for name in passed for p in (out / "outputs" / name).rglob("*.csv"))
    book = openpyxl.load_workbook(out / "tables.xlsx", read_only=True)
    # a contents sheet, a sheet per CSV, a provenance sheet
    assert len(book.sheetnames) == len(csvs) + 2 and len(csvs) == 2
    assert book.sheetnames == ["contents", "01_claims_audit", "01_table_1", "provenance"]
    cells = [["" if v is None else v for v in row] for row in book["01_table_1"].iter_rows(values_only=True)]
    with (out / "outputs" / "01_passes" / "table_1.csv").open(encoding="utf-8-sig", newline="") as fh:
        written = list(csv.reader(fh))
    assert len(cells) == len(written) and cells[0] == written[0]  # Chinese headers included
    for got_row, csv_row in zip(cells[1:], written[1:]):
        for got, text in zip(got_row, csv_row):  # a number is stored as a number, text as written
            assert got == text or (isinstance(got, (int, float)) and float(text.replace(",", "")) == got), (got, text)
    book.close()


@pytest.mark.notebook
def test_cli_prints_summary_and_exits_non_zero_on_failure(tmp_path):
    proc = run_cli("--notebooks-dir", FIXTURES, "--output", tmp_path, "--only", "02")
    assert proc.returncode == 1
    assert re.search(r"\[1/1\] 02_fails: FAILED after [\d.]+s", proc.stdout)  # plain lines when not a TTY
    assert '02_fails.ipynb failed at cell 3 (In [4]) "value = {"武昌区": 1}["南山区"]' in proc.stdout
    assert "KeyError: '南山区'" in proc.stdout and f"site: {tmp_path / 'site' / 'index.html'}" in proc.stdout
    assert "KeyboardInterrupt" not in proc.stderr + proc.stdout
    assert "tables:" not in proc.stdout and not (tmp_path / "tables.xlsx").exists()  # no notebook succeeded


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.links += [v for k, v in attrs if k in ("href", "src") and v]


@pytest.mark.notebook
def test_index_links_resolve_to_existing_files(fixture_build):
    site = fixture_build.output_dir / "site"
    parser = _Links()
    parser.feed((site / "index.html").read_text(encoding="utf-8"))
    targets = {(site / unquote(urlparse(link).path)).resolve() for link in parser.links if not link.startswith("#")}
    missing = sorted(str(t) for t in targets if not t.exists())
    assert not missing, missing
    out = fixture_build.output_dir
    expected = {site / f"{n}{s}.html" for n in ("01_passes", "02_fails") for s in ("", ".reader")}
    # the site is self-contained: what it links to is copied inside it, mirroring the build's layout
    expected |= {site / "notebooks" / "02_fails.ipynb", site / "tables.xlsx"}
    expected |= {site / p.relative_to(out) for p in (out / "outputs").rglob("*") if p.suffix in (".csv", ".xlsx", ".png", ".svg")}
    assert expected <= targets, sorted(map(str, expected - targets))
    assert all(site.resolve() in t.parents for t in targets), sorted(map(str, targets))


@pytest.mark.notebook
def test_pages_carry_the_provenance_footer_and_claims_summary(fixture_build):
    site = fixture_build.output_dir / "site"
    checksum = cache.data_checksum(paths.DATA_DIR)
    for page in sorted(site.glob("*.html")):
        text = page.read_text(encoding="utf-8")
        assert text.count('<footer class="provenance">') == 1, page.name
        assert checksum in text and __version__ in text, page.name
        assert not re.search(r"<script[^>]+src=[\"']?https?:", text), page.name
    index = (site / "index.html").read_text(encoding="utf-8")
    assert "<th>contradicted</th><th>supported</th>" in index and "全部论断（3）" in index


@pytest.mark.notebook
def test_no_temporary_files_are_left(fixture_build):
    leftovers = [p for p in fixture_build.output_dir.rglob("*") if TEMP_NAME.match(p.name)]
    assert not leftovers


HEAVY = ("pandas", "numpy", "papermill", "nbclient", "nbconvert", "jupyter_client", "matplotlib", "yaml")
CACHE_HIT = """
import sys
from analysis_utils.run.cli import main
code = main(["reproduce", "--output", sys.argv[1], "--notebooks-dir", sys.argv[2], "--only", "01"])
print("heavy:", sorted({m.split(".")[0] for m in sys.modules} & set(sys.argv[3].split(","))))
sys.exit(code)
"""


@pytest.mark.notebook
def test_cache_hit_imports_no_heavy_module(fixture_build):
    """A no-change run is a fraction of a second because it hashes and compares only: no pandas,
    papermill or Jupyter import (each costs 0.2-1 s)."""
    proc = subprocess.run([sys.executable, "-c", CACHE_HIT, str(fixture_build.output_dir), str(FIXTURES),
                           ",".join(HEAVY)], capture_output=True, text=True, timeout=120, cwd=paths.REPO_ROOT)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "01_passes                    cached" in proc.stdout
    assert "heavy: []" in proc.stdout, proc.stdout


@pytest.mark.notebook
def test_cache_hit_then_miss_after_data_edit_then_force(tmp_path, warm_nbconvert):
    data = shutil.copytree(paths.DATA_DIR, tmp_path / "data") if paths.DATA_DIR.is_dir() else tmp_path / "data"
    data.mkdir(exist_ok=True)
    (data / "fixture_extra.csv").write_text("a\n1\n", encoding="utf-8")
    out, params = tmp_path / "build", {"data_dir": str(data), "n_samples": 7}

    def run(**kw):
        report = pipeline.reproduce(FIXTURES, out, params, {"n_samples": "7"}, only=["01"], **kw)
        return report.results[0].status

    assert run() == "ran"
    executed = out / "notebooks" / "01_passes.ipynb"
    text = executed.read_text(encoding="utf-8")
    assert "样本 7 个" in text  # the -p value reached the notebook
    assert '"image/png"' in text  # inline figures still work in a kernel that preloaded matplotlib.pyplot
    stamp, index_stamp = executed.stat().st_mtime_ns, (out / "site" / "index.html").stat().st_mtime_ns
    book_stamp = (out / "tables.xlsx").stat().st_mtime_ns
    start = time.perf_counter()
    assert run() == "cached"
    assert time.perf_counter() - start < 1.0
    assert executed.stat().st_mtime_ns == stamp  # nothing rewritten on a cache hit
    assert (out / "site" / "index.html").stat().st_mtime_ns == index_stamp
    assert (out / "tables.xlsx").stat().st_mtime_ns == book_stamp
    (data / "fixture_extra.csv").write_text("a\n2\n", encoding="utf-8")
    assert run() == "ran"
    assert run() == "cached"
    assert run(force=True) == "ran"


@pytest.mark.notebook
def test_cell_timeout_names_the_cell(tmp_path, warm_nbconvert):
    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook

    nb = new_notebook(cells=[new_code_cell("x = 1"), new_code_cell("import time\ntime.sleep(30)")],
                      metadata={"kernelspec": {"name": paths.KERNEL_NAME, "language": "python",
                                               "display_name": paths.KERNEL_NAME}})
    (tmp_path / "nbs").mkdir()
    nbformat.write(nb, tmp_path / "nbs" / "01_sleeps.ipynb")
    report = pipeline.reproduce(tmp_path / "nbs", tmp_path / "out", cell_timeout=2)
    [err] = report.failures
    assert err.cell_index == 1 and "Timeout" in err.ename
    assert (tmp_path / "out" / "notebooks" / "01_sleeps.ipynb").exists()


@pytest.mark.notebook
def test_shipped_notebooks_end_to_end(shipped_build):
    """`reproduce --output X --jobs 2` on notebooks/ (the session's one run: conftest.shipped_build, whose
    outputs tests/test_notebooks.py and test_site.py check), then again: every notebook a cache hit."""
    shipped = sorted(paths.NOTEBOOKS_DIR.glob("*.ipynb"))
    if not shipped:
        pytest.skip("notebooks/ holds no notebooks yet")
    tmp_path, proc = shipped_build
    assert proc.returncode == 0, proc.stdout + proc.stderr
    for nb in shipped:
        assert (tmp_path / "notebooks" / nb.name).exists()
        assert (tmp_path / "site" / f"{nb.stem}.reader.html").exists()
    assert (tmp_path / "site" / "index.html").exists()
    assert "KeyboardInterrupt" not in proc.stderr + proc.stdout
    import openpyxl

    sheets = openpyxl.load_workbook(tmp_path / "tables.xlsx", read_only=True).sheetnames
    assert len(sheets) == len(list((tmp_path / "outputs").rglob("*.csv"))) + 2 > 2  # + contents, provenance
    assert f"tables: {tmp_path / 'tables.xlsx'}" in proc.stdout
    again = run_cli("--output", tmp_path)
    assert again.returncode == 0 and again.stdout.count("cached") >= len(shipped)


def test_every_bad_name_and_value_is_reported_in_one_message(tmp_path):
    """An unknown name, a value of the wrong type and a value the data refuse: one message, three lines,
    nothing run (errors as records, not the first problem only)."""
    proc = run_cli("--notebooks-dir", FIXTURES, "--output", tmp_path / "out", "-p", "foccus", "x",
                   "-p", "n_samples", "many", "-p", "lang", "fr")
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert lines[0] == "error: 3 problems, nothing was run:", proc.stderr
    assert [line.split('"')[1] for line in lines[1:]] == ["foccus", "n_samples", "lang"]
    assert not (tmp_path / "out" / "notebooks").exists()


def test_a_bad_weights_file_is_refused_before_any_notebook_runs(tmp_path):
    weights = tmp_path / "w.yaml"
    weights.write_text("gdp: -1\n", encoding="utf-8")
    proc = run_cli("--output", tmp_path / "out", "--only", "05", "-p", "weights", weights)
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines() == [  # every bad row of the file at once
        "error: 2 problems, nothing was run:",
        f"  parameter \"weights\" (file {weights}, indicator 'gdp') = -1: expected a finite number >= 0 "
        "[constraint-error]",
        f"  parameter \"weights\" (file {weights}) = 'weights for 1 of 11 indicators': expected a weight for every "
        "indicator (0 to exclude); missing: high_tech_firms, high_tech_output, innovation_carriers, makerspaces, "
        "park_floor_area, rd_expenditure, academicians, talent_national_1000, rd_intensity, invention_patents_per_10k "
        "[missing-weight]"]
    assert not (tmp_path / "out" / "notebooks").exists()
