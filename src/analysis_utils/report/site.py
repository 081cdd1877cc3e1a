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


def footer_html(provenance: dict, index_link: bool = True, lang: str = "zh") -> str:
    """The provenance footer shared by every page, labels in ``lang``: readable parameters (no machine paths;
    entities by name, parameters_html), data sha256, package version, time, git commit (and uncommitted
    changes), Python, lock file sha256 (report.provenance.full). Raises ParameterError for a bad ``lang``."""
    from analysis_utils.labels import text
    from analysis_utils.report.provenance import full

    rows = full(provenance, lang)
    cells = [f"<tr><td>{html.escape(rows[0][0])}</td>"
             f"<td>{parameters_html(provenance.get('parameters') or {}, lang)}</td></tr>"]
    cells += [f"<tr><td>{html.escape(k)}</td><td><code>{html.escape(v)}</code></td></tr>" for k, v in rows[1:]]
    link = f'<a href="index.html">{html.escape(text("site.index_link", lang))}</a>' if index_link else ""
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


def finish_page(page: str, provenance: dict, index_link: bool = True, lang: str | None = None) -> str:
    """Remove remote resources, put tables in scrolling boxes, add the font CSS to <head> and the footer
    before </body> (``index_link`` False on the index itself: a page does not link to itself); the footer in
    ``lang`` (default: page_lang of the provenance). Raises ParameterError for a bad ``lang``."""
    from analysis_utils.labels import check_lang

    lang = check_lang(lang) if lang is not None else page_lang(provenance)
    page = scroll_tables(_EXTERNAL.sub("", page))
    head, sep, rest = page.partition("</head>")
    page = head + _CSS + sep + rest if sep else _CSS + page
    body, sep, tail = page.rpartition("</body>")
    footer = footer_html(provenance, index_link, lang)
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
        written.append(write_text(Path(site_dir) / page, finish_page(body, provenance, lang=lang)))
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
    counted among the verdicts. A file without a basis column (an older build) counts under basis ''.
    Headers are read in either language (report.columns.machine_names), so zh and en builds count alike."""
    from analysis_utils.report.columns import machine_names

    for folder in output_dirs:
        for path in sorted(folder.rglob(CLAIMS_FILE)) if folder.is_dir() else []:
            with path.open(encoding="utf-8-sig", newline="") as fh:
                reader = csv.reader(fh)
                # verdict and basis are the table's own columns: no family lookup (the cache-hit path stays light)
                header = machine_names(next(reader, []), "claims_audit", families=False)
                rows = [dict(zip(header, r)) for r in reader]
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


def claims_html(summary, lang: str = "zh") -> str:
    """The claims-audit block of index.html in ``lang`` from claims_summary's counts: verdicts and bases by
    their catalogue labels (a note when there is no audit). Raises ParameterError for a bad ``lang``."""
    from analysis_utils.audit.words import basis_label
    from analysis_utils.labels import check_lang, text

    check_lang(lang)
    if summary is None:
        return f"<p>{html.escape(text('site.no_audit', lang))}</p>"
    verdicts, bases, facts = summary
    known = ["reproduced", "consistent", "implied", "unverifiable", "inconsistent"]  # claims.VERDICTS' order
    names = [v for v in known if v in verdicts] + sorted(set(verdicts) - set(known))

    def verdict(v: str) -> str:
        return text(f"verdict.{v}", lang) if v in known else v
    head = "".join(f"<th>{html.escape(verdict(v))}</th>" for v in names)
    total = "".join(f"<td>{verdicts[v]}</td>" for v in names)
    rows = "".join(f"<tr><td>{html.escape(basis_label(b, lang) if b else '')}</td>"
                   + "".join(f"<td>{c[v]}</td>" for v in names) + "</tr>"
                   for b, c in bases.items())  # in the audit's own order
    apart = "" if facts is None else f"<p>{html.escape(text('site.facts', lang, n=facts))}</p>"
    all_claims = html.escape(text("site.all_claims", lang, n=sum(verdicts.values())))
    return (f"<table><tr><th>{html.escape(text('column.basis', lang))}</th>{head}</tr>{rows}"
            f"<tr><th>{all_claims}</th>{total}</tr></table>{apart}")


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


STATUSES = ("ok", "stale", "failed", "not_run")  # an index row's status (run.pipeline._entries), catalogue site.status_*


def notebook_title(name: str, lang: str = "zh") -> str:
    """A notebook's title in ``lang`` (catalogue ``site.notebook_<name>``), its file name for a notebook the
    catalogue does not know (a user's own)."""
    from analysis_utils.labels import catalogue, check_lang, text

    check_lang(lang)
    return text(f"site.notebook_{name}", lang) if f"site.notebook_{name}" in catalogue() else name


def _notebook_row(e: dict, site_dir: Path, lang: str = "zh", per_row: bool = False) -> str:
    from analysis_utils.labels import text

    full, reader = page_names(e["name"])
    links = [f'<a href="{quote(reader)}">{html.escape(text("site.link_reader", lang))}</a>',
             f'<a href="{quote(full)}">{html.escape(text("site.link_full", lang))}</a>']
    links = links if (site_dir / full).exists() else []
    if Path(e["executed"]).exists():
        links.append(f'<a href="{publish(Path(e["executed"]), site_dir, "notebooks")}">'
                     f'{html.escape(text("site.link_notebook", lang))}</a>')
    code = e["status"].replace(" ", "_")
    status = html.escape(text(f"site.status_{code}", lang) if code in STATUSES else e["status"])
    params = parameters_html(e.get("params", {}), lang, empty="")
    if per_row and e.get("data_checksum"):
        params += (f'<br>{html.escape(text("provenance.data", lang))} <code>{html.escape(str(e["data_checksum"]))}'
                   f'</code> · {html.escape(text("provenance.version", lang))} {html.escape(str(e.get("version") or "-"))}')
    seconds = text("site.seconds", lang, seconds=f"{e['seconds']:.1f}") if e.get("seconds") is not None else ""
    title = notebook_title(e["name"], lang)
    name = html.escape(title) + (f' <small><code>{html.escape(e["name"])}</code></small>' if title != e["name"] else "")
    row = (f'<tr><td>{name}</td><td class="status-{html.escape(e["status"].split()[0])}">{status}</td>'
           f'<td>{seconds}</td><td class="pages">{" · ".join(links)}</td><td><small>{params}</small></td></tr>')
    if e.get("error"):
        row += f'<tr><td></td><td colspan="4" class="status-failed"><small>{html.escape(e["error"])}</small></td></tr>'
    return row + stale_note(e, lang)


def stale_note(entry: dict, lang: str = "zh") -> str:
    """A row under a notebook whose files are not this run's result: why (``entry["stale"]``), or ""."""
    from analysis_utils.labels import check_lang, text

    check_lang(lang)
    if not entry.get("stale"):
        return ""
    return (f'<tr><td></td><td colspan="4" class="status-stale"><small>'
            f'{html.escape(text("site.stale", lang, reason=entry["stale"]))}</small></td></tr>')


def natural_key(path: Path) -> list:
    """Sort key reading the digits of a path as numbers: fig9 before fig10, 02_gaps/… before 10_…/…."""
    return [(0, int(part), "") if part.isdigit() else (1, 0, part)
            for part in re.split(r"(\d+)", Path(path).as_posix()) if part]


def figure_titles(folder: Path) -> dict[str, str]:
    """{figure file name: title} from the manifest RunOutputs.finish writes beside the figures
    (report.writers.FIGURES_MANIFEST); {} when there is none or it cannot be read."""
    from analysis_utils.report.writers import FIGURES_MANIFEST

    try:
        found = json.loads((Path(folder) / FIGURES_MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in found.items()} if isinstance(found, dict) else {}


def _outputs_html(entries: list[dict], site_dir: Path, lang: str = "zh") -> tuple[str, str]:
    """Lists of the tables and figures of every notebook, each copied into site/outputs/<notebook>/… (publish)."""
    from analysis_utils.labels import text

    tables, figures = [], []
    for e in entries:
        out = Path(e["outputs"])
        for t in _files(out, TABLE_SUFFIXES):
            rel = t.relative_to(out).parent.as_posix()
            href, label = publish(t, site_dir, f'outputs/{e["name"]}/{rel}'), html.escape(f'{e["name"]}/{t.name}')
            tables.append(f'<li><a href="{href}">{label}</a></li>')
        for f in sorted(_files(out, FIGURE_SUFFIXES), key=natural_key):
            rel = f.relative_to(out).parent.as_posix()
            href, label = publish(f, site_dir, f'outputs/{e["name"]}/{rel}'), html.escape(f'{e["name"]}/{f.name}')
            alt = html.escape(figure_titles(f.parent).get(f.name) or
                              text("site.figure_of", lang, notebook=notebook_title(e["name"], lang)), quote=True)
            figures.append(f'<figure><a href="{href}"><img src="{href}" alt="{alt}"></a>'
                           f"<figcaption>{label}</figcaption></figure>")
    return ("<ul>" + "".join(tables) + "</ul>" if tables else f"<p>{html.escape(text('site.no_tables', lang))}</p>",
            "".join(figures) or f"<p>{html.escape(text('site.no_figures', lang))}</p>")


def build_index(site_dir: str | os.PathLike, entries: list[dict], provenance: dict,
                title: str | None = None, workbook: str | os.PathLike | None = None) -> Path:
    """Write index.html: notebook pages, tables, figures, claims-audit summary, parameters, provenance.

    Each entry: name, status, seconds, params, error (str or None), executed (.ipynb path),
    outputs (the notebook's output folder). ``workbook``: the build's combined tables.xlsx, if any.
    Every file the page links to is copied into ``site_dir`` (outputs/, notebooks/, the workbook), so the
    folder is self-contained. ``title`` defaults to the catalogue's ``site.title`` in the build's ``lang``
    parameter (zh when none is given).
    """
    from analysis_utils.labels import text

    site_dir = Path(site_dir)
    lang = index_lang(provenance)
    title = title or text("site.title", lang)
    book = publish(Path(workbook), site_dir, "") if workbook and Path(workbook).exists() else None
    index, stamp = site_dir / "index.html", _stamp(entries, provenance, book)
    if index.exists() and stamp in index.read_text(encoding="utf-8")[:2000]:
        return index  # same inputs as the page on disk: keep it (and keep a no-change run cheap)
    from analysis_utils.report.writers import write_text

    ensure_assets(site_dir)
    shown = shown_runs(entries, provenance)
    rows = "".join(_notebook_row(e, site_dir, lang, per_row=len(shown) > 1) for e in entries)
    if len(shown) == 1:
        data, version = shown[0]
        data_line = f' · {html.escape(text("provenance.data", lang))} <code>{html.escape(data)}</code>'
    else:
        version = "-"
        data_line = f' · {html.escape(text("site.data_per_row", lang))}'

    tables, figures = _outputs_html(entries, site_dir, lang)
    if book:
        tables = (f'<p><a href="{book}">{html.escape(Path(workbook).name)}</a>: '
                  f"{html.escape(text('site.workbook', lang))}</p>{tables}")
    claims = claims_html(claims_summary([Path(e["outputs"]) for e in entries]), lang)
    given = provenance.get("parameters") or {}
    params = f"<p>{parameters_html(given, lang)}</p>" if given else f"<p>{html.escape(text('site.defaults', lang))}</p>"
    headings = "".join(f"<th>{html.escape(text(key, lang))}</th>" for key in
                       ("site.col_notebook", "site.col_status", "site.col_time", "site.col_pages", "site.col_parameters"))
    page = f"""<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<meta name="inputs-sha256" content="{stamp}">
</head><body><main class="site-index">
<h1>{html.escape(title)}</h1>
<p>{html.escape(text("site.run", lang, time=provenance.get("time", ""), version=version))}{data_line}</p>
<h2>{html.escape(text("site.notebooks", lang))}</h2>
<table><tr>{headings}</tr>{rows}</table>
<h2>{html.escape(text("site.claims", lang))}</h2>{claims}
<h2>{html.escape(text("site.parameters", lang))}</h2>{params}
<h2>{html.escape(text("site.tables", lang))}</h2>{tables}
<h2>{html.escape(text("site.figures", lang))}</h2>{figures}
</main></body></html>
"""
    return write_text(index, finish_page(page, provenance, index_link=False, lang=lang))


def shown_runs(entries: list[dict], provenance: dict) -> list[tuple[str, str]]:
    """The distinct (data sha256, package version) of the runs whose outputs the index shows, in row order:
    each row's own (``data_checksum``, ``version``: the cache record of the run that wrote its files), this
    run's (``provenance``) for a row without them. One pair: the index's header names it; several: each row
    names its own."""
    out = []
    for e in entries:
        if e.get("status") == "not run":
            continue
        pair = (str(e.get("data_checksum") or provenance.get("data_checksum", "")),
                str(e.get("version") or provenance.get("version", "")))
        if pair not in out:
            out.append(pair)
    return out or [(str(provenance.get("data_checksum", "")), str(provenance.get("version", "")))]


def _stamp(entries: list[dict], provenance: dict, workbook: str | None = None) -> str:
    """Hash of everything the index shows except the time it was written."""
    shown = [entries, workbook, {k: v for k, v in provenance.items() if k != "time"}]
    return hashlib.sha256(json.dumps(shown, sort_keys=True, ensure_ascii=False, default=str).encode()).hexdigest()
