"""data.additions (the folder new-district writes) and data.load.load_additions (a user's additions read with the
packaged data). The example folder's numbers are SYNTHETIC."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pandas as pd
import pytest

from analysis_utils import paths
from analysis_utils.data import additions
from analysis_utils.data.external import home
from analysis_utils.data.load import load
from analysis_utils.errors import DataValidationError, DataWarning, ParameterError
from tests._support.data import REPLACES_GDP, append_rows, with_concepts, with_replacements


@pytest.fixture()
def example(example_additions):
    return example_additions


def test_the_example_is_read_with_the_packaged_data(example):
    data, packaged = load(example), load()
    assert len(data.observations) == len(packaged.observations) + 8  # the example's eight numbers
    assert "示例区" in set(data.districts()) and data.descriptor["additions"] == str(example)
    assert set(data.observations.loc[data.observations["entity"] == "示例区", "source_id"]) == {"synthetic_bulletin"}
    assert data.source_of("synthetic_bulletin")["kind"] == "other"
    assert home(data) == paths.DATA_DIR  # its published figures are the packaged ones
    assert data.report_view().observations.equals(packaged.observations)  # the audit sees the report's numbers only


def test_an_added_row_with_a_key_of_the_reports_is_refused_naming_the_users_file_and_row(example):
    append_rows(example / "observations.csv", [{"entity": "武昌区", "indicator": "gdp", "year": "2015",
                                                "year_inferred": "false", "value": "900", "unit": "亿元",
                                                "printed": "900", "source": "第2页", "source_id": "synthetic_bulletin"}])
    with pytest.raises(DataValidationError) as err:
        load(example)
    [problem] = err.value.problems
    # the example has 8 rows, so the added one is row 9 (line 10) of the user's file; 武昌区 gdp is row 13 packaged
    assert (problem.file, problem.row, problem.line, problem.code) == (str(example / "observations.csv"), 9, 10,
                                                                       "unique-error")
    # a newcomer read "observations.csv row 13" as a row of their own file, and found no way out: the packaged file
    # is named as such, and the message points to replacements.csv
    assert problem.expected == ("a key the packaged data do not hold: the packaged observations.csv "
                                "(data/observations.csv) row 13 has it (an addition never changes one of the report's "
                                "numbers; to correct it, put the row in replacements.csv with your source_id: "
                                "docs/your-own-data.md)")


def test_a_problem_in_an_added_row_names_the_users_file(example):
    text = (example / "observations.csv").read_text(encoding="utf-8").replace("示例区,gdp,2015,,false,1000,",
                                                                                "示例区,gdp,2015,,false,10x0,")
    (example / "observations.csv").write_text(text, encoding="utf-8")
    with pytest.raises(DataValidationError) as err:
        load(example)
    assert [(p.file, p.row, p.column, p.code) for p in err.value.problems] == [
        (str(example / "observations.csv"), 3, "value", "type-error")]


def test_a_key_twice_in_the_users_file_names_both_of_its_rows(example):
    """Before: "row 132 has the same", the row of the combined table (the packaged 129 rows, then the user's)."""
    append_rows(example / "observations.csv", [{"entity": "示例区", "indicator": "gdp", "year": "2015",
                                                "year_inferred": "false", "value": "1000", "unit": "亿元",
                                                "printed": "1000亿元", "source": "第一部分",
                                                "source_id": "synthetic_bulletin"}])
    with pytest.raises(DataValidationError) as err:
        load(example)
    [problem] = err.value.problems
    assert str(problem) == (f"{example / 'observations.csv'}, row 9 (line 10), column \"entity+indicator+year\": got "
                            "'示例区/gdp/2015', expected a unique key; row 3 has the same [unique-error]")


def test_each_row_knows_the_file_and_line_it_came_from(example):
    """One origins record for the combined tables: the packaged rows, the user's, and a replacement in the place of
    the report's row it replaces (packaged observations.csv row 13, 武昌区 gdp 2015)."""
    with_replacements(example, REPLACES_GDP)
    data = load(example)
    assert data.origin("observations", 13) == (str(example / "replacements.csv"), 1, 2)
    assert data.origin("observations", 12) == (str(paths.DATA_DIR / "observations.csv"), 12, 13)
    assert data.origin("observations", 131) == (str(example / "observations.csv"), 2, 3)  # 示例区 resident_population
    assert data.observations["source_file"].iloc[[12, 11, 130]].tolist() == ["replacements.csv", "observations.csv",
                                                                           "observations.csv"]


def test_a_users_row_with_the_key_of_a_replacement_names_the_replacements_row(example):
    """Before: the packaged row 13 was named, although the row there is the user's replacement."""
    with_replacements(example, REPLACES_GDP)
    append_rows(example / "observations.csv", [{"entity": "武昌区", "indicator": "gdp", "year": "2015",
                                                "year_inferred": "false", "value": "900", "unit": "亿元",
                                                "printed": "900", "source": "第2页", "source_id": "synthetic_bulletin"}])
    with pytest.raises(DataValidationError) as err:
        load(example)
    [problem] = err.value.problems
    assert (problem.file, problem.row, problem.line) == (str(example / "observations.csv"), 9, 10)
    assert problem.expected == "a unique key; replacements.csv row 1 has the same"


@pytest.mark.parametrize("change, expected", [
    (lambda d: d | {"extends": "another-package"}, '"extends": "wuchang-innovation-2016" (the packaged data)'),
    (lambda d: d | {"resources": d["resources"] + [{"name": "people", "path": "people.csv"}]},
     "resources named as the packaged ones"),
])
def test_a_descriptor_that_extends_something_else_is_one_problem(example, change, expected):
    path = example / "datapackage.json"
    path.write_text(json.dumps(change(json.loads(path.read_text(encoding="utf-8"))), ensure_ascii=False),
                    encoding="utf-8")
    with pytest.raises(DataValidationError) as err:
        load(example)
    [problem] = err.value.problems
    assert problem.file == str(path) and problem.expected.startswith(expected)


def test_an_added_file_with_other_columns_is_one_problem(example):
    path = example / "entities.csv"
    path.write_text("entity,name_en,level\n示例区,Example District (SYNTHETIC),district\n", encoding="utf-8")
    with pytest.raises(DataValidationError) as err:
        load(example)
    [problem] = err.value.problems
    assert (problem.file, problem.code) == (str(path), "missing-column")
    assert problem.expected == ("the columns of the packaged entities.csv: entity, name_en, level, parent, note "
                                "(no column parent, note)")
    assert problem.column == "parent, note"  # named, not left to the reader to compare two lists


def test_an_added_file_with_an_unknown_column_names_it(example):
    path = example / "entities.csv"
    text = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join([text[0] + ",colour"] + [line + ",red" for line in text[1:]]) + "\n", encoding="utf-8")
    with pytest.raises(DataValidationError) as err, pytest.warns(DataWarning, match='column "colour"'):
        load(example)
    [problem] = err.value.problems
    assert problem.expected.endswith("(unknown column colour)") and problem.column == "colour"


