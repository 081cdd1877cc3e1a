"""The static site: every executed notebook as HTML (full and reader's version) plus ``index.html``.

Every page carries the same provenance footer (parameters, data checksum, package version, time)
and opens from disk with no network:

* images are embedded (nbconvert ``embed_images=True``; code outputs are data: URIs already);
* nbconvert's lab template loads require.js, MathJax, mermaid and the widget manager from CDNs —
  a three-line child template empties those blocks, and ``_strip_external`` removes any remote
  ``<script src>``/``<link href>`` left over (defence in depth, e.g. after an nbconvert upgrade);
* Chinese text is drawn with Noto Sans CJK SC from the PyPI package ``mplfonts``, copied once into
  ``site/assets/`` and declared with ``@font-face`` by relative path in every page.

Pages: ``site/NN_name.html`` (code and outputs), ``site/NN_name.reader.html`` (outputs only),
``site/index.html``. A page reads in one language: the notebooks' markdown comes in pairs of cells tagged
``lang-zh`` and ``lang-en``, and nbconvert's ``TagRemovePreprocessor`` drops the cells of the language the run
was not made in (its ``lang`` parameter, as papermill recorded it in the executed notebook). Links from the index to tables, the combined workbook, figures and executed
notebooks are relative (``../outputs/NN_name/…``, ``../tables.xlsx``, ``../notebooks/…``), so the whole
output folder can be moved or zipped.
"""
from __future__ import annotations

import csv
import functools
import hashlib
import html
import importlib.util
import json
import os
import re
import shutil
from collections import Counter
from pathlib import Path
from urllib.parse import quote

FONT_FAMILY = "Noto Sans CJK SC"
FONT_FILE = "NotoSansCJKsc-Regular.otf"
ASSETS_DIR = "assets"
TABLE_SUFFIXES = (".csv", ".xlsx")
FIGURE_SUFFIXES = (".png", ".svg", ".jpg", ".jpeg")
CLAIMS_FILE = "claims_audit.csv"
FACTS_FILE = "not_checkable.csv"  # written beside it by 04_claims_audit

# Child of nbconvert's lab template with every CDN-loading block emptied.
_OFFLINE_TEMPLATE = """{%- extends 'index.html.j2' -%}
{% block html_head_js_requirejs %}{% endblock html_head_js_requirejs %}
{% block jupyter_widgets %}{% endblock jupyter_widgets %}
{% block html_head_js_mathjax %}{% endblock html_head_js_mathjax %}
{% block html_head_js_mermaidjs %}{% endblock html_head_js_mermaidjs %}
"""
_EXTERNAL = re.compile(
    r"<(?:script|link)\b[^>]*\b(?:src|href)\s*=\s*[\"']?(?:https?:)?//[^>]*>(?:\s*</script>)?", re.I)

# The CJK face comes FIRST in every stack but only for CJK code points (unicode-range), so Latin text
# keeps the system font and Chinese text waits for our font. Listed as a late fallback instead,
# Chromium drew text laid out while the 16 MB font was still loading as missing-glyph boxes for good.
_CJK_RANGE = "U+2E80-2FDF, U+3000-33FF, U+3400-4DBF, U+4E00-9FFF, U+F900-FAFF, U+FE30-FE4F, U+FF00-FFEF"
_SANS = f'"{FONT_FAMILY}", system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif'
_MONO = f'"{FONT_FAMILY}", ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace'



def font_css(font_url: str, root: str = ":root") -> str:
    """CSS text: the @font-face rule for the CJK font served at ``font_url`` (relative to the style sheet)
    and the Jupyter font variables (``--jp-ui-font-family`` …) on the selector ``root`` with that face first.

    Used by the site pages (``assets/…``) and by JupyterLab's custom.css (run/lab.py), so both draw Chinese
    with the same face. No error: the text is returned whether or not a file exists at the URL.
    """
    return (f'@font-face {{ font-family: "{FONT_FAMILY}"; font-display: block; unicode-range: {_CJK_RANGE};\n'
            f'  src: url("{font_url}") format("opentype"); }}\n'
            f"{root} {{ --jp-ui-font-family: {_SANS}; --jp-content-font-family: {_SANS}; "
            f"--jp-code-font-family: {_MONO}; }}\n")


