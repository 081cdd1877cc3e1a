"""A user's additions folder, started for one district: what `python -m analysis_utils new-district` writes.

The folder is a small data package whose datapackage.json says ``"extends": "wuchang-innovation-2016"``
(data.load.load_additions reads it together with the packaged data): ``entities.csv`` (the district), ``sources.csv``
(the source its numbers come from, for the user to cite: the required cells are left empty, so `validate` names
each) and ``observations.csv`` (one row per indicator the notebooks read that the district can have (:func:`offered`:
no other province's or city's talent plan), in the comparison year, printed '-' with the qualifier 'missing' until
the user fills in value, printed and where in the source).
"""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from analysis_utils.data.load import REPORT_YEAR, Dataset
from analysis_utils.errors import ParameterError

RESOURCES = {"entities": "entities.csv", "sources": "sources.csv", "observations": "observations.csv"}
# Indicators that count selections under one province's or city's own plan (data/indicators.csv, their definitions):
# the entity of entities.csv whose plan it is. Every other indicator (the national Thousand Talents Plan, overseas
# projects, Table 2's and the index's) can be counted for any district.
REGIONAL_INDICATORS = {"talent_hubei_100": "湖北省", "talent_huanghe": "武汉市", "talent_wuhan_experts": "武汉市",
                       "talent_peacock": "深圳市", "talent_zhejiang_1000": "浙江省",
                       "guangdong_innovation_teams": "广东省"}


def offered(data: Dataset, parent: str, indicators: list[str]) -> list[str]:
    """The ``indicators`` a new district under ``parent`` is offered rows for, in their order: each one any district
    can have, and each plan of a province or city (REGIONAL_INDICATORS) only when that province or city is the
    district's own: ``parent`` or one of its parents in entities.csv (武汉市, then 湖北省). A district whose parent is
    not given, or not in entities.csv, is offered no regional plan: a district of Chengdu cannot be selected under
    Shenzhen's Peacock Plan, and a row asking for it would only ever be '-'."""
    parents = dict(zip(data.entities["entity"], data.entities["parent"]))
    own, place = set(), parent
    while place and place not in own:
        own.add(place)
        place = parents.get(place, "")
    return [i for i in indicators if i not in REGIONAL_INDICATORS or REGIONAL_INDICATORS[i] in own]


def template(data: Dataset, entity: str, name_en: str, source_id: str, year: int = REPORT_YEAR,
             parent: str = "", indicators: list[str] | None = None) -> dict[str, str]:
    """{file name: text} of a new additions folder for ``entity`` (its English name ``name_en``, under ``parent``),
    its numbers from the source ``source_id`` in ``year``: datapackage.json and the three CSVs, headed as the packaged
    files are. ``indicators``: the rows to fill (default: every indicator a notebook reads for a district, by the
    caller). ParameterError for an entity the data hold already, a ``parent`` that is no city or province of theirs,
    or a source id that is not snake_case."""
    import re

    if entity in set(data.entities["entity"]):
        raise ParameterError("entity", entity, "a district the data do not hold yet (it is in entities.csv)")
    places = data.entities.loc[data.entities["level"].isin(("city", "province")), "entity"]
    if parent and parent not in set(places):  # a district lies in a city or province, not in a district or project
        cities = sorted(data.entities.loc[data.entities["level"] == "city", "entity"])
        raise ParameterError("parent", parent, f"a city or province of entities.csv ({', '.join(cities)}, …) or empty")
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