def test_a_sources_file_written_before_tiers_loads_and_its_sources_are_the_users_own(example):
    # SYNTHETIC example folder: its sources.csv without the tier column (as written before 0.3.0) still loads;
    # the source reads as the user's own
    path = example / "sources.csv"
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    columns = [c for c in rows[0] if c != "tier"]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    assert "tier" not in path.read_text(encoding="utf-8").splitlines()[0]
    data = load(example)
    assert data.source_of("synthetic_bulletin")["tier"] == ""


def test_new_district_writes_a_folder_to_fill(tmp_path):
    files = additions.template(load(), "测试区", "Test District", "test_bulletin", 2015, "武汉市", ["area", "gdp"])
    assert sorted(files) == ["datapackage.json", "entities.csv", "observations.csv", "sources.csv"]
    assert json.loads(files["datapackage.json"])["extends"] == "wuchang-innovation-2016"
    assert files["entities.csv"] == "entity,name_en,level,parent,note\n测试区,Test District,district,武汉市,\n"
    rows = list(csv.DictReader(io.StringIO(files["observations.csv"])))
    assert [(r["indicator"], r["unit"], r["qualifier"], r["printed"], r["source_id"]) for r in rows] == [
        ("area", "平方公里", "missing", "-", "test_bulletin"), ("gdp", "亿元", "missing", "-", "test_bulletin")]
    folder = additions.write(tmp_path / "mine", files)
    with pytest.raises(DataValidationError) as err:  # the source is the user's to cite: every required cell named
        load(folder)
    assert {p.column for p in err.value.problems} == {"publisher", "publisher_en", "title", "date_accessed", "kind",
                                                       "scope", "scope_zh", "url"}
    with pytest.raises(ParameterError, match="does not exist yet"):
        additions.write(folder, files)


PROGRAMMES = ["talent_national_1000", "talent_hubei_100", "talent_huanghe", "talent_wuhan_experts", "talent_peacock",
              "talent_zhejiang_1000", "overseas_projects_matched"]  # Table 3's talent plans, in its order