_CSS = f"""<style>
{font_css(f"{ASSETS_DIR}/{FONT_FILE}")}body {{ font-family: {_SANS}; }}
pre, code {{ font-family: {_MONO}; }}
footer.provenance {{ margin: 2em 1em 1em; padding-top: .5em; border-top: 1px solid #ccc; font-size: 85%; color: #444; }}
footer.provenance td {{ padding: 0 .8em 0 0; vertical-align: top; }}
.site-index {{ max-width: 60em; margin: 1em auto; padding: 0 1em; }}
.site-index table {{ border-collapse: collapse; }}
.site-index th, .site-index td {{ border-bottom: 1px solid #ddd; padding: .2em .6em; text-align: left; }}
.site-index figure {{ display: inline-block; margin: .5em; }}
.site-index img {{ max-width: 320px; border: 1px solid #eee; }}
.status-failed {{ color: #b00; font-weight: bold; }}
.site-index td.pages {{ white-space: nowrap; }}
.site-index figure {{ width: 320px; vertical-align: top; }}
.site-index figure img {{ width: 320px; height: 200px; object-fit: contain; background: #fff; }}
.site-index figcaption {{ font-size: 80%; overflow-wrap: anywhere; }}
/* wide tables scroll inside their own box, under a caption that stays in view */
.table-scroll {{ max-width: 100%; overflow-x: auto; margin-bottom: 1em; }}
.table-caption {{ font-weight: bold; margin: .8em 0 .3em; text-align: left; }}
.jp-RenderedHTMLCommon td, .jp-RenderedHTMLCommon th {{ max-width: 28em; }}
/* text left, numbers right (show_table marks the columns); never right-aligned Chinese by default */
.jp-RenderedHTMLCommon td, .jp-RenderedHTMLCommon th {{ text-align: left; }}
.jp-RenderedHTMLCommon td.num, .jp-RenderedHTMLCommon th.num {{ text-align: right; }}
/* a cell whose input is hidden and that printed nothing leaves no gap */
.jp-Cell.jp-CodeCell:not(:has(.jp-OutputArea-output)) {{ display: none; }}
.jp-Cell.jp-CodeCell:has(.jp-Cell-inputWrapper.jp-mod-hidden):not(:has(.jp-OutputArea-output)) {{ display: none; }}
.jp-OutputArea-output:empty {{ display: none; }}
.status-stale {{ color: #a60; font-weight: bold; }}
</style>
"""


# ---------------------------------------------------------------------------- assets and page frame
def font_source() -> Path:
    """The CJK font shipped by mplfonts, found without importing it (its import loads matplotlib)."""
    spec = importlib.util.find_spec("mplfonts")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("package mplfonts is not installed; run `make venv`")
    return Path(list(spec.submodule_search_locations)[0]) / "fonts" / FONT_FILE


def ensure_assets(site_dir: str | os.PathLike) -> Path:
    """Copy the font into site/assets/ once (again only if its size changed)."""
    src, dest = font_source(), Path(site_dir) / ASSETS_DIR / FONT_FILE
    if not dest.exists() or dest.stat().st_size != src.stat().st_size:
        from analysis_utils.report.writers import atomic_path

        with atomic_path(dest) as tmp:
            shutil.copyfile(src, tmp)
    return dest


def footer_html(provenance: dict, index_link: bool = True) -> str:
    """The provenance footer shared by every page: readable parameters (no machine paths), data sha256, package
    version, time, git commit (and uncommitted changes), Python, lock file sha256 (report.provenance.full)."""
    from analysis_utils.report.provenance import full

    cells = "".join(f"<tr><td>{html.escape(k)}</td><td><code>{html.escape(v)}</code></td></tr>"
                    for k, v in full(provenance))
    link = '<a href="index.html">← index 目录</a>' if index_link else ""
    return f'<footer class="provenance">{link}<table>{cells}</table></footer>\n'


_TABLE = re.compile(r"(<table\b[^>]*>)\s*(?:<caption\b[^>]*>(.*?)</caption>)?(.*?</table>)", re.S)


def scroll_tables(body: str) -> str:
    """Every table in its own horizontally scrolling box, its caption moved above the box so it stays in view."""
    def wrap(m):
        caption = f'<p class="table-caption">{m[2]}</p>' if m[2] else ""
        return f'{caption}<div class="table-scroll">{m[1]}{m[3]}</div>'
    return _TABLE.sub(wrap, body)


