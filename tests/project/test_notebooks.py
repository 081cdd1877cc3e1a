"""The notebooks' markdown reads as prose for a reader (the reader's page shows it without the code): no notebook
file names (04_claims_audit), data file names (sources.csv), paths or parameter names in code formatting."""
from __future__ import annotations

import json
import re

from analysis_utils import paths

MACHINE = re.compile(r"\b\d\d_[a-z_]+\b|\b[\w-]+\.(?:csv|xlsx|ipynb|json)\b")


def test_markdown_names_no_files_paths_or_parameters():
    found = []
    for path in sorted(paths.NOTEBOOKS_DIR.glob("*.ipynb")):
        for i, cell in enumerate(json.loads(path.read_text(encoding="utf-8"))["cells"]):
            if cell["cell_type"] != "markdown":
                continue
            prose = "".join(cell["source"])
            found += [f"{path.name} cell {i}: {m}" for m in MACHINE.findall(prose) + re.findall(r"`[^`]*`", prose)]
    assert not found, found
