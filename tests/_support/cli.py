"""The command line as a user runs it: ``python -m analysis_utils ARGS`` in a separate process (:func:`run_cli`), or
the same ``main`` in this process (:func:`cli_here`), also for a run that starts notebooks: its workers are spawned
processes either way."""
from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
import tempfile
import warnings

from analysis_utils import paths


def run_cli(*args, cwd=None, timeout=300, env=None) -> subprocess.CompletedProcess:
    """``python -m analysis_utils ARGS`` (from the repository root by default), output captured."""
    return subprocess.run([sys.executable, "-m", "analysis_utils", *map(str, args)], capture_output=True, text=True,
                          timeout=timeout, cwd=cwd or paths.REPO_ROOT, env={**os.environ, **(env or {})})


def cli_here(*args) -> subprocess.CompletedProcess:
    """``analysis_utils.run.cli.main(ARGS)`` in this process, from the repository root as :func:`run_cli`: its exit
    code and what it printed, without starting an interpreter (about a CPU-second each). What is captured is what a
    process's pipes get: file descriptors 1 and 2 (the run's workers and kernels inherit them), ``sys.stdout`` and
    ``sys.stderr``, and Python warnings printed with the interpreter's default filters (pytest would record them).

    Not for what only a process has: a signal (the run's Ctrl-C kills every child of this process: pytest's), environment
    variables read at start-up (tempfile caches TMPDIR), ``--dask`` (sets dask's config for the whole process), a
    traceback the interpreter prints (here an uncaught exception fails the test instead), the entry point itself."""
    from analysis_utils.run.cli import main

    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        with _fds_to(out, err), contextlib.chdir(paths.REPO_ROOT), _warnings_printed():
            try:
                code = main([str(a) for a in args])
            except SystemExit as exc:  # argparse's own refusals
                code = exc.code
        if code == 130:  # main took pytest's own Ctrl-C: stop the session, as it would have
            raise KeyboardInterrupt
        texts = []
        for f in (out, err):  # decoded as subprocess's text=True does (UTF-8 here, universal newlines)
            f.seek(0)
            texts.append(f.read().decode().replace("\r\n", "\n").replace("\r", "\n"))
    return subprocess.CompletedProcess(["analysis_utils", *map(str, args)], code, *texts)


@contextlib.contextmanager
def _fds_to(out, err):
    """fds 1 and 2, and sys.stdout / sys.stderr on them (unbuffered: in the order written), into the files ``out``
    and ``err``; all restored after."""
    sys.stdout.flush()
    sys.stderr.flush()
    saved, streams = (os.dup(1), os.dup(2)), (sys.stdout, sys.stderr)
    try:
        os.dup2(out.fileno(), 1)
        os.dup2(err.fileno(), 2)
        sys.stdout = io.TextIOWrapper(io.FileIO(os.dup(1), "w"), "utf-8", write_through=True)
        sys.stderr = io.TextIOWrapper(io.FileIO(os.dup(2), "w"), "utf-8", "backslashreplace", write_through=True)
        yield
    finally:
        for mine in (sys.stdout, sys.stderr):
            if mine not in streams:
                mine.close()
        sys.stdout, sys.stderr = streams
        for fd, old in zip((1, 2), saved):
            os.dup2(old, fd)
            os.close(old)


@contextlib.contextmanager
def _warnings_printed():
    """Python warnings as ``python -m`` shows them: its default filters, printed to sys.stderr."""
    def show(message, category, filename, lineno, file=None, line=None):
        sys.stderr.write(warnings.formatwarning(message, category, filename, lineno, line))

    with warnings.catch_warnings():
        warnings.resetwarnings()  # the interpreter's defaults (no -W), in order of precedence
        for category in (ResourceWarning, ImportWarning, PendingDeprecationWarning, DeprecationWarning):
            warnings.simplefilter("ignore", category)
        warnings.filterwarnings("default", category=DeprecationWarning, module="__main__")
        warnings.showwarning = show
        yield
