"""The site's index page: one row per notebook (status, pages, tables, figures, parameters), the claims
audit's summary and the figure gallery, in the language of the run that writes it (report.site renders the
notebook pages; this module lists them)."""
from __future__ import annotations

import csv
import hashlib
import html
import json
import os
import re
from collections import Counter
from pathlib import Path
from urllib.parse import quote

from analysis_utils.report.site import (
    CLAIMS_FILE,
    FACTS_FILE,
    FIGURE_SUFFIXES,
    TABLE_SUFFIXES,
    ensure_assets,
    finish_page,
    index_lang,
    notebook_title,
    page_names,
    parameters_html,
)


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
    Written tables are headed by codes, the same in zh and en builds."""

    for folder in output_dirs:
        for path in sorted(folder.rglob(CLAIMS_FILE)) if folder.is_dir() else []:
            with path.open(encoding="utf-8", newline="") as fh:
                reader = csv.reader(fh)
                # verdict and basis are the table's own columns: no family lookup (the cache-hit path stays light)
                header = next(reader, [])
                rows = [dict(zip(header, r)) for r in reader]
            verdicts = Counter(r.get("verdict", "") for r in rows)
            bases: dict[str, Counter] = {}
            for r in rows:
                bases.setdefault(r.get("basis", ""), Counter())[r.get("verdict", "")] += 1
            facts_path = path.with_name(FACTS_FILE)
            facts = None
            if facts_path.is_file():
                with facts_path.open(encoding="utf-8", newline="") as fh:
                    facts = len(list(csv.DictReader(fh)))
            return verdicts, bases, facts
    return None


def claims_html(summary, lang: str = "zh") -> str:
    """The claims-audit block of index.html in ``lang`` from claims_summary's counts: verdicts and bases by
    their catalogue labels (a note when there is no audit). Raises ParameterError for a bad ``lang``."""
    from analysis_utils.audit.codes import BASES, VERDICTS
    from analysis_utils.labels import check_lang, text

    check_lang(lang)
    if summary is None:
        return f"<p>{html.escape(text('site.no_audit', lang))}</p>"
    verdicts, bases, facts = summary
    names = [v for v in VERDICTS if v in verdicts] + sorted(set(verdicts) - set(VERDICTS))

    def verdict(v: str) -> str:
        return text(f"verdict.{v}", lang) if v in VERDICTS else v
    head = "".join(f"<th>{html.escape(verdict(v))}</th>" for v in names) + f"<th>{html.escape(text('column.all', lang))}</th>"
    total = "".join(f"<td>{verdicts[v]}</td>" for v in names) + f"<td>{sum(verdicts.values())}</td>"
    order = [b for b in BASES if b in bases] + sorted(set(bases) - set(BASES))  # the audit's order, as on page 04
    rows = "".join(f"<tr><td>{html.escape(text(f'basis.{b}', lang) if b else '')}</td>"
                   + "".join(f"<td>{bases[b][v]}</td>" for v in names) + f"<td>{sum(bases[b].values())}</td></tr>"
                   for b in order)
    apart = "" if facts is None else f"<p>{html.escape(text('site.facts', lang, n=facts))}</p>"
    all_claims = html.escape(text("site.all_claims", lang, n=sum(verdicts.values())))
    return (f"<table><tr><th>{html.escape(text('column.basis', lang))}</th>{head}</tr>{rows}"
            f"<tr><th>{all_claims}</th>{total}</tr></table>{apart}")


STATUSES = ("ok", "stale", "failed", "not_run")  # an index row's status (run.build.entries), catalogue site.status_*


def _notebook_row(e: dict, site_dir: Path, lang: str = "zh", per_row: bool = False) -> str:
    from analysis_utils.labels import text

    folder = Path(e["outputs"])
    full, reader = (folder / page for page in page_names(e["name"]))
    links = [f'<a href="{_href(reader, site_dir)}">{html.escape(text("site.link_reader", lang))}</a>',
             f'<a href="{_href(full, site_dir)}">{html.escape(text("site.link_full", lang))}</a>']
    links = links if full.exists() else []
    if Path(e["executed"]).exists():
        links.append(f'<a href="{_href(Path(e["executed"]), site_dir)}">{html.escape(text("site.link_notebook", lang))}</a>')
    failed = Path(e["failed"]) / page_names(e["name"])[0] if e.get("failed") else None
    if failed is not None and failed.exists() and failed.parent != folder:
        links.append(f'<a href="{_href(failed, site_dir)}">{html.escape(text("site.link_failed", lang))}</a>')
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


STALE_CODES = ("failed", "not_rerun", "changed", "no_record", "missing", "edited", "added")  # catalogue stale.<code>


def stale_reason(stale: dict, lang: str = "zh") -> str:
    """Why a notebook's files are not this run's result, in ``lang`` (catalogue stale.*), from run.build.entries'
    code: {"why": "failed" | "not_rerun", "finished"} or {"why": "changed", "kind", "file", "more"} (STALE_CODES).
    ParameterError for a bad ``lang``."""
    from analysis_utils.labels import check_lang, text

    check_lang(lang)
    finished = stale.get("finished") or text("stale.earlier_run", lang)
    if stale["why"] != "changed":
        return text(f"stale.{stale['why']}", lang, finished=finished)
    files = text("stale.files_more", lang, file=stale["file"], n=stale["more"]) if stale["more"] else stale["file"]
    return text("stale.changed", lang, what=text(f"stale.{stale['kind']}", lang, files=files))


def stale_note(entry: dict, lang: str = "zh") -> str:
    """A row under a notebook whose files are not this run's result: why (``entry["stale"]``), or ""."""
    from analysis_utils.labels import check_lang, text

    check_lang(lang)
    if not entry.get("stale"):
        return ""
    return (f'<tr><td></td><td colspan="4" class="status-stale"><small>'
            f'{html.escape(text("site.stale", lang, reason=stale_reason(entry["stale"], lang)))}</small></td></tr>')


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
    """Lists of the tables and figures of every notebook, linked where they are (inside the site folder)."""
    from analysis_utils.labels import text

    tables, figures = [], []
    for e in entries:
        out = Path(e["outputs"])
        for t in _files(out, TABLE_SUFFIXES):
            href, label = _href(t, site_dir), html.escape(f'{e["name"]}/{t.name}')
            tables.append(f'<li><a href="{href}">{label}</a></li>')
        for f in sorted(_files(out, FIGURE_SUFFIXES), key=natural_key):
            href, label = _href(f, site_dir), html.escape(f'{e["name"]}/{f.name}')
            alt = html.escape(figure_titles(f.parent).get(f.name) or
                              text("site.figure_of", lang, notebook=notebook_title(e["name"], lang)), quote=True)
            figures.append(f'<figure><a href="{href}"><img src="{href}" alt="{alt}"></a>'
                           f"<figcaption>{label}</figcaption></figure>")
    return ("<ul>" + "".join(tables) + "</ul>" if tables else f"<p>{html.escape(text('site.no_tables', lang))}</p>",
            "".join(figures) or f"<p>{html.escape(text('site.no_figures', lang))}</p>")


