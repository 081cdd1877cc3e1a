"""The notebooks' markdown reads as prose for a reader: no notebook file names (04_claims_audit) or data file
names (sources.csv) outside code formatting, where a researcher looks them up on purpose."""
from __future__ import annotations

import json
import re

from analysis_utils import paths

MACHINE = re.compile(r"\b\d\d_[a-z_]+\b|\b[\w-]+\.(?:csv|xlsx|ipynb|json)\b")


def test_markdown_names_no_files_outside_code():
    found = []
    for path in sorted(paths.NOTEBOOKS_DIR.glob("*.ipynb")):
        for i, cell in enumerate(json.loads(path.read_text(encoding="utf-8"))["cells"]):
            if cell["cell_type"] != "markdown":
                continue
            prose = re.sub(r"`[^`]*`", "", "".join(cell["source"]))  # code formatting is meant to be looked up
            found += [f"{path.name} cell {i}: {m}" for m in MACHINE.findall(prose)]
    assert not found, found