@pytest.mark.parametrize("parent, expected", [
    ("武汉市", ["talent_national_1000", "talent_hubei_100", "talent_huanghe", "talent_wuhan_experts",
             "overseas_projects_matched"]),  # Wuhan's and Hubei's plans, none of Shenzhen's or Zhejiang's
    ("湖北省", ["talent_national_1000", "talent_hubei_100", "overseas_projects_matched"]),  # not Wuhan's
    ("深圳市", ["talent_national_1000", "talent_peacock", "overseas_projects_matched",
             "guangdong_innovation_teams"]),  # Shenzhen is in Guangdong (entities.csv)
    ("成都市", ["talent_national_1000", "overseas_projects_matched"]),  # a city entities.csv does not know
    ("", ["talent_national_1000", "overseas_projects_matched"]),
])
def test_a_new_district_is_offered_only_the_talent_plans_of_its_own_city_and_province(parent, expected):
    """Before: every district was offered rows for Shenzhen's Peacock Plan and Zhejiang's and Hubei's plans."""
    assert additions.offered(load(), parent, ["area", *PROGRAMMES, "guangdong_innovation_teams"]) == \
        ["area", *expected]


@pytest.mark.parametrize("entity, source_id, parent, words", [
    ("武昌区", "x", "", "a district the data do not hold yet"), ("测试区", "Test Bulletin", "", "lower-case letters"),
    # before: an unknown parent was written into the folder and refused only later, by validate
    ("测试区", "x", "武汉", r"parameter \"parent\" = '武汉': expected a city or province of entities\.csv \(.*武汉市.*\) "
                          "or empty"),
    # a district or a makerspace is no place a district lies in (before: both written into the folder, exit 0)
    ("测试区", "x", "南山区", "a city or province"), ("测试区", "x", "36氪氪空间", "a city or province")])
def test_new_district_refuses_a_known_district_an_unknown_parent_and_a_bad_source_id(entity, source_id, parent,
                                                                                     words):
    with pytest.raises(ParameterError, match=words):
        additions.template(load(), entity, "X", source_id, parent=parent)


# ---------------------------------------------------------------------------- replacing a number the report prints
def test_a_replacement_stands_in_for_the_reports_number_and_the_report_keeps_its_own(example, claims_audit,
                                                                                         audit_table):
    """``claims_audit`` and ``audit_table``: claims.audit and narrate.audit_table of the packaged data (load())."""
    from analysis_utils.audit import claims
    from analysis_utils.report import report_tables

    with_replacements(example, REPLACES_GDP)
    data = load(example)
    assert data.observation("武昌区", "gdp", 2015)[["value", "source_id"]].tolist() == [880, "synthetic_bulletin"]
    assert data.report_view().observation("武昌区", "gdp", 2015)[["value", "source_id"]].tolist() == [870, ""]
    view = data.report_view()  # the report's 129 numbers, once each, however often the audit asks for its view
    assert view.report_view() is view and len(view.observations) == len(load().observations)
    assert claims.audit(data).equals(claims_audit)  # the report is judged on its own 870
    from analysis_utils.report import narrate  # and its explanations say 870 (a newcomer saw "26.97 / 880 = 3.1%")

    assert narrate.audit_table(data).equals(audit_table)
    zh, en = report_tables.table_2(data, "zh"), report_tables.table_2(data, "en")
    assert zh.iloc[0, 3] == "880†（报告：870）" and en.iloc[0, 3] == "880† (report: 870)"  # both shown
    # its derived values (per resident on 03 and 05) use 880: the district is named with the mark wherever it
    # appears, and the note under 03's and 05's first table names the replacement's source
    assert zh.iloc[0, 0] == "武昌区†" and zh.iloc[1, 0] == "南山区"
    assert "示例区统计局" in report_tables.others_note(data, ["武昌区", "南山区"], "zh")


@pytest.mark.parametrize("row, column, code, expected", [
    ("武昌区,gdp,2013,,false,800,,亿元,,800,第3页,synthetic_bulletin,,SYNTHETIC\n", "entity+indicator+year",
     "foreign-key-error", "the key of a number the report prints (a number of your own goes in observations.csv)"),
    ("武昌区,gdp,2015,,false,880,,亿元,,880,第3页,,,SYNTHETIC\n", "source_id", "required-error",
     "the source of the replacement (a row of sources.csv)"),
    ("武昌区,gdp,2015,,false,88x,,亿元,,880,第3页,synthetic_bulletin,,SYNTHETIC\n", "value", "type-error", "a number"),
])
def test_a_replacement_that_replaces_nothing_names_no_source_or_is_bad_is_said_of_its_own_row(example, row, column,
                                                                                           code, expected):
    path = with_replacements(example, row)
    with pytest.raises(DataValidationError) as err:
        load(example)
    [problem] = err.value.problems
    assert (problem.file, problem.row, problem.line, problem.column, problem.code) == (str(path), 1, 2, column, code)
    assert problem.expected == expected


