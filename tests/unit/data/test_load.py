"""data/load.py: typed frames, source file on every row, lookups by entity, indicator and year; a Dataset built in
code (its qualifier table, lookups that name what is missing); reading a folder (the descriptor, raw text cells with
their lines).

Every file is read strictly (issue "your own data", item 4): a file that cannot be read as the table its schema
describes is one problem naming the file and, where there is one, the line, row and column, never a traceback and
never a silently different table. Each case below "reading strictly" breaks a copy of the packaged data (or writes
a small file) and compares the whole problem with one written by hand."""
from __future__ import annotations

import csv
import json
import os
import warnings
from pathlib import Path

import pandas as pd
import pytest

from analysis_utils.composite.indicators import INDICATORS
from analysis_utils.composite.weights import resolve_weights
from analysis_utils.data.external import external_if_any, load_external
from analysis_utils.data.load import Dataset, load, read_descriptor, read_table
from analysis_utils.data.qualifiers import (
    QualifierTable,
)
from analysis_utils.data.units import UnitTable
from analysis_utils.errors import AnalysisError, DataProblem, DataValidationError, DataWarning, ParameterError
from tests._support.data import OBS, SYNTHETIC_QUALIFIERS, problems_of


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
    # blank rows skipped; a row's line is the one it starts on (the quoted note runs over lines 2-3)
    assert (a.path, a.columns, a.lines) == (tmp_path / "a.csv", ["id", "note"], [2, 6])
    assert a.rows == [{"id": "x", "note": "two\nlines", "__ncells__": "2"},
                      {"id": "y", "note": "z", "__ncells__": "3"}]
    assert problems == [
        DataProblem(str(tmp_path / "gone.csv"), None, None, None, "the file of resource 'gone'", "missing-file"),
        DataProblem(str(tmp_path / "gbk.csv"), None, None, None, "UTF-8 text (invalid continuation byte)",
                    "encoding-error", 2)]  # the line of the first byte that is not UTF-8


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


# ------------------------------------------------------------------ reading strictly: one problem per unreadable file
def set_line(path: Path, number: int, text: str) -> None:
    """Line ``number`` (1-based) of ``path`` replaced by ``text``."""
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[number - 1] = text
    path.write_text("\n".join(lines), encoding="utf-8")


def line(path: Path, number: int) -> str:
    return path.read_text(encoding="utf-8").split("\n")[number - 1]


