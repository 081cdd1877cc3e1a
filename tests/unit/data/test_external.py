"""data.external.load_external on a synthetic report folder and synthetic external folders: where the folder and
its descriptor come from, which problems are reported (the external rows', not the report's reference rows'),
and the frames it returns. Each expected problem is a whole record worked out by hand from the files written here.
"""
from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest

from analysis_utils.data.external import load_external
from analysis_utils.errors import DataProblem, DataValidationError


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def field(name, kind="string", **constraints):
    return {"name": name, "type": kind, "constraints": constraints}


# The synthetic report: only what load_external reads of a loaded Dataset (data_dir, descriptor). Its descriptor
# also names a table that is no reference table ('observations', no file): load_external must not read it.
REPORT_DESCRIPTOR = {"resources": [
    {"name": "units", "path": "units.csv", "schema": {"fields": [field("unit"), field("dimension"),
                                                                 field("factor", "number")]}},
    {"name": "indicators", "path": "indicators.csv", "schema": {"fields": [field("indicator"), field("unit")]}},
    {"name": "observations", "path": "observations.csv", "schema": {"fields": [field("entity")]}}]}
REPORT_UNITS = "unit,dimension,factor\n件,count,1\n万元,currency_cny,10000\n"
# the report's ids break the synthetic external pattern [a-z_]+ on purpose: they are reference rows only
REPORT_INDICATORS = "indicator,unit\nReport-Grants,件\nReport-Funds,万元\n"

# A synthetic external descriptor, stricter than the packaged one in one place: indicator ids match [a-z_]+.
EXTERNAL_DESCRIPTOR = {"resources": [
    {"name": "sources", "path": "sources.csv",
     "schema": {"fields": [field("source_id", required=True), field("date_published")], "primaryKey": ["source_id"]}},
    {"name": "indicators", "path": "indicators.csv",
     "schema": {"fields": [field("indicator", required=True, pattern="[a-z_]+"), field("unit")],
                "primaryKey": ["indicator"],
                "foreignKeys": [{"fields": ["unit"], "reference": {"resource": "units", "fields": ["unit"]}}]}},
    {"name": "observations", "path": "observations.csv",
     "schema": {"fields": [field("indicator"), field("year", "integer"), field("value", "number"), field("unit"),
                           field("source_id")],
                "foreignKeys": [{"fields": ["indicator"], "reference": {"resource": "indicators", "fields": ["indicator"]}},
                                {"fields": ["source_id"], "reference": {"resource": "sources", "fields": ["source_id"]}}]}},
    {"name": "claim_links", "path": "claim_links.csv", "schema": {"fields": [field("claim")]}}]}
SOURCES = "source_id,date_published\nsyn_a,2016-04\n"
INDICATORS = "indicator,unit\next_grants,件\next_funds,万元\n"
OBSERVATIONS = ("indicator,year,value,unit,source_id\n"
                "ext_grants,2015,12,件,syn_a\n"
                "Report-Funds,2014,3.5,万元,syn_a\n")  # a report indicator: the foreign key reaches the report's rows
CLAIM_LINKS = "claim\nsyn_claim\n"


def report(tmp_path: Path) -> SimpleNamespace:
    folder = tmp_path / "synthetic_report"
    write(folder / "units.csv", REPORT_UNITS)
    write(folder / "indicators.csv", REPORT_INDICATORS)
    return SimpleNamespace(data_dir=folder, descriptor=REPORT_DESCRIPTOR)


def external_folder(folder: Path, descriptor: dict | None = EXTERNAL_DESCRIPTOR, **files: str) -> Path:
    texts = {"sources": SOURCES, "indicators": INDICATORS, "observations": OBSERVATIONS,
             "claim_links": CLAIM_LINKS} | files
    for name, text in texts.items():
        write(folder / f"{name}.csv", text)
    if descriptor is not None:
        write(folder / "datapackage.json", json.dumps(descriptor))
    return folder


def problems(data, directory=None) -> list[DataProblem]:
    with pytest.raises(DataValidationError) as info:
        load_external(data, directory)
    return info.value.problems


def test_a_clean_synthetic_folder_given_as_directory(tmp_path):
    data = report(tmp_path)
    folder = external_folder(tmp_path / "elsewhere" / "synthetic_external")
    ext = load_external(data, folder)
    assert ext.directory == folder
    pd.testing.assert_frame_equal(ext.indicators, pd.DataFrame({
        "indicator": pd.array(["ext_grants", "ext_funds"], dtype="string"),
        "unit": pd.array(["件", "万元"], dtype="string"),
        "source_file": ["indicators.csv"] * 2, "source_line": [2, 3], "origin": ["external"] * 2}))
    assert ext.observations["indicator"].tolist() == ["ext_grants", "Report-Funds"]
    assert ext.observations["value"].tolist() == [12.0, 3.5]
    assert ext.sources["source_id"].tolist() == ["syn_a"] and ext.claim_links["claim"].tolist() == ["syn_claim"]
    assert load_external(data, str(folder)).directory == folder  # a text path too
    assert ext.source("syn_a")["date_published"] == "2016-04"
    with pytest.raises(KeyError) as info:
        ext.source("syn_b")
    assert info.value.args == ("unknown source 'syn_b'; known: ['syn_a']",)


def test_the_default_folder_is_the_data_folders_external(tmp_path):
    data = report(tmp_path)
    external_folder(data.data_dir / "external")
    assert load_external(data).directory == data.data_dir / "external"
    assert load_external(data, "").directory == data.data_dir / "external"


