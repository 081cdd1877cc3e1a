"""The static site: offline pages, provenance footer, CJK font; checked in a real headless Chromium.

Browser tests use Debian's /usr/bin/chromium through playwright (no browser download). Without them
they skip, unless REQUIRE_BROWSER=1 (set by .ci/run), where they fail.
"""
from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

import pytest
from conftest import CHROMIUM, CHROMIUM_ARGS, need_browser

from analysis_utils import __version__
from analysis_utils.paths import NOTEBOOKS_DIR
from analysis_utils.report import index_page, site
from analysis_utils.run import runner

PROVENANCE = {"parameters": {"focus": "武昌区"}, "data_checksum": "abc123", "version": __version__,
              "time": "2016-01-01 00:00:00 +0800"}

# Runs in the page: fonts, images and every visible run of Chinese characters. A run narrower than
# 0.8 em per character was drawn with missing-glyph boxes (Chromium's are 0.6 em wide).
PAGE_CHECKS = """async () => {
  await document.fonts.ready;
  const loaded = await document.fonts.load('16px "Noto Sans CJK SC"', '武昌区创新');
  await Promise.all([...document.images].map(i => i.decode().catch(() => null)));
  const faces = [...document.fonts].filter(f => f.family.replace(/"/g, '') === 'Noto Sans CJK SC');
  const images = [...document.images].map(i => ({src: i.src.slice(0, 80), width: i.naturalWidth}));
  const narrow = []; let runs = 0;
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode, el = node.parentElement;
    if (!el || el.getClientRects().length === 0) continue;
    const size = parseFloat(getComputedStyle(el).fontSize);
    for (const m of node.textContent.matchAll(/[\\u3400-\\u9fff]+/g)) {
      const r = document.createRange();
      r.setStart(node, m.index); r.setEnd(node, m.index + m[0].length);
      const width = [...r.getClientRects()].reduce((a, b) => a + b.width, 0);
      runs++;
      if (width < 0.8 * size * m[0].length) narrow.push([m[0], width, size]);
    }
  }
  const text = document.body.innerText;
  return {loaded: loaded.length, faces: faces.map(f => f.status), images, runs, narrow: narrow.slice(0, 5),
          overflow: document.documentElement.scrollWidth - window.innerWidth, posix: text.includes('PosixPath'),
          paths: (text.match(/(?:^|[\\s'"(])\\/(?:tmp|work|home|root|Users|var|opt)\\/\\S*/g) || []).slice(0, 3),
          check: document.fonts.check('16px "Noto Sans CJK SC"', '武昌区')};
}"""


# ---------------------------------------------------------------------------- without a browser
def test_finish_page_strips_remote_resources_and_adds_font_and_footer():
    page = ('<html><head><script src="https://cdn.example/require.js"></script>'
            '<link rel="stylesheet" href="//cdn.example/x.css"><script>var ok = 1;</script></head>'
            '<body><p>武昌区</p><a href="https://example.org">a link stays</a></body></html>')
    out = site.finish_page(page, PROVENANCE)
    assert "cdn.example" not in out and "var ok = 1;" in out and 'href="https://example.org"' in out
    assert out.index("@font-face") < out.index("</head>")
    assert 'url("assets/NotoSansCJKsc-Regular.otf")' in out
    assert out.index('<footer class="provenance">') < out.index("</body>")
    assert "abc123" in out and "武昌区" in out and __version__ in out


def test_font_is_copied_once(tmp_path):
    font = site.ensure_assets(tmp_path)
    assert font == tmp_path / "assets" / site.FONT_FILE
    assert font.stat().st_size == site.font_source().stat().st_size
    before = font.stat().st_mtime_ns
    site.ensure_assets(tmp_path)
    assert font.stat().st_mtime_ns == before


