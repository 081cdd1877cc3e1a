"""A user's own district with its own cited source: its numbers are marked as not the report's, and the audit, its
counts and the report's own tables never include them (issue 22, items 1 and 2). Every value here is SYNTHETIC."""
from __future__ import annotations

import pytest

from analysis_utils.analysis import tables
from analysis_utils.audit import claims
from analysis_utils.data.load import load
from analysis_utils.errors import DataValidationError
from analysis_utils.report import report_tables
from tests._support.data import append_rows

SOURCE = {"source_id": "synthetic_bulletin", "publisher": "示例区统计局（SYNTHETIC）", "publisher_en": "Example District Statistics Bureau (SYNTHETIC)",
          "title": "示例区2015年统计公报（SYNTHETIC）", "citation": "SYNTHETIC: a test source, printed only", "date_published": "2016-03",
          "date_accessed": "2026-12-07", "kind": "other", "scope": "SYNTHETIC test figures", "scope_zh": "测试用的虚构数字"}


def _row(indicator, value, unit, printed, **more):
    return {"entity": "示例区", "indicator": indicator, "year": "2015", "year_inferred": "false", "value": value,
            "unit": unit, "printed": printed, "source": "第1页", "source_id": "synthetic_bulletin", **more}


@pytest.fixture()
def own_data(data_copy):
    """The packaged data plus a SYNTHETIC district 示例区 (under 武汉市) with three 2015 numbers of its own source,
    and a SYNTHETIC makerspace under 武昌区 (表4 counts 11 makerspaces: an addition must not change that claim)."""
    append_rows(data_copy / "entities.csv", [
        {"entity": "示例区", "name_en": "Example District (SYNTHETIC)", "level": "district", "parent": "武汉市"},
        {"entity": "示例空间", "name_en": "Example space (SYNTHETIC)", "level": "makerspace", "parent": "武昌区"}])
    append_rows(data_copy / "external" / "sources.csv", [SOURCE])
    append_rows(data_copy / "observations.csv", [
        _row("area", "28.29", "平方公里", "28.29"), _row("gdp", "700", "亿元", "700"),
        _row("makerspaces", "5", "个", "5个"),
        {**_row("operating_cost", "10", "万元", "10"), "entity": "示例空间"}])
    return data_copy


def test_a_users_source_is_named_in_source_id_and_a_report_place_is_refused_without_it(own_data):
    data = load(own_data)
    assert data.source_of("synthetic_bulletin")["publisher"] == "示例区统计局（SYNTHETIC）"
    append_rows(own_data / "observations.csv", [{**_row("rd_intensity", "2", "%", "2%"), "source_id": "",
                                                   "source": "示例区2015年统计公报"}])
    with pytest.raises(DataValidationError) as err:
        load(own_data)
    [problem] = err.value.problems
    assert (problem.column, problem.value, problem.code) == ("source", "示例区2015年统计公报", "constraint-error")
    assert "source_id" in problem.expected and "表1–表5" in problem.expected


def test_a_source_id_not_in_the_registry_is_refused(own_data):
    append_rows(own_data / "observations.csv", [{**_row("rd_intensity", "2", "%", "2%"), "source_id": "no_such"}])
    with pytest.raises(DataValidationError) as err:
        load(own_data)
    assert [(p.column, p.value, p.code) for p in err.value.problems] == [("source_id", "no_such", "foreign-key-error")]


def test_a_source_needs_a_url_or_a_citation(own_data):
    append_rows(own_data / "external" / "sources.csv", [{**SOURCE, "source_id": "nowhere", "citation": ""}])
    with pytest.raises(DataValidationError) as err:
        load(own_data)
    assert [(p.column, p.code) for p in err.value.problems] == [("url", "required-error")]


def test_the_audit_and_its_counts_are_the_same_with_and_without_a_users_additions(own_data):
    plain, own = load(), load(own_data)
    assert claims.audit(own).equals(claims.audit(plain))
    facts = claims.not_checkable(own)
    assert len(facts) == len(claims.not_checkable(plain)) and "示例区" not in set(facts["entity"])
    assert claims.compare_printed(own, 4).equals(claims.compare_printed(plain, 4))  # 表4's total: report's spaces only
    assert "示例区" not in set(tables.prose_figures(own, "二")["entity"])
    assert own.find("表2")["entity"].tolist() == plain.find("表2")["entity"].tolist()


