"""The worker side of ``reproduce``: a process that runs notebooks with papermill, one at a time.

``init_worker`` points Jupyter at the .venv kernelspec, boots a first kernel and warms papermill and
nbconvert up while it boots. ``run_task`` runs one :class:`Task` and returns its :class:`Result`:
papermill into a temp name (it saves after every cell), each started cell reported on the progress
queue, the HTML pages rendered, then the cache record written (only after success).

Start-up dominates these notebooks (kernel boot plus ~1 s of imports, against ~1 s of work), so a
worker boots the kernel of its *next* notebook while the current one runs (:class:`WarmKernel`), and
that kernel silently imports the modules every notebook of the run imports anyway
(``common_imports``); a budget shared by the workers keeps spare kernels to the number of notebooks.
papermill runs the notebook through our engine (``register_engine``: papermill's engine registry and
nbclient's ``NotebookClient`` given that kernel manager). A finished kernel is stopped in the
background (``stop_kernel``: a shutdown request, no SIGINT); one still running a cell is killed.
Ctrl-C belongs to the parent: workers ignore SIGINT and are killed with their kernels.

Only documented, public APIs of papermill, nbclient and jupyter_client are used here, so that their
upgrades cannot break the runner; tests/test_pipeline.py checks that no private name is reached.
"""
from __future__ import annotations

import os
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from analysis_utils import paths
from analysis_utils.errors import NotebookRunError
from analysis_utils.run import staging
from analysis_utils.run.notebooks import parameters_cell, read_cells


@dataclass
class Task:
    """Everything a worker process needs to run one notebook (picklable)."""

    name: str
    source: Path
    executed: Path
    outputs: Path
    site_dir: Path
    cache_file: Path
    params: dict
    key: str
    cell_timeout: int
    provenance: dict
    build_dir: Path | None = None  # the output folder (None: executed.parent.parent)
    kernel: str | None = None  # the kernel the notebook names; None: the project kernel

    @property
    def root(self) -> Path:
        return self.build_dir or self.executed.parent.parent


@dataclass
class Result:
    name: str
    status: str  # "ran", "cached" or "failed"
    seconds: float
    error: NotebookRunError | None = None
    params: dict = field(default_factory=dict)
    restored: bool = False  # failed, and the last good build was put back (shown as stale)


# ---------------------------------------------------------------------------- kernels
# Only public APIs: jupyter_client's AsyncKernelManager (start_kernel, is_alive, shutdown_kernel) and
# BlockingKernelClient (execute_interactive, shutdown), nbclient's NotebookClient, papermill's engine
# registry. tests/test_pipeline.py checks that this package reaches into no library's private names.
WARM_KERNELS = True  # boot the next notebook's kernel during this one (measured: benchmarks/RESULTS_reproduce.md)
WORKER: dict = {}  # per worker process: progress queue, kernel budget, modules to preload, spare kernel
PRELOAD = """def _preload(names):
    import importlib
    for name in names:
        try:
            importlib.import_module(name)
        except Exception:
            pass
_preload(%r)
del _preload"""


def connect(km, **channels):
    """A blocking client of ``km``'s kernel with the given channels started (jupyter_client's public
    ``BlockingKernelClient``; ``km.client()`` of an AsyncKernelManager is an async one)."""
    from jupyter_client import BlockingKernelClient

    kc = BlockingKernelClient()
    kc.load_connection_info(km.get_connection_info())
    kc.start_channels(**{"shell": False, "iopub": False, "stdin": False, "hb": False, "control": False,
                         **channels})
    return kc


