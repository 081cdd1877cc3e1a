"""Published statistics kept apart from the report's numbers: load and validate ``data/external/``.

The folder is a small data package of its own (``data/external/datapackage.json``): ``sources.csv`` (one row
per publication read: publisher as named and ``publisher_en``, the source's own title, url, dates, kind, ``scope``
in English and ``scope_zh``), ``indicators.csv`` (indicators only the sources give) and ``observations.csv`` (the
report's tidy observation schema plus ``source_id``, ``location`` / ``location_zh``: where in the source, in our
words, and ``quote``: the source's own words there) and ``claim_links.csv`` (which external series bears on which claim of ../claims.csv). Entities, units and qualifiers are the report's own, so an external figure names places and
units exactly as the report does. Nothing is fetched: the figures were recorded by hand with the date the
page was read.

Validation runs the report's rules (data.validate.collect_problems: types, required cells, enums, patterns,
keys, foreign keys, units of the right dimension, whole counts, qualifier classes) over the external tables
with the report's units, qualifiers, entities and indicators as reference tables, then adds what only
sources need (``external_problems``): calendar dates that exist, a source not read before it was published,
a figure not for a year after its source was published, an external indicator not redefining a report one, and
texts written as their column says (ENGLISH_COLUMNS without Chinese characters, CHINESE_COLUMNS in Chinese).
Every problem is collected and raised once (DataValidationError), each naming file, row and column.
"""
from __future__ import annotations

import datetime as dt
import re
import warnings
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis_utils.data.load import (RawTable, extend_raw, load, own_tier_problems, placed, raw_tables, read_descriptor,
                                      read_raw)
from analysis_utils.data.validate import collect_problems, to_frames
from analysis_utils.errors import DataProblem, DataValidationError, DataWarning
from analysis_utils.paths import DATA_DIR

EXTERNAL_FOLDER = "external"
# Tables the folder cannot have empty: it is there to hold published figures, each from a source (no figures: delete
# the folder). Its own indicators and its claim links may be empty.
MUST_HAVE_ROWS = ("sources", "observations")
REFERENCE_TABLES = ("units", "qualifiers", "entities", "indicators", "claims")  # the report's, read from the data folder
ENGLISH_COLUMNS = {"sources": ("publisher_en", "scope"), "observations": ("location",)}
CHINESE_COLUMNS = {"sources": ("scope_zh",), "observations": ("location_zh",)}
CJK = re.compile("[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")  # Han, CJK punctuation, full-width forms
# Latin a Chinese text may carry: R&D, GDP, CAS/CAE-style acronyms, web addresses and site names.
_LATIN_ALLOWED = re.compile(r"R&D|GDP|[A-Z]{2,}|https?://\S+|[\w.-]+\.(?:com|cn|org|net|gov)\b")
_LATIN_WORD = re.compile(r"[A-Za-z]{3,}")


@dataclass
class ExternalData:
    """The validated external folder: typed frames of sources, indicators and observations.

    ``observations`` has the report's observation columns plus ``source_id``, ``location``, ``source_file`` and
    ``source_line``; ``indicators`` holds only the external-only indicators (``origin`` = 'external').
    """

    directory: Path
    sources: pd.DataFrame
    indicators: pd.DataFrame
    observations: pd.DataFrame
    claim_links: pd.DataFrame

    def source(self, source_id: str) -> pd.Series:
        """The sources.csv row of ``source_id``; KeyError naming the known ids when there is none."""
        hit = self.sources[self.sources["source_id"] == source_id]
        if hit.empty:
            raise KeyError(f"unknown source {source_id!r}; known: {sorted(self.sources['source_id'])}")
        return hit.iloc[0]


def latin_words(text: str) -> list[str]:
    """The Latin words (3+ letters) of ``text`` other than R&D, GDP, acronyms and web addresses: what a Chinese
    text should not carry ('来源 page' -> ['page'])."""
    return _LATIN_WORD.findall(_LATIN_ALLOWED.sub("", text))


def _date(text: str) -> dt.date | None:
    """A YYYY, YYYY-MM or YYYY-MM-DD text as the first day it can mean; None if no such day exists."""
    parts = text.split("-")
    try:
        return dt.date(int(parts[0]), int(parts[1]) if len(parts) > 1 else 1, int(parts[2]) if len(parts) > 2 else 1)
    except (ValueError, IndexError):
        return None