def loaded_quietly(data_dir):
    """load() of a folder that must pass, failing on any DataWarning."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", DataWarning)
        return load(data_dir)


# ---------------------------------------------------------------------------- 1. a column named twice
def test_a_column_named_twice_is_one_problem_naming_it(data_copy):
    """Before: the second 'value' silently replaced the first (pandas and Excel keep the first)."""
    path = data_copy / OBS
    rows = list(csv.reader(path.open(encoding="utf-8", newline="")))
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows([rows[0] + ["value"]] + [r + [r[5]] for r in rows[1:]])
    assert problems_of(data_copy) == [DataProblem(
        str(path), None, "value", None, "each column name once; 'value' names columns 6 and 15, and readers differ "
        "on which of them they keep", "duplicate-label", 1)]
    assert str(problems_of(data_copy)[0]) == (
        f"{path}, line 1, column \"value\": expected each column name once; 'value' names columns 6 and 15, and "
        "readers differ on which of them they keep [duplicate-label]")


# ---------------------------------------------------------------------------- 2. a stray quote
SWALLOWED = ("one record per line, but this record runs from line {start} to line {end}: a quote (\") opening this "
             "cell probably swallowed lines {first}–{end} (close it on its line, or write a quote inside a cell "
             "as \"\")")


def test_a_stray_quote_in_a_note_that_swallows_four_rows_is_named(data_copy):
    """Before: `validate` said "valid" with 4 rows fewer. The quote opens line 103's note; the next quote in the file
    (line 107's note, ``,"prose: …``) ends it, so lines 104–107 are one cell of free text."""
    path = data_copy / OBS
    assert line(path, 103) == "武昌区,industrial_parks,2015,,true,15,,家,,15家,一(二)2,,,year not printed"
    set_line(path, 103, "武昌区,industrial_parks,2015,,true,15,,家,,15家,一(二)2,,,\"year not printed")
    assert problems_of(data_copy) == [DataProblem(str(path), 102, "note", '"year not printed…',
                                                  SWALLOWED.format(start=103, end=107, first=104), "quote-error", 103)]


def test_a_stray_quote_in_a_number_that_swallows_the_rest_of_the_file_is_named(data_copy):
    """No quote follows line 124: the value cell runs to the end of the file (line 130)."""
    path = data_copy / OBS
    assert line(path, 124).startswith("南山区,high_tech_firms_national_rank,2015,,true,2,")
    assert line(path, 131) == ""  # 130 lines, the last one ended
    cells = next(csv.reader([line(path, 124)]))
    cells[5] = '"' + cells[5]
    set_line(path, 124, ",".join(cells))
    [problem] = problems_of(data_copy)
    # the cell shows its first line: the rest of line 124, commas and all, is inside the quote
    assert problem == DataProblem(str(path), 123, "value", '"2,,名,,数量全国排名第2,二3,,,year not printed…',
                                  SWALLOWED.format(start=124, end=130, first=125), "quote-error", 124)
    assert str(problem) == (f"{path}, row 123 (line 124), column \"value\": got '\"2,,名,,数量全国排名第2,二3,,,year not "
                            "printed…', expected one record "
                            "per line, but this record runs from line 124 to line 130: a quote (\") opening this cell "
                            "probably swallowed lines 125–130 (close it on its line, or write a quote inside a cell "
                            "as \"\") [quote-error]")


LEFT_OPEN = ("a closing quote for the quote (\") that opens this cell, but the file ends inside the cell (close it "
             "on its line, or write a quote inside a cell as \"\")")
LAST_LINE = "武昌区,financing_target,2016,,true,2,3,亿元,range,2-3亿元,三(四)3,,,target at the time of the report; no deadline printed"


@pytest.mark.parametrize("ending", ["\n", ""], ids=["trailing newline", "no trailing newline"])
def test_a_stray_quote_in_the_last_line_s_note_is_named(data_copy, ending):
    """Before: accepted; the csv module closes a quote left open at the end of the file without a word, so no line
    was swallowed and the note just lost its quote. Nothing follows line 130 for the quote to swallow."""
    path = data_copy / OBS
    assert line(path, 130) == LAST_LINE and line(path, 131) == ""
    text = path.read_text(encoding="utf-8").rstrip("\n").split("\n")
    text[129] = LAST_LINE.replace(",,,target", ",,,\"target")
    path.write_text("\n".join(text) + ending, encoding="utf-8")
    [problem] = problems_of(data_copy)
    assert str(problem) == (f"{path}, row 129 (line 130), column \"note\": got '\"target at the time of the report; "
                            "no dea…', expected a closing quote for the quote (\") that opens this cell, but the file "
                            "ends inside the cell (close it on its line, or write a quote inside a cell as \"\") "
                            "[quote-error]")


def test_a_stray_quote_in_the_last_line_s_number_is_one_problem(data_copy):
    """Before: five problems (6 cells, a value '2,3,亿元,…', three empty required cells) none of which named the
    quote; now one, at the cell the quote opens."""
    path = data_copy / OBS
    set_line(path, 130, LAST_LINE.replace(",true,2,3,", ",true,\"2,3,"))
    assert problems_of(data_copy) == [DataProblem(str(path), 129, "value", '"2,3,亿元,range,2-3亿元,三(四)3,,,target at the…',
                                                  LEFT_OPEN, "quote-error", 130)]


def test_a_stray_quote_in_the_header_s_last_name_is_named_at_line_1(data_copy):
    """Before: one 'missing-column' problem whose message listed the 14 swallowed lines. The quote opens 'note' on
    line 1; the next quote in the file (line 15's note, ``,"prose: …``) ends it."""
    path = data_copy / OBS
    assert line(path, 1).endswith(",also_in,note") and line(path, 15).endswith(',"prose: 国家级高新技术企业74家"')
    set_line(path, 1, line(path, 1).replace(",note", ',"note'))
    assert problems_of(data_copy) == [DataProblem(
        str(path), None, "note", '"note…', "the column names on line 1, but the header runs to line 15: a quote (\") "
        "opening this name probably swallowed lines 2–15 (delete it, or close it on line 1)", "quote-error", 1)]


def test_a_quoted_note_on_the_last_line_closed_without_a_trailing_newline_is_read(data_copy):
    """The right answer: a quote closed on the last line, with or without the file's last line break, is sound."""
    path = data_copy / OBS
    path.write_text(path.read_text(encoding="utf-8").rstrip("\n").replace(",,,target at the time of the report; no "
                                                                          "deadline printed", ',,,"target, at the time"'),
                    encoding="utf-8")
    assert loaded_quietly(data_copy).observations["note"].iloc[-1] == "target, at the time"


def test_a_line_break_in_a_short_field_is_named_even_when_its_quote_is_closed(data_copy):
    """printed is one line of the report; a break in it is a quote closed too late (here: one line late)."""
    path = data_copy / OBS
    assert line(path, 3) == "武昌区,patent_grants,2012,,false,1971,,件,,1971,表1,,,"
    set_line(path, 3, "武昌区,patent_grants,2012,,false,1971,,件,,\"19\n71\",表1,,,")
    assert problems_of(data_copy) == [DataProblem(str(path), 2, "printed", '"19…',
                                                  SWALLOWED.format(start=3, end=4, first=4).replace("lines 4–4", "line 4"),
                                                  "quote-error", 3)]


def test_a_note_on_two_lines_is_free_text_and_the_next_rows_keep_their_lines(data_copy):
    """The right answer: a quoted note may hold a line break; rows after it are numbered by the line they start on."""
    path = data_copy / OBS
    set_line(path, 103, "武昌区,industrial_parks,2015,,true,15,,家,,15家,一(二)2,,,\"year not\nprinted\"")
    obs = loaded_quietly(data_copy).observations
    assert obs.loc[101, "note"] == "year not\nprinted" and obs.loc[101, "source_line"] == 103
    assert obs.loc[102, "indicator"] == "industrial_park_output" and obs.loc[102, "source_line"] == 105


# ---------------------------------------------------------------------------- 3. a file without rows
def test_an_observations_file_with_only_its_header_is_one_problem(data_copy):
    """Before: load() passed, `validate` crashed with IndexError and `reproduce` started every notebook."""
    path = data_copy / OBS
    path.write_text(line(path, 1) + "\n", encoding="utf-8")
    assert problems_of(data_copy) == [DataProblem(
        str(path), None, None, None, "at least one row under the header (resource 'observations' cannot be empty)",
        "empty-table")]


@pytest.mark.parametrize("name", ["units", "qualifiers", "entities", "indicators", "observations"])
def test_every_table_the_report_reads_must_have_rows(data_copy, name):
    path = data_copy / f"{name}.csv"
    path.write_text(line(path, 1) + "\n", encoding="utf-8")
    assert [(Path(p.file).name, p.code) for p in problems_of(data_copy)] == [(f"{name}.csv", "empty-table")]


def test_claims_may_be_empty(data_copy):
    """A folder of one's own data may carry none of the report's claims: the audit then has none to judge."""
    path = data_copy / "claims.csv"
    path.write_text(line(path, 1) + "\n", encoding="utf-8")
    assert loaded_quietly(data_copy).claims.empty


def test_an_empty_file_is_one_problem_not_one_per_column(data_copy):
    """Before: 0 bytes gave a missing-column problem per column and a foreign-key problem per unit used."""
    (data_copy / "units.csv").write_bytes(b"")
    assert problems_of(data_copy) == [DataProblem(str(data_copy / "units.csv"), None, None, None,
                                                  "a header line, then rows (the file is empty)", "empty-file")]


# ---------------------------------------------------------------------------- 4. a folder, an unreadable file
def test_a_folder_where_a_file_should_be_is_one_problem(data_copy):
    """Before: IsADirectoryError traceback."""
    (data_copy / "units.csv").unlink()
    (data_copy / "units.csv").mkdir()
    assert problems_of(data_copy) == [DataProblem(str(data_copy / "units.csv"), None, None, None,
                                                  "the file of resource 'units', found a folder", "not-a-file")]


@pytest.mark.parametrize("name, resource", [("external/sources.csv", "sources"), ("entities.csv", "entities")])
def test_a_file_other_files_refer_to_that_cannot_be_read_is_one_problem_not_a_cascade(data_copy, name, resource):
    """A newcomer's case: sources.csv (or entities.csv) saved as a folder gave its line and 20 foreign-key lines,
    one per row naming a source or an entity the unread file would have held."""
    (data_copy / name).unlink()
    (data_copy / name).mkdir()
    assert problems_of(data_copy) == [DataProblem(str(data_copy / name), None, None, None,
                                                  f"the file of resource '{resource}', found a folder", "not-a-file")]


def test_an_unreadable_file_is_one_problem(data_copy, monkeypatch):
    """As chmod 000 gives it (simulated: a test run as root reads any file)."""
    target = data_copy / "entities.csv"
    read_bytes = Path.read_bytes

    def refuse(self):
        if self == target:
            raise PermissionError(13, "Permission denied", str(self))
        return read_bytes(self)

    monkeypatch.setattr(Path, "read_bytes", refuse)
    assert problems_of(data_copy) == [DataProblem(str(target), None, None, None,
                                                  "a file this process can read (Permission denied)", "read-error")]


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads a file of mode 000")
def test_a_file_of_mode_000_is_one_problem(data_copy):
    target = data_copy / "entities.csv"
    target.chmod(0)
    try:
        assert problems_of(data_copy) == [DataProblem(str(target), None, None, None,
                                                      "a file this process can read (Permission denied)", "read-error")]
    finally:
        target.chmod(0o644)


def test_a_datapackage_json_that_is_a_folder_is_one_problem(data_copy):
    (data_copy / "datapackage.json").unlink()
    (data_copy / "datapackage.json").mkdir()
    assert problems_of(data_copy) == [DataProblem(str(data_copy / "datapackage.json"), None, None, None,
                                                  "the data package's descriptor, found a folder", "not-a-file")]


# ---------------------------------------------------------------------------- 6. columns the schema does not name
def test_an_unknown_column_is_a_warning_naming_it_not_an_error(data_copy):
    path = data_copy / "entities.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    path.write_text("\n".join([lines[0] + ",comment"] + [t + ",x" if t else t for t in lines[1:]]), encoding="utf-8")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        data = load(data_copy)
    assert [str(w.message) for w in caught if w.category is DataWarning] == [
        f"{path}, line 1, column \"comment\": expected a column of resource 'entities' (entity, name_en, level, parent, "
        "note); this one is not read [extra-label]"]
    assert "comment" not in data.entities


def test_the_warning_is_said_by_validate_and_reproduce_only_not_in_every_notebook(data_copy):
    """load() in a kernel (each notebook's setup) stays quiet by default: the run said it once already."""
    import subprocess
    import sys

    path = data_copy / "entities.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    path.write_text("\n".join([lines[0] + ",comment"] + [t + ",x" if t else t for t in lines[1:]]), encoding="utf-8")
    code = f"from analysis_utils.data.load import load; load({str(data_copy)!r}); print('loaded')"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert (result.stdout, result.stderr) == ("loaded\n", "")


# ---------------------------------------------------------------------------- 7. more of the same kinds
def test_a_byte_order_mark_inside_the_file_is_named_where_it_is(data_copy):
    """Two files saved with a BOM, joined: before, the invisible U+FEFF made '广东省' unknown two rows later."""
    path = data_copy / "entities.csv"
    set_line(path, 3, "\ufeff" + line(path, 3))
    assert problems_of(data_copy) == [DataProblem(
        str(path), 2, "entity", "\ufeff广东省", "text without a byte order mark (U+FEFF, invisible): files saved with "
        "one were probably joined at this line; delete it", "encoding-error", 3)]


def test_a_second_byte_order_mark_before_the_header_is_named(data_copy):
    path = data_copy / "entities.csv"
    path.write_bytes(b"\xef\xbb\xbf\xef\xbb\xbf" + path.read_bytes())
    assert problems_of(data_copy) == [DataProblem(
        str(path), None, "entity", "\ufeffentity", "text without a byte order mark (U+FEFF, invisible): files saved "
        "with one were probably joined at this line; delete it", "encoding-error", 1)]


def test_a_header_name_with_spaces_around_it_is_named(data_copy):
    """Before: a missing column 'level' listing ' level ' among the file's columns."""
    path = data_copy / "entities.csv"
    set_line(path, 1, "entity,name_en, level ,parent,note")
    assert problems_of(data_copy) == [DataProblem(str(path), None, " level ", None,
                                                  "the name 'level' without spaces around it", "incorrect-label", 1)]


def test_empty_columns_a_spreadsheet_added_are_one_problem(data_copy):
    """'note,,,': before, an extra-cell problem on every row."""
    path = data_copy / "entities.csv"
    set_line(path, 1, "entity,name_en,level,parent,note,,,")
    assert problems_of(data_copy) == [DataProblem(
        str(path), None, None, None, "a name in every header cell; columns 6, 7 and 8 have none (empty columns a "
        "spreadsheet added after the last one: delete them)", "blank-label", 1)]


def test_an_empty_first_line_is_named(data_copy):
    path = data_copy / "units.csv"
    path.write_text("\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    assert problems_of(data_copy) == [DataProblem(str(path), None, None, None,
                                                  "the column names on line 1, which is empty", "blank-header", 1)]


