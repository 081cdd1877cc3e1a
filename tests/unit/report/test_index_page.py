"""report.index_page: the site's index and a batch's page from their templates. Expected texts are written by hand."""
from __future__ import annotations

import json
import math
import re
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest

from analysis_utils.report import index_page
from tests._support.language import CJK, LATIN_WORD

PROVENANCE = {"parameters": {"focus": "武昌区"}, "data_checksum": "abc123", "version": "9.9",
              "time": "2016-01-01 00:00:00 +0800"}


class Page(HTMLParser):
    """A page's links (<a href> with their text), images, figure captions, text outside <style>, and prose: that
    text outside <code> (names and values to type, checksums)."""

    def __init__(self, page: str):
        super().__init__()
        self.links, self.images, self.captions, self.text, self.prose, self._a, self._in = [], [], [], [], [], None, []
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        self._in.append(tag)
        if tag == "a":
            self._a = [dict(attrs)["href"], ""]
            self.links.append(self._a)
        if tag == "img":
            self.images.append(dict(attrs))
        if tag == "figcaption":
            self.captions.append("")

    def handle_endtag(self, tag):
        while self._in and self._in.pop() != tag:
            pass
        self._a = None if tag == "a" else self._a

    def handle_data(self, data):
        if "style" in self._in:
            return
        self.text.append(data)
        self.prose += [] if "code" in self._in else [data]
        if self._a is not None:
            self._a[1] += data
        if "figcaption" in self._in:
            self.captions[-1] += data


def entry(tmp_path: Path, name="01_x", **fields) -> dict:
    return {"name": name, "status": "ok", "seconds": 1.0, "params": {}, "failure": None,
            "executed": str(tmp_path / name / f"{name}.ipynb"), "outputs": str(tmp_path / name), **fields}


def test_index_is_left_alone_when_nothing_changed(tmp_path):
    index = index_page.build_index(tmp_path / "site", [entry(tmp_path)], PROVENANCE)
    before = index.stat().st_mtime_ns
    index_page.build_index(tmp_path / "site", [entry(tmp_path)], {**PROVENANCE, "time": "later"})
    assert index.stat().st_mtime_ns == before
    index_page.build_index(tmp_path / "site", [entry(tmp_path, status="failed")], PROVENANCE)
    assert index.stat().st_mtime_ns != before


def test_the_gallery_is_captioned_by_figure_titles_and_every_file_is_a_link(tmp_path):
    site = tmp_path / "site"
    folder = site / "01_x"
    (folder / "figures").mkdir(parents=True)
    (folder / "tables").mkdir()
    for name in ("fig10_b.png", "fig9_a.png", "fig11_c.svg"):
        (folder / "figures" / name).write_bytes(b"image")
    (folder / "figures" / "figures.json").write_text(json.dumps({"fig9_a.png": "表1 专利授权", "fig10_b.png": "人才 <指标>"},
                                                                ensure_ascii=False), encoding="utf-8")
    (folder / "tables" / "table1.csv").write_text("a\n1\n", encoding="utf-8")
    (folder / "01_x.html").write_text("<p>", encoding="utf-8")
    (folder / "01_x.ipynb").write_text("{}", encoding="utf-8")
    (site / "tables.xlsx").write_bytes(b"PK")  # stands for the combined workbook
    page = Page(index_page.build_index(site, [entry(site)], PROVENANCE, workbook=site / "tables.xlsx")
                .read_text(encoding="utf-8"))
    # figures in natural order, each captioned and described by its title (a figure without one by its notebook's)
    assert page.captions == ["表1 专利授权", "人才 <指标>", "《01_x》中的一幅图"]
    assert [i["alt"] for i in page.images] == page.captions
    assert [i["src"] for i in page.images] == ["01_x/figures/fig9_a.png", "01_x/figures/fig10_b.png",
                                               "01_x/figures/fig11_c.svg"]
    # the pages, the notebook, the workbook, the tables and the figures: every file is a link, inside the site
    assert page.links == [
        ["01_x/01_x.reader.html", "阅读版"], ["01_x/01_x.html", "完整版"], ["01_x/01_x.ipynb", "笔记本文件"],
        ["tables.xlsx", "tables.xlsx"], ["01_x/tables/table1.csv", "01_x/table1.csv"],
        ["01_x/figures/fig9_a.png", ""], ["01_x/figures/fig9_a.png", "表1 专利授权"],
        ["01_x/figures/fig10_b.png", ""], ["01_x/figures/fig10_b.png", "人才 <指标>"],
        ["01_x/figures/fig11_c.svg", ""], ["01_x/figures/fig11_c.svg", "《01_x》中的一幅图"]]


def _failed(tmp_path: Path) -> dict:
    return entry(tmp_path, "02_y", status="failed", failure={
        "notebook": "02_y.ipynb", "cell_index": 3, "exec_count": 4, "first_line": "load()", "ename": "FileNotFoundError",
        "evalue": "[Errno 2] No such file or directory: '/home/someone/data/x.csv'", "kept": None})


