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


# ---------------------------------------------------------------------------- case 13 without kernels
