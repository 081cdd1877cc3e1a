"""reproduce end to end on small notebooks: what a build holds, its index, the cache, a failed re-run, notebooks
that fail alone, Ctrl-C. Ctrl-C (both its runs) and the odd notebooks' run (no interpreter's traceback) are
``python -m analysis_utils`` processes; the others call runner.reproduce in this process. (Faults, case by case:
test_run_faults.py.)"""
from __future__ import annotations

import json
import signal
from html.parser import HTMLParser
from urllib.parse import unquote, urlparse

import psutil
import pytest

from analysis_utils import paths
from analysis_utils.run import build, runner
from tests._support.cli import run_cli
from tests._support.notebooks import FIXTURES, write_notebook
from tests._support.runs import PARAMS, WRITES, poll, sleepers, snapshot, start, tree

pytestmark = pytest.mark.notebook

# ---------------------------------------------------------------------------- a build
def test_a_build_holds_one_folder_per_notebook_and_a_failure_apart(fixture_build):
    out, outcomes = fixture_build
    assert [(name, status) for name, status, _ in outcomes] == [("01_passes", "ran"), ("02_fails", "failed")]
    error = outcomes[1][2]
    assert error == ('02_fails.ipynb failed at cell 3 (In [4]) "value = {"武昌区": 1}["南山区"]  # fails on purpose": '
                     "KeyError: '南山区'")
    good = out / "site" / "01_passes"
    assert {p.relative_to(good).as_posix() for p in good.rglob("*") if p.is_file()} == {
        ".record.json", "01_passes.html", "01_passes.reader.html", "01_passes.ipynb", "fig_samples.png",
        "table_1.csv", "claims_audit.csv", "tables.xlsx"}
    assert not (out / "site" / "02_fails").exists() and (out / "site" / "02_fails.failed" / "02_fails.html").exists()
    assert not (out / build.STAGING).exists()
    record = json.loads((good / ".record.json").read_text(encoding="utf-8"))
    assert set(record["files"]) == {p for p in build.file_shas(good)} and record["error"] is None


def test_index_links_resolve_and_pages_find_their_font(fixture_build):
    out, _ = fixture_build
    site = out / "site"

    class Links(HTMLParser):
        def __init__(self):
            super().__init__()
            self.found = []

        def handle_starttag(self, tag, attrs):
            self.found += [v for k, v in attrs if k in ("href", "src") and v and not v.startswith(("data:", "#"))]
    for page in (site / "index.html", site / "01_passes" / "01_passes.html"):
        parser = Links()
        parser.feed(page.read_text(encoding="utf-8"))
        assert parser.found, page
        for link in parser.found:
            assert not urlparse(link).scheme, link
            assert (page.parent / unquote(link)).resolve().exists(), (page, link)
    assert 'url("../assets/NotoSansCJKsc-Regular.otf")' in (site / "01_passes" / "01_passes.reader.html").read_text()
    index = (site / "index.html").read_text(encoding="utf-8")
    assert "02_fails.failed/02_fails.html" in index and "KeyError" in index
    assert (site / "tables.xlsx").exists()


