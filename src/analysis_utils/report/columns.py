"""Column headers of written and shown tables, in the run's language, from the catalogue (messages.csv).

Library frames carry machine column names (snake_case ASCII: ``claim``, ``rank_p05``, ``source_id``). Every
table a run writes (report.writers.RunOutputs) and every library frame a page shows (report.present.localise)
is headed by :func:`headers`: a machine name is looked up, in this order, in

1. ``TABLE_KEYS[table][name]``: a key for one table, where a name means something else there
   (external_checks' ``before`` is the verdict before the external check, not a value before a treatment);
2. the families ``verdict.<name>`` (claims.VERDICTS), ``external.verdict.<name>`` (external.EXTERNAL_VERDICTS)
   and ``factor.<name>`` (sensitivity.FACTORS): columns named by a verdict or a sensitivity factor;
3. ``column.<name>`` for a name in :data:`COLUMNS`; ``contribution_<indicator>`` as ``column.contribution``.

A machine-style name found nowhere raises :class:`MissingColumnLabel` naming the table, every such column and
the catalogue rows to add. Other headers (already localised: '所在地区', 'Year'; numbers: '1') are kept.

Reading a written table back: :func:`machine_names` inverts the same lookup for one table (a header may be in
either language), so code that reads a CSV (report.index_page.claims_summary, tests) uses the machine names whatever
language the run wrote. The labels of one table are distinct in each language (tests/test_columns.py).
"""
from __future__ import annotations

import functools
import re
from typing import Iterable, Mapping

from analysis_utils.errors import MessageError

# A machine column name: lower-case ASCII words joined by '_'. Such a header must have a catalogue key.
MACHINE = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*")

# Every machine column name a notebook writes or shows, each with a key column.<name> in messages.csv.
COLUMNS = (
    # a batch of builds (report.batch)
    "build", "focus", "report", "status", "problem", "gap_indicator", "gap_peer", "gap_ratio", "gap_bound",
    # composite (index.treat_censored_missing, uncertainty), localised views
    "entity", "indicator", "qualifier", "before", "after", "action", "score", "rank",
    "nominal_rank", "median_rank", "mean_rank", "rank_p05", "rank_p95",
    # printed vs recomputed (claims.compare_printed)
    "claim", "statement", "printed", "recomputed", "exact", "interval", "agree",
    # the claims audit (claims.audit) and its summary
    "section", "source", "kind", "statement_zh", "statement_en", "value", "value_high", "decimals", "unit", "items",
    "check", "rule", "rule_alt", "readings", "rule_label", "rule_label_zh", "note", "source_line", "verdict",
    "basis", "recomputed_alt", "verdict_rule", "verdict_alt", "reading", "band_low", "band_high", "band_units",
    "strength", "explanation", "detail", "all", "what", "why",
    # comparisons (compare.table2_ratios, compare.normalised)
    "indicator_label", "entity_label", "unit_label", "ratio", "ratio_bound", "bound",
    # external checks (audit.external, analysis.external_series, data.external)
    "item", "place", "year", "external_value", "difference", "relative", "item_verdict", "verdict_before", "newly_checked",
    "source_id", "publisher", "url", "location", "part", "whole", "share", "title", "date_published",
    "date_accessed", "scope", "source_file", "publisher_en", "scope_zh",
    # composite weights (composite.indicators.weights_table)
    "nominal_weight", "weight_in_use",
)
# Per-table keys where a name means something else in that table (or has the table's own label already).
# The machine tables (the audit and the external checks, one row per record) keep the data's own codes and the
# report's Chinese (entity ids, units, 表2 / 一(二)1, rules): their headers say so in English.
_RECORD = {"section": "original.section", "source": "original.source", "unit": "original.unit",
           "items": "original.items", "rule": "original.rule", "rule_alt": "original.rule_alt", "note": "original.note"}
# The audit's and the external checks' categorical columns keep their codes (claims_summary and readers' scripts
# count them; the pages show them in words through audit.views and audit.external's views): written tables head
# them as codes, '判定（代码）' / 'Verdict (code)'; so do the bound codes of the ratio tables.
_CODES = {"kind": "code.kind", "qualifier": "code.qualifier", "check": "code.check", "readings": "code.readings",
          "verdict": "code.verdict", "basis": "code.basis", "verdict_rule": "code.verdict_rule",
          "verdict_alt": "code.verdict_alt", "reading": "code.reading", "strength": "code.strength"}
TABLE_KEYS: Mapping[str, Mapping[str, str]] = {
    "claims_audit": {**_RECORD, **_CODES},
    "claims_summary": {"basis": "code.basis"},
    "table2_ratios_to_focus": {"ratio_bound": "code.ratio_bound"},
    "normalised_indicators": {"bound": "code.bound"},
    "external_summary": {"kind": "code.kind"},
    "external_share_series": {"indicator": "code.indicator"},
    "not_checkable": {"source": "original.source"},
    "external_sources": {"publisher": "external.col.publisher_original", "title": "external.source_title"},
    "external_checks": {"before": "code.verdict_before", "entity": "original.entity", "source": "original.where",
                        "kind": "code.kind", "indicator": "code.indicator", "item_verdict": "code.item_verdict",
                        "unit": "original.unit", "item": "original.item",
                        "statement": "external.col.statement", "printed": "external.col.printed",
                        "external_printed": "external.col.external_printed",
                        "external_year": "external.col.external_year", "verdict": "code.external_verdict",
                        "published": "external.col.published", "quote": "external.col.quote"},
}


