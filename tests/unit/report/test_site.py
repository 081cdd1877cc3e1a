"""report.site: a notebook's two pages from one nbconvert export with the project's template (language, alt texts,
no remote resource, a failure said in the page's language), the frame every page shares, and no regular expression
on HTML anywhere in the package. Expected texts are written by hand."""
from __future__ import annotations

import ast
import html
import re
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from analysis_utils import paths
from analysis_utils.errors import NotebookRunError
from analysis_utils.report import site
from tests._support.language import CJK, LATIN_WORD

PROVENANCE = {"parameters": {"focus": "武昌区"}, "data_checksum": "abc123", "version": "9.9",
              "time": "2016-01-01 00:00:00 +0800"}


class Tags(HTMLParser):
    """Every start tag of a page as (tag, {attribute: value}), its text outside <style> and <script>, its styles."""

    def __init__(self, page: str):
        super().__init__()
        self.tags, self.text, self.style, self._in = [], [], [], None
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in = tag if tag in ("style", "script") else self._in

    def handle_endtag(self, tag):
        self._in = None if tag == self._in else self._in

    def handle_data(self, data):
        (self.style if self._in == "style" else self.text if self._in is None else []).append(data)


def _notebook(path: Path, parameters: dict | None, cells=None) -> Path:
    """An executed notebook as papermill leaves it: a zh/en pair of markdown cells and one code cell with an output
    (or ``cells``); ``parameters`` recorded in metadata.papermill (None: no papermill record at all)."""
    nb = new_notebook(cells=cells or [
        new_markdown_cell("## 表2 创新成效比较\n\n中文段落。", id="m-00", metadata={"tags": ["lang-zh"]}),
        new_markdown_cell("## Table 2 Innovation performance\n\nAn English paragraph.", id="m-00-en",
                          metadata={"tags": ["lang-en"]}),
        new_code_cell('print("answer", 6 * 7)', id="c-01", execution_count=1,
                      outputs=[new_output("stream", name="stdout", text="answer 42\n")])])
    if parameters is not None:
        nb.metadata["papermill"] = {"parameters": parameters}
    nbformat.write(nb, str(path))
    return path


@pytest.mark.parametrize("parameters, shown, dropped", [
    ({"lang": "en", "focus": "南山区"}, "An English paragraph.", "中文段落。"),
    ({"lang": "zh"}, "中文段落。", "An English paragraph."),
    (None, "中文段落。", "An English paragraph."),  # no papermill record, no lang for the build: zh
    ({"focus": "南山区"}, "中文段落。", "An English paragraph."),  # a notebook without lang in a zh build
], ids=["en", "zh", "unrecorded", "undeclared"])
def test_pages_show_only_the_language_of_the_run(tmp_path, parameters, shown, dropped):
    executed = _notebook(tmp_path / "01_x.ipynb", parameters)
    full, reader = site.render_notebook(executed, tmp_path / "site", "01_x", PROVENANCE)
    assert (full.name, reader.name) == ("01_x.html", "01_x.reader.html")
    for page in (full, reader):
        text = html.unescape(page.read_text(encoding="utf-8"))
        assert shown in text and dropped not in text, page.name
        assert f'<html lang="{"en" if shown.isascii() else "zh"}">' in text, page.name
        assert "answer 42" in text, page.name  # the code cell's output is on both pages


def test_a_notebook_without_lang_takes_the_language_of_its_build(tmp_path):
    executed = _notebook(tmp_path / "01_x.ipynb", {"focus": "南山区"})
    for page in site.render_notebook(executed, tmp_path, "01_x", {"parameters": {"lang": "en"}}):
        text = html.unescape(page.read_text(encoding="utf-8"))
        assert "An English paragraph." in text and "中文段落。" not in text and "← index" in text


