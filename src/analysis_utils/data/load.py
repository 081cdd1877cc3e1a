"""Read a data directory into typed frames; every row keeps its source file and line. Reads, never writes."""
from __future__ import annotations

import csv
import dataclasses
import io
import json
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analysis_utils.data.qualifiers import QualifierTable
from analysis_utils.data.units import Quantity, UnitTable
from analysis_utils.data.validate import collect_problems, to_frames
from analysis_utils.errors import AnalysisError, DataProblem, DataValidationError, DataWarning
from analysis_utils.paths import DATA_DIR, resolve_data_dir  # noqa: F401  (resolve_data_dir: importable from here too)

DESCRIPTOR = "datapackage.json"
REPORT_SOURCE = ""  # source_id of the report's own numbers (observations.csv): the empty cell
REPORT_YEAR = 2015  # the report's comparison year: the year of 表2 and of most of its prose (report, section 二)


# Columns of a user's additions that may be left out, read as empty: sources.csv's tier (0.3.0; empty: the user's
# own source), so files written before it still load.
LATER_COLUMNS = {"sources": {"tier"}, "concepts": {"inferred"}}
# a source's standing, strongest first (sources.csv ``tier``; empty: a user's own source, as the user cites it)
TIERS = ("official_site", "official_copy", "named_news", "unattributed", "own")


@dataclass
class RawTable:
    """A CSV read as strings, with the file line of each row (header is line 1).

    ``origins``: for a table combined from several files (load_additions: the packaged rows, then a user's, with
    the user's replacements in place of the report's rows they replace), where each row came from, one
    (file, row in that file, line) per row; None for a table read from ``path`` alone (row i is its row i, at
    ``lines[i - 1]``). Problems and summaries say a row's place with :meth:`origin`."""

    path: Path
    columns: list[str]
    rows: list[dict[str, str]]
    lines: list[int]
    origins: list[tuple[str, int, int]] | None = None

    def origin(self, row: int) -> tuple[str, int, int]:
        """(file, row, line) that data row ``row`` (1-based) of this table was read from."""
        if self.origins is not None:
            return self.origins[row - 1]
        return str(self.path), row, self.lines[row - 1]

    def all_origins(self) -> list[tuple[str, int, int]]:
        """:meth:`origin` of every row, in order."""
        return [self.origin(i) for i in range(1, len(self.rows) + 1)]


