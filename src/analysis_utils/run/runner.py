"""``reproduce``: one task per (notebook, parameter set) on a ``concurrent.futures.Executor`` — ``jobs`` local pools
of one worker, forked by a preloaded forkserver (papermill is not thread-safe; a broken pool is replaced, failing
only its notebook), or a Dask client's ``get_executor()`` — each outcome published as it arrives, every index
written at the end of the run.
Tasks with one cache key (a notebook that declares none of a batch's varied parameters) run once.
"""
from __future__ import annotations

import hashlib
import itertools
import multiprocessing
import os
import sys
import tempfile
import time
from collections import deque
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

import psutil
from tqdm import tqdm

from analysis_utils import __version__, paths
from analysis_utils.analysis.compare import district_id
from analysis_utils.data.external import load_checked
from analysis_utils.data.load import Dataset, load
from analysis_utils.errors import AnalysisError, NotebookRunError, ParameterError
from analysis_utils.report.batch import write_batch
from analysis_utils.run import build, params
from analysis_utils.run.task import KERNELS_LOG, Outcome, Task, run_task, watch_parent


@dataclass
class RunReport:
    """What a run did: each task's outcome ("ran", "cached" or "failed"), the index pages, a batch's table."""

    output_dir: Path
    outcomes: list[Outcome] = field(default_factory=list)
    indexes: list[Path] = field(default_factory=list)
    batch: Path | None = None
    problems: list[str] = field(default_factory=list)  # an index or workbook the disk refused, one line each

    @property
    def failures(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == "failed"]


# ---------------------------------------------------------------------------- executors
class Slots:
    """Where tasks run: ``jobs`` local pools of one worker, or the Dask ``client``'s executor (``free`` gives a slot
    that takes a task now, or None)."""

    def __init__(self, jobs: int, client=None, log: Path | None = None):
        self.client, self.log, self.busy = client, log, set()
        self.executor = client.get_executor(pure=False) if client else None
        self.context = None if client else _context()  # chosen once a run: it reads the package's files
        self.pools = [] if client else [self._pool() for _ in range(jobs)]

    def _pool(self) -> ProcessPoolExecutor:
        # forkserver (POSIX): a fresh single-threaded server, so safe whatever threads the caller has (pytest-xdist, a
        # kernel), forks each worker with papermill and nbconvert loaded and a page built (run.preload); spawn
        # elsewhere. A fork has the server's environment and folder: the worker takes the run's (watch_parent).
        return ProcessPoolExecutor(1, mp_context=self.context, initializer=watch_parent,
                                   initargs=(str(self.log) if self.log else None, dict(os.environ), os.getcwd()))

    def free(self):
        return self.executor or next((p for p in self.pools if p not in self.busy), None)

    def replace(self, pool) -> None:
        pool.shutdown(wait=False, cancel_futures=True)
        self.pools[self.pools.index(pool)] = self._pool()

    def kill(self) -> None:
        """Ctrl-C: every worker and kernel at once (not multiprocessing's resource tracker, which cleans up after)."""
        for child in psutil.Process().children(recursive=True):
            try:
                if "resource_tracker" not in " ".join(child.cmdline()):
                    child.kill()
            except psutil.Error:
                pass
        self.close(wait=False)  # not waiting: the pools' threads can wait on a lock the interrupted code held

    def close(self, wait: bool = True) -> None:
        for pool in self.pools:
            pool.shutdown(wait=wait, cancel_futures=True)
        if self.client is not None:
            self.client.close()


_SERVED: list[str] = []  # the package's code (paths.tree_sha) this process's forkserver imported, once started


def _context():
    # the forkserver listens on a Unix socket under TMPDIR (…/pymp-XXXXXXXX/listener-XXXXXXXX), whose path may not
    # pass about 100 bytes (sun_path: 108 on Linux, 104 on macOS; CPython #132124): a long TMPDIR spawns instead
    if "forkserver" not in multiprocessing.get_all_start_methods() or len(tempfile.gettempdir().encode()) > 60:
        return multiprocessing.get_context("spawn")
    # the server lives as long as this process, with the code it imported: after an edit of the package (a session
    # that runs reproduce again), its forks would run the old code under the new cache key, so workers are spawned
    code = paths.tree_sha(paths.PACKAGE_DIR)
    if _SERVED and _SERVED[0] != code:
        return multiprocessing.get_context("spawn")
    _SERVED[:] = [code]
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["analysis_utils.run.preload"])
    return context


