"""Read a data directory into typed frames; every row keeps its source file and line. Reads, never writes."""
from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analysis_utils.data.qualifiers import QualifierTable
from analysis_utils.data.units import Quantity, UnitTable
from analysis_utils.data.validate import collect_problems, to_frames
from analysis_utils.errors import AnalysisError, DataProblem, DataValidationError
from analysis_utils.paths import DATA_DIR, resolve_data_dir  # noqa: F401  (resolve_data_dir: importable from here too)

DESCRIPTOR = "datapackage.json"
REPORT_SOURCE = ""  # source_id of the report's own numbers (observations.csv): the empty cell
REPORT_YEAR = 2015  # the report's comparison year: the year of 表2 and of most of its prose (report, section 二)


@dataclass
class RawTable:
    """A CSV read as strings, with the file line of each row (header is line 1)."""

    path: Path
    columns: list[str]
    rows: list[dict[str, str]]
    lines: list[int]


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
        (a district a user added, and its rows, are left out). The audit judges the report on this view, so a
        user's additions never change a verdict or a count; ``self`` when there is nothing to leave out."""
        cached = self.__dict__.get("_report_view")
        if cached is not None and cached[0] is self.tables["observations"]:
            return cached[1]
        obs, ent = self.report_observations(), self.tables["entities"]
        parents, keep = dict(zip(ent["entity"], ent["parent"])), set()
        for entity in obs["entity"]:
            while entity and entity not in keep:
                keep.add(entity)
                entity = parents.get(entity, "")
        view = self
        if len(obs) < len(self.tables["observations"]) or not set(ent["entity"]) <= keep:
            tables = self.tables | {"observations": obs, "entities": ent[ent["entity"].isin(keep)]}
            view = Dataset(self.data_dir, self.descriptor, tables, self.units_table, self.qualifier_table)
        self.__dict__["_report_view"] = (self.tables["observations"], view)
        return view

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


def read_descriptor(data_dir: Path) -> dict:
    """The directory's datapackage.json, or the packaged one when a user's copy has none."""
    path = data_dir / DESCRIPTOR
    if not path.exists():
        path = DATA_DIR / DESCRIPTOR
    try:
        return resolve_schemas(json.loads(path.read_text(encoding="utf-8")), path.parent)
    except json.JSONDecodeError as exc:
        raise DataValidationError([DataProblem(str(path), None, None, None,
                                               f"valid JSON ({exc.msg} at line {exc.lineno})", "format-error")]) from None
    except UnicodeDecodeError as exc:  # e.g. saved as GBK by an editor
        raise DataValidationError([DataProblem(str(path), None, None, None, f"UTF-8 text ({exc.reason})",
                                               "encoding-error")]) from None


def resolve_schemas(descriptor: dict, folder: Path) -> dict:
    """``descriptor`` with each resource's schema given as a path (Frictionless: a Table Schema in a JSON file,
    relative to the descriptor's folder) replaced by that file's schema: the sources registry has one schema file,
    which data/datapackage.json and data/external/datapackage.json both name. Raises DataValidationError naming
    a schema file that cannot be read or is not JSON."""
    for resource in descriptor.get("resources", []):
        if isinstance(resource.get("schema"), str):
            path = folder / resource["schema"]
            try:
                resource["schema"] = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:  # missing, a folder, unreadable, not UTF-8, not JSON
                raise DataValidationError([DataProblem(str(path), None, None, None, "a readable JSON Table Schema "
                                                       f"({type(exc).__name__})", "schema-error")]) from None
    return descriptor


def read_raw(data_dir: Path, descriptor: dict) -> tuple[dict[str, RawTable], list[DataProblem]]:
    """Read every resource as strings; a missing or unreadable file becomes a problem, not an exception."""
    raw, problems = {}, []
    for resource in descriptor["resources"]:
        path = data_dir / resource["path"]
        if not path.exists():
            problems.append(DataProblem(str(path), None, None, None,
                                        f"the file of resource '{resource['name']}'", "missing-file"))
            continue
        try:
            with path.open(encoding="utf-8-sig", newline="") as handle:
                reader = csv.reader(handle)
                header = next(reader, [])
                rows, lines = [], []
                for cells in reader:
                    if not any(c.strip() for c in cells):
                        continue
                    rows.append(dict(zip(header, [c.strip() for c in cells])) | {"__ncells__": str(len(cells))})
                    lines.append(reader.line_num)
        except UnicodeDecodeError as exc:
            problems.append(DataProblem(str(path), None, None, None, f"UTF-8 text ({exc.reason})", "encoding-error"))
            continue
        raw[resource["name"]] = RawTable(path, header, rows, lines)
    return raw, problems


def load(data_dir: str | Path | None = None) -> Dataset:
    """Load and validate a data directory (default: the packaged data/); raise one error listing every problem."""
    directory = resolve_data_dir(data_dir)
    descriptor = read_descriptor(directory)
    raw, problems = read_raw(directory, descriptor)
    problems += collect_problems(raw, descriptor)
    if problems:
        raise DataValidationError(problems)
    tables = to_frames(raw, descriptor)
    return Dataset(directory, descriptor, tables, UnitTable.from_frame(tables["units"]),
                   QualifierTable.from_frame(tables["qualifiers"]))