def _well_formed(text: str) -> bool:
    """Shaped like YYYY, YYYY-MM or YYYY-MM-DD with an ASCII year (full-width digits are the pattern's error)."""
    return len(text) in (4, 7, 10) and text[:4].isascii() and text[:4].isdigit()


def external_problems(raw: dict[str, RawTable], report_indicators: RawTable | None = None) -> list[DataProblem]:
    """The rules only sources need, over raw external tables (``sources``, ``observations``, ``indicators``):

    - ``date_published`` / ``date_accessed`` are days that exist (2015-02-30 is not) [constraint-error];
    - a source is not read before it was published [constraint-error on date_accessed];
    - an observation's year is not after its source's publication year [constraint-error on year];
    - an external indicator does not reuse an id of ``report_indicators`` [unique-error];
    - a text of ENGLISH_COLUMNS has no Chinese characters, one of CHINESE_COLUMNS has some and no Latin word
      (latin_words) [constraint-error].

    Well-formedness (the patterns of url and dates) is the descriptor's and checked by collect_problems.
    Returns the problems in file order; never raises.
    """
    problems: list[DataProblem] = []
    published: dict[str, dt.date] = {}
    if "sources" in raw:
        table = raw["sources"]
        for i, (row, line) in enumerate(zip(table.rows, table.lines), start=1):
            days = {}
            for column in ("date_published", "date_accessed"):
                text = row.get(column, "")
                if text and _well_formed(text):
                    days[column] = _date(text)
                    if days[column] is None:
                        problems.append(DataProblem(str(table.path), i, column, text,
                                                    "a date that exists (YYYY, YYYY-MM or YYYY-MM-DD)",
                                                    "constraint-error", line))
            pub, seen = days.get("date_published"), days.get("date_accessed")
            if pub and seen and seen < pub:
                problems.append(DataProblem(str(table.path), i, "date_accessed", row["date_accessed"],
                                            f"a day not before date_published {row['date_published']}",
                                            "constraint-error", line))
            if pub:
                published[row.get("source_id", "")] = pub
    if "observations" in raw:
        table = raw["observations"]
        for i, (row, line) in enumerate(zip(table.rows, table.lines), start=1):
            pub, year = published.get(row.get("source_id", "")), row.get("year", "")
            if pub and year.isascii() and year.isdigit() and int(year) > pub.year:  # ２０１６: a type-error already
                problems.append(DataProblem(str(table.path), i, "year", year,
                                            f"a year not after its source's publication ({pub.year})",
                                            "constraint-error", line))
    if "indicators" in raw and report_indicators is not None:
        known = {r.get("indicator", "") for r in report_indicators.rows} - {""}  # an empty id: required-error
        table = raw["indicators"]
        for i, (row, line) in enumerate(zip(table.rows, table.lines), start=1):
            if row.get("indicator", "") in known:
                problems.append(DataProblem(str(table.path), i, "indicator", row["indicator"],
                                            f"an id not already in {report_indicators.path.name} (reuse that one, "
                                            "or give a new id when the definition differs)", "unique-error", line))
    for name, table in raw.items():
        for i, (row, line) in enumerate(zip(table.rows, table.lines), start=1):
            for column in ENGLISH_COLUMNS.get(name, ()):
                if CJK.search(row.get(column, "")):
                    problems.append(DataProblem(str(table.path), i, column, row[column],
                                                "English text without Chinese characters (the source's own words "
                                                "belong in publisher, title or quote)", "constraint-error", line))
            for column in CHINESE_COLUMNS.get(name, ()):
                value = row.get(column, "")
                if value and (not CJK.search(value) or latin_words(value)):
                    problems.append(DataProblem(str(table.path), i, column, value,
                                                "Chinese text (Latin only for R&D, GDP, acronyms, web addresses)",
                                                "constraint-error", line))
    return problems


def _with_report_rows(own: RawTable, report: RawTable) -> RawTable:
    """``own`` followed by the report's rows: the target of foreign keys that may point at either."""
    return RawTable(own.path, own.columns, own.rows + report.rows, own.lines + report.lines,
                    own.all_origins() + report.all_origins() if own.origins is not None else None)


