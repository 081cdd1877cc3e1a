"""report/writers.py: atomic writers (the target appears whole or not at all, readable like any other file, no temp
left); a run's outputs (tables, figures, one workbook); the combined workbook (sheet names that fit Excel, cells as
the CSVs wrote them, contents and provenance sheets in the run's language); floats without binary noise."""
from __future__ import annotations

import csv
import json
import os
import stat

import pandas as pd
import pytest

from analysis_utils.report.writers import (
    RunOutputs,
    atomic_path,
    combine_csv_workbook,
    sheet_name,
    tidy_float,
    write_csv,
    write_text,
)


def test_failed_write_leaves_no_target_and_no_temp(tmp_path):
    target = tmp_path / "t.csv"
    with pytest.raises(RuntimeError):
        with atomic_path(target) as tmp:
            tmp.write_text("half", encoding="utf-8")
            raise RuntimeError("interrupted")
    assert not target.exists() and list(tmp_path.iterdir()) == []


def test_failed_rewrite_keeps_the_previous_file(tmp_path):
    target = write_text(tmp_path / "t.txt", "complete")
    with pytest.raises(RuntimeError):
        with atomic_path(target) as tmp:
            tmp.write_text("half", encoding="utf-8")
            raise RuntimeError("interrupted")
    assert target.read_text(encoding="utf-8") == "complete"


def test_written_files_follow_the_umask_not_0600(tmp_path):
    old = os.umask(0o022)
    try:
        path = write_csv(pd.DataFrame({"a": [1]}), tmp_path / "x.csv")
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o644


def test_run_outputs_write_tables_figures_and_one_workbook(tmp_path):
    import matplotlib.pyplot as plt
    from openpyxl import load_workbook

    out = RunOutputs(tmp_path, "99_test", "svg")
    out.table(pd.DataFrame({"entity": ["SYNTHETIC_A"], "value": [1.5]}), "t_one")
    out.table(pd.DataFrame({"year": [2]}), "t_two")
    fig, ax = plt.subplots()
    out.figure(fig, "f_one")
    written = out.finish()
    assert (tmp_path / "figures" / "f_one.svg").is_file()
    book = load_workbook(tmp_path / "99_test.xlsx")
    assert book.sheetnames == ["contents", "t_one", "t_two", "provenance"]
    # numbers are numbers (a SUM works), headers frozen, the contents sheet lists every table
    assert book["t_one"]["B2"].value == 1.5 and book["t_one"].freeze_panes == "A2"
    assert [r[:2] for r in book["contents"].iter_rows(min_row=2, values_only=True)] == [("t_one", "t_one"),
                                                                                       ("t_two", "t_two")]
    labels = [r[0] for r in book["provenance"].iter_rows(min_row=2, values_only=True)]
    assert {"git 提交", "Python 版本", "锁定依赖文件 sha256"} <= set(labels)  # a zh run: zh labels
    assert [c.value for c in book["t_one"][1]] == ["地区", "数值"]  # the workbook is labelled: column.entity, .value
    assert pd.read_csv(tmp_path / "tables" / "t_one.csv", encoding="utf-8")["entity"].tolist() == ["SYNTHETIC_A"]
    assert len(written) == 6  # two CSVs, the figure, the workbook, datapackage.json, the figures' manifest
    assert json.loads((tmp_path / "figures" / "figures.json").read_text(encoding="utf-8")) == {"f_one.svg": "图"}