def finish_page(page: str, provenance: dict, index_link: bool = True) -> str:
    """Remove remote resources, put tables in scrolling boxes, add the font CSS to <head> and the footer
    before </body> (``index_link`` False on the index itself: a page does not link to itself)."""
    page = scroll_tables(_EXTERNAL.sub("", page))
    head, sep, rest = page.partition("</head>")
    page = head + _CSS + sep + rest if sep else _CSS + page
    body, sep, tail = page.rpartition("</body>")
    footer = footer_html(provenance, index_link)
    return body + footer + sep + tail if sep else page + footer


# ---------------------------------------------------------------------------- notebook pages
LANG_TAG = "lang-{}"  # markdown cells in one language are tagged lang-zh or lang-en


def notebook_lang(nb) -> str:
    """The language an executed notebook was run in: its ``lang`` parameter as papermill recorded it
    (``metadata.papermill.parameters.lang``), 'zh' when the notebook has no such record (the notebooks'
    default). Raises ParameterError (``bad-choice``) for a recorded value other than 'zh' or 'en'."""
    from analysis_utils.labels import check_lang

    params = ((nb.get("metadata") or {}).get("papermill") or {}).get("parameters") or {}
    return check_lang(params.get("lang", "zh"))


@functools.lru_cache(maxsize=4)
def _exporter(reader: bool, lang: str = "zh"):
    from jinja2 import DictLoader
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    from analysis_utils.labels import LANGS

    # Built once per process and language: loading the template is most of nbconvert's per-call cost.
    # The page keeps the cells of ``lang`` and drops those tagged with any other language: the exporter's own
    # TagRemovePreprocessor (one of its default preprocessors), configured as nbconvert documents it.
    config = Config()
    config.TagRemovePreprocessor.enabled = True
    config.TagRemovePreprocessor.remove_cell_tags = {LANG_TAG.format(other) for other in LANGS if other != lang}
    return HTMLExporter(
        config=config, template_name="lab", template_file="wuchang_offline.html.j2",
        extra_loaders=[DictLoader({"wuchang_offline.html.j2": _OFFLINE_TEMPLATE})],
        embed_images=True, mathjax_url="", require_js_url="", language_code=lang,  # <html lang="…">
        exclude_input=reader, exclude_input_prompt=reader, exclude_output_prompt=reader)


def warm_up(lang: str = "zh") -> None:
    """Import nbconvert and compile both templates for ``lang`` now (a worker does it while its kernel boots).
    Raises ParameterError for a ``lang`` other than 'zh' or 'en'."""
    import nbformat

    from analysis_utils.labels import check_lang

    for reader in (False, True):
        _exporter(reader, check_lang(lang)).from_notebook_node(nbformat.v4.new_notebook())


def page_names(name: str) -> tuple[str, str]:
    """File names of the full and the reader's page of a notebook."""
    return f"{name}.html", f"{name}.reader.html"


def render_notebook(executed: str | os.PathLike, site_dir: str | os.PathLike, name: str,
                    provenance: dict, source_dir: str | os.PathLike | None = None) -> list[Path]:
    """Write the full and the reader's HTML page of one executed notebook, each in the run's language only
    (:func:`notebook_lang`): markdown cells tagged with the other language (``lang-zh``/``lang-en``) are left out.
    Raises ParameterError when the executed notebook records a ``lang`` other than 'zh' or 'en'."""
    import nbformat

    from analysis_utils.report.writers import write_text

    nb = nbformat.read(str(executed), as_version=4)
    lang = notebook_lang(nb)
    # metadata.path lets embed_images find markdown images next to the source notebook.
    resources = {"metadata": {"name": name, "path": str(source_dir or Path(executed).parent)}}
    written = []
    for page, reader in zip(page_names(name), (False, True)):
        body, _ = _exporter(reader, lang).from_notebook_node(nb, resources=dict(resources))
        written.append(write_text(Path(site_dir) / page, finish_page(body, provenance)))
    return written


# ---------------------------------------------------------------------------- index
def _href(target: Path, site_dir: Path) -> str:
    return quote(Path(os.path.relpath(target, site_dir)).as_posix())


def _files(folder: Path, suffixes: tuple[str, ...]) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob("*") if p.suffix.lower() in suffixes and not p.name.startswith("."))


