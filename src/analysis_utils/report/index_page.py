"""The site's index and a batch's page, from ``templates/site_index.html.j2`` and ``templates/batch.html.j2``: a row
per notebook (status, pages, time, parameters, why its files are stale or what failed), the claims audit's summary,
the tables, the figures by their titles; in the language of the run that writes it (labels.build_lang)."""
from __future__ import annotations

import csv
import hashlib
import io
import json
import os
from itertools import groupby
from pathlib import Path
from urllib.parse import quote

from analysis_utils.labels import build_lang, check_lang, text
from analysis_utils.report.columns import headers
from analysis_utils.report.fonts import ensure_assets
from analysis_utils.report.provenance import parameter_items
from analysis_utils.report.site import PAGES, failure_text, notebook_title, page_values, templates
from analysis_utils.report.writers import FIGURES_MANIFEST, write_text

SUMMARY_FILE, FACTS_FILE = "claims_summary.csv", "not_checkable.csv"  # both written by notebook 04
TABLE_SUFFIXES, FIGURE_SUFFIXES = (".csv", ".xlsx"), (".png", ".svg", ".jpg", ".jpeg")
STATUSES = ("ok", "stale", "failed", "not_run")  # an index row's status (run.build.entries), catalogue site.status_*
STALE_CODES = ("failed", "not_rerun", "changed", "no_record", "missing", "edited", "added")  # catalogue stale.<code>
BATCH_COLUMNS = ("focus", "status", "rank", "rank_p05", "rank_p95", "gap_indicator", "gap_peer", "gap_ratio")


def natural_key(path) -> list:
    """Sort key reading the digits of a path as numbers: fig9 before fig10, 02_gaps/… before 10_…/…."""
    parts = ("".join(g) for _, g in groupby(Path(path).as_posix(), str.isdigit))
    return [(0, int(p), "") if p.isdigit() else (1, 0, p) for p in parts]


def _href(path, site_dir: Path) -> str:
    return quote(Path(os.path.relpath(path, site_dir)).as_posix())


def _files(folder: Path, suffixes: tuple[str, ...], site_dir: Path) -> list[tuple[Path, str]]:
    """(file, its link from the index) of every file under ``folder`` ending in ``suffixes``, in natural order."""
    found = sorted((p for p in (folder.rglob("*") if folder.is_dir() else []) if p.suffix.lower() in suffixes
                    and not p.name.startswith(".")), key=natural_key)
    return [(p, _href(p, site_dir)) for p in found]


def claims_summary(output_dirs: list[Path], lang: str = "zh") -> dict | None:
    """The index's claims block in ``lang`` from the first claims_summary.csv under ``output_dirs`` (notebook 04's: a
    row per basis and 'all', a column per verdict and 'all'; else None): the verdicts that occur, each basis's counts
    and total, the totals, the plain facts (not_checkable.csv, else None). ValueError for a count not a number."""
    check_lang(lang)
    for path in (p for folder in output_dirs if folder.is_dir() for p in sorted(folder.rglob(SUMMARY_FILE))):
        with path.open(encoding="utf-8", newline="") as fh:
            rows = {r.pop("basis"): {k: int(v) for k, v in r.items()} for r in csv.DictReader(fh)}
        totals = rows.pop("all")
        names = [v for v in totals if v != "all" and totals[v]]
        kept = path.with_name(FACTS_FILE)
        facts = sum(1 for _ in csv.DictReader(io.StringIO(kept.read_text("utf-8"), ""))) if kept.is_file() else None
        return {"verdicts": [text(f"verdict.{v}", lang) for v in names],
                "rows": [(text(f"basis.{b}", lang), [n[v] for v in names] + [n["all"]]) for b, n in rows.items()],
                "totals": [totals[v] for v in names + ["all"]], "all": text("site.all_claims", lang, n=totals["all"]),
                "facts": None if facts is None else text("site.facts", lang, n=facts)}
    return None


def stale_reason(stale: dict, lang: str = "zh") -> str:
    """Why a notebook's files are not this run's result, in ``lang`` (catalogue stale.*), from run.build.entries'
    code: {"why": "failed" | "not_rerun", "finished"} or {"why": "changed", "kind", "file", "more"}."""
    check_lang(lang)
    finished = stale.get("finished") or text("stale.earlier_run", lang)
    if stale["why"] != "changed":
        return text(f"stale.{stale['why']}", lang, finished=finished)
    files = text("stale.files_more", lang, file=stale["file"], n=stale["more"]) if stale["more"] else stale["file"]
    return text("stale.changed", lang, what=text(f"stale.{stale['kind']}", lang, files=files))