def test_a_file_not_in_utf8_names_the_line_of_its_first_bad_byte(data_copy):
    path = data_copy / "entities.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("gbk"))
    assert problems_of(data_copy) == [DataProblem(str(path), None, None, None, "UTF-8 text (invalid start byte)",
                                                  "encoding-error", 2)]
    assert str(problems_of(data_copy)[0]).startswith(f"{path}, line 2: expected UTF-8 text")


def test_a_cell_too_long_for_the_csv_reader_is_one_problem(data_copy):
    path = data_copy / "entities.csv"
    set_line(path, 4, "浙江省,Zhejiang Province,province,," + "x" * 200_000)
    assert problems_of(data_copy) == [DataProblem(str(path), None, None, None,
                                                  "CSV text (field larger than field limit (131072))", "format-error", 4)]


def test_crlf_line_ends_read_as_lf(data_copy):
    for name in ("entities.csv", OBS):
        path = data_copy / name
        path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    data = loaded_quietly(data_copy)
    assert data.observations["source_line"].tolist() == load().observations["source_line"].tolist()
    assert data.entities.equals(load().entities)


@pytest.mark.parametrize("text, value, expected", [
    ("[]", "list", "a JSON object with a list \"resources\""),
    ('{"resources": {}}', "dict", "a JSON object with a list \"resources\""),
    ('{"resources": [{"name": "units"}]}', "{'name': 'units'}",
     "resource 1: an object with a \"name\", a \"path\" and a \"schema\" with a list \"fields\""),
    ('{"resources": [{"name": "units", "path": "units.csv", "schema": {"fields": [{"name": "unit", "type": "date"}]}}]}',
     "date", "resource 'units', field 'unit': a type of string, number, integer, boolean"),
    ('{"resources": [{"name": "u", "path": "u.csv", "schema": {"fields": [{"name": "f", "type": "string", '
     '"constraints": {"pattern": "[a-"}}]}}]}', "[a-",
     "resource 'u', field 'f': a pattern that is a regular expression (unterminated character set at position 0)"),
    ('{"resources": [{"name": "u", "path": "u.csv", "schema": {"fields": [{"name": "f", "type": "string", '
     '"constraints": {"minimum": 1}}]}}]}', "minimum",
     "resource 'u', field 'f': constraints of a string field (required, enum, pattern)"),
])
def test_a_descriptor_of_the_wrong_shape_is_one_problem(tmp_path, text, value, expected):
    """Before: TypeError or KeyError tracebacks from the reader or the rules."""
    path = tmp_path / "datapackage.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataValidationError) as info:
        read_descriptor(tmp_path)
    assert info.value.problems == [DataProblem(str(path), None, None, value, expected, "descriptor-error")]