def test_a_figure_is_saved_at_its_own_size_as_laid_out(tmp_path):
    """Drawn once, without a tight bounding box: a 4 x 3 inch figure at 150 dpi is 600 x 450 pixels (a tight box
    would crop it to its content plus 0.1 inch)."""
    import matplotlib.pyplot as plt
    from PIL import Image

    fig, ax = plt.subplots(figsize=(4, 3), layout="constrained")
    ax.set_title("SYNTHETIC")
    RunOutputs(tmp_path, "99_test").figure(fig, "f_size")
    assert Image.open(tmp_path / "figures" / "f_size.png").size == (600, 450)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_workbook_shows_ids_by_their_names_in_its_language_and_the_csv_keeps_the_ids(tmp_path, data, lang):
    """An English reader saw 武昌区, 亿元 and 表2 in every workbook: districts, units and places in the report are
    named in the run's language there; the CSV, for scripts, keeps the ids; a printed quote stays as printed."""
    from openpyxl import load_workbook

    names = {"en": {"武昌区": "Wuchang District"}, "zh": {"武昌区": "武昌区"}}[lang]
    out = RunOutputs(tmp_path, "99_test", "png", lang, names=names, units=data.units_table)
    ids = {"entity": ["武昌区", "SYNTHETIC_未命名区"], "unit": ["亿元", "万人/平方公里"], "source": ["表2", "synthetic_bulletin"],
           "location": ["一(二)3", "二1"], "printed": ["870亿元", "约1万人"]}
    out.table(pd.DataFrame(ids), "t_ids")
    out.finish()
    rows = [list(r) for r in load_workbook(tmp_path / "99_test.xlsx")["t_ids"].iter_rows(min_row=2, values_only=True)]
    assert rows == {"en": [["Wuchang District", "100 million yuan", "Table 2", "I(2).3", "870亿元"],
                           ["SYNTHETIC_未命名区", "10,000 persons per square kilometre", "synthetic_bulletin", "II.1",
                            "约1万人"]],
                    "zh": [["武昌区", "亿元", "表2", "一(二)3", "870亿元"],
                           ["SYNTHETIC_未命名区", "万人/平方公里", "synthetic_bulletin", "二1", "约1万人"]]}[lang]
    assert pd.read_csv(tmp_path / "tables" / "t_ids.csv", encoding="utf-8").to_dict("list") == ids


def test_a_place_in_another_source_is_not_named_as_a_place_in_the_report(data):
    """Trials F and G: a user's row printed in '表1' of its own bulletin read 'Table 1' in the English workbook, like
    the report's Table 1. A row whose source_id names a source keeps its place as written; the report's rows are
    named as before."""
    from analysis_utils.report.writers import named

    df = pd.DataFrame({"entity": ["武昌区", "试验区"], "source": ["表2", "表1"], "source_id": ["", "trial_bulletin"]})
    assert named(df, "table2_comparison", "en")["source"].tolist() == ["Table 2", "表1"]
    assert named(df.drop(columns="source_id"), "table2_comparison", "en")["source"].tolist() == ["Table 2", "Table 1"]


def test_a_hand_run_says_which_folder_of_the_project_it_wrote_into(tmp_path, monkeypatch):
    """In JupyterLab a notebook writes into build/interactive/NN_name/; its last cell listed tables/… and figures/…
    without saying where (a newcomer had to search). A build's page lists paths beside the page, as before."""
    from analysis_utils import paths

    monkeypatch.setattr(paths, "REPO_ROOT", tmp_path)
    monkeypatch.setattr(paths, "INTERACTIVE_DIR", tmp_path / "build" / "interactive")
    out = RunOutputs(paths.INTERACTIVE_DIR / "99_test", "99_test", "png", "en")
    out.table(pd.DataFrame({"value": [1]}), "t_one")
    assert out.finish_markdown().splitlines()[:3] == [
        "Written into the project's folder build/interactive/99_test/:", "", "- `tables/t_one.csv`"]
    built = RunOutputs(tmp_path / "site" / "99_test", "99_test", "png", "zh")
    built.table(pd.DataFrame({"value": [1]}), "t_one")
    assert built.finish_markdown().splitlines()[0] == "- `tables/t_one.csv`"