def home(data) -> Path:
    """The complete data package ``data`` was read from: its folder, or for a user's additions (data.load.
    load_additions) the packaged data, whose published figures the additions extend."""
    return DATA_DIR if data.descriptor.get("additions") else Path(data.data_dir)


def added_external(data) -> Path | None:
    """A user's additions folder's own ``external/`` (published figures and sources of the user's, read with the
    packaged ones), or None: for the packaged data or a complete copy, or when the additions have none."""
    folder = Path(data.data_dir) / EXTERNAL_FOLDER
    return folder if data.descriptor.get("additions") and folder.exists() else None


def external_if_any(data) -> ExternalData | None:
    """The data folder's ``external/`` loaded and validated (load_external), or None when the folder has none (a
    user's data folder may hold only the report's tables). Raises DataValidationError as load_external does, and
    when ``external`` is a file (``not-a-folder``). The one check `validate` and the 06 notebook's parameter check
    (run before any notebook runs) share."""
    folder = home(data) / EXTERNAL_FOLDER
    for place in (folder, added_external(data)):
        if place is not None and place.exists() and not place.is_dir():
            raise DataValidationError([DataProblem(str(place), None, None, None, "a folder of published figures "
                                                   "(its datapackage.json and CSV files), found a file",
                                                   "not-a-folder")])
    return load_external(data) if folder.is_dir() else None


def load_checked(data_dir=None):
    """(dataset, external data or None, warnings): the data folder and its ``external/`` read and validated once
    (load, external_if_any), the pre-flight of `validate` and `reproduce`; each DataWarning raised while reading (a
    column no schema names) returned, not shown. DataValidationError (or ParameterError for a folder that does not
    exist) as load raises it."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", DataWarning)
        dataset = load(data_dir)
        external = external_if_any(dataset)
    for w in caught:  # any other warning is shown as it would have been
        if not issubclass(w.category, DataWarning):
            warnings.showwarning(w.message, w.category, w.filename, w.lineno)
    return dataset, external, [w.message for w in caught if issubclass(w.category, DataWarning)]


def load_external(data, directory: str | Path | None = None) -> ExternalData:
    """Load and validate the external folder of a loaded report dataset ``data`` (data.load.load()).

    ``directory`` defaults to ``<data.data_dir>/external``; its datapackage.json defaults to the packaged one.
    For a user's additions (data.load.load_additions) it is the packaged ``external/``, with the rows of the
    additions folder's own ``external/`` appended (added_external: files named as the packaged ones, any of them;
    a problem names the user's file and row), checked against the report's tables and the user's additions.
    Raises DataValidationError listing every problem at once (file, row, column, value, expected, code).
    """
    folder = Path(directory) if directory not in (None, "") else home(data) / EXTERNAL_FOLDER
    descriptor = read_descriptor(folder if (folder / "datapackage.json").exists() else DATA_DIR / EXTERNAL_FOLDER)
    own, problems = read_raw(folder, descriptor, MUST_HAVE_ROWS)
    added = added_external(data) if directory in (None, "") else None
    if added is not None:
        mine, more = read_raw(added, {"resources": [r for r in descriptor["resources"] if (added / r["path"]).exists()]})
        problems += more + extend_raw(own, mine) + own_tier_problems(own.get("sources"), added)
    reference, more = raw_tables(data, REFERENCE_TABLES)
    problems += more
    raw = dict(reference) | own
    if "indicators" in own and "indicators" in reference:
        raw["indicators"] = _with_report_rows(own["indicators"], reference["indicators"])
    # rows appended from the report's indicators.csv are reference only: their problems are the report's (when the
    # folder has no indicators.csv, raw["indicators"] is the report's alone: n_own = 0 rows of it are checked)
    ind_file = str(raw["indicators"].path) if "indicators" in raw else None
    n_own = len(own["indicators"].rows) if "indicators" in own else 0
    problems += [placed(p, raw) for p in collect_problems(raw, descriptor)
                 if not (p.file == ind_file and (p.row or 0) > n_own)]
    problems += [placed(p, own) for p in external_problems(own, reference.get("indicators"))]
    if problems:
        raise DataValidationError(problems)
    frames = to_frames(own, descriptor)
    indicators = frames["indicators"].assign(origin="external")
    return ExternalData(folder, frames["sources"], indicators, frames["observations"], frames["claim_links"])
