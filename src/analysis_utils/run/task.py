"""One task: a notebook run with one parameter set by papermill's public ``execute_notebook``, then its pages, on
whichever worker the executor chose. Inputs and outputs are values (bytes), so a worker needs no file system shared
with the client and writes nothing outside its temporary folder.
"""
from __future__ import annotations

import multiprocessing
import os
import re
import signal
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import papermill
import psutil
from papermill.translators import PythonTranslator, papermill_translators

from analysis_utils import paths
from analysis_utils.errors import NotebookRunError
from analysis_utils.labels import build_lang
from analysis_utils.report import site
from analysis_utils.report.provenance import full
from analysis_utils.report.writers import set_provenance


KERNELS_LOG = "logs/kernels.log"  # inside OUTPUT: the local workers' and their kernels' own output


@dataclass(frozen=True)
class Task:
    """Everything a worker needs to run one notebook (picklable; small)."""

    name: str  # the notebook's stem, 02_gaps
    source: bytes  # the notebook file
    params: dict  # injected; a path parameter is replaced by the worker's copy of its files
    key: str  # the cache key (run.build.cache_key)
    provenance: dict  # parameters as the user gave them, data sha256, version, time
    cell_timeout: int
    build: str = ""  # the build folder inside --output: "" for a single build, "focus=武昌区" in a batch


@dataclass
class Outcome:
    """What a task returns: its status ("ran" or "failed"), time, error, and every file it made
    ({path relative to the notebook's folder: bytes}: executed notebook, pages, tables, figures)."""

    task: Task
    status: str
    seconds: float
    error: NotebookRunError | None = None
    files: dict = field(default_factory=dict, repr=False)


class ReadableTranslator(PythonTranslator):
    """papermill's Python translator writing strings by ``repr``: ``focus = '南山区'``, not ``\\u5357…``."""

    @classmethod
    def translate_str(cls, val):
        return repr(val)


def write_files(folder: Path, files: dict[str, bytes]) -> Path:
    """Write ``files`` ({path relative to ``folder``: bytes}; the one key "" writes ``folder`` itself as a file),
    making the folders they need; returns ``folder``. OSError as the system raises it."""
    for rel, data in files.items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_bytes(data)
    return folder


# jupyter_client's errors for a kernel that never answered its first request
KERNEL_NOT_STARTED = ("Kernel didn't respond", "Kernel died before replying to kernel_info")


def _error(task: Task, executed: Path, exc: BaseException) -> NotebookRunError:
    """One line for a failed notebook: the cell of the source notebook that failed (papermill's error names it
    by its source; a timeout or a dead kernel names none, so take the cell papermill still marks as running),
    the exception's name and message."""
    source = getattr(exc, "source", None)
    if source is None and executed.exists():
        source = next((c.source for c in nbformat.read(str(executed), as_version=4).cells
                       if c.get("metadata", {}).get("papermill", {}).get("status") == "running"), None)
    try:
        cells = nbformat.reads(task.source.decode("utf-8"), as_version=4).cells
    except Exception:  # noqa: BLE001  (no notebook at all: the error says so)
        cells = []
    index = next((i for i, c in enumerate(cells) if source is not None and c.source == source), None)
    # the line that raised, as IPython's traceback marks it ("----> 10 matrix = …"); else the cell's first line
    marked = [re.sub(r"^-*>\s*\d+\s*", "", line) for line in
              (re.sub(r"\x1b\[[0-9;]*m", "", t) for t in getattr(exc, "traceback", None) or [] for t in t.splitlines())
              if re.match(r"^-+>\s*\d+", line)]
    first = (marked[0] if marked else next((line for line in (source or "").splitlines() if line.strip()), "")).strip()
    message = next((line.strip() for line in str(exc).splitlines() if line.strip().strip("-")), "")
    return NotebookRunError(f"{task.name}.ipynb", index, getattr(exc, "exec_count", None), first,
                            getattr(exc, "ename", None) or type(exc).__name__, getattr(exc, "evalue", None) or message)


