"""Reproduce every notebook: discover, check parameters, skip unchanged ones, run the rest in processes.

Output folder (``--output``, default ``build/``)::

    build/notebooks/NN_name.ipynb   executed notebook (kept, with papermill's error banner, when it fails)
    build/outputs/NN_name/          the notebook's ``output_dir``: its tables (csv, xlsx) and figures (png, svg)
    build/site/index.html           links every page, table and figure; claims audit; parameters; provenance
    build/site/NN_name.html         full page;  build/site/NN_name.reader.html  reader's page (no code)
    build/site/assets/              the CJK font, copied once
    build/tables.xlsx               every CSV table of the notebooks that succeeded, one sheet each
    build/.cache/NN_name.json       inputs hash of the last successful run (written only after success)
    build/.cache/inspect.json       declared parameters per notebook hash, so a cache hit needs no papermill
    build/.cache/tables.json        hash of the CSVs in tables.xlsx, so it is rebuilt only when they change

Each notebook gets its own ``output_dir`` (``build/outputs/NN_name/``, emptied before it runs), so two
notebooks running at once never write the same file and a failure never touches another notebook's
outputs. ``data_dir`` is passed (absolute) to every notebook that declares it: the one given with
``-p``/``-f``, else the packaged ``data/``; its files are part of the cache key.

How a run goes (this module is the parent's side): check the parameters against what each notebook
declares (:mod:`analysis_utils.run.cli_params`), hash the inputs, hand the stale notebooks, longest first,
to ``--jobs`` worker processes (papermill is not thread-safe; forked when the caller has no other
thread), show their progress, then write ``tables.xlsx`` (which CSVs, and when: here; the sheets:
:func:`analysis_utils.outputs.combine_csv_workbook`) and the index.
What a worker does (warm kernels, papermill, pages, cache record) is in :mod:`analysis_utils.run.worker`.
Ctrl-C kills the workers and their kernels.

From tests: ``reproduce(notebooks_dir=…, output_dir=…, params={…})`` returns a :class:`RunReport`;
the CLI has a hidden ``--notebooks-dir`` option for the same purpose.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from analysis_utils import __version__
from analysis_utils import paths
from analysis_utils.paths import resolve_data_dir
from analysis_utils.errors import NotebookRunError
from analysis_utils.report.provenance import notebooks_provenance
from analysis_utils.report.writers import combine_csv_workbook, sheet_name, write_text
from analysis_utils.errors import AnalysisError, ParameterError, ParameterErrors, raise_parameter_errors
from analysis_utils.run import staging
from analysis_utils.run.cli_params import check_names, checked_params, declared_parameters, merge_params
from analysis_utils.run.cli_params import path_inputs, save_declared
from analysis_utils.run.cli_params import resolve_type  # noqa: F401  (re-exported)
from analysis_utils.run.notebooks import Notebook, discover  # noqa: F401  (discover: tests, cli)
from analysis_utils.run.cache import cache_key, data_checksum, environment_digest, is_fresh, read_record
from analysis_utils.run.parallel import Progress, longest_first, run_tasks
from analysis_utils.run.worker import Result, Task

TABLES_FILE = "tables.xlsx"  # in the output folder: every table of the build, a sheet each


@dataclass
class RunReport:
    output_dir: Path
    results: list[Result] = field(default_factory=list)
    index: Path | None = None
    tables: Path | None = None  # the combined workbook, None when no notebook wrote a CSV table

    @property
    def failures(self) -> list[NotebookRunError]:
        return [r.error for r in self.results if r.error is not None]


# ---------------------------------------------------------------------------- orchestration
def _stale_reason(out: Path, name: str, record: dict, result: Result | None, key: str | None,
                  lang: str = "zh") -> str | None:
    """Why the build files shown for a notebook are not this run's result, in ``lang`` (catalogue stale.*),
    or None when they are."""
    from analysis_utils.labels import text

    if not record:
        return None
    finished = record.get("finished") or text("stale.earlier_run", lang)
    if result is not None and result.status == "failed":
        return text("stale.failed", lang, finished=finished)
    changed = staging.changed(out, name, record.get("files"))
    if changed:
        kind, first, more = changed
        files = text("stale.files_more", lang, file=first, n=more) if more else first
        what = {"no_record": lambda: text("stale.no_record", lang),
                "missing": lambda: text("stale.missing", lang, files=files),
                "edited": lambda: text("stale.edited", lang, files=files),
                "added": lambda: text("stale.added", lang, files=files)}[kind]()
        return text("stale.changed", lang, what=what)
    if key is not None and record.get("key") != key:
        return text("stale.not_rerun", lang, finished=finished)
    return None


def _entries(out: Path, notebooks_dir: Path, results: dict[str, Result], keys: dict[str, str] | None = None,
             lang: str = "zh", provenance: dict | None = None) -> list[dict]:
    """One index row per notebook in the folder: its last success from the cache, or this run's failure.

    Status: "ok" (the files on disk are those of a run with this run's inputs), "stale" (the files
    shown are an older run's: ``stale`` says why, in ``lang``), "failed" (no good build to show), "not run".
    Each row carries the provenance of the outputs it shows: ``params``, ``data_checksum``, ``version`` and
    ``finished`` of the run that wrote them (the cache record), or of this run (``provenance``) for a
    failure with nothing older to show."""
    rows = []
    provenance = provenance or {}
    for path in sorted(notebooks_dir.glob("*.ipynb")):
        name, result = path.stem, results.get(path.stem)
        record = read_record(out / ".cache" / f"{name}.json")
        failed = result is not None and result.status == "failed"
        stale = _stale_reason(out, name, record, result, (keys or {}).get(name), lang)
        if failed and not result.restored:
            status = "failed"
        else:
            status = "stale" if stale else ("ok" if record else "not run")
        shown = record if status in ("ok", "stale") else {}  # the run whose outputs the row shows
        rows.append({"name": name, "status": status, "stale": stale,
                     "seconds": result.seconds if failed else record.get("seconds"),
                     "finished": shown.get("finished") if shown else (provenance.get("time") if failed else None),
                     "params": shown.get("params", {}) if shown else (result.params if failed else {}),
                     "data_checksum": shown.get("data_checksum") if shown else
                     (provenance.get("data_checksum") if failed else None),
                     "version": shown.get("version") if shown else (provenance.get("version") if failed else None),
                     "error": str(result.error) if failed else None,
                     "executed": str(out / "notebooks" / f"{name}.ipynb"),
                     "outputs": str(paths.notebook_output_dir(name, build_dir=out))})
    return rows


def _task(nb: Notebook, out: Path, params: dict, data_sum: str, env_sum: str, cell_timeout: int,
          provenance: dict) -> Task:
    from analysis_utils.run.notebooks import kernel_name

    outputs = paths.notebook_output_dir(nb.name, build_dir=out)
    key = cache_key(nb, params, data_sum, env_sum, path_inputs(params))
    return Task(nb.name, nb.path, out / "notebooks" / f"{nb.name}.ipynb", outputs, out / "site",
                out / ".cache" / f"{nb.name}.json", params, key, cell_timeout,
                {**provenance, "parameters": params}, out, kernel_name(nb.path))


# ---------------------------------------------------------------------------- combined workbook
def combine_tables(out: Path, entries: list[dict], lang: str = "zh") -> Path | None:
    """``out/tables.xlsx``: a sheet per CSV table of every notebook whose last successful run's files the
    site shows (status "ok", or "stale": an older good build the index marks as such), values kept as
    written; contents and provenance sheets in ``lang`` (the build's language, as the index's); the
    provenance sheet gives, per notebook, the parameters, data sha256, package version and time of the run
    that wrote its tables (report.provenance.notebooks_provenance). Rebuilt only when those CSVs or that
    provenance changed. None when there is none. Raises ParameterError for a bad ``lang``."""
    from analysis_utils.labels import check_lang

    check_lang(lang)
    target, store = out / TABLES_FILE, out / ".cache" / "tables.json"
    taken: set[str] = set()
    sheets = {sheet_name(e["name"], p.stem, taken): p for e in entries if e["status"] in ("ok", "stale")
              for p in sorted(Path(e["outputs"]).rglob("*.csv")) if not p.name.startswith(".")}
    if not sheets:
        target.unlink(missing_ok=True)
        store.unlink(missing_ok=True)
        return None
    shown = [e for e in entries if e["status"] in ("ok", "stale")]
    provenance = notebooks_provenance([(e["name"], {"parameters": e.get("params") or {}, "time": e.get("finished"),
                                                    "data_checksum": e.get("data_checksum"),
                                                    "version": e.get("version")}) for e in shown], lang)
    key = hashlib.sha256(json.dumps([[(s, str(p), hashlib.sha256(p.read_bytes()).hexdigest())
                                      for s, p in sheets.items()], provenance, lang],
                                    ensure_ascii=False).encode()).hexdigest()
    if target.exists() and read_record(store).get("key") == key:
        return target  # no pandas import on a cache hit
    combine_csv_workbook(sheets, target, provenance, lang=lang)
    write_text(store, json.dumps({"key": key}))
    return target


def check_writable(out: Path) -> None:
    """The output folder exists (or can be made) and takes a new file; one-line AnalysisError otherwise."""
    import tempfile

    try:
        out.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(prefix=".write-check.", suffix=".tmp", dir=out)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise AnalysisError(f"output folder {out} is not writable ({exc.strerror or exc}): "
                            "choose another with --output") from None


def installed_kernels() -> set[str]:
    """Names of the kernels Jupyter can start (the .venv's first), by jupyter_client's public KernelSpecManager."""
    from jupyter_client.kernelspec import KernelSpecManager

    share = str(Path(sys.prefix) / "share" / "jupyter")
    os.environ["JUPYTER_PATH"] = os.pathsep.join(p for p in (share, os.environ.get("JUPYTER_PATH")) if p)
    return set(KernelSpecManager().find_kernel_specs())


def preflight(tasks: list[Task]) -> list[str]:
    """Check, in this process and before any file is touched, what each stale notebook will be given:
    its parameters against the data (:func:`analysis_utils.run.params.check_params`, which loads and
    validates the data folder once per folder). Every distinct problem is one line; a parameter that
    every notebook refuses is reported once, not once per notebook."""
    from analysis_utils.data.load import load
    from analysis_utils.run.params import check_params

    problems: list[str] = []
    loaded: dict = {}
    for task in tasks:
        given = {k: v for k, v in task.params.items() if k != "output_dir"}
        try:
            folder = given.get("data_dir") or None
            if folder not in loaded:
                loaded[folder] = load(folder)
            check_params(task.name, **given, output_dir=str(task.outputs), dataset=loaded[folder])
        except AnalysisError as exc:
            for line in ([str(e) for e in exc.errors] if isinstance(exc, ParameterErrors) else [str(exc)]):
                if line not in problems:
                    problems.append(line)
    return problems


def _failed(nb: Notebook, ename: str, evalue: str, params: dict | None = None) -> Result:
    return Result(nb.name, "failed", 0.0, NotebookRunError(str(nb.path), None, None, "", ename, evalue), params or {})


def reproduce(notebooks_dir: str | os.PathLike | None = None, output_dir: str | os.PathLike | None = None,
              params: dict | None = None, raw: dict | None = None, jobs: int | None = None,
              force: bool = False, only: list[str] | tuple = (), cell_timeout: int = 600,
              interactive: bool = False) -> RunReport:
    """Run every (selected) notebook whose inputs changed and render the site. A notebook failure does
    not raise (see ``RunReport.failures``); bad parameters or data raise before any file is touched
    (ParameterError, DataValidationError, or AnalysisError listing every problem)."""
    out = Path(output_dir or paths.DEFAULT_OUTPUT_DIR).expanduser().resolve()
    created = None  # the topmost folder this call will make, if any
    if not out.exists():
        created = out
        while not created.parent.exists():
            created = created.parent
    try:
        return _reproduce(notebooks_dir, out, params, raw, jobs, force, only, cell_timeout, interactive)
    except BaseException:
        # refused before anything ran: folders this call made and that hold no file are not left behind
        if created is not None and created.is_dir() and not any(p.is_file() for p in created.rglob("*")):
            shutil.rmtree(created, ignore_errors=True)
        raise


def _reproduce(notebooks_dir, out: Path, params, raw, jobs, force, only, cell_timeout, interactive) -> RunReport:
    notebooks_dir = Path(notebooks_dir or paths.NOTEBOOKS_DIR).resolve()
    values, raw = dict(params or {}), dict(raw or {})
    check_writable(out)
    staging.repair(out)  # a previous run cut short (Ctrl-C, a kill): its last good builds back in place

    # Load inputs: notebooks, their declared parameters, the hashes the cache compares.
    notebooks = discover(notebooks_dir, only)
    early = {nb.name: _failed(nb, "UnreadableNotebook", nb.problem) for nb in notebooks if nb.problem}
    notebooks = [nb for nb in notebooks if not nb.problem]
    declared = {}
    for nb in notebooks:  # one notebook papermill cannot inspect fails alone
        try:
            declared.update(declared_parameters([nb], out / ".cache", write=False))
        except AnalysisError as exc:
            early[nb.name] = _failed(nb, "UnreadableNotebook", str(exc))
    notebooks = [nb for nb in notebooks if nb.name in declared]
    bad: list[ParameterError] = []  # every bad name and value, reported together with the data checks
    try:
        check_names(values, declared)
    except ParameterError as exc:
        bad.append(exc)
    warnings = [f"warning: {nb.name} declares none of the parameters given ({', '.join(sorted(values))}): "
                "it runs with its own values" for nb in notebooks if values and not set(values) & set(declared[nb.name])]
    data_dir = resolve_data_dir(values.get("data_dir"))
    if "data_dir" in values:
        values["data_dir"] = raw["data_dir"] = str(data_dir)  # absolute: notebooks run in their own folder
    data_sum, env_sum = data_checksum(data_dir), environment_digest()
    provenance = {"parameters": values, "data_checksum": data_sum, "version": __version__,
                  "time": time.strftime("%Y-%m-%d %H:%M:%S %z")}
    from analysis_utils.report.site import index_lang

    lang = index_lang(provenance)  # the index's and tables.xlsx's

    # Process: split fresh from stale, check what the stale ones get, run them in parallel.
    def defaults(name: str) -> dict:
        return {"data_dir": str(data_dir), "output_dir": str(paths.notebook_output_dir(name, build_dir=out))}

    tasks = []
    for nb in notebooks:  # a value of the wrong type is left out here and reported with the rest below
        given, wrong = checked_params(declared[nb.name], values, raw, defaults(nb.name))
        bad += wrong
        tasks.append(_task(nb, out, given, data_sum, env_sum, cell_timeout, provenance))
    keys = {t.name: t.key for t in tasks}
    stale = [t for t in tasks if force or not is_fresh(t)]
    if bad:  # check every notebook against the data too, so that one message lists every problem
        problems = preflight(tasks)
        try:
            raise_parameter_errors(bad)
        except ParameterError as exc:
            if not problems:
                raise
            lines = [str(e) for e in getattr(exc, "errors", [exc])]
            lines += [p for p in problems if p not in lines]
            raise AnalysisError(f"{len(lines)} problems, nothing was run:\n" + "\n".join(f"  {p}" for p in lines)) \
                from None
    if stale:
        problems = preflight(stale)
        if len(problems) == 1:
            raise AnalysisError(problems[0])
        if problems:
            raise AnalysisError(f"{len(problems)} problems, nothing was run:\n" + "\n".join(f"  {p}" for p in problems))
        kernels = installed_kernels()
        for t in [t for t in stale if (t.kernel or paths.KERNEL_NAME) not in kernels]:
            early[t.name] = Result(t.name, "failed", 0.0, NotebookRunError(
                str(t.source), None, None, "", "NoSuchKernel",
                f"no such kernel {t.kernel!r} (installed: {', '.join(sorted(kernels))})"), t.params)
            stale.remove(t)
    save_declared(out / ".cache", {nb.sha: declared[nb.name] for nb in notebooks})
    for line in warnings:  # once the run is sure to go ahead: an error is then the only line
        print(line, file=sys.stderr)
    stale = longest_first(stale)
    progress, results = Progress(len(tasks) + len(early), interactive), list(early.values())
    for r in results:
        progress.finished(r)
    for t in tasks:
        if t not in stale and t.name not in early:
            results.append(Result(t.name, "cached", 0.0, None, t.params))
            progress.finished(results[-1])
    if stale:
        from analysis_utils.report import site

        site.ensure_assets(out / "site")  # before the workers, so the font is copied once
    try:  # the workbook is first written while the workers wind down; below it is then a cache hit
        results += run_tasks(stale, jobs or os.cpu_count() or 1, progress, then=lambda ran: combine_tables(
            out, _entries(out, notebooks_dir, {r.name: r for r in results + ran}, keys, lang, provenance), lang))
    except KeyboardInterrupt:  # the workers are gone and the builds they had set aside are back: say so
        _write_index(out, notebooks_dir, {r.name: r for r in results}, keys, provenance)
        raise
    finally:
        progress.close()

    for r in results:  # a notebook that ran or was served from the cache: an earlier failure no longer applies
        if r.status != "failed":
            staging.forget_failure(out, r.name)
    # Save outputs: the combined workbook, then the index (the workers wrote the notebook pages);
    # unchanged inputs leave both untouched.
    index, tables = _write_index(out, notebooks_dir, {r.name: r for r in results}, keys, provenance)
    return RunReport(out, sorted(results, key=lambda r: r.name), index, tables)


def _write_index(out: Path, notebooks_dir: Path, results: dict, keys: dict, provenance: dict):
    from analysis_utils.report import site

    lang = site.index_lang(provenance)
    entries = _entries(out, notebooks_dir, results, keys, lang, provenance)
    tables = combine_tables(out, entries, lang)
    from analysis_utils.report.index_page import build_index

    return build_index(out / "site", entries, provenance, workbook=tables), tables


# ---------------------------------------------------------------------------- command line glue
def format_list(notebooks: list[Notebook], declared: dict[str, dict]) -> str:
    """Notebooks and their parameters: name, type, default, help."""
    lines = []
    for nb in notebooks:
        lines.append(f"{nb.name}  ({nb.path})")
        for p in declared[nb.name].values():
            lines.append(f"    {p['name']:<16} {p['inferred_type_name'] or '?':<10} {p['default']:<14} {p['help']}")
        if not declared[nb.name]:
            lines.append("    (no cell tagged 'parameters')")
    return "\n".join(lines)


def format_summary(report: RunReport) -> str:
    """One screen: each notebook's status and time, where the site and the workbook are, one line per
    failure."""
    lines = [f"{'notebook':<28} {'status':<8} time"]
    for r in report.results:
        when = "" if r.status == "cached" else f"{r.seconds:.1f}s"
        lines.append(f"{r.name:<28} {r.status.upper() if r.status == 'failed' else r.status:<8} {when}")
    if report.index:
        lines.append(f"site: {report.index}")
    if report.tables:
        lines.append(f"tables: {report.tables}")
    if report.failures:
        lines.append(f"{len(report.failures)} of {len(report.results)} notebook(s) failed:")
        lines += [f"  {err}" for err in report.failures]
    return "\n".join(lines)


def reproduce_command(args) -> int:
    """`python -m analysis_utils reproduce …`: exit 0 when every notebook passed, 1 otherwise."""
    notebooks_dir = getattr(args, "notebooks_dir", None) or paths.NOTEBOOKS_DIR
    if args.list:
        notebooks = discover(notebooks_dir, args.only)
        print(format_list(notebooks, declared_parameters(notebooks, None)))
        return 0
    values, raw = merge_params(args.parameter, args.parameters_file)
    report = None
    try:
        report = reproduce(notebooks_dir, args.output, values, raw, jobs=args.jobs, force=args.force,
                           only=args.only, cell_timeout=args.cell_timeout,
                           interactive=sys.stdout.isatty() and sys.stderr.isatty())
        print(format_summary(report))
    except KeyboardInterrupt:
        if report is not None:  # the run was over: its outputs and the site are complete
            print(f"interrupted after the run had finished: every output is in place (site: {report.index})",
                  file=sys.stderr)
        else:
            print("interrupted: finished notebooks are kept and cached, the others keep their last good build; "
                  "run again to continue", file=sys.stderr)
        return 130
    return 1 if report.failures else 0