def dask_client(scheduler: str | None, jobs: int):
    """A client of the scheduler at ``scheduler``, or of a new LocalCluster of ``jobs`` one-thread workers that
    retries a notebook whose worker died once. AnalysisError, in one line, when the scheduler cannot be reached,
    has no worker, or its workers run other versions of the packages."""
    import dask
    from distributed import Client, LocalCluster

    try:
        if scheduler:
            client = Client(scheduler, timeout=20)
        else:
            dask.config.set({"distributed.scheduler.allowed-failures": 1})
            client = Client(LocalCluster(n_workers=jobs, threads_per_worker=1))
            print(f"Dask dashboard: {client.dashboard_link} (needs the extra 'dashboard': bokeh)", file=sys.stderr)
    except OSError as exc:
        raise AnalysisError(f"cannot reach the Dask scheduler {scheduler}: {exc}") from None
    try:
        client.get_versions(check=True, packages=["analysis_utils", "papermill", "nbconvert", "pandas"])
        if not client.scheduler_info().get("workers"):
            raise ValueError(f"no worker: start one with dask worker {scheduler} --nthreads 1")
    except ValueError as exc:
        client.close()
        raise AnalysisError(f"the Dask cluster cannot run the notebooks: {str(exc).splitlines()[0]}") from None
    return client


def execute(tasks: list[Task], inputs: dict, slots: Slots, bar: tqdm, on_outcome) -> None:
    """Run ``tasks`` in this order on ``slots``, calling ``on_outcome`` as each ends."""
    pending, running = deque(tasks), {}
    if slots.client is not None:
        [inputs] = slots.client.scatter([inputs], broadcast=True)  # once per run, not once per task
    while pending or running:
        while pending and (slot := slots.free()) is not None:
            task = pending.popleft()
            running[slot.submit(run_task, task, inputs)] = (task, slot)
            slots.busy.add(slot)
        bar.set_postfix_str(f"running {len(running)}, left {len(pending)}")
        done, _ = wait(running, timeout=0.5, return_when=FIRST_COMPLETED)
        for future in done:
            task, slot = running.pop(future)
            slots.busy.discard(slot)
            bar.state = f"running {len(running)}, left {len(pending)}"  # said with the task's line (_say)
            try:
                outcome = future.result()
            except BrokenProcessPool:
                slots.replace(slot)
                outcome = _failed(task, "WorkerDied", "its worker process died (killed, e.g. by the system when "
                                  "memory ran out); the other notebooks ran on")
            except Exception as exc:  # noqa: BLE001  (Dask's KilledWorker, a lost connection…)
                outcome = _failed(task, type(exc).__name__, (str(exc).splitlines() or [""])[0])
            on_outcome(outcome)


def _failed(task: Task, ename: str, evalue: str) -> Outcome:
    return Outcome(task, "failed", 0.0, NotebookRunError(f"{task.name}.ipynb", None, None, "", ename, evalue))


def _say(bar: tqdm, outcome: Outcome, n: int) -> None:
    """One line per finished task, the ``n``-th (above the bar on a terminal)."""
    how = {"cached": "cached", "ran": f"done in {outcome.seconds:.1f}s"}.get(outcome.status,
                                                                            f"FAILED after {outcome.seconds:.1f}s")
    bar.update(1)
    bar.write(f"[{n}/{bar.total}] {outcome.task.build + '/' if outcome.task.build else ''}{outcome.task.name}: "
              f"{how}{f' ({bar.state})' if getattr(bar, 'state', '') else ''}", file=sys.stdout)


# ---------------------------------------------------------------------------- planning
def parameter_sets(each: list[str], values: dict, data) -> list[tuple[str, dict]]:
    """[(build folder, values)]: [("", values)] without ``each``; else one per combination of the ``--each NAME``
    (focus: every district of ``data``, a loaded Dataset or a data folder) or ``--each NAME=a,b`` values, into
    ``NAME=a/…``."""
    loaded = []

    def dataset() -> Dataset:
        loaded[:] = loaded or [data if isinstance(data, Dataset) else load(data)]
        return loaded[0]

    axes = []
    for spec in each:
        name, _, listed = spec.partition("=")
        if not listed and name != "focus":
            raise ParameterError("--each", spec, "focus, or NAME=a,b listing the values", "missing-value")
        chosen = params.parse_list(listed) if listed else dataset().districts()
        # --each focus=Yuhang,Nanshan: the folders and values by id (focus=余杭区)
        axes.append([(name, district_id(dataset(), v) if name == "focus" else v) for v in chosen])
    return [("/".join(f"{n}={v}" for n, v in combo), {**values, **dict(combo)}) for combo in itertools.product(*axes)]