@pytest.mark.parametrize("lang, expected, foreign", [
    ("zh", "02_y.ipynb 在单元格 3 (In [4]) 处失败：FileNotFoundError: [Errno 2] No such file or directory: 'x.csv'",
     "failed at"),
    ("en", "02_y.ipynb failed at cell 3 (In [4]): FileNotFoundError: [Errno 2] No such file or directory: 'x.csv'",
     "处失败")])
def test_a_failed_row_says_what_failed_in_the_index_language(tmp_path, lang, expected, foreign):
    provenance = {**PROVENANCE, "parameters": {"lang": lang}}
    text = "".join(Page(index_page.build_index(tmp_path / "site", [_failed(tmp_path)], provenance)
                        .read_text(encoding="utf-8")).text)
    assert expected in text and foreign not in text and "/home/" not in text
    assert {"zh": "失败", "en": "failed"}[lang] in text


def test_index_has_no_remote_script_or_style_sheet(tmp_path):
    page = index_page.build_index(tmp_path / "site", [entry(tmp_path), _failed(tmp_path)], PROVENANCE)
    text = page.read_text(encoding="utf-8")
    assert "<script" not in text and "<link" not in text
    assert 'url("assets/NotoSansCJKsc-Regular.otf")' in text and (tmp_path / "site" / "assets").is_dir()


def _claims(tmp_path: Path) -> Path:
    (tmp_path / "tables").mkdir()
    # claims.summary by basis of four claims: c1, c3 recomputed reproduced; c2 compared consistent; c4 derived
    # inconsistent (columns in the audit's verdict order, 'all' the margins)
    (tmp_path / "tables" / "claims_summary.csv").write_text(
        "basis,reproduced,consistent,implied,unverifiable,inconsistent,all\nrecomputed,2,0,0,0,0,2\n"
        "compared,0,1,0,0,0,1\nderived,0,0,0,0,1,1\nall,2,1,0,0,1,4\n", encoding="utf-8")
    return tmp_path


def test_the_claims_block_counts_verdicts_by_basis_in_the_audits_order(tmp_path):
    folder = _claims(tmp_path)
    block = index_page.claims_summary([tmp_path / "missing", folder], "en")
    assert block["verdicts"] == ["reproduced", "consistent", "inconsistent"]
    assert block["rows"] == [("recomputed", [2, 0, 0, 2]), ("compared", [0, 1, 0, 1]), ("derived", [0, 0, 1, 1])]
    assert (block["totals"], block["all"], block["facts"]) == ([2, 1, 1, 4], "All claims (4)", None)
    (folder / "tables" / "not_checkable.csv").write_text("source,printed\n一,2015年\n表2,87.42\n", encoding="utf-8")
    assert index_page.claims_summary([folder], "en")["facts"] == (
        "2 entries are not claims (dates, single numbers, cells printed “-”): listed as not checkable, not counted.")
    assert index_page.claims_summary([tmp_path / "missing"], "en") is None


def test_the_claims_block_reads_the_code_headers(tmp_path):
    """claims_summary.csv is headed by codes in every language (RunOutputs); the index words it in its own."""
    (tmp_path / "claims_summary.csv").write_text(
        "basis,reproduced,consistent,implied,unverifiable,inconsistent,all\nrecomputed,1,0,0,0,0,1\n"
        "compared,0,1,0,0,0,1\nall,1,1,0,0,0,2\n", encoding="utf-8")
    block = index_page.claims_summary([tmp_path], "zh")
    assert block["rows"] == [("重算", [1, 0, 1]), ("仅比较方向", [0, 1, 1])] and block["all"] == "全部论断（2）"


@pytest.mark.parametrize("lang, expected, foreign", [
    ("zh", ["核查依据", "重算", "可复现", "全部论断（3）", "另有2项不是论断"], LATIN_WORD),
    ("en", ["Basis of the check", "recomputed", "reproduced", "All claims (3)", "2 entries are not claims"], CJK)])
def test_the_index_is_in_its_language(tmp_path, lang, expected, foreign):
    folder = tmp_path / "01_x"
    (folder / "tables").mkdir(parents=True)
    (folder / "tables" / "claims_summary.csv").write_text(
        "basis,reproduced,consistent,implied,unverifiable,inconsistent,all\nrecomputed,2,0,0,0,1,3\n"
        "all,2,0,0,0,1,3\n", encoding="utf-8")
    (folder / "tables" / "not_checkable.csv").write_text("source\n一\n二\n", encoding="utf-8")
    page = index_page.build_index(tmp_path, [entry(tmp_path, seconds=2.5)], {**PROVENANCE, "parameters": {"lang": lang}})
    text = " ".join(Page(page.read_text(encoding="utf-8")).prose)
    assert all(t in text for t in expected), text
    assert {"zh": "2.5秒", "en": "2.5 s"}[lang] in text
    words = re.sub(r"sha256|git|Python|\S+\.(?:csv|xlsx)|01_x", "", text)
    assert not foreign.search(words), foreign.findall(words)


