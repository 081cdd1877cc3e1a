"""data/external.py: the external folder of published figures (data/external/). load_external on a synthetic report
folder and synthetic external folders: where the folder and its descriptor come from, which problems are reported
(the external rows', not the report's reference rows'), and the frames it returns; the packaged folder, and a copy of
it broken cell by cell; then the rules only sources need (external_problems, _date, _well_formed) on small synthetic
raw tables. Each expected problem is a whole record (file, row, line, column, value, expected text, code) worked out
by hand."""
from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest

from analysis_utils.data.external import _date, _well_formed, external_problems, load_external
from analysis_utils.data.load import RawTable, load
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


# ---------------------------------------------------------------- the packaged folder, and a copy broken cell by cell
def test_packaged_folder_has_eight_sources_or_more_each_used(ext):
    assert len(ext.sources) >= 8
    assert set(ext.observations["source_id"]) <= set(ext.sources["source_id"])
    assert (ext.observations["location"] != "").all()
    assert set(ext.sources["kind"]) <= {"official statistics", "government report", "news report", "other"}


def test_every_packaged_source_has_its_standing(ext):
    # by hand from each source's host and publisher line (docs/audit.md): a .gov.cn page of its publisher is
    # official_site; an official text on another host official_copy; a paper or agency named news; a page with no
    # publisher or a repost unattributed. No packaged source is a user's own.
    assert dict(zip(ext.sources["source_id"], ext.sources["tier"])) == {
        "wuhan_kjj_stats_2013_2018": "official_site", "wuhan_patent_report_2013": "official_copy",
        "cjn_wuhan_invention_2016": "named_news", "nanshan_2015_overview": "unattributed",
        "hubei_academicians_2015": "unattributed", "hubei_academicians_2011": "unattributed",
        "yuhang_gwr_2015": "official_copy", "yuhang_gwr_2012": "official_copy", "yuhang_gwr_2009": "official_site",
        "wuchang_profile_2017": "official_copy", "wuchang_census_2010_mirror": "unattributed",
        "wuhan_census_2020_bulletin2_copy": "official_copy", "wuchang_population_2019_page": "unattributed",
        "wuchang_population_2018_page": "unattributed", "guangdong_top10_districts_repost": "unattributed",
        "nanshan_overview_2018": "official_site", "hangzhou_population_2016": "official_site",
        "shenzhen_teams_2016": "unattributed", "xinhua_nanshan_2016": "named_news"}
    assert all(".gov.cn/" in url for url, tier in zip(ext.sources["url"], ext.sources["tier"]) if tier == "official_site")


def test_two_disagreeing_sources_are_both_kept(ext):
    # Wuhan's 2015 invention applications: science bureau 15077, 长江日报 15065
    obs = ext.observations
    hit = obs[(obs["entity"] == "武汉市") & (obs["indicator"] == "invention_patent_applications") & (obs["year"] == 2015)]
    assert sorted(hit["value"].astype(float)) == [15065.0, 15077.0]


def _rewrite(path, row_no, column, value):
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    rows[row_no - 1][column] = value
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


@pytest.mark.parametrize("file, row, column, value, code", [
    ("observations.csv", 3, "source_id", "no_such_source", "foreign-key-error"),
    ("sources.csv", 2, "url", "whwips.com/show.asp?id=43", "constraint-error"),
    ("sources.csv", 1, "date_published", "2019-02-30", "constraint-error"),
    ("sources.csv", 1, "date_accessed", "30.11.2026", "constraint-error"),
    ("sources.csv", 3, "date_accessed", "2016-01-01", "constraint-error"),  # read before published (2016-04-26)
    ("sources.csv", 1, "kind", "blog", "constraint-error"),
    ("observations.csv", 1, "value", "2O8", "type-error"),
    ("indicators.csv", 1, "indicator", "patent_grants", "unique-error"),  # redefines a report indicator
    # the texts we wrote per language: English ones without Chinese, Chinese ones in Chinese
    ("sources.csv", 1, "publisher_en", "武汉市科学技术局", "constraint-error"),
    ("sources.csv", 2, "publisher_en", "", "required-error"),
    ("sources.csv", 5, "scope", "Academicians (两院院士) of Hubei", "constraint-error"),
    ("sources.csv", 1, "scope_zh", "Wuhan city totals", "constraint-error"),
    ("sources.csv", 1, "scope_zh", "武汉市全市总量 per year", "constraint-error"),
    ("observations.csv", 4, "location", "table, row 7 *全社会R&D经费内部支出占GDP的比重(%), column 2013",
     "constraint-error"),
    ("observations.csv", 4, "location_zh", "table, row 7, column 2013", "constraint-error"),
    ("observations.csv", 4, "quote", "", "required-error"),
])
def test_broken_external_folder_names_file_row_column(data_copy, file, row, column, value, code):
    path = data_copy / "external" / file
    _rewrite(path, row, column, value)
    with pytest.raises(DataValidationError) as info:
        load_external(load(data_copy))
    hits = [p for p in info.value.problems
            if p.file.endswith(f"external/{file}") and p.row == row and p.column == column and p.code == code]
    assert hits, [str(p) for p in info.value.problems]


