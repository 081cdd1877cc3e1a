"""Column names of written tables (snake_case codes, the same in every language) and their labels.

A CSV a run writes is headed by machine names (``claim``, ``rank_p05``) and holds codes, the same in a zh and an en
build (:func:`check_machine`); workbooks and pages head a column by :func:`header` in the run's language, and
``datapackage.json`` titles it in both (:func:`resource`). A machine name is looked up, in this order, in

1. the row of ``fields.csv`` for its table (external_checks' ``before``: the verdict before the external check);
2. a general row of ``fields.csv``: key ``column.<name>`` unless the row names another;
3. ``verdict.<name>``, ``external.verdict.<name>``, ``factor.<name>``: columns named by a verdict or a factor;
4. ``contribution_<indicator>`` as ``column.contribution``; ``<name>_zh`` / ``<name>_en`` (free text in both
   languages) as ``<name>`` with the language named; else :class:`MissingColumnLabel` is raised.
"""
from __future__ import annotations

import csv
import functools
import re
from importlib import resources
from typing import Iterable, Mapping

from analysis_utils.errors import MessageError
from analysis_utils.labels import LANGS, check_lang, text

# A machine column name: lower-case ASCII words joined by '_'. Such a header must have a catalogue key.
MACHINE = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*")


@functools.cache
def field_rows() -> dict[tuple[str, str], dict[str, str]]:
    """The packaged ``fields.csv``: (table, name) -> {'key', 'code', 'unit', 'description', 'shown_as'}; table '' for
    a general column. ``code``: the column holds codes ('gdp'), headed so ('指标（代码）'); ``shown_as``: ids that a
    workbook shows by their names (report.writers.named)."""
    with resources.files("analysis_utils.report").joinpath("fields.csv").open(encoding="utf-8", newline="") as fh:
        return {(r["table"], r["name"]): {**r, "key": r["key"] or f"column.{r['name']}", "code": r["code"] == "yes"}
                for r in csv.DictReader(fh)}


def general_columns() -> list[str]:
    """Every machine column name a notebook writes or shows, each with a key column.<name> in messages.csv."""
    return [name for table, name in field_rows() if not table]


class MissingColumnLabel(MessageError):
    """Raised when a table has machine-style column names with no catalogue key; names them and the fix."""

    def __init__(self, table: str, columns: list[str]):
        self.table, self.columns = table, list(columns)
        super().__init__(f"table {table or '(unnamed)'}: no catalogue label for column(s) {', '.join(map(repr, columns))}"
                         f": add rows {'; '.join(f'column.{c},<zh>,<en>' for c in columns)} to messages.csv next to "
                         f"the related column.* keys and the name(s) to report/fields.csv")


@functools.cache
def _families() -> dict[str, str]:
    """Column name -> catalogue key for the columns named by a verdict or a sensitivity factor."""
    from analysis_utils.audit.codes import VERDICTS
    from analysis_utils.audit.external import EXTERNAL_VERDICTS
    from analysis_utils.composite.sensitivity import FACTORS

    return {**{v: f"verdict.{v}" for v in VERDICTS}, **{v: f"external.verdict.{v}" for v in EXTERNAL_VERDICTS},
            **{f: f"factor.{f}" for f in FACTORS}}


def field_row(name: str, table: str = "") -> dict:
    """The fields.csv row of column ``name`` in ``table``: the table's own, else the general one; {} when none."""
    return field_rows().get((table, name)) or field_rows().get(("", name)) or {}


def key_of(name: str, table: str = "") -> str | None:
    """The catalogue key heading machine column ``name`` in ``table`` (see the module's order), or None."""
    row = field_row(name, table)  # first: the families import pandas
    return row["key"] if row else _families().get(name)


def header(name, lang: str = "zh", table: str = "", labels: Mapping[str, str] | None = None,
           written: bool = False) -> str:
    """The header of column ``name`` in ``lang``: its catalogue label (:func:`key_of`); 'contribution_<id>' as
    column.contribution with the indicator's label from ``labels`` (id -> label); any other header unchanged.
    ``written``: a workbook's or datapackage.json's, where a code column (fields.csv ``code``) says so ('指标（代码）').
    Raises MissingColumnLabel for a machine-style name without a key, ParameterError for a bad ``lang``."""
    check_lang(lang)
    name, code = str(name), text("column.code", lang, label="")
    if written and any(field_rows().get((t, name), {}).get("code") for t in (table, "")):
        shown = header(name, lang, table, labels)
        return shown if shown.endswith(code) else text("column.code", lang, label=shown)
    if name.startswith("contribution_"):
        indicator = name[len("contribution_"):]
        return text("column.contribution", lang, indicator=(labels or {}).get(indicator, indicator))
    key = key_of(name, table)
    if key is not None:
        return text(key, lang)
    if labels and name in labels:  # an indicator id heading its values (表2's grid, the composite's inputs)
        return labels[name]
    stem, _, code = name.rpartition("_")
    if code in LANGS and stem and key_of(stem, table) is not None:  # free text in both languages: statement_en
        return text("column.in_language", lang, label=text(key_of(stem, table), lang), language=text(f"lang.{code}", lang))
    if MACHINE.fullmatch(name):
        raise MissingColumnLabel(table, [name])
    return name


