"""``reproduce``: one task per (notebook, parameter set), fresh ones served from the build, the others sent to a
``concurrent.futures.Executor``, each outcome published as it arrives, the index written at the end of every
run (also a failed or interrupted one).

Executors, one code path: by default ``jobs`` local process pools of one worker each (papermill is not
thread-safe; a pool whose worker died is replaced, failing only the notebook it ran); with ``--dask`` a Dask
``LocalCluster`` (one thread per worker), with ``--scheduler`` a running Dask cluster, both through
``Client.get_executor()``. The inputs (path parameters' files) go once per run: scattered to every Dask worker,
or passed with each local task (they are small).

A batch (``each``: ``{"focus": ["武昌区", "南山区"]}``) runs every parameter set into its own build,
``OUTPUT/focus=武昌区/``; tasks with the same cache key (a notebook that declares none of the varied
parameters) run once and are published into each build. ``OUTPUT/site/index.html`` and ``OUTPUT/batch.csv``
list the builds.
"""
from __future__ import annotations

import hashlib
import itertools
import multiprocessing
import os
import sys
import time
from collections import deque
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

import psutil
from tqdm import tqdm

from analysis_utils import __version__, paths
from analysis_utils.data.external import external_if_any
from analysis_utils.data.load import load
from analysis_utils.errors import AnalysisError, NotebookRunError, ParameterError, ParameterErrors
from analysis_utils.report.site import index_lang
from analysis_utils.run import build, params
from analysis_utils.run.task import Outcome, Task, run_task, watch_parent


@dataclass
class RunReport:
    """What a run did: every task's outcome ("ran", "cached", "failed"), the builds' index pages."""

    output_dir: Path
    outcomes: list[Outcome] = field(default_factory=list)
    indexes: list[Path] = field(default_factory=list)
    batch: Path | None = None  # OUTPUT/batch.csv of a batch

    @property
    def failures(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == "failed"]


# ---------------------------------------------------------------------------- executors
class Slots:
    """Where tasks run. Local: ``jobs`` pools of one spawned worker each, a broken one replaced. Dask: one
    executor of the client, as many tasks in flight as it likes."""

    def __init__(self, jobs: int, client=None, log: Path | None = None):
        self.client, self.jobs, self.log = client, jobs, log
        self.pools = [] if client else [self._pool() for _ in range(jobs)]
        self.busy: set = set()

    def _pool(self) -> ProcessPoolExecutor:
        # spawn: safe whatever threads the caller runs (pytest-xdist, a kernel) and the default on macOS
        return ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"), initializer=watch_parent,
                                   initargs=(os.getpid(), str(self.log) if self.log else None))

    def free(self):
        if self.client is not None:
            return self.client.get_executor(pure=False)
        return next((p for p in self.pools if p not in self.busy), None)

    def replace(self, pool) -> None:
        pool.shutdown(wait=False, cancel_futures=True)
        self.pools[self.pools.index(pool)] = self._pool()

    def kill(self) -> None:
        """Ctrl-C: every worker and kernel of this run, at once (not multiprocessing's resource tracker, which
        must outlive the pools to clean up after them)."""
        for child in psutil.Process().children(recursive=True):
            try:
                if "resource_tracker" not in " ".join(child.cmdline()):
                    child.kill()
            except psutil.Error:
                pass
        for pool in self.pools:
            pool.shutdown(wait=True, cancel_futures=True)

    def close(self) -> None:
        for pool in self.pools:
            pool.shutdown(wait=True)


def dask_client(scheduler: str | None, jobs: int):
    """A Dask client: of the scheduler at ``scheduler``, or of a new LocalCluster of ``jobs`` one-thread workers
    (its dashboard link printed; a notebook whose worker died is retried once). AnalysisError when distributed is
    missing, the scheduler cannot be reached, or the workers run other versions of the packages."""
    try:
        import dask
        from distributed import Client, LocalCluster
    except ImportError:
        raise AnalysisError("--dask and --scheduler need the package distributed: pip install distributed") from None
    try:
        if scheduler:
            client = Client(scheduler, timeout=20)
        else:
            dask.config.set({"distributed.scheduler.allowed-failures": 1})
            client = Client(LocalCluster(n_workers=jobs, threads_per_worker=1, processes=True))
            print(f"Dask dashboard: {client.dashboard_link}", file=sys.stderr)
    except OSError as exc:
        raise AnalysisError(f"cannot reach the Dask scheduler {scheduler}: {exc}") from None
    try:
        client.get_versions(check=True, packages=["analysis_utils", "papermill", "nbclient", "nbconvert", "pandas"])
    except ValueError as exc:
        client.close()
        raise AnalysisError(f"the Dask workers run other package versions than this machine: {exc}") from None
    if not client.scheduler_info().get("workers"):
        client.close()
        raise AnalysisError(f"the Dask scheduler {scheduler} has no worker: start some with dask worker "
                            f"{scheduler} --nthreads 1")
    return client


