"""The static site as builds write it: offline pages, the reader's page without code, a failed notebook's page, the
CJK font, one language per build; checked in a real headless Chromium. (The modules alone: tests/unit/report/.)

Browser tests use Debian's /usr/bin/chromium through playwright (no browser download). Without them
they skip, unless REQUIRE_BROWSER=1 (set by .ci/run), where they fail.
"""
from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

import pytest

from analysis_utils import __version__
from analysis_utils.paths import NOTEBOOKS_DIR
from analysis_utils.run import runner
from tests._support.browser import CHROMIUM, CHROMIUM_ARGS, need_browser
from tests._support.language import CJK, LATIN_WORD
from tests._support.data import EXAMPLE

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
          check: document.fonts.check('16px "Noto Sans CJK SC"', '武昌区'), traceback: text.includes('Traceback'),
          code: [...document.querySelectorAll('.jp-InputArea-editor')].filter(e => e.getClientRects().length).length};
}"""


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
        # the reader's page shows no code; the full page does; no page shows a traceback
        assert (checks["code"] == 0) == path.name.endswith(".reader.html") or path.name == "index.html", path.name
        assert not checks["traceback"], path.name


@pytest.mark.notebook
def test_a_failed_notebook_page_says_what_failed_and_links_its_log(built_site):
    """The fixture 02_fails raises KeyError at source cell 3 (In [4]): its pages say so in the build's language
    (zh), link the kept notebook and the kernels' log, and show neither papermill's banner nor a traceback."""
    from html.parser import HTMLParser

    class Page(HTMLParser):
        def __init__(self):
            super().__init__()
            self.links, self.text, self._style = [], [], False

        def handle_starttag(self, tag, attrs):
            self.links += [dict(attrs)["href"]] if tag == "a" else []
            self._style = tag == "style"

        def handle_data(self, data):
            self.text += [] if self._style else [data]

    folder = built_site / "02_fails.failed"
    for name in ("02_fails.html", "02_fails.reader.html"):
        page = Page()
        page.feed((folder / name).read_text(encoding="utf-8"))
        text = re.sub(r"\s+", " ", "".join(page.text))
        assert "本次运行失败 02_fails.ipynb 在单元格 3 (In [4]) 处失败：KeyError: '南山区' " \
               "完整的报错信息（traceback）保存在： 执行到出错处的笔记本 (02_fails.ipynb) · 内核日志 (logs/kernels.log)" in text
        assert page.links[:2] == ["02_fails.ipynb", "../../logs/kernels.log"]
        assert all((folder / unquote(link)).resolve().is_file() for link in page.links[:2])
        for absent in ("Traceback", "An Exception was encountered", "papermill", "/tmp/"):
            assert absent not in text, (name, absent)
    index = (built_site / "index.html").read_text(encoding="utf-8")
    assert "02_fails.ipynb 在单元格 3 (In [4]) 处失败：KeyError: &#39;南山区&#39;" in index
    assert "failed at" not in index


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
        assert (checks["code"] == 0) == path.name.endswith(".reader.html") or path.name == "index.html", path.name
    # the site is self-contained: every local link of the index resolves inside the site folder
    index = (shipped_site / "index.html").read_text(encoding="utf-8")
    for href in re.findall(r'(?:href|src)="([^"#:]+)"', index):
        target = (shipped_site / unquote(href)).resolve()
        assert target.is_file() and shipped_site.resolve() in target.parents, href


# ---------------------------------------------------------------------------- one language per build


def _visible(page: str) -> str:
    """The page's text without tags, scripts, styles and code (parameter names and values to type)."""
    page = re.sub(r"<(script|style|code)\b.*?</\1>", " ", page, flags=re.S)
    return re.sub(r"<[^>]+>", " ", page)


