"""The cache of ``reproduce``: what a notebook's inputs are, as one hash, and whether its last good build
still answers them.

A notebook is fresh when the key of its last successful run (``build/.cache/NN_name.json``) equals the key
of this run's inputs (:func:`cache_key`: the notebook file, the data folder's content
(:func:`data_checksum`), our code and the installed distributions it can import (:func:`environment_digest`),
the parameters and the content of every file a parameter names) and its output files are still there,
byte for byte (:func:`is_fresh`).
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import sys
from pathlib import Path

from analysis_utils import paths
from analysis_utils.run import staging
from analysis_utils.run.notebooks import Notebook
from analysis_utils.run.worker import Task


def _sha_files(files: list[Path], root: Path) -> str:
    h = hashlib.sha256()
    for f in sorted(files):
        h.update(f.relative_to(root).as_posix().encode() + b"\0" + hashlib.sha256(f.read_bytes()).digest())
    return h.hexdigest()


def data_checksum(data_dir: str | os.PathLike) -> str:
    """sha256 over every file under the data folder (relative name and content)."""
    root = Path(data_dir)
    return _sha_files([p for p in root.rglob("*") if p.is_file()], root) if root.is_dir() else "no-data"


def environment_digest() -> str:
    """Our source code, the Python version and the name==version of every distribution the notebooks can
    import, as one SHA-256 hex string.

    "Can import" is the run-time closure of analysis_utils: its declared dependencies, theirs, and so on,
    read from the installed metadata (``Requires-Dist``), requirements that hold only for an extra
    (``; extra == "…"``) not followed, ones not installed (another platform's) left out. So installing
    tools beside them (``make lab``'s JupyterLab, pytest, nbstripout) keeps the cache valid, while a new
    version of pandas or of anything pandas needs does not. Without analysis_utils' own metadata (not
    installed), every installed distribution counts, as before.
    """
    from importlib.metadata import PackageNotFoundError, distribution, distributions

    def key(name: str) -> str:
        return re.sub(r"[-_.]+", "-", name).lower()

    try:
        todo = list(distribution("analysis_utils").requires or [])
    except PackageNotFoundError:
        todo, found = [], {key(d.metadata["Name"]): d.version for d in distributions()}
    else:
        found = {}
    while todo:
        requirement = todo.pop()
        name, _, marker = requirement.partition(";")
        if re.search(r"\bextra\s*==", marker):
            continue
        name = key(re.match(r"\s*[A-Za-z0-9][A-Za-z0-9._-]*", name).group().strip())
        if name in found:
            continue
        try:
            dist = distribution(name)
        except PackageNotFoundError:
            continue
        found[name] = dist.version
        todo.extend(dist.requires or [])
    code = _sha_files(list(paths.PACKAGE_DIR.rglob("*.py")), paths.PACKAGE_DIR)
    dists = sorted(f"{name}=={version}" for name, version in found.items())
    return hashlib.sha256("\n".join([code, sys.version, *dists]).encode()).hexdigest()


def cache_key(nb: Notebook, params: dict, data_sum: str, env_sum: str, files: dict | None = None) -> str:
    """The notebook's inputs as one hash: its file, the data folder's content, the environment, the
    parameters, and the content of every file a parameter names (``files``: :func:`path_inputs`)."""
    blob = json.dumps([nb.sha, data_sum, env_sum, params, files or {}], sort_keys=True, ensure_ascii=False,
                      default=str)
    return hashlib.sha256(blob.encode()).hexdigest()


def read_record(path: Path) -> dict:
    """A cache record (build/.cache/NN_name.json: key, files, seconds, finished, params…); {} when there is none."""
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def is_fresh(task: Task) -> bool:
    """The last successful run had the same inputs and its files are still there, byte for byte (their
    sha256 are in the record: an output changed behind the cache's back makes the notebook run again)."""
    record = read_record(task.cache_file)
    return record.get("key") == task.key and staging.changed(task.root, task.name, record.get("files")) is None