class WarmKernel:
    """A kernel of the project's kernelspec, booted in a background thread, that has already imported
    the modules every notebook of the run imports anyway (``common_imports``): the start-up cost of the
    next notebook is paid while the current one runs."""

    def __init__(self, cwd: str, modules: list[str], kernel: str | None = None):
        import tempfile
        import threading
        import uuid

        from jupyter_client.manager import AsyncKernelManager

        # Unix sockets, not TCP: TCP ports are picked free then released before the kernel binds them,
        # so kernels started at once by other processes (parallel tests, a second run) can collide:
        # "Address already in use" (papermill issue #511). Each kernel's sockets get their own name
        # prefix in the temp folder; shutdown_kernel removes them.
        prefix = Path(tempfile.gettempdir()) / f"analysis-utils-kernel-{uuid.uuid4().hex[:12]}"
        self.kernel, self.error = kernel or paths.KERNEL_NAME, None
        self.cwd, self.km = cwd, AsyncKernelManager(kernel_name=self.kernel, transport="ipc", ip=str(prefix))
        self.thread = threading.Thread(target=self.boot, args=(modules,), daemon=True)
        self.thread.start()

    def boot(self, modules: list[str]) -> None:
        """Start the kernel in ``cwd``, then import ``modules`` in it silently (no execution count, no
        history, output discarded); an import that fails is left for the notebook's own cell to report."""
        import asyncio

        try:  # a missing kernelspec is kept for take() to raise in the worker: one line, not a thread traceback
            log = WORKER.get("log")
            streams = {"stdout": log, "stderr": log} if log is not None else {}
            asyncio.run(self.km.start_kernel(cwd=self.cwd, **streams))
        except Exception as exc:
            self.error = exc
            return
        if not modules:
            return
        kc = connect(self.km, shell=True, iopub=True)
        try:
            kc.wait_for_ready(timeout=60)
            kc.execute_interactive(PRELOAD % (modules,), silent=True, timeout=300, output_hook=lambda msg: None)
        except Exception:  # the notebook's own import cell will report any real problem
            pass
        finally:
            kc.stop_channels()

    def take(self):
        """The kernel manager, once its kernel is booted and warmed; the boot's exception if it failed
        (``NoSuchKernel`` for a kernel that is not installed)."""
        self.thread.join()
        if self.error is not None:
            raise self.error
        return self.km


async def stop_kernel(km, graceful: bool = True, wait: float = 5.0) -> None:
    """Stop ``km``'s kernel and release its connection file and sockets.

    ``graceful``: a ``shutdown_request`` on the control channel (the kernel runs its atexit handlers and
    exits), up to ``wait`` seconds for the process to end, then ``shutdown_kernel(now=True)``, which on
    a kernel already gone only cleans up. jupyter_client's ``shutdown_kernel`` alone would first send an
    idle kernel SIGINT, which it may answer with "KeyboardInterrupt caught in kernel" on the run's
    stderr. Not graceful (a kernel still running a cell: a timeout): ``shutdown_kernel(now=True)``, a kill.
    """
    import asyncio

    if graceful and km.has_kernel and await km.is_alive():
        kc = connect(km, control=True)
        try:
            kc.shutdown()
            deadline = time.monotonic() + wait
            while await km.is_alive() and time.monotonic() < deadline:
                await asyncio.sleep(0.02)
        finally:
            kc.stop_channels()
    await km.shutdown_kernel(now=True)


def common_imports(sources: list[Path]) -> list[str]:
    """Modules imported at the top level of a code cell by every one of these notebooks."""
    import ast

    common = None
    for source in sources:
        found = set()
        for cell in read_cells(source):
            code = "".join(cell.get("source", ""))
            if cell.get("cell_type") != "code" or re.search(r"^\s*[%!]", code, re.M):
                continue
            try:
                tree = ast.parse(code)
            except SyntaxError:
                continue
            for node in tree.body:
                if isinstance(node, ast.Import):
                    found |= {alias.name for alias in node.names}
                elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                    found |= {node.module} | {f"{node.module}.{alias.name}" for alias in node.names}
        common = found if common is None else common & found
    return sorted(common or ())


# ---------------------------------------------------------------------------- worker process
def init_worker(queue, budget, cwd: str | None = None, modules: list[str] = (), log: str | None = None,
                env: dict[str, str] | None = None) -> None:
    """Point Jupyter at the .venv kernelspec; boot a first kernel, and warm up papermill and nbconvert
    while it boots. ``log``: a file that receives the kernels' own output (kernel-side tracebacks of a
    timed-out or killed cell), kept off the terminal. ``env``: the parent's environment at the time of the
    run, for a worker forked from a forkserver started earlier (its kernels inherit it)."""
    import signal

    if env is not None:
        os.environ.clear()
        os.environ.update(env)

    if log is not None:
        WORKER["log"] = open(log, "ab")  # noqa: SIM115  (open for the worker's life)

    share = str(Path(sys.prefix) / "share" / "jupyter")
    os.environ["JUPYTER_PATH"] = os.pathsep.join(p for p in (share, os.environ.get("JUPYTER_PATH")) if p)
    WORKER.update(queue=queue, budget=budget, modules=list(modules))
    if cwd is None:
        return
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's (see parallel.run_tasks)
    from multiprocessing.util import Finalize

    warm_next(cwd)
    Finalize(None, stop_kernels, exitpriority=10)  # no orphan kernel when the pool shuts down
    register_engine()
    from analysis_utils.report import site, writers  # noqa: F401

    site.warm_up()


