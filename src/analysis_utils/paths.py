"""Absolute paths of the project, derived from this file, never from the caller's cwd; the one place where a data
folder a user names is resolved and checked; checksums of folders, and the checkout's commit and lock file."""
from __future__ import annotations

import functools
import hashlib
import os
import platform
import subprocess
from pathlib import Path

from analysis_utils.errors import ParameterError

PACKAGE_DIR = Path(__file__).resolve().parent
REPO_ROOT = PACKAGE_DIR.parent.parent
DATA_DIR = REPO_ROOT / "data"
NOTEBOOKS_DIR = REPO_ROOT / "notebooks"
DEFAULT_OUTPUT_DIR = REPO_ROOT / "build"
KERNEL_NAME = "wuchang-innovation"
INTERACTIVE_DIR = DEFAULT_OUTPUT_DIR / "interactive"  # notebooks run outside reproduce write here


def notebook_output_dir(notebook: str, output_dir: str | Path | None = None) -> Path:
    """The folder one notebook writes its tables and figures into: the package's one rule for it.

    - ``output_dir`` given (not None, not ""): that folder, as given;
    - else (a notebook run by hand in JupyterLab, or with plain papermill; ``reproduce`` always passes its own):
      ``build/interactive/<notebook>`` under the repository, a folder ``reproduce`` never reads, so a hand run can
      never be mistaken for (or overwrite) a build's output.

    ``notebook`` is the notebook's file stem (e.g. "03_recommendations"); the result is not created.
    """
    if output_dir not in (None, ""):
        return Path(output_dir)
    return INTERACTIVE_DIR / notebook


def resolve_data_dir(data_dir: str | Path | None) -> Path:
    """The data folder to read: the packaged ``data/`` for None or ""; otherwise the given path, ``~``
    expanded and resolved against the current working directory.

    This is the package's one check that a data folder exists: ParameterError ``missing-folder`` otherwise.
    """
    if data_dir in (None, ""):
        return DATA_DIR
    directory = Path(data_dir).expanduser().resolve()
    if not directory.is_dir():
        raise ParameterError("data_dir", str(data_dir), "an existing data folder (datapackage.json and its CSV files)",
                             "missing-folder")
    return directory


def is_path_parameter(name: str) -> bool:
    """``data_dir``, ``weights`` or a name ending in ``_dir``, ``_file``, ``_path``: a file or folder of the user's
    machine (resolved by :func:`resolve_path`; its content is part of the cache key and travels to the workers).
    ``output_dir`` is the run's own."""
    return name != "output_dir" and (name in ("data_dir", "weights") or name.endswith(("_dir", "_file", "_path")))


def resolve_path(name: str, value: str | Path) -> Path:
    """A path parameter's ``value``, ``~`` expanded and absolute against the current working folder; it must exist
    (a folder for ``*_dir``, else a file): ParameterError ``missing-folder`` / ``missing-file`` otherwise."""
    path = Path(value).expanduser().resolve()
    kind = "folder" if name.endswith("_dir") else "file"
    if not (path.is_dir() if kind == "folder" else path.is_file()):
        raise ParameterError(name, str(value), f"an existing {kind} (looked for {path})", code=f"missing-{kind}")
    return path


def foreign_checkout(cwd: str | Path | None = None) -> Path | None:
    """The checkout of this project that holds ``cwd`` (default: the current folder) when it is not the
    one this package was installed from (a copied checkout using the original's .venv), else None."""
    here = Path(cwd or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "src" / "analysis_utils" / "paths.py").is_file() and (folder / "pyproject.toml").is_file():
            return None if folder == REPO_ROOT else folder
    return None


def tree_sha(root: str | os.PathLike) -> str:
    """sha256 over every file under ``root`` (symbolic links followed), in name order: its path relative to
    ``root``, a NUL byte, the sha256 digest of its content; a single file: its own content. "missing" when
    there is nothing."""
    root = Path(root)
    if root.is_file():
        return hashlib.sha256(root.read_bytes()).hexdigest()
    files = [Path(d) / f for d, dirs, names in os.walk(root, followlinks=True) for f in names
             if "__pycache__" not in Path(d).parts]
    if not files:
        return "missing"
    h = hashlib.sha256()
    for f in sorted(files, key=lambda p: p.relative_to(root).parts):
        h.update(f.relative_to(root).as_posix().encode() + b"\0" + hashlib.sha256(f.read_bytes()).digest())
    return h.hexdigest()


@functools.cache
def environment(root: str | os.PathLike | None = None) -> dict[str, str]:
    """{'git_commit': 40 hex digits or 'unknown', 'git_dirty': 'yes'/'no'/'unknown', 'python': '3.11.7',
    'lock_sha256': sha256 of requirements.lock or 'missing'} of the project at ``root`` (default: REPO_ROOT), which
    pages and workbooks show (report.provenance). Never raises: git may be absent or the package installed alone."""
    root, env = Path(root or REPO_ROOT), {"git_commit": "unknown", "git_dirty": "unknown"}
    try:
        git = functools.partial(subprocess.run, cwd=root, capture_output=True, text=True, timeout=10, check=True)
        env["git_commit"] = git(["git", "rev-parse", "HEAD"]).stdout.strip() or "unknown"
        dirty = git(["git", "status", "--porcelain", "--untracked-files=no"]).stdout.strip()
        env["git_dirty"] = "yes" if dirty else "no"
    except (OSError, subprocess.SubprocessError):
        pass
    lock = root / "requirements.lock"
    return {**env, "python": platform.python_version(),
            "lock_sha256": hashlib.sha256(lock.read_bytes()).hexdigest() if lock.is_file() else "missing"}