def claims_summary(output_dirs: list[Path]) -> tuple[Counter, dict[str, Counter], int | None] | None:
    """Counts per verdict, per basis × verdict, and the number of plain facts set apart, from the first
    claims_audit.csv found (anywhere under the output folders, e.g. outputs/04_claims_audit/tables/) and the
    not_checkable.csv beside it (None when absent). claims_audit.csv holds claims only: plain facts are never
    counted among the verdicts. A file without a basis column (an older build) counts under basis ''."""
    for folder in output_dirs:
        for path in sorted(folder.rglob(CLAIMS_FILE)) if folder.is_dir() else []:
            with path.open(encoding="utf-8-sig", newline="") as fh:
                rows = list(csv.DictReader(fh))
            verdicts = Counter(r.get("verdict", "") for r in rows)
            bases: dict[str, Counter] = {}
            for r in rows:
                bases.setdefault(r.get("basis", ""), Counter())[r.get("verdict", "")] += 1
            facts_path = path.with_name(FACTS_FILE)
            facts = None
            if facts_path.is_file():
                with facts_path.open(encoding="utf-8-sig", newline="") as fh:
                    facts = len(list(csv.DictReader(fh)))
            return verdicts, bases, facts
    return None


def claims_html(summary) -> str:
    """The claims-audit block of index.html from claims_summary's counts (a note when there is no audit)."""
    if summary is None:
        return "<p>No claims_audit.csv in this build.</p>"
    verdicts, bases, facts = summary
    known = ["reproduced", "consistent", "implied", "unverifiable", "inconsistent"]  # claims.VERDICTS' order
    names = [v for v in known if v in verdicts] + sorted(set(verdicts) - set(known))
    head = "".join(f"<th>{html.escape(v)}</th>" for v in names)
    total = "".join(f"<td>{verdicts[v]}</td>" for v in names)
    rows = "".join(f"<tr><td>{html.escape(b)}</td>" + "".join(f"<td>{c[v]}</td>" for v in names) + "</tr>"
                   for b, c in bases.items())  # in the audit's own order
    apart = ("" if facts is None else
             f"<p>{facts} plain facts (dates, single numbers) are not claims: listed as not checkable, not counted. "
             f"单纯事实{facts}个，不计入判定。</p>")
    return (f"<table><tr><th>basis 依据</th>{head}</tr>{rows}"
            f"<tr><th>all claims 合计 ({sum(verdicts.values())})</th>{total}</tr></table>{apart}")


def publish(source: Path, site_dir: Path, folder: str) -> str:
    """Copy ``source`` into ``site_dir/folder/`` (again only when size or time changed) and return its link
    relative to the site, so that the site folder holds everything it links to and can be served alone."""
    folder = folder.strip("./")
    target = site_dir / folder / source.name if folder else site_dir / source.name
    if not target.exists() or target.stat().st_size != source.stat().st_size or \
            target.stat().st_mtime < source.stat().st_mtime:
        from analysis_utils.report.writers import atomic_path

        with atomic_path(target) as tmp:
            shutil.copyfile(source, tmp)
    return quote(f"{folder}/{source.name}" if folder else source.name)


def _notebook_row(e: dict, site_dir: Path) -> str:
    from analysis_utils.report.provenance import reader_parameters

    full, reader = page_names(e["name"])
    links = [f'<a href="{quote(reader)}">reader</a>', f'<a href="{quote(full)}">full</a>']
    links = links if (site_dir / full).exists() else []
    if Path(e["executed"]).exists():
        links.append(f'<a href="{publish(Path(e["executed"]), site_dir, "notebooks")}">ipynb</a>')
    status = html.escape(e["status"])
    params = "; ".join(f"{k} = {v}" for k, v in reader_parameters(e.get("params", {})).items())
    seconds = f'{e["seconds"]:.1f}s' if e.get("seconds") is not None else ""
    row = (f'<tr><td>{html.escape(e["name"])}</td><td class="status-{status.split()[0]}">{status}</td>'
           f'<td>{seconds}</td><td class="pages">{" · ".join(links)}</td><td><small>{html.escape(params)}</small></td></tr>')
    if e.get("error"):
        row += f'<tr><td></td><td colspan="4" class="status-failed"><small>{html.escape(e["error"])}</small></td></tr>'
    return row + stale_note(e)


def stale_note(entry: dict) -> str:
    """A row under a notebook whose files are not this run's result: why (``entry["stale"]``), or ""."""
    if not entry.get("stale"):
        return ""
    return (f'<tr><td></td><td colspan="4" class="status-stale"><small>stale 过期: '
            f'{html.escape(entry["stale"])}</small></td></tr>')