def execute(tasks: list[Task], inputs: dict, slots: Slots, progress, on_outcome) -> None:
    """Run ``tasks`` (in this order) on ``slots``; ``on_outcome(outcome)`` for each as it ends. A worker that
    dies fails the task it ran and no other."""
    pending, running = deque(tasks), {}
    if slots.client is not None:
        [inputs] = slots.client.scatter([inputs], broadcast=True)  # once per run, not once per task
    while pending or running:
        while pending and (slot := slots.free()) is not None:
            task = pending.popleft()
            running[slot.submit(run_task, task, inputs)] = (task, slot)
            slots.busy.add(slot)
        progress.update(running=len(running), left=len(pending))
        done, _ = wait(running, timeout=0.5, return_when=FIRST_COMPLETED)
        for future in done:
            task, slot = running.pop(future)
            slots.busy.discard(slot)
            try:
                outcome = future.result()
            except BrokenProcessPool:
                slots.replace(slot)
                outcome = _failed(task, "WorkerDied", "its worker process died (killed, e.g. by the system when "
                                  "memory ran out); the other notebooks ran on")
            except Exception as exc:  # noqa: BLE001  (Dask's KilledWorker, a lost connection…)
                outcome = _failed(task, type(exc).__name__, str(exc).splitlines()[0] if str(exc) else "")
            on_outcome(outcome)


def _failed(task: Task, ename: str, evalue: str) -> Outcome:
    return Outcome(task, "failed", 0.0, NotebookRunError(f"{task.name}.ipynb", None, None, "", ename, evalue))


class Progress:
    """Tasks done, running and left: a tqdm bar on a terminal, one line per finished task otherwise."""

    def __init__(self, total: int, interactive: bool):
        self.total, self.done = total, 0
        self.bar = tqdm(total=total, unit="nb", desc="reproduce", file=sys.stderr) if interactive and total else None

    def update(self, running: int, left: int) -> None:
        self.running, self.left = running, left
        if self.bar is not None:
            self.bar.set_postfix_str(f"running {running}, left {left}")

    def finished(self, outcome: Outcome, how: str | None = None) -> None:
        self.done += 1
        where = f"{outcome.task.build}/" if outcome.task.build else ""
        how = how or (f"done in {outcome.seconds:.1f}s" if outcome.status == "ran" else
                      f"FAILED after {outcome.seconds:.1f}s")
        line = f"[{self.done}/{self.total}] {where}{outcome.task.name}: {how}"
        if self.bar is None:
            print(line, flush=True)
        else:
            self.bar.write(line)
            self.bar.update(1)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


# ---------------------------------------------------------------------------- planning
def parameter_sets(each: list[str], values: dict, data_dir: Path) -> list[tuple[str, dict]]:
    """[(build folder, values)]: one ("", values) without ``each``; else the product of ``--each NAME`` (every
    district of the data, for focus) or ``--each NAME=a,b``, each into ``NAME=a/…``."""
    if not each:
        return [("", values)]
    axes = []
    for spec in each:
        name, _, listed = spec.partition("=")
        if listed:
            axes.append([(name, v) for v in params.parse_list(listed)])
        elif name == "focus":
            axes.append([(name, d) for d in load(data_dir).districts()])
        else:
            raise ParameterError("--each", spec, "focus, or NAME=a,b listing the values", "missing-value")
    return [("/".join(f"{n}={v}" for n, v in combo), {**values, **dict(combo)}) for combo in itertools.product(*axes)]


def _inputs(values: dict) -> tuple[dict, dict]:
    """(files sent to the workers {parameter: (name, {relative path: bytes})}, their sha256 {parameter: sha})."""
    files, shas = {}, {}
    for name, value in values.items():
        if params.is_path_parameter(name) and isinstance(value, str) and value:
            path = Path(value)
            found = {"": path.read_bytes()} if path.is_file() else {
                (Path(d) / f).relative_to(path).as_posix(): (Path(d) / f).read_bytes()
                for d, _, names in os.walk(path, followlinks=True) for f in names if not f.startswith(".~")}
            files[name], shas[name] = (path.name, found), build.tree_sha(path)
    return files, shas