@dataclass
class Dataset:
    """The validated data: one typed DataFrame per resource, plus the unit and qualifier tables.

    ``qualifier_table`` (data.qualifiers.QualifierTable) is the one meaning of each qualifier code,
    read from this directory's qualifiers.csv; every bound, interval and censored-cell rule asks it.
    """

    data_dir: Path
    descriptor: dict
    tables: dict[str, pd.DataFrame]
    units_table: UnitTable = field(repr=False)
    qualifier_table: QualifierTable = field(repr=False, default=None)
    # a user's additions read with the packaged data (load_additions): {table: (file, row, line) of each row}
    origins: dict[str, list[tuple[str, int, int]]] | None = field(repr=False, default=None)

    def __post_init__(self):
        if self.qualifier_table is None and "qualifiers" in self.tables:
            self.qualifier_table = QualifierTable.from_frame(self.tables["qualifiers"])
        obs = self.tables.get("observations")
        if obs is not None and "source_id" not in obs:  # a descriptor of 0.2 or before: every number is the report's
            self.tables["observations"] = obs.assign(source_id="")

    def report_observations(self) -> pd.DataFrame:
        """The observations the report prints (``source_id`` empty), in file order; every other row comes from a
        source of the registry (external/sources.csv) and is never counted, audited or titled as the report's."""
        obs = self.tables["observations"]
        return obs[obs["source_id"] == REPORT_SOURCE]

    def report_view(self) -> "Dataset":
        """The report's own data: observations without a source_id, and the entities they name with their parents
        (a district a user added, and its rows, are left out), with the report's rows a user's replacements
        stand in for (``tables['replaced']``, load_additions). The audit judges the report on this view, so a
        user's additions never change a verdict or a count; ``self`` when there is nothing to leave out."""
        cached = self.__dict__.get("_report_view")
        if cached is not None and cached[0] is self.tables["observations"]:
            return cached[1]
        obs, ent = self.report_observations(), self.tables["entities"]
        if "replaced" in self.tables:  # the report's numbers a user's replacements stand in for
            obs = pd.concat([obs, self.tables["replaced"]], ignore_index=True)
        parents, keep = dict(zip(ent["entity"], ent["parent"])), set()
        for entity in obs["entity"]:
            while entity and entity not in keep:
                keep.add(entity)
                entity = parents.get(entity, "")
        view = self
        if len(obs) != len(self.tables["observations"]) or "replaced" in self.tables \
                or not set(ent["entity"]) <= keep:
            tables = {k: t for k, t in self.tables.items() if k != "replaced"}  # already among the view's rows
            view = Dataset(self.data_dir, self.descriptor, tables | {"observations": obs,
                                                                      "entities": ent[ent["entity"].isin(keep)]},
                           self.units_table, self.qualifier_table)
            view.__dict__["_report_view"] = (obs, view)  # the report's view is its own: nested audit calls reuse it
        self.__dict__["_report_view"] = (self.tables["observations"], view)
        return view

    def origin(self, table: str, row: int) -> tuple[str, int, int]:
        """(file, row in that file, line) that data row ``row`` (1-based position in ``tables[table]``) was read
        from: a user's file or the packaged one for additions (``origins``), else this folder's file."""
        if self.origins is not None and table in self.origins:
            return self.origins[table][row - 1]
        path = next(r["path"] for r in self.descriptor["resources"] if r["name"] == table)
        return str(Path(self.data_dir) / path), row, int(self.tables[table]["source_line"].iloc[row - 1])

    def source_of(self, source_id: str) -> pd.Series:
        """The registry row (external/sources.csv: publisher, title, url, citation, dates, kind) of ``source_id``;
        AnalysisError naming the known ids when there is none."""
        sources = self.tables.get("sources", pd.DataFrame(columns=["source_id"]))
        hit = sources[sources["source_id"] == source_id]
        if hit.empty:
            raise AnalysisError(f"no source {source_id!r} in external/sources.csv; known: {sorted(sources['source_id'])}")
        return hit.iloc[0]

    def __getattr__(self, name: str) -> pd.DataFrame:
        tables = self.__dict__.get("tables", {})
        if name in tables:
            return tables[name]
        raise AttributeError(name)

    # --- lookups -------------------------------------------------------------------------
    def _observation_positions(self) -> tuple[dict, dict] | None:
        """Row positions in ``observations``: {(entity, indicator, year): pos} and {(entity, indicator): pos of
        the latest year}, built once per observations frame (a replaced frame gets a new index). None when the
        key (entity, indicator, year) is not unique or a year is missing: then lookups filter the frame."""
        obs = self.tables["observations"]
        cached = self.__dict__.get("_positions")
        if cached is not None and cached[0] is obs and cached[1] == len(obs):
            return cached[2]
        positions: tuple[dict, dict] | None = ({}, {})
        if obs["year"].isna().any():
            positions = None
        else:
            exact, latest, latest_year = positions[0], positions[1], {}
            for pos, key in enumerate(zip(obs["entity"], obs["indicator"], obs["year"])):
                if key in exact:
                    positions = None
                    break
                exact[key] = pos
                if key[:2] not in latest or key[2] > latest_year[key[:2]]:
                    latest[key[:2]], latest_year[key[:2]] = pos, key[2]
        self.__dict__["_positions"] = (obs, len(obs), positions)
        return positions

    def observation(self, entity: str, indicator: str, year: int | None = None) -> pd.Series:
        """The single observation row (a Series named by its index label); the latest year when ``year`` is
        None. Raises AnalysisError naming the entities that have ``indicator`` when there is no such row."""
        obs = self.tables["observations"]
        positions = self._observation_positions()
        if positions is not None:  # a hit is the row filtering would find; a miss falls through to the error
            try:
                pos = positions[0].get((entity, indicator, year)) if year is not None else positions[1].get((entity, indicator))
            except TypeError:  # an unhashable argument: let the filter below decide
                pos = None
            if pos is not None:
                return obs.iloc[pos]
        hit = obs[(obs["entity"] == entity) & (obs["indicator"] == indicator)]
        if year is not None:
            hit = hit[hit["year"] == year]
        if hit.empty:
            known = sorted(obs.loc[obs["indicator"] == indicator, "entity"].unique())
            raise AnalysisError(f"no observation of {indicator!r} for {entity!r}"
                                f"{'' if year is None else f' in {year}'}; entities with it: {known}")
        return hit.sort_values("year").iloc[-1]

    def quantity(self, entity: str, indicator: str, year: int | None = None) -> Quantity:
        """The observation as a Quantity (value with unit); AnalysisError when there is none."""
        row = self.observation(entity, indicator, year)
        return self.units_table.quantity(row["value"], row["unit"])

    def find(self, location: str) -> pd.DataFrame:
        """Every observation the report prints at a report location (表2, 一(二)3, …), where first or again."""
        obs = self.report_observations()
        also = obs["also_in"].fillna("").str.split(";").apply(lambda xs: location in [x.strip() for x in xs])
        return obs[(obs["source"] == location) | also]

    def indicator_meta(self, indicator: str) -> pd.Series:
        """The indicators.csv row of ``indicator`` (name_zh, name_en, unit, direction, …); AnalysisError if unknown."""
        meta = self.tables["indicators"].set_index("indicator")
        if indicator not in meta.index:
            raise AnalysisError(f"unknown indicator {indicator!r}")
        return meta.loc[indicator]

    def districts(self) -> list[str]:
        """The entities of level ``district``, in file order (the report's three first in the packaged data)."""
        ent = self.tables["entities"]
        return ent.loc[ent["level"] == "district", "entity"].tolist()

    def usable_years(self, entities: list[str]) -> list[int]:
        """Years with a reported observation (``year_inferred`` false) of every one of ``entities``, ascending;
        [] when they share none."""
        obs = self.tables["observations"]
        obs = obs[~obs["year_inferred"].fillna(False).astype(bool)] if "year_inferred" in obs else obs
        years = None
        for entity in entities:
            have = {int(y) for y in obs.loc[obs["entity"] == entity, "year"].dropna()}
            years = have if years is None else years & have
        return sorted(years or ())

    def summary(self) -> dict:
        """The counts ``validate`` prints: files (the descriptor's paths), rows (of every resource), observations,
        entities and indicators with observations, years (the distinct years observed, ascending)."""
        obs, resources = self.tables["observations"], self.descriptor["resources"]
        return {"files": [r["path"] for r in resources], "rows": sum(len(self.tables[r["name"]]) for r in resources),
                "observations": len(obs), "entities": obs["entity"].nunique(), "indicators": obs["indicator"].nunique(),
                "years": sorted(obs["year"].dropna().unique())}