def _inputs(values: dict, shas: dict) -> dict:
    """{parameter: (path, ``shas``' sha256, {relative path: bytes})} of the files path parameters name, read only
    when something must run (run.task uses the path itself where it holds the same content)."""
    files = {}
    for name, sha in shas.items():
        path = Path(values[name])
        files[name] = (values[name], sha, {"": path.read_bytes()} if path.is_file() else {
            (Path(d) / f).relative_to(path).as_posix(): (Path(d) / f).read_bytes()
            for d, _, names in os.walk(path, followlinks=True) for f in names})
    return files


def reproduce(notebooks_dir=None, output_dir=None, values: dict | None = None, raw: dict | None = None,
              jobs: int | None = None, force: bool = False, only=(), cell_timeout: int = 600, each=(),
              dask: bool = False, scheduler: str | None = None, interactive: bool = False) -> RunReport:
    """Run every selected notebook whose inputs changed, for each parameter set, and write the site(s). A notebook
    failure does not raise (``RunReport.failures``); bad parameters, data or options raise ParameterError,
    DataValidationError or AnalysisError before the build folder is touched."""
    out = Path(output_dir or paths.DEFAULT_OUTPUT_DIR).expanduser().resolve()
    every = sorted(Path(notebooks_dir or paths.NOTEBOOKS_DIR).resolve().glob("*.ipynb"))
    if not every:
        raise AnalysisError(f"no notebooks (*.ipynb) in {notebooks_dir or paths.NOTEBOOKS_DIR}")
    for prefix in only:
        if not any(p.stem.startswith(prefix) for p in every):
            raise ParameterError("--only", prefix, "a prefix of one of: " + ", ".join(p.stem for p in every), "no-match")
    chosen = [p for p in every if not only or any(p.stem.startswith(o) for o in only)]

    # Load inputs: each notebook's declaration, the values, the files they name.
    specs = {}
    for path in every:  # one that cannot be read runs all the same, and fails alone with papermill's own error
        try:
            specs[path.stem] = params.declared(path)
        except AnalysisError:
            specs[path.stem] = None
    user, raw = dict(values or {}), dict(raw or {})
    params.check_names({**user, **{e.partition("=")[0]: e for e in each}}, {k: v for k, v in specs.items() if v})
    data_dir = paths.resolve_data_dir(user.get("data_dir"))
    build.refuse_output(out, [data_dir])
    _refuse_mixed(out, bool(each))
    # The data folder and its external/ read and validated here, once, whatever runs or is cached: no notebook
    # starts on data this process has not checked (DataValidationError: one line per problem, nothing touched).
    dataset, _, notes = load_checked(data_dir)
    user, raw = params.given_by_id(user, raw, dataset)  # -p focus Yuhang: 余杭区 from here on
    values = {**user, "data_dir": str(data_dir)}
    sets = parameter_sets(list(each), values, dataset)
    shas = {name: paths.tree_sha(value) for name, value in values.items()  # for the cache key; contents sent later
            if paths.is_path_parameter(name) and isinstance(value, str) and value}
    stamp = {"version": __version__, "data_checksum": shas["data_dir"], "time": time.strftime("%Y-%m-%d %H:%M:%S %z")}

    # Plan: a task per notebook and parameter set; the stale ones checked against the data before anything runs.
    env, tasks, problems, rechecks = build.environment_sha(), [], [], []
    for (label, given), path in itertools.product(sets, chosen):
        spec = specs[path.stem] or {}
        mine = {k: v for k, v in given.items() if k in spec}
        try:
            typed = params.check(spec, mine, raw, data=False)
        except ParameterError:  # checked again with the data below, so that every problem is said at once
            rechecks.append((spec, mine))
            continue
        typed.update({"output_dir": ""} if "output_dir" in spec else {})  # the worker's own
        source = path.read_bytes()
        key = build.cache_key(hashlib.sha256(source).hexdigest(), typed, {k: shas[k] for k in typed if k in shas}, env)
        shown = {k: v for k, v in typed.items() if k != "output_dir"}  # what the notebook received
        tasks.append(Task(path.stem, source, typed, key, {**stamp, "parameters": shown}, cell_timeout, label))
    stale = [t for t in tasks if force or not build.is_fresh(out / t.build / "site" / t.name, t.key)]
    rechecks += [(specs[t.name] or {}, {k: v for k, v in t.params.items() if k != "output_dir"}) for t in stale]
    for spec, mine in rechecks:
        try:
            params.check(spec, mine, raw, dataset)
        except ParameterError as exc:
            problems += [str(e) for e in getattr(exc, "errors", [exc])]
    problems = list(dict.fromkeys(problems))  # a bad value shared by several tasks is said once
    if problems:
        raise AnalysisError(problems[0] if len(problems) == 1 else
                            f"{len(problems)} problems, nothing was run:\n" + "\n".join(f"  {p}" for p in problems))

    for note in notes:  # once the run is sure to go ahead: an error is then the only line
        print(f"warning: {note}", file=sys.stderr)
    for path in chosen:
        if user and specs[path.stem] is not None and not set(user) & set(specs[path.stem]):
            print(f"warning: {path.stem} declares none of the parameters given ({', '.join(sorted(user))}): "
                  "it runs with its own values", file=sys.stderr)

    # Run, publishing each outcome; then every index.
    report, failures = RunReport(out), {label: {} for label, _ in sets}
    with build.lock(out):
        try:
            _run(out, tasks, stale, (values, shas), (jobs, dask, scheduler, interactive), report, failures)
        except KeyboardInterrupt:
            stamp["interrupted"] = True  # the index says so
            raise
        finally:  # also after Ctrl-C: the index says what the folder holds
            report.indexes = _indexes(out, [p.stem for p in every], sets, failures, stamp, report, set(user), dataset)
    report.outcomes.sort(key=lambda o: (o.task.build, o.task.name))
    return report


