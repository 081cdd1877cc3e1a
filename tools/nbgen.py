"""Helpers to write the section notebooks from a compact description (run by hand, outputs stripped).

The notebooks in notebooks/ are the source of truth once written; this keeps their shape uniform:
markdown, a typed ``parameters`` cell, a set-up cell, then short calls into analysis_utils.
"""
from __future__ import annotations

import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

KERNELSPEC = {"name": "wuchang-innovation", "display_name": "Python (wuchang-innovation)", "language": "python"}
COMMON_PARAMETERS = '''focus: str = "武昌区"  # district compared with its peers
peers: list = []  # peer districts, empty for the other districts of the report
lang: str = "zh"  # language of tables and charts, zh or en
data_dir: str = ""  # data folder, empty for the packaged data
output_dir: str = ""  # folder for tables and figures, empty for build/outputs/NOTEBOOK
fig_format: str = "png"  # figure format, png or svg'''


def write(path: Path, cells: list) -> None:
    nb = new_notebook(cells=cells, metadata={"kernelspec": KERNELSPEC, "language_info": {"name": "python"}})
    for i, cell in enumerate(nb.cells):
        cell.id = f"{path.stem[:2]}-{i:02d}"
    nbformat.validate(nb)
    nbformat.write(nb, str(path))
    print("wrote", path, file=sys.stderr)


def md(text: str):
    return new_markdown_cell(text.strip())


def code(text: str, tags: list[str] | None = None):
    cell = new_code_cell(text.strip())
    if tags:
        cell.metadata["tags"] = tags
    return cell


def parameters(extra: str = ""):
    return code(COMMON_PARAMETERS + ("\n" + extra.strip() if extra else ""), tags=["parameters"])


def outputs_cells() -> list:
    """The closing pair every notebook ends with: write the workbook, list every file written."""
    return [md("## 输出 · Outputs\n\n本次运行写出的全部文件（CSV、工作簿、图）。*Every file this run wrote.*"),
            code("[str(p) for p in out.finish()]")]


def prose_code(number: int, section: str, caption_zh: str, caption_en: str):
    """The cell that lists, saves and shows every number printed in the prose of a report section."""
    return code(f'''prose{number} = tables.prose_table(data, "{section}", lang)
out.table(prose{number}, "section{number}_prose_figures")
show_table(prose{number}, "{caption_zh}" if lang == "zh" else "{caption_en}")''')