# ---------------------------------------------------------------------------- reading, strictly
# The resources the report's package must declare (Dataset and the notebooks read them) and those that must have rows;
# claims may be empty: a folder of one's own data may carry none of the report's claims (the audit then judges none).
REPORT_RESOURCES = ("units", "qualifiers", "entities", "indicators", "observations")
MUST_HAVE_ROWS = REPORT_RESOURCES
FIELD_TYPES = ("string", "number", "integer", "boolean")
NUMERIC_CONSTRAINTS = ("minimum", "maximum", "exclusiveMinimum")
# Text fields that are one line (a name, a printed number, a formula) although their schema gives neither enum nor
# pattern: a line break in one is a quote closed too late. Other string fields (note, definition, meaning, quote,
# scope, statement_*) are free text and may hold line breaks; every field of another type, with an enum or a
# pattern, or in a key, is one line too (short_fields).
SHORT_TEXT = frozenset({"name_en", "name_zh", "dimension", "base_unit", "printed", "printed_as", "also_in", "source",
                        "items", "rule", "rule_alt", "rule_label", "rule_label_zh", "publisher", "publisher_en",
                        "title", "url", "location", "location_zh"})
BOM = "\ufeff"
BOM_WORDS = ("text without a byte order mark (U+FEFF, invisible): files saved with one were probably joined at this "
             "line; delete it")
# A DataWarning is said by `validate` and `reproduce` (data.external.load_checked records it), once, on the console;
# elsewhere it is ignored by default, as DeprecationWarning is, so that no notebook page prints it six times over
# (show it in your own code with warnings.simplefilter("default", DataWarning)).
warnings.filterwarnings("ignore", category=DataWarning)


def _problem(path, expected: str, code: str, line: int | None = None, column=None, value=None, row=None) -> DataProblem:
    return DataProblem(str(path), row, column, value, expected, code, line)


def descriptor_problems(descriptor, path: Path) -> list[DataProblem]:
    """What makes ``descriptor`` unreadable as a tabular data package: not a JSON object with a list "resources",
    a resource without name, path or fields (an additions folder's, ``"extends"``, without name or path), a field type other than FIELD_TYPES, a pattern that is no regular
    expression, bounds on a field that is no number, keys naming no field [descriptor-error]. [] when it is sound."""
    def bad(value, expected):
        return _problem(path, expected, "descriptor-error", value=value)

    if not isinstance(descriptor, dict) or not isinstance(descriptor.get("resources"), list):
        shown = descriptor.get("resources") if isinstance(descriptor, dict) else descriptor
        return [bad(type(shown).__name__, 'a JSON object with a list "resources"')]
    problems = []
    for i, resource in enumerate(descriptor["resources"], start=1):
        if descriptor.get("extends"):  # a user's additions name the packaged resources; their schemas apply
            if not (isinstance(resource, dict) and isinstance(resource.get("name"), str)
                    and isinstance(resource.get("path"), str)):
                problems.append(bad(str(resource)[:80], f'resource {i}: an object with a "name" and a "path"'))
            continue
        schema = resource.get("schema") if isinstance(resource, dict) else None
        if not (isinstance(resource, dict) and isinstance(resource.get("name"), str) and isinstance(resource.get("path"), str)
                and isinstance(schema, dict) and isinstance(schema.get("fields"), list)
                and all(isinstance(f, dict) and isinstance(f.get("name"), str) for f in schema["fields"])):
            problems.append(bad(str(resource)[:80], f'resource {i}: an object with a "name", a "path" and a "schema" '
                                                    'with a list "fields"'))
            continue
        names = [f["name"] for f in schema["fields"]]
        for f in schema["fields"]:
            where = f"resource '{resource['name']}', field '{f['name']}'"
            cons = f.get("constraints", {})
            if f.get("type") not in FIELD_TYPES:
                problems.append(bad(str(f.get("type")), f"{where}: a type of {', '.join(FIELD_TYPES)}"))
            elif not isinstance(cons, dict):
                problems.append(bad(type(cons).__name__, f"{where}: constraints as a JSON object"))
            elif f["type"] not in ("number", "integer") and (numeric := [c for c in NUMERIC_CONSTRAINTS if c in cons]):
                problems.append(bad(numeric[0], f"{where}: constraints of a {f['type']} field (required, enum, pattern)"))
            elif any(not isinstance(cons[c], (int, float)) or isinstance(cons[c], bool) for c in NUMERIC_CONSTRAINTS
                     if c in cons):
                problems.append(bad(str({c: cons[c] for c in NUMERIC_CONSTRAINTS if c in cons}), f"{where}: numbers as bounds"))
            elif "enum" in cons and not isinstance(cons["enum"], list):
                problems.append(bad(str(cons["enum"]), f"{where}: an enum that is a list"))
            elif "pattern" in cons:
                try:
                    re.compile(str(cons["pattern"]))
                except re.error as exc:
                    problems.append(bad(str(cons["pattern"]), f"{where}: a pattern that is a regular expression ({exc})"))
        keys = [*schema.get("primaryKey", []), *(k for fk in schema.get("foreignKeys", []) for k in fk.get("fields", []))]
        if unknown := [k for k in keys if k not in names]:
            problems.append(bad(", ".join(map(str, unknown)), f"resource '{resource['name']}': keys naming its fields "
                                                               f"({', '.join(names)})"))
    return problems