def _row(e: dict, site_dir: Path, lang: str, per_row: bool) -> dict:
    full, reader = (Path(e["outputs"]) / page.format(e["name"]) for page in PAGES)
    failed = Path(e.get("failed") or full.parent) / full.name  # a failed run's page, where it is kept apart
    links = [(reader, "site.link_reader"), (full, "site.link_full")] if full.exists() else []
    links += [(path, key) for path, key in ((Path(e["executed"]), "site.link_notebook"), (failed, "site.link_failed"))
              if path.exists() and path != full]
    code = e["status"].replace(" ", "_")
    return {"name": e["name"], "title": notebook_title(e["name"], lang), "status": e["status"].split()[0],
            "status_text": text(f"site.status_{code}", lang) if code in STATUSES else e["status"],
            "seconds": e.get("seconds"), "params": parameter_items(e.get("params") or {}, lang),
            "links": [(_href(path, site_dir), text(key, lang)) for path, key in links],
            "run": (e["data_checksum"], e.get("version") or "-") if per_row and e.get("data_checksum") else None,
            "failure": failure_text(e["failure"], lang) if e.get("failure") else None,
            "stale": text("site.stale", lang, reason=stale_reason(e["stale"], lang)) if e.get("stale") else None}


def figure_titles(folder: Path) -> dict[str, str]:
    """{figure file name: title} from the manifest beside the figures (writers.FIGURES_MANIFEST), or {}."""
    try:
        return {str(k): str(v) for k, v in json.loads((Path(folder) / FIGURES_MANIFEST).read_bytes()).items()}
    except (OSError, ValueError, AttributeError):  # none, not JSON, not an object
        return {}


def build_index(site_dir: str | os.PathLike, entries: list[dict], provenance: dict,
                workbook: str | os.PathLike | None = None) -> Path:
    """Write index.html unless the page on disk shows the same inputs. ``entries``: run.build.entries' rows (name,
    status, seconds, params, failure, stale, executed, outputs: the folder shown inside ``site_dir``, failed, the data
    sha256 and version of the run shown). ``workbook``: the combined tables.xlsx."""
    site_dir, lang = Path(site_dir), build_lang(provenance.get("parameters"))
    book = _href(workbook, site_dir) if workbook and Path(workbook).exists() else None
    stamp = hashlib.sha256(json.dumps([entries, book, {k: v for k, v in provenance.items() if k != "time"}],
                                      sort_keys=True, ensure_ascii=False, default=str).encode()).hexdigest()
    if (site_dir / "index.html").exists() and stamp in (site_dir / "index.html").read_text(encoding="utf-8")[:2000]:
        return site_dir / "index.html"  # same inputs (all but the time) as the page on disk: keep it, cheaply
    ensure_assets(site_dir)
    # the data sha256 and package version of each run shown: one pair is named in the header, several in each row
    shown = {(str(e.get("data_checksum") or provenance.get("data_checksum", "")),
              str(e.get("version") or provenance.get("version", ""))) for e in entries if e.get("status") != "not run"}
    shown = shown or {(str(provenance.get("data_checksum", "")), str(provenance.get("version", "")))}
    figures = [(href, figure_titles(f.parent).get(f.name) or text("site.figure_of", lang, notebook=notebook_title(
        e["name"], lang))) for e in entries for f, href in _files(Path(e["outputs"]), FIGURE_SUFFIXES, site_dir)]
    page = templates().get_template("site_index.html.j2").render(
        p=page_values(provenance, lang, index_link=False), stamp=stamp, time=provenance.get("time", ""),
        datas=sorted({d for d, _ in shown}), versions=sorted({v for _, v in shown}),
        interrupted=provenance.get("interrupted"), rows=[_row(e, site_dir, lang, len(shown) > 1) for e in entries],
        claims=claims_summary([Path(e["outputs"]) for e in entries], lang), figures=figures,
        workbook=(book, Path(workbook).name) if book else None,
        tables=[(href, f'{e["name"]}/{t.name}') for e in entries
                for t, href in _files(Path(e["outputs"]), TABLE_SUFFIXES, site_dir)])
    return write_text(site_dir / "index.html", page)


def batch_page(site_dir: str | os.PathLike, table, provenance: dict, lang: str = "zh",
               labels: dict | None = None) -> Path:
    """``site_dir/index.html`` of a batch: a row per build of run.batch's table (build, focus, report, status,
    problem, rank, rank_p05, rank_p95, gap_indicator, gap_peer, gap_ratio, gap_bound) linked to its report; headers
    from the catalogue, districts and indicators by ``labels`` ({code: name in ``lang``}); ``table.attrs['note']``:
    the sources of the marked ratios, said under the table."""
    check_lang(lang)
    ensure_assets(site_dir)
    page = templates().get_template("batch.html.j2").render(
        p=page_values(provenance, lang, index_link=False), title=text("site.batch_title", lang, n=len(table)),
        head=headers(BATCH_COLUMNS, lang), columns=BATCH_COLUMNS, rows=table.to_dict("records"), labels=labels or {},
        statuses={s: text(f"site.status_{s}", lang) for s in STATUSES}, note=table.attrs.get("note", ""))
    return write_text(Path(site_dir) / "index.html", page)