# ---------------------------------------------------------------- the rules only sources need, on synthetic raw tables
def table(name: str, rows: list[dict], lines: list[int] | None = None) -> RawTable:
    """A synthetic raw table; lines default to 3, 5, 7, … (the header is line 1; each row as if it held a quoted line
    break, so that a line is never row + 1, the default of a DataProblem without one)."""
    columns = list(rows[0]) if rows else []
    return RawTable(Path(f"/synthetic/{name}.csv"), columns, rows, lines or list(range(3, 2 * len(rows) + 3, 2)))


def source(source_id="s1", published="2015-06-01", accessed="2026-11-30"):
    return {"source_id": source_id, "date_published": published, "date_accessed": accessed}


@pytest.mark.parametrize("text, day", [
    ("2015", dt.date(2015, 1, 1)), ("2015-06", dt.date(2015, 6, 1)), ("2015-06-30", dt.date(2015, 6, 30)),
    ("2015-02-29", None), ("2016-02-29", dt.date(2016, 2, 29)), ("2015-13", None), ("2015-06-31", None),
])
def test_date_is_the_first_day_a_text_can_mean(text, day):
    assert _date(text) == day


@pytest.mark.parametrize("text, ok", [("2015", True), ("2015-06", True), ("2015-06-01", True), ("201", False),
                                      ("20150", False), ("2015-6-1", False), ("15-06-2015", False), ("", False),
                                      ("２０１５", False), ("２０１５-06", False)])
def test_well_formed_dates(text, ok):
    assert _well_formed(text) is ok


def test_a_clean_folder_has_no_problem():
    raw = {"sources": table("sources", [source("a", "2015"), source("b", "2016-04", "2016-04")]),
           "observations": table("observations", [{"source_id": "a", "year": "2015"},
                                                  {"source_id": "b", "year": "2016"}])}
    assert external_problems(raw) == []


def test_a_day_that_does_not_exist():
    raw = {"sources": table("sources", [source(), source("s2", "2019-02-30", "2026-02-29")], lines=[2, 5])}
    assert external_problems(raw) == [
        DataProblem("/synthetic/sources.csv", 2, "date_published", "2019-02-30",
                    "a date that exists (YYYY, YYYY-MM or YYYY-MM-DD)", "constraint-error", 5),
        DataProblem("/synthetic/sources.csv", 2, "date_accessed", "2026-02-29",
                    "a date that exists (YYYY, YYYY-MM or YYYY-MM-DD)", "constraint-error", 5)]


def test_badly_formed_dates_are_left_to_the_descriptor():
    raw = {"sources": table("sources", [source("s", "30.02.2019", "")])}
    assert external_problems(raw) == []


def test_read_before_published_and_the_same_day_is_fine():
    raw = {"sources": table("sources", [source("same", "2016-04-26", "2016-04-26"),
                                        source("early", "2016-04-26", "2016-04-25")])}
    assert external_problems(raw) == [
        DataProblem("/synthetic/sources.csv", 2, "date_accessed", "2016-04-25",
                    "a day not before date_published 2016-04-26", "constraint-error", 5)]


def test_a_figure_for_a_year_after_its_publication():
    raw = {"sources": table("sources", [source("s1", "2015-12-31"), source("s2", "2016")]),
           "observations": table("observations", [{"source_id": "s1", "year": "2015"},
                                                  {"source_id": "s1", "year": "2016"},
                                                  {"source_id": "s2", "year": "2017"},
                                                  {"source_id": "unknown", "year": "2099"},
                                                  {"source_id": "s2", "year": ""}], lines=[2, 5, 7, 8, 9])}
    assert external_problems(raw) == [
        DataProblem("/synthetic/observations.csv", 2, "year", "2016",
                    "a year not after its source's publication (2015)", "constraint-error", 5),
        DataProblem("/synthetic/observations.csv", 3, "year", "2017",
                    "a year not after its source's publication (2016)", "constraint-error", 7)]


def test_a_source_with_a_bad_publication_day_does_not_date_its_figures():
    raw = {"sources": table("sources", [source("s1", "2015-02-30")]),
           "observations": table("observations", [{"source_id": "s1", "year": "2016"}])}
    assert [p.column for p in external_problems(raw)] == ["date_published"]


def test_an_external_indicator_reusing_a_report_id():
    report = table("indicators", [{"indicator": "patent_grants"}, {"indicator": "rd_intensity"}])
    raw = {"indicators": table("ext_indicators", [{"indicator": "new_one"}, {"indicator": "rd_intensity"}])}
    assert external_problems(raw, report) == [
        DataProblem("/synthetic/ext_indicators.csv", 2, "indicator", "rd_intensity",
                    "an id not already in indicators.csv (reuse that one, or give a new id when the definition "
                    "differs)", "unique-error", 5)]
    assert external_problems(raw) == []  # without the report's table there is nothing to compare with


