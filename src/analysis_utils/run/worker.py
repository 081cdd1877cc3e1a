"""The worker side of ``reproduce``: a process that runs notebooks with papermill, one at a time.

``init_worker`` points Jupyter at the .venv kernelspec, boots a first kernel and warms papermill and
nbconvert up while it boots. ``run_task`` runs one :class:`Task` and returns its :class:`Result`:
papermill into a temp name (it saves after every cell), each started cell reported on the progress
queue, the HTML pages rendered, then the cache record written (only after success).

Start-up dominates these notebooks (kernel boot plus ~1 s of imports, against ~1 s of work), so a
worker boots the kernel of its *next* notebook while the current one runs (:class:`WarmKernel`), and
that kernel silently imports the modules every notebook of the run imports anyway
(``common_imports``); a budget shared by the workers keeps spare kernels to the number of notebooks.
A finished kernel is shut down in the background by a shutdown request, without the SIGINT that
jupyter_client's ``shutdown_kernel`` sends first (an idle kernel may answer it with "KeyboardInterrupt
caught in kernel" on the run's stderr); only a kernel still running a cell (a timeout) is interrupted.
Ctrl-C belongs to the parent: workers ignore SIGINT and are killed with their kernels.
"""
from __future__ import annotations

import json
import os
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from analysis_utils import paths
from analysis_utils.errors import NotebookRunError
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


@dataclass
class Result:
    name: str
    status: str  # "ran", "cached" or "failed"
    seconds: float
    error: NotebookRunError | None = None
    params: dict = field(default_factory=dict)


# ---------------------------------------------------------------------------- kernels
_WORKER: dict = {}  # per worker process: progress queue, kernel budget, modules to preload, spare kernel
_PRELOAD = """def _preload(names):
    import importlib
    for name in names:
        try:
            importlib.import_module(name)
        except Exception:
            pass
_preload(%r)
del _preload"""


class WarmKernel:
    """A kernel of the project's kernelspec, booted in a background thread, that has already imported
    the modules every notebook of the run imports anyway (``common_imports``): the start-up cost of the
    next notebook is paid while the current one runs."""

    def __init__(self, cwd: str, modules: list[str]):
        import threading

        from jupyter_client.manager import AsyncKernelManager

        # "auto": CurveZMQ keys, as the kernelspec declares support (and no plain-TCP warning per kernel)
        self.cwd, self.km = cwd, AsyncKernelManager(kernel_name=paths.KERNEL_NAME, transport_encryption="auto")
        self.thread = threading.Thread(target=self._boot, args=(modules,), daemon=True)
        self.thread.start()

    def _boot(self, modules: list[str]) -> None:
        import asyncio

        from jupyter_client import BlockingKernelClient

        asyncio.run(self.km.start_kernel(cwd=self.cwd))
        if not modules:
            return
        kc = BlockingKernelClient()
        kc.load_connection_info(self.km.get_connection_info())
        kc.start_channels(hb=False)
        try:  # silent: no execution count, no history, output discarded
            kc.wait_for_ready(timeout=60)
            kc.execute_interactive(_PRELOAD % (modules,), silent=True, timeout=300, output_hook=lambda msg: None)
        except Exception:  # the notebook's own import cell will report any real problem
            pass
        finally:
            kc.stop_channels()

    def take(self):
        self.thread.join()
        return self.km


async def shutdown(km, now: bool = False) -> None:
    """jupyter_client's ``shutdown_kernel`` without its first step, a SIGINT: a shutdown request (SIGKILL
    when ``now``), a wait for the process to end (SIGTERM, then SIGKILL, after the manager's
    ``shutdown_wait_time``), then the connection file and sockets cleaned up."""
    import signal

    if km.has_kernel:
        await (km.signal_kernel(signal.SIGKILL) if now else km.request_shutdown())
        await km.finish_shutdown()
    await km.cleanup_resources()


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
def init_worker(queue, budget, cwd: str | None = None, modules: list[str] = ()) -> None:
    """Point Jupyter at the .venv kernelspec; boot a first kernel, and warm up papermill and nbconvert
    while it boots."""
    import signal

    share = str(Path(sys.prefix) / "share" / "jupyter")
    os.environ["JUPYTER_PATH"] = os.pathsep.join(p for p in (share, os.environ.get("JUPYTER_PATH")) if p)
    _WORKER.update(queue=queue, budget=budget, modules=list(modules))
    if cwd is None:
        return
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's (see pipeline.run_tasks)
    from multiprocessing.util import Finalize

    _warm_next(cwd)
    Finalize(None, _stop_kernels, exitpriority=10)  # no orphan kernel when the pool shuts down
    _register_engine()
    from analysis_utils.report import site, writers  # noqa: F401

    site.warm_up()