def reproduce(notebooks_dir=None, output_dir=None, values: dict | None = None, raw: dict | None = None,
              jobs: int | None = None, force: bool = False, only=(), cell_timeout: int = 600, each=(),
              dask: bool = False, scheduler: str | None = None, interactive: bool = False) -> RunReport:
    """Run every selected notebook whose inputs changed, for each parameter set, and write the site(s). A
    notebook failure does not raise (``RunReport.failures``); bad parameters, data or options raise
    (ParameterError, DataValidationError, AnalysisError) before the build folder is touched."""
    out = Path(output_dir or paths.DEFAULT_OUTPUT_DIR).expanduser().resolve()
    notebooks_dir = Path(notebooks_dir or paths.NOTEBOOKS_DIR).resolve()
    every = sorted(notebooks_dir.glob("*.ipynb"))
    if not every:
        raise AnalysisError(f"no notebooks (*.ipynb) in {notebooks_dir}")
    for prefix in only:
        if not any(p.stem.startswith(prefix) for p in every):
            raise ParameterError("--only", prefix, "a prefix of one of: " + ", ".join(p.stem for p in every), "no-match")
    chosen = [p for p in every if not only or any(p.stem.startswith(o) for o in only)]

    # Load inputs: what each notebook declares, the values, the data.
    specs, unreadable = {}, {}
    for path in every:
        try:
            specs[path.stem] = params.declared(path)
        except AnalysisError as exc:
            unreadable[path.stem] = str(exc)
    values, raw = dict(values or {}), dict(raw or {})
    params.check_names(values, specs)
    user = dict(values)  # as the user gave them: what pages show
    data_dir = paths.resolve_data_dir(values.get("data_dir"))
    values.setdefault("data_dir", str(data_dir))
    build.refuse_output(out, [data_dir])
    sets = parameter_sets(list(each), values, data_dir)
    _refuse_mixed(out, bool(each))
    files, input_shas = _inputs(values)
    env = build.environment_sha()
    stamp = {"version": __version__, "data_checksum": input_shas.get("data_dir"),
             "time": time.strftime("%Y-%m-%d %H:%M:%S %z")}

    # Plan: one task per notebook and parameter set; fresh ones are served from the build.
    tasks, problems, dataset = [], [], None
    for label, given in sets:
        for path in chosen:
            if path.stem not in specs:
                continue
            spec = specs[path.stem]
            mine = {k: v for k, v in given.items() if k in spec}
            try:
                typed = params.check(spec, mine, raw, data=dataset or False)
            except ParameterErrors as exc:
                problems += [str(e) for e in exc.errors if str(e) not in problems]
                continue
            except ParameterError as exc:
                problems += [str(exc)] if str(exc) not in problems else []
                continue
            if "output_dir" in spec:
                typed["output_dir"] = ""  # the worker's own folder
            source = path.read_bytes()
            key = build.cache_key(hashlib.sha256(source).hexdigest(), typed, {k: input_shas[k] for k in typed
                                                                             if k in input_shas}, env)
            shown = {k: v for k, v in mine.items() if k in user or k in given and given[k] != values.get(k)}
            tasks.append(Task(path.stem, source, typed, key, {**stamp, "parameters": shown}, cell_timeout,
                              _kernel(source), label))
    stale = [t for t in tasks if force or not build.is_fresh(out / t.build / "site" / t.name, t.key)]
    if stale or problems:  # the rules that need the data, for what will run: before anything is touched
        dataset = load(data_dir)
        external_if_any(dataset)
        for t in stale:
            try:
                params.check(specs[t.name], {k: v for k, v in t.params.items() if k != "output_dir"}, {}, dataset)
            except ParameterErrors as exc:
                problems += [str(e) for e in exc.errors if str(e) not in problems]
            except ParameterError as exc:
                problems += [str(exc)] if str(exc) not in problems else []
    if len(problems) == 1:
        raise AnalysisError(problems[0])
    if problems:
        raise AnalysisError(f"{len(problems)} problems, nothing was run:\n" + "\n".join(f"  {p}" for p in problems))
    for name in (p.stem for p in chosen if p.stem in specs):
        if user and not set(user) & set(specs[name]):
            print(f"warning: {name} declares none of the parameters given ({', '.join(sorted(user))}): "
                  "it runs with its own values", file=sys.stderr)

    # Process: run the stale tasks, publishing each outcome as it comes.
    report = RunReport(out)
    with build.lock(out):
        runs = _run(out, tasks, stale, unreadable, [p.stem for p in chosen], sets, files, jobs, dask, scheduler,
                    interactive, report, stamp)
        report.indexes = _indexes(out, [p.stem for p in every], sets, runs, stamp, report)
    report.outcomes.sort(key=lambda o: (o.task.build, o.task.name))
    return report