def run_task(task: Task, inputs: dict) -> Outcome:
    """Run ``task`` in this process and return its :class:`Outcome`; a notebook that fails is an outcome, not
    an exception. ``inputs``: {parameter: (path, sha256, {relative path: bytes})} for the path parameters."""
    papermill_translators.register("python", ReadableTranslator)
    share = str(Path(sys.prefix) / "share" / "jupyter")  # this environment's kernelspecs first
    if share not in os.environ.get("JUPYTER_PATH", ""):
        os.environ["JUPYTER_PATH"] = os.pathsep.join(p for p in (share, os.environ.get("JUPYTER_PATH")) if p)
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="analysis-utils-") as tmp:
        tmp = Path(tmp)
        params = dict(task.params)
        for name, (origin, sha, files) in inputs.items():  # the path itself where it holds the same content (a
            if name in params:                              # local worker), else a copy (a worker elsewhere)
                same = Path(origin).exists() and paths.tree_sha(origin) == sha
                params[name] = origin if same else str(write_files(tmp / "inputs" / name / Path(origin).name, files))
        out = tmp / "out"
        out.mkdir()
        if "output_dir" in params:
            params["output_dir"] = str(out)
        source, executed = tmp / f"{task.name}.ipynb", out / f"{task.name}.ipynb"
        source.write_bytes(task.source)
        for attempt in (1, 2):  # a kernel that did not start (no cell ran) is started once more: kernels started at
            try:                 # once can clash over a port, or a loaded machine answer late (papermill #776)
                papermill.execute_notebook(str(source), str(executed), parameters=params, cwd=str(tmp),
                                           progress_bar=False, execution_timeout=task.cell_timeout,
                                           extra_arguments=["--IPKernelApp.log_level=ERROR"])
                error = None
            except Exception as exc:  # noqa: BLE001  (any failure is the notebook's, reported in one line)
                if attempt == 1 and isinstance(exc, RuntimeError) and str(exc).startswith(KERNEL_NOT_STARTED):
                    print(f"{task.name}: the kernel did not start ({exc}); starting it once more", file=sys.stderr)
                    continue
                error = _error(task, executed, exc)
            break
        if executed.exists():  # a failed notebook gets its pages too, saying what failed and where the log is
            log = "../" * (2 + len(Path(task.build).parts)) + KERNELS_LOG  # from site/NN_name.failed/ to OUTPUT/
            site.render_notebook(executed, out, task.name, task.provenance, tmp, error, log)
        if error is None:
            lang = build_lang(task.provenance.get("parameters"))
            for book in sorted(p for p in out.rglob("*.xlsx") if not p.name.startswith(".")):
                set_provenance(book, full(task.provenance, lang), lang)
        files = {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}
    return Outcome(task, "ran" if error is None else "failed", time.perf_counter() - start, error, files)


# ---------------------------------------------------------------------------- local worker processes
def watch_parent(log: str | None = None, environ: dict | None = None, cwd: str | None = None) -> None:
    """A local worker's initializer: when the run's process is gone (``kill -9``, which no handler sees), kill this
    worker's kernels and exit, so that nothing outlives the run and no queued notebook starts
    (``multiprocessing.parent_process().join()`` returns when the parent ends). ``log``: a file that takes this
    worker's and its kernels' own output (a killed cell's traceback), off the terminal. ``environ``, ``cwd``: the
    run's environment and folder, which a worker forked by the forkserver (:mod:`.preload`) would not otherwise
    have (it has the server's, from the process's first run)."""
    if environ is not None:
        os.environ.clear()
        os.environ.update(environ)
    if cwd is not None:
        os.chdir(cwd)
    if log is not None:
        Path(log).parent.mkdir(parents=True, exist_ok=True)
        os.dup2(os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644), 2)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the run's: it kills the workers

    def watch():
        multiprocessing.parent_process().join()
        for child in psutil.Process().children(recursive=True):
            child.kill()
        os._exit(1)

    threading.Thread(target=watch, daemon=True, name="watch-parent").start()


def warm() -> None:
    """Render a two-cell notebook's pages in each language into a temporary folder and delete them: nbconvert's
    templates, its HTML parser's selectors and the highlighter are then built in this process (a worker's first
    page cost about 1.3 CPU-s more than the next). Called by the forkserver (:mod:`.preload`), whose forks share
    them. Never raises: a worker that finds nothing built builds it itself."""
    from analysis_utils.labels import LANGS

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# warm\n\n*a* [link](https://example.org)"),
                                         nbformat.v4.new_code_cell("print(1)", outputs=[
                                             nbformat.v4.new_output("stream", name="stdout", text="1\n")])])
    nb.metadata["language_info"] = {"name": "python", "pygments_lexer": "ipython3"}
    try:
        with tempfile.TemporaryDirectory(prefix="analysis-utils-warm-") as tmp:
            for code in LANGS:
                nb.metadata["papermill"] = {"parameters": {"lang": code}}
                nbformat.write(nb, str(Path(tmp) / "warm.ipynb"))
                site.render_notebook(Path(tmp) / "warm.ipynb", tmp, "warm", {})
    except Exception:  # noqa: BLE001  (only a speed-up)
        pass