def test_the_reader_page_has_the_cells_of_the_full_page(tmp_path):
    """One export: the same cells, under <body class="… reader"> (the browser test of tests/integration/test_pages.py
    checks that no code is visible)."""
    full, reader = site.render_notebook(_notebook(tmp_path / "01_x.ipynb", None), tmp_path, "01_x", PROVENANCE)
    full, reader = Tags(full.read_text(encoding="utf-8")), Tags(reader.read_text(encoding="utf-8"))
    assert [a["class"] for t, a in full.tags if t == "body"] == ["jp-Notebook full"]
    assert [a["class"] for t, a in reader.tags if t == "body"] == ["jp-Notebook reader"]
    cells = [a.get("id") for t, a in full.tags if t == "div" and a.get("id", "").startswith("cell-id=")]
    assert cells == [a.get("id") for t, a in reader.tags if t == "div" and a.get("id", "").startswith("cell-id=")]
    assert cells == ["cell-id=m-00", "cell-id=c-01"]


def test_the_reader_page_has_no_code_only_the_text_and_outputs(tmp_path):
    """The reader's page holds no code at all (not code hidden by a style sheet: copied text, a text browser or a
    screen reader would get it): no code cell's source, editor or prompt; its markdown and outputs as on the full
    page, where the code stays."""
    cells = [new_markdown_cell("## 表1 读者段落\n\n读者看到的文字。", id="m-00"),
             new_code_cell('SECRET_CODE_MARKER = 1\nprint("shown_output", SECRET_CODE_MARKER)', id="c-01",
                           execution_count=1, outputs=[new_output("stream", name="stdout", text="shown_output 1\n")]),
             new_code_cell('f"shown_result_{SECRET_CODE_MARKER + 41}"', id="c-02", execution_count=2, outputs=[
                 new_output("execute_result", data={"text/plain": "'shown_result_42'"}, execution_count=2)])]
    executed = _notebook(tmp_path / "01_x.ipynb", None, cells=cells)
    full, reader = (page.read_text(encoding="utf-8") for page in site.render_notebook(executed, tmp_path, "01_x",
                                                                                        PROVENANCE))
    assert "SECRET_CODE_MARKER" in full and "SECRET_CODE_MARKER" not in reader
    full, reader = Tags(full), Tags(reader)
    classes = [c for t, a in reader.tags for c in a.get("class", "").split()]
    for code in ("jp-InputArea-editor", "jp-CodeMirrorEditor", "highlight", "jp-InputPrompt", "jp-OutputPrompt"):
        assert code not in classes, code
    assert "jp-InputArea-editor" in [c for t, a in full.tags for c in a.get("class", "").split()]
    for page in (full, reader):
        text = "".join(page.text)
        assert "读者看到的文字。" in text and "shown_output 1" in text and "'shown_result_42'" in text
    assert "In\xa0[1]:" in "".join(full.text) and "In\xa0[" not in "".join(reader.text)


def test_page_refuses_an_unknown_language(tmp_path):
    from analysis_utils.errors import ParameterError

    executed = _notebook(tmp_path / "01_x.ipynb", {"lang": "fr"})
    with pytest.raises(ParameterError) as caught:
        site.render_notebook(executed, tmp_path / "site", "01_x", PROVENANCE)
    assert (caught.value.name, caught.value.value) == ("lang", "fr")


@pytest.mark.parametrize("lang, fallback", [("zh", "图"), ("en", "Figure")])
def test_images_get_the_alt_text_recorded_for_them(tmp_path, lang, fallback):
    outputs = [new_output("display_data", data={"image/png": "QUJD\n"},
                          metadata={"image/png": {"alt": "表1 专利 <2015>", "width": 300}}),
               new_output("display_data", data={"image/png": "WFla\n"})]  # no alt recorded
    executed = _notebook(tmp_path / "01_x.ipynb", {"lang": lang}, [new_code_cell("show()", outputs=outputs)])
    for page in site.render_notebook(executed, tmp_path, "01_x", PROVENANCE):
        images = [a for t, a in Tags(page.read_text(encoding="utf-8")).tags if t == "img"]
        assert [(a["alt"], a.get("width")) for a in images] == [("表1 专利 <2015>", "300"), (fallback, None)]
        assert images[0]["src"] == "data:image/png;base64,QUJD"


