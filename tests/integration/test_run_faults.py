"""Every fault of issue 20 as a case: two runs into one folder, kill -9 of the run, a killed worker, a corrupt record,
a forbidden --output, a full disk, a locked file or folder, a long TMPDIR, a kernel that dies while starting, bad
options, --only with another notebook's parameter. Waits poll for the state they expect. A case whose point is the
process (a signal, the lock's holder, TMPDIR, no interpreter's traceback) runs ``python -m analysis_utils``; the others
call its main in this process (cli_here), their notebooks still on spawned workers."""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from analysis_utils import paths
from analysis_utils.errors import AnalysisError
from analysis_utils.run import build, runner
from tests._support.cli import cli_here, run_cli
from tests._support.notebooks import FIXTURES, write_notebook
from tests._support.runs import PARAMS, WRITES, poll, sleepers, snapshot, start, tree

pytestmark = pytest.mark.notebook

# ---------------------------------------------------------------------------- faults (issue 20, cases 1-12)
def test_case_1_a_second_run_into_a_held_folder_says_who_holds_it(tmp_path):
    nbs, out = sleepers(tmp_path / "nbs", {"01_slow": 3}), tmp_path / "build"
    first = start("--notebooks-dir", nbs, "--output", out, "-p", "marker", tmp_path / "m")
    poll(lambda: (tmp_path / "m" / "01_slow.started").exists(), what="the first run's notebook")
    # the holder must be another process; the refused run may be this one (flock is per open file)
    second = cli_here("reproduce", "--notebooks-dir", nbs, "--output", out, "-p", "marker", tmp_path / "m")
    assert second.returncode == 2
    assert second.stderr.strip().splitlines() == [
        f"error: {out} is being written by process {first.pid} (started {second.stderr.split('(started ')[1][:8]}): "
        "wait for it to finish, or write elsewhere with --output (make reproduce OUTPUT=folder)"]
    assert first.wait(60) == 0, first.stderr.read()
    assert (out / "site" / "01_slow" / "done.csv").exists()


def test_case_2_kill_9_of_the_run_leaves_no_worker_or_kernel_and_starts_nothing(tmp_path):
    # a first run takes the largest notebooks first (runner._run): the queued one must be the smallest, or it may
    # start, finish and publish before the kill (a flake this test once had, with '03_queued' and 0.1 s)
    nbs = sleepers(tmp_path / "nbs", {"01_a": 60, "02_b": 60, "03_q": 1})
    assert (nbs / "03_q.ipynb").stat().st_size < (nbs / "01_a.ipynb").stat().st_size
    proc = start("--notebooks-dir", nbs, "--output", tmp_path / "build", "-p", "marker", tmp_path / "m", "-j", "2")
    started = lambda: sorted(p.name for p in (tmp_path / "m").glob("*.started"))  # noqa: E731
    poll(lambda: len(started()) == 2, what="two notebooks running")
    assert started() == ["01_a.started", "02_b.started"]
    family = tree(proc.pid)
    assert len(family) >= 5  # the run, two workers, two kernels
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    poll(lambda: not any(p.is_running() and p.status() != psutil.STATUS_ZOMBIE for p in family), timeout=15,
         what="every worker and kernel to end")
    time.sleep(1)
    assert started() == ["01_a.started", "02_b.started"]  # the third, queued, never started
    site = tmp_path / "build" / "site"
    assert not site.exists(), sorted(p.name for p in site.iterdir())  # nothing finished: nothing published


def test_case_3_a_killed_worker_fails_its_notebook_only(tmp_path):
    nbs = sleepers(tmp_path / "nbs", {"01_victim": 15, "02_b": 2, "03_c": 0.1, "04_d": 0.1})
    # the victim sleeps long enough to be killed mid-run (the kill follows its start marker at once); the run then
    # waits for its orphaned kernel, so a longer sleep only makes the test slower
    out = tmp_path / "build"
    proc = start("--notebooks-dir", nbs, "--output", out, "-p", "marker", tmp_path / "m", "-j", "2")
    marker = tmp_path / "m" / "01_victim.started"
    poll(lambda: marker.exists() and marker.read_text(), what="the victim to start")
    os.kill(int(marker.read_text()), signal.SIGKILL)  # its worker (the kernel's parent), as the OOM killer would
    stdout, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 1
    assert [line for line in stderr.splitlines() if line.startswith("FAILED")] == [
        "FAILED 01_victim.ipynb: WorkerDied: its worker process died (killed, e.g. by the system when memory ran out); "
        "the other notebooks ran on"]
    for name in ("02_b", "03_c", "04_d"):
        assert (out / "site" / name / "done.csv").exists(), name
    assert "01_victim: FAILED after 0.0s" in stdout