def test_a_descriptor_without_a_table_the_report_reads_is_one_problem(data_copy):
    path = data_copy / "datapackage.json"
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    descriptor["resources"] = [r for r in descriptor["resources"] if r["name"] != "qualifiers"]
    path.write_text(json.dumps(descriptor, ensure_ascii=False), encoding="utf-8")
    assert problems_of(data_copy) == [DataProblem(str(path), None, None, None,
                                                  "a resource named 'qualifiers' (its qualifiers.csv)",
                                                  "missing-resource")]


# ---------------------------------------------------------------------------- the external folder
def test_an_external_that_is_a_file_is_one_problem(data_copy):
    """Before: skipped silently, as if the folder had no published figures."""
    import shutil

    shutil.rmtree(data_copy / "external")
    (data_copy / "external").write_text("", encoding="utf-8")
    with pytest.raises(DataValidationError) as info:  # the report's package names the sources registry in it
        external_if_any(load(data_copy))
    assert info.value.problems == [DataProblem(
        str(data_copy / "external"), None, None, None, "a folder holding sources.schema.json, found a file",
        "not-a-folder")]


def test_external_files_are_read_as_strictly(data_copy):
    folder = data_copy / "external"
    header = line(folder / "sources.csv", 1)
    set_line(folder / "sources.csv", 1, header + ",url")
    (folder / "observations.csv").write_text(line(folder / "observations.csv", 1) + "\n", encoding="utf-8")
    (folder / "claim_links.csv").write_text(line(folder / "claim_links.csv", 1) + "\n", encoding="utf-8")  # may be empty
    with pytest.raises(DataValidationError) as info:  # the sources registry is read with the report's package too
        load(data_copy)
    assert info.value.problems == [
        DataProblem(str(folder / "sources.csv"), None, "url", None, "each column name once; 'url' names columns 5 "
                    "and 13, and readers differ on which of them they keep", "duplicate-label", 1)]
    set_line(folder / "sources.csv", 1, header)
    with pytest.raises(DataValidationError) as info:
        load_external(load(data_copy))
    assert info.value.problems == [
        DataProblem(str(folder / "observations.csv"), None, None, None,
                    "at least one row under the header (resource 'observations' cannot be empty)", "empty-table")]


