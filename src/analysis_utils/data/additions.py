"""A user's additions folder, started for one district: what `python -m analysis_utils new-district` writes.

The folder is a small data package whose datapackage.json says ``"extends": "wuchang-innovation-2016"``
(data.load.load_additions reads it together with the packaged data): ``entities.csv`` (the district), ``sources.csv``
(the source its numbers come from, for the user to cite: the required cells are left empty, so `validate` names
each) and ``observations.csv`` (one row per indicator the notebooks read, in the comparison year, printed '-' with
the qualifier 'missing' until the user fills in value, printed and where in the source).
"""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from analysis_utils.data.load import REPORT_YEAR, Dataset
from analysis_utils.errors import ParameterError

RESOURCES = {"entities": "entities.csv", "sources": "sources.csv", "observations": "observations.csv"}


def template(data: Dataset, entity: str, name_en: str, source_id: str, year: int = REPORT_YEAR,
             parent: str = "", indicators: list[str] | None = None) -> dict[str, str]:
    """{file name: text} of a new additions folder for ``entity`` (its English name ``name_en``, under ``parent``),
    its numbers from the source ``source_id`` in ``year``: datapackage.json and the three CSVs, headed as the packaged
    files are. ``indicators``: the rows to fill (default: every indicator a notebook reads for a district, by the
    caller). ParameterError for an entity the data hold already or a source id that is not snake_case."""
    import re

    if entity in set(data.entities["entity"]):
        raise ParameterError("entity", entity, "a district the data do not hold yet (it is in entities.csv)")
    if not re.fullmatch(r"[a-z][a-z0-9_]*", source_id):
        raise ParameterError("source_id", source_id, "lower-case letters, digits and _ (e.g. jianghan_bulletin_2015)")
    units = data.indicators.set_index("indicator")["unit"]
    fields = {r["name"]: [f["name"] for f in r["schema"]["fields"]] for r in data.descriptor["resources"]}
    rows = {"entities": [{"entity": entity, "name_en": name_en, "level": "district", "parent": parent}],
            "sources": [{"source_id": source_id}],
            "observations": [{"entity": entity, "indicator": i, "year": year, "year_inferred": "false", "unit": units[i],
                              "qualifier": "missing", "printed": "-", "source": "-", "source_id": source_id}
                             for i in indicators or []]}
    out = {"datapackage.json": json.dumps({"name": "my-additions", "extends": data.descriptor["name"],
                                           "resources": [{"name": n, "path": p} for n, p in RESOURCES.items()]},
                                          ensure_ascii=False, indent=2) + "\n"}
    for name, path in RESOURCES.items():
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=fields[name], lineterminator="\n")
        writer.writeheader()
        writer.writerows({k: row.get(k, "") for k in fields[name]} for row in rows[name])
        out[path] = buffer.getvalue()
    return out


def write(folder: str | Path, files: dict[str, str]) -> Path:
    """Write ``files`` into a new ``folder``; ParameterError when it exists (nothing of a user's is overwritten)."""
    folder = Path(folder).expanduser()
    if folder.exists():
        raise ParameterError("into", str(folder), "a folder that does not exist yet (nothing is overwritten)")
    folder.mkdir(parents=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder
