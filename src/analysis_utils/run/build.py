"""A build folder, and the only code that writes one (its layout: docs/outputs.md).

A notebook's folder is written under ``OUTPUT/.staging/`` and published by renaming it onto ``site/NN_name``; a
failed, killed or interrupted notebook never reaches ``site/``. Its cache record sits inside the folder it describes.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sys
import time
import uuid
from contextlib import contextmanager
from importlib.metadata import PackageNotFoundError, distribution, distributions
from pathlib import Path

from packaging.markers import Marker
from packaging.utils import canonicalize_name

from analysis_utils import paths
from analysis_utils.errors import AnalysisError, NotebookRunError, disk_error
from analysis_utils.labels import build_lang
from analysis_utils.report.index_page import build_index
from analysis_utils.report.fonts import ensure_assets
from analysis_utils.report.names import entity_names
from analysis_utils.report.provenance import full
from analysis_utils.report.writers import DATAPACKAGE, combine_csv_workbook, combine_datapackages, sheet_name
from analysis_utils.run.task import write_files

RECORD = ".record.json"
FAILED = ".failed"
LOCK = ".lock"
STAGING = ".staging"
TABLES = "tables.xlsx"


# ---------------------------------------------------------------------------- where a build may go, and who writes it
def refuse_output(out: Path, data_dirs: list[Path]) -> None:
    """AnalysisError when ``out`` is the project's root, or is, holds or lies inside ``notebooks/``, ``src/``
    or a data folder: a run must never move or delete what it reads."""
    for guarded in (paths.NOTEBOOKS_DIR, paths.REPO_ROOT / "src", *data_dirs):
        guarded = guarded.resolve()
        if out == guarded or guarded.is_relative_to(out) or out.is_relative_to(guarded):
            raise AnalysisError(f"--output {out} would mix the build with {guarded}: choose a folder of its own, "
                                "such as build/ or build-en/")


@contextmanager
def lock(out: Path):
    """Hold ``out/.lock`` for the run (``fcntl.flock``: the system drops it when the process ends, even on
    ``kill -9``). A second run into the same folder gets one line naming the holder and how to choose another."""
    import fcntl  # POSIX: Linux and macOS (Windows: through WSL)

    try:
        out.mkdir(parents=True, exist_ok=True)
        fd = os.open(out / LOCK, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise disk_error(exc, "write to the output folder", out) from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:  # the holder's staging folder is its own: touch nothing
        holder = os.pread(fd, 512, 0).decode("utf-8", "replace").strip() or "another process"
        os.close(fd)
        raise AnalysisError(f"{out} is being written by {holder}: wait for it to finish, or write elsewhere "
                            "with --output (make reproduce OUTPUT=folder)") from None
    try:
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"process {os.getpid()} (started {time.strftime('%H:%M:%S')})".encode(), 0)
        shutil.rmtree(out / STAGING, ignore_errors=True)  # what a killed run was writing
        yield
    finally:
        shutil.rmtree(out / STAGING, ignore_errors=True)
        os.close(fd)


# ---------------------------------------------------------------------------- the cache key
def environment_sha() -> str:
    """Every file of the package (code, catalogue, templates: not only ``*.py``), the Python version and
    name==version of each installed distribution the package can import (its requirements, theirs…, from the
    installed metadata; a requirement's marker evaluated by ``packaging``: extras and other platforms' are not
    followed), as one sha256."""
    try:
        todo, found = list(distribution("analysis_utils").requires or []), {}
    except PackageNotFoundError:  # not installed: every distribution counts
        todo, found = [], {canonicalize_name(d.metadata["Name"]): d.version for d in distributions()}
    while todo:
        requirement, _, marker = todo.pop().partition(";")
        name = canonicalize_name(re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", requirement)[1])
        if name in found or (marker.strip() and not Marker(marker).evaluate({"extra": ""})):
            continue
        try:  # the METADATA file's header lines, read directly: the email parser costs 10 x more
            head = (distribution(name).read_text("METADATA") or "").split("\n\n", 1)[0].splitlines()
        except PackageNotFoundError:
            continue
        found[name] = next((line[8:].strip() for line in head if line.startswith("Version:")), "?")
        todo += [line[14:].strip() for line in head if line.startswith("Requires-Dist:")]
    parts = [paths.tree_sha(paths.PACKAGE_DIR), sys.version, *sorted(f"{n}=={v}" for n, v in found.items())]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def cache_key(*parts) -> str:
    """One sha256 of the parts (the notebook's bytes' sha256, parameters, input sha256s, environment)."""
    return hashlib.sha256(json.dumps(parts, sort_keys=True, ensure_ascii=False, default=str).encode()).hexdigest()


# ---------------------------------------------------------------------------- records and freshness
def read_record(folder: Path, warn: bool = True) -> dict:
    """The cache record of a published folder; {} when there is none. A record that cannot be read is a miss,
    with one warning line."""
    path = folder / RECORD
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(record, dict):
            return record
        raise ValueError("not a JSON object")
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        if warn:
            print(f"warning: {path} cannot be read ({type(exc).__name__}: {exc}); its notebook runs again",
                  file=sys.stderr)
        return {}


def file_shas(folder: Path) -> dict[str, str]:
    """{path relative to ``folder``: sha256} of every file of a published folder but its record."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and p.name != RECORD}