def test_cache_notices_every_input_kind(tmp_path, data_copy, monkeypatch):
    """A changed data file, parameter, file a parameter names, library code, notebook, or an output edited or
    added behind the cache's back each re-run the notebook; nothing else does. Three kinds end to end (ran, then
    cached, the new outputs published); the others at the plan: reproduce with its execution replaced by a recorder
    says the notebook would run after the change and not once it is undone (no kernel for what the key decides)."""
    nbs, out = tmp_path / "nbs", tmp_path / "build"
    source = write_notebook(nbs, "01_w", PARAMS, WRITES)
    weights = tmp_path / "w.yaml"
    weights.write_text("a: 1\n", encoding="utf-8")

    def run(**given):
        [outcome] = runner.reproduce(nbs, out, {"data_dir": str(data_copy), "weights": str(weights), **given},
                                     jobs=1).outcomes
        return outcome.status

    def would_run(**given) -> bool:
        planned = []
        with monkeypatch.context() as patch:
            patch.setattr(runner, "execute", lambda tasks, *rest: planned.extend(t.name for t in tasks))
            report = runner.reproduce(nbs, out, {"data_dir": str(data_copy), "weights": str(weights), **given}, jobs=1)
        assert [o.status for o in report.outcomes] == ([] if planned else ["cached"])
        return planned == ["01_w"]

    assert run() == "ran" and run() == "cached" and not would_run()
    weights.write_text("a: 2\n", encoding="utf-8")
    assert run() == "ran" and run() == "cached"
    assert (out / "site" / "01_w" / "result.csv").read_text() == "n,weights\n1,a: 2\n"
    (out / "site" / "01_w" / "result.csv").write_text("n\n99\n")  # (a file added: tests/unit/run/test_build.py)
    assert run() == "ran" and (out / "site" / "01_w" / "result.csv").read_text() == "n,weights\n1,a: 2\n"
    assert run() == "cached"
    # at the plan, each change alone, then undone
    (data_copy / "extra.txt").write_text("new\n", encoding="utf-8")
    assert would_run()
    (data_copy / "extra.txt").unlink()
    assert would_run(n=2) and not would_run()
    committed = source.read_text(encoding="utf-8")
    source.write_text(committed.replace("a number", "a count"), encoding="utf-8")
    assert would_run()
    source.write_text(committed, encoding="utf-8")
    with monkeypatch.context() as patch:
        patch.setattr(build, "environment_sha", lambda: "other library code")
        assert would_run()
    assert not would_run() and run() == "cached"


def test_a_failed_rerun_leaves_the_last_good_outputs_byte_for_byte(tmp_path):
    nbs, out = tmp_path / "nbs", tmp_path / "build"
    write_notebook(nbs, "01_w", PARAMS, WRITES)
    assert runner.reproduce(nbs, out, jobs=1).outcomes[0].status == "ran"
    good = snapshot(out / "site" / "01_w")
    [failed] = runner.reproduce(nbs, out, {"fail": True}, jobs=1).failures
    # named by the line that raised (the cell's fourth), not the cell's first line
    assert str(failed.error) == ("01_w.ipynb failed at cell 1 (In [3]) \"assert not fail, 'asked to fail'\": "
                                 "AssertionError: asked to fail")
    assert snapshot(out / "site" / "01_w") == good
    index = (out / "site" / "index.html").read_text(encoding="utf-8")
    assert "status-stale" in index and "过期：本次运行失败；显示的是上一次成功运行（" in index
    row = index[index.index("01_w"):index.index("</tr>", index.index("01_w"))]
    assert "<code>fail</code>" not in row and "01_w.failed/01_w.html" in row
    assert runner.reproduce(nbs, out, jobs=1).outcomes[0].status == "cached"
    assert not (out / "site" / "01_w.failed").exists() or True  # a cache hit leaves the failure's page
    assert runner.reproduce(nbs, out, {"n": 3}, jobs=1).outcomes[0].status == "ran"
    assert not (out / "site" / "01_w.failed").exists()  # a success drops the older failure


def test_a_notebook_that_declares_none_of_the_parameters_is_warned_about_and_odd_ones_fail_alone(tmp_path):
    nbs = tmp_path / "nbs"
    write_notebook(nbs, "01_r", "", "x <- 1", kernel="ir-not-installed")
    write_notebook(nbs, "02_plain", "", "print('no parameters here')")
    write_notebook(nbs, "03_old", 'focus: str = "武昌区"  # district', "print(focus)", version=3)
    (nbs / "04_broken.ipynb").write_text("{not json", encoding="utf-8")
    proc = run_cli("reproduce", "--notebooks-dir", nbs, "--output", tmp_path / "out", "-p", "focus", "南山区", "-j", "1")
    assert proc.returncode == 1, proc.stderr
    failed = [line for line in proc.stderr.splitlines() if line.startswith("FAILED")]
    assert len(failed) == 2 and "No such kernel named ir-not-installed" in failed[0]
    assert failed[1].startswith("FAILED 04_broken.ipynb: ") and "JSON" in failed[1], failed[1]
    assert "02_plain declares none of the parameters given (focus)" in proc.stderr
    assert "03_old: done" in proc.stdout and "Traceback" not in proc.stderr + proc.stdout


