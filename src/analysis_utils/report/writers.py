"""Atomic writers: every file is written to a temporary name beside its target, then renamed.

An interrupted run therefore never leaves a half-written file that looks complete.
"""
from __future__ import annotations

import contextlib
import os
import re
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Iterator, Mapping

if TYPE_CHECKING:  # pandas is imported where a table is written, not on the pipeline's cache-hit path
    import pandas as pd


@contextlib.contextmanager
def atomic_path(target: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary path in the target's folder; rename it onto the target on success."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        os.chmod(tmp_path, 0o666 & ~_umask())  # mkstemp makes 0600; outputs are meant to be shared
        os.replace(tmp_path, target)
    finally:
        tmp_path.unlink(missing_ok=True)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_text(target: str | os.PathLike, text: str) -> Path:
    with atomic_path(target) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return Path(target)


def write_bytes(target: str | os.PathLike, data: bytes) -> Path:
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)
    return Path(target)


def write_csv(df: pd.DataFrame, target: str | os.PathLike, index: bool = False) -> Path:
    """CSV in UTF-8 with BOM so that Excel opens the Chinese headers correctly."""
    with atomic_path(target) as tmp:
        df.to_csv(tmp, index=index, encoding="utf-8-sig")
    return Path(target)


def write_workbook(tables: Mapping[str, pd.DataFrame], target: str | os.PathLike) -> Path:
    """One sheet per table; sheet names are cut to Excel's 31 characters."""
    import pandas as pd

    with atomic_path(target) as tmp:
        with pd.ExcelWriter(tmp, engine="openpyxl") as writer:
            for name, df in tables.items():
                df.to_excel(writer, sheet_name=str(name)[:31], index=False)
    return Path(target)


def sheet_name(notebook: str, table: str, taken: set[str]) -> str:
    """``01_table1_patent_grants``: the notebook's number and the table's name, cut to Excel's 31
    characters, with ``_2``, ``_3``… when the name is taken (Excel ignores case); adds it to ``taken``."""
    base = re.sub(r"[\[\]:*?/\\]", "_", f"{notebook.split('_')[0]}_{table}").strip("'") or "table"
    name, n = base[:31], 1
    while name.lower() in taken:
        n += 1
        name = f"{base[:31 - len(str(n)) - 1]}_{n}"
    taken.add(name.lower())
    return name


def combine_csv_workbook(sheets: Mapping[str, str | os.PathLike], target: str | os.PathLike) -> Path:
    """One workbook of CSV files, ``{sheet name: CSV path}`` (names from :func:`sheet_name`): every cell
    kept as the text written (no type guessing, empty stays empty); a file with not even a header
    gives an empty sheet."""
    import pandas as pd

    def read(path) -> pd.DataFrame:
        try:
            return pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
        except pd.errors.EmptyDataError:
            return pd.DataFrame()

    return write_workbook({sheet: read(path) for sheet, path in sheets.items()}, target)


def save_figure(fig, target: str | os.PathLike, **kwargs) -> Path:
    """Save a matplotlib figure atomically; the format follows the target's suffix."""
    target = Path(target)
    kwargs.setdefault("bbox_inches", "tight")
    kwargs.setdefault("dpi", 150)
    with atomic_path(target) as tmp:
        fig.savefig(tmp, format=target.suffix.lstrip("."), **kwargs)
    return target


class RunOutputs:
    """Where one notebook run writes: ``tables/NAME.csv``, ``figures/NAME.FMT`` and ``SECTION.xlsx``.

    File names are stable (no dates, no language), so a re-run replaces them and links keep working.
    """

    def __init__(self, output_dir: str | os.PathLike, section: str, fig_format: str = "png"):
        self.output_dir = Path(output_dir)
        self.section = section
        self.fig_format = fig_format
        self.tables: dict[str, pd.DataFrame] = {}
        self.written: list[Path] = []

    def table(self, df: pd.DataFrame, name: str) -> Path:
        self.tables[name] = df
        path = write_csv(df, self.output_dir / "tables" / f"{name}.csv")
        self.written.append(path)
        return path

    def figure(self, fig, name: str) -> Path:
        """Save, show once in a notebook, and close the figure."""
        import matplotlib.pyplot as plt

        path = save_figure(fig, self.output_dir / "figures" / f"{name}.{self.fig_format}")
        _display(fig)
        plt.close(fig)
        self.written.append(path)
        return path

    def finish(self) -> list[Path]:
        """Write the run's workbook (one sheet per table) and return every file written."""
        if self.tables:
            self.written.append(write_workbook(self.tables, self.output_dir / f"{self.section}.xlsx"))
        return self.written


def _display(obj) -> None:
    """IPython's display when running in a kernel; nothing in a plain interpreter."""
    try:
        from IPython import get_ipython
        from IPython.display import display
    except ImportError:
        return
    if get_ipython() is not None:
        display(obj)