def read_descriptor(data_dir: Path) -> dict:
    """The directory's datapackage.json, or the packaged one when a user's copy has none; DataValidationError when
    it cannot be read (a folder, unreadable, not UTF-8, not JSON) or has the wrong shape (descriptor_problems)."""
    path = data_dir / DESCRIPTOR
    if not path.exists():
        path = DATA_DIR / DESCRIPTOR
    problem = None
    if not path.is_file():
        problem = _problem(path, f"the data package's descriptor, found {'a folder' if path.is_dir() else 'no file'}",
                           "not-a-file")
    else:
        try:
            descriptor = json.loads(path.read_text(encoding="utf-8"))
        except OSError as exc:
            problem = _problem(path, f"a file this process can read ({exc.strerror or exc})", "read-error")
        except json.JSONDecodeError as exc:
            problem = _problem(path, f"valid JSON ({exc.msg} at line {exc.lineno})", "format-error")
        except UnicodeDecodeError as exc:  # e.g. saved as GBK by an editor
            problem = _problem(path, f"UTF-8 text ({exc.reason})", "encoding-error")
    if problem is not None:
        raise DataValidationError([problem])
    descriptor = resolve_schemas(descriptor, path.parent)
    if problems := descriptor_problems(descriptor, path):
        raise DataValidationError(problems)
    return descriptor


def resolve_schemas(descriptor: dict, folder: Path) -> dict:
    """``descriptor`` with each resource's schema given as a path (Frictionless: a Table Schema in a JSON file,
    relative to the descriptor's folder) replaced by that file's schema: the sources registry has one schema file,
    which data/datapackage.json and data/external/datapackage.json both name. Raises DataValidationError naming
    a schema file that cannot be read or is not JSON."""
    resources = descriptor.get("resources") if isinstance(descriptor, dict) else None  # a wrong shape: said later
    for resource in resources if isinstance(resources, list) else []:
        if isinstance(resource, dict) and isinstance(resource.get("schema"), str):
            path = folder / resource["schema"]
            if path.parent.exists() and not path.parent.is_dir():  # e.g. external/ saved as a file
                raise DataValidationError([DataProblem(str(path.parent), None, None, None, f"a folder holding "
                                                       f"{path.name}, found a file", "not-a-folder")])
            try:
                resource["schema"] = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:  # missing, a folder, unreadable, not UTF-8, not JSON
                raise DataValidationError([DataProblem(str(path), None, None, None, "a readable JSON Table Schema "
                                                       f"({type(exc).__name__})", "schema-error")]) from None
    return descriptor


def short_fields(schema: dict | None) -> set[str]:
    """The fields of ``schema`` that are one line: not text, text with an enum or a pattern, in a key, or SHORT_TEXT."""
    schema = schema or {}
    keys = set(schema.get("primaryKey", [])) | {k for fk in schema.get("foreignKeys", []) for k in fk.get("fields", [])}
    return {f["name"] for f in schema.get("fields", []) if f.get("type") != "string" or f["name"] in keys
            or f["name"] in SHORT_TEXT or {"enum", "pattern"} & set(f.get("constraints", {}))}


def _swallowed(header: list[str], cells: list[str], short: set[str]) -> str | None:
    """The column of the first cell of a record spanning several lines that a quote probably swallowed lines into:
    a one-line field holding a line break, or free text with a line that has a whole record's commas."""
    for label, cell in zip(header, cells):
        if "\n" in cell or "\r" in cell:
            inner = cell.splitlines()[1:]
            if label in short or (len(header) > 1 and any(t.count(",") >= len(header) - 1 for t in inner)):
                return label
    return None