def build_index(site_dir: str | os.PathLike, entries: list[dict], provenance: dict,
                title: str | None = None, workbook: str | os.PathLike | None = None) -> Path:
    """Write index.html: notebook pages, tables, figures, claims-audit summary, parameters, provenance.

    Each entry: name, status, seconds, params, error (str or None), executed (.ipynb path), outputs (the
    notebook's folder shown: pages, tables, figures, inside ``site_dir``), failed (its last failed run's folder
    or None). ``workbook``: the build's combined tables.xlsx, if any. Links are relative: the folder is
    self-contained. ``title`` defaults to the catalogue's ``site.title`` in the build's ``lang``
    parameter (zh when none is given).
    """
    from analysis_utils.labels import text

    site_dir = Path(site_dir)
    lang = index_lang(provenance)
    title = title or text("site.title", lang)
    book = _href(Path(workbook), site_dir) if workbook and Path(workbook).exists() else None
    index, stamp = site_dir / "index.html", _stamp(entries, provenance, book)
    if index.exists() and stamp in index.read_text(encoding="utf-8")[:2000]:
        return index  # same inputs as the page on disk: keep it (and keep a no-change run cheap)
    from analysis_utils.report.writers import write_text

    ensure_assets(site_dir)
    shown = shown_runs(entries, provenance)
    rows = "".join(_notebook_row(e, site_dir, lang, per_row=len(shown) > 1) for e in entries)
    datas, versions = sorted({d for d, _ in shown}), sorted({v for _, v in shown})
    # say only what differs between the rows: the data, the package version, or both
    version = versions[0] if len(versions) == 1 else "-"
    if len(datas) == 1:
        data_line = f' · {html.escape(text("provenance.data", lang))} <code>{html.escape(datas[0])}</code>'
    else:
        data_line = f' · {html.escape(text("site.data_per_row", lang))}'
    if len(versions) > 1:
        data_line += f' · {html.escape(text("site.version_per_row", lang))}'

    tables, figures = _outputs_html(entries, site_dir, lang)
    if book:
        tables = (f'<p><a href="{book}">{html.escape(Path(workbook).name)}</a>: '
                  f"{html.escape(text('site.workbook', lang))}</p>{tables}")
    claims = claims_html(claims_summary([Path(e["outputs"]) for e in entries]), lang)
    given = provenance.get("parameters") or {}
    params = f"<p>{parameters_html(given, lang)}</p>" if given else f"<p>{html.escape(text('site.defaults', lang))}</p>"
    interrupted = (f'<p class="status-stale">{html.escape(text("site.interrupted", lang))}</p>'
                   if provenance.get("interrupted") else "")
    headings = "".join(f"<th>{html.escape(text(key, lang))}</th>" for key in
                       ("site.col_notebook", "site.col_status", "site.col_time", "site.col_pages", "site.col_parameters"))
    page = f"""<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<meta name="inputs-sha256" content="{stamp}">
</head><body><main class="site-index">
<h1>{html.escape(title)}</h1>
<p>{html.escape(text("site.run", lang, time=provenance.get("time", ""), version=version))}{data_line}</p>
{interrupted}
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


BATCH_COLUMNS = ("focus", "status", "rank", "rank_p05", "rank_p95", "gap_indicator", "gap_peer", "gap_ratio")


def batch_page(site_dir: str | os.PathLike, table, provenance: dict, lang: str = "zh",
               labels: dict | None = None) -> Path:
    """``site_dir/index.html`` of a batch: one row per build (run.batch's table: build, focus, report, status,
    problem, rank, rank_p05, rank_p95, gap_indicator, gap_peer, gap_ratio, gap_bound), each linking to its
    report; headers from the catalogue (``column.*``), districts and indicators by ``labels`` ({code: name in
    ``lang``}), a failed build with its problem. Raises ParameterError for a bad ``lang``."""
    from analysis_utils.labels import check_lang, text
    from analysis_utils.report.columns import headers
    from analysis_utils.report.writers import write_text

    check_lang(lang)
    site_dir = Path(site_dir)

    def cell(row, col) -> str:
        value = row.get(col)
        if value is None or value != value:  # None or NaN: no number
            return "-"
        value = (labels or {}).get(value, value) if col in ("focus", "gap_indicator", "gap_peer") else value
        if col == "focus" and row.get("report"):
            return f'<a href="../{quote(str(row["report"]))}">{html.escape(str(value))}</a>'
        if col == "status":
            shown = text(f"site.status_{value}", lang)
            problem = f'<br><small>{html.escape(str(row.get("problem") or ""))}</small>' if value != "ok" else ""
            return f'<span class="status-{html.escape(str(value))}">{html.escape(shown)}</span>{problem}'
        if col == "gap_ratio":
            mark = {"lower": "≥", "upper": "≤"}.get(str(row.get("gap_bound")), "")
            return f"{mark}{value:.3g}"
        if isinstance(value, float):
            return f"{value:g}"
        return html.escape(str(value))

    rows = table.to_dict("records")
    head = "".join(f"<th>{html.escape(label)}</th>" for label in headers(BATCH_COLUMNS, lang))
    body = "".join("<tr>" + "".join(f"<td>{cell(r, c)}</td>" for c in BATCH_COLUMNS) + "</tr>" for r in rows)
    title = text("site.batch_title", lang, n=len(rows))
    ensure_assets(site_dir)
    page = f"""<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8"><title>{html.escape(title)}</title></head>
<body><main class="site-index"><h1>{html.escape(title)}</h1>
<p>{html.escape(text("site.batch_lead", lang))} <a href="batch.xlsx">batch.xlsx</a> · <a href="../batch.csv">batch.csv</a></p>
<table><tr>{head}</tr>{body}</table></main></body></html>
"""
    return write_text(site_dir / "index.html", finish_page(page, provenance, index_link=False, lang=lang))
