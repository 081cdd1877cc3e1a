"""The command line as a user runs it: ``python -m analysis_utils ARGS`` in a separate process (:func:`run_cli`), or
the same ``main`` in this process (:func:`cli_here`) for a command that is refused before anything runs."""
from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys

from analysis_utils import paths


def run_cli(*args, cwd=None, timeout=300, env=None) -> subprocess.CompletedProcess:
    """``python -m analysis_utils ARGS`` (from the repository root by default), output captured."""
    return subprocess.run([sys.executable, "-m", "analysis_utils", *map(str, args)], capture_output=True, text=True,
                          timeout=timeout, cwd=cwd or paths.REPO_ROOT, env={**os.environ, **(env or {})})


def cli_here(*args) -> subprocess.CompletedProcess:
    """``analysis_utils.run.cli.main(ARGS)`` in this process: its exit code and what it printed, as :func:`run_cli`
    gives them, without starting an interpreter (about a CPU-second each). Only for paths that are absolute and for a
    command that starts no notebook and warns through no Python warning (pytest would record one, not print it)."""
    from analysis_utils.run.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main([str(a) for a in args])
        except SystemExit as exc:  # argparse's own refusals
            code = exc.code
    return subprocess.CompletedProcess(["analysis_utils", *map(str, args)], code, out.getvalue(), err.getvalue())