def _open_at_end(lines: list[str]) -> bool:
    """Whether the record that starts with ``lines`` (the file's physical lines from its last record's first line
    to the end, line breaks kept) ends inside a quoted cell: a quote (") opened and never closed, which the csv
    module closes silently at the end of the file. Read again with one more line after them: a record whose quote
    is closed keeps that line apart, a record still inside a quote swallows it."""
    marker = "\uffff"  # not a character (validate refuses it in any cell): it cannot end a sound file by chance
    tail = "".join(lines)
    records = list(csv.reader(io.StringIO(tail + ("" if tail.endswith(("\n", "\r")) else "\n") + marker,
                                          newline="")))
    return not records or records[-1] != [marker]


def _quote_left_open(path: Path, header: list[str], cells: list[str], start: int, row: int | None) -> DataProblem:
    """The problem of a record whose last cell's quote is never closed: it runs to the end of the file (``row``
    None for the header)."""
    column = header[len(cells) - 1] if len(cells) <= len(header) else None
    first = (cells[-1].splitlines() or [""])[0]
    return _problem(path, "a closing quote for the quote (\") that opens this cell, but the file ends inside the "
                          "cell (close it on its line, or write a quote inside a cell as \"\")", "quote-error", start,
                    column, f'"{first[:40]}…', row)


def _header_problems(path: Path, header: list[str], end: int = 1) -> list[DataProblem]:
    """A header that does not name each column once, plainly, on line 1: a quote that swallowed the lines after
    it (the header runs to line ``end``, or a name holds a line break), an empty line, a byte order mark, empty
    cells, spaces around a name, a name twice."""
    if (label := next((c for c in header if "\n" in c or "\r" in c), None)) is not None:
        first = label.splitlines()[0]
        swallowed = "the end of the file" if end == 1 else f"line {end}" if end == 2 else f"lines 2–{end}"
        return [_problem(path, f"the column names on line 1, but the header runs to line {end}: a quote (\") opening "
                               f"this name probably swallowed {swallowed} (delete it, or close it on line 1)",
                         "quote-error", 1, first.strip(), f'"{first[:40]}…')]
    if not any(label.strip() for label in header):
        return [_problem(path, "the column names on line 1, which is empty", "blank-header", 1)]
    problems = [_problem(path, BOM_WORDS, "encoding-error", 1, label.replace(BOM, ""), label)
                for label in header if BOM in label]
    if blank := [i for i, label in enumerate(header, start=1) if not label.strip()]:
        cols = f"column {blank[0]} has" if len(blank) == 1 else \
            f"columns {', '.join(map(str, blank[:-1]))} and {blank[-1]} have"
        problems.append(_problem(path, f"a name in every header cell; {cols} none (empty columns a spreadsheet added "
                                       "after the last one: delete them)", "blank-label", 1))
    problems += [_problem(path, f"the name '{label.strip()}' without spaces around it", "incorrect-label", 1, label)
                 for label in header if label.strip() and label != label.strip()]
    for label in dict.fromkeys(header):
        where = [i for i, other in enumerate(header, start=1) if other == label]
        if label.strip() and len(where) > 1:
            cols = ", ".join(map(str, where[:-1])) + f" and {where[-1]}"
            problems.append(_problem(path, f"each column name once; '{label}' names columns {cols}, and readers "
                                           "differ on which of them they keep", "duplicate-label", 1, label))
    return problems