class MissingColumnLabel(MessageError):
    """Raised when a table has machine-style column names with no catalogue key; names them and the fix."""

    def __init__(self, table: str, columns: list[str]):
        self.table, self.columns = table, list(columns)
        rows = "; ".join(f"column.{c},<zh>,<en>" for c in self.columns)
        super().__init__(f"table {table or '(unnamed)'}: no catalogue label for column(s) "
                         f"{', '.join(repr(c) for c in self.columns)}: add rows {rows} to messages.csv next to "
                         f"the related column.* keys and the name(s) to report.columns.COLUMNS")


@functools.cache
def _families() -> dict[str, str]:
    """Column name -> catalogue key for the columns named by a verdict or a sensitivity factor."""
    from analysis_utils.audit.external import EXTERNAL_VERDICTS
    from analysis_utils.audit.words import VERDICTS
    from analysis_utils.composite.sensitivity import FACTORS

    keys = {v: f"verdict.{v}" for v in VERDICTS}
    keys.update({v: f"external.verdict.{v}" for v in EXTERNAL_VERDICTS})
    keys.update({f: f"factor.{f}" for f in FACTORS})
    return keys


def key_of(name: str, table: str = "") -> str | None:
    """The catalogue key heading machine column ``name`` in ``table`` (see the module's order), or None."""
    own = TABLE_KEYS.get(table, {})
    if name in own:
        return own[name]
    if name in COLUMNS:  # before the families, which import the audit and the composite (pandas): the two are disjoint
        return f"column.{name}"
    return _families().get(name)


def header(name, lang: str = "zh", table: str = "", labels: Mapping[str, str] | None = None) -> str:
    """The header of column ``name`` in ``lang``: its catalogue label (:func:`key_of`), 'contribution_<id>' as
    column.contribution with the indicator's label from ``labels`` (id -> label), any other header unchanged.
    Raises MissingColumnLabel for a machine-style name without a key, ParameterError for a bad ``lang``."""
    from analysis_utils.labels import check_lang, text

    check_lang(lang)
    name = str(name)
    if name.startswith("contribution_"):
        indicator = name[len("contribution_"):]
        return text("column.contribution", lang, indicator=(labels or {}).get(indicator, indicator))
    key = key_of(name, table)
    if key is not None:
        return text(key, lang)
    if MACHINE.fullmatch(name):
        raise MissingColumnLabel(table, [name])
    return name


def headers(columns: Iterable, lang: str = "zh", table: str = "", labels: Mapping[str, str] | None = None
            ) -> list[str]:
    """:func:`header` of every column; raises one MissingColumnLabel naming every column without a key, and
    MessageError when two columns get the same header; ParameterError for a bad ``lang``."""
    from analysis_utils.labels import check_lang

    check_lang(lang)
    out, missing = [], []
    for name in columns:
        try:
            out.append(header(name, lang, table, labels))
        except MissingColumnLabel:
            missing.append(str(name))
    if missing:
        raise MissingColumnLabel(table, missing)
    repeated = sorted({h for h in out if out.count(h) > 1})
    if repeated:
        raise MessageError(f"table {table or '(unnamed)'}: columns share the header(s) {repeated}")
    return out


@functools.cache
def _inverse(table: str) -> dict[str, str]:
    """Header (either language) -> machine name for the general columns and ``table``'s own; imports nothing heavy,
    so reading a written table back on a cache hit (report.index_page.claims_summary) loads no pandas."""
    from analysis_utils.labels import LANGS, text

    inverse = {text(f"column.{n}", code): n for n in sorted(COLUMNS) for code in LANGS}
    inverse.update({text(key, code): n for n, key in TABLE_KEYS.get(table, {}).items() for code in LANGS})
    return inverse  # a table's own labels win over the general ones


@functools.cache
def _inverse_families() -> dict[str, str]:
    from analysis_utils.labels import LANGS, text

    return {text(key, code): n for n, key in _families().items() for code in LANGS}


def machine_names(columns: Iterable, table: str = "", families: bool = True) -> list[str]:
    """The machine names of a written table's headers (either language; :func:`header` inverted for
    ``table``); a header that is no catalogue label (a number, an indicator's own header) is kept.
    ``families=False`` skips the columns named by a verdict or a factor, whose lists import pandas."""
    inverse = _inverse(table)
    out = []
    for c in map(str, columns):
        out.append(inverse[c] if c in inverse else _inverse_families().get(c, c) if families else c)
    return out


def read_table(path, table: str | None = None, **kwargs):
    """A CSV written by RunOutputs as a DataFrame with machine column names (:func:`machine_names`; ``table``
    defaults to the file's stem). ``kwargs`` go to pandas.read_csv (encoding utf-8-sig by default)."""
    from pathlib import Path

    import pandas as pd

    kwargs.setdefault("encoding", "utf-8-sig")
    df = pd.read_csv(path, **kwargs)
    df.columns = machine_names(df.columns, Path(path).stem if table is None else table)
    return df