def test_sheet_names_are_unique_and_fit_excel():
    taken: set[str] = set()
    names = [sheet_name(nb, table, taken) for nb, table in [
        ("01_foundation", "table1_patent_grants"), ("01_foundation", "table1_printed_vs_recomputed"),
        ("05_composite_index", "composite_rank_intervals_by_district"),
        ("05_composite_index", "composite_rank_intervals_by_district_and_year"),
        ("05_composite_index", "COMPOSITE_rank_intervals_by_district_and_year"), ("02_gaps", "a[1]:b?")]]
    assert names[:2] == ["01_table1_patent_grants", "01_table1_printed_vs_recomputed"]
    # cut at the last '_' within 31 characters, then numbered when taken (case-insensitively)
    assert names[2:5] == ["05_composite_rank_intervals_by", "05_composite_rank_intervals_b_2",
                          "05_COMPOSITE_rank_intervals_b_3"]
    assert names[5] == "02_a_1__b_"
    assert all(len(n) <= 31 for n in names) and len({n.lower() for n in names}) == len(names)


def test_combined_workbook_stores_numbers_as_numbers_and_keeps_the_printed_form(tmp_path):
    from openpyxl import load_workbook

    (tmp_path / "a.csv").write_text("\ufeff代码,值,空,下限,约,表\n0101,1.50,,>200,约1,表2\n", encoding="utf-8")
    (tmp_path / "empty.csv").write_text("", encoding="utf-8")  # not even a header
    book = combine_csv_workbook({"01_a": tmp_path / "a.csv", "01_empty": tmp_path / "empty.csv"},
                                tmp_path / "tables.xlsx")
    wb = load_workbook(book)
    assert wb.sheetnames == ["contents", "01_a", "01_empty", "provenance"]
    rows = list(wb["01_a"].iter_rows(values_only=True))
    # '0101' is a code (leading zero kept as text), 1.50 a number shown with its 2 decimals, '>200' the number
    # 200 shown as >200 by its format, '约1' 1 shown as 约1, '表2' a location (text)
    assert rows == [("代码", "值", "空", "下限", "约", "表"), ("0101", 1.5, None, 200, 1, "表2")]
    cells = wb["01_a"][2]
    assert [c.number_format for c in cells[1:5:2]] == ["0.00", '">"0']
    assert cells[4].number_format == '"约"0'
    assert list(wb["01_empty"].iter_rows(values_only=True)) == []


def test_written_booleans_are_true_false_in_the_csv_and_yes_no_in_the_workbook(tmp_path):
    """A True/False column: True/False in the CSV (the same in every language), 是/否 or yes/no in the workbook."""
    from openpyxl import load_workbook

    for lang, yes, no in (("zh", "是", "否"), ("en", "yes", "no")):
        out = RunOutputs(tmp_path / lang, "99_test", "png", lang)
        out.table(pd.DataFrame({"claim": ["a", "b"], "agree": [True, False]}), "table1_printed_vs_recomputed")
        out.finish()
        rows = (tmp_path / lang / "tables" / "table1_printed_vs_recomputed.csv").read_text(encoding="utf-8-sig")
        assert rows.splitlines()[1:] == ["a,True", "b,False"]
        book = load_workbook(tmp_path / lang / "99_test.xlsx")
        assert [c.value for c in book["table1_printed_vs_recomputed"]["B"][1:]] == [yes, no]


def test_contents_sheet_names_each_table_by_its_title_and_infinities_are_empty(tmp_path):
    from openpyxl import load_workbook

    from analysis_utils.report.writers import combine_csv_workbook

    csv_path = tmp_path / "claims_audit.csv"
    csv_path.write_text("band_low,band_high\n-inf,2.5\n1,inf\n", encoding="utf-8")
    for lang, title in (("zh", "数字陈述核查表"), ("en", "Claims audit")):
        combine_csv_workbook({"04_claims_audit": csv_path}, tmp_path / f"{lang}.xlsx", lang=lang)
        book = load_workbook(tmp_path / f"{lang}.xlsx")
        assert list(book["contents"].iter_rows(min_row=2, values_only=True))[0][:2] == ("04_claims_audit", title)
        sheet = book["04_claims_audit"]
        assert [[c.value for c in row] for row in sheet.iter_rows(min_row=2)] == [[None, 2.5], [1, None]]


