"""Absolute paths of the project, derived from this file, never from the caller's cwd; and the one place
where a data folder a user names is resolved and checked."""
from __future__ import annotations

from pathlib import Path

from analysis_utils.errors import ParameterError

PACKAGE_DIR = Path(__file__).resolve().parent
REPO_ROOT = PACKAGE_DIR.parent.parent
DATA_DIR = REPO_ROOT / "data"
NOTEBOOKS_DIR = REPO_ROOT / "notebooks"
DEFAULT_OUTPUT_DIR = REPO_ROOT / "build"
KERNEL_NAME = "wuchang-innovation"


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