def _warm_next(cwd: str) -> None:
    """Boot a spare kernel if the run still has a notebook no kernel is booting for (a shared budget:
    a spare that no notebook takes would only steal CPU from the others)."""
    budget = _WORKER.get("budget")
    if budget is None or "spare" in _WORKER:
        return
    with budget.get_lock():
        if budget.value <= 0:
            return
        budget.value -= 1
    _WORKER["spare"] = WarmKernel(cwd, _WORKER["modules"])


def _retire(client, busy: bool = False) -> None:
    """Close the notebook's kernel in the background: a graceful shutdown (atexit handlers, flushed
    files) takes ~0.3 s that the worker spends rendering pages instead of waiting. A kernel still
    running a cell (``busy``: a timeout, a lost kernel) is interrupted first, as ``shutdown_kernel`` does."""
    import asyncio
    import threading

    if client.kc is not None:
        client.kc.stop_channels()
    stop = client.km.shutdown_kernel(now=False) if busy else shutdown(client.km)
    thread = threading.Thread(target=asyncio.run, args=(stop,), daemon=True)
    thread.start()
    _WORKER.setdefault("retiring", []).append(thread)


def _stop_kernels() -> None:
    """At worker exit: wait for retiring kernels, kill an unused spare."""
    import asyncio

    for thread in _WORKER.pop("retiring", []):
        thread.join(timeout=10)
    if "spare" in _WORKER:
        asyncio.run(shutdown(_WORKER.pop("spare").take(), now=True))


def _register_engine() -> None:
    """papermill's nbclient engine, run in a kernel booted in advance and retired afterwards."""
    import logging

    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine, papermill_engines

    logging.getLogger("papermill").setLevel(logging.ERROR)  # parameters are checked before the run

    class WarmKernelEngine(NBClientEngine):
        @classmethod
        def execute_managed_notebook(cls, nb_man, kernel_name, log_output=False, stdout_file=None,
                                     stderr_file=None, start_timeout=60, execution_timeout=None, **kwargs):
            kwargs.pop("input_path", None)
            client = PapermillNotebookClient(
                nb_man, kernel_name=kernel_name, timeout=execution_timeout, startup_timeout=start_timeout,
                log=logging.getLogger("papermill"), log_output=log_output, stdout_file=stdout_file,
                stderr_file=stderr_file, **kwargs)
            try:
                nb = client.execute(cleanup_kc=False)
            except BaseException:
                _retire(client, busy=True)
                raise
            _retire(client)
            return nb

    papermill_engines.register("analysis_utils", WarmKernelEngine)


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
    cwd, queue = str(task.source.parent), _WORKER.get("queue")
    km = (spare or WarmKernel(cwd, _WORKER.get("modules", []))).take()  # one run = one notebooks folder
    _register_engine()

    total = len(read_cells(task.source)) + bool(task.params)  # papermill adds the injected-parameters cell

    def on_cell_start(cell, cell_index):
        _WORKER["cell"] = cell_index
        if queue is not None:
            queue.put((task.name, f"{cell_index + 1}/{total}"))

    try:
        papermill.execute_notebook(
            str(task.source), str(tmp), parameters=task.params, kernel_name=paths.KERNEL_NAME,
            engine_name="analysis_utils", km=km, progress_bar=False, execution_timeout=task.cell_timeout,
            cwd=cwd, request_save_on_cell_execute=True, on_cell_start=on_cell_start)
        return None
    except Exception as exc:  # any failure becomes a summary line; the others keep going
        return exc
    finally:
        if tmp.exists():
            os.replace(tmp, task.executed)


def run_task(task: Task) -> Result:
    """Execute one notebook in this process, render its pages, then record the cache."""
    from analysis_utils.report import site
    from analysis_utils.report.writers import write_text

    start, _WORKER["cell"] = time.perf_counter(), None
    task.cache_file.unlink(missing_ok=True)  # the outputs are about to change
    spare = _WORKER.pop("spare", None)
    _warm_next(str(task.source.parent))  # for the next notebook, during this one's run
    exc = _execute(task, spare)
    error = _run_error(exc, task, _WORKER["cell"]) if exc is not None else None
    seconds = time.perf_counter() - start
    if task.executed.exists():  # failed notebooks get pages too, for inspection
        site.render_notebook(task.executed, task.site_dir, task.name, task.provenance, task.source.parent)
    if error is None:
        record = {"key": task.key, "seconds": round(seconds, 2), "params": task.params,
                  "finished": task.provenance["time"]}
        write_text(task.cache_file, json.dumps(record, ensure_ascii=False, default=str))
    return Result(task.name, "failed" if error else "ran", seconds, error, task.params)