def test_case_5_a_corrupt_record_is_a_miss_with_one_warning_and_force_never_reads_it(tmp_path):
    nbs, out = tmp_path / "nbs", tmp_path / "build"
    write_notebook(nbs, "01_w", PARAMS, WRITES)
    assert not runner.reproduce(nbs, out).failures
    record = out / "site" / "01_w" / build.RECORD
    record.write_bytes(b'{"key": "ab')  # truncated (a 0-byte record: tests/unit/run/test_build.py)
    proc = cli_here("reproduce", "--notebooks-dir", nbs, "--output", out)
    assert proc.returncode == 0, proc.stderr
    assert [line for line in proc.stderr.splitlines() if line.startswith("warning")] == [
        f"warning: {record} cannot be read (JSONDecodeError: Unterminated string starting at: line 1 column 9 "
        "(char 8)); its notebook runs again"]
    assert "01_w: done" in proc.stdout
    record.write_bytes(b"\x00garbage")
    proc = cli_here("reproduce", "--notebooks-dir", nbs, "--output", out, "--force")
    assert proc.returncode == 0 and "warning" not in proc.stderr, proc.stderr


def test_case_6_an_output_folder_that_mixes_with_the_project_is_refused():
    before = snapshot(paths.NOTEBOOKS_DIR)
    proc = run_cli("reproduce", "--output", ".", "--only", "01")  # from the project root, as people type it
    assert proc.returncode == 2 and proc.stderr.strip().splitlines() == [
        f"error: --output {paths.REPO_ROOT} would mix the build with {paths.NOTEBOOKS_DIR}: choose a folder of its own, "
        "such as build/ or build-en/"]
    for where in ("notebooks", "notebooks/build", "src", "data", "data/build", ".."):  # the same check, in-process
        with pytest.raises(AnalysisError, match="would mix the build with"):
            runner.reproduce(output_dir=paths.REPO_ROOT / where, only=["01"])
    assert snapshot(paths.NOTEBOOKS_DIR) == before and not (paths.REPO_ROOT / ".previous").exists()
    assert not (paths.REPO_ROOT / "notebooks" / "build").exists() and not (paths.DATA_DIR / "build").exists()


def _can_mount() -> bool:
    probe = Path("/tmp/analysis-utils-mount-probe")
    probe.mkdir(exist_ok=True)
    ok = os.geteuid() == 0 and subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(probe)],
                                             capture_output=True).returncode == 0
    if ok:
        subprocess.run(["umount", str(probe)], capture_output=True)
    return ok


def test_case_7_a_full_disk_is_named_and_the_last_good_build_stays(tmp_path):
    if not _can_mount():
        pytest.skip("needs root and tmpfs to make a small disk")
    disk = tmp_path / "disk"
    disk.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=40m", "tmpfs", str(disk)], check=True)
    try:
        nbs, out = tmp_path / "nbs", disk / "build"
        write_notebook(nbs, "01_w", PARAMS, WRITES + "\n(out / 'big.bin').write_bytes(b'x' * 2_000_000)")
        assert cli_here("reproduce", "--notebooks-dir", nbs, "--output", out).returncode == 0
        good = snapshot(out / "site")
        with open(disk / "filler", "wb") as fh:  # fill the disk
            try:
                while True:
                    fh.write(b"\0" * (1 << 20))
                    fh.flush()
            except OSError:
                pass
        proc = run_cli("reproduce", "--notebooks-dir", nbs, "--output", out, "--force")
        assert proc.returncode != 0
        assert "No space left on device [ENOSPC]: the disk is full" in proc.stderr, proc.stderr
        assert "Traceback" not in proc.stderr, proc.stderr
        assert snapshot(out / "site") == good
    finally:
        subprocess.run(["umount", str(disk)], capture_output=True)


def _freeze(path: Path) -> bool:
    """Make ``path`` impossible to change or move: ``chattr +i`` as root (as Excel's lock on an open file),
    ``chmod a-w`` of its folder otherwise. False when neither works here."""
    if os.geteuid() == 0:
        return shutil.which("chattr") is not None and \
            subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode == 0
    path.parent.chmod(0o555)
    return True


def _thaw(path: Path) -> None:
    if os.geteuid() == 0:
        subprocess.run(["chattr", "-i", str(path)], capture_output=True)
    else:
        path.parent.chmod(0o755)


@pytest.fixture(scope="module")
def good_w_build(tmp_path_factory) -> tuple[Path, Path]:
    """(notebooks, build) of one good run of 01_w (writes t.csv with pandas), made once for the module: each case of
    test_case_8 copies the build and locks a part of its copy."""
    root = tmp_path_factory.mktemp("good_w")
    nbs, out = root / "nbs", root / "build"
    write_notebook(nbs, "01_w", PARAMS, WRITES + "\nimport pandas as pd; pd.DataFrame({'a': [n]}).to_csv(out / 't.csv')")
    assert not runner.reproduce(nbs, out).failures
    return nbs, out