def _filled_template(tmp_path, indicators: list[str], filled: dict[str, str]):
    """The folder new-district writes for a SYNTHETIC 测试区 with ``indicators``, its source cited and the
    observation rows of ``filled`` (template text -> filled text) filled in, loaded."""
    files = additions.template(load(), "测试区", "Test District (SYNTHETIC)", "test_bulletin", 2015, "武汉市", indicators)
    files["sources.csv"] = files["sources.csv"].replace(
        "test_bulletin,,,,,,,,,,,", "test_bulletin,测试（SYNTHETIC）,Test (SYNTHETIC),虚构（SYNTHETIC）,,SYNTHETIC,,2026-12-07,"
        "other,own,SYNTHETIC,虚构")
    for template_row, row in filled.items():
        assert template_row in files["observations.csv"], template_row
        files["observations.csv"] = files["observations.csv"].replace(template_row, row)
    return load(additions.write(tmp_path / "mine", files))


def test_a_district_as_new_district_leaves_it_without_its_population_is_shown_not_fatal(tmp_path):
    """The template prints resident_population '-' (qualifier missing) until the user fills it in: the district's
    per-resident values are missing, and a comparison it joins (every focus's default peers) still runs."""
    from analysis_utils.composite import indicators

    data = _filled_template(tmp_path, ["resident_population", "rd_intensity"], {
        "rd_intensity,2015,,false,,,%,missing,-,-": "rd_intensity,2015,,false,2.5,,%,,2.5%,第1页"})
    matrix = indicators.indicator_matrix(data, ["武昌区", "测试区"], 2015)
    assert matrix.values.loc["测试区", indicators.PER_RESIDENT].isna().all()
    assert matrix.values.loc["测试区", "rd_intensity"] == 2.5


def test_a_value_the_template_leaves_as_a_dash_is_not_marked_as_another_sources(tmp_path):
    """A newcomer saw '-†': the mark says a number comes from another source, and a '-' (the template's
    resident_population, qualifier missing) is no number."""
    from analysis_utils.report import report_tables

    data = _filled_template(tmp_path, ["area", "resident_population"], {
        "area,2015,,false,,,平方公里,missing,-,-": "area,2015,,false,12.5,,平方公里,,12.5,第1页"})
    row = report_tables.table_2(data, "zh", ["测试区", "武昌区"], 2015).iloc[0].tolist()
    assert row[:3] == ["测试区†", "12.5†", "-"]  # its area is its source's; its population is not given


# ---------------------------------------------------------------------------- an additions folder's own external/
EXT_SOURCE = ("source_id,publisher,publisher_en,title,url,citation,date_published,date_accessed,kind,tier,scope,"
              "scope_zh\nsynthetic_news,示例日报（SYNTHETIC）,Example Daily (SYNTHETIC),示例区经济（SYNTHETIC）,,"
              "SYNTHETIC: an invented article,2016-04,2026-12-07,news report,,SYNTHETIC article,虚构的文章（SYNTHETIC）\n")
EXT_ROW = ("entity,indicator,year,year_start,year_inferred,value,value_high,unit,qualifier,printed,source,also_in,note,"
           "source_id,location,location_zh,quote,quote_script,first_published\n"
           "示例区,gdp,2015,,false,1001,,亿元,,1001,,,,synthetic_news,first sentence,第一句,示例区GDP1001亿元,,\n")


def test_an_additions_folders_external_is_read_with_the_packaged_one(example):
    """Before: an additions folder's external/ was silently ignored (validate counted the packaged 19 sources and
    49 figures; notebook 06 had no trace of the user's). Now its rows are appended to the packaged ones, may name
    the user's own district, and an empty tier reads as the user's own source."""
    from analysis_utils.data.external import load_external

    (example / "external").mkdir()
    (example / "external" / "sources.csv").write_text(EXT_SOURCE, encoding="utf-8")
    (example / "external" / "observations.csv").write_text(EXT_ROW, encoding="utf-8")
    packaged = load_external(load())
    ext = load_external(load(example))
    assert len(ext.sources) == len(packaged.sources) + 1 and len(ext.observations) == len(packaged.observations) + 1
    assert ext.observations.iloc[-1][["entity", "value", "source_id"]].tolist() == ["示例区", 1001, "synthetic_news"]
    assert ext.source("synthetic_news")["tier"] in ("", None) or pd.isna(ext.source("synthetic_news")["tier"])