def read_table(path: Path, schema: dict | None, what: str,
               must_have_rows: bool = False) -> tuple[RawTable | None, list[DataProblem], list[DataProblem]]:
    """(table, problems, notes): the CSV file ``path`` read as strings, strictly, the table None when it has a
    problem (its rows would not be the rows its schema describes: no rule runs on them).

    Problems, each one line: missing (``missing-file``, "the file of ``what``"), a folder (``not-a-file``),
    unreadable (``read-error``), not UTF-8 (``encoding-error``, at the line of the first bad byte), empty
    (``empty-file``), the header's problems (_header_problems), a cell the csv module refuses (``format-error``), a
    record spanning several lines whose quote probably swallowed the lines after it (``quote-error``, at the line
    where the record starts: _swallowed), a byte order mark inside (``encoding-error``), no row under the header when
    ``must_have_rows`` (``empty-table``), a quote left open in the last record, which the csv module would close
    silently at the end of the file (``quote-error``: _open_at_end), a header whose quote swallowed lines
    (``quote-error`` at line 1). Notes: each column ``schema`` does not name (``extra-label``; not read).
    Blank lines are skipped; each row's line is the line it starts on."""
    def fail(expected, code, line=None, **where):
        return None, [_problem(path, expected, code, line, **where)], []

    if not path.exists():
        return fail(f"the file of {what}", "missing-file")
    if not path.is_file():
        return fail(f"the file of {what}, found {'a folder' if path.is_dir() else 'something that is not a file'}",
                    "not-a-file")
    try:
        data = path.read_bytes()
    except OSError as exc:
        return fail(f"a file this process can read ({exc.strerror or exc})", "read-error")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return fail(f"UTF-8 text ({exc.reason})", "encoding-error", data[:exc.start].count(b"\n") + 1)
    if not text.strip():
        return fail("a header line, then rows (the file is empty)", "empty-file")
    reader, records, end = csv.reader(io.StringIO(text, newline="")), [], 0
    try:
        for cells in reader:
            records.append((cells, end + 1, reader.line_num))
            end = reader.line_num
    except csv.Error as exc:
        return fail(f"CSV text ({exc})", "format-error", reader.line_num)
    header = records[0][0]
    if problems := _header_problems(path, header, records[0][2]):
        return None, problems, []
    # the last record: does it end inside a quote the csv module closed silently at the end of the file?
    open_at_end = len(records) > 1 and _open_at_end(list(io.StringIO(text, newline=""))[records[-1][1] - 1:])
    short, rows, lines = short_fields(schema), [], []
    for cells, start, end in records[1:]:
        if not any(c.strip() for c in cells):
            continue
        row = len(rows) + 1
        if open_at_end and (cells, start, end) == records[-1] and not (end > start and _swallowed(header, cells, short)):
            problems.append(_quote_left_open(path, header, cells, start, row))
        elif end > start and (column := _swallowed(header, cells, short)):
            first = cells[header.index(column)].splitlines()[0]
            swallowed = f"line {end}" if end == start + 1 else f"lines {start + 1}–{end}"
            problems.append(_problem(path, f"one record per line, but this record runs from line {start} to line "
                                           f"{end}: a quote (\") opening this cell probably swallowed {swallowed} "
                                           "(close it on its line, or write a quote inside a cell as \"\")",
                                     "quote-error", start, column, f'"{first[:40]}…', row))
        elif (bom := next((i for i, c in enumerate(cells) if BOM in c), None)) is not None:
            problems.append(_problem(path, BOM_WORDS, "encoding-error", start, header[bom] if bom < len(header)
                                     else None, cells[bom].strip(), row))
        rows.append(dict(zip(header, [c.strip() for c in cells])) | {"__ncells__": str(len(cells))})
        lines.append(start)
    if not rows and must_have_rows:
        problems.append(_problem(path, f"at least one row under the header ({what} cannot be empty)", "empty-table"))
    if problems:
        return None, problems, []
    known = [f["name"] for f in (schema or {}).get("fields", [])]
    notes = [_problem(path, f"a column of {what} ({', '.join(known)}); this one is not read", "extra-label", 1, label)
             for label in header if schema is not None and label not in known]
    return RawTable(path, header, rows, lines), [], notes


def read_raw(data_dir: Path, descriptor: dict, must_have_rows=(), warn: bool = True) -> tuple[dict[str, RawTable],
                                                                                           list[DataProblem]]:
    """Read every resource as strings (read_table); a file that cannot be read strictly becomes its problems and is
    left out, never an exception. ``must_have_rows``: the resources that cannot be empty. Each column a schema does
    not name is a DataWarning (``warn``)."""
    raw, problems = {}, []
    for resource in descriptor["resources"]:
        name = resource["name"]
        table, found, notes = read_table(data_dir / resource["path"], resource.get("schema"), f"resource '{name}'",
                                         name in must_have_rows)
        problems += found
        for note in notes if warn else ():
            warnings.warn(DataWarning(note), stacklevel=2)
        if table is not None:
            raw[name] = table
    return raw, problems


def load(data_dir: str | Path | None = None) -> Dataset:
    """Load and validate a data directory (default: the packaged data/); raise one error listing every problem.

    A folder whose datapackage.json says ``"extends": "wuchang-innovation-2016"`` holds only a user's additions
    (:func:`load_additions`): it is read together with the packaged data, so corrections of the report's data reach
    it. Any other folder is a complete data package, as data/ is."""
    directory = resolve_data_dir(data_dir)
    descriptor = read_descriptor(directory)
    if descriptor.get("extends"):
        return load_additions(directory, descriptor)
    declared = {r["name"] for r in descriptor["resources"]}
    if missing := [name for name in REPORT_RESOURCES if name not in declared]:
        path = directory / DESCRIPTOR if (directory / DESCRIPTOR).exists() else DATA_DIR / DESCRIPTOR
        raise DataValidationError([_problem(path, f"a resource named '{name}' (its {name}.csv)", "missing-resource")
                                   for name in missing])
    raw, problems = read_raw(directory, descriptor, MUST_HAVE_ROWS)
    if problems:  # a file not read as its table: the rules would only cascade into other files (unknown keys)
        raise DataValidationError(problems)
    problems += collect_problems(raw, descriptor)
    if problems:
        raise DataValidationError(problems)
    return _dataset(directory, descriptor, raw)


def _dataset(directory: Path, descriptor: dict, raw: dict[str, RawTable]) -> Dataset:
    tables = to_frames(raw, descriptor)
    return Dataset(directory, descriptor, tables, UnitTable.from_frame(tables["units"]),
                   QualifierTable.from_frame(tables["qualifiers"]))