def test_workbook_shows_each_number_column_by_its_kind_and_keeps_the_full_value(tmp_path):
    """Numbers are stored as the CSV holds them (not rounded) and shown by their column's kind: a year without a
    thousands separator, a count with one, growth in % at one decimal, a ratio at two, a growth rate held as a
    share of 1 as per cent; free text in two languages as the run's one."""
    from openpyxl import load_workbook

    out = RunOutputs(tmp_path, "99_test", "png", "en")
    out.table(pd.DataFrame({"year": [2015], "count": [2826], "growth": [31.19777159], "ratio": [22.17567568],
                            "required_growth": [0.8585], "statement_zh": ["武昌"], "statement_en": ["Wuchang"]}),
              "gaps_required_growth")
    out.finish()
    sheet = load_workbook(tmp_path / "99_test.xlsx")["gaps_required_growth"]
    assert [c.value for c in sheet[1]] == ["Year", "Cells or observed values counted", "Year-on-year growth (%)",
                                           "Peer / focus (×)", "Required annual growth (%)", "Statement"]
    assert [c.value for c in sheet[2]] == [2015, 2826, 31.19777159, 22.17567568, 0.8585, "Wuchang"]
    assert [c.number_format for c in sheet[2]][:5] == ["0", "#,##0", "0.0", "0.00", "0.0%"]


def test_floats_are_written_without_binary_noise(tmp_path):
    from openpyxl import load_workbook

    df = pd.DataFrame({"value": [0.1 + 0.2, 499.71600000000001, 2 / 3, 1234567.0, float("nan")],
                       "note": ["a", 0.1 + 0.2, None, "b", "c"]})
    write_csv(df, tmp_path / "t.csv")
    rows = list(csv.reader((tmp_path / "t.csv").open(encoding="utf-8")))
    assert [r[0] for r in rows[1:]] == ["0.3", "499.716", "0.6666666667", "1234567", ""]  # a whole number whole
    assert rows[2][1] == "0.3"
    out = RunOutputs(tmp_path / "run", "99_test", "png", "zh")
    out.table(df, "t")
    out.finish()
    sheet = load_workbook(tmp_path / "run" / "99_test.xlsx")["t"]
    assert [sheet.cell(r, 1).value for r in range(2, 7)] == [0.3, 499.716, 0.6666666667, 1234567, None]
    assert tidy_float(float("inf")) == float("inf")


@pytest.mark.parametrize("lang, expected", [("zh", ["工作表", "表格", "行数", "列数", "说明"]),
                                            ("en", ["Sheet", "Table", "Rows", "Columns", "Note"])])
def test_workbook_sheet_headers_follow_the_run_language(tmp_path, lang, expected):
    from openpyxl import load_workbook

    out = RunOutputs(tmp_path, "99_test", "png", lang)
    out.table(pd.DataFrame({"entity": ["x"]}), "t")
    out.finish()
    book = load_workbook(tmp_path / "99_test.xlsx")
    assert [c.value for c in book["contents"][1]] == expected
    labels = [r[0] for r in book["provenance"].iter_rows(min_row=2, values_only=True)]
    assert ("Git commit" in labels) == (lang == "en") and ("git 提交" in labels) == (lang == "zh")


def test_every_shipped_table_name_is_its_own_sheet_name():
    """Excel caps a sheet name at 31 characters: a longer table name would be cut, and the contents sheet would
    list a name no CSV has (composite_rank_population_sensitivity was one)."""
    from analysis_utils.report.writers import TABLE_TITLES

    assert [t for t in TABLE_TITLES if len(t) > 31] == []


