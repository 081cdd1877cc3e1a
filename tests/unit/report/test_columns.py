"""report/columns.py: a written table is headed by codes (snake_case, the same in every language) and labelled in the
run's language beside them, in the workbook and datapackage.json (through report.writers.RunOutputs); a header
that is not a code, or a code without a label, is refused before anything is written; code columns say so in
their labels; the labels are distinct and in their language."""
from __future__ import annotations

import re

import pandas as pd
import pytest

from analysis_utils.labels import LANGS
from analysis_utils.report import columns
from analysis_utils.report.columns import MissingColumnLabel, headers
from analysis_utils.report.writers import RunOutputs
from tests._support.language import CJK, LATIN_LETTERS


def zh_header_ok(h: str) -> bool:
    """A zh header has no Latin word except R&D and GDP (and the percent/unit symbols)."""
    return not LATIN_LETTERS.search(re.sub(r"R&D|GDP", "", h))


# hand-written: the report's check of Table 1 (claims.compare_printed): the CSV keeps the codes, the workbook and
# datapackage.json carry the labels of each language
PRINTED_VS_RECOMPUTED = ["claim", "statement_zh", "statement_en", "printed", "recomputed", "exact", "interval", "agree"]
EXPECTED = {"zh": ["论断编号", "陈述（中文）", "陈述（英文）", "原文数字", "重算值（按印出位数）", "重算精确值",
                   "重算值的区间（精确时为一个数）", "一致"],
            "en": ["Claim id", "Statement (Chinese)", "Statement (English)", "As printed (original Chinese)",
                   "Recomputed (as printed)", "Recomputed (exact)", "Interval of the recomputed value (one number when "
                   "exact)", "Agrees"]}
# the workbook of a run shows free text in the run's language only, under its plain label (the CSV keeps both)
SHEET = {"zh": ["论断编号", "陈述", "原文数字", "重算值（按印出位数）", "重算精确值", "重算值的区间（精确时为一个数）", "一致"],
         "en": ["Claim id", "Statement", "As printed (original Chinese)", "Recomputed (as printed)",
                "Recomputed (exact)", "Interval of the recomputed value (one number when exact)", "Agrees"]}


@pytest.mark.parametrize("lang", LANGS)
def test_a_written_table_is_headed_by_codes_in_every_language_and_labelled_beside(tmp_path, lang):
    import json

    from openpyxl import load_workbook

    out = RunOutputs(tmp_path, "99_test", "png", lang)
    out.table(pd.DataFrame([["c1", "陈述", "s", "28.7", "28.7", 28.655, "28.6554", True]], columns=PRINTED_VS_RECOMPUTED),
              "table1_printed_vs_recomputed")
    out.finish()
    raw = (tmp_path / "tables" / "table1_printed_vs_recomputed.csv").read_bytes()
    assert raw.startswith(b"claim,statement_zh,") and b"\r" not in raw  # no BOM, '\n' line endings
    assert raw.decode().splitlines()[1].endswith(",28.655,28.6554,True")
    sheet = load_workbook(tmp_path / "99_test.xlsx")["table1_printed_vs_recomputed"]
    assert [c.value for c in sheet[1]] == SHEET[lang]
    assert sheet.cell(2, 2).value == ("陈述" if lang == "zh" else "s")
    assert sheet.cell(2, 7).value == ("是" if lang == "zh" else "yes")
    assert sheet.cell(2, 5).number_format == "0.000"  # the exact recomputation by its kind (writers.KINDS)
    package = json.loads((tmp_path / "datapackage.json").read_text(encoding="utf-8"))
    (res,) = package["resources"]
    assert res["path"] == "tables/table1_printed_vs_recomputed.csv" and res["encoding"] == "utf-8"
    assert [f["title_zh"] for f in res["schema"]["fields"]] == EXPECTED["zh"]
    assert [f["title"] for f in res["schema"]["fields"]] == EXPECTED["en"]
    assert [f["type"] for f in res["schema"]["fields"]][-3:] == ["number", "string", "boolean"]
    assert res["schema"]["fields"][0]["description"] == "Claim id of data/claims.csv"


def test_a_header_that_is_not_a_code_is_refused_before_anything_is_written(tmp_path):
    from analysis_utils.errors import MessageError

    out = RunOutputs(tmp_path, "99_test", "png", "en")
    with pytest.raises(MessageError, match=r"table t: column\(s\) \['所在地区', 'Year of'\] are not snake_case"):
        out.table(pd.DataFrame({"entity": ["x"], "所在地区": ["x"], "Year of": [1], "2015": [2]}), "t")
    assert not (tmp_path / "tables" / "t.csv").exists()


def test_a_machine_header_without_a_key_is_refused_naming_every_such_column(tmp_path):
    out = RunOutputs(tmp_path, "99_test", "png", "en")
    df = pd.DataFrame({"claim": ["c"], "brand_new_column": [1], "another_one": [2], "1": [3]})
    with pytest.raises(MissingColumnLabel) as e:
        out.table(df, "t_new")
    assert e.value.columns == ["brand_new_column", "another_one"]
    assert "t_new" in str(e.value) and "column.brand_new_column" in str(e.value)
    assert not (tmp_path / "tables" / "t_new.csv").exists()


def test_non_machine_headers_are_kept_and_families_take_their_labels():
    assert headers(["所在地区", "1", "Year of 2015"], "en") == ["所在地区", "1", "Year of 2015"]
    assert headers(["basis", "reproduced", "all"], "zh") == ["核查依据", "可复现", "合计"]
    assert headers(["entity", "weights"], "en") == ["District", "weights"]
    # one table's own meaning: external_checks' 'before' is the verdict before the external check
    assert headers(["before"], "zh") == ["处理前"]
    assert headers(["before"], "zh", table="external_checks") == ["外部核查前的判定（代码）"]


@pytest.mark.parametrize("table, column, zh, en", [
    ("claims_audit", "verdict", "判定（代码）", "Verdict (code)"),
    ("claims_audit", "basis", "核查依据（代码）", "Basis of the check (code)"),
    ("claims_audit", "strength", "检验强度（代码）", "Strength of the check (code)"),
    ("claims_audit", "check", "核查方式（代码）", "Check (code)"),
    ("claims_summary", "basis", "核查依据（代码）", "Basis of the check (code)"),
    ("external_checks", "verdict", "外部核查（代码）", "External check (code)"),
    ("table2_ratios_to_focus", "ratio_bound", "比值性质（代码）", "Ratio is (code)"),
])
def test_code_columns_of_written_tables_are_headed_as_codes(table, column, zh, en):
    """A written table's categorical column keeps its codes (share, implied, one_sided) and says so in its
    label, in either language."""
    assert headers([column], "zh", table=table) == [zh] and headers([column], "en", table=table) == [en]


def test_labels_are_distinct_and_in_their_language():
    names = sorted(set(columns.general_columns()) | set(columns._families()))
    for lang in LANGS:
        shown = headers(names, lang)  # raises on a repeated header
        for h in shown:
            assert (not CJK.search(h)) if lang == "en" else zh_header_ok(h), (lang, h)
        for table, name in columns.field_rows():
            headers([name], lang, table=table)


def test_general_columns_and_families_are_disjoint():
    assert not set(columns.general_columns()) & set(columns._families())