def test_a_rendered_page_loads_nothing_from_the_network(tmp_path):
    """On the page as written (not by stripping): no script or style sheet from elsewhere, even for a notebook with
    widgets state and LaTeX (for which nbconvert's lab template would load require.js, MathJax and the widget
    manager from CDNs)."""
    cells = [new_markdown_cell("Inline math $x^2$ and\n\n$$\\sum_i x_i$$"),
             new_code_cell("1", outputs=[new_output("execute_result", data={"text/plain": "1"}, execution_count=1)])]
    executed = _notebook(tmp_path / "01_x.ipynb", None, cells)
    nb = nbformat.read(executed, as_version=4)
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}, "version_major": 2,
                                                                            "version_minor": 0}}
    nbformat.write(nb, executed)
    for page in site.render_notebook(executed, tmp_path, "01_x", PROVENANCE):
        tags = Tags(page.read_text(encoding="utf-8")).tags
        assert [a for t, a in tags if t == "script" and a.get("src")] == [], page.name
        assert [a for t, a in tags if t == "link" and a.get("href")] == [], page.name
        assert [t for t, a in tags if t == "iframe"] == [], page.name


def _failed_notebook(path: Path, lang: str) -> Path:
    """A notebook as papermill keeps it after a failure: its English banners (tagged papermill-error-cell-tag) and
    the failing cell's traceback, with ANSI colours and the machine's paths."""
    banner = {"tags": ["papermill-error-cell-tag"]}
    traceback = ["\x1b[31m---------------------------------------------------------------------------\x1b[39m",
                 "\x1b[31mFileNotFoundError\x1b[39m                         Traceback (most recent call last)",
                 "File \x1b[32m/home/someone/project/src/analysis_utils/data/load.py:88\x1b[39m, in load()",
                 "\x1b[31mFileNotFoundError\x1b[39m: [Errno 2] No such file or directory: '/tmp/run-1/data/x.csv'"]
    cells = [new_markdown_cell("An Exception was encountered at 'In [4]'.", metadata=banner),
             new_markdown_cell("# 示例\n\n正文。", metadata={"tags": ["lang-zh"]}),
             new_markdown_cell("# Example\n\nBody.", metadata={"tags": ["lang-en"]}),
             new_markdown_cell("Execution using papermill encountered an exception here and stopped:",
                               metadata=banner),
             new_code_cell("load(data_dir)", execution_count=4, outputs=[new_output(
                 "error", ename="FileNotFoundError", traceback=traceback,
                 evalue="[Errno 2] No such file or directory: '/tmp/run-1/data/x.csv'")]),
             new_code_cell('print("never reached")')]
    return _notebook(path, {"lang": lang}, cells)


FAILED = {"zh": ["本次运行失败",
                 "02_x.ipynb 在单元格 3 (In [4]) 处失败：FileNotFoundError: [Errno 2] No such file or directory: "
                 "'x.csv'",
                 "完整的报错信息（traceback）保存在： 执行到出错处的笔记本 (02_x.ipynb) · 内核日志 (logs/kernels.log)"],
          "en": ["This run failed",
                 "02_x.ipynb failed at cell 3 (In [4]): FileNotFoundError: [Errno 2] No such file or directory: "
                 "'x.csv'",
                 "The full error report (traceback) is kept in: the notebook as executed up to the error "
                 "(02_x.ipynb) · the kernels' log (logs/kernels.log)"]}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_failed_run_says_what_failed_and_where_the_log_is(tmp_path, lang):
    executed = _failed_notebook(tmp_path / "02_x.ipynb", lang)
    error = NotebookRunError("02_x.ipynb", 3, 4, "load(data_dir)", "FileNotFoundError",
                             "[Errno 2] No such file or directory: '/tmp/run-1/data/x.csv'")
    full, reader = site.render_notebook(executed, tmp_path, "02_x", PROVENANCE, error=error,
                                        log="../../logs/kernels.log")
    for page in (full, reader):
        parsed = Tags(page.read_text(encoding="utf-8"))
        text = re.sub(r"\s+", " ", "".join(parsed.text))
        for expected in FAILED[lang]:
            assert expected in text, (page.name, expected)
        links = [a["href"] for t, a in parsed.tags if t == "a" and not a["href"].startswith("#")]
        assert links[:2] == ["02_x.ipynb", "../../logs/kernels.log"] and links[2:] == ["../index.html"]
        # the cell's error as one line, no traceback, no banner, no path of the machine
        assert "FileNotFoundError: [Errno 2] No such file or directory: 'x.csv'" in text
        for absent in ("Traceback", "An Exception was encountered", "papermill", "/tmp/", "/home/", "load.py"):
            assert absent not in text, (page.name, absent)


