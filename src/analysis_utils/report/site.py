"""A notebook's pages, and what every page of the site shares: templates, language, provenance footer, failures.

One nbconvert export with ``templates/notebook_page`` (extending nbconvert's ``lab``) writes a notebook's full page
(``site/NN_name/NN_name.html``) and the reader's (``….reader.html``: the same cells without their code) in the run's
language: nbconvert's TagRemovePreprocessor drops the cells tagged for the other, papermill's banners and parameters.
"""
from __future__ import annotations

import functools
import os
from pathlib import Path

from analysis_utils.errors import short_paths
from analysis_utils.labels import LANGS, build_lang, catalogue, check_lang, text
from analysis_utils.report.fonts import ASSETS_DIR, FONT_FILE, font_css
from analysis_utils.report.provenance import full, parameter_items
from analysis_utils.report.writers import write_text

TEMPLATES = Path(__file__).with_name("templates")
PAGES = ("{}.html", "{}.reader.html")  # a notebook's full page and the reader's: PAGES[i].format(name)


@functools.cache
def templates():
    """The jinja2 environment of the index and a batch's page: ``templates/``, autoescaped."""
    from jinja2 import Environment, PackageLoader

    return Environment(loader=PackageLoader("analysis_utils.report", "templates"), autoescape=True)


def page_values(provenance: dict, lang: str = "zh", root: str = "", index_link: bool = True) -> dict:
    """What every page's frame shows (templates/page.html.j2): ``t`` (labels.text in ``lang``), the font CSS (under
    ``root``, the way to the site's top folder), the footer's provenance and a link to the index (``index_link``)."""
    check_lang(lang)
    return {"lang": lang, "root": root, "index_link": index_link, "t": functools.partial(text, lang=lang),
            "font_css": font_css(f"{root}{ASSETS_DIR}/{FONT_FILE}"), "rows": full(provenance, lang)[1:],
            "params": parameter_items(provenance.get("parameters") or {}, lang)}


def notebook_title(name: str, lang: str = "zh") -> str:
    """A notebook's title in ``lang`` (catalogue ``site.notebook_<name>``); its name for a notebook of a user's own."""
    check_lang(lang)
    return text(f"site.notebook_{name}", lang) if f"site.notebook_{name}" in catalogue() else name


def failure_text(failure: dict, lang: str = "zh") -> str:
    """What failed, one line in ``lang``, from a NotebookRunError's fields (``vars(error)``): the notebook, the cell
    (index in the source notebook, In [n]), the error's class and its message's first line, paths shortened."""
    check_lang(lang)
    message = (str(failure.get("evalue") or "").strip().splitlines() or [""])[0]
    error, cell = short_paths(f"{failure.get('ename')}: {message}".removesuffix(": ")), failure.get("cell_index")
    count = f" (In [{failure['exec_count']}])" if failure.get("exec_count") is not None else ""
    return text("site.failed" if cell is None else "site.failed_at", lang, notebook=failure.get("notebook"),
                cell=f"{cell}{count}", error=error)


@functools.lru_cache(maxsize=4)
def _exporter(lang: str):
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    # built once per process and language (loading the templates is most of nbconvert's cost); drops the cells tagged
    # for the other language, papermill's English banners and the cell it injects (a machine's paths: see the footer)
    others = {f"lang-{other}" for other in LANGS if other != lang}
    config = Config(TagRemovePreprocessor={"enabled": True, "remove_cell_tags": others | {
        "papermill-error-cell-tag", "injected-parameters"}})
    return HTMLExporter(config=config, template_name="notebook_page", extra_template_basedirs=[str(TEMPLATES)],
                        extra_template_paths=[str(TEMPLATES)], filters={"short_paths": short_paths},
                        embed_images=True, language_code=lang)


def render_notebook(executed: str | os.PathLike, site_dir: str | os.PathLike, name: str, provenance: dict,
                    source_dir: str | os.PathLike | None = None, error=None,
                    log: str = "../../logs/kernels.log") -> list[Path]:
    """Write the full and the reader's page of an executed notebook in the language it ran in (its ``lang`` as
    papermill recorded it: ParameterError for one not zh or en; else the build's), titled :func:`notebook_title`.
    ``error``: the run's NotebookRunError, said at the top (:func:`failure_text`), linking the notebook and ``log``."""
    import nbformat

    nb = nbformat.read(str(executed), as_version=4)
    recorded = (nb.metadata.get("papermill") or {}).get("parameters") or {}
    lang = check_lang(recorded["lang"]) if "lang" in recorded else build_lang(provenance.get("parameters"))
    page = {**page_values(provenance, lang, root="../"), "notebook": f"{name}.ipynb", "log": log,
            "failure": failure_text(vars(error), lang) if error is not None else None}
    # metadata.path: where embed_images finds a markdown image; metadata.name: the <title>
    meta = {"name": notebook_title(name, lang), "path": str(source_dir or Path(executed).parent)}
    body, out = _exporter(lang).from_notebook_node(nb, resources={"metadata": meta, "page": page})
    return [write_text(Path(site_dir) / file.format(name), html) for file, html in zip(PAGES, (body, out["reader"]))]