def warm_next(cwd: str) -> None:
    """Boot a spare kernel if the run still has a notebook no kernel is booting for (a shared budget:
    a spare that no notebook takes would only steal CPU from the others)."""
    budget = WORKER.get("budget")
    if budget is None or "spare" in WORKER or not WARM_KERNELS:
        return
    with budget.get_lock():
        if budget.value <= 0:
            return
        budget.value -= 1
    WORKER["spare"] = WarmKernel(cwd, WORKER["modules"])


def retire(km, graceful: bool = True) -> None:
    """Stop the notebook's kernel in a background thread: a graceful shutdown (atexit handlers, flushed
    files) takes ~0.3 s that the worker spends rendering pages instead of waiting."""
    import asyncio
    import threading

    thread = threading.Thread(target=asyncio.run, args=(stop_kernel(km, graceful),), daemon=True)
    thread.start()
    WORKER.setdefault("retiring", []).append(thread)


def stop_kernels() -> None:
    """At worker exit: stop an unused spare, wait for retiring kernels."""
    if "spare" in WORKER:
        try:
            retire(WORKER.pop("spare").take())
        except Exception:  # it never started: nothing to stop
            pass
    for thread in WORKER.pop("retiring", []):
        thread.join(timeout=10)


def register_engine() -> None:
    """Register papermill engine "analysis_utils": papermill's documented extension point, an ``Engine``
    subclass whose ``execute_managed_notebook`` runs the cells with nbclient's public ``NotebookClient``
    in the kernel manager ``km`` the worker started, reporting each cell to papermill's execution
    manager (``cell_start`` / ``cell_exception`` / ``cell_complete``, which save the notebook) and to
    ``on_cell_start(cell, cell_index)``. A cell error stops the run and is left in the notebook for
    papermill to raise as PapermillExecutionError; a timeout or a dead kernel propagates. The kernel
    is retired afterwards, killed when it may still be running a cell."""
    if "engine" in WORKER:
        return
    import logging

    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError
    from papermill.engines import Engine, papermill_engines

    logging.getLogger("papermill").setLevel(logging.ERROR)  # parameters are checked before the run

    class WorkerEngine(Engine):
        @classmethod
        def execute_managed_notebook(cls, nb_man, kernel_name, km=None, execution_timeout=None,
                                     start_timeout=60, on_cell_start=None, **kwargs):
            owned = km is not None  # else nbclient starts a kernel and shuts it down itself
            client = NotebookClient(nb_man.nb, km=km, kernel_name=kernel_name, timeout=execution_timeout,
                                    startup_timeout=start_timeout, raise_on_iopub_timeout=True)
            graceful = False
            try:
                with client.setup_kernel():
                    for index, cell in enumerate(nb_man.nb.cells):
                        try:
                            nb_man.cell_start(cell, index)
                            if on_cell_start is not None:
                                on_cell_start(cell, index)
                            client.execute_cell(cell, index)
                        except CellExecutionError as exc:
                            nb_man.cell_exception(nb_man.nb.cells[index], cell_index=index, exception=exc)
                            break
                        finally:
                            nb_man.cell_complete(nb_man.nb.cells[index], cell_index=index)
                    reply = client.wait_for_reply(client.kc.kernel_info())
                    nb_man.nb.metadata["language_info"] = reply["content"]["language_info"]
                    graceful = True
            finally:
                if owned and client.kc is not None:
                    client.kc.stop_channels()
                if owned:
                    retire(km, graceful)
            return nb_man.nb

    papermill_engines.register("analysis_utils", WorkerEngine)
    from analysis_utils.run.translator import register_translator

    register_translator()  # injected Chinese parameters as UTF-8 literals
    WORKER["engine"] = WorkerEngine


# ---------------------------------------------------------------------------- one notebook
def _source_index(index: int | None, cells: list[dict], injected: bool) -> int | None:
    """Cell index in the source notebook: papermill's count includes its injected-parameters cell,
    placed after the cell tagged `parameters` (or first, when there is none)."""
    if index is None or not injected:
        return index
    return index - 1 if index > parameters_cell(cells) else index


def _run_error(exc: BaseException, task: Task, current: int | None) -> NotebookRunError:
    """PapermillExecutionError names the cell; for anything else (a cell timeout, a dead kernel)
    it is the cell that started last."""
    cells = read_cells(task.source)
    index = _source_index(getattr(exc, "cell_index", current), cells, bool(task.params))
    source = getattr(exc, "source", None)
    if source is None and index is not None and index < len(cells):
        source = "".join(cells[index].get("source", ""))
    first = next((line.strip() for line in (source or "").splitlines() if line.strip()), "")
    message = next((line.strip() for line in str(exc).splitlines() if line.strip().strip("-")), "")
    return NotebookRunError(str(task.source), index, getattr(exc, "exec_count", None), first,
                            getattr(exc, "ename", None) or type(exc).__name__,
                            getattr(exc, "evalue", None) or message,
                            kept=str(task.executed) if task.executed.exists() else None)


