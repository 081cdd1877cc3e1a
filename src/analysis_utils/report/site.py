"""The static site: every executed notebook as HTML (full and reader's version) plus ``index.html``.

Every page carries the same provenance footer (parameters, data checksum, package version, time)
and opens from disk with no network:

* images are embedded (nbconvert ``embed_images=True``; code outputs are data: URIs already);
* nbconvert's lab template loads require.js, MathJax, mermaid and the widget manager from CDNs —
  a three-line child template empties those blocks, and ``_strip_external`` removes any remote
  ``<script src>``/``<link href>`` left over (defence in depth, e.g. after an nbconvert upgrade);
* Chinese text is drawn with Noto Sans CJK SC from the PyPI package ``mplfonts`` (report.fonts), copied once
  into ``site/assets/`` and declared with ``@font-face`` by relative path in every page.

Pages: ``site/NN_name/NN_name.html`` (code and outputs), ``site/NN_name/NN_name.reader.html`` (outputs only),
``site/index.html``. A page reads in one language: the notebooks' markdown comes in pairs of cells tagged
``lang-zh`` and ``lang-en``, and nbconvert's ``TagRemovePreprocessor`` drops the cells of the language the run
was not made in (its ``lang`` parameter, as papermill recorded it in the executed notebook). Every link is relative and stays inside
``site/`` (a notebook's pages, tables, figures and executed notebook live in ``site/NN_name/``, run.build), so the
site folder can be moved, served or zipped alone.
"""
from __future__ import annotations

import functools
import html
import os
import re
from pathlib import Path

from analysis_utils.report.fonts import (  # noqa: F401  (ensure_assets, font_source: used through site)
    _MONO, _SANS, ASSETS_DIR, FONT_FAMILY, FONT_FILE, ensure_assets, font_css, font_source)

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

_CSS = """<style>
§FONT§body { font-family: §SANS§; }
pre, code { font-family: §MONO§; }
footer.provenance { margin: 2em 1em 1em; padding-top: .5em; border-top: 1px solid #ccc; font-size: 85%; color: #444; }
footer.provenance td { padding: 0 .8em 0 0; vertical-align: top; }
.site-index { max-width: 60em; margin: 1em auto; padding: 0 1em; }
.site-index table { border-collapse: collapse; }
.site-index th, .site-index td { border-bottom: 1px solid #ddd; padding: .2em .6em; text-align: left; }
.site-index figure { display: inline-block; margin: .5em; }
.site-index img { max-width: 320px; border: 1px solid #eee; }
.status-failed { color: #b00; font-weight: bold; }
.site-index td.pages { white-space: nowrap; }
.site-index figure { width: 320px; vertical-align: top; }
.site-index figure img { width: 320px; height: 200px; object-fit: contain; background: #fff; }
.site-index figcaption { font-size: 80%; overflow-wrap: anywhere; }
/* wide tables scroll inside their own box, under a caption that stays in view */
.table-scroll { max-width: 100%; overflow-x: auto; margin-bottom: 1em; }
.table-caption { font-weight: bold; margin: .8em 0 .3em; text-align: left; }
.jp-RenderedHTMLCommon td, .jp-RenderedHTMLCommon th { max-width: 28em; }
/* text left, numbers right (show_table marks the columns); never right-aligned Chinese by default */
.jp-RenderedHTMLCommon td, .jp-RenderedHTMLCommon th { text-align: left; }
.jp-RenderedHTMLCommon td.num, .jp-RenderedHTMLCommon th.num { text-align: right; }
/* a cell whose input is hidden and that printed nothing leaves no gap */
.jp-Cell.jp-CodeCell:not(:has(.jp-OutputArea-output)) { display: none; }
.jp-Cell.jp-CodeCell:has(.jp-Cell-inputWrapper.jp-mod-hidden):not(:has(.jp-OutputArea-output)) { display: none; }
.jp-OutputArea-output:empty { display: none; }
.status-stale { color: #a60; font-weight: bold; }
</style>
"""