def test_claims_summary_counts_verdicts_by_basis_and_facts_apart(tmp_path):
    (tmp_path / "tables").mkdir()
    (tmp_path / "tables" / "claims_audit.csv").write_text(
        "\ufeffclaim,section,basis,verdict\nc1,一,recomputed,reproduced\nc2,一,compared,consistent\n"
        "c3,二,recomputed,reproduced\nc4,二,derived,inconsistent\n", encoding="utf-8")
    verdicts, bases, facts = index_page.claims_summary([tmp_path / "missing", tmp_path])
    assert verdicts == {"reproduced": 2, "consistent": 1, "inconsistent": 1} and facts is None
    assert bases["recomputed"] == {"reproduced": 2} and bases["compared"] == {"consistent": 1}
    (tmp_path / "tables" / "not_checkable.csv").write_text("source,printed\n一,2015年\n表2,87.42\n", encoding="utf-8")
    assert index_page.claims_summary([tmp_path])[2] == 2
    html = index_page.claims_html(index_page.claims_summary([tmp_path]), "en")
    # verdicts in the audit's order, the basis rows, the total of claims, the plain facts apart
    assert html.index("reproduced") < html.index("consistent") < html.index("inconsistent")
    assert "All claims (4)" in html and "2 entries are not claims" in html and "合计" not in html
    # bases in the audit's order (claims.BASES, as on page 04), whatever the file's order, each with its total
    rows = re.findall(r"<tr><td>(\w+)</td>((?:<td>\d+</td>)+)</tr>", html)
    assert [(b, re.findall(r"\d+", cells)) for b, cells in rows] == [
        ("recomputed", ["2", "0", "0", "2"]), ("compared", ["0", "1", "0", "1"]), ("derived", ["0", "0", "1", "1"])]
    assert "<th>All</th>" in html and "<td>2</td><td>1</td><td>1</td><td>4</td></tr></table>" in html
    assert index_page.claims_summary([tmp_path / "missing"]) is None


def test_index_is_left_alone_when_nothing_changed(tmp_path):
    entry = {"name": "01_x", "status": "ok", "seconds": 1.0, "params": {}, "error": None,
             "executed": str(tmp_path / "01_x.ipynb"), "outputs": str(tmp_path / "outputs")}
    index = index_page.build_index(tmp_path / "site", [entry], PROVENANCE)
    before = index.stat().st_mtime_ns
    index_page.build_index(tmp_path / "site", [entry], {**PROVENANCE, "time": "later"})
    assert index.stat().st_mtime_ns == before
    index_page.build_index(tmp_path / "site", [{**entry, "status": "failed"}], PROVENANCE)
    assert index.stat().st_mtime_ns != before


def test_index_links_the_combined_workbook(tmp_path):
    entry = {"name": "01_x", "status": "ok", "seconds": 1.0, "params": {}, "error": None,
             "executed": str(tmp_path / "01_x.ipynb"), "outputs": str(tmp_path / "outputs")}
    index = index_page.build_index(tmp_path / "site", [entry], PROVENANCE)
    assert "tables.xlsx" not in index.read_text(encoding="utf-8")
    (tmp_path / "site" / "tables.xlsx").write_bytes(b"PK")  # stands for the combined workbook
    index_page.build_index(tmp_path / "site", [entry], PROVENANCE, workbook=tmp_path / "site" / "tables.xlsx")
    # page rebuilt; the workbook linked from inside the site (the site is self-contained)
    assert '<a href="tables.xlsx">tables.xlsx</a>' in index.read_text(encoding="utf-8")


def _bilingual_notebook(path: Path, parameters: dict | None) -> Path:
    """An executed notebook as papermill leaves it: a zh/en pair of markdown cells and one code cell with
    an output; ``parameters`` recorded in metadata.papermill (None: no papermill record at all)."""
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("## 表2 创新成效比较\n\n中文段落。", id="m-00", metadata={"tags": ["lang-zh"]}),
        nbformat.v4.new_markdown_cell("## Table 2 Innovation performance\n\nAn English paragraph.", id="m-00-en",
                                      metadata={"tags": ["lang-en"]}),
        nbformat.v4.new_code_cell('print("answer", 6 * 7)', id="c-01", execution_count=1,
                                  outputs=[nbformat.v4.new_output("stream", name="stdout", text="answer 42\n")]),
    ]
    if parameters is not None:
        nb.metadata["papermill"] = {"parameters": parameters}
    nbformat.write(nb, str(path))
    return path