# ---------------------------------------------------------------------------- the reader on its own
def test_read_table_gives_the_table_or_the_problems(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("id,note\na,\"two\nlines\"\n\nb,c\n", encoding="utf-8")
    table, problems, notes = read_table(path, {"fields": [{"name": "id", "type": "string"}]}, "resource 't'")
    assert (table.columns, table.lines, problems) == (["id", "note"], [2, 5], [])
    assert [n.code for n in notes] == ["extra-label"]
    assert read_table(tmp_path / "none.csv", None, "resource 'none'")[:2] == (None, [DataProblem(
        str(tmp_path / "none.csv"), None, None, None, "the file of resource 'none'", "missing-file")])


# ---------------------------------------------------------------------------- 5. the weights file
def weights_csv(tmp_path, text: str | bytes) -> Path:
    path = tmp_path / "weights.csv"
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


def weights_error(path) -> str:
    with pytest.raises(ParameterError) as info:
        resolve_weights(str(path), INDICATORS)
    return str(info.value)


def test_an_empty_weights_file_is_one_problem(tmp_path):
    """Before: pandas' EmptyDataError."""
    path = weights_csv(tmp_path, b"")
    assert weights_error(path) == (f"parameter \"weights\" = '{path}': expected a header line, then rows (the file is "
                                   "empty) [empty-file]")


def test_weights_whose_sum_overflows_are_refused(tmp_path):
    """Before: 1e308 each passed, summed to inf, and every weight became 0 in the kernel."""
    path = weights_csv(tmp_path, "indicator,weight\n" + "".join(f"{i},1e308\n" for i in INDICATORS))
    assert weights_error(path) == (f"parameter \"weights\" (file {path}) = '11 weights summing to inf': expected "
                                   "finite non-negative numbers whose sum is finite and positive (only their ratios "
                                   "count: scale them down) [constraint-error]")


@pytest.mark.parametrize("cell", ["nan", "inf", "-inf"])
def test_a_weight_that_is_no_finite_number_names_its_row(tmp_path, cell):
    path = weights_csv(tmp_path, "indicator,weight\n" + "".join(
        f"{i},{cell if k == 2 else 1}\n" for k, i in enumerate(INDICATORS)))
    assert weights_error(path) == (f"parameter \"weights\" (file {path}, row 3 (line 4), indicator 'high_tech_output') "
                                   f"= '{cell}': expected a finite number >= 0 [constraint-error]")


def test_a_weights_file_is_read_as_strictly_as_the_data(tmp_path):
    rows = "".join(f"{i},1\n" for i in INDICATORS)
    dup = weights_csv(tmp_path, "indicator,weight,weight\n" + "".join(f"{i},1,2\n" for i in INDICATORS))
    assert weights_error(dup) == (f"parameter \"weights\" = '{dup}, line 1, column \"weight\"': expected each column "
                                  "name once; 'weight' names columns 2 and 3, and readers differ on which of them they "
                                  "keep [duplicate-label]")  # before: pandas read the first, silently
    gbk = weights_csv(tmp_path, ("indicator,weight,备注\n" + rows).encode("gbk"))
    assert weights_error(gbk) == (f"parameter \"weights\" = '{gbk}, line 1': expected UTF-8 text (invalid start byte) "
                                  "[encoding-error]")  # before: UnicodeDecodeError
    quote = weights_csv(tmp_path, "indicator,weight\n" + rows.replace("high_tech_output,1", "high_tech_output,\"1"))
    assert weights_error(quote) == (
        f"parameter \"weights\" (file {quote}, row 3 (line 4), column \"weight\") = '\"1…': expected "
        + SWALLOWED.format(start=4, end=12, first=5) + " [quote-error]")  # before: pandas' ParserError
    cells = weights_csv(tmp_path, "indicator,weight\n" + rows.replace("gdp,1", "gdp,1,5"))
    assert weights_error(cells) == (f"parameter \"weights\" (file {cells}, row 1 (line 2)) = '3 cells': expected 2 "
                                    "cells as in the header [extra-cell]")


def test_a_weights_file_with_a_note_column_and_crlf_is_read(tmp_path):
    """The right answer: other columns of a weights file are the user's notes; line ends do not matter."""
    path = weights_csv(tmp_path, "indicator,weight,note\r\n" + "".join(
        f"{i},{2 if k == 0 else 1},mine\r\n" for k, i in enumerate(INDICATORS)))
    assert resolve_weights(str(path), INDICATORS).round(4).tolist() == [round(2 / 12, 4)] + [round(1 / 12, 4)] * 10
