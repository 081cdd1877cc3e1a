"""report/batch.py: the batch's table, workbook and page for a user's district (SYNTHETIC, examples/)."""
from __future__ import annotations

import pandas as pd

from analysis_utils import paths
from analysis_utils.report.batch import write_batch

EXAMPLE = paths.REPO_ROOT / "examples" / "synthetic-district"


def test_a_batch_names_the_source_of_a_marked_gap_and_says_who_was_not_ranked(tmp_path):
    """A newcomer's case: the batch page said only that a † ratio comes from 'a source other than the report', with no
    publisher or title, and batch.csv left a thin district's rank empty without saying it was not ranked. Here no
    build exists (both rows failed, no notebook 05 ran): the gap still comes from the data, ranked stays unknown."""
    sets = [(f"focus={d}", {"focus": d, "data_dir": str(EXAMPLE), "lang": "en"}) for d in ("示例区", "武昌区")]
    write_batch(tmp_path, sets, {}, {"version": "0", "data_checksum": "x", "time": "t"})
    table = pd.read_csv(tmp_path / "batch.csv", dtype=str, keep_default_na=False)
    # 示例区's largest gap is computed from its SYNTHETIC bulletin's numbers; 武昌区's from the report's alone
    assert table["gap_source_ids"].tolist() == ["synthetic_bulletin", ""]
    page = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert "numbers, from: Example District Statistics Bureau (SYNTHETIC), 示例区2015年国民经济" in page, page[-1500:]
    # ranked: only where notebook 05's ranks were read (none here)
    assert "ranked" not in table or set(table["ranked"]) == {""}
    folder = tmp_path / "focus=示例区" / "site" / "05_composite_index" / "tables"
    folder.mkdir(parents=True)
    (folder / "composite_rank_intervals.csv").write_text("entity,nominal_rank,rank_p05,rank_p95\n武昌区,1,1,2\n",
                                                         encoding="utf-8")
    # 武昌区's build with 示例区 among its peers: its rank rests on the example's numbers (source_ids, notebook 05)
    folder = tmp_path / "focus=武昌区" / "site" / "05_composite_index" / "tables"
    folder.mkdir(parents=True)
    (folder / "composite_rank_intervals.csv").write_text(
        "entity,nominal_rank,rank_p05,rank_p95,source_ids\n武昌区,3,2,4,synthetic_bulletin\n", encoding="utf-8")
    write_batch(tmp_path, sets, {}, {"version": "0", "data_checksum": "x", "time": "t"})
    table = pd.read_csv(tmp_path / "batch.csv", dtype=str, keep_default_na=False)
    assert table[["focus", "ranked", "rank", "rank_source_ids"]].values.tolist() == [
        ["示例区", "False", "", ""], ["武昌区", "True", "3", "synthetic_bulletin"]]
    page = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert "<td>3†</td>" in page and "<td>2†</td>" in page  # the rank and its interval marked
    from openpyxl import load_workbook

    sheet = load_workbook(tmp_path / "site" / "batch.xlsx")["batch"]
    header = [c.value for c in sheet[1]]
    assert sheet.cell(3, header.index("Peer ahead") + 1).value == "Nanshan District"  # a name, not 南山区