def changed(folder: Path, record: dict) -> tuple[str, str, int] | None:
    """Why the files of ``folder`` are not those its record lists: (kind, first file, how many more), kind
    'no_record', 'missing', 'edited' or 'added'; None when they are."""
    if not isinstance(record.get("files"), dict):
        return ("no_record", "", 0)
    now, then = file_shas(folder), record["files"]
    for kind, files in (("missing", sorted(set(then) - set(now))),
                        ("edited", sorted(k for k in set(then) & set(now) if then[k] != now[k])),
                        ("added", sorted(set(now) - set(then)))):
        if files:
            return (kind, files[0], len(files) - 1)
    return None


def is_fresh(folder: Path, key: str) -> bool:
    """The folder's record has this key and its files are still those the run wrote, byte for byte."""
    record = read_record(folder)
    return record.get("key") == key and changed(folder, record) is None


# ---------------------------------------------------------------------------- publishing
def _write_folder(out: Path, files: dict[str, bytes]) -> Path:
    return write_files(out / STAGING / uuid.uuid4().hex, files)


def _swap(new: Path, target: Path) -> None:
    """``new`` takes the place of ``target``: the old folder is renamed away, the new one renamed in, the old
    one deleted (a file it holds that cannot be deleted stays under .staging/, never in the site)."""
    old = None
    if target.exists():
        old = new.parent / f"{new.name}.old"
        os.rename(target, old)
    os.rename(new, target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def publish(out: Path, outcome, record: dict) -> None:
    """Write a task's files and ``record`` (with the sha256 of each file) into the build: a success as
    ``site/NN_name/`` (dropping an older failure), a failure as ``site/NN_name.failed/``. AnalysisError
    (disk_error) when the disk refuses; the last good folder is then untouched."""
    site_dir, name, ok = out / "site", outcome.task.name, outcome.status == "ran"
    files = dict(outcome.files)
    files[RECORD] = json.dumps({**record, "files": {k: hashlib.sha256(v).hexdigest() for k, v in files.items()}},
                               ensure_ascii=False, default=str).encode()
    try:
        site_dir.mkdir(parents=True, exist_ok=True)
        new = _write_folder(out, files)
        _swap(new, site_dir / (name if ok else name + FAILED))
        if ok and (site_dir / (name + FAILED)).exists():
            shutil.rmtree(site_dir / (name + FAILED))
    except OSError as exc:
        raise disk_error(exc, "write", out / STAGING) from None


# ---------------------------------------------------------------------------- the index and the workbook
def entries(out: Path, names: list[str], keys: dict[str, str], failures: dict) -> list[dict]:
    """One index row per notebook (report.index_page.build_index): the last good folder with its record's
    provenance, and ``stale`` ({"why": "failed" | "changed" | "not_rerun", "finished", and for a change "kind",
    "file", "more": report.index_page.stale_reason words it}) when it is not this run's result; "failed" when a
    failure is all there is; "not run". ``failure``: the fields of the failure's NotebookRunError (this run's, else
    its record's), which report.site.failure_text words."""
    rows = []
    for name in names:
        good, bad = out / "site" / name, out / "site" / (name + FAILED)
        record = read_record(good, warn=False) if good.is_dir() else {}
        diff = changed(good, record) if record else None
        stale = None
        if record and name in failures:
            stale = {"why": "failed"}
        elif diff:
            stale = {"why": "changed", **dict(zip(("kind", "file", "more"), diff))}
        elif record and name in keys and record.get("key") != keys[name]:
            stale = {"why": "not_rerun"}
        shown = record or read_record(bad, warn=False)
        rows.append({"name": name, "status": ("stale" if stale else "ok") if record else "failed" if bad.is_dir()
                     else "not run", "stale": stale and {**stale, "finished": record.get("finished")},
                     "seconds": shown.get("seconds"), "finished": shown.get("finished"),
                     "params": shown.get("params", {}), "data_checksum": shown.get("data_checksum"),
                     "version": shown.get("version"), "error": str(failures[name]) if name in failures
                     else shown.get("error"), "failure": vars(failures[name])
                     if isinstance(failures.get(name), NotebookRunError) else shown.get("failure"), "outputs": str(good if record else bad),
                     "failed": str(bad) if bad.is_dir() else None,
                     "executed": str((good if record else bad) / f"{name}.ipynb")})
    return rows


def write_index(out: Path, rows: list[dict], provenance: dict, published: bool = True, data=None) -> Path:
    """``site/datapackage.json`` (the Frictionless descriptor of every table shown), ``site/tables.xlsx`` (a sheet
    per CSV table of the notebooks shown; rebuilt when this run ``published`` something, or it is missing) and
    ``site/index.html``. ``data``: the run's data.load.Dataset, whose names the workbook shows for districts and
    units (report.writers.named). AnalysisError (disk_error) when the disk refuses; the index is written even when the
    workbook cannot be (a locked file)."""
    site_dir, lang, problem = out / "site", build_lang(provenance.get("parameters")), None
    shown = [r for r in rows if r["status"] in ("ok", "stale")]
    taken: set[str] = set()
    sheets = {sheet_name(r["name"], p.stem, taken): p for r in shown
              for p in sorted(Path(r["outputs"]).rglob("*.csv")) if not p.name.startswith(".")}
    target = site_dir / TABLES
    try:
        combine_datapackages({r["name"]: r["outputs"] for r in shown}, site_dir / DATAPACKAGE, "wuchang-innovation-build")
        if not sheets:
            target.unlink(missing_ok=True)
        elif published or not target.exists():
            # per notebook, the rows of the run that wrote its tables (parameters, data, version, time); then the
            # environment once
            runs = [(f"{r['name']}: {label}", value) for r in shown for label, value in full({
                "parameters": r.get("params") or {}, "time": r.get("finished"), "data_checksum": r.get("data_checksum"),
                "version": r.get("version")}, lang)[:4]]
            combine_csv_workbook(sheets, target, runs + full({}, lang)[4:], lang=lang,
                                 names=entity_names(data, lang) if data is not None else None,
                                 units=getattr(data, "units_table", None))
    except OSError as exc:  # the index is still written, then the problem reported
        problem = disk_error(exc, "write", target)
    try:
        ensure_assets(site_dir)
        index = build_index(site_dir, rows, provenance, workbook=target if target.exists() else None)
    except OSError as exc:
        raise disk_error(exc, "write", site_dir / "index.html") from None
    if problem is not None:
        raise problem
    return index