def css(root: str = "") -> str:
    """The pages' style sheet, the font served from ``root`` + ``assets/`` (``../`` for a notebook's page)."""
    return _CSS.replace("§FONT§", font_css(f"{root}{ASSETS_DIR}/{FONT_FILE}")).replace("§SANS§", _SANS).replace(
        "§MONO§", _MONO)



# ---------------------------------------------------------------------------- page frame
def parameters_html(parameters: dict, lang: str = "zh", empty: str = "-") -> str:
    """The run's parameters for a page in ``lang`` (report.provenance.parameter_items): each as its label and
    name in code, then its values, an entity by its name in ``lang`` and the id to type in code
    ('Focus district (<code>focus</code>): Nanshan District (<code>南山区</code>)'); ``empty`` when there is none."""
    from analysis_utils.report.provenance import parameter_items

    def value(shown: str, typed: str) -> str:
        code = f"<code>{html.escape(typed)}</code>"
        return f"{html.escape(shown)} ({code})" if shown else code
    items = [f"{html.escape(label)} (<code>{html.escape(key)}</code>): " + ", ".join(value(*v) for v in values)
             for key, label, values in parameter_items(parameters, lang)]
    return "; ".join(items) or html.escape(empty)


def footer_html(provenance: dict, index_link: bool = True, lang: str = "zh", root: str = "") -> str:
    """The provenance footer shared by every page, labels in ``lang``: readable parameters (no machine paths;
    entities by name, parameters_html), data sha256, package version, time, git commit (and uncommitted
    changes), Python, lock file sha256 (report.provenance.full). Raises ParameterError for a bad ``lang``."""
    from analysis_utils.labels import text
    from analysis_utils.report.provenance import full

    rows = full(provenance, lang)
    cells = [f"<tr><td>{html.escape(rows[0][0])}</td>"
             f"<td>{parameters_html(provenance.get('parameters') or {}, lang)}</td></tr>"]
    cells += [f"<tr><td>{html.escape(k)}</td><td><code>{html.escape(v)}</code></td></tr>" for k, v in rows[1:]]
    link = f'<a href="{root}index.html">{html.escape(text("site.index_link", lang))}</a>' if index_link else ""
    return f'<footer class="provenance">{link}<table>{"".join(cells)}</table></footer>\n'


_TABLE = re.compile(r"(<table\b[^>]*>)\s*(?:<caption\b[^>]*>(.*?)</caption>)?(.*?</table>)", re.S)


def scroll_tables(body: str) -> str:
    """Every table in its own horizontally scrolling box, its caption moved above the box so it stays in view."""
    def wrap(m):
        caption = f'<p class="table-caption">{m[2]}</p>' if m[2] else ""
        return f'{caption}<div class="table-scroll">{m[1]}{m[3]}</div>'
    return _TABLE.sub(wrap, body)


def page_lang(provenance: dict) -> str:
    """The build's language: its ``lang`` parameter, 'zh' when none was given. Raises ParameterError for another."""
    from analysis_utils.labels import check_lang

    return check_lang((provenance.get("parameters") or {}).get("lang", "zh"))


def index_lang(provenance: dict) -> str:
    """The language of a build's index and combined workbook: page_lang of this run's provenance, 'zh' for a
    value page_lang refuses (the pipeline has reported it; the index is still written)."""
    from analysis_utils.errors import ParameterError

    try:
        return page_lang(provenance)
    except ParameterError:
        return "zh"


def finish_page(page: str, provenance: dict, index_link: bool = True, lang: str | None = None,
                root: str = "") -> str:
    """Remove remote resources, put tables in scrolling boxes, add the font CSS to <head> and the footer
    before </body> (``index_link`` False on the index itself: a page does not link to itself); the footer in
    ``lang`` (default: page_lang of the provenance); ``root``: the way from the page to the site's top folder
    (``../`` for a notebook's page in its own folder). Raises ParameterError for a bad ``lang``."""
    from analysis_utils.labels import check_lang

    lang = check_lang(lang) if lang is not None else page_lang(provenance)
    page = scroll_tables(_EXTERNAL.sub("", page))
    head, sep, rest = page.partition("</head>")
    page = head + css(root) + sep + rest if sep else css(root) + page
    body, sep, tail = page.rpartition("</body>")
    footer = footer_html(provenance, index_link, lang, root)
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


