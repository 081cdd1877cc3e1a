"""data/external: validation of the sources folder, the second audit pass, the extended series.

Expected values are worked out by hand from the published figures (data/external/observations.csv, each with its
place in the source) and the report's printed numbers; never taken from the code under test.
"""
from __future__ import annotations

import csv

import pytest

from analysis_utils.analysis.external_series import share_series
from analysis_utils.audit import external
from analysis_utils.data.external import load_external
from analysis_utils.data.load import load
from analysis_utils.errors import DataValidationError


@pytest.fixture(scope="module")
def ext(data):
    return load_external(data)


@pytest.fixture(scope="module")
def checks(data, ext):
    return external.external_checks(data, ext, "en")


def pair(checks, item, year):
    hit = checks[(checks["item"] == item) & (checks["external_year"] == year)]
    assert len(hit) >= 1, (item, year)
    return hit.iloc[0]


def test_packaged_folder_has_eight_sources_or_more_each_used(ext):
    assert len(ext.sources) >= 8
    assert set(ext.observations["source_id"]) <= set(ext.sources["source_id"])
    assert (ext.observations["location"] != "").all()
    assert set(ext.sources["kind"]) <= {"official statistics", "government report", "news report"}


def test_two_disagreeing_sources_are_both_kept(ext):
    # Wuhan's 2015 invention applications: science bureau 15077, 长江日报 15065
    obs = ext.observations
    hit = obs[(obs["entity"] == "武汉市") & (obs["indicator"] == "invention_patent_applications") & (obs["year"] == 2015)]
    assert sorted(hit["value"].astype(float)) == [15065.0, 15077.0]


def test_wuhan_average_is_the_2014_value(checks):
    # printed 2.9% stands for [2.85, 2.95); 2015 published 3.02 is outside: differs by 3.02 - 2.9 = 0.12
    same = pair(checks, "武汉市/rd_intensity/2015", 2015)
    assert same["verdict"] == "differs" and same["difference"] == pytest.approx(0.12)
    # 2014 published 2.91 is inside [2.85, 2.95): the report's 2.9 matches 2014
    assert pair(checks, "武汉市/rd_intensity/2015", 2014)["verdict"] == "other_year"
    # 2013 published 2.74 is outside and another year: context only
    assert pair(checks, "武汉市/rd_intensity/2015", 2013)["verdict"] == "context"
    assert same["item_verdict"] == "other_year"


def test_academicians_share_of_hubei_agrees_and_wuhan_is_another_scope(checks):
    claim = checks[checks["item"] == "p_academicians_share_hubei"]
    hubei = claim[claim["entity"] == "湖北省"].iloc[0]
    # 27 / 71 = 0.380282 → 38.03%, inside the printed 38% = [37.5, 38.5)
    assert hubei["verdict"] == "agrees" and hubei["external_value"] == pytest.approx(38.028169, abs=1e-6)
    wuhan = claim[claim["entity"] == "武汉市"].iloc[0]
    # 27 / 67 = 0.402985 → 40.30%: outside, and Wuhan is not the whole the claim names
    assert wuhan["verdict"] == "context" and wuhan["external_value"] == pytest.approx(40.298507, abs=1e-6)
    assert hubei["before"] == "implied" and bool(hubei["newly_checked"])


def test_table_2_cells(checks):
    # Nanshan GDP printed 3715 (亿元), published 3715 for 2015: agrees
    assert pair(checks, "南山区/gdp/2015", 2015)["verdict"] == "agrees"
    # Yuhang GDP printed 1235 for 2015; only 2014 (1101.04), 2011, 2008 published: context; 1101.04 - 1235 = -133.96
    yuhang = pair(checks, "余杭区/gdp/2015", 2014)
    assert yuhang["verdict"] == "context" and yuhang["difference"] == pytest.approx(-133.96)
    assert yuhang["item_verdict"] == "context"


def test_summary_counts_each_report_number_once(checks):
    table = external.external_summary(checks)
    items = checks["item"].nunique()
    assert table.loc["all", "all"] == items
    # by hand from the packaged data: 3 linked claims, 4 cells (南山 GDP, 南山 R&D, 余杭 GDP, 武汉 R&D)
    assert (table.loc["claim", "all"], table.loc["cell", "all"]) == (3, 4)


def test_english_and_chinese_texts_cite_the_source(data, ext, checks):
    zh = external.external_checks(data, ext, "zh")
    for frame in (checks, zh):
        assert all(row["publisher"] in row["explanation"] for row in frame.to_dict("records"))


def test_wuchang_share_of_wuhan_patent_grants(data, ext):
    series = share_series(data, ext)
    grants = series[series["indicator"] == "patent_grants"].set_index("year")["share"]
    # 2130/15901 = 13.3954%, 2154/16335 = 13.1864%, 2826/21740 = 12.9991%
    assert grants.to_dict() == pytest.approx({2013: 13.395384, 2014: 13.186410, 2015: 12.999080}, abs=1e-5)


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
])
def test_broken_external_folder_names_file_row_column(data_copy, file, row, column, value, code):
    path = data_copy / "external" / file
    _rewrite(path, row, column, value)
    with pytest.raises(DataValidationError) as info:
        load_external(load(data_copy))
    hits = [p for p in info.value.problems
            if p.file.endswith(f"external/{file}") and p.row == row and p.column == column and p.code == code]
    assert hits, [str(p) for p in info.value.problems]