def test_a_directory_argument_is_read_instead_of_the_default(tmp_path):
    data = report(tmp_path)
    external_folder(data.data_dir / "external")  # clean
    folder = external_folder(tmp_path / "synthetic_other", claim_links="claim\n\n")  # differs: reads fine too
    bad = external_folder(tmp_path / "synthetic_bad", sources="source_id,date_published\n,2016\n")
    assert load_external(data, folder).claim_links.empty
    assert problems(data, bad) == [
        DataProblem(str(bad / "sources.csv"), 1, "source_id", "", "a value (text)", "required-error", 2),
        DataProblem(str(bad / "observations.csv"), 1, "source_id", "syn_a", "a value described in sources.csv "
                    "(which lists none)", "foreign-key-error", 2),
        DataProblem(str(bad / "observations.csv"), 2, "source_id", "syn_a", "a value described in sources.csv "
                    "(which lists none)", "foreign-key-error", 3)]


def test_own_indicator_rows_are_checked_to_the_last_but_not_the_reports(tmp_path):
    data = report(tmp_path)
    folder = external_folder(tmp_path / "synthetic_external",
                             indicators="indicator,unit\next_grants,件\nExt-Last,元\n",
                             observations="indicator,year,value,unit,source_id\nno_such,2015,1,件,syn_a\n")
    ind, obs = str(folder / "indicators.csv"), str(folder / "observations.csv")
    assert problems(data, folder) == [
        # row 2 is the last own row (n_own = 2): reported; the report's rows 3 and 4 break the pattern too: not
        DataProblem(ind, 2, "indicator", "Ext-Last", "text matching /[a-z_]+/", "constraint-error", 3),
        DataProblem(ind, 2, "unit", "元", "a value described in units.csv (e.g. 万元, 件)",
                    "foreign-key-error", 3),
        DataProblem(obs, 1, "indicator", "no_such", "a value described in indicators.csv "
                    "(e.g. Ext-Last, Report-Funds, Report-Grants, ext_grants)", "foreign-key-error", 2)]


def test_an_external_indicator_reusing_a_report_id_is_reported_once(tmp_path):
    data = report(tmp_path)
    folder = external_folder(tmp_path / "synthetic_external", descriptor={"resources": [
        r if r["name"] != "indicators" else r | {"schema": {"fields": [field("indicator"), field("unit")],
                                                            "primaryKey": ["indicator"]}}
        for r in EXTERNAL_DESCRIPTOR["resources"]]}, indicators="indicator,unit\nReport-Grants,件\n",
        observations="indicator,year,value,unit,source_id\nReport-Grants,2015,12,件,syn_a\n")
    # the merged table repeats Report-Grants at row 2 (a report row): that unique-error is not reported
    assert problems(data, folder) == [
        DataProblem(str(folder / "indicators.csv"), 1, "indicator", "Report-Grants",
                    "an id not already in indicators.csv (reuse that one, or give a new id when the definition "
                    "differs)", "unique-error", 2)]


def test_a_missing_reference_file_is_a_problem(tmp_path):
    data = report(tmp_path)
    (data.data_dir / "units.csv").unlink()
    folder = external_folder(tmp_path / "synthetic_external")
    assert problems(data, folder) == [DataProblem(str(data.data_dir / "units.csv"), None, None, None,
                                                  "the file of resource 'units'", "missing-file")]


def test_a_folder_without_datapackage_json_uses_the_packaged_descriptor(tmp_path):
    """The packaged external descriptor's rules apply: its enum of kinds and its required columns."""
    data = report(tmp_path)
    folder = external_folder(tmp_path / "synthetic_external", descriptor=None)
    found = problems(data, folder)
    # the synthetic sources.csv lacks the packaged columns: one missing-column problem each, in descriptor order
    assert [(Path(p.file).name, p.column) for p in found if p.code == "missing-column"][:4] == [
        ("sources.csv", "publisher"), ("sources.csv", "publisher_en"), ("sources.csv", "title"), ("sources.csv", "url")]
    assert DataProblem(str(folder / "sources.csv"), None, "kind", None,
                       "a column 'kind'; columns in file: ['source_id', 'date_published']", "missing-column") in found


def test_an_external_folder_without_indicators_file(tmp_path):
    data = report(tmp_path)
    folder = external_folder(tmp_path / "synthetic_external")
    (folder / "indicators.csv").unlink()
    obs = str(folder / "observations.csv")
    # the foreign key then reaches the report's indicators alone
    assert problems(data, folder) == [
        DataProblem(str(folder / "indicators.csv"), None, None, None, "the file of resource 'indicators'",
                    "missing-file"),
        DataProblem(obs, 1, "indicator", "ext_grants", "a value described in indicators.csv "
                    "(e.g. Report-Funds, Report-Grants)", "foreign-key-error", 2)]


def test_a_file_level_problem_of_an_indicators_file_without_rows_is_reported(tmp_path):
    data = report(tmp_path)
    folder = external_folder(tmp_path / "synthetic_external", indicators="indicator\n",
                             observations="indicator,year,value,unit,source_id\nReport-Funds,2014,3.5,万元,syn_a\n")
    assert problems(data, folder) == [
        DataProblem(str(folder / "indicators.csv"), None, "unit", None, "a column 'unit'; columns in file: "
                    "['indicator']", "missing-column")]