def running_path(task: Task) -> Path:
    return task.executed.with_name(f".{task.name}.running.ipynb")


def _execute(task: Task, spare: WarmKernel | None) -> BaseException | None:
    """papermill into a temp name (it saves after every cell), renamed onto the final name at the end."""
    import shutil

    import papermill

    shutil.rmtree(task.outputs, ignore_errors=True)
    task.outputs.mkdir(parents=True)
    tmp = running_path(task)
    tmp.parent.mkdir(parents=True, exist_ok=True)
    cwd, queue = str(task.source.parent), WORKER.get("queue")
    modules = WORKER.get("modules", []) if WARM_KERNELS else []
    if task.kernel not in (None, paths.KERNEL_NAME):  # the kernel the notebook names; the spare waits
        if spare is not None:
            WORKER["spare"], spare = spare, None
        kernel = WarmKernel(cwd, [], task.kernel)
    else:
        kernel = spare or WarmKernel(cwd, modules)  # one run = one notebooks folder
    try:
        km = kernel.take()
    except Exception as exc:
        return exc
    register_engine()

    total = len(read_cells(task.source)) + bool(task.params)  # papermill adds the injected-parameters cell

    def on_cell_start(cell, cell_index):
        WORKER["cell"] = cell_index
        if queue is not None:
            queue.put((task.name, f"{cell_index + 1}/{total}"))

    try:
        papermill.execute_notebook(
            str(task.source), str(tmp), parameters=task.params, kernel_name=task.kernel or paths.KERNEL_NAME,
            engine_name="analysis_utils", km=km, progress_bar=False, execution_timeout=task.cell_timeout,
            cwd=cwd, request_save_on_cell_execute=True, on_cell_start=on_cell_start)
        return None
    except Exception as exc:  # any failure becomes a summary line; the others keep going
        return exc
    finally:
        if tmp.exists():
            os.replace(tmp, task.executed)


def stamp_workbooks(task: Task) -> None:
    """Give every workbook the notebook wrote (``*.xlsx`` under its output folder) the run's full provenance
    (report.provenance.full of ``task.provenance``: parameters, data sha256, package version, time, commit,
    Python, lock), in the notebook's language; the notebook itself only knows its environment."""
    from analysis_utils.report import site
    from analysis_utils.report.provenance import full
    from analysis_utils.report.writers import set_provenance

    books = sorted(p for p in Path(task.outputs).rglob("*.xlsx") if not p.name.startswith("."))
    if not books:
        return
    lang = site.index_lang({"parameters": task.params})  # the notebook's language ('zh' unless given)
    rows = full(task.provenance, lang)
    for book in books:
        set_provenance(book, rows, lang)


def run_task(task: Task) -> Result:
    """Execute one notebook in this process, render its pages, then record the cache."""
    from analysis_utils.report import site
    from analysis_utils.report.writers import write_text

    start, WORKER["cell"] = time.perf_counter(), None
    staging.set_aside(task.root, task.name)  # the last good build waits in .previous/ until this run ends
    spare = WORKER.pop("spare", None)
    warm_next(str(task.source.parent))  # for the next notebook, during this one's run
    exc = _execute(task, spare)
    error = _run_error(exc, task, WORKER["cell"]) if exc is not None else None
    seconds = time.perf_counter() - start
    if task.executed.exists():  # failed notebooks get pages too, for inspection
        site.render_notebook(task.executed, task.site_dir, task.name, task.provenance, task.source.parent)
    if error is None:
        stamp_workbooks(task)
        record = {"key": task.key, "seconds": round(seconds, 2), "params": task.params,
                  "finished": task.provenance["time"], "data_checksum": task.provenance.get("data_checksum"),
                  "version": task.provenance.get("version"), "files": staging.file_hashes(task.root, task.name)}
        write_text(task.cache_file, staging.record_text(record))
        staging.keep_new(task.root, task.name)
        return Result(task.name, "ran", seconds, None, task.params)
    kept = staging.restore_previous(task.root, task.name)
    if kept is not None:  # the last good build is back in place; the failed notebook is kept apart
        error.kept = str(kept)
        error.args = (str(error),)
    return Result(task.name, "failed", seconds, error, task.params, restored=kept is not None)

