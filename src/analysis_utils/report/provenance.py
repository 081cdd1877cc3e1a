"""What a reader needs to reproduce a page or a workbook: the code's commit, the interpreter, the locked environment.

``environment()`` adds to a run's provenance (parameters, data checksum, package version, time — given by the
pipeline) the git commit of the working tree and whether it had uncommitted changes, the Python version and
the sha256 of ``requirements.lock``. ``reader_parameters`` turns the parameters into text a reader can show:
paths are replaced by their last component (a machine's absolute paths say nothing to a reader and leak it).
"""
from __future__ import annotations

import functools
import hashlib
import os
import platform
import subprocess
from pathlib import Path

from analysis_utils import paths

LOCK_FILE = "requirements.lock"
PATH_PARAMETERS = ("data_dir", "output_dir", "weights")  # parameters holding a path on the building machine


@functools.cache
def environment(root: str | os.PathLike | None = None) -> dict[str, str]:
    """{'git_commit': 40 hex digits or 'unknown', 'git_dirty': 'yes'/'no'/'unknown', 'python': '3.11.7',
    'lock_sha256': sha256 of requirements.lock or 'missing'} for the project at ``root`` (default: the
    folder holding ``data/``). Never raises: git may be absent or the package installed without its repository."""
    root = Path(root) if root else paths.REPO_ROOT
    commit, dirty = "unknown", "unknown"
    try:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True,
                                timeout=10, check=True).stdout.strip() or "unknown"
        status = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=root,
                                capture_output=True, text=True, timeout=10, check=True).stdout
        dirty = "yes" if status.strip() else "no"
    except (OSError, subprocess.SubprocessError):
        pass
    lock = root / LOCK_FILE
    lock_sum = hashlib.sha256(lock.read_bytes()).hexdigest() if lock.is_file() else "missing"
    return {"git_commit": commit, "git_dirty": dirty, "python": platform.python_version(), "lock_sha256": lock_sum}


def reader_parameters(parameters: dict) -> dict[str, str]:
    """The run's parameters as reader-facing text: lists joined by ', ', an empty value as '-', and a
    path parameter (data_dir, output_dir, weights) shown by its last component only ('data', not
    '/home/…/data'). Keys keep their order."""
    out = {}
    for key, value in parameters.items():
        if isinstance(value, (list, tuple)):
            value = ", ".join(str(v) for v in value)
        value = "" if value is None else str(value)
        if key in PATH_PARAMETERS and value:
            value = Path(value).name or value
        out[key] = value or "-"
    return out


def full(provenance: dict) -> list[tuple[str, str]]:
    """(label, value) rows of a page's or workbook's provenance: parameters (reader_parameters, 'k = v; …'),
    data sha256, package version, time, git commit (+ '(uncommitted changes)' when dirty), Python, lock sha256."""
    env = environment()
    params = "; ".join(f"{k} = {v}" for k, v in reader_parameters(provenance.get("parameters") or {}).items())
    commit = env["git_commit"] + (" (uncommitted changes)" if env["git_dirty"] == "yes" else "")
    return [("parameters", params or "-"), ("data sha256", str(provenance.get("data_checksum", "") or "-")),
            ("analysis_utils", str(provenance.get("version", "") or "-")), ("time", str(provenance.get("time", "") or "-")),
            ("git commit", commit), ("python", env["python"]), (f"{LOCK_FILE} sha256", env["lock_sha256"])]
