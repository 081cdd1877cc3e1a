"""Notebooks in the tests: the shipped ones (notebooks/), the fixture ones (tests/fixtures/notebooks/), small ones
written by a test, and the committed form every shipped notebook keeps."""
from __future__ import annotations

import re
import subprocess
from pathlib import Path

import nbformat

from analysis_utils import paths
from analysis_utils.paths import KERNEL_NAME, NOTEBOOKS_DIR

NOTEBOOKS = sorted(NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb"))  # the shipped section notebooks
FIXTURES = Path(__file__).parents[1] / "fixtures" / "notebooks"  # 01_passes writes, 02_fails fails on purpose
GLYPH_WARNING = re.compile(r"Glyph \d+ .*missing from (current )?font|missing from font", re.I)


def write_notebook(folder: Path, name: str, params: str, *code: str, kernel: str | None = None,
                   version: int = 4) -> Path:
    """``folder/name.ipynb``: a parameters cell (``params``, none when empty) and one code cell per ``code``,
    for the project kernel (or ``kernel``), in nbformat 4 (or 3)."""
    from nbformat.v4 import new_code_cell, new_notebook

    kernel = kernel or paths.KERNEL_NAME
    cells = ([new_code_cell(params, metadata={"tags": ["parameters"]})] if params else []) + \
        [new_code_cell(c) for c in code]
    nb = new_notebook(cells=cells, metadata={"kernelspec": {"name": kernel, "language": "python", "display_name": kernel}})
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.ipynb"
    if version == 3:
        path.write_text(nbformat.writes(nbformat.convert(nb, 3), version=3), encoding="utf-8")
    else:
        nbformat.write(nb, path)
    return path


def assert_committed_shape(path: Path, name: str | None = None) -> None:
    """The committed form of a notebook: project kernel, no outputs or counts, first code cell tagged
    parameters (tests/project/test_notebooks.py on notebooks/, tests/integration/test_lab.py on what git stores
    after a save in JupyterLab)."""
    name = name or path.name
    nb = nbformat.read(str(path), as_version=4)
    assert nb.metadata.kernelspec.name == KERNEL_NAME, name
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(not c.outputs and c.execution_count is None for c in code), f"{name} has outputs"
    tagged = [c for c in code if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1 and code.index(tagged[0]) == 0, f"{name}: first code cell must be tagged parameters"


def staged_copy(path: Path, tmp_path: Path) -> Path:
    """What git would commit for ``path``: the index's version, which passed the nbstripout clean filter.
    A researcher's working copy keeps its outputs after Run All and Save (that is the point of the filter);
    outside a git checkout, or for a notebook git does not know yet, the file itself."""
    rel = path.resolve().relative_to(NOTEBOOKS_DIR.parent.resolve()).as_posix()
    proc = subprocess.run(["git", "-C", str(NOTEBOOKS_DIR.parent), "show", f":{rel}"], capture_output=True)
    if proc.returncode != 0:
        return path
    copy = tmp_path / path.name
    copy.write_bytes(proc.stdout)
    return copy