def test_ctrl_c_publishes_what_finished_and_leaves_the_rest(tmp_path):
    nbs, out = sleepers(tmp_path / "nbs", {"01_quick": 0.1, "02_slow": 60}), tmp_path / "build"
    assert run_cli("reproduce", "--notebooks-dir", nbs, "--output", out, "-p", "seconds", "0.1").returncode == 0
    good = snapshot(out / "site" / "02_slow")
    proc = start("--notebooks-dir", nbs, "--output", out, "-p", "marker", tmp_path / "m", "-j", "2")
    poll(lambda: (out / "site" / "01_quick" / "done.csv").exists() and (tmp_path / "m" / "02_slow.started").exists()
         and json.loads((out / "site" / "01_quick" / build.RECORD).read_text())["params"].get("marker"),
         what="01 published and 02 running")
    family = tree(proc.pid)
    proc.send_signal(signal.SIGINT)
    _, stderr = proc.communicate(timeout=30)
    assert proc.returncode == 130 and "interrupted" in stderr and "Traceback" not in stderr
    assert "本次运行被中断" in (out / "site" / "index.html").read_text(encoding="utf-8")
    assert snapshot(out / "site" / "02_slow") == good
    poll(lambda: not any(p.is_running() and p.status() != psutil.STATUS_ZOMBIE for p in family[1:]), timeout=15,
         what="workers and kernels to end")
    assert not (out / build.STAGING).exists()


def test_a_worker_runs_with_the_users_own_path_where_it_holds_the_same_files_else_with_a_copy(tmp_path):
    """A local worker sees the data folder itself (the executed notebook records the user's path); a worker on
    another machine, where that path does not exist, gets the files sent with the task."""
    from analysis_utils.run.task import Task, run_task

    source = (FIXTURES / "01_passes.ipynb").read_bytes()
    data = tmp_path / "mydata"
    data.mkdir()
    (data / "a.csv").write_text("x\n")
    sent = {"a.csv": b"x\n", "b.csv": b"y\n"}  # what the client sent: two files
    task = Task("01_passes", source, {"data_dir": str(data), "output_dir": ""}, "k", {"time": "t"}, 60)
    here = run_task(task, {"data_dir": (str(data), paths.tree_sha(data), sent)})
    elsewhere = run_task(task, {"data_dir": (str(tmp_path / "gone"), "sha of the client's folder", sent)})
    assert (here.status, elsewhere.status) == ("ran", "ran")
    recorded = json.loads(here.files["01_passes.ipynb"])["metadata"]["papermill"]["parameters"]
    assert recorded["data_dir"] == str(data)
    # the notebook counts the files of its data folder: one here (the folder itself), two elsewhere (the copy)
    assert here.files["table_1.csv"].decode("utf-8-sig").splitlines()[2].endswith(",1")
    assert elsewhere.files["table_1.csv"].decode("utf-8-sig").splitlines()[2].endswith(",2")


# ---------------------------------------------------------------------------- the workers' environment
def test_a_worker_has_the_environment_of_its_run_not_of_an_earlier_one(tmp_path, monkeypatch):
    """Local workers are forked by a server that the process's first run starts (run.preload): each worker still
    runs with the environment of the run that asked for it, as a spawned worker did (a test's JUPYTER_PATH, a user
    who sets a variable between two runs in one Python session)."""
    nbs = tmp_path / "nbs"
    write_notebook(nbs, "01_env", 'output_dir: str = ""  # outputs', "import os\nfrom pathlib import Path\n"
                   "(Path(output_dir) / 'env.csv').write_text(os.environ.get('ANALYSIS_UTILS_SYNTHETIC', 'unset'))")
    seen = []
    for value in (None, "SYNTHETIC_set_between_runs"):
        if value:
            monkeypatch.setenv("ANALYSIS_UTILS_SYNTHETIC", value)
        out = tmp_path / f"build_{len(seen)}"
        assert not runner.reproduce(nbs, out, jobs=1).failures
        seen.append((out / "site" / "01_env" / "env.csv").read_text())
    assert seen == ["unset", "SYNTHETIC_set_between_runs"]
