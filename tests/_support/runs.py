"""Helpers of the run tests: small notebooks that write, sleep or fail, a run started in the background, polling
for a state instead of sleeping a fixed time, and a folder's files by checksum."""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from analysis_utils import paths
from tests._support.notebooks import write_notebook

WRITES = ("from pathlib import Path\n"
          "out = Path(output_dir); out.mkdir(parents=True, exist_ok=True)\n"
          "text = Path(weights).read_text() if weights else ''\n"
          "assert not fail, 'asked to fail'\n"
          "(out / 'result.csv').write_text(f'n,weights\\n{n},{text.strip()}\\n')")
PARAMS = ('n: int = 1  # a number\nweights: str = ""  # a file\nfail: bool = False  # fail on purpose\n'
          'output_dir: str = ""  # outputs\ndata_dir: str = ""  # data')
SLEEPS = ("import os, time\nfrom pathlib import Path\n"
          "Path(marker).mkdir(parents=True, exist_ok=True)\n"
          "(Path(marker) / f'{name}.started').write_text(str(os.getppid()))\n"
          "time.sleep(seconds)\n"
          "(Path(output_dir) / 'done.csv').write_text('done\\n')")
SLEEP_PARAMS = 'seconds: float = 0.1  # how long\nmarker: str = ""  # folder of start markers\nname: str = "x"  # its name\n' \
               'output_dir: str = ""  # outputs'


def poll(condition, timeout: float = 60, what: str = "") -> None:
    """Wait until ``condition()`` holds (checked every 0.1 s); fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.1)


def sleepers(folder: Path, names_seconds: dict[str, float]) -> Path:
    for name, seconds in names_seconds.items():
        write_notebook(folder, name, SLEEP_PARAMS.replace('"x"', f'"{name}"').replace("0.1", str(seconds)), SLEEPS)
    return folder


# The run as a terminal starts it, with Ctrl-C (SIGINT) at its default: a shell without job control starts a
# background command (`make test &`) with SIGINT ignored, every process under it inherits that, and Python keeps an
# ignored SIGINT ignored, so the Ctrl-C case hung until its timeout. Set before exec, the same process (pid) runs on.
AS_FROM_A_TERMINAL = ("import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); "
                      "os.execv(sys.executable, [sys.executable, '-m', 'analysis_utils', *sys.argv[1:]])")


def start(*args, env=None) -> subprocess.Popen:
    """``python -m analysis_utils reproduce ARGS`` in the background (stdout and stderr piped, as text), able to be
    interrupted with SIGINT whatever the tests' own SIGINT is (:data:`AS_FROM_A_TERMINAL`)."""
    return subprocess.Popen([sys.executable, "-c", AS_FROM_A_TERMINAL, "reproduce", *map(str, args)],
                            cwd=paths.REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, **(env or {})})


def tree(pid: int) -> list[psutil.Process]:
    """The process ``pid`` and every process under it."""
    return [psutil.Process(pid), *psutil.Process(pid).children(recursive=True)]


def snapshot(folder: Path) -> dict[str, str]:
    """{relative path: sha256} of every file under ``folder``: "byte for byte intact" compares these."""
    import hashlib

    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}