def load_additions(directory: Path, descriptor: dict) -> Dataset:
    """A user's additions (districts, years, sources) read together with the packaged data: each resource the
    folder's datapackage.json lists (by the packaged resource's name, with its own path; the packaged schema
    applies) adds its rows to the packaged table of that name. Every rule runs over the whole; a problem in an
    added row names the user's file and its row. A row with the key of one of the report's rows is refused (an
    addition never changes a number the report prints) unless it is in the resource ``replacements`` (the
    observations' schema, each row naming its source_id): it then stands in for the report's row, kept in
    ``tables['replaced']`` for the audit (Dataset.report_view) and for tables that show both.
    ``Dataset.data_dir`` is the additions folder; ``descriptor['additions']`` says so, and
    ``descriptor['additions_resources']`` lists its resources (name, path). Raises DataValidationError listing
    every problem."""
    base = read_descriptor(DATA_DIR)
    path = directory / DESCRIPTOR
    if descriptor["extends"] != base["name"]:
        raise DataValidationError([_problem(path, f'"extends": "{base["name"]}" (the packaged data)', "format-error",
                                            value=descriptor["extends"])])
    schemas = {r["name"]: r for r in base["resources"]}
    schemas[REPLACEMENTS] = schemas["observations"] | {"name": REPLACEMENTS}
    unknown = [r.get("name") for r in descriptor["resources"] if r.get("name") not in schemas]
    if unknown:
        raise DataValidationError([_problem(path, f"resources named as the packaged ones ({', '.join(schemas)})",
                                            "format-error", value=name) for name in unknown])
    listed = {Path(r["path"]).as_posix() for r in descriptor["resources"]}
    for stray in sorted(p.name for p in directory.glob("*.csv") if p.name not in listed):  # e.g. concepts.csv
        warnings.warn(DataWarning(_problem(directory / stray, "a file the folder's datapackage.json lists as a "
                                           f"resource (one of: {', '.join(schemas)}); this one is not read",
                                           "extra-label")), stacklevel=2)
    raw, problems = read_raw(DATA_DIR, base, MUST_HAVE_ROWS)
    own, more = read_raw(directory, {"resources": [schemas[r["name"]] | {"path": r["path"]}
                                                   for r in descriptor["resources"]]})
    problems += more
    replacements = own.pop(REPLACEMENTS, None)
    problems += extend_raw(raw, own)
    problems += own_tier_problems(raw.get("sources"), directory)
    replaced = None
    if replacements is not None and not problems:
        replaced, found = _replace(raw, replacements)
        problems += found
    if problems:  # a file not read as its table: its rows would only cascade into other files' problems
        raise DataValidationError(problems)
    problems += [placed(p, raw) for p in collect_problems(raw, base)]  # each said of its own file and row
    if problems:
        raise DataValidationError(problems)
    dataset = _dataset(directory, base | {"extends": base["name"], "additions": str(directory),
                                          "additions_resources": descriptor["resources"]}, raw)
    dataset.origins = {name: table.all_origins() for name, table in raw.items()}
    if replaced is not None:
        dataset.tables["replaced"] = to_frames({"observations": replaced},
                                               {"resources": [schemas["observations"]]})["observations"]
    return dataset


REPLACEMENTS = "replacements"  # an additions folder's resource: rows that stand in for numbers the report prints


def extend_raw(raw: dict[str, RawTable], own: dict[str, RawTable]) -> list[DataProblem]:
    """Append each table of ``own`` (a user's rows) to the table of the same name in ``raw`` (the packaged one), in
    place; each row keeps its origin (RawTable.origins). A user's table may leave out a column added after users
    wrote their files (LATER_COLUMNS), read as empty; any other difference of columns is a problem of the user's
    file, and that table is not appended. Returns those problems."""
    problems = []
    for name, table in own.items():
        packaged = raw[name]
        lacking = [c for c in packaged.columns if c not in table.columns and c not in LATER_COLUMNS.get(name, set())]
        unknown = [c for c in table.columns if c not in packaged.columns]
        if lacking or unknown:  # said by name: a newcomer who deleted 'unit' was shown the whole list
            which = "; ".join(part for part in (f"no column {', '.join(lacking)}" if lacking else "",
                                                f"unknown column {', '.join(unknown)}" if unknown else "") if part)
            problems.append(_problem(table.path, f"the columns of the packaged {packaged.path.name}: "
                                     f"{', '.join(packaged.columns)} ({which})", "missing-column", 1,
                                     column=", ".join(lacking or unknown)))
            continue
        missing = [c for c in packaged.columns if c not in table.columns]
        rows = [row | dict.fromkeys(missing, "") | {"__ncells__": str(int(row["__ncells__"]) + len(missing))}
                for row in table.rows] if missing else table.rows
        raw[name] = RawTable(table.path, packaged.columns, packaged.rows + rows, packaged.lines + table.lines,
                             packaged.all_origins() + table.all_origins())
    return problems