@pytest.mark.parametrize("parameters, shown, dropped", [
    ({"lang": "en", "focus": "南山区"}, "An English paragraph.", "中文段落。"),
    ({"lang": "zh"}, "中文段落。", "An English paragraph."),
    (None, "中文段落。", "An English paragraph."),  # no papermill record: the notebooks' default, zh
], ids=["en", "zh", "unrecorded"])
def test_pages_show_only_the_language_of_the_run(tmp_path, parameters, shown, dropped):
    executed = _bilingual_notebook(tmp_path / "01_x.ipynb", parameters)
    full, reader = site.render_notebook(executed, tmp_path / "site", "01_x", PROVENANCE)
    for page in (full, reader):
        body = page.read_text(encoding="utf-8")
        assert shown in body and dropped not in body, page.name
        assert f'<html lang="{"en" if shown.isascii() else "zh"}">' in body, page.name
        assert ("Table 2 Innovation performance" in body) == (shown == "An English paragraph."), page.name
        assert "answer 42" in body, page.name  # the code cell's output stays on both pages
    assert "6</span> <span class=\"o\">*</span>" in full.read_text(encoding="utf-8")  # its input: full page only
    assert "6</span> <span class=\"o\">*</span>" not in reader.read_text(encoding="utf-8")


def test_page_refuses_an_unknown_language(tmp_path):
    from analysis_utils.errors import ParameterError

    executed = _bilingual_notebook(tmp_path / "01_x.ipynb", {"lang": "fr"})
    with pytest.raises(ParameterError) as caught:
        site.render_notebook(executed, tmp_path / "site", "01_x", PROVENANCE)
    assert (caught.value.name, caught.value.value) == ("lang", "fr")


# ---------------------------------------------------------------------------- in Chromium
@pytest.fixture(scope="module")
def browser():
    need_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def built_site(fixture_build) -> Path:
    """The fixture notebooks (one passes with Chinese text and a PNG, one fails) built into a site
    (the session's one build of them: conftest.fixture_build)."""
    return fixture_build[0] / "site"


def open_page(browser, url: str, width: int = 1280) -> tuple[dict, list[str], list[str]]:
    """Load a page in a ``width`` px wide window; return the in-page checks, the non-local requests and the
    console errors."""
    page = browser.new_page(viewport={"width": width, "height": 900})
    remote, errors = [], []
    page.on("request", lambda r: remote.append(r.url) if not r.url.startswith(("file://", "data:")) else None)
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url, wait_until="load")
    checks = page.evaluate(PAGE_CHECKS)
    page.close()
    return checks, remote, errors


@pytest.mark.browser
@pytest.mark.notebook
def test_every_page_opens_offline_with_images_and_chinese_glyphs(built_site, browser):
    pages = sorted(built_site.rglob("*.html"))
    assert {p.relative_to(built_site).as_posix() for p in pages} == {
        "index.html", "01_passes/01_passes.html", "01_passes/01_passes.reader.html",
        "02_fails.failed/02_fails.html", "02_fails.failed/02_fails.reader.html"}
    for path in pages:
        checks, remote, errors = open_page(browser, path.as_uri())
        assert not remote, (path.name, remote)
        assert not errors, (path.name, errors)
        assert all(img["width"] > 0 for img in checks["images"]), (path.name, checks["images"])
        assert checks["faces"] == ["loaded"] and checks["loaded"] >= 1 and checks["check"], (path.name, checks)
        assert checks["runs"] > 0 and not checks["narrow"], (path.name, checks["narrow"])
        if path.name.startswith(("index", "01_passes")):
            assert checks["images"], f"{path.name}: the fixture figure is missing"


@pytest.mark.browser
def test_width_check_catches_missing_glyphs(tmp_path, browser):
    """Control: without the font, Chinese text is drawn as boxes and the page checks must say so."""
    page = tmp_path / "no_font.html"
    page.write_text('<!DOCTYPE html><html><head><meta charset="utf-8"></head>'
                    '<body style="font-family: DejaVu Sans"><h1>武昌区创新</h1></body></html>', encoding="utf-8")
    checks, _, _ = open_page(browser, page.as_uri())
    if not checks["narrow"]:
        pytest.skip("this machine has a system CJK font; the control cannot show missing glyphs")
    assert checks["faces"] == [] and checks["narrow"][0][0] == "武昌区创新"


@pytest.fixture(scope="module")
def shipped_site(shipped_build) -> Path:
    """The real notebooks of notebooks/ built into a site: the session's one `reproduce` run of them
    (conftest.shipped_build, default parameters)."""
    out, proc = shipped_build
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return out / "site"