def _outputs_html(entries: list[dict], site_dir: Path) -> tuple[str, str]:
    """Lists of the tables and figures of every notebook, each copied into site/outputs/<notebook>/… (publish)."""
    tables, figures = [], []
    for e in entries:
        out = Path(e["outputs"])
        for t in _files(out, TABLE_SUFFIXES):
            rel = t.relative_to(out).parent.as_posix()
            href, label = publish(t, site_dir, f'outputs/{e["name"]}/{rel}'), html.escape(f'{e["name"]}/{t.name}')
            tables.append(f'<li><a href="{href}">{label}</a></li>')
        for f in _files(out, FIGURE_SUFFIXES):
            rel = f.relative_to(out).parent.as_posix()
            href, label = publish(f, site_dir, f'outputs/{e["name"]}/{rel}'), html.escape(f'{e["name"]}/{f.name}')
            figures.append(f'<figure><a href="{href}"><img src="{href}" alt="{label}"></a>'
                           f"<figcaption>{label}</figcaption></figure>")
    return ("<ul>" + "".join(tables) + "</ul>" if tables else "<p>No tables.</p>",
            "".join(figures) or "<p>No figures.</p>")


def build_index(site_dir: str | os.PathLike, entries: list[dict], provenance: dict,
                title: str | None = None, workbook: str | os.PathLike | None = None) -> Path:
    """Write index.html: notebook pages, tables, figures, claims-audit summary, parameters, provenance.

    Each entry: name, status, seconds, params, error (str or None), executed (.ipynb path),
    outputs (the notebook's output folder). ``workbook``: the build's combined tables.xlsx, if any.
    Every file the page links to is copied into ``site_dir`` (outputs/, notebooks/, the workbook), so the
    folder is self-contained. ``title`` defaults to the catalogue's ``site.title`` in the build's ``lang``
    parameter (zh when none is given).
    """
    from analysis_utils.errors import ParameterError
    from analysis_utils.labels import check_lang, text
    from analysis_utils.report.provenance import reader_parameters

    site_dir = Path(site_dir)
    try:
        lang = check_lang((provenance.get("parameters") or {}).get("lang", "zh"))
    except ParameterError:  # the pipeline has checked it; an index is still written
        lang = "zh"
    title = title or text("site.title", lang)
    book = publish(Path(workbook), site_dir, "") if workbook and Path(workbook).exists() else None
    index, stamp = site_dir / "index.html", _stamp(entries, provenance, book)
    if index.exists() and stamp in index.read_text(encoding="utf-8")[:2000]:
        return index  # same inputs as the page on disk: keep it (and keep a no-change run cheap)
    from analysis_utils.report.writers import write_text

    ensure_assets(site_dir)
    rows = "".join(_notebook_row(e, site_dir) for e in entries)
    tables, figures = _outputs_html(entries, site_dir)
    if book:
        tables = (f'<p><a href="{book}">{html.escape(Path(workbook).name)}</a>: '
                  f"{html.escape(text('site.workbook', lang))}</p>{tables}")
    claims = claims_html(claims_summary([Path(e["outputs"]) for e in entries]))
    given = reader_parameters(provenance.get("parameters") or {})
    params = ("<table>" + "".join(f"<tr><td><code>{html.escape(k)}</code></td><td>{html.escape(v)}</td></tr>"
                                  for k, v in given.items()) + "</table>") if given else \
        f"<p>{html.escape(text('site.defaults', lang))}</p>"
    esc = lambda key: html.escape(str(provenance.get(key, "")))  # noqa: E731
    page = f"""<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<meta name="inputs-sha256" content="{stamp}">
</head><body><main class="site-index">
<h1>{html.escape(title)}</h1>
<p>Run {esc("time")} · analysis_utils {esc("version")} · data sha256 <code>{esc("data_checksum")}</code></p>
<h2>{html.escape(text("site.notebooks", lang))}</h2>
<table><tr><th>notebook</th><th>status</th><th>time</th><th>pages</th><th>parameters</th></tr>{rows}</table>
<h2>{html.escape(text("site.claims", lang))}</h2>{claims}
<h2>{html.escape(text("site.parameters", lang))}</h2>{params}
<h2>{html.escape(text("site.tables", lang))}</h2>{tables}
<h2>{html.escape(text("site.figures", lang))}</h2>{figures}
</main></body></html>
"""
    return write_text(index, finish_page(page, provenance, index_link=False))


def _stamp(entries: list[dict], provenance: dict, workbook: str | None = None) -> str:
    """Hash of everything the index shows except the time it was written."""
    shown = [entries, workbook, {k: v for k, v in provenance.items() if k != "time"}]
    return hashlib.sha256(json.dumps(shown, sort_keys=True, ensure_ascii=False, default=str).encode()).hexdigest()