@pytest.mark.parametrize("lang, title, cell, note", [
    ("zh", "2015年示例区†与武昌区、南山区创新成效比较（按报告表2的口径；†为其他来源的数值）", "28.29†",
     "† 不是报告的数值，来自：示例区统计局（SYNTHETIC）《示例区2015年统计公报（SYNTHETIC）》（2016-03，SYNTHETIC: a "
     "test source, printed only；范围：测试用的虚构数字；示例区†）。"),
    ("en", "Innovation performance of Example District (SYNTHETIC)† compared with Wuchang District and Nanshan District, "
           "2015 (laid out as the report's Table 2; † values from other sources)", "28.29†",
     "† Not the report's numbers, from: Example District Statistics Bureau (SYNTHETIC), 示例区2015年统计公报（SYNTHETIC） "
     "(2016-03, SYNTHETIC: a test source, printed only; scope: SYNTHETIC test figures; "
     "Example District (SYNTHETIC)†)."),
])
def test_table_2_with_a_users_district_marks_its_numbers_and_is_not_called_the_reports(own_data, lang, title, cell,
                                                                                       note):
    data, entities = load(own_data), ["示例区", "武昌区", "南山区"]
    shown = tables.observations_shown(data, tables.table_2(data, entities, 2015), 2015)
    assert set(shown.loc[shown["entity"] == "示例区", "source_id"]) == {"synthetic_bulletin"}
    assert set(shown.loc[shown["entity"] != "示例区", "source_id"]) == {""}
    table = report_tables.table_2(data, lang, entities, 2015)
    names = table.iloc[:, 0].tolist()
    assert report_tables.title(2, lang, names, 2015, shown=shown) == title
    assert table.iloc[0, 1] == cell and table.iloc[1, 1] == "87.42"  # the report's 武昌区 area, unmarked
    assert report_tables.source_note(data, shown, lang) == note


def test_the_reports_own_tables_keep_the_reports_caption_and_no_note():
    data = load()
    shown = tables.observations_shown(data, tables.table_2(data, ["武昌区", "南山区", "余杭区"], 2015), 2015)
    assert report_tables.title(2, "zh", ["武昌区", "南山区", "余杭区"], 2015, shown=shown) == \
        "表2 2015年武昌区与南山区、余杭区创新成效比较"
    assert report_tables.source_note(data, shown, "zh") == "" and "†" not in report_tables.table_2(data).to_string()


def test_a_makerspace_a_user_adds_is_marked_in_table_4_but_not_counted_by_the_audit(own_data):
    data = load(own_data)
    shown = tables.observations_shown(data, tables.table_4(data), None)
    assert shown.loc[shown["entity"] == "示例空间", "source_id"].tolist() == ["synthetic_bulletin"]
    assert report_tables.title(4, "en", ["Wuchang District"], shown=shown).startswith("Makerspaces of Wuchang")
    assert claims.audit(data).equals(claims.audit(load()))  # 表4's "11 makerspaces" still counts the report's 11


# ---------------------------------------------------------------------------- a thin district (item 5)
def _inputs(ranked: list[bool], n_values: list[int]):
    import pandas as pd

    table = pd.DataFrame({f"i{k}": [1.0] * len(ranked) for k in range(11)}, index=pd.Index(
        ["示例区", "武昌区", "南山区"][:len(ranked)], name="entity"))
    # the columns composite.indicators.index_inputs writes after the eleven (before: '0 of 13 indicators')
    return table.assign(n_values=n_values, ranked=ranked, source_ids="", bounds="")


@pytest.mark.parametrize("lang, expected", [
    ("zh", "数据不足的地区只列出、不参与排名（需至少50%的指标有数值）：示例区（11项指标中有5项）。"
           "示例区不参与排名，综合指数改以武昌区为基准（比值标准化）。"),
    ("en", "Shown but not ranked, for want of data (ranking needs values for at least 50% of the indicators): "
           "Example District (5 of 11 indicators). As Example District is not ranked, the index is relative to "
           "Wuchang District instead (ratio normalisation)."),
])
def test_a_thin_focus_is_shown_not_ranked_and_the_sentence_says_so(lang, expected):
    from analysis_utils.report import findings

    names = {"示例区": "示例区" if lang == "zh" else "Example District",
             "武昌区": "武昌区" if lang == "zh" else "Wuchang District"}
    inputs = _inputs([False, True, True], [5, 11, 11])
    assert findings.coverage(inputs, names, "武昌区", 0.5, lang) == expected
    assert findings.coverage(_inputs([True, True], [11, 11]), names, "示例区", 0.5, lang) == ""