def test_figures_sort_in_natural_order():
    names = ["fig10_b.png", "fig11_c.png", "fig9_a.png", "fig1_z.png"]
    assert sorted(names, key=index_page.natural_key) == ["fig1_z.png", "fig9_a.png", "fig10_b.png", "fig11_c.png"]


def test_a_batch_page_links_each_build_and_says_what_failed(tmp_path):
    import pandas as pd

    table = pd.DataFrame([
        {"build": "focus=武昌区", "focus": "武昌区", "report": "focus=武昌区/site/index.html", "status": "ok",
         "problem": "", "rank": 3, "rank_p05": 2, "rank_p95": 3, "gap_indicator": "high_tech_firms",
         "gap_peer": "南山区", "gap_ratio": 22.37, "gap_bound": "lower"},
        {"build": "focus=余杭区", "focus": "余杭区", "report": "", "status": "failed", "problem": "boom",
         "rank": math.nan, "rank_p05": math.nan, "rank_p95": math.nan, "gap_indicator": None, "gap_peer": None,
         "gap_ratio": math.nan, "gap_bound": None}])
    labels = {"武昌区": "Wuchang District", "南山区": "Nanshan District", "high_tech_firms": "High-tech firms"}
    page = Page(index_page.batch_page(tmp_path / "site", table, PROVENANCE, "en", labels).read_text(encoding="utf-8"))
    text = re.sub(r"\s+", " ", "".join(page.text))
    assert [link for link in page.links] == [["batch.xlsx", "batch.xlsx"], ["../batch.csv", "batch.csv"],
                                             ["../focus%3D%E6%AD%A6%E6%98%8C%E5%8C%BA/site/index.html",
                                              "Wuchang District"]]
    assert "Batch run: 2 builds" in text and "Wuchang District" in text and "余杭区" in text
    assert "High-tech firms" in text and "Nanshan District" in text and "≥22.4" in text
    assert "".join(page.text).count("failedboom") == 1  # the failed build's status, its problem under it
    assert "completed" in page.text and "ok" not in page.text  # a status in words, as 已完成 (a newcomer read 'ok')
    assert Counter(page.text)["-"] == 6  # no rank and no gap: '-'


def test_a_batch_page_marks_a_gap_computed_from_another_sources_numbers(tmp_path):
    """Before: a user's district's gap ratio (computed from its own bulletin's numbers) was shown as the report's."""
    import pandas as pd

    table = pd.DataFrame([
        {"build": "focus=武昌区", "focus": "武昌区", "report": "", "status": "ok", "problem": "", "rank": 3,
         "rank_p05": 2, "rank_p95": 3, "gap_indicator": "gdp", "gap_peer": "南山区", "gap_ratio": 4.31,
         "gap_bound": "exact", "gap_source_ids": ""},
        {"build": "focus=SYNTHETIC区", "focus": "SYNTHETIC区", "report": "", "status": "ok", "problem": "",
         "rank": math.nan, "rank_p05": math.nan, "rank_p95": math.nan, "gap_indicator": "gdp", "gap_peer": "南山区",
         "gap_ratio": 9.77, "gap_bound": "exact", "gap_source_ids": "synthetic_bulletin"}])
    table.attrs["note"] = "† Not the report's numbers, from: Example Bureau, Bulletin 2015."  # batch.write_batch's
    page = index_page.batch_page(tmp_path / "site", table, PROVENANCE, "en", {}).read_text(encoding="utf-8")
    text = re.sub(r"<[^>]+>", " ", page)
    assert "9.77†" in text and "4.31†" not in text and "4.31" in text
    assert "† A ratio or rank computed from numbers of a source other than the report" in text
    assert "from: Example Bureau, Bulletin 2015." in text  # the sources named, as under every other page's tables
    # the report's own batch: no mark, no note
    page = index_page.batch_page(tmp_path / "site2", table.iloc[:1], PROVENANCE, "en", {}).read_text(encoding="utf-8")
    assert "†" not in page


def test_a_figure_titled_with_the_mark_is_explained_under_the_gallery(tmp_path):
    """A newcomer's case: captions carried † (a user's district in the title) and the index never said what it means.
    The note appears once a caption has the mark, and only then."""
    note = "标题带 † 的图用到了报告以外来源的数值：笔记本页面在其表格下方写明来源。"
    for title, shown in (("武昌区到2020年追平所需年均增速", False), ("示例区†到2020年追平所需年均增速", True)):
        site = tmp_path / str(shown) / "site"
        figures = site / "01_x" / "figures"
        figures.mkdir(parents=True)
        (figures / "fig7_a.png").write_bytes(b"image")
        (figures / "figures.json").write_text(json.dumps({"fig7_a.png": title}, ensure_ascii=False), encoding="utf-8")
        page = index_page.build_index(site, [entry(site)], PROVENANCE).read_text(encoding="utf-8")
        assert (note in page) is shown, title