@pytest.mark.parametrize("frozen", ["site/tables.xlsx", "site/01_w"])
def test_case_8_a_locked_file_or_folder_is_one_line_and_nothing_is_lost(tmp_path, good_w_build, frozen):
    nbs, built = good_w_build
    out = shutil.copytree(built, tmp_path / "build", symlinks=True)  # the module's good build, copied
    good = snapshot(out / "site" / "01_w")
    if not _freeze(out / frozen):
        pytest.skip("cannot lock a file here")
    try:
        proc = run_cli("reproduce", "--notebooks-dir", nbs, "--output", out, "-p", "n", "5")
        index = (out / "site" / "index.html").read_text(encoding="utf-8")
    finally:
        _thaw(out / frozen)
    assert proc.returncode != 0 and "Traceback" not in proc.stderr
    problem = [line for line in proc.stderr.splitlines() if "[EPERM]" in line or "[EACCES]" in line]
    assert len(problem) == 1 and str(out / "site") in problem[0], proc.stderr
    if frozen.endswith("01_w"):
        assert snapshot(out / "site" / "01_w") == good  # the old outputs, whole
    else:
        assert "<code>5</code>" in index  # the index was rewritten all the same
    if frozen.endswith("01_w"):  # recovery does not depend on what was locked: checked once, on the folder
        assert not runner.reproduce(nbs, out, {"n": 5}).failures  # unlocked: the next run completes
        assert (out / "site" / "01_w" / "t.csv").read_text().endswith("5\n")


def test_case_9_a_long_tmpdir_is_no_problem(tmp_path):
    long = tmp_path / ("t" * 60) / ("u" * 60)
    long.mkdir(parents=True)
    nbs = tmp_path / "nbs"
    write_notebook(nbs, "01_w", PARAMS, WRITES)  # a kernel, a worker and the site: what lives under TMPDIR
    proc = run_cli("reproduce", "--notebooks-dir", nbs, "--output", tmp_path / "b", env={"TMPDIR": str(long)})
    assert len(str(long)) > 100 and proc.returncode == 0, proc.stderr


def test_case_10_a_kernel_that_dies_while_starting_is_reported_within_seconds(tmp_path, monkeypatch):
    spec = tmp_path / "jupyter" / "kernels" / "dies-at-start"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-c", "import time, os; time.sleep(0.5); os._exit(9)", "{connection_file}"],
        "display_name": "dies", "language": "python"}), encoding="utf-8")
    nbs = tmp_path / "nbs"
    write_notebook(nbs, "01_dies", "", "print(1)", kernel="dies-at-start")
    begun = time.monotonic()
    # read by the workers, spawned by this call with this environment (run.task.run_task), not by the run itself
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    proc = cli_here("reproduce", "--notebooks-dir", nbs, "--output", tmp_path / "b")
    assert proc.returncode == 1 and "FAILED 01_dies.ipynb" in proc.stderr, proc.stderr
    assert "died" in proc.stderr.lower()
    assert time.monotonic() - begun < 30


def test_a_kernel_that_fails_to_start_once_is_started_again(tmp_path, monkeypatch):
    """Kernels started at once can clash over a port or answer late on a loaded machine (a newcomer's cold run met
    "Kernel didn't respond in 60 seconds"): a kernel that dies before its first reply is started once more, said in
    the kernels' log; the notebook runs. (One that dies every time fails: case 10.)"""
    spec = tmp_path / "jupyter" / "kernels" / "dies-once"
    spec.mkdir(parents=True)
    marker = tmp_path / "started-once"
    start = (f"import os, sys, pathlib; m = pathlib.Path({str(marker)!r})\n"
             "if not m.exists(): m.touch(); os._exit(9)\n"
             "from ipykernel import kernelapp; sys.argv = ['ipykernel', '-f', sys.argv[1]]; kernelapp.launch_new_instance()")
    (spec / "kernel.json").write_text(json.dumps({"argv": [sys.executable, "-c", start, "{connection_file}"],
                                                  "display_name": "dies once", "language": "python"}), encoding="utf-8")
    nbs = tmp_path / "nbs"
    write_notebook(nbs, "01_once", 'output_dir: str = ""  # outputs', "print('ran')", kernel="dies-once")
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))  # read by the spawned worker
    report = runner.reproduce(nbs, tmp_path / "b")
    assert [o.status for o in report.outcomes] == ["ran"] and marker.exists()
    log = (tmp_path / "b" / "logs" / "kernels.log").read_text(encoding="utf-8")
    assert "01_once: the kernel did not start (Kernel died before replying to kernel_info); starting it once more" \
        in log, log


@pytest.mark.parametrize("option", [["--cell-timeout", "0"], ["--cell-timeout", "-1"], ["--jobs", "0"],
                                    ["--jobs", "two"]])
def test_case_11_options_must_be_above_zero(option, tmp_path):
    proc = cli_here("reproduce", "--notebooks-dir", FIXTURES, "--output", tmp_path / "b", *option)
    assert proc.returncode == 2 and f"expected a whole number above 0, got '{option[1]}'" in proc.stderr
    assert not (tmp_path / "b").exists()


def test_case_12_only_runs_a_subset_but_any_declared_parameter_is_accepted(tmp_path):
    proc = cli_here("reproduce", "--notebooks-dir", FIXTURES, "--output", tmp_path / "b", "--only", "02",
                    "-p", "n_samples", "5")  # declared by 01 only
    assert proc.returncode == 1, proc.stderr  # 02 fails on purpose
    first = proc.stdout.splitlines()[0]  # progress counts the notebooks of this run: done, running and left
    assert first.startswith("[1/1] 02_fails: FAILED after ") and first.endswith("s (running 0, left 0)"), first