def page_names(name: str) -> tuple[str, str]:
    """File names of the full and the reader's page of a notebook."""
    return f"{name}.html", f"{name}.reader.html"


_IMG = re.compile(r'<img\b[^>]*>')
_DEFAULT_ALT = "No description has been provided for this image"  # what nbconvert's HTMLExporter writes


def image_alts(nb) -> dict[str, str]:
    """Alt text of each image output of a notebook, keyed by its base64 data: ``metadata[mime]['alt']`` as
    report.writers.RunOutputs.figure records it."""
    alts = {}
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            for mime, data in (output.get("data") or {}).items():
                alt = ((output.get("metadata") or {}).get(mime) or {}).get("alt")
                if mime.startswith("image/") and alt and isinstance(data, str):
                    alts[data.replace("\n", "")] = str(alt)
    return alts


def add_alt_texts(body: str, alts: dict[str, str], lang: str = "zh") -> str:
    """Give every ``<img>`` of a rendered page an alt text in ``lang``: the one recorded for its data
    (image_alts), else the catalogue's ``site.figure_alt`` in place of nbconvert's English default; an alt text
    the page already has (markdown images) is kept."""
    from analysis_utils.labels import text

    fallback = text("site.figure_alt", lang)

    def fix(m) -> str:
        tag = m[0]
        src = re.search(r'\bsrc="data:[^;"]*;base64,([^"]*)"', tag)
        alt = alts.get(src[1].replace("\n", "")) if src else None
        has = re.search(r'\balt="([^"]*)"', tag)
        if has and has[1] not in ("", _DEFAULT_ALT) and alt is None:
            return tag
        value = html.escape(alt or fallback, quote=True)
        if has:
            return tag[:has.start()] + f'alt="{value}"' + tag[has.end():]
        return tag[:4] + f' alt="{value}"' + tag[4:]
    return _IMG.sub(fix, body)


def render_notebook(executed: str | os.PathLike, site_dir: str | os.PathLike, name: str,
                    provenance: dict, source_dir: str | os.PathLike | None = None) -> list[Path]:
    """Write the full and the reader's HTML page of one executed notebook, each in the run's language only
    (:func:`notebook_lang`): markdown cells tagged with the other language (``lang-zh``/``lang-en``) are left out,
    every image has an alt text in that language (:func:`add_alt_texts`), the footer is in that language, and
    the ``<title>`` is the notebook's title in that language (:func:`notebook_title`).
    Raises ParameterError when the executed notebook records a ``lang`` other than 'zh' or 'en'."""
    import nbformat

    from analysis_utils.report.writers import write_text

    nb = nbformat.read(str(executed), as_version=4)
    lang = notebook_lang(nb)
    alts = image_alts(nb)
    # metadata.path lets embed_images find markdown images next to the source notebook.
    # metadata.name is the page's <title> in nbconvert's templates: the notebook's title in the page's language.
    resources = {"metadata": {"name": notebook_title(name, lang), "path": str(source_dir or Path(executed).parent)}}
    written = []
    for page, reader in zip(page_names(name), (False, True)):
        body, _ = _exporter(reader, lang).from_notebook_node(nb, resources=dict(resources))
        body = add_alt_texts(body, alts, lang)
        written.append(write_text(Path(site_dir) / page, finish_page(body, provenance, lang=lang, root="../")))
    return written


# ---------------------------------------------------------------------------- index
def notebook_title(name: str, lang: str = "zh") -> str:
    """A notebook's title in ``lang`` (catalogue ``site.notebook_<name>``), its file name for a notebook the
    catalogue does not know (a user's own)."""
    from analysis_utils.labels import catalogue, check_lang, text

    check_lang(lang)
    return text(f"site.notebook_{name}", lang) if f"site.notebook_{name}" in catalogue() else name
