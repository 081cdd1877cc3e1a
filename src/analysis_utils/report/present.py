"""Showing results in a notebook: captioned tables and generated sentences (no hand-typed numbers)."""
from __future__ import annotations

import re

import pandas as pd

from analysis_utils.report.columns import headers
from analysis_utils.report.writers import _display, yes_no

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


# A treatment record's action text (composite.index.treat_censored_missing) -> catalogue key "action.<key>" and fields.
_ACTIONS = ((re.compile(r"approximate value used as printed"), "approximate"),
            (re.compile(r"(?P<side>lower|upper) bound used as the value"), "bound_used"),
            (re.compile(r"(?P<side>lower|upper) bound excluded, set missing"), "bound_excluded"),
            (re.compile(r"dropped: (?P<n>\d+) censored cell\(s\)"), "dropped_censored"),
            (re.compile(r"dropped: no observed value"), "dropped_empty"),
            (re.compile(r"dropped: (?P<n>\d+) missing cell\(s\)"), "dropped_missing"),
            (re.compile(r"imputed: (?P<method>\w+) of (?P<n>\d+) observed value\(s\)"), "imputed"))
ACTIONS = tuple(key for _pattern, key in _ACTIONS)


def action_text(action: str, lang: str = "zh") -> str:
    """A treatment record's action in ``lang`` (catalogue ``action.<key>``); an action of no known form is
    returned unchanged. Raises ParameterError for a ``lang`` other than 'zh'/'en'."""
    from analysis_utils.labels import check_lang, text

    check_lang(lang)
    for pattern, key in _ACTIONS:
        m = pattern.fullmatch(str(action))
        if m:
            fields = m.groupdict()
            if "side" in fields:
                fields["side"] = text(f"bound.{fields['side']}", lang)
            if "method" in fields:
                fields["method"] = text(f"missing.{fields['method']}", lang)
            return text(f"action.{key}", lang, **fields)
    return str(action)


def localise(df: pd.DataFrame, lang: str = "zh", names: dict | None = None, labels: dict | None = None,
             kind=None) -> pd.DataFrame:
    """A library frame made readable in ``lang``: machine column names headed by the catalogue
    (report.columns.headers; 'contribution_<indicator>' with the indicator's label), entity codes named by
    ``names`` (report.names.entity_names), indicator ids by ``labels`` (indicator -> label), treatment actions in words
    (action_text), True/False as the catalogue's yes/no, and qualifier codes by the class of value they mark
    ('下限' / 'lower bound', '缺失', catalogue ``bound.<class>``) when ``kind`` (code -> class, e.g.
    data.qualifier_table.kind) is given. Unknown values and non-machine headers are kept.

    Raises ParameterError for a ``lang`` other than 'zh'/'en', report.columns.MissingColumnLabel for a
    machine-style column without a catalogue key."""
    from analysis_utils.labels import check_lang, text

    check_lang(lang)
    out = df.copy()
    if "entity" in out and names:
        out["entity"] = out["entity"].map(lambda e: names.get(e, text("value.all_entities", lang) if e == "(all)" else e))
    if "indicator" in out and labels:
        out["indicator"] = out["indicator"].map(lambda i: labels.get(i, i))
    if "qualifier" in out and kind is not None:
        out["qualifier"] = [text(f"bound.{kind(q)}", lang) for q in out["qualifier"]]
    if "action" in out:
        out["action"] = [action_text(a, lang) for a in out["action"]]
    if "basis" in out:
        from analysis_utils.audit.views import basis_label

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
