"""Absolute paths of the project, derived from this file, never from the caller's cwd."""
from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
REPO_ROOT = PACKAGE_DIR.parent.parent
DATA_DIR = REPO_ROOT / "data"
NOTEBOOKS_DIR = REPO_ROOT / "notebooks"
DEFAULT_OUTPUT_DIR = REPO_ROOT / "build"
KERNEL_NAME = "wuchang-innovation"
