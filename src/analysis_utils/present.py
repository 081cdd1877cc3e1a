"""Showing results in a notebook: captioned tables and generated sentences (no hand-typed numbers)."""
from __future__ import annotations

import pandas as pd

from analysis_utils.outputs import _display


def show_table(df: pd.DataFrame, caption: str, precision: int = 2):
    """A table with its caption and no index; floats at ``precision`` decimals."""
    styler = df.style.hide(axis="index").set_caption(caption).format(precision=precision, na_rep="-")
    styler = styler.set_table_styles([{"selector": "caption",
                                       "props": "caption-side: top; font-weight: bold; font-size: 1.05em;"}])
    _display(styler)
    return df


def show_markdown(text: str) -> str:
    try:
        from IPython.display import Markdown
    except ImportError:
        return text
    _display(Markdown(text))
    return text