def test_a_problem_in_an_additions_folders_external_names_the_users_file_and_row(example):
    from analysis_utils.data.external import load_external

    (example / "external").mkdir()
    (example / "external" / "sources.csv").write_text(EXT_SOURCE.replace(",news report,,", ",news report,officia_site,"),
                                                      encoding="utf-8")
    with pytest.raises(DataValidationError) as caught:
        load_external(load(example))
    [problem] = caught.value.problems
    assert (Path(problem.file), problem.row, problem.line, problem.column, problem.value) == (
        example / "external" / "sources.csv", 1, 2, "tier", "officia_site")


def test_the_external_checks_cover_the_reports_numbers_only_and_show_a_users_source_as_own(example):
    """A user's published figure for the report's 武昌区 GDP (870 printed) is checked, with the standing 'own';
    one for the user's own 示例区 is not (示例区's 1000 is no number of the report). By hand: 1001 vs 870
    differs by 131 (same year, same place)."""
    from analysis_utils.audit.external import external_checks
    from analysis_utils.data.external import load_external

    (example / "external").mkdir()
    (example / "external" / "sources.csv").write_text(EXT_SOURCE, encoding="utf-8")
    rows = EXT_ROW + "武昌区,gdp,2015,,false,1001,,亿元,,1001,,,,synthetic_news,second sentence,第二句,武昌区GDP1001亿元,,\n"
    (example / "external" / "observations.csv").write_text(rows, encoding="utf-8")
    data = load(example)
    checks = external_checks(data, load_external(data))
    assert "示例区" not in set(checks["entity"])
    ours = checks[checks["source_id"] == "synthetic_news"]
    assert ours[["item", "verdict", "tier", "difference"]].values.tolist() == [
        ["武昌区/gdp/2015", "differs", "own", 131.0]]


@pytest.mark.parametrize("where", ["external/sources.csv", "sources.csv"])
def test_a_users_source_cannot_claim_the_standing_of_a_packaged_one(example, where):
    """Before: tier official_site on a SYNTHETIC source of the user's passed, and 06 counted its figure among the
    official ones. A source of the user's is the user's own: tier empty or 'own', either registry."""
    from analysis_utils.data.external import load_external

    path = example / where
    if where.startswith("external"):
        path.parent.mkdir()
        path.write_text(EXT_SOURCE.replace(",news report,,", ",news report,official_site,"), encoding="utf-8")
    else:
        rows = list(csv.DictReader(open(path, encoding="utf-8")))
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=[*rows[0].keys(), "tier"], lineterminator="\n")
        writer.writeheader()
        writer.writerows(r | {"tier": "official_site"} for r in rows)
        path.write_text(buffer.getvalue(), encoding="utf-8")
    with pytest.raises(DataValidationError) as caught:
        load_external(load(example)) if where.startswith("external") else load(example)
    [problem] = caught.value.problems
    assert (Path(problem.file), problem.row, problem.column, problem.value) == (path, 1, "tier", "official_site")
    assert problem.expected.startswith("empty or 'own' for a source of your own")


def test_a_concept_row_with_a_packaged_key_says_the_packaged_data_not_a_number_of_the_report(example):
    """Before: a concepts.csv row repeating 武昌's packaged concept was refused as changing 'a number of the report'."""
    with_concepts(example, "resident_population,武昌区,2015,resident,synthetic_bulletin,false,SYNTHETIC\n")
    with pytest.raises(DataValidationError) as err:
        load(example)
    [problem] = err.value.problems
    assert (Path(problem.file).name, problem.row, problem.code) == ("concepts.csv", 1, "unique-error")
    assert problem.expected.endswith("has it (an addition never changes the packaged data)")


def test_a_csv_file_the_additions_do_not_list_is_a_warning_naming_it(example):
    """Before: a concepts.csv not listed in datapackage.json was silently not read (validate said 'valid')."""
    from analysis_utils.errors import DataWarning

    (example / "concepts.csv").write_text("indicator,entity,year,concept,source_id,inferred,note\n", encoding="utf-8")
    with pytest.warns(DataWarning) as caught:
        load(example)
    [warning] = [w for w in caught if "concepts.csv" in str(w.message)]
    assert "a file the folder's datapackage.json lists as a resource" in str(warning.message)
    assert "this one is not read" in str(warning.message)