def test_workbook_marks_the_rows_of_numbers_from_another_source(tmp_path):
    """A row whose source_id names a source (SYNTHETIC numbers of a user's district) is shaded and its numbers
    show † while staying numbers; the report's rows (empty source_id) are untouched; the contents row of that table
    says what the mark means. A table without a source column is never marked."""
    from openpyxl import load_workbook

    from analysis_utils.report.writers import other_source_rows, write_workbook

    df = pd.DataFrame({"entity": ["武昌区", "SYNTHETIC区"], "value": [870.0, 12],
                       "source_id": ["", "synthetic_bulletin"], "year": [2015, 2015]})
    # per row, per column (the workbook then marks the numbers among them): a year is no value
    assert other_source_rows(df) == [[False, False, False, False], [True, True, False, False]]
    assert other_source_rows(df, ["entity", "n_values", "resident_year", "year_start"])[1] == [True, False, False, False]
    assert [any(r) for r in other_source_rows(df.assign(source_ids=["", "a;b"]).drop(columns="source_id"))] == \
        [False, True]
    assert other_source_rows(df.drop(columns="source_id")) is None
    population = pd.DataFrame({"entity": ["SYNTHETIC区", "武昌区"], "printed_value": [80, 113],
                                "population_source_id": ["synthetic_bulletin", ""],
                                "resident_source_id": ["", "wuchang_population_2018_page"]})
    # its own number, not the published figure's source
    assert [any(r) for r in other_source_rows(population)] == [True, False]
    # notebook 06's tables set every published figure beside the report's number by design: never marked (before,
    # all 27 rows of external_checks were shaded and the report's printed 113 showed 113†)
    assert other_source_rows(df, table="external_checks") is None
    assert [any(r) for r in other_source_rows(df, table="t")] == [False, True]
    plain = pd.DataFrame({"x": [1.5]})
    write_workbook({"t": df, "plain": plain}, tmp_path / "b.xlsx", lang="en",
                   formats={"t": [None, "0.00", None, "0"]}, marks={"t": other_source_rows(df), "plain": None})
    book = load_workbook(tmp_path / "b.xlsx")
    report_row, user_row = list(book["t"].iter_rows(min_row=2))
    assert (user_row[1].value, user_row[1].number_format) == (12, '0.00"†"')  # still a number, shown as 12.00†
    assert user_row[0].fill.fgColor.rgb.endswith("FFF2CC") and user_row[2].number_format == "General"
    assert (user_row[3].value, user_row[3].number_format) == (2015, "0")  # its year unmarked
    # a row of another source holding no number (printed '-') is not shaded: there is nothing of it to mark
    empty = pd.DataFrame({"entity": ["SYNTHETIC区"], "value": [float("nan")], "source_id": ["synthetic_bulletin"],
                          "year": [2015]})
    write_workbook({"e": empty}, tmp_path / "e.xlsx", lang="en", marks={"e": other_source_rows(empty)})
    row = list(load_workbook(tmp_path / "e.xlsx")["e"].iter_rows(min_row=2))[0]
    assert row[0].fill.fill_type is None and "†" not in row[3].number_format
    assert report_row[1].number_format == "0.00" and report_row[1].fill.fill_type is None
    contents = list(book["contents"].iter_rows(values_only=True))
    assert contents[0][:5] == ("Sheet", "Table", "Rows", "Columns", "Note")
    assert contents[1][4].startswith("Shaded rows whose numbers carry †") and contents[2][4] is None


def test_a_ratio_from_a_users_number_is_marked_but_the_reports_number_beside_it_is_not():
    """Trial F: with a user's district as focus, table2_ratios_to_focus's row of 武昌区 showed the report's 870 as
    870† and the gap table the assumed peer growth 0 as 0.0 %†. A ratio table's value is the row's own number
    (value_source_ids), its ratio the focus's and the peer's (source_ids); assumed growth rests on no number. The
    batch's gap ratio and ranks each have their own sources."""
    from analysis_utils.report.writers import other_source_rows

    ratios = pd.DataFrame({"entity": ["武昌区", "试验区"], "value": [870.0, 500.0], "value_source_ids": ["", "trial"],
                           "source_ids": ["trial", "trial"], "ratio": [1.698, 0.976], "peer_growth": [0.0, 0.0],
                           "required_growth": [0.11, float("nan")]})
    assert other_source_rows(ratios) == [[True, False, False, False, True, False, True],
                                         [True, True, False, False, True, False, True]]
    batch = pd.DataFrame({"focus": ["武昌区", "试验区"], "rank": [4, 1], "rank_source_ids": ["trial", "trial"],
                          "gap_ratio": [22.37, 3.2], "gap_source_ids": ["", "trial"]})
    assert other_source_rows(batch) == [[False, True, False, False, False], [False, True, False, True, False]]


