"""Showing results in a notebook: captioned tables and generated sentences (no hand-typed numbers)."""
from __future__ import annotations

import re

import pandas as pd

from analysis_utils.report.writers import _display

# What a printed number may carry around it (qualifiers of messages.csv, units) and still read as a number.
_DECORATION = re.compile(r"^(?:[>≥≤<~约近+-]|nearly )?\s*|[余+%]$")


def numeric_columns(df: pd.DataFrame) -> list[bool]:
    """For each column: True if every non-empty cell is a number, as a value or as printed text ('>200',
    '约1', '1,532', '28.7%'); such columns are right-aligned on a page, every other column left-aligned."""
    out = []
    for _name, col in df.items():
        if pd.api.types.is_bool_dtype(col):
            out.append(False)
        elif pd.api.types.is_numeric_dtype(col):
            out.append(True)
        else:
            cells = [_DECORATION.sub("", str(v).strip()).replace(",", "") for v in col if v is not None
                     and not (isinstance(v, float) and v != v) and str(v).strip() not in ("", "-")]
            out.append(bool(cells) and all(re.fullmatch(r"-?\d+(\.\d+)?", c) for c in cells))
    return out


def show_table(df: pd.DataFrame, caption: str, precision: int = 2) -> None:
    """Display a table with its caption and no index; floats at ``precision`` decimals; number columns
    (numeric_columns) get the class ``num`` (right-aligned by the site's CSS and here), text columns left.

    Returns None so that a cell ending with it does not display the table a second time."""
    styler = df.style.hide(axis="index").set_caption(caption).format(precision=precision, na_rep="-")
    numeric = numeric_columns(df)
    if len(df):
        styler = styler.set_td_classes(pd.DataFrame([["num" if n else "text" for n in numeric]] * len(df),
                                                    index=df.index, columns=df.columns))
    styles = [{"selector": "caption", "props": "caption-side: top; font-weight: bold; font-size: 1.05em; "
                                               "text-align: left;"},
              {"selector": "td.num", "props": "text-align: right;"}, {"selector": "td.text", "props": "text-align: left;"}]
    styles += [{"selector": f"th.col_heading.col{i}", "props": f"text-align: {'right' if n else 'left'};"}
               for i, n in enumerate(numeric)]
    styler = styler.set_table_styles(styles)
    _display(styler)


def show_markdown(text: str) -> None:
    """Display generated Markdown (a list of findings) in a notebook; nothing at all for empty text
    (an empty list must not leave an empty bullet on the page)."""
    if not text or not text.strip():
        return
    try:
        from IPython.display import Markdown
    except ImportError:
        return
    _display(Markdown(text))