def test_problems_come_in_file_order():
    report = table("indicators", [{"indicator": "x"}])
    raw = {"sources": table("sources", [source("s1", "2015", "2014")]),
           "observations": table("observations", [{"source_id": "s1", "year": "2016"}]),
           "indicators": table("ext_indicators", [{"indicator": "x"}])}
    assert [(Path(p.file).name, p.column) for p in external_problems(raw, report)] == [
        ("sources.csv", "date_accessed"), ("observations.csv", "year"), ("ext_indicators.csv", "indicator")]


ENGLISH = ("English text without Chinese characters (the source's own words belong in publisher, title or quote)")
CHINESE = "Chinese text (Latin only for R&D, GDP, acronyms, web addresses)"


def test_texts_in_the_language_of_their_column():
    sources = table("sources", [
        {"publisher_en": "Wuhan Statistics Bureau", "scope": "Wuhan totals", "scope_zh": "武汉市全市总量"},
        {"publisher_en": "武汉 Bureau", "scope": "Wuhan", "scope_zh": "Wuhan"},
        {"publisher_en": "Bureau", "scope": "totals（2015）", "scope_zh": "武汉 per year"},
        # allowed Latin in Chinese: R&D, GDP, acronyms, web addresses and site names; Latin words under 3 letters
        {"publisher_en": "", "scope": "", "scope_zh": "R&D占GDP比重，CAS院士，见http://tjj.wuhan.gov.cn/a?b=1、tjj.wuhan.gov.cn，a or b"},
        {"publisher_en": "B", "scope": "S", "scope_zh": ""},  # empty: the descriptor's required rule, not this one
    ], lines=[2, 4, 5, 8, 9])
    observations = table("observations", [{"location": "表3", "location_zh": "第3行"},
                                          {"location": "table 3", "location_zh": "第3行 Inc."}], lines=[3, 6])
    others = table("indicators", [{"location": "表3", "location_zh": "row", "scope_zh": "x", "scope": "表"}])
    sources_file, obs_file = "/synthetic/sources.csv", "/synthetic/observations.csv"
    assert external_problems({"sources": sources, "observations": observations, "indicators": others}) == [
        DataProblem(sources_file, 2, "publisher_en", "武汉 Bureau", ENGLISH, "constraint-error", 4),
        DataProblem(sources_file, 2, "scope_zh", "Wuhan", CHINESE, "constraint-error", 4),
        DataProblem(sources_file, 3, "scope", "totals（2015）", ENGLISH, "constraint-error", 5),
        DataProblem(sources_file, 3, "scope_zh", "武汉 per year", CHINESE, "constraint-error", 5),
        DataProblem(obs_file, 1, "location", "表3", ENGLISH, "constraint-error", 3),
        DataProblem(obs_file, 2, "location_zh", "第3行 Inc.", CHINESE, "constraint-error", 6)]


def test_tables_without_the_checked_columns_have_no_problem():
    """Columns the descriptor requires may be missing from a broken file; these rules then have nothing to read."""
    raw = {"sources": table("sources", [{"title": "标题"}, {"title": "t"}]),
           "observations": table("observations", [{"value": "1"}]),
           "indicators": table("indicators", [{"name_zh": "名"}])}
    assert external_problems(raw, table("report_indicators", [{"name_zh": "名"}])) == []


def test_a_year_that_is_not_a_number_is_left_to_the_descriptor():
    raw = {"sources": table("sources", [source("s1", "2015")]),
           "observations": table("observations", [{"source_id": "s1", "year": "2O16"},
                                                  {"source_id": "s1", "year": "２０１６"},
                                                  {"source_id": "s1", "year": "2015"}])}
    assert external_problems(raw) == []


def test_a_source_without_publication_date_does_not_date_its_figures():
    raw = {"sources": table("sources", [source("s1", ""), source("s2", "2014", "")]),
           "observations": table("observations", [{"source_id": "s1", "year": "2099"},
                                                  {"source_id": "s2", "year": "2015"}])}
    assert external_problems(raw) == [
        DataProblem("/synthetic/observations.csv", 2, "year", "2015",
                    "a year not after its source's publication (2014)", "constraint-error", 5)]


def test_an_indicator_table_without_ids_against_the_report():
    report = table("indicators", [{"indicator": "gdp"}])
    raw = {"indicators": table("ext_indicators", [{"name_zh": "名"}, {"indicator": "gdp"}])}
    assert external_problems(raw, report) == [
        DataProblem("/synthetic/ext_indicators.csv", 2, "indicator", "gdp",
                    "an id not already in indicators.csv (reuse that one, or give a new id when the definition "
                    "differs)", "unique-error", 5)]