def _refuse_mixed(out: Path, batch: bool) -> None:
    """A batch into a folder that holds a single build, or the reverse: one line."""
    single = any((out / "site").glob(f"*/{build.RECORD}"))
    several = (out / "batch.csv").exists() or any(p.is_dir() and "=" in p.name for p in out.glob("*"))
    if (batch and single) or (not batch and several):
        raise AnalysisError(f"{out} holds {'a single build' if single else 'a batch of builds'}: write the "
                            f"{'batch' if batch else 'build'} to another folder with --output")


def _run(out, tasks, stale, inputs, how, report, failures) -> None:
    """Run the stale tasks (each distinct key once) and publish every outcome into every build it belongs to."""
    jobs, dask, scheduler, interactive = how
    unique: dict[str, list[Task]] = {}
    for t in stale:
        unique.setdefault(t.key, []).append(t)
    bar = tqdm(total=len(tasks), unit="nb", desc="reproduce", file=sys.stderr, disable=not interactive)
    count = itertools.count(1)

    def on_outcome(outcome: Outcome) -> None:
        for t in unique.get(outcome.task.key, [outcome.task]):
            one = Outcome(t, outcome.status, outcome.seconds, outcome.error, outcome.files)
            if outcome.files or outcome.status == "ran":
                record = {"key": t.key, "seconds": round(one.seconds, 2), "params": t.provenance["parameters"],
                          "finished": t.provenance["time"], "data_checksum": t.provenance["data_checksum"],
                          "version": t.provenance["version"], "error": str(one.error) if one.error else None,
                          "failure": vars(one.error) if one.error else None}
                try:
                    build.publish(out / t.build, one, record)
                except AnalysisError as exc:
                    one = _failed(t, "OSError", str(exc))
            if one.status == "failed":
                failures[t.build][t.name] = one.error
            report.outcomes.append(one)
            _say(bar, one, next(count))

    for t in (t for t in tasks if t not in stale):
        report.outcomes.append(Outcome(t, "cached", 0.0))
        _say(bar, report.outcomes[-1], next(count))
    if not unique:
        return bar.close()
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(unique)))
    slots = Slots(jobs, dask_client(scheduler, jobs) if dask or scheduler else None, out / KERNELS_LOG)
    # longest first (the last run's seconds, else the notebook's size), so that the last to finish is a short one
    order = sorted((ts[0] for ts in unique.values()), key=lambda t: -(build.read_record(
        out / t.build / "site" / t.name, warn=False).get("seconds") or len(t.source) / 1e4))
    try:
        execute(order, _inputs(*inputs), slots, bar, on_outcome)
    except KeyboardInterrupt:
        slots.kill()
        raise
    finally:
        bar.close()
    slots.close()


def _indexes(out: Path, names: list[str], sets, failures: dict, stamp: dict, report: RunReport,
             user: set, data=None) -> list[Path]:
    """Every build's index and tables.xlsx (the parameters as the user gave them, and the batch's); a batch's page
    and batch.csv."""
    written = []
    for label, given in sets:
        provenance = {**stamp, "parameters": {k: v for k, v in given.items() if k in user or f"{k}=" in label}}
        keys = {o.task.name: o.task.key for o in report.outcomes if o.task.build == label and o.task.key}
        rows = build.entries(out / label, names, keys, failures[label])
        published = any(o.status != "cached" and o.task.build == label for o in report.outcomes)
        try:
            written.append(build.write_index(out / label, rows, provenance, published, data))
        except AnalysisError as exc:
            report.problems.append(str(exc))
    try:
        report.batch = write_batch(out, sets, failures, stamp) if any(label for label, _ in sets) else None
    except AnalysisError as exc:
        report.problems.append(str(exc))
    return written