def _kernel(source: bytes) -> str:
    import json

    try:
        return json.loads(source)["metadata"]["kernelspec"]["name"]
    except (ValueError, KeyError, TypeError):
        return paths.KERNEL_NAME


def _refuse_mixed(out: Path, batch: bool) -> None:
    """A batch into a folder that holds a single build, or the reverse: one line."""
    single = any((out / "site").glob(f"*/{build.RECORD}"))
    several = (out / "batch.csv").exists() or any(p.is_dir() and "=" in p.name for p in out.glob("*"))
    if batch and single or not batch and several:
        kind = "a single build" if single else "a batch of builds"
        raise AnalysisError(f"{out} holds {kind}: write the {'batch' if batch else 'build'} to another folder "
                            "with --output")


def _run(out, tasks, stale, unreadable, chosen, sets, files, jobs, dask, scheduler, interactive, report, stamp) -> dict:
    """Run the stale tasks; publish every outcome; {build: {notebook: error}} of this run's failures."""
    failures: dict = {label: {} for label, _ in sets}
    unique = {}
    for t in stale:  # same key: run once, publish into every build that needs it
        unique.setdefault(t.key, []).append(t)
    progress = Progress(len(tasks) + len(unreadable) * len(sets), interactive)
    for label, _ in sets:
        for name, problem in unreadable.items():
            if name in chosen:
                report.outcomes.append(_failed(Task(name, b"", {}, "", {}, 0, "", label), "UnreadableNotebook", problem))
                failures[label][name] = report.outcomes[-1].error
                progress.finished(report.outcomes[-1])
    for t in tasks:
        if t not in stale:
            report.outcomes.append(Outcome(t, "cached", 0.0))
            progress.finished(report.outcomes[-1], "cached")

    def on_outcome(outcome: Outcome) -> None:
        for t in unique[outcome.task.key]:
            one = Outcome(t, outcome.status, outcome.seconds, outcome.error, outcome.files)
            record = {"key": t.key, "seconds": round(one.seconds, 2), "params": t.provenance.get("parameters", {}),
                      "finished": t.provenance["time"], "data_checksum": t.provenance.get("data_checksum"),
                      "version": t.provenance.get("version"), "error": str(one.error) if one.error else None}
            try:
                build.publish(out / t.build, one, record)
            except AnalysisError as exc:
                one = Outcome(t, "failed", one.seconds, NotebookRunError(f"{t.name}.ipynb", None, None, "",
                                                                          "OSError", str(exc).removeprefix("cannot ")))
            if one.status == "failed":
                failures[t.build][t.name] = one.error
            report.outcomes.append(one)
            progress.finished(one)

    if not stale:
        progress.close()
        return failures
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(unique)))
    client = dask_client(scheduler, jobs) if dask or scheduler else None
    slots = Slots(jobs, client, out / "logs" / "kernels.log")
    order = sorted((ts[0] for ts in unique.values()), key=lambda t: -_expected_seconds(out, t))
    try:
        execute(order, files, slots, progress, on_outcome)
    except KeyboardInterrupt:
        slots.kill()
        progress.close()
        _indexes(out, chosen, sets, failures, stamp, report)
        raise
    finally:
        progress.close()
        if client is not None:
            client.close()
    slots.close()
    return failures


def _expected_seconds(out: Path, task: Task) -> float:
    """The last run's seconds (longest first: the last to finish is a short one); the notebook's size before."""
    return build.read_record(out / task.build / "site" / task.name, warn=False).get("seconds") or len(task.source) / 1e4


def _indexes(out: Path, names: list[str], sets, failures: dict, stamp: dict, report: RunReport) -> list[Path]:
    """Every build's index (and tables.xlsx); a batch's page and batch.csv."""
    written = []
    for label, given in sets:
        provenance = {**stamp, "parameters": {k: v for k, v in given.items() if k != "data_dir" or label == ""}}
        rows = build.entries(out / label, names, {t.name: t.key for t in (o.task for o in report.outcomes)
                                                  if t.build == label}, failures.get(label, {}), index_lang(provenance))
        written.append(build.write_index(out / label, rows, provenance))
    if len(sets) > 1 or sets[0][0]:
        from analysis_utils.run.batch import write_batch

        report.batch = write_batch(out, sets, failures, stamp)
    return written
