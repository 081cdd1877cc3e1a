"""Data the tests build: the report's districts, a synthetic district, rows appended to or replaced in a copy of
data/, the external folder broken on purpose, synthetic qualifiers."""
from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

from analysis_utils import paths
from analysis_utils.data.load import load

DISTRICTS = ["武昌区", "南山区", "余杭区"]  # the report's three districts, in its order
SYNTHETIC_DISTRICT = "SYNTHETIC_测试区"  # synthetic: not in the report, used only by tests
OBS = "observations.csv"
# a row of observations.csv, cell by cell in the file's column order (an extra patent-grants count of 2015)
OBS_ROW = ["武昌区", "patent_grants", "2015", "", "false", "1", "", "件", "", "1", "表1", "", "", ""]  # … source, source_id, also_in, note


def problems_of(data_dir) -> list:
    """The DataProblems that load() of ``data_dir`` raises (DataValidationError); fails the test if it loads."""
    import pytest

    from analysis_utils.errors import DataValidationError

    with pytest.raises(DataValidationError) as info:
        load(data_dir)
    return info.value.problems


def append_rows(path: Path, rows: list[dict] | list[list[str]]) -> None:
    """Append ``rows`` to the CSV file ``path``: each a dict by column name (missing columns empty) or a list of
    cells in the file's column order."""
    with path.open(encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle))
    unknown = {k for row in rows if isinstance(row, dict) for k in row} - set(header)
    if unknown:
        raise ValueError(f"{path.name} has no column {sorted(unknown)}")
    with path.open("a", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        for row in rows:
            writer.writerow([row.get(k, "") for k in header] if isinstance(row, dict) else row)


def replace_line(path: Path, startswith: str, new: str | None) -> int:
    """Replace (or drop, if new is None) the first line starting with ``startswith``; return its line number."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    for i, line in enumerate(lines):
        if line.startswith(startswith):
            if new is None:
                del lines[i]
            else:
                lines[i] = new + "\n"
            path.write_text("".join(lines), encoding="utf-8")
            return i + 1
    raise AssertionError(f"no line starting with {startswith!r} in {path}")


def add_synthetic_district(data_dir: Path, name: str = SYNTHETIC_DISTRICT, scale: float = 2.0,
                           scales: dict[str, float] | None = None) -> dict:
    """Add a synthetic district with every 表2 and 表3 indicator (values = 武昌区's × scale, or × scales[indicator]
    for the indicators named there, so that it can lead on some indicators and trail on others)."""
    focus = load(data_dir)
    append_rows(data_dir / "entities.csv", [{"entity": name, "name_en": "SYNTHETIC district", "level": "district",
                                             "parent": "", "note": "synthetic test district"}])
    # its numbers name their (SYNTHETIC) source: a user's numbers are never the report's
    append_rows(data_dir / "external" / "sources.csv", [{
        "source_id": "synthetic_test", "publisher": "测试（SYNTHETIC）", "publisher_en": "Test (SYNTHETIC)",
        "title": "虚构的测试数据（SYNTHETIC）", "citation": "SYNTHETIC test data", "date_accessed": "2026-12-07",
        "kind": "other", "scope": "SYNTHETIC test figures", "scope_zh": "测试用的虚构数字"}])
    obs = focus.observations
    base = obs[(obs["entity"] == "武昌区") & ((obs["source"] == "表2") | (obs["source"] == "表3"))]
    values = {}
    rows = []
    for _, r in base.iterrows():
        value = round(float(r["value"]) * (scales or {}).get(r["indicator"], scale), 2)
        if r["unit"] in ("个", "人"):
            value = int(round(value))
        values[r["indicator"]] = value
        rows.append({"entity": name, "indicator": r["indicator"], "year": int(r["year"]),
                     "year_inferred": "false", "value": value, "unit": r["unit"], "qualifier": "",
                     "printed": str(value), "source": f"SYNTHETIC, as {r['source']}", "source_id": "synthetic_test",
                     "note": "synthetic"})
    append_rows(data_dir / "observations.csv", rows)
    return values


# ---------------------------------------------------------------- a user's additions folder (SYNTHETIC)
EXAMPLE = paths.REPO_ROOT / "examples" / "synthetic-district"  # 示例区 and its source synthetic_bulletin, SYNTHETIC
EXAMPLE_SOURCE = "synthetic_bulletin"
# a SYNTHETIC replacement of the report's 武昌区 GDP of 2015 (870 亿元, 表2) by 880 from the example's source
REPLACES_GDP = "武昌区,gdp,2015,,false,880,,亿元,,880,第3页,synthetic_bulletin,,SYNTHETIC correction of 870\n"


def copy_example(target: Path) -> Path:
    """A copy of examples/synthetic-district at ``target`` (an additions folder read with the packaged data)."""
    shutil.copytree(EXAMPLE, target)
    return target


def with_resource(folder: Path, name: str, text: str) -> Path:
    """Write ``text`` (a header and rows) as the additions folder's ``<name>.csv`` and list it in its
    datapackage.json as the resource ``name``; return the file's path."""
    path = folder / "datapackage.json"
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    descriptor["resources"].append({"name": name, "path": f"{name}.csv"})
    path.write_text(json.dumps(descriptor, ensure_ascii=False), encoding="utf-8")
    (folder / f"{name}.csv").write_text(text, encoding="utf-8")
    return folder / f"{name}.csv"


def with_replacements(folder: Path, text: str) -> Path:
    """Add ``text`` (rows of observations.csv's columns) as the additions folder's replacements.csv, listed in its
    datapackage.json; return the file's path."""
    header = (folder / "observations.csv").read_text(encoding="utf-8").splitlines()[0]
    return with_resource(folder, "replacements", header + "\n" + text)


def with_concepts(folder: Path, rows: str) -> Path:
    """Add ``rows`` (of concepts.csv's columns) as the additions folder's concepts.csv, listed in its
    datapackage.json; return the file's path."""
    return with_resource(folder, "concepts", "indicator,entity,year,concept,source_id,inferred,note\n" + rows)


# ---------------------------------------------------------------- the external folder (published figures, 06)
def external_rows(folder: Path, name: str) -> int:
    with (folder / "external" / name).open(encoding="utf-8", newline="") as handle:
        return sum(1 for _ in csv.DictReader(handle))


def break_external_value(folder: Path) -> None:
    path = folder / "external" / "observations.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    assert lines[1].startswith("武汉市,rd_expenditure,2013,,false,248,")  # the row the test breaks
    lines[1] = lines[1].replace("false,248,", "false,24x8,", 1)
    path.write_text("".join(lines), encoding="utf-8")


SYNTHETIC_QUALIFIERS = {  # three synthetic codes: exact (code ''), lower bound, missing
    "qualifier": ["", "syn_ge", "syn_missing"], "printed_as": ["", "不低于", "-"],
    "name_en": ["", "at least", "not given"], "lower": ["value", "value", ""], "upper": ["value", "", ""],
    "lower_inclusive": ["true", "1", ""], "upper_inclusive": ["TRUE", "", ""],
    "precision": ["decimals", "decimals", ""], "meaning": ["as printed", "", "no value"]}