def test_the_sites_combined_workbook_shows_numbers_as_the_notebooks_workbook_does(tmp_path):
    """Trial G: site/tables.xlsx showed 3715 and 7.699115044 where the notebook's own workbook shows 3,715 and 7.6991
    (#,##0 and #,##0.0###): the CSV's text kept its written decimals. The columns the run's datapackage.json types as
    numbers are read as numbers; text stays text, a code keeps its leading zero, a qualified number its form."""
    import json

    from openpyxl import load_workbook

    from analysis_utils.report.writers import DATAPACKAGE, combine_csv_workbook

    (tmp_path / "tables").mkdir()
    csv_path = tmp_path / "tables" / "t.csv"
    csv_path.write_text("entity,n,value,code,printed\nSYNTHETIC_A,3715,7.699115044,0101,>200\nSYNTHETIC_B,,12,0102,约1\n",
                        encoding="utf-8")
    fields = [{"name": "entity", "type": "string"}, {"name": "n", "type": "integer"},
              {"name": "value", "type": "number"}, {"name": "code", "type": "string"},
              {"name": "printed", "type": "string"}]
    (tmp_path / DATAPACKAGE).write_text(json.dumps({"resources": [{"path": "tables/t.csv",
                                                                   "schema": {"fields": fields}}]}), encoding="utf-8")
    combine_csv_workbook({"t": csv_path}, tmp_path / "b.xlsx", lang="en")
    rows = list(load_workbook(tmp_path / "b.xlsx")["t"].iter_rows(min_row=2))
    assert [(c.value, c.number_format) for c in rows[0][1:]] == [
        (3715, "#,##0"), (7.699115044, "#,##0.0###"), ("0101", "General"), (200, '">"0')]
    assert [(c.value, c.number_format) for c in rows[1][1:3]] == [(None, "General"), (12, "#,##0")]


def test_the_sites_combined_workbook_shows_booleans_in_the_runs_language(tmp_path):
    """Before: site/tables.xlsx (combine_csv_workbook reads CSVs as text) held 'True'/'False' in a zh build, where
    each notebook's own workbook says 是/否."""
    from openpyxl import load_workbook

    from analysis_utils.report.writers import combine_csv_workbook

    csv_path = tmp_path / "composite_rank_intervals.csv"
    csv_path.write_text("entity,ranked,note\nSYNTHETIC_A,True,True story\nSYNTHETIC_B,False,\nSYNTHETIC_C,,x\n",
                        encoding="utf-8")
    for lang, yes, no in (("zh", "是", "否"), ("en", "yes", "no")):
        combine_csv_workbook({"t": csv_path}, tmp_path / f"{lang}.xlsx", lang=lang)
        rows = list(load_workbook(tmp_path / f"{lang}.xlsx")["t"].iter_rows(min_row=2, values_only=True))
        assert [r[1] for r in rows] == [yes, no, None] and rows[0][2] == "True story"


def test_a_whole_number_of_a_float_column_is_written_whole(tmp_path):
    """The issue's '4481.0' and '33620.00': a count in a column that also holds 87.42 (or NaN) is written as a count;
    decimals, missing values and text are kept as they are."""
    df = pd.DataFrame({"value": [113.0, 87.42, float("nan")], "part": [4481.0, 33620.0, 2130.0], "unit": ["万人", "平方公里", "件"],
                       "share": pd.array([13.32837597, None, 2.0], dtype="Float64")})
    write_csv(df, tmp_path / "t.csv")
    assert (tmp_path / "t.csv").read_text(encoding="utf-8") == (
        "value,part,unit,share\n113,4481,万人,13.32837597\n87.42,33620,平方公里,\n,2130,件,2\n")