@pytest.mark.parametrize("lang, expected", [
    ("zh", "03_y.ipynb 运行失败：DeadKernelError: Kernel died before replying"),
    ("en", "03_y.ipynb failed: DeadKernelError: Kernel died before replying")])
def test_a_failure_without_a_cell_names_the_notebook(lang, expected):
    failure = vars(NotebookRunError("03_y.ipynb", None, None, "", "DeadKernelError", "Kernel died before replying\n…"))
    assert site.failure_text(failure, lang) == expected


@pytest.mark.parametrize("lang, expected, foreign", [
    ("zh", ["参数", "数据 sha256", "运行时间", "git 提交", "← 目录", "关注区 (<code>focus</code>): <code>南山区</code>"],
     LATIN_WORD),
    ("en", ["Parameters", "Data sha256", "Time", "Git commit", "← index",
            "Focus district (<code>focus</code>): Nanshan District (<code>南山区</code>)"], CJK)])
def test_footer_is_in_the_page_language(lang, expected, foreign):
    values = site.page_values({"parameters": {"focus": "南山区", "lang": lang}, "data_checksum": "ab" * 32,
                               "version": "0.1", "time": "2026-01-01"}, lang, root="../")
    footer = str(site.templates().get_template("page.html.j2").module.footer(values))
    for text in expected:
        assert text in footer, text
    assert '<a href="../index.html">' in footer
    visible = re.sub(r"<code>.*?</code>|<[^>]+>|sha256|git|Python|\d", " ", footer)
    assert not foreign.search(visible), visible


PUBLISHING = ("site.py", "index_page.py", "provenance.py", "fonts.py")
HTML_TAG = re.compile(r"(?<!\?P)</?[A-Za-z][A-Za-z0-9]*[\s>/\\]")  # not a named group (?P<name>…)


def test_no_regular_expression_touches_html():
    """The publishing modules import no ``re``; no regular expression anywhere in the package matches an HTML tag
    (the pages come from templates, not from rewriting nbconvert's output)."""
    report = paths.PACKAGE_DIR / "report"
    for name in PUBLISHING:
        tree = ast.parse((report / name).read_text(encoding="utf-8"))
        imported = {a.name for n in ast.walk(tree) if isinstance(n, (ast.Import, ast.ImportFrom))
                    for a in n.names} | {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
        assert "re" not in imported, name
    for path in sorted(paths.PACKAGE_DIR.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", None) in (
                    "compile", "sub", "subn", "search", "match", "fullmatch", "findall", "finditer", "split") \
                    and getattr(node.func.value, "id", None) == "re" and node.args \
                    and isinstance(node.args[0], ast.Constant):
                assert not HTML_TAG.search(str(node.args[0].value)), (path.name, node.args[0].value)


def test_the_templates_ship_with_the_package():
    """pyproject's package-data names the templates and fields.csv, so a wheel (not only the editable install) has them."""
    import tomllib

    config = tomllib.loads((paths.REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["analysis_utils.report"]
    templates = paths.PACKAGE_DIR / "report" / "templates"
    shipped = {p for pattern in patterns for p in (paths.PACKAGE_DIR / "report").glob(pattern) if p.is_file()}
    data = {paths.PACKAGE_DIR / "report" / "fields.csv"}
    assert shipped == {p for p in templates.rglob("*") if p.is_file()} | data and len(shipped) >= 6
