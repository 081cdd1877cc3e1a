"""data/load.py: typed frames, source file on every row, lookups by entity, indicator and year; a Dataset built in
code (its qualifier table, lookups that name what is missing); reading a folder (the descriptor, raw text cells with
their lines)."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from analysis_utils.data.load import Dataset
from analysis_utils.data.qualifiers import (
    QualifierTable,
)
from analysis_utils.data.units import UnitTable
from analysis_utils.errors import AnalysisError, DataProblem
from tests._support.data import SYNTHETIC_QUALIFIERS


def test_frames_are_typed_as_the_descriptor_says(data):
    obs = data.observations  # datapackage.json: year integer, value number, year_inferred boolean
    assert str(obs["year"].dtype) == "Int64" and str(obs["value"].dtype) == "Float64"
    assert str(obs["year_inferred"].dtype) == "boolean" and str(obs["entity"].dtype) == "string"


def test_every_row_names_its_source_file(data):
    assert set(data.observations["source_file"]) == {"observations.csv"}
    assert set(data.claims["source_file"]) == {"claims.csv"}


def test_usable_years_are_the_reported_years_every_entity_shares(data):
    """run.params checks ``year`` against these: 2016 holds only plans (inferred years) for the report's districts."""
    years = data.usable_years(["武昌区", "南山区", "余杭区"])
    assert 2015 in years and 2016 not in years and years == sorted(years)
    assert data.usable_years(["武昌区", "no such district"]) == []


def test_summary_counts_what_validate_prints(data):
    got = data.summary()
    assert got["files"] == [r["path"] for r in data.descriptor["resources"]]
    assert got["rows"] == sum(len(data.tables[r["name"]]) for r in data.descriptor["resources"])
    assert (got["observations"], got["years"][0], got["years"][-1]) == (len(data.observations), 2011, 2016)


def test_quantity_of_a_given_year_and_of_the_latest(data):
    # 表1: 武昌区 patent grants 1532 in 2011, 2826 in 2015 (the latest)
    assert data.quantity("武昌区", "patent_grants", 2011).value == 1532
    assert data.quantity("武昌区", "patent_grants").value == 2826
    assert data.quantity("武昌区", "patent_grants", 2011).unit == "件"


def test_unknown_indicator_is_named(data):
    with pytest.raises(AnalysisError, match="unknown indicator 'SYNTHETIC_x'"):
        data.indicator_meta("SYNTHETIC_x")


def test_find_lists_every_number_printed_at_a_place(data):
    """表1 prints ten counts (patent grants and invention grants, 2011–2015); 一(二)3 prints, among others,
    4481 patent applications and, again, 2826 grants of 2015 (first printed in 表1)."""
    table1 = data.find("表1")
    assert len(table1) == 10 and set(table1["indicator"]) == {"patent_grants", "invention_patent_grants"}
    assert sorted(table1.loc[table1["indicator"] == "patent_grants", "value"]) == [1532, 1971, 2130, 2154, 2826]
    prose = data.find("一(二)3")
    assert 4481 in set(prose["value"]) and 2826 in set(prose["value"])
    assert data.find("SYNTHETIC nowhere").empty


def test_find_reads_every_place_of_a_semicolon_list(data):
    """also_in may list several places ('一(二)3; 三(一)2'): each is found, and only whole places match."""
    import copy

    other = copy.copy(data)
    other.tables = dict(data.tables)
    obs = data.tables["observations"].copy()
    first = obs.index[(obs["entity"] == "武昌区") & (obs["indicator"] == "patent_grants") & (obs["year"] == 2015)][0]
    obs.loc[first, "also_in"] = "一(二)3; SYNTHETIC 三(九)9"
    obs["also_in"] = obs["also_in"].where(obs.index == first, None)  # every other row: no also_in at all
    other.tables["observations"] = obs
    assert list(other.find("SYNTHETIC 三(九)9").index) == [first]
    assert first in other.find("一(二)3").index
    assert other.find("SYNTHETIC 三(九)").empty  # a place is matched whole, not as a prefix


