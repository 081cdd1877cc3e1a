"""The notebooks of a run: finding them, reading their cells, locating the ``parameters`` cell."""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from analysis_utils.errors import AnalysisError, ParameterError


@dataclass
class Notebook:
    name: str  # file stem, e.g. "02_gaps"
    path: Path
    sha: str



def discover(notebooks_dir: str | os.PathLike, only: list[str] | tuple = ()) -> list[Notebook]:
    """Notebooks sorted by name, filtered by --only prefixes (each must match something)."""
    found = sorted(Path(notebooks_dir).glob("*.ipynb"))
    if not found:
        raise AnalysisError(f"no notebooks (*.ipynb) in {notebooks_dir}")
    for prefix in only:
        if not any(p.stem.startswith(prefix) for p in found):
            raise ParameterError("--only", prefix, "a prefix of one of: " + ", ".join(p.stem for p in found),
                                 code="no-match")
    chosen = [p for p in found if not only or any(p.stem.startswith(o) for o in only)]
    return [Notebook(p.stem, p, hashlib.sha256(p.read_bytes()).hexdigest()) for p in chosen]


def read_cells(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def parameters_cell(cells: list[dict]) -> int:
    """Index of the cell tagged `parameters`, -1 when there is none."""
    return next((i for i, c in enumerate(cells) if "parameters" in c.get("metadata", {}).get("tags", [])), -1)


def code_size(path: Path) -> int:
    """Characters of code in the notebook's code cells: the run-time estimate used before a notebook
    has run once (for the shipped notebooks it orders them as their measured times do)."""
    return sum(len("".join(c.get("source", ""))) for c in read_cells(path) if c.get("cell_type") == "code")