def own_tier_problems(sources: RawTable | None, folder: Path) -> list[DataProblem]:
    """A user's source (a row of ``sources`` read from a file under ``folder``) has the standing of a user's own
    source: an empty tier or 'own'. The other tiers are this project's assessment of the sources it ships, not
    something an addition can claim. One problem per other row, said of the user's file and row."""
    if sources is None or "tier" not in sources.columns:
        return []
    return [DataProblem(file, row, "tier", r["tier"], "empty or 'own' for a source of your own (the other standings "
                        "are this project's assessment of the sources it ships)", "constraint-error", line)
            for r, (file, row, line) in zip(sources.rows, sources.all_origins())
            if r.get("tier") in TIERS[:-1] and Path(file).is_relative_to(folder)]  # another value: the enum's


def raw_tables(data: Dataset, names) -> tuple[dict[str, RawTable], list[DataProblem]]:
    """The resources ``names`` of a loaded Dataset read again as strings (read_raw), for checks of other files
    against them (data.external's foreign keys): the folder's own, or for a user's additions (load_additions) the
    packaged tables with the user's rows appended (extend_raw). Returns (tables, problems)."""
    wanted = {"resources": [r for r in data.descriptor["resources"] if r["name"] in names]}
    if not data.descriptor.get("additions"):
        return read_raw(Path(data.data_dir), wanted, warn=False)
    raw, problems = read_raw(DATA_DIR, wanted, warn=False)
    schemas = {r["name"]: r for r in wanted["resources"]}
    own, more = read_raw(Path(data.data_dir), {"resources": [schemas[r["name"]] | {"path": r["path"]}
                                                             for r in data.descriptor["additions_resources"]
                                                             if r["name"] in schemas]}, warn=False)
    return raw, problems + more + extend_raw(raw, own)


def _replace(raw: dict, replacements: RawTable) -> tuple:
    """Put each row of ``replacements`` in place of the report's row with its key (entity, indicator, year) in
    ``raw['observations']`` (in place, with the replacement's origin); return (the report's rows it replaced, as a
    RawTable, or None; problems): a row whose key is no number of the report, or that names no ``source_id`` (a
    replacement says where it comes from). The replacement rows then meet every rule of the observations, as the
    report's rows do, and their problems are said of replacements.csv (the combined table's origins)."""
    obs = raw["observations"]
    where = {(r["entity"], r["indicator"], r["year"]): i for i, r in enumerate(obs.rows) if not r.get("source_id")}
    problems, taken = [], {}
    for row_no, (row, line) in enumerate(zip(replacements.rows, replacements.lines), start=1):
        key = (row.get("entity", ""), row.get("indicator", ""), row.get("year", ""))
        if key not in where:
            problems.append(DataProblem(str(replacements.path), row_no, "entity+indicator+year", "/".join(key),
                                        "the key of a number the report prints (a number of your own goes in "
                                        "observations.csv)", "foreign-key-error", line))
        elif not row.get("source_id"):
            problems.append(DataProblem(str(replacements.path), row_no, "source_id", "", "the source of the "
                                        "replacement (a row of sources.csv)", "required-error", line))
        else:
            taken[where[key]] = (row, row_no)
    if problems:
        return None, problems
    origins = obs.all_origins()
    old = RawTable(obs.path, obs.columns, [obs.rows[i] for i in taken], [obs.lines[i] for i in taken],
                   [origins[i] for i in taken])
    for i, (row, row_no) in taken.items():
        origins[i] = replacements.origin(row_no)
        obs.rows[i], obs.lines[i] = row, origins[i][2]
    obs.origins = origins
    return old, []


def placed(problem: DataProblem, raw: dict) -> DataProblem:
    """A problem of a combined table (load_additions) said of the file, row and line its row came from
    (RawTable.origins); a unique key's other row too, when the problem names one. Any other problem as it is."""
    table = next((t for t in raw.values() if t.origins is not None and str(t.path) == problem.file), None)
    if table is None or problem.row is None:
        return problem
    file, row, line = table.origin(problem.row)
    expected = problem.expected
    if problem.code == "unique-error" and (m := re.search(r"row (\d+) has the same", expected)):
        other_file, other_row, _ = table.origin(int(m.group(1)))
        if other_file != file and Path(other_file).is_relative_to(DATA_DIR):  # the packaged data's own row
            why = ("an addition never changes one of the report's numbers; to correct it, put the row in "
                   "replacements.csv with your source_id: docs/your-own-data.md" if Path(other_file).name ==
                   "observations.csv" else "an addition never changes the packaged data")  # a concept, entity, source
            expected = (f"a key the packaged data do not hold: the packaged {Path(other_file).name} (data/"
                        f"{Path(other_file).relative_to(DATA_DIR).as_posix()}) row {other_row} has it ({why})")
        else:
            expected = expected.replace(m.group(0), f"{'' if other_file == file else Path(other_file).name + ' '}"
                                                     f"row {other_row} has the same")
    return dataclasses.replace(problem, file=file, row=row, line=line, expected=expected)