# ------------------------------------------------------------------ a Dataset built in code
def test_dataset_builds_its_qualifier_table_from_its_qualifiers_frame():
    units = UnitTable({"件": "count"}, {"件": 1.0})
    frame = pd.DataFrame(SYNTHETIC_QUALIFIERS)
    built = Dataset(Path("/synthetic"), {}, {"qualifiers": frame}, units)
    assert built.qualifier_table == QualifierTable.from_frame(frame)
    assert built.qualifier_table.codes("lower") == ("syn_ge",)
    given = QualifierTable({})
    assert Dataset(Path("/synthetic"), {}, {"qualifiers": frame}, units, given).qualifier_table is given
    assert Dataset(Path("/synthetic"), {}, {}, units).qualifier_table is None


# ------------------------------------------------------------------ reading a folder
def test_read_descriptor_names_bad_json_and_bad_encoding(tmp_path):
    from analysis_utils.data.load import read_descriptor
    from analysis_utils.errors import DataValidationError
    from analysis_utils.paths import DATA_DIR

    bad_json = write_bytes(tmp_path / "json" / "datapackage.json", '{\n"name": }'.encode())
    with pytest.raises(DataValidationError) as info:
        read_descriptor(bad_json.parent)
    assert info.value.problems == [DataProblem(str(bad_json), None, None, None,
                                               "valid JSON (Expecting value at line 2)", "format-error")]
    gbk = write_bytes(tmp_path / "gbk" / "datapackage.json", '{"name": "名"}'.encode("gbk"))  # 名: C3 FB
    with pytest.raises(DataValidationError) as info:
        read_descriptor(gbk.parent)
    assert info.value.problems == [DataProblem(str(gbk), None, None, None, "UTF-8 text (invalid continuation byte)",
                                               "encoding-error")]
    own = write_bytes(tmp_path / "own" / "datapackage.json", b'{"name": "synthetic", "resources": []}')
    assert read_descriptor(own.parent) == {"name": "synthetic", "resources": []}
    packaged = read_descriptor(tmp_path / "empty")  # no datapackage.json: the packaged one
    assert packaged == read_descriptor(DATA_DIR) and packaged["resources"]


def write_bytes(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def test_read_raw_reads_text_cells_with_their_lines(tmp_path):
    from analysis_utils.data.load import read_raw

    write_bytes(tmp_path / "a.csv", "\ufeffid,note\n x ,\" two\nlines \"\n\n , \ny,z,extra\n".encode())
    write_bytes(tmp_path / "gbk.csv", "id\n名\n".encode("gbk"))
    descriptor = {"resources": [{"name": "a", "path": "a.csv"}, {"name": "gone", "path": "gone.csv"},
                                {"name": "gbk", "path": "gbk.csv"}]}
    raw, problems = read_raw(tmp_path, descriptor)
    assert list(raw) == ["a"]
    a = raw["a"]
    assert (a.path, a.columns, a.lines) == (tmp_path / "a.csv", ["id", "note"], [3, 6])  # blank rows skipped
    assert a.rows == [{"id": "x", "note": "two\nlines", "__ncells__": "2"},
                      {"id": "y", "note": "z", "__ncells__": "3"}]
    assert problems == [
        DataProblem(str(tmp_path / "gone.csv"), None, None, None, "the file of resource 'gone'", "missing-file"),
        DataProblem(str(tmp_path / "gbk.csv"), None, None, None, "UTF-8 text (invalid continuation byte)",
                    "encoding-error")]


def test_dataset_lookups_name_what_is_missing():
    obs = pd.DataFrame({"entity": ["甲", "乙", "甲"], "indicator": ["syn_a", "syn_a", "syn_b"], "year": [2014, 2015, 2015],
                        "value": [1.0, 2.0, 3.0], "unit": ["件"] * 3})
    data = Dataset(Path("/synthetic"), {}, {"observations": obs}, UnitTable({"件": "count"}, {"件": 1.0}))
    assert data.observation("甲", "syn_a")["value"] == 1.0
    with pytest.raises(Exception) as info:
        data.observation("丙", "syn_a", 2015)
    assert str(info.value) == "no observation of 'syn_a' for '丙' in 2015; entities with it: ['乙', '甲']"
    with pytest.raises(Exception) as info:
        data.observation("丙", "syn_b")
    assert str(info.value) == "no observation of 'syn_b' for '丙'; entities with it: ['甲']"
    with pytest.raises(AttributeError) as attr:
        data.claims
    assert attr.value.args == ("claims",)
