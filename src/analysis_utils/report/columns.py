"""Column names of written tables (snake_case codes, the same in every language) and their labels.

Every CSV a run writes is headed by machine names (snake_case ASCII: ``claim``, ``rank_p05``, ``source_id``) and
holds codes, identical for a zh and an en build (:func:`check_machine` refuses any other header). Labels are for
people: workbooks and pages head a column by :func:`header` in the run's language, and each build's
``datapackage.json`` (Frictionless Data Package, :func:`resource`) gives every field its English ``title``, its
``title_zh``, and where known its unit and description. A machine name is looked up, in this order, in

1. ``TABLE_KEYS[table][name]``: a key for one table, where a name means something else there
   (external_checks' ``before`` is the verdict before the external check, not a value before a treatment);
2. the families ``verdict.<name>`` (claims.VERDICTS), ``external.verdict.<name>`` (external.EXTERNAL_VERDICTS)
   and ``factor.<name>`` (sensitivity.FACTORS): columns named by a verdict or a sensitivity factor;
3. ``column.<name>`` for a name in :data:`COLUMNS`; ``contribution_<indicator>`` as ``column.contribution``;
   ``<name>_zh`` / ``<name>_en`` (free text kept in both languages) as ``<name>`` with the language named.

A machine-style name found nowhere raises :class:`MissingColumnLabel` naming the table, every such column and
the catalogue rows to add.
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
    "entity", "indicator", "qualifier", "before", "after", "action", "side", "method", "count", "score", "rank",
    "nominal_rank", "median_rank", "mean_rank", "rank_p05", "rank_p95",
    # printed vs recomputed (claims.compare_printed)
    "claim", "statement", "printed", "recomputed", "exact", "interval", "recomputed_value", "agree",
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
    "external_unit", "location_zh", "location_en",
    "date_accessed", "scope", "source_file", "publisher_en", "scope_zh",
    # composite weights (composite.indicators.weights_table)
    "nominal_weight", "weight_in_use",
    # report tables as numbers (analysis.tables), comparisons per denominator, the composite's inputs
    "growth", "invention_growth", "year_inferred", "denominator", "n_values", "ranked",
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
# The prose numbers' tables: location is the place in the report, source where the number's main record stands.
_PROSE = {"location": "original.source", "source": "prose.source"}
TABLE_KEYS: Mapping[str, Mapping[str, str]] = {
    "claims_audit": {**_RECORD, **_CODES},
    "table2_claims": {**_RECORD, **_CODES},  # the claims audit's rows of 表2
    "section1_prose_figures": _PROSE, "section2_prose_figures": _PROSE, "section3_prose_figures": _PROSE,
    "claims_summary": {"basis": "code.basis"},
    "table2_ratios_to_focus": {"ratio_bound": "code.ratio_bound"},
    "normalised_indicators": {"bound": "code.bound"},
    "external_summary": {"kind": "code.kind"},
    "external_share_series": {"indicator": "code.indicator"},
    "not_checkable": {"source": "original.source"},
    "gaps_required_growth": {c: f"gap.{c}" for c in ("ratio", "position", "required_growth", "peer_growth_basis",
                                                      "focus_growth", "focus_growth_basis", "years_to_close")}
    | {"peer_growth": "column.peer_growth", "ratio_bound": "code.ratio_bound"},
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
    from analysis_utils.audit.codes import VERDICTS
    from analysis_utils.audit.external import EXTERNAL_VERDICTS
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
    from analysis_utils.labels import LANGS, check_lang, text

    check_lang(lang)
    name = str(name)
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


# Columns of written tables that hold codes (of the data, the audit, the analysis): a workbook and the
# datapackage.json head them as codes ('指标（代码）', 'Indicator (code)': catalogue ``column.code`` around the
# column's label) unless their own key says so already, so that a reader does not take 'gdp' for a word.
CODE_COLUMNS = frozenset({
    "indicator", "qualifier", "kind", "check", "readings", "verdict", "basis", "verdict_rule", "verdict_alt",
    "reading", "strength", "ratio_bound", "bound", "item_verdict", "denominator", "position", "peer_growth_basis",
    "focus_growth_basis", "why", "action", "side", "method"})
# Free text a written table holds in two languages under other names than <stem>_zh / <stem>_en (the external
# data's and the claims register's own columns): stem -> {lang: column}.
PAIRS: Mapping[str, Mapping[str, str]] = {
    "rule_label": {"zh": "rule_label_zh", "en": "rule_label"},
    "publisher": {"zh": "publisher", "en": "publisher_en"},
    "scope": {"zh": "scope_zh", "en": "scope"},
}


def written_header(name, lang: str = "zh", table: str = "", labels: Mapping[str, str] | None = None) -> str:
    """The header of machine column ``name`` in a workbook or datapackage.json in ``lang``: :func:`header`, and for
    a code column (CODE_COLUMNS) the catalogue's ``column.code`` around it ('指标（代码）'). Raises as header
    does."""
    from analysis_utils.labels import text

    shown = header(name, lang, table, labels)
    mark = text("column.code", lang, label="")
    if str(name) in CODE_COLUMNS and not shown.endswith(mark):
        return text("column.code", lang, label=shown)
    return shown


def written_headers(columns: Iterable, lang: str = "zh", table: str = "",
                    labels: Mapping[str, str] | None = None) -> dict[str, str]:
    """{name: :func:`written_header`} of every column and of the stem of every pair :func:`in_language` shows
    under its stem ('statement' beside 'statement_zh' and 'statement_en'): every label a written table needs in
    ``lang``, looked up once. Raises one MissingColumnLabel naming every column without a key; MessageError when
    two columns a workbook shows get the same header; ParameterError for a bad ``lang``."""
    from analysis_utils.labels import check_lang

    check_lang(lang)
    names = [str(c) for c in columns]
    out, missing = {}, []
    for name in dict.fromkeys(names + list(in_language(names, lang).values())):
        try:
            out[name] = written_header(name, lang, table, labels)
        except MissingColumnLabel:
            missing.append(name)
    if missing:
        raise MissingColumnLabel(table, missing)
    shown = [out[stem] for stem in in_language(names, lang).values()]
    repeated = sorted({h for h in shown if shown.count(h) > 1})
    if repeated:
        raise MessageError(f"table {table or '(unnamed)'}: columns share the header(s) {repeated}")
    return out


def in_language(columns: Iterable, lang: str) -> dict[str, str]:
    """The columns a workbook in ``lang`` shows, {column: name it is headed by}: of free text held in both
    languages (``<stem>_zh`` and ``<stem>_en``, or a pair of PAIRS) only the column in ``lang``, under its stem
    ('statement_zh' -> 'statement' in zh; 'statement_en' left out); every other column as it is (a column keeps
    its own name, such as the rank 1; the name it is headed by is text). The CSV keeps both. ParameterError for a
    bad ``lang``."""
    from analysis_utils.labels import LANGS, check_lang

    check_lang(lang)
    columns = list(columns)
    names = [str(c) for c in columns]
    pairs = {stem: {code: f"{stem}_{code}" for code in LANGS} for stem in
             {n.rpartition("_")[0] for n in names if n.rpartition("_")[2] in LANGS}}
    pairs |= PAIRS
    drop, rename = set(), {}
    for stem, per_language in pairs.items():
        if all(c in names for c in per_language.values()):
            drop |= {c for code, c in per_language.items() if code != lang}
            rename[per_language[lang]] = stem
    return {c: rename.get(str(c), str(c)) for c in columns if str(c) not in drop}


# How a workbook shows the numbers of a column, by kind (the stored number is the CSV's, at most
# writers.FLOAT_DIGITS significant digits: the workbook sets the display only, so a formula or a re-check reads
# the full value). 'value' is per cell: the number at its own decimals (a number of the data at its printed
# precision), at most four.
NUMBER_FORMATS = {"year": "0", "count": "#,##0", "ratio": "0.00", "index": "0.000", "percent1": "0.0",
                  "percent2": "0.00", "fraction": "0.0%", "years": "0.0"}
KINDS: Mapping[str, str] = {
    # years and ids that are numbers
    "year": "year", "external_year": "year", "source_line": "year",
    # counts and ranks
    "count": "count", "n_values": "count", "decimals": "count", "rank": "count", "nominal_rank": "count",
    "median_rank": "count", "rank_p05": "count", "rank_p95": "count", "patent_grants": "count",
    "invention_patent_grants": "count", "all": "count", "newly_checked": "count",
    # ratios, scores, weights, indices
    "ratio": "ratio", "gap_ratio": "ratio", "mean_rank": "ratio", "band_units": "ratio",
    "score": "index", "nominal_weight": "index", "weight_in_use": "index", "before": "index", "after": "index",
    "exact": "index",
    # in per cent (the header says %), and shares of 1 shown as per cent
    "growth": "percent1", "invention_growth": "percent1", "share": "percent2",
    "required_growth": "fraction", "focus_growth": "fraction", "peer_growth": "fraction", "relative": "fraction",
    "years_to_close": "years",
}
# Tables whose other number columns are of one kind: the composite's inputs (per 10k residents) and its
# sensitivity indices, the share of samples giving each rank.
TABLE_KINDS: Mapping[str, str] = {"composite_inputs": "index", "composite_scores": "index",
                                  "composite_sensitivity": "ratio", "composite_position_sensitivity": "ratio",
                                  "composite_rank_frequency": "fraction", "normalised_indicators": "index",
                                  "claims_summary": "count", "external_summary": "count"}


def number_format(name, table: str = "") -> str | None:
    """The Excel number format of machine column ``name`` of ``table`` (NUMBER_FORMATS of its kind: KINDS, else the
    table's TABLE_KINDS), or None: each number at its own decimals (writers.cell_value). A count of a table of
    counts stays a count whatever its name; the 'value' of a derived table (normalised_indicators) follows the
    table."""
    name = str(name)
    kind = TABLE_KINDS.get(table) if name == "value" and table in TABLE_KINDS else KINDS.get(name, TABLE_KINDS.get(table))
    return NUMBER_FORMATS.get(kind) if kind else None


def check_machine(columns: Iterable, table: str) -> None:
    """Refuse a written table whose headers are not machine names (snake_case ASCII, or a year such as '2015'):
    MessageError naming the table and every such header."""
    bad = [str(c) for c in columns if not (MACHINE.fullmatch(str(c)) or str(c).isdigit())]
    if bad:
        raise MessageError(f"table {table}: column(s) {bad} are not snake_case codes: a written table is headed by "
                           f"machine names (report.columns), the same in every language; labels are for pages")


# Unit and description of fields whose meaning is fixed (the datapackage.json of a build): name -> (unit, text).
FIELD_META: Mapping[str, tuple[str, str]] = {
    "entity": ("", "District or other entity: its id in data/entities.csv (the Chinese name)"),
    "indicator": ("", "Indicator id of data/indicators.csv"),
    "year": ("year", "Calendar year the value refers to"),
    "source": ("", "Place in the report: 表N (table N) or a section path such as 一(二)3"),
    "printed": ("", "The number exactly as printed, with its qualifier and unit"),
    "value": ("see unit", "The printed number as a number, in the row's unit"),
    "unit": ("", "Unit as printed in the report (亿元, 万人, %, …)"),
    "qualifier": ("", "Qualifier code of data/qualifiers.csv (gt: more than, approx: about, …)"),
    "claim": ("", "Claim id of data/claims.csv"),
    "verdict": ("", "Verdict code: reproduced, consistent, implied, unverifiable or inconsistent"),
    "basis": ("", "What the verdict rests on: recomputed, restated, counted, compared, bounded, derived, self, none"),
    "band_low": ("claim's unit", "Lowest printed value the check accepts (-inf: unbounded)"),
    "band_high": ("claim's unit", "Highest printed value the check accepts (inf: unbounded)"),
    "band_units": ("units of the last printed digit", "Width of the accepted band"),
    "strength": ("", "Strength of the check: tight, loose, open"),
    "ratio": ("times", "Peer value over the focus district's value"),
    "ratio_bound": ("", "Whether the ratio is exact or a bound (from the qualifiers of the two values)"),
    "score": ("index points", "Composite indicator score"),
    "nominal_rank": ("rank", "Rank with the nominal options (1 = highest score)"),
    "rank_p05": ("rank", "5th percentile of the rank over the uncertainty samples"),
    "rank_p95": ("rank", "95th percentile of the rank over the uncertainty samples"),
    "nominal_weight": ("share of 1", "Weight as set"), "weight_in_use": ("share of 1", "Weight after re-scaling"),
    "external_value": ("see external_unit", "The published figure as a number"),
    "difference": ("report's unit", "Published minus printed"),
    "relative": ("share of 1", "Difference over the printed value"),
    "share": ("%", "Part over whole, in per cent"),
    "source_id": ("", "Source id of data/external/sources.csv"),
    "url": ("", "Address of the source"),
}


def resource(name: str, df, path: str, title: dict[str, str], labels: Mapping[str, Mapping[str, str]] | None = None,
             titles: Mapping[str, Mapping[str, str]] | None = None) -> dict:
    """The Frictionless tabular data resource of one written table: name, path, title (English), title_zh, format,
    encoding, and a schema whose fields give name, type (integer, number, boolean, string), title (English),
    title_zh (:func:`written_header`) and, where FIELD_META knows them, unit and description. ``title``:
    {'zh': …, 'en': …}; ``labels``: {lang: {indicator id: label}} for contribution_<indicator> columns;
    ``titles``: {lang: {column: header}} already looked up (:func:`written_headers`), else looked up here."""
    titles = titles or {code: written_headers(df.columns, code, name, (labels or {}).get(code)) for code in ("zh", "en")}
    fields = []
    for column in df.columns:
        kind = df[column].dtype.kind
        field = {"name": str(column), "type": {"i": "integer", "u": "integer", "f": "number", "b": "boolean"}.get(
            kind, "string"), "title": titles["en"][str(column)], "title_zh": titles["zh"][str(column)]}
        unit, description = FIELD_META.get(str(column), ("", ""))
        field |= {k: v for k, v in (("unit", unit), ("description", description)) if v}
        fields.append(field)
    return {"name": name, "path": path, "profile": "tabular-data-resource", "format": "csv", "mediatype": "text/csv",
            "encoding": "utf-8", "title": title["en"], "title_zh": title["zh"], "schema": {"fields": fields}}
