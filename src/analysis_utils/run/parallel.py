"""Parallel execution for ``reproduce``: the order stale notebooks are handed out, worker processes that
run them (:mod:`analysis_utils.run.worker`), progress on the terminal, and Ctrl-C, which kills the workers and
their kernels and puts every set-aside build back (:mod:`analysis_utils.run.staging`).
"""
from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path

from analysis_utils.errors import NotebookRunError
from analysis_utils.run import staging
from analysis_utils.run.cache import read_record
from analysis_utils.run.notebooks import code_size
from analysis_utils.run.worker import Result, Task, common_imports, init_worker, run_task, running_path

WORKBOOK_MODULES = ("pandas", "openpyxl")  # what combine_csv_workbook imports (~0.7 s), see run_tasks


def longest_first(tasks: list[Task]) -> list[Task]:
    """The tasks in the order the workers should take them: longest first, so that the last to finish
    is a short one (for the shipped notebooks on 2 workers, ~15 % less wall time than by name). The
    length is the last successful run's seconds when every task has one, else the amount of code
    (:func:`~analysis_utils.run.notebooks.code_size`): one unit for all, never a mix of the two."""
    seconds = {t.name: read_record(t.cache_file).get("seconds") for t in tasks}
    if all(s is not None for s in seconds.values()):
        return sorted(tasks, key=lambda t: -seconds[t.name])
    return sorted(tasks, key=lambda t: -code_size(t.source))


class Progress:
    """A tqdm bar with the running notebooks' cells on a TTY; plain `[i/n] name: …` lines otherwise."""

    def __init__(self, total: int, interactive: bool):
        self.total, self.done, self.cells, self.bar = total, 0, {}, None
        if interactive:
            from tqdm import tqdm

            tqdm.monitor_interval = 0  # no monitor thread: workers are forked after this
            self.bar = tqdm(total=total, unit="nb", desc="reproduce", file=sys.stderr)

    def cell(self, name: str, n: str | None) -> None:
        """Notebook `name` started cell n (None: it is over)."""
        self.cells[name] = n
        if self.bar is not None:
            self.bar.set_postfix_str(" · ".join(f"{k} cell {v}" for k, v in self.cells.items() if v))

    def finished(self, result: Result) -> None:
        self.done += 1
        how = {"cached": "cached", "ran": f"done in {result.seconds:.1f}s",
               "failed": f"FAILED after {result.seconds:.1f}s"}[result.status]
        line = f"[{self.done}/{self.total}] {result.name}: {how}"
        if self.bar is None:
            print(line, flush=True)
            return
        self.bar.write(line)
        self.bar.update(1)
        self.cell(result.name, None)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def run_tasks(tasks: list[Task], jobs: int, progress: Progress,
              then: Callable[[list[Result]], object] | None = None) -> list[Result]:
    """Run tasks in worker processes (papermill is not thread-safe); collect every result. ``then(results)``
    is called once the last notebook is done, while the workers still shut their kernels down (~0.5 s
    the parent would otherwise spend waiting); the modules it needs (``WORKBOOK_MODULES``) are imported
    in a thread as soon as a worker has nothing left to start, on the core it leaves idle."""
    if not tasks:  # a cache hit imports none of the modules below
        return []
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
    from queue import Empty

    import threading

    ctx = _context(threading.active_count() == 1)
    queue, budget, results = ctx.Queue(), ctx.Value("i", len(tasks)), []
    cwd, modules = str(tasks[0].source.parent), common_imports([t.source for t in tasks])
    log = str(tasks[0].root / "logs" / "kernels.log")  # the kernels' own output, off the terminal
    Path(log).parent.mkdir(parents=True, exist_ok=True)
    workers = max(1, min(jobs, len(tasks)))
    with ProcessPoolExecutor(max_workers=workers, mp_context=ctx,
                             initializer=init_worker,
                             initargs=(queue, budget, cwd, modules, log, dict(os.environ))) as pool:
        futures, preparing = {}, None
        try:  # from the first submit: a Ctrl-C while workers fork must kill them, not wait for their notebooks
            for t in tasks:
                futures[pool.submit(run_task, t)] = t
            while futures:
                if then is not None and preparing is None and len(futures) < workers:  # a worker is idle
                    preparing = threading.Thread(target=_import_all, args=(WORKBOOK_MODULES,), daemon=True)
                    preparing.start()
                done, _ = wait(futures, timeout=0.2, return_when=FIRST_COMPLETED)
                try:
                    while True:
                        progress.cell(*queue.get_nowait())
                except Empty:
                    pass
                for fut in done:
                    results.append(_result(fut, futures.pop(fut)))
                    progress.finished(results[-1])
            if then is not None:
                then(results)
        except KeyboardInterrupt:
            _kill_workers(pool, tasks)
            raise
    return results


# What a forkserver imports once, so that each worker forked from it starts with papermill and the page
# writers loaded (init_worker would import them otherwise, every run).
FORKSERVER_PRELOAD = ("analysis_utils.run.worker", "papermill", "nbclient", "nbconvert", "analysis_utils.report.site",
                      "analysis_utils.report.writers")


def _context(single_thread: bool):
    """How workers start (multiprocessing's documented start methods). fork when this process has no other
    thread: workers start at once, inherit papermill, and callers need no `if __name__ == "__main__"` guard
    (tqdm's monitor thread is disabled for this). With other threads (pytest-xdist, a Jupyter kernel) fork is
    unsafe, so a forkserver: started once per process with FORKSERVER_PRELOAD imported, it forks each run's
    workers ready to go, where spawn would start and import everything again every run (~2.5 s per run).
    Workers get this process's environment at the time of the run (init_worker's ``env``), as with spawn."""
    import multiprocessing

    methods = multiprocessing.get_all_start_methods()
    if single_thread and "fork" in methods:
        return multiprocessing.get_context("fork")
    if "forkserver" in methods:
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(list(FORKSERVER_PRELOAD))
        return ctx
    return multiprocessing.get_context("spawn")


def _import_all(names: tuple[str, ...]) -> None:
    import importlib

    for name in names:
        importlib.import_module(name)


def _result(fut, task: Task) -> Result:
    try:
        return fut.result()
    except Exception as exc:  # the worker itself died (e.g. killed): still one summary line
        error = NotebookRunError(str(task.source), None, None, "", type(exc).__name__, str(exc))
        return Result(task.name, "failed", 0.0, error, task.params)


def _kill_workers(pool, tasks: list[Task]) -> None:
    """Ctrl-C: stop now. Kill the workers and their kernels (kernels run in their own session, so the
    terminal's SIGINT never reaches them), drop queued notebooks and half-written notebooks. The
    workers are this process's multiprocessing children (``multiprocessing.active_children``)."""
    import multiprocessing

    import psutil

    workers = [p.pid for p in multiprocessing.active_children()]
    pool.shutdown(wait=False, cancel_futures=True)
    for pid in workers:
        try:
            worker = psutil.Process(pid)
            for proc in [*worker.children(recursive=True), worker]:
                proc.kill()
        except psutil.NoSuchProcess:
            pass
    for task in tasks:
        running_path(task).unlink(missing_ok=True)
    if tasks:
        staging.repair(tasks[0].root)  # the notebooks cut short get their last good build back
