"""Showing results in a notebook: captioned tables and generated sentences (no hand-typed numbers)."""
from __future__ import annotations

import re

import pandas as pd

from analysis_utils.report.columns import headers
from analysis_utils.report.printed import THOUSANDS, grouped  # noqa: F401  (importable from here too)
from analysis_utils.report.writers import _display, yes_no

# What a printed number may carry around it (qualifiers of messages.csv, units) and still read as a number.
# A mark after it (names.OTHER_MARK, †: a number from another source) leaves it a number.
_DECORATION = re.compile(r"^(?:[>≥≤<~约近+-]|nearly )?\s*|[余+%]?†?$")


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


# A page's way of showing the numbers of a column, by kind (the workbooks' are report.writers.NUMBER_FORMATS):
# counts whole with grouped digits, ratios at two decimals, indices at three, per cent at one.
# 'value': a number of the data as they hold it (their printed precision: 87.42, 113), digits grouped.
PAGE_FORMATS = {"count": "{:,.0f}", "ratio": "{:,.2f}", "index": "{:,.3f}", "percent1": "{:,.1f}",
                "percent2": "{:,.2f}", "years": "{:,.1f}", "value": "value"}


def with_formats(df: pd.DataFrame, kinds: dict) -> pd.DataFrame:
    """``df`` with the page formats of its columns (``kinds``: column -> a kind of PAGE_FORMATS) recorded in
    ``df.attrs['formats']`` for :func:`show_table`; the numbers stay numbers. Returns ``df``."""
    df.attrs["formats"] = {**df.attrs.get("formats", {}), **{c: PAGE_FORMATS[k] for c, k in kinds.items() if c in df}}
    return df


def show_table(df: pd.DataFrame, caption: str, precision: int = 2) -> None:
    """Display :func:`styled` ``df`` (see there) in a notebook. Returns None so that a cell ending with it does not
    display the table a second time."""
    _display(styled(df, caption, precision))


def styled(df: pd.DataFrame, caption: str, precision: int = 2):
    """A table with its caption and no index; numbers with their digits grouped (THOUSANDS), whole
    numbers (integer columns) as such, floats at ``precision`` decimals unless the view recorded a format for
    their column (:func:`with_formats`); number columns (numeric_columns) get the class ``num`` (right-aligned by
    the site's CSS and here), text columns left; an address (http…) is a link showing its host
    (:func:`link_text`). Returns the pandas Styler."""
    styler = df.style.hide(axis="index").set_caption(caption).format(precision=precision, na_rep="-",
                                                                     thousands=THOUSANDS)
    for column, spec in df.attrs.get("formats", {}).items():
        styler = styler.format(_data_number if spec == "value" else _fixed(spec), subset=[column], na_rep="-")
    links = [c for c in df.columns if df[c].map(_is_url).any()]
    if links:
        styler = styler.format(link_html, subset=links, na_rep="-")
    numeric = numeric_columns(df)
    if len(df):
        styler = styler.set_td_classes(pd.DataFrame([["num" if n else "text" for n in numeric]] * len(df),
                                                    index=df.index, columns=df.columns))
    styles = [{"selector": "caption", "props": "caption-side: top; font-weight: bold; font-size: 1.05em; "
                                               "text-align: left;"},
              {"selector": "td.num", "props": "text-align: right;"}, {"selector": "td.text", "props": "text-align: left;"}]
    styles += [{"selector": f"th.col_heading.col{i}", "props": f"text-align: {'right' if n else 'left'};"}
               for i, n in enumerate(numeric)]
    # a short name (a district, a code) on one line: in a wide table the browser squeezed 武昌区 into a column one
    # character wide (composite inputs, 14 columns, in JupyterLab); long text still wraps
    short = [i for i, (c, n) in enumerate(zip(df.columns, numeric)) if not n and len(df)
             and df[c].astype(str).str.len().max() <= SHORT_TEXT]
    styles += [{"selector": f"td.col{i}, th.col_heading.col{i}", "props": "white-space: nowrap;"} for i in short]
    return styler.set_table_styles(styles)


SHORT_TEXT = 16  # characters: a text column no longer than this is never wrapped (styled)


def page_number(value, kind: str) -> str:
    """``value`` as a page shows a number of a column of ``kind`` (PAGE_FORMATS: 'ratio' -> '4.27', 'value' -> '3,715'),
    '-' where it is missing (NaN or None): the text of the cell :func:`styled` would show, for a column that must
    become text (a cell marked as another source's). KeyError for another ``kind``."""
    if value is None or pd.isna(value):
        return "-"
    spec = PAGE_FORMATS[kind]
    return _data_number(value) if spec == "value" else _fixed(spec)(value)


def _fixed(spec: str):
    """The formatter of a PAGE_FORMATS spec ('{:,.2f}'): its decimals rounded half away from zero, as every sentence
    rounds (rounding.format_fixed), digits grouped. ``spec.format`` rounds the binary value: 870 / 1200 = 0.725 became
    0.72 in page 03's table beside the sentence's 0.73 (a newcomer's district)."""
    from analysis_utils.rounding import format_fixed

    decimals = int(spec[spec.index(".") + 1:spec.index("f")])
    return lambda value: grouped(format_fixed(value, decimals))


