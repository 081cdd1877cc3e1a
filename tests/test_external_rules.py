"""The rules only sources need (data.external.external_problems, _date, _well_formed), on small synthetic
raw tables: each problem's file, row, line, column, value, expected text and code, worked out by hand."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from analysis_utils.data.external import _date, _well_formed, external_problems
from analysis_utils.data.load import RawTable
from analysis_utils.errors import DataProblem


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