def headers(columns: Iterable, lang: str = "zh", table: str = "", labels: Mapping[str, str] | None = None,
            written: bool = False) -> list[str]:
    """:func:`header` of every column; raises one MissingColumnLabel naming every column without a key, and
    MessageError when two columns get the same header; ParameterError for a bad ``lang``."""
    check_lang(lang)
    out, missing = [], []
    for name in columns:
        try:
            out.append(header(name, lang, table, labels, written))
        except MissingColumnLabel:
            missing.append(str(name))
    if missing:
        raise MissingColumnLabel(table, missing)
    repeated = sorted({h for h in out if out.count(h) > 1})
    if repeated:
        raise MessageError(f"table {table or '(unnamed)'}: columns share the header(s) {repeated}")
    return out


# Free text a written table holds in two languages under other names than <stem>_zh / <stem>_en (the external
# data's and the claims register's own columns): stem -> {lang: column}.
PAIRS: Mapping[str, Mapping[str, str]] = {
    "rule_label": {"zh": "rule_label_zh", "en": "rule_label"},
    "publisher": {"zh": "publisher", "en": "publisher_en"},
    "scope": {"zh": "scope_zh", "en": "scope"},
}


def written_headers(columns: Iterable, lang: str = "zh", table: str = "",
                    labels: Mapping[str, str] | None = None) -> dict[str, str]:
    """{name: written :func:`header`} of every column and of each stem :func:`in_language` heads a pair by ('statement'
    beside 'statement_zh', 'statement_en'): a written table's labels in ``lang``, looked up once. Raises as headers."""
    check_lang(lang)
    names = [str(c) for c in columns]
    names = list(dict.fromkeys(names + list(in_language(names, lang).values())))
    return dict(zip(names, headers(names, lang, table, labels, written=True)))


def in_language(columns: Iterable, lang: str) -> dict[str, str]:
    """The columns a workbook in ``lang`` shows, {column (as given, such as the rank 1): name it is headed by}: of
    free text in both languages (``<stem>_zh`` and ``<stem>_en``, or a pair of PAIRS) only the column in ``lang``,
    under its stem ('statement_zh' -> 'statement' in zh); every other column as it is. ParameterError for a bad
    ``lang``."""
    check_lang(lang)
    columns = list(columns)
    names = {str(c) for c in columns}
    stems = {n.rpartition("_")[0] for n in names if n.rpartition("_")[2] in LANGS}
    pairs = {**{stem: {code: f"{stem}_{code}" for code in LANGS} for stem in stems}, **PAIRS}
    pairs = {stem: pair for stem, pair in pairs.items() if set(pair.values()) <= names}  # both columns present
    drop = {c for pair in pairs.values() for code, c in pair.items() if code != lang}
    rename = {pair[lang]: stem for stem, pair in pairs.items()}
    return {c: rename.get(str(c), str(c)) for c in columns if str(c) not in drop}


def check_machine(columns: Iterable, table: str) -> None:
    """Refuse a written table whose headers are not machine names (snake_case ASCII, or a year such as '2015'):
    MessageError naming the table and every such header."""
    bad = [str(c) for c in columns if not (MACHINE.fullmatch(str(c)) or str(c).isdigit())]
    if bad:
        raise MessageError(f"table {table}: column(s) {bad} are not snake_case codes: a written table is headed by "
                           f"machine names (report.columns), the same in every language; labels are for pages")


def resource(name: str, df, path: str, title: dict[str, str], titles: Mapping[str, Mapping[str, str]]) -> dict:
    """The Frictionless tabular data resource of one written table: name, path, title (English), title_zh, format,
    encoding, and a schema whose fields give name, type (integer, number, boolean, string), title (English),
    title_zh and, where fields.csv gives them, unit and description. ``title``: {'zh': …, 'en': …}; ``titles``:
    {lang: {column: header}} (:func:`written_headers`)."""
    kinds, fields = {"i": "integer", "u": "integer", "f": "number", "b": "boolean"}, []
    for column, dtype in zip(map(str, df.columns), df.dtypes):
        row = field_rows().get(("", column), {})
        fields.append({"name": column, "type": kinds.get(dtype.kind, "string"), "title": titles["en"][column],
                       "title_zh": titles["zh"][column], **{k: row[k] for k in ("unit", "description") if row.get(k)}})
    return {"name": name, "path": path, "profile": "tabular-data-resource", "format": "csv", "mediatype": "text/csv",
            "encoding": "utf-8", "title": title["en"], "title_zh": title["zh"], "schema": {"fields": fields}}