def _data_number(value) -> str:
    """A number as the data hold it, digits grouped: 3715.0 -> '3,715', 87.42 -> '87.42'."""
    from analysis_utils.analysis.tables import format_number

    return grouped(format_number(value))


def _is_url(value) -> bool:
    return isinstance(value, str) and value.startswith(("http://", "https://"))


def link_text(url: str) -> str:
    """The visible text of a link to ``url``: its host without 'www.' ('kjj.wuhan.gov.cn'), so that a long
    address does not overrun its cell; the whole address is the link's target and its title."""
    from urllib.parse import urlsplit

    host = urlsplit(url).hostname or url
    return host.removeprefix("www.")


def link_html(value) -> str:
    """A table cell for ``value``: an address (http…) as a link (``<a href>``) showing :func:`link_text`, the
    address escaped in its attributes; any other value as escaped text."""
    from html import escape

    if not _is_url(value):
        return escape(str(value))
    url = escape(value, quote=True)
    return f'<a href="{url}" title="{url}">{escape(link_text(value))}</a>'


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


def action_text(row, lang: str = "zh") -> str:
    """A treatment record's row (composite.matrix.treat_censored_missing: action, side, method, count) in
    ``lang``: the catalogue's ``action.<action>`` with the bound's side, the imputation method and the count.
    Raises ParameterError for a ``lang`` other than 'zh'/'en'."""
    from analysis_utils.labels import check_lang, text

    check_lang(lang)
    side = text(f"bound.{row['side']}", lang) if row.get("side") else ""
    method = text(f"missing.{row['method']}", lang) if row.get("method") else ""
    n = row.get("count", 0)
    one = "_one" if n == 1 and row["action"] in COUNTED_ACTIONS else ""  # 'of 1 observed value', not 'value(s)'
    return text(f"action.{row['action']}{one}", lang, side=side, method=method, n=n)


# Actions whose words follow their count (catalogue action.<action> and action.<action>_one)
COUNTED_ACTIONS = ("dropped_censored", "dropped_missing", "imputed")


def localise(df: pd.DataFrame, lang: str = "zh", names: dict | None = None, labels: dict | None = None,
             kind=None) -> pd.DataFrame:
    """A library frame made readable in ``lang``: machine column names headed by the catalogue
    (report.columns.headers; 'contribution_<indicator>' with the indicator's label), entity codes named by
    ``names`` (report.names.entity_names), indicator ids by ``labels`` (indicator -> label), a treatment record's
    action codes in words (action_text; its side, method and count columns then dropped), True/False as the catalogue's yes/no, and qualifier codes by the class of value they mark
    ('下限' / 'lower bound', '缺失', catalogue ``bound.<class>``) when ``kind`` (code -> class, e.g.
    data.qualifier_table.kind) is given; free text held in both languages (statement_zh, statement_en) as the
    one column of ``lang`` (statement). Unknown values and non-machine headers are kept.

    Raises ParameterError for a ``lang`` other than 'zh'/'en', report.columns.MissingColumnLabel for a
    machine-style column without a catalogue key."""
    from analysis_utils.labels import LANGS, check_lang, text

    check_lang(lang)
    out = df.copy()
    for column in [c for c in out.columns if str(c).endswith(f"_{lang}")]:
        stem = column[: -len(lang) - 1]  # free text kept in both languages: the reader's one, under its stem
        if all(f"{stem}_{other}" in out for other in LANGS):
            out = out.drop(columns=[f"{stem}_{other}" for other in LANGS if other != lang]).rename(columns={column: stem})
    if "entity" in out and names:
        out["entity"] = out["entity"].map(lambda e: names.get(e, text("value.all_entities", lang) if e == "(all)" else e))
    if "indicator" in out and labels:
        out["indicator"] = out["indicator"].map(lambda i: labels.get(i, i))
    if "qualifier" in out and kind is not None:
        out["qualifier"] = [text(f"bound.{kind(q)}", lang) for q in out["qualifier"]]
    if "action" in out:
        out["action"] = [action_text(r, lang) for r in out.to_dict("records")]
        out = out.drop(columns=[c for c in ("side", "method", "count") if c in out])
    if "basis" in out:
        from analysis_utils.report.audit_views import basis_label

        out["basis"] = [basis_label(v, lang) if v != "all" else text("column.all", lang) for v in out["basis"]]
    out = yes_no(out, lang)  # True/False as the written tables show them (report.writers.yes_no)
    out.columns = headers(out.columns, lang, labels=labels)
    return out


def parameters_markdown(values: dict, names: dict, lang: str = "zh") -> str:
    """A notebook's checked parameters as Markdown, one line each, empty ones left out; a district by its name in
    ``lang`` (``names``: {id: name}) with the value to type beside it: '- `focus`: Nanshan District (`南山区`)'.
    ParameterError for a bad ``lang``."""
    from analysis_utils.labels import check_lang, join

    check_lang(lang)
    def shown(e):
        return f"{names.get(e, e)} (`{e}`)" if names.get(e, e) != e else e
    rows = {k: shown(v) if k == "focus" else join([shown(p) for p in v], lang) if k == "peers" else v
            for k, v in values.items()}
    return "\n".join(f"- `{k}`: {v}" for k, v in rows.items() if v not in (None, ""))
