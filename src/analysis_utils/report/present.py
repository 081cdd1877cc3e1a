"""Showing results in a notebook: captioned tables and generated sentences (no hand-typed numbers)."""
from __future__ import annotations

import pandas as pd

from analysis_utils.report.writers import _display


def show_table(df: pd.DataFrame, caption: str, precision: int = 2) -> None:
    """Display a table with its caption and no index; floats at ``precision`` decimals.

    Returns None so that a cell ending with it does not display the table a second time."""
    styler = df.style.hide(axis="index").set_caption(caption).format(precision=precision, na_rep="-")
    styler = styler.set_table_styles([{"selector": "caption",
                                       "props": "caption-side: top; font-weight: bold; font-size: 1.05em;"}])
    _display(styler)


def show_markdown(text: str) -> None:
    """Display generated Markdown (a list of findings) in a notebook."""
    try:
        from IPython.display import Markdown
    except ImportError:
        return
    _display(Markdown(text))
