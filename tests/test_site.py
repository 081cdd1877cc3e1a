"""The static site: offline pages, provenance footer, CJK font; checked in a real headless Chromium.

Browser tests use Debian's /usr/bin/chromium through playwright (no browser download). Without them
they skip, unless REQUIRE_BROWSER=1 (set by .ci/run), where they fail.
"""
from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

import pytest

from analysis_utils import __version__
from analysis_utils.report import site
from analysis_utils.paths import NOTEBOOKS_DIR
from conftest import CHROMIUM, CHROMIUM_ARGS, need_browser


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
    verdicts, bases, facts = site.claims_summary([tmp_path / "missing", tmp_path])
    assert verdicts == {"reproduced": 2, "consistent": 1, "inconsistent": 1} and facts is None
    assert bases["recomputed"] == {"reproduced": 2} and bases["compared"] == {"consistent": 1}
    (tmp_path / "tables" / "not_checkable.csv").write_text("source,printed\n一,2015年\n表2,87.42\n", encoding="utf-8")
    assert site.claims_summary([tmp_path])[2] == 2
    html = site.claims_html(site.claims_summary([tmp_path]))
    # verdicts in the audit's order, the basis rows, the total of claims, the plain facts apart
    assert html.index("reproduced") < html.index("consistent") < html.index("inconsistent")
    assert "all claims 合计 (4)" in html and "2 plain facts" in html
    assert site.claims_summary([tmp_path / "missing"]) is None


def test_index_is_left_alone_when_nothing_changed(tmp_path):
    entry = {"name": "01_x", "status": "ok", "seconds": 1.0, "params": {}, "error": None,
             "executed": str(tmp_path / "01_x.ipynb"), "outputs": str(tmp_path / "outputs")}
    index = site.build_index(tmp_path / "site", [entry], PROVENANCE)
    before = index.stat().st_mtime_ns
    site.build_index(tmp_path / "site", [entry], {**PROVENANCE, "time": "later"})
    assert index.stat().st_mtime_ns == before
    site.build_index(tmp_path / "site", [{**entry, "status": "failed"}], PROVENANCE)
    assert index.stat().st_mtime_ns != before


def test_index_links_the_combined_workbook(tmp_path):
    entry = {"name": "01_x", "status": "ok", "seconds": 1.0, "params": {}, "error": None,
             "executed": str(tmp_path / "01_x.ipynb"), "outputs": str(tmp_path / "outputs")}
    index = site.build_index(tmp_path / "site", [entry], PROVENANCE)
    assert "tables.xlsx" not in index.read_text(encoding="utf-8")
    (tmp_path / "tables.xlsx").write_bytes(b"PK")  # stands for the combined workbook
    site.build_index(tmp_path / "site", [entry], PROVENANCE, workbook=tmp_path / "tables.xlsx")
    # page rebuilt; the workbook copied into the site and linked from inside it (the site is self-contained)
    assert '<a href="tables.xlsx">tables.xlsx</a>' in index.read_text(encoding="utf-8")
    assert (tmp_path / "site" / "tables.xlsx").is_file()


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
    return fixture_build.output_dir / "site"


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
    pages = sorted(built_site.glob("*.html"))
    assert {p.name for p in pages} == {"index.html", "01_passes.html", "01_passes.reader.html",
                                       "02_fails.html", "02_fails.reader.html"}
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
    pages = sorted(shipped_site.glob("*.html"))
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
