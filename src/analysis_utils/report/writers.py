"""Atomic writers: every file is written to a temporary name beside its target, then renamed.

An interrupted run therefore never leaves a half-written file that looks complete.
"""
from __future__ import annotations

import contextlib
import io
import json
import os
import re
import tempfile
from fnmatch import fnmatchcase
from pathlib import Path
from typing import TYPE_CHECKING, Iterator, Mapping, Sequence

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


# Floats are written with at most this many significant digits: enough for every number of the data (at most
# 8 digits) and for any computed value a reader checks, few enough to drop binary noise (0.1 + 0.2 is
# 0.30000000000000004; written as 0.3). The CSV and the workbook store the same rounded number; a page shows
# the table's display precision (present.show_table ``precision``) of that number.
FLOAT_DIGITS = 10


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


def tidy_float(value: float) -> float:
    """``value`` rounded to FLOAT_DIGITS significant digits (its shortest repr then has at most that many);
    NaN and ±inf unchanged. 499.71600000000001 -> 499.716, 2/3 -> 0.6666666667."""
    value = float(value)
    return value if value != value or value in (float("inf"), float("-inf")) else float(f"{value:.{FLOAT_DIGITS}g}")


def tidy_floats(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` with every float (float columns, and floats inside text columns) passed through
    :func:`tidy_float`; other values, the index and the headers unchanged."""
    out = df.copy()
    for i in range(out.shape[1]):
        col = out.iloc[:, i]
        if col.dtype.kind == "f" or col.dtype == object:  # float64, Float64 (pd.NA stays), floats in text
            out.isetitem(i, col.map(lambda v: tidy_float(v) if isinstance(v, float) else v).astype(col.dtype))
    return out


def write_csv(df: pd.DataFrame, target: str | os.PathLike, index: bool = False) -> Path:
    """CSV for scripts: UTF-8 without BOM, '\\n' line endings, floats as :func:`tidy_floats` writes them (at most
    FLOAT_DIGITS significant digits, Python's shortest form: '0.3', '1e-05'), a whole number of a float column as a
    whole number ('4481', not '4481.0': a count beside 87.42 in one column is still a count). Excel users open the
    workbooks."""
    import pandas as pd

    out = tidy_floats(df)
    for i in range(out.shape[1]):
        if out.iloc[:, i].dtype.kind == "f":
            out.isetitem(i, pd.Series([int(v) if not pd.isna(v) and float(v).is_integer() and abs(v) < 1e15 else v
                                       for v in out.iloc[:, i]], index=out.index, dtype=object))
    with atomic_path(target) as tmp:
        out.to_csv(tmp, index=index, encoding="utf-8", lineterminator="\n")
    return Path(target)


DATAPACKAGE = "datapackage.json"  # a run's (and a build's) Frictionless descriptor of its tables


def read_datapackage(folder: str | os.PathLike) -> dict:
    """The datapackage.json a run wrote in ``folder`` ({} when there is none or it is not JSON)."""
    try:
        return json.loads((Path(folder) / DATAPACKAGE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


TITLE_KEYS = {"zh": "title_zh", "en": "title"}  # a datapackage field's title in each language


def combine_datapackages(folders: Mapping[str, str | os.PathLike], target: str | os.PathLike, name: str) -> Path:
    """One datapackage.json for a build (``target``, in the site folder): every resource of the runs' own
    descriptors (``folders``: {notebook name: its folder}), named ``<notebook number>_<table>`` and with its path
    relative to ``target``'s folder. Returns the path written."""
    root, resources = Path(target).parent, []
    for notebook, folder in folders.items():
        for r in read_datapackage(folder).get("resources", []):
            path = (Path(folder) / r["path"]).resolve().relative_to(root.resolve()).as_posix()
            resources.append({**r, "name": f"{notebook.split('_')[0]}_{r['name']}", "path": path})
    package = {"profile": "tabular-data-package", "name": name, "resources": resources}
    return write_text(target, json.dumps(package, ensure_ascii=False, indent=1))


def field_titles(descriptor: dict, lang: str) -> dict[str, list[str]]:
    """{resource path: its fields' titles in ``lang``} from a datapackage descriptor (title is English, title_zh
    Chinese): how a workbook heads a CSV it reads back. ParameterError for a bad ``lang``."""
    from analysis_utils.labels import check_lang

    key = TITLE_KEYS[check_lang(lang)]
    return {r["path"]: [f.get(key) or f["name"] for f in r.get("schema", {}).get("fields", [])]
            for r in descriptor.get("resources", [])}


# A printed cell: optional text before (">", "约", "-"), a number, optional text after ("%", "万"); the number is
# stored as a number and the text kept by a number format, so the cell sums and still reads as printed.
_PRINTED = re.compile(r"^(?P<pre>[^\d\-+.]*?)(?P<num>[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:[eE][-+]?\d+)?)"
                      r"(?P<post>[^\d]*)$")
_MAX_WIDTH = 60
# The text a qualifier puts around a printed number, in both languages (messages.csv qualifier.<code>):
# only these make a text cell a number with a format; '表2' or '2011年' stay text.
_QUALIFIER_TEXT = ("", ">", "≥", "≤", "<", "约", "~", "近", "nearly ", "余", "+")


_INFINITE = ("inf", "-inf", "+inf", "infinity", "-infinity", "+infinity")  # how pandas and Python write ±inf


def cell_value(value) -> tuple[object, str | None]:
    """(value for the sheet, number format or None) for one table cell: a number stays a number (floats shown
    with up to 4 decimals, integers with thousands separators); text that is a number with a qualifier or a
    unit around it (">200", "约1", "28.7%") becomes the number with a format that shows the text ('">"0');
    other text stays text. NaN, '', and ±infinity (a float, or the text 'inf'/'-inf' a CSV holds: an open
    band limit) give an empty cell."""
    import pandas as pd

    if value is None or (not isinstance(value, (str, bytes)) and pd.api.types.is_scalar(value) and pd.isna(value)) \
            or (isinstance(value, str) and value == ""):
        return None, None
    if isinstance(value, bool):
        return value, None
    if isinstance(value, int) or (hasattr(value, "dtype") and getattr(value.dtype, "kind", "") in "iu"):
        return int(value), "#,##0"
    if isinstance(value, float) or (hasattr(value, "dtype") and getattr(value.dtype, "kind", "") == "f"):
        value = tidy_float(value)  # the number the CSV holds
        if value != value or value in (float("inf"), float("-inf")):
            return None, None  # a sheet has no NaN or infinity: an empty cell, as in the CSV's empty field
        return value, "#,##0" if value.is_integer() and abs(value) < 1e15 else "#,##0.0###"
    text = str(value).strip()
    if text.lower() in _INFINITE:
        return None, None  # an infinite band limit, written 'inf' by the CSV: an empty cell, as a float infinity
    m = _PRINTED.match(text)
    if not m or m["pre"] not in _QUALIFIER_TEXT or m["post"] not in _QUALIFIER_TEXT + ("%",):
        return str(value), None
    if "e" in m["num"].lower():
        return float(m["num"]), "General"
    digits = m["num"].replace(",", "")
    if re.match(r"[-+]?0\d", digits):  # a code such as '0101' keeps its leading zero
        return str(value), None
    number = float(digits)
    decimals = len(digits.split(".")[1]) if "." in digits and "e" not in digits.lower() else 0
    body = ("#,##0" if "," in m["num"] else "0") + ("." + "0" * decimals if decimals else "")
    quote = lambda t: f'"{t}"' if t else ""  # noqa: E731
    fmt = quote(m["pre"]) + body + quote(m["post"])
    if m["post"].strip() == "%":  # 28.7% is 0.287 shown as 28.7%, so formulas see the share
        number, fmt = number / 100, quote(m["pre"]) + body + "%"
    return (int(number) if decimals == 0 and number.is_integer() and m["post"].strip() != "%" else number), fmt


def _width(value) -> int:
    text = "" if value is None else str(value)
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _column_format(fmt: str | None, cell_format: str | None, value) -> str | None:
    """The number format of one cell: its column's ``fmt`` (number_format) for a plain number, the
    cell's own (``cell_format`` of cell_value) for a number with a qualifier or a per cent sign ('">"0', '0.0%':
    a printed form) or when the column has none."""
    plain = cell_format is None or not any(ch in cell_format for ch in '"%')
    number = isinstance(value, (int, float)) and not isinstance(value, bool)
    return fmt if fmt and number and plain else cell_format


# A row whose source column (other_source_rows) names a source, not the report: its numbers are shown with
# OTHER_MARK (an Excel number format with a literal suffix: the cell stays a number), the row is shaded, and the
# contents sheet notes it.
_MARK_FILL = "FFF2CC"


# Tables of the external checks (notebook 06): every row sets a published figure beside the report's number by
# design, and their columns say which is which, so no row is marked as holding another source's number.
UNMARKED_TABLES = ("external_checks", "external_sources", "external_summary", "external_share_series")


# The source column that speaks for a column, where it is not the row's own (other_source_rows): a ratio table's
# value is the row's number (compare.ratio_to_focus), the batch's gap and rank columns have their own sources.
_OWN_SOURCES = {"value": "value_source_ids", "gap_*": "gap_source_ids", "rank*": "rank_source_ids"}  # fnmatch patterns
# Columns no number of the data is behind: the analyst's assumptions of growth (analysis.growth.gap_table).
_ASSUMED = ("peer_growth", "focus_growth")


def other_source_rows(df: pd.DataFrame, columns=None, table: str = "") -> list[list[bool]] | None:
    """Which cells of a table as written (machine columns) hold a number that is not the report's: one list per row,
    one bool per column of ``columns`` (default ``df.columns``; the workbook marks the numbers among them: a name or
    a code is not marked). A column's source column is its own where it has one (_OWN_SOURCES: ``value``:
    ``value_source_ids``; ``gap_*``: ``gap_source_ids``; ``rank*``: ``rank_source_ids``), else the row's
    (``source_id``, ``source_ids`` or population_concepts' ``population_source_id``); a cell is marked where that
    names a source. Years, counts of the table's own (``n_*``) and assumed growth rates are never marked. None for a
    table with no source column, or one of UNMARKED_TABLES (``table``)."""
    # population_concepts' own number, not its resident_source_id (a published figure's)
    row_source = next((c for c in ("source_id", "source_ids", "population_source_id") if c in df.columns), None)
    names = [str(c) for c in (df.columns if columns is None else columns)]

    def source_of(name: str) -> str | None:
        if name == "year" or name.startswith(("year_", "n_")) or name.endswith(("_year", "source_id", "source_ids")) \
                or name in _ASSUMED:
            return None
        own = next((c for pattern, c in _OWN_SOURCES.items() if c in df.columns and fnmatchcase(name, pattern)), None)
        return own or row_source

    sources = [source_of(n) for n in names]
    if table in UNMARKED_TABLES or not any(sources):
        return None
    named = {c: [isinstance(v, str) and v.strip() != "" for v in df[c]] for c in set(sources) - {None}}
    return [[c is not None and named[c][i] for c in sources] for i in range(len(df))]


def _fill_sheet(ws, df: pd.DataFrame, formats: Sequence[str | None] | None = None,
                marked: list[list[bool]] | None = None) -> None:
    """Header row (bold, frozen, filtered), typed cells (cell_value), each number column shown by its kind
    (``formats``: one Excel number format or None per column), column widths from the content; the rows
    ``marked`` (other_source_rows: per row, per column) shaded, and their marked numbers shown with the mark †."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    from analysis_utils.report.names import OTHER_MARK

    if not len(df.columns):
        return
    ws.append([str(c) for c in df.columns])
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    widths = [_width(c) for c in df.columns]
    formats = list(formats or []) + [None] * (len(df.columns) - len(formats or []))
    fill = PatternFill("solid", fgColor=_MARK_FILL)
    for row, cells in zip(df.itertuples(index=False), marked or [[False] * len(df.columns)] * len(df)):
        values = [(v, _column_format(f, fmt, v)) for (v, fmt), f in zip((cell_value(v) for v in row), formats)]
        # the cells of another source's numbers; a row with no number ('-' only) has none and is not shaded
        marked_cells = [cells[i] and isinstance(v, (int, float)) and not isinstance(v, bool)
                        for i, (v, _f) in enumerate(values)]
        mark = any(marked_cells)
        ws.append([v for v, _f in values])
        for cell, (_v, fmt), i in zip(ws[ws.max_row], values, range(len(values))):
            if marked_cells[i]:
                fmt = f'{fmt or "General"}"{OTHER_MARK}"'
            if fmt:
                cell.number_format = fmt
            if mark:
                cell.fill = fill
            widths[i] = max(widths[i], _width(_v if fmt is None else row[i]))
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = min(max(w, 6) + 2, _MAX_WIDTH)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(df.columns))}{max(ws.max_row, 1)}"


# The figures' titles of one notebook run, {file name: title in the run's language}, written by RunOutputs.finish
# beside the figures (figures/figures.json) so that the index can give each figure its title as alt text.
FIGURES_MANIFEST = "figures.json"

# Every table name a shipped notebook writes (RunOutputs.table), each with a title workbook.title.<name> in
# messages.csv: the workbook's contents sheet names a table by it (a user's own table by its name).
TABLE_TITLES = ('table1_patent_grants', 'table1_printed_vs_recomputed', 'table1_extended', 'section1_prose_figures',
                'table2_comparison', 'table2_claims', 'table2_ratios_to_focus', 'table3_talent', 'table4_makerspaces',
                'table4_printed_vs_recomputed', 'table5_industrial_firms', 'table5_printed_vs_recomputed',
                'section2_prose_figures', 'normalised_indicators', 'gaps_required_growth', 'section3_prose_figures',
                'claims_summary', 'claims_audit', 'not_checkable', 'composite_inputs', 'composite_treatment_record', 'composite_weights',
                'composite_scores', 'composite_rank_intervals', 'composite_rank_frequency',
                'composite_position_sensitivity', 'composite_sensitivity', 'external_sources', 'external_summary',
                'external_checks', 'external_share_series', 'population_concepts', 'per_resident_sensitivity',
                'composite_rank_resident')


def table_title(name: str, lang: str = "zh") -> str:
    """A written table's title in ``lang``: the catalogue's ``workbook.title.<name>`` for a name in
    TABLE_TITLES, else ``name`` itself. Raises ParameterError for a ``lang`` other than 'zh'/'en'."""
    from analysis_utils.labels import check_lang, text

    check_lang(lang)
    return text(f"workbook.title.{name}", lang) if name in TABLE_TITLES else name


def write_workbook(tables: Mapping[str, pd.DataFrame], target: str | os.PathLike,
                   provenance: Sequence[tuple[str, str]] | None = None, notebook: str = "",
                   lang: str = "zh", titles: Mapping[str, str] | None = None,
                   formats: Mapping[str, Sequence[str | None]] | None = None,
                   marks: Mapping[str, list[list[bool]] | None] | None = None) -> Path:
    """A workbook: a ``contents`` sheet (sheet, table's title, rows, columns), one sheet per table under a unique
    name of at most 31 characters (:func:`sheet_name`); the title is ``titles[name]``, by default
    :func:`table_title` of the table's name in ``lang``; numbers stored as
    numbers (:func:`cell_value`), bold frozen headers, column widths, and a ``provenance`` sheet of
    (label, value) rows (default: report.provenance.full of an empty run: commit, Python, lock file).
    ``tables`` maps a table name (or a sheet name already made by sheet_name) to its frame; ``notebook``
    (e.g. '05_composite_index') prefixes sheet names with its number, '' for none. The headers of the
    contents and provenance sheets are in ``lang`` (catalogue ``workbook.*``; the sheet names stay
    'contents' and 'provenance', as links and tests find them). ``formats``: {table name: a number format or
    None per column} (number_format), the display of each number column by its kind; the stored
    numbers are not rounded. ``marks``: {table name: other_source_rows} — those rows shaded, their numbers shown
    with †, and the table's contents row says so in its note column (catalogue ``workbook.other_mark``). Raises
    ParameterError for a bad ``lang``."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from analysis_utils.labels import check_lang, text
    from analysis_utils.report.provenance import full

    check_lang(lang)
    book = Workbook()
    contents = book.active
    contents.title = "contents"
    contents.append([text(f"workbook.{k}", lang) for k in ("sheet", "table", "rows", "columns", "note")])
    for cell in contents[1]:
        cell.font = Font(bold=True)
    taken = {"contents", "provenance"}
    for name, df in tables.items():
        sheet = sheet_name(notebook, str(name), taken)
        _fill_sheet(book.create_sheet(sheet), df, (formats or {}).get(name), (marks or {}).get(name))
        title = (titles or {}).get(name) or table_title(str(name), lang)
        marked = any(any(row) for row in (marks or {}).get(name) or [])
        contents.append([sheet, title, len(df), len(df.columns)] + ([text("workbook.other_mark", lang)] if marked else []))
        contents.cell(contents.max_row, 1).hyperlink = f"#'{sheet}'!A1"
    for col, width in zip("ABCDE", (34, 48, 8, 8, 60)):
        contents.column_dimensions[col].width = width
    contents.freeze_panes = "A2"
    _provenance_sheet(book, provenance if provenance is not None else full({}, lang), lang)
    return _save(book, target)


def sheet_name(notebook: str, table: str, taken: set[str]) -> str:
    """``01_table1_patent_grants``: the notebook's number and the table's name, at most Excel's 31 characters
    (cut at a word boundary '_' where one is near), with ``_2``, ``_3``… when the name is taken (Excel ignores
    case); adds it to ``taken``. An empty ``notebook`` gives the table's name alone."""
    prefix = f"{notebook.split('_')[0]}_" if notebook else ""
    base = re.sub(r"[\[\]:*?/\\]", "_", f"{prefix}{table}").strip("'") or "table"
    if len(base) > 31:
        cut = base[:31]
        base = cut[:cut.rindex("_")] if "_" in cut[12:] else cut
    name, n = base, 1
    while name.lower() in taken:
        n += 1
        name = f"{base[:31 - len(str(n)) - 1]}_{n}"
    taken.add(name.lower())
    return name


def combine_csv_workbook(sheets: Mapping[str, str | os.PathLike], target: str | os.PathLike,
                         provenance: Sequence[tuple[str, str]] | None = None, lang: str = "zh",
                         names: Mapping[str, str] | None = None, units=None) -> Path:
    """One workbook of CSV files, ``{sheet name: CSV path}`` (names from :func:`sheet_name`), laid out by
    :func:`write_workbook` (contents and provenance sheets; numbers, including qualified printed numbers such
    as '>200', stored as numbers with a format that keeps their printed form; other text as written; empty
    stays empty); a file with not even a header gives an empty sheet. Headers are the fields' titles in ``lang``
    from the datapackage.json of the run that wrote the CSV (``tables/`` beside it), else the CSV's own; ids of a
    district, a unit or a place in the report by their names in ``lang`` (:func:`named`, ``names`` and ``units``)."""
    import pandas as pd

    from analysis_utils.labels import check_lang

    check_lang(lang)

    from analysis_utils.report.columns import header, in_language

    runs: dict[Path, dict[str, list[str]]] = {}  # a run's field titles, read once for all its tables
    types: dict[Path, dict[str, list[str]]] = {}  # and its fields' types
    formats: dict[str, list[str | None]] = {}
    marks: dict[str, list[list[bool]] | None] = {}

    def read(sheet, path) -> pd.DataFrame:
        try:
            df = pd.read_csv(path, encoding="utf-8", dtype=str, keep_default_na=False)
        except pd.errors.EmptyDataError:
            return pd.DataFrame()
        # a boolean column is written True/False: shown as the run's yes/no, as a notebook's own workbook does
        df = yes_no(df.apply(lambda c: c.map({"True": True, "False": False, "": None})
                             if set(c) <= {"True", "False", ""} and set(c) & {"True", "False"} else c), lang)
        run, table = Path(path).parent.parent, Path(path).stem
        if run not in runs:
            descriptor = read_datapackage(run)
            runs[run] = field_titles(descriptor, lang)
            types[run] = {r["path"]: [f.get("type", "") for f in r.get("schema", {}).get("fields", [])]
                          for r in descriptor.get("resources", [])}
        titles = runs[run].get(Path(path).relative_to(run).as_posix())
        if not titles or len(titles) != len(df.columns):
            return df
        # the numbers as the notebook's own workbook had them (3,715 and 7.6991, not 3715 and 7.699115044): the
        # columns the descriptor types as numbers, where every non-empty cell reads as one
        for column, kind in zip(list(df.columns), types[run].get(Path(path).relative_to(run).as_posix(), [])):
            if kind in ("integer", "number"):
                filled = df[column].astype(str).str.strip() != ""
                numbers = pd.to_numeric(df[column].where(filled), errors="coerce")
                if numbers[filled].notna().all():
                    df[column] = numbers.astype(object).where(filled, None).map(
                        lambda v: int(v) if kind == "integer" and v is not None else v)
        titles = dict(zip(df.columns, titles))
        shown = in_language(df.columns, lang)  # free text in two languages: the run's one, under its stem
        formats[sheet] = [number_format(c, table) for c in shown]
        marks[sheet] = other_source_rows(df, shown.values(), table)
        return named(df[list(shown)], table, lang, names, units).set_axis(
            [titles[c] if c == stem else header(stem, lang, table, written=True) for c, stem in shown.items()], axis=1)

    return write_workbook({sheet: read(sheet, path) for sheet, path in sheets.items()}, target, provenance,
                          lang=lang, titles={sheet: table_title(Path(path).stem, lang) for sheet, path in sheets.items()},
                          formats=formats, marks=marks)


def set_provenance(target: str | os.PathLike, provenance: Sequence[tuple[str, str]], lang: str = "zh") -> Path:
    """Replace the ``provenance`` sheet of the workbook ``target`` (written by :func:`write_workbook`) with
    ``provenance``'s (label, value) rows, headed in ``lang``; the file is rewritten atomically. Raises
    FileNotFoundError when there is no such file, ParameterError for a bad ``lang``."""
    from openpyxl import load_workbook

    from analysis_utils.labels import check_lang

    check_lang(lang)
    book = load_workbook(target)
    if "provenance" in book.sheetnames:
        del book["provenance"]
    _provenance_sheet(book, provenance, lang)
    return _save(book, target)


def _save(book, target: str | os.PathLike) -> Path:
    """Save an openpyxl workbook atomically. Zipped in memory first, so a full disk fails on a plain write (an
    OSError naming the file) and leaves no half-closed zip file to complain when it is collected."""
    buffer = io.BytesIO()
    book.save(buffer)
    return write_bytes(target, buffer.getvalue())


def _provenance_sheet(book, provenance: Sequence[tuple[str, str]], lang: str) -> None:
    from openpyxl.styles import Font

    from analysis_utils.labels import text

    prov = book.create_sheet("provenance")
    prov.append([text("workbook.item", lang), text("workbook.value", lang)])
    prov["A1"].font = prov["B1"].font = Font(bold=True)
    for label, value in provenance:
        prov.append([label, value])
    prov.column_dimensions["A"].width, prov.column_dimensions["B"].width = 26, 90


def save_figure(fig, target: str | os.PathLike, **kwargs) -> Path:
    """Save a matplotlib figure atomically; the format follows the target's suffix."""
    target = Path(target)
    kwargs.setdefault("bbox_inches", "tight")
    kwargs.setdefault("dpi", 150)
    with atomic_path(target) as tmp:
        fig.savefig(tmp, format=target.suffix.lstrip("."), **kwargs)
    return target


class RunOutputs:
    """Where one notebook run writes: ``tables/NAME.csv``, ``figures/NAME.FMT`` and ``SECTION.xlsx``, in the
    run's language ``lang``: table headers (report.columns.headers), workbook sheets' headers, figure alt texts, and
    in the workbook the ids of a district, a unit or a place in the report by their names (:func:`named`).

    File names are stable (no dates, no language), so a re-run replaces them and links keep working.
    Raises ParameterError for a ``lang`` other than 'zh'/'en'.
    """

    def __init__(self, output_dir: str | os.PathLike, section: str, fig_format: str = "png", lang: str = "zh",
                 labels: Mapping[str, Mapping[str, str]] | None = None, names: Mapping[str, str] | None = None,
                 units=None):
        from analysis_utils.labels import check_lang

        self.output_dir = Path(output_dir)
        self.section = section
        self.fig_format = fig_format
        self.lang = check_lang(lang)
        # {lang: {indicator id: label}}: headers of indicator columns (a notebook may set the labels of its own
        # tables: 05's inputs are per 10,000 residents) and of contribution_<indicator> columns
        self.labels = labels or {}
        # the workbook shows ids by their names in lang (fields.csv shown_as, named): ``names`` {entity id: name in
        # lang} (report.names.entity_names), ``units`` data.units.UnitTable; without them, ids are shown as they are
        self.names, self.units = names or {}, units
        self.tables: dict[str, pd.DataFrame] = {}
        self.titles: dict[str, dict[str, dict[str, str]]] = {}  # table -> lang -> {column: header}, looked up once
        self.figures: dict[str, str] = {}  # figure file name -> its title (the alt text of image_metadata)
        self.written: list[Path] = []

    def table(self, df: pd.DataFrame, name: str) -> None:
        """Write ``df`` as tables/NAME.csv as it is: machine column names and codes, the same in every language
        (the workbook and datapackage.json carry the labels); keep it for the workbook; return None (no path
        repr on a page). Raises MessageError for a header that is not snake_case (report.columns.check_machine),
        report.columns.MissingColumnLabel naming every machine column without a catalogue label."""
        from analysis_utils.labels import LANGS
        from analysis_utils.report.columns import check_machine, written_headers

        check_machine(df.columns, name)
        # every column must have its label before anything is written: looked up here, once, for the workbook
        # and the datapackage.json that finish writes
        self.titles[name] = {code: written_headers(df.columns, code, name, self.labels.get(code)) for code in LANGS}
        self.tables[name] = df
        self.written.append(write_csv(df, self.output_dir / "tables" / f"{name}.csv"))

    def figure(self, fig, name: str) -> None:
        """Save, show once in a notebook (its title as the image's alt text: :func:`image_metadata`), note
        the title for the figures' manifest that :meth:`finish` writes, and close the figure. The figure is drawn
        once: the notebook shows the very image the file holds (at the figure's own size on the page). Saved as laid
        out (every chart uses constrained layout), at the figure's size: a tight bounding box would draw it twice."""
        import matplotlib.pyplot as plt

        buffer, dpi = io.BytesIO(), 150
        fig.savefig(buffer, format=self.fig_format, dpi=dpi)
        path = write_bytes(self.output_dir / "figures" / f"{name}.{self.fig_format}", buffer.getvalue())
        metadata = image_metadata(fig, self.lang)
        self.figures[path.name] = next(iter(metadata.values()))["alt"]
        _display(_image(buffer.getvalue(), self.fig_format, fig.dpi / dpi), metadata=metadata)
        plt.close(fig)
        self.written.append(path)  # returns None: a cell ending with it shows no PosixPath('…')

    def finish(self) -> list[Path]:
        """Write the run's workbook (one sheet per table) and the figures' manifest (:data:`FIGURES_MANIFEST`)
        and return every file written. The workbook's provenance sheet holds what this process knows (package
        version, time, commit, Python, lock); ``analysis_utils reproduce`` then replaces it with the run's full
        provenance (parameters, data sha256: :func:`set_provenance`)."""
        import time

        from analysis_utils import __version__
        from analysis_utils.report.columns import in_language, resource
        from analysis_utils.report.provenance import full

        if self.tables:
            rows = full({"version": __version__, "time": time.strftime("%Y-%m-%d %H:%M:%S %z")}, self.lang)
            shown, formats = {}, {}
            for name, df in self.tables.items():
                columns, titles = in_language(df.columns, self.lang), self.titles[name][self.lang]
                shown[name] = yes_no(named(df[list(columns)], name, self.lang, self.names, self.units),
                                     self.lang).set_axis(
                    [titles[c] for c in columns.values()], axis=1)
                formats[name] = [number_format(c, name) for c in columns]
            marks = {name: other_source_rows(df, in_language(df.columns, self.lang).values(), name)
                     for name, df in self.tables.items()}
            self.written.append(write_workbook(shown, self.output_dir / f"{self.section}.xlsx", rows,
                                               lang=self.lang, formats=formats, marks=marks))
            package = {"profile": "tabular-data-package", "name": self.section.lower(), "resources": [
                resource(name, df, f"tables/{name}.csv", {c: table_title(name, c) for c in ("zh", "en")},
                         self.titles[name])
                for name, df in self.tables.items()]}
            self.written.append(write_text(self.output_dir / DATAPACKAGE,
                                           json.dumps(package, ensure_ascii=False, indent=1)))
        if self.figures:
            self.written.append(write_text(self.output_dir / "figures" / FIGURES_MANIFEST,
                                           json.dumps(self.figures, ensure_ascii=False, indent=1)))
        return self.written


    def finish_markdown(self) -> str:
        """finish(), then the files written as a Markdown list of paths relative to the output folder
        ('- tables/table2_comparison.csv'): no machine path, no Python list on a reader's page. A notebook run by
        hand (JupyterLab: paths.INTERACTIVE_DIR) first says which folder of the project that is."""
        from analysis_utils import paths
        from analysis_utils.labels import text

        lines = []
        if self.output_dir.resolve().is_relative_to(paths.INTERACTIVE_DIR.resolve()):
            folder = self.output_dir.resolve().relative_to(paths.REPO_ROOT.resolve()).as_posix()
            lines.append(text("workbook.folder", self.lang, folder=f"{folder}/") + "\n")
        for path in self.finish():
            try:
                shown = Path(path).relative_to(self.output_dir).as_posix()
            except ValueError:
                shown = Path(path).name
            lines.append(f"- `{shown}`")
        return "\n".join(lines) or "-"


def named(df: pd.DataFrame, table: str, lang: str, names: Mapping[str, str] | None = None, units=None) -> pd.DataFrame:
    """A copy of ``df`` whose columns of ids (fields.csv ``shown_as``) show each id by its name in ``lang``, as a
    workbook does: entity by ``names`` ({id: name in lang}, report.names.entity_names: 武昌区 -> Wuchang District),
    unit by ``units`` (data.units.UnitTable: 亿元 -> 100 million yuan), location by labels.location (表2 -> Table 2)
    where the row is the report's (a row whose ``source_id`` names another source keeps its place as written: its
    '表1' is that source's, not the report's Table 1); an id without a name, every other column, and a kind without
    its table (None) as it is. ParameterError for a bad ``lang``."""
    import pandas as pd

    from analysis_utils.labels import check_lang, location
    from analysis_utils.report.columns import field_row
    from analysis_utils.report.printed import unit_label

    check_lang(lang)
    names = names or {}
    by = {"entity": lambda v: names.get(v, v), "location": lambda v: location(v, lang),
          "unit": lambda v: unit_label(units, v, lang) if units is not None else v}
    out = df.copy()
    # a place in another source (a row whose source_id names one) is that source's own: not the report's '表1'
    theirs = df["source_id"].map(lambda v: isinstance(v, str) and v.strip() != "") if "source_id" in df.columns \
        else pd.Series(False, index=df.index)
    for i, column in enumerate(df.columns):
        if kind := field_row(str(column), table).get("shown_as"):
            shown = df.iloc[:, i].map(lambda v, f=by[kind]: f(v) if isinstance(v, str) and v else v)
            out.isetitem(i, shown.where(~theirs, df.iloc[:, i]) if kind == "location" else shown)
    return out


def yes_no(df: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """A copy of ``df`` with every boolean column (dtype bool, or only True/False besides empty cells) as the
    catalogue's ``value.yes`` / ``value.no`` in ``lang`` (是/否, yes/no), as report.present.localise shows them
    on a page; other columns unchanged. Raises ParameterError for a ``lang`` other than 'zh'/'en'."""
    import pandas as pd

    from analysis_utils.labels import check_lang, text

    check_lang(lang)
    out = df.copy()
    for i in range(out.shape[1]):
        col = out.iloc[:, i]
        cells = [v for v in col if not (v is None or (isinstance(v, float) and v != v) or v is pd.NA)]
        if pd.api.types.is_bool_dtype(col) or (cells and all(isinstance(v, (bool,)) or type(v).__name__ == "bool_"
                                                             for v in cells)):
            out.isetitem(i, col.map(lambda v: v if not isinstance(v, bool) and type(v).__name__ != "bool_"
                                    else text("value.yes" if v else "value.no", lang)).astype(object))
    return out


def figure_title(fig) -> str:
    """The title a reader sees on a figure: its suptitle, else its axes' titles joined by '; ' (centre, left or
    right title of each axes, in order), else ''."""
    sup = getattr(fig, "_suptitle", None)  # set by Figure.suptitle; matplotlib has no public getter
    if sup is not None and sup.get_text().strip():
        return sup.get_text().strip()
    titles = []
    for ax in fig.get_axes():
        for loc in ("center", "left", "right"):
            t = ax.get_title(loc=loc).strip()
            if t:
                titles.append(t)
    return "; ".join(titles)


def image_metadata(fig, lang: str = "zh") -> dict:
    """Display metadata giving the figure's images an alt text in ``lang``: the figure's title
    (:func:`figure_title`), or the catalogue's ``site.figure_alt`` when it has none. nbconvert renders
    ``metadata[mime]['alt']`` as the ``<img alt>``; report.site fills any image still without one."""
    from analysis_utils.labels import check_lang, text

    check_lang(lang)
    alt = figure_title(fig) or text("site.figure_alt", lang)
    return {mime: {"alt": alt} for mime in ("image/png", "image/svg+xml", "image/jpeg")}


def _image(data: bytes, fmt: str, scale: float):
    """IPython's image of a saved figure: PNG shown at ``scale`` × its pixel width (the figure's own size), SVG as
    it is."""
    from IPython.display import SVG, Image

    if fmt == "svg":
        return SVG(data=data)
    return Image(data=data, format="png", width=round(int.from_bytes(data[16:20], "big") * scale))


def _display(obj, metadata: dict | None = None) -> None:
    """IPython's display when running in a kernel (with ``metadata`` for the output); nothing in a plain
    interpreter."""
    try:
        from IPython import get_ipython
        from IPython.display import display
    except ImportError:
        return
    if get_ipython() is not None:
        display(obj, metadata=metadata) if metadata else display(obj)
