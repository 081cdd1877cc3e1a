"""What a run guarantees when it is interrupted (README, "Never a lost build"): Ctrl-C at any moment leaves the
last good build, and the next run repairs it. Apart from tests/test_trust.py so that pytest-xdist
(``--dist loadfile``) runs these slow tests beside the others instead of after them on the same worker."""
from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from analysis_utils import paths
from analysis_utils.run import staging
from test_trust import PARAMS, WRITES, _notebook, run_cli, snapshot

@pytest.fixture(scope="module")
def good_sleeper_build(tmp_path_factory) -> tuple[Path, Path, Path]:
    """(notebooks folder, build, pristine copy): a notebook that sleeps ``n`` seconds, built once with n=0
    by the command line. Each interruption test first puts the pristine copy back in the same place
    (the build records its own folder, e.g. in the combined workbook, so it is never moved)."""
    root = tmp_path_factory.mktemp("sigint")
    nbs, out = root / "nbs", root / "build"
    _notebook(nbs, "01_w", PARAMS, WRITES + "\nimport time; time.sleep(n)")
    proc = run_cli("reproduce", "--notebooks-dir", nbs, "--output", out, "-p", "n", "0")
    assert proc.returncode == 0, proc.stderr
    shutil.copytree(out, root / "pristine", symlinks=True)
    return nbs, out, root / "pristine"


@pytest.mark.notebook
@pytest.mark.parametrize("delay", [0.5, 2.5, 5.0])
def test_sigint_leaves_the_last_good_build_and_the_next_run_repairs(delay, good_sleeper_build):
    """Case 13: Ctrl-C before the kernel is up, during a cell, near the end; then a normal run."""
    nbs, out, pristine = good_sleeper_build
    shutil.rmtree(out)
    shutil.copytree(pristine, out, symlinks=True)
    base = ["reproduce", "--notebooks-dir", nbs, "--output", out]
    good = snapshot(out)
    proc = subprocess.Popen([sys.executable, "-m", "analysis_utils", *map(str, base), "-p", "n", "4"],
                            cwd=paths.REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(delay)
    proc.send_signal(signal.SIGINT)
    _, stderr = proc.communicate(timeout=60)
    # 0: the run was over; 130: interrupted; -2: killed by SIGINT while Python was still starting up
    assert proc.returncode in (0, 130, -signal.SIGINT), stderr
    now = snapshot(out)
    assert not [k for k in now if staging.TEMP_NAME.match(Path(k).name) or k.startswith(staging.PREVIOUS)]
    if proc.returncode == 130:
        kept = {k: v for k, v in good.items() if not k.startswith(("site/index", "logs/"))}
        assert {k: now.get(k) for k in kept} == kept  # the last good build survives, byte for byte
        index = (out / "site" / "index.html").read_text(encoding="utf-8")
        assert now["site/index.html"] == good["site/index.html"] or "未用本次运行的输入重新运行" in index
    assert run_cli(*base, "-p", "n", "4").returncode == 0
    assert (out / "outputs" / "01_w" / "result.csv").read_text() == "n,weights\n4,\n"


# ---------------------------------------------------------------------------- Ctrl-C while the workers start
@pytest.mark.notebook
def test_ctrl_c_while_notebooks_are_handed_to_workers_kills_them(tmp_path, monkeypatch):
    """A Ctrl-C that lands while the pool is being handed its notebooks (the second submit) stops the run at
    once: the notebook already handed over is killed, not waited for, and its last good build stays. Before,
    the pool's `with` block waited for the running notebook (20 s here) and kept its new output, so an
    interrupted run changed the build (test_sigint_…[0.5] failed 1 time in 7)."""
    from concurrent.futures import ProcessPoolExecutor

    from analysis_utils.run import pipeline

    nbs, out = tmp_path / "nbs", tmp_path / "build"
    for name in ("01_a", "02_b"):
        _notebook(nbs, name, PARAMS, "import time; time.sleep(n)", WRITES)
    assert pipeline.reproduce(nbs, out, {"n": 0}, {}).failures == []
    good = snapshot(out / "outputs")
    real, calls = ProcessPoolExecutor.submit, []

    def submit(pool, *args, **kwargs):
        calls.append(args)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real(pool, *args, **kwargs)

    monkeypatch.setattr(ProcessPoolExecutor, "submit", submit)
    with pytest.raises(KeyboardInterrupt):
        pipeline.reproduce(nbs, out, {"n": 20}, {}, jobs=2)
    assert len(calls) == 2
    assert snapshot(out / "outputs") == good  # the first notebook did not finish its n=20 run
    assert not [k for k in snapshot(out) if staging.TEMP_NAME.match(Path(k).name) or k.startswith(staging.PREVIOUS)]


@pytest.mark.notebook
def test_ctrl_c_after_the_run_has_finished_says_so(tmp_path, monkeypatch, capsys):
    """A Ctrl-C that lands once the run is over (here: while the summary is printed) must not claim that
    nothing was changed: the run's outputs are in place. Exit 130 as for any interrupt."""
    from analysis_utils.run import cli, pipeline

    nbs, out = tmp_path / "nbs", tmp_path / "build"
    _notebook(nbs, "01_a", PARAMS, WRITES)
    assert cli.main(["reproduce", "--notebooks-dir", str(nbs), "--output", str(out), "-p", "n", "3"]) == 0

    def interrupted(report):
        raise KeyboardInterrupt

    monkeypatch.setattr(pipeline, "format_summary", interrupted)
    capsys.readouterr()
    assert cli.main(["reproduce", "--notebooks-dir", str(nbs), "--output", str(out), "-p", "n", "3"]) == 130
    err = capsys.readouterr().err
    assert err.strip() == f"interrupted after the run had finished: every output is in place (site: {out / 'site' / 'index.html'})"
    assert (out / "outputs" / "01_a" / "result.csv").read_text() == "n,weights\n3,\n"
