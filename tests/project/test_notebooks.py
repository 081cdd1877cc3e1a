"""The notebooks as committed, without running them: their markdown reads as prose for a reader (the reader's page
shows it without the code: no notebook file names (04_claims_audit), data file names (sources.csv), paths or
parameter names in code formatting), comes in zh/en pairs and calls the focus district one name; no outputs, the
project kernel, a tagged parameters cell of typed literals with help. (Running them: tests/integration.)"""
from __future__ import annotations

import json
import re

import nbformat
import pytest

from analysis_utils import paths
from analysis_utils.paths import DATA_DIR
from tests._support.language import CJK
from tests._support.notebooks import NOTEBOOKS, assert_committed_shape, staged_copy

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


def test_every_zh_page_calls_the_focus_district_the_same():
    import json

    for path in sorted((DATA_DIR.parent / "notebooks").glob("*.ipynb")):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        words = "".join("".join(c["source"]) for c in cells if "lang-zh" in c.get("metadata", {}).get("tags", []))
        assert "重点区" not in words, path.name  # 关注区, as every page and the catalogue say


def test_committed_notebooks_have_no_outputs_and_the_project_kernel(tmp_path):
    assert NOTEBOOKS, "no notebooks found"
    for path in NOTEBOOKS:
        assert_committed_shape(staged_copy(path, tmp_path), name=path.name)


def test_a_saved_working_copy_with_outputs_does_not_fail_the_shape_check(tmp_path):
    """Run All + Save in Lab leaves outputs in the working file; the check reads what git stores."""
    if staged_copy(NOTEBOOKS[0], tmp_path) == NOTEBOOKS[0]:
        pytest.skip("not a git checkout")
    executed = nbformat.read(str(NOTEBOOKS[0]), as_version=4)
    code = next(c for c in executed.cells if c.cell_type == "code" and "parameters" not in c.metadata.get("tags", []))
    code.outputs = [nbformat.v4.new_output("stream", text="SYNTHETIC output\n")]
    code.execution_count = 1
    with pytest.raises(AssertionError, match="has outputs"):  # the working copy itself would fail …
        nbformat.write(executed, str(tmp_path / "working.ipynb"))
        assert_committed_shape(tmp_path / "working.ipynb")
    assert_committed_shape(staged_copy(NOTEBOOKS[0], tmp_path))  # … what git stores does not


# Markdown comes in pairs: the Chinese cell, then the same text in English; a page shows one of them
# (report/site.py drops the other language's cells). Both languages' CJK test (tests._support.language.CJK):
# ideographs, CJK and full-width punctuation (，。（） and 、 would also give a Chinese original away in English).
LANG_TAGS = ("lang-zh", "lang-en")


# Chinese originals an English cell may quote. English names the report's parts I, II, III and its tables
# "Table N", and translates quoted labels (column names and values are English in an en run), so: none.
QUOTED_ORIGINALS: tuple[str, ...] = ()
HEADING = re.compile(r"^(#+) ")


def test_committed_markdown_comes_in_zh_en_pairs():
    """Every markdown cell is tagged lang-zh or lang-en (exactly one); each zh cell is followed by its en cell
    (id ``<zh id>-en``, same heading level); zh cells hold Chinese, en cells none (beyond QUOTED_ORIGINALS)
    and no paragraph in italics only (italics once marked the English part of a bilingual cell)."""
    assert len(QUOTED_ORIGINALS) <= 3, "English text should translate, not quote, the Chinese"
    for path in NOTEBOOKS:
        cells = nbformat.read(str(path), as_version=4).cells
        markdown = [c for c in cells if c.cell_type == "markdown"]
        assert markdown, f"{path.name}: no markdown"
        for cell in markdown:
            tags = [t for t in cell.metadata.get("tags", []) if t in LANG_TAGS]
            assert len(tags) == 1, f"{path.name} cell {cell.id}: language tags {tags}, expected one of {LANG_TAGS}"
        for i, cell in enumerate(cells):
            if cell.cell_type != "markdown" or "lang-zh" not in cell.metadata.tags:
                continue
            where = f"{path.name} cell {cell.id}"
            en = cells[i + 1] if i + 1 < len(cells) else None
            assert en is not None and en.cell_type == "markdown" and "lang-en" in en.metadata.get("tags", []), \
                f"{where}: not followed by its lang-en cell"
            assert en.id == f"{cell.id}-en", f"{where}: its English cell has id {en.id!r}"
            assert CJK.search(cell.source), f"{where}: tagged lang-zh but holds no Chinese"
            english = en.source
            for quoted in QUOTED_ORIGINALS:
                english = english.replace(quoted, "")
            found = CJK.findall(english)
            assert not found, f"{path.name} cell {en.id}: Chinese in the English cell: {''.join(found)!r}"
            levels = [HEADING.match(c.source) for c in (cell, en)]
            assert [m and m[1] for m in levels] == [levels[0] and levels[0][1]] * 2, f"{where}: heading levels differ"
            for paragraph in (cell.source + "\n\n" + en.source).split("\n\n"):
                assert not re.fullmatch(r"\*[^*].*[^*]\*", paragraph.strip(), re.S), \
                    f"{where}: a paragraph in italics only: {paragraph[:60]!r}"
        pairs = sum("lang-zh" in c.metadata.get("tags", []) for c in markdown)
        assert 2 * pairs == len(markdown), f"{path.name}: a lang-en cell without its lang-zh cell"


PARAMETER_LINE = re.compile(r"^(?P<name>[a-z_][a-z0-9_]*): (?P<type>str|int|float|bool|list|dict) = (?P<default>.+?)  # \S.*$")


def test_parameters_are_typed_literals_with_help():
    """The notebooks are the source researchers edit: each parameter line is `name: type = literal  # help`
    (papermill's typed-parameter form, so `papermill --help-notebook` documents it)."""
    import ast

    for path in NOTEBOOKS:
        nb = nbformat.read(str(path), as_version=4)
        cell = next(c for c in nb.cells if c.cell_type == "code")
        lines = [ln for ln in cell.source.splitlines() if ln.strip()]
        assert lines, f"{path.name}: empty parameters cell"
        for line in lines:
            match = PARAMETER_LINE.match(line)
            assert match, f"{path.name}: parameter line {line!r} is not `name: type = literal  # help`"
            ast.literal_eval(match["default"])  # a literal, not an expression