def test_the_imputed_values_are_counted_in_a_sentence():
    import pandas as pd

    from analysis_utils.report import findings

    record = pd.DataFrame({"entity": ["余杭区", "余杭区", "南山区"], "action": ["imputed", "imputed", "bound_used"],
                           "method": ["mean", "mean", ""]})
    assert findings.imputed(record, "en") == ("2 values are not data but imputed by the rule “mean” (entities "
                                              "concerned: 1); the contribution chart hatches them.")
    assert findings.imputed(record.iloc[2:], "zh") == ""


# ---------------------------------------------------------------------------- the worked example, end to end
def test_the_worked_example_runs_every_notebook_with_its_district_as_focus(example_build):
    """examples/synthetic-district (SYNTHETIC): validate says what its district lacks and exits 0; all six
    notebooks run with it as focus; page 02 marks its numbers and names the source; the audit's counts are the
    report's (identical to those of the packaged data: 表4's makerspaces and every claim as without it)."""
    import pandas as pd

    from tests._support.cli import run_cli
    from tests._support.data import EXAMPLE as example
    checked = run_cli("validate", str(example))
    assert checked.returncode == 0, checked.stderr
    assert checked.stderr.splitlines() == [
        "warning: 示例区: notebook 05 ranks it with 5 of the composite index's indicators imputed by the rule of its "
        "parameter missing (high_tech_output, innovation_carriers, park_floor_area, rd_expenditure, "
        "talent_national_1000; 2015)",
        "warning: 示例区: Table 2 will print '-' for high_tech_output, innovation_carriers, park_floor_area, "
        "rd_expenditure (2015)"]
    assert "additions to the packaged data, read with it: entities.csv, sources.csv, observations.csv" in checked.stdout
    site = example_build / "site"  # every notebook ran with 示例区 as focus (conftest.example_build)
    page = (site / "02_gaps" / "02_gaps.reader.html").read_text(encoding="utf-8")
    assert "2015年示例区†与武昌区、南山区、余杭区创新成效比较（按报告表2的口径；†为其他来源的数值）" in page
    assert ("† 不是报告的数值，来自：示例区统计局（SYNTHETIC，虚构）《示例区2015年国民经济和社会发展统计公报（SYNTHETIC，"
            "虚构）》（2016-03，SYNTHETIC: an invented bulletin, for the example only；范围：为示例虚构的数字（SYNTHETIC），"
            "不描述任何真实地区；示例区†）。") in page
    summary = pd.read_csv(site / "04_claims_audit" / "tables" / "claims_summary.csv")
    assert summary.set_index("basis").loc["all", "all"] == len(claims.audit(load()))
    inputs = pd.read_csv(site / "05_composite_index" / "tables" / "composite_inputs.csv")
    assert inputs.set_index("entity").loc["示例区", "n_values"] == 6  # gdp, firms, makerspaces, academicians, R&D, patents
    ranks = pd.read_csv(site / "05_composite_index" / "tables" / "composite_rank_intervals.csv")
    assert sorted(ranks["entity"]) == sorted(["示例区", "武昌区", "南山区", "余杭区"])  # 6 of 11: ranked
    assert ((ranks["rank_p05"] <= ranks["nominal_rank"]) & (ranks["nominal_rank"] <= ranks["rank_p95"])).all()
    # 03 and 05: the cells computed from the example's numbers are marked, the note under them names the source with
    # its scope, and the CSVs name it in source_ids (示例区 is the focus: every ratio divides by one of its numbers)
    note = "范围：为示例虚构的数字（SYNTHETIC），不描述任何真实地区"
    for stem in ("03_recommendations", "05_composite_index"):
        page = (site / stem / f"{stem}.reader.html").read_text(encoding="utf-8")
        assert note in page, stem
    # 05: 示例区's high-tech firms per 10k residents, 60 / 73 = 0.822, marked; 南山区's, 1641 / 112 = 14.652, not
    page = (site / "05_composite_index" / "05_composite_index.reader.html").read_text(encoding="utf-8")
    assert ">0.822†<" in page and ">14.652<" in page
    # every result of the index rests on every input (a newcomer found 武昌区's score relative to 示例区 unmarked):
    # the scores and rank tables name the example's source in every row, and the page marks every number
    import json

    for table in ("composite_scores", "composite_rank_intervals", "composite_rank_frequency", "composite_rank_resident",
                  "composite_sensitivity", "composite_position_sensitivity"):
        written = pd.read_csv(site / "05_composite_index" / "tables" / f"{table}.csv", dtype=str, keep_default_na=False)
        assert set(written["source_ids"]) == {"synthetic_bulletin"}, table
    assert ">1.000†<" in page  # the reference's own score, 1 under ratio normalisation, marked
    # fig7 is computed from the focus's numbers only: its title names the focus with its mark (it named no district)
    titles = json.loads((site / "03_recommendations" / "figures" / "figures.json").read_text(encoding="utf-8"))
    assert titles["fig7_required_growth.png"] == "示例区†到2020年追平所需年均增速"
    # fig9–fig12 draw results resting on every input: their titles carry the mark the index explains
    results = json.loads((site / "05_composite_index" / "figures" / "figures.json").read_text(encoding="utf-8"))
    assert results and all(title.endswith("†") for title in results.values()), results
    read = {"dtype": str, "keep_default_na": False}
    gaps = pd.read_csv(site / "03_recommendations" / "tables" / "gaps_required_growth.csv", **read)
    assert set(gaps.loc[gaps["ratio"] != "", "source_ids"]) == {"synthetic_bulletin"}
    # the treatment record: each row on the cells it was made from (a newcomer found every row credited to the
    # example's source, Nanshan's printed bound included); the page marks 余杭区's R&D intensity, the mean of three
    record = pd.read_csv(site / "05_composite_index" / "tables" / "composite_treatment_record.csv", **read)
    ids = dict(zip(zip(record["entity"], record["indicator"]), record["source_ids"]))
    assert (ids[("南山区", "rd_expenditure")], ids[("余杭区", "rd_intensity")]) == ("", "synthetic_bulletin")
    assert ">3.800†<" in page and ">1.786<" in page  # 南山区's bound (>200 / 112), the report's: unmarked
    inputs = pd.read_csv(site / "05_composite_index" / "tables" / "composite_inputs.csv", **read).set_index("entity")
    assert inputs["source_ids"].to_dict() == {"示例区": "synthetic_bulletin", "武昌区": "", "南山区": "", "余杭区": ""}
    table2 = pd.read_csv(site / "02_gaps" / "tables" / "table2_comparison.csv", dtype=str, keep_default_na=False)
    gdp = table2[(table2["entity"] == "示例区") & (table2["indicator"] == "gdp")]
    assert gdp[["value", "source_id"]].values.tolist() == [["1000", "synthetic_bulletin"]]  # the example's 1000亿元
    # the workbook: 示例区's row of table2_comparison is shaded and its GDP shows 1000†, still the number 1000;
    # 武昌区's GDP (the report's 870) is unmarked; the contents row of that table says what the mark means
    from openpyxl import load_workbook

    book = load_workbook(site / "02_gaps" / "02_gaps.xlsx")
    rows = {(r[0].value, r[1].value): r for r in book["table2_comparison"].iter_rows(min_row=2)}
    value = [c.value for c in book["table2_comparison"][1]].index("数值")
    # the district is named as on the pages, with the mark (示例区†); the CSV keeps its id (示例区, above)
    ours, reports = rows[("示例区†", "gdp")][value], rows[("武昌区", "gdp")][value]
    assert (ours.value, ours.number_format.endswith('"†"')) == (1000, True) and ours.fill.fill_type == "solid"
    assert (reports.value, "†" in reports.number_format, reports.fill.fill_type) == (870, False, None)
    # a ratio to 示例区 rests on its number, the report's value beside it does not (trial F found 870† there): by the
    # CSV's column order, which the sheet keeps
    with (site / "02_gaps" / "tables" / "table2_ratios_to_focus.csv").open(encoding="utf-8") as fh:
        columns = fh.readline().strip().split(",")
    row = next(r for r in book["table2_ratios_to_focus"].iter_rows(min_row=2)
               if (r[0].value, r[1].value) == ("武昌区", "gdp"))
    value, ratio = row[columns.index("value")], row[columns.index("ratio")]
    assert (value.value, "†" in value.number_format) == (870, False) and ratio.number_format.endswith('"†"')
    notes = {r[0]: r[4] for r in book["contents"].iter_rows(min_row=2, values_only=True)}
    assert notes["table2_comparison"].startswith("底色标出、数值带 † 的行") and notes["table4_makerspaces"] is None
    # 06's tables set published figures beside the report's numbers by design: nothing there is marked (before,
    # every row was shaded and the report's printed numbers showed †)
    book = load_workbook(site / "06_external_checks" / "06_external_checks.xlsx")
    assert not [c.coordinate for ws in book.worksheets[1:-1] for row in ws.iter_rows() for c in row
                if "†" in (c.number_format or "") or c.fill.fill_type == "solid"]
