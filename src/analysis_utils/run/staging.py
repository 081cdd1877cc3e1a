"""A notebook's build files, kept whole: set aside before a run, restored when the run fails or is
interrupted, checked by content on every cache hit.

A notebook's build files (all under the output folder ``out``): ``outputs/<name>/`` (its tables and
figures), ``notebooks/<name>.ipynb``, ``site/<name>.html``, ``site/<name>.reader.html`` and its cache
record ``.cache/<name>.json`` (written last, only after a success, with the sha256 of every file above).

- :func:`set_aside` moves them to ``out/.previous/<name>/`` before the notebook runs (a rename: no copy);
- :func:`keep_new` drops that copy after a success, and :func:`forget_failure` an earlier failure's notebook;
- :func:`restore_previous` puts the last good build back after a failure (the failed notebook goes to
  ``out/failed/<name>.ipynb`` for inspection); a previous run that itself failed is not "good", so a
  failure over a failure keeps the new failed files in place, as a first failure does;
- :func:`repair` restores every set-aside build and removes our temporary files: called at the start
  of every run and after Ctrl-C, so an interrupted run never leaves a half build behind;
- :func:`file_hashes` / :func:`changed` record and verify the files' content, so an output edited or
  replaced behind the cache's back (a notebook run by hand, a file opened and saved in Excel) is seen.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
from pathlib import Path

PREVIOUS = ".previous"
COMPLETE = ".complete"  # in a set-aside folder: every file was moved, the run may have begun
FAILED = "failed"
TEMP_NAME = re.compile(r"^\..*\.(tmp|running\.ipynb)$")  # writers.atomic_path and the worker's running notebook


def build_files(out: Path, name: str) -> list[Path]:
    """The files and folder one notebook's run produces, cache record last."""
    return [out / "outputs" / name, out / "notebooks" / f"{name}.ipynb", out / "site" / f"{name}.html",
            out / "site" / f"{name}.reader.html", out / ".cache" / f"{name}.json"]


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)


def set_aside(out: Path, name: str) -> None:
    """Move the notebook's build files to ``out/.previous/<name>/`` (renames on one file system)."""
    backup = out / PREVIOUS / name
    if backup.exists():  # a leftover of an interrupted run: it is the last good build, keep it
        restore(out, name)
    backup.mkdir(parents=True, exist_ok=True)
    for path in reversed(build_files(out, name)):  # the cache record first: no record, no cache hit
        if path.exists():
            target = backup / path.relative_to(out)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(path, target)
    (backup / COMPLETE).touch()  # only now may the run write: restore() then knows every file is its


def keep_new(out: Path, name: str) -> None:
    """The run succeeded: forget the previous build."""
    shutil.rmtree(out / PREVIOUS / name, ignore_errors=True)
    try:
        (out / PREVIOUS).rmdir()  # when no other notebook's build is set aside
    except OSError:
        pass


def forget_failure(out: Path, name: str) -> None:
    """The run succeeded: an earlier failure's notebook (``out/failed/<name>.ipynb``) no longer describes the
    build, so it goes (and ``failed/`` with it when empty)."""
    (out / FAILED / f"{name}.ipynb").unlink(missing_ok=True)
    try:
        (out / FAILED).rmdir()
    except OSError:
        pass


def had_good_build(out: Path, name: str) -> bool:
    """Whether the set-aside build is a successful one (it has a cache record)."""
    return (out / PREVIOUS / name / ".cache" / f"{name}.json").exists()


def restore(out: Path, name: str) -> None:
    """Put the set-aside build back in place of whatever the run left (no-op when nothing is set aside)."""
    backup = out / PREVIOUS / name
    if not backup.exists():
        return
    complete = (backup / COMPLETE).exists()  # else cut short while setting aside: the rest is still in place
    for path in build_files(out, name):  # the set-aside files, exactly: what the run began is dropped
        saved = backup / path.relative_to(out)
        if complete or saved.exists():
            _remove(path)
        if saved.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            os.replace(saved, path)
    keep_new(out, name)  # removes the emptied backup


def restore_previous(out: Path, name: str) -> Path | None:
    """After a failed run: when the set-aside build was good, move the failed notebook to
    ``out/failed/<name>.ipynb``, drop the failed run's other files and restore the good build; return
    the failed notebook's new path. Otherwise keep the failed files where they are (None)."""
    if not had_good_build(out, name):
        keep_new(out, name)
        return None
    failed, kept = out / "notebooks" / f"{name}.ipynb", out / FAILED / f"{name}.ipynb"
    if failed.exists():
        kept.parent.mkdir(parents=True, exist_ok=True)
        os.replace(failed, kept)
    for path in build_files(out, name):
        _remove(path)
    restore(out, name)
    return kept if kept.exists() else None


def repair(out: Path) -> list[str]:
    """Restore every set-aside build (an interrupted run) and delete our temporary files; the names of
    the notebooks restored."""
    restored = []
    previous = out / PREVIOUS
    if previous.is_dir():
        for backup in sorted(previous.iterdir()):
            restore(out, backup.name)
            restored.append(backup.name)
        shutil.rmtree(previous, ignore_errors=True)
    for folder in (out, out / "notebooks", out / "site", out / ".cache", *(out / "outputs").glob("*")):
        if folder.is_dir():
            for path in folder.iterdir():
                if TEMP_NAME.match(path.name) and path.is_file():
                    path.unlink(missing_ok=True)
    return restored


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def file_hashes(out: Path, name: str) -> dict[str, str]:
    """{path relative to ``out``: sha256} of every file of the notebook's build but its cache record."""
    found = {}
    for path in build_files(out, name)[:-1]:
        for f in (sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]):
            if f.is_file() and not TEMP_NAME.match(f.name):
                found[f.relative_to(out).as_posix()] = _sha(f)
    return found


def changed(out: Path, name: str, recorded: dict[str, str] | None) -> tuple[str, str, int] | None:
    """Why the notebook's files on disk are not those its cache record lists (None when they are):
    (kind, first file, how many more) with kind 'no_record' (no list of files; file '' and 0), 'missing',
    'edited' or 'added' (a file missing, changed, or added behind the cache's back); the pipeline words it
    in the index's language (catalogue stale.*)."""
    if recorded is None:
        return ("no_record", "", 0)
    now = file_hashes(out, name)
    missing = sorted(set(recorded) - set(now))
    edited = sorted(k for k in set(recorded) & set(now) if recorded[k] != now[k])
    added = sorted(set(now) - set(recorded))
    for kind, files in (("missing", missing), ("edited", edited), ("added", added)):
        if files:
            return (kind, files[0], len(files) - 1)
    return None


def record_text(record: dict) -> str:
    return json.dumps(record, ensure_ascii=False, default=str)