@pytest.mark.browser
@pytest.mark.notebook
def test_shipped_site_opens_offline_with_every_figure_and_chinese_glyphs(shipped_site, browser):
    pages = sorted(shipped_site.rglob("*.html"))
    assert len(pages) == 1 + 2 * len(list(NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb")))
    for path in pages:
        checks, remote, errors = open_page(browser, path.as_uri())
        assert not remote, (path.name, remote)
        assert not errors, (path.name, errors)
        assert checks["images"] and all(img["width"] > 0 for img in checks["images"]), (path.name, checks["images"])
        assert checks["faces"] == ["loaded"] and checks["check"], (path.name, checks)
        assert checks["runs"] > 0 and not checks["narrow"], (path.name, checks["narrow"])
        # at 1280 px: wide tables scroll in their own box, the page itself never scrolls sideways
        assert checks["overflow"] <= 0, (path.name, checks["overflow"])
        assert not checks["posix"] and not checks["paths"], (path.name, checks["paths"])
    # the site is self-contained: every local link of the index resolves inside the site folder
    index = (shipped_site / "index.html").read_text(encoding="utf-8")
    for href in re.findall(r'(?:href|src)="([^"#:]+)"', index):
        target = (shipped_site / unquote(href)).resolve()
        assert target.is_file() and shipped_site.resolve() in target.parents, href


# ---------------------------------------------------------------------------- one language per build
LATIN_WORD = re.compile(r"[A-Za-z]{3,}")
CJK_CHAR = re.compile("[\u4e00-\u9fff]")


def _visible(page: str) -> str:
    """The page's text without tags, scripts, styles and code (parameter names and values to type)."""
    page = re.sub(r"<(script|style|code)\b.*?</\1>", " ", page, flags=re.S)
    return re.sub(r"<[^>]+>", " ", page)


@pytest.mark.parametrize("lang, expected, foreign", [
    ("zh", ["参数", "数据 sha256", "运行时间", "git 提交", "← 目录", "关注区 (<code>focus</code>): <code>南山区</code>"],
     LATIN_WORD),
    ("en", ["Parameters", "Data sha256", "Time", "Git commit", "← index",
            "Focus district (<code>focus</code>): Nanshan District (<code>南山区</code>)"], CJK_CHAR)])
def test_footer_is_in_the_page_language(lang, expected, foreign):
    footer = site.footer_html({"parameters": {"focus": "南山区", "lang": lang}, "data_checksum": "ab" * 32,
                               "version": "0.1", "time": "2026-01-01"}, lang=lang)
    for text in expected:
        assert text in footer, text
    words = re.sub(r"sha256|git|Python|\d", "", _visible(footer))
    assert not foreign.search(words), words


@pytest.mark.parametrize("lang, expected, foreign", [
    ("zh", ["核查依据", "重算", "可复现", "全部论断（3）", "另有2项不是论断"], LATIN_WORD),
    ("en", ["Basis of the check", "recomputed", "reproduced", "All claims (3)", "2 entries are not claims"], CJK_CHAR)])
def test_claims_block_is_in_the_index_language(tmp_path, lang, expected, foreign):
    from collections import Counter

    html = index_page.claims_html((Counter(reproduced=2, inconsistent=1),
                             {"recomputed": Counter(reproduced=2, inconsistent=1)}, 2), lang)
    assert all(text in html for text in expected), html
    assert not foreign.search(_visible(html))


def test_claims_summary_reads_localised_headers(tmp_path):
    """A zh run heads claims_audit.csv in Chinese (RunOutputs); the index still counts it."""
    (tmp_path / "claims_audit.csv").write_text("\ufeff论断编号,核查依据,判定\nc1,recomputed,reproduced\n"
                                              "c2,compared,consistent\n", encoding="utf-8")
    verdicts, bases, _facts = index_page.claims_summary([tmp_path])
    assert verdicts == {"reproduced": 1, "consistent": 1} and bases["compared"] == {"consistent": 1}


def test_images_get_the_alt_text_recorded_for_them():
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells.append(nbformat.v4.new_code_cell(outputs=[nbformat.v4.new_output(
        "display_data", data={"image/png": "QUJD\n"}, metadata={"image/png": {"alt": "表1 专利 <2015>"}})]))
    body = ('<img src="data:image/png;base64,QUJD" alt="No description has been provided for this image">'
            '<img src="data:image/png;base64,WFla" alt="No description has been provided for this image">'
            '<img src="x.png" alt="a markdown image">')
    out = site.add_alt_texts(body, site.image_alts(nb), "en")
    assert 'alt="表1 专利 &lt;2015&gt;"' in out and 'alt="Figure"' in out and 'alt="a markdown image"' in out
    assert "No description" not in site.add_alt_texts(body, {}, "zh") and 'alt="图"' in site.add_alt_texts(body, {}, "zh")


@pytest.mark.notebook
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_build_writes_in_its_language(tmp_path, lang, request):
    """Notebook 01 built in zh (here) and in en (the session's English build, conftest.nanshan_en_build): CSV
    headers, index, footers and figure alt texts in one language."""
    import csv as csv_module

    out = tmp_path / lang
    if lang == "en":
        out = request.getfixturevalue("nanshan_en_build")
    else:
        runner.reproduce(NOTEBOOKS_DIR, out, {"lang": lang, "focus": "南山区"}, only=["01"], jobs=1)
    foreign = CJK_CHAR if lang == "en" else LATIN_WORD
    for path in (out / "site" / "01_foundation").rglob("*.csv"):
        with path.open(encoding="utf-8-sig") as fh:
            header = next(csv_module.reader(fh))
        assert not [h for h in header if foreign.search(re.sub(r"R&D|GDP", "", h))], (path.name, header)
    index = (out / "site" / "index.html").read_text(encoding="utf-8")
    words = re.sub(r"sha256|git|Python|\S+\.(?:csv|png|svg|xlsx|ipynb)|\d\d_[a-z_]+", "",
                   _visible(index[index.index("<body"):]))
    assert not foreign.search(words), foreign.findall(words)
    reader = (out / "site" / "01_foundation" / "01_foundation.reader.html").read_text(encoding="utf-8")
    footer = reader[reader.index('<footer class="provenance">'):]
    assert not foreign.search(re.sub(r"sha256|git|Python", "", _visible(footer)))
    alts = re.findall(r'<img\b[^>]*\balt="([^"]*)"', reader)
    assert alts and all(a and "No description" not in a for a in alts)
    assert (CJK_CHAR.search(alts[0]) is None) == (lang == "en"), alts
    # every page is titled by the notebook's title in the run's language, not its file name
    title = {"zh": "基础：专利授权", "en": "Foundation: patent grants"}[lang]
    assert f"<title>{title}</title>" in reader
    # the index's gallery: the figure's own title as alt text, no machine id
    gallery = re.findall(r'<figure><a [^>]*><img [^>]*alt="([^"]*)"', index)
    assert gallery and not [a for a in gallery if re.search(r"fig\d+_", a)], gallery
    # every workbook carries the run's full provenance (read with openpyxl, as a reader's Excel would)
    from openpyxl import load_workbook

    data_sum = _data_sha256(Path(runner.paths.DATA_DIR))
    labels = {"zh": ("参数", "数据 sha256", "程序包版本", "运行时间", "git 提交", "Python 版本", "锁定依赖文件 sha256"),
              "en": ("Parameters", "Data sha256", "Package version", "Time", "Git commit", "Python",
                     "requirements.lock sha256")}[lang]
    focus = {"zh": "南山区", "en": "Nanshan District (南山区)"}[lang]
    for book_path, prefix in ((out / "site" / "01_foundation" / "01_foundation.xlsx", ""),
                              (out / "site" / "tables.xlsx", "01_foundation: ")):
        rows = dict(load_workbook(book_path)["provenance"].iter_rows(min_row=2, values_only=True))
        assert rows[prefix + labels[0]].count(focus) == 1 and f"(lang): {lang}" in rows[prefix + labels[0]]
        assert rows[prefix + labels[1]] == data_sum and rows[prefix + labels[2]] == __version__
        assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d{4}", rows[prefix + labels[3]])
        assert re.match(r"[0-9a-f]{40}", rows[labels[4]]) and rows[labels[5]].count(".") == 2
        assert re.fullmatch(r"[0-9a-f]{64}", rows[labels[6]])


def _data_sha256(root: Path) -> str:
    """sha256 over every file of the data folder: relative name, NUL, the file's sha256 digest, in name order
    (the checksum docs/outputs.md documents), computed here with hashlib alone."""
    import hashlib

    h = hashlib.sha256()
    for f in sorted(p for p in root.rglob("*") if p.is_file()):
        h.update(f.relative_to(root).as_posix().encode() + b"\0" + hashlib.sha256(f.read_bytes()).digest())
    return h.hexdigest()


def test_figures_sort_in_natural_order():
    names = ["fig10_b.png", "fig11_c.png", "fig9_a.png", "fig1_z.png"]
    assert sorted(names, key=index_page.natural_key) == ["fig1_z.png", "fig9_a.png", "fig10_b.png", "fig11_c.png"]
