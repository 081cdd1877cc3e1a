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
    problem: str | None = None  # why it cannot run (unreadable file): it fails alone, the others run


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
    return [_notebook(p) for p in chosen]


def _notebook(path: Path) -> Notebook:
    data = path.read_bytes()
    try:
        read_notebook(path)
        problem = None
    except AnalysisError as exc:
        problem = str(exc)
    return Notebook(path.stem, path, hashlib.sha256(data).hexdigest(), problem)


def read_notebook(path: Path) -> dict:
    """The notebook as a version-4 dict. A current file is read as JSON (no nbformat import, so that a
    cache hit stays light); an older one (nbformat 3: worksheets, no ``cells``) through nbformat's
    public ``reads(…, as_version=4)``, which upgrades it. AnalysisError naming the file when it is not
    a notebook at all."""
    try:
        nb = json.loads(Path(path).read_text(encoding="utf-8"))
        if not isinstance(nb, dict):
            raise ValueError("not a JSON object")
        if nb.get("nbformat", 0) >= 4 and isinstance(nb.get("cells"), list):
            return nb
        import nbformat

        return nbformat.reads(json.dumps(nb), as_version=4)
    except (ValueError, UnicodeDecodeError, KeyError, TypeError, AttributeError) as exc:
        raise AnalysisError(f"{path}: not a readable notebook ({type(exc).__name__}: {exc})") from None


def read_cells(path: Path) -> list[dict]:
    """The notebook's cells (upgraded to nbformat 4 when older)."""
    return read_notebook(path)["cells"]


def kernel_name(path: Path) -> str | None:
    """The kernel the notebook's metadata names (``kernelspec.name``), None when it names none."""
    return (read_notebook(path).get("metadata", {}).get("kernelspec") or {}).get("name") or None


def parameters_cell(cells: list[dict]) -> int:
    """Index of the cell tagged `parameters`, -1 when there is none."""
    return next((i for i, c in enumerate(cells) if "parameters" in c.get("metadata", {}).get("tags", [])), -1)


def code_size(path: Path) -> int:
    """Characters of code in the notebook's code cells: the run-time estimate used before a notebook
    has run once (for the shipped notebooks it orders them as their measured times do)."""
    return sum(len("".join(c.get("source", ""))) for c in read_cells(path) if c.get("cell_type") == "code")