@pytest.mark.notebook
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_build_writes_in_its_language(tmp_path, lang, request):
    """Notebook 01 built in zh (the worked example's build, conftest.example_build, focus 示例区 on its own data) and
    in en (the session's English build, conftest.nanshan_en_build, focus 南山区): CSV
    headers are snake_case codes in both (the same for every language), index, footers and figure alt texts in one
    language."""
    import csv as csv_module

    out = request.getfixturevalue({"zh": "example_build", "en": "nanshan_en_build"}[lang])
    foreign = CJK if lang == "en" else LATIN_WORD
    for path in (out / "site" / "01_foundation").rglob("*.csv"):
        with path.open(encoding="utf-8") as fh:
            header = next(csv_module.reader(fh))
        assert [h for h in header if not re.fullmatch(r"[a-z][a-z0-9_]*|\d+", h)] == [], (path.name, header)
    index = (out / "site" / "index.html").read_text(encoding="utf-8")
    words = re.sub(r"sha256|git|Python|\S+\.(?:csv|png|svg|xlsx|ipynb)|\d\d_[a-z_]+", "",
                   _visible(index[index.index("<body"):]))
    assert not foreign.search(words), foreign.findall(words)
    reader = (out / "site" / "01_foundation" / "01_foundation.reader.html").read_text(encoding="utf-8")
    footer = reader[reader.index('<footer class="provenance">'):]
    assert not foreign.search(re.sub(r"sha256|git|Python", "", _visible(footer)))
    alts = re.findall(r'<img\b[^>]*\balt="([^"]*)"', reader)
    assert alts and all(a and "No description" not in a for a in alts)
    assert (CJK.search(alts[0]) is None) == (lang == "en"), alts
    # every page is titled by the notebook's title in the run's language, not its file name
    title = {"zh": "基础：专利授权", "en": "Foundation: patent grants"}[lang]
    assert f"<title>{title}</title>" in reader
    # the index's gallery: the figure's own title as alt text and caption (a link to the figure), no file name
    gallery = re.findall(r'<figure><a [^>]*><img [^>]*alt="([^"]*)"></a><figcaption><a href="[^"]+">([^<]*)</a>', index)
    assert gallery and all(alt == caption for alt, caption in gallery), gallery
    assert not [a for a, _ in gallery if re.search(r"fig\d+_|\.png|\.svg", a)], gallery
    # every workbook carries the run's full provenance (read with openpyxl, as a reader's Excel would)
    from openpyxl import load_workbook

    data_sum = _data_sha256(EXAMPLE if lang == "zh" else Path(runner.paths.DATA_DIR))  # the data folder given
    labels = {"zh": ("参数", "数据 sha256", "程序包版本", "运行时间", "git 提交", "Python 版本", "锁定依赖文件 sha256"),
              "en": ("Parameters", "Data sha256", "Package version", "Time", "Git commit", "Python",
                     "requirements.lock sha256")}[lang]
    focus = {"zh": "示例区† (示例区)", "en": "Nanshan District (南山区)"}[lang]  # a user's district: its mark, its id
    for book_path, prefix in ((out / "site" / "01_foundation" / "01_foundation.xlsx", ""),
                              (out / "site" / "tables.xlsx", "01_foundation: ")):
        rows = dict(load_workbook(book_path)["provenance"].iter_rows(min_row=2, values_only=True))
        assert rows[prefix + labels[0]].count(focus) == 1 and f"(lang): {lang}" in rows[prefix + labels[0]]
        assert rows[prefix + labels[1]] == data_sum and rows[prefix + labels[2]] == __version__
        assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d{4}", rows[prefix + labels[3]])
        assert re.match(r"[0-9a-f]{40}", rows[labels[4]]) and rows[labels[5]].count(".") == 2
        assert re.fullmatch(r"[0-9a-f]{64}", rows[labels[6]])


@pytest.mark.notebook
def test_an_english_workbook_names_districts_units_and_places(nanshan_en_build):
    """An English reader met 南山区, 平方公里 and 表2 in every workbook: the notebook's workbook and the site's
    tables.xlsx name them in English; the CSV keeps the ids; columns headed '(original Chinese)' keep the report's
    text on purpose."""
    from openpyxl import load_workbook

    site = nanshan_en_build / "site"
    for path, sheet in ((site / "02_gaps" / "02_gaps.xlsx", "table2_comparison"), (site / "tables.xlsx",
                                                                                    "02_table2_comparison")):
        rows = list(load_workbook(path)[sheet].iter_rows(values_only=True))
        head = rows[0]
        first = dict(zip(head, rows[1]))
        assert (first["District"], first["Indicator (code)"], first["Unit"],
                first["Where printed (in the report or in the source)"]) == \
            ("Nanshan District", "area", "square kilometres", "Table 2"), first
        assert {r[head.index("District")] for r in rows[1:]} == {"Nanshan District", "Wuchang District",
                                                                "Yuhang District"}
    with (site / "02_gaps" / "tables" / "table2_comparison.csv").open(encoding="utf-8") as fh:
        assert fh.readlines()[1].startswith("南山区,area,2015,")
    rows = list(load_workbook(site / "tables.xlsx")["01_section1_prose_figures"].iter_rows(values_only=True))
    first = dict(zip(rows[0], rows[1]))
    assert (first["Place in the report (original numbering)"], first["District"], first["Unit"],
            first["Data source"]) == ("一(二)3", "Wuchang District", "pieces", "Table 1"), first


def _data_sha256(root: Path) -> str:
    """sha256 over every file of the data folder: relative name, NUL, the file's sha256 digest, in name order
    (the checksum docs/outputs.md documents), computed here with hashlib alone."""
    import hashlib

    h = hashlib.sha256()
    for f in sorted(p for p in root.rglob("*") if p.is_file()):
        h.update(f.relative_to(root).as_posix().encode() + b"\0" + hashlib.sha256(f.read_bytes()).digest())
    return h.hexdigest()
