"""The page of a batch: one row per build (one district, or one parameter set), in ``OUTPUT/batch.csv``,
``OUTPUT/site/batch.xlsx`` and ``OUTPUT/site/index.html``.

``batch.csv`` keeps snake_case names and codes in both languages (a table for scripts); the workbook and the page
are in the run's language. Columns: ``build`` (its folder), ``focus``, ``report`` (its index,
relative to ``OUTPUT/``), ``status`` (``ok`` or ``failed``), ``problem`` (the first failure, one line),
``ranked`` (whether notebook 05 ranked the focus: False for a focus with too few values, shown but not ranked,
whose rank cells are empty), ``rank``, ``rank_p05``, ``rank_p95`` (the focus's composite rank and its 90 % interval,
from notebook 05's ``composite_rank_intervals``), ``rank_source_ids`` (that table's ``source_ids``: the registry ids
every rank rests on, '' for the report's numbers; the page marks the ranks †), ``gap_indicator``, ``gap_peer``, ``gap_ratio``, ``gap_bound`` (the extensive
Table 2 indicator, per resident, on which the focus trails its best peer by the largest ratio:
analysis.compare.largest_gap of the build's data and parameters), ``gap_source_ids`` (the registry ids of the
numbers that ratio is computed from, '' for the report's; the page marks it † and names those sources under the
table: report_tables.derived_note).
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis_utils.analysis.compare import check_comparison, largest_gap
from analysis_utils.data.load import REPORT_YEAR, load
from analysis_utils.errors import AnalysisError, disk_error
from analysis_utils.labels import build_lang, text
from analysis_utils.report.columns import headers
from analysis_utils.report.index_page import batch_page
from analysis_utils.report.names import entity_names, indicator_names
from analysis_utils.report.provenance import full
from analysis_utils.report.report_tables import derived_note
from analysis_utils.report.writers import other_source_rows, write_csv, write_workbook, yes_no

RANKS = "composite_rank_intervals.csv"


def batch_row(out: Path, label: str, given: dict, failures: dict, data) -> dict:
    """The batch row of one build: status from this run's ``failures`` ({notebook: error}) and the build's index;
    ``data``: the batch's data folder, loaded (data.load.Dataset)."""
    folder = out / label
    row = {"build": label, "focus": given.get("focus", ""),
           "report": f"{label}/site/index.html",  # relative to OUTPUT, where batch.csv is
           "status": "failed" if failures else "ok",
           "problem": next((str(e).splitlines()[0] for e in failures.values()), "")}
    if not (folder / "site" / "index.html").exists():
        row["status"], row["report"] = "failed", ""
    focus = given.get("focus", data.districts()[0])
    peers = check_comparison(data, focus, given.get("peers"))  # the run's own default: every other district
    ranks = sorted((folder / "site").glob(f"05*/**/{RANKS}"))
    if ranks:
        table = pd.read_csv(ranks[0], encoding="utf-8")
        hit = table[table["entity"] == focus]  # written tables hold entity ids
        row["ranked"] = not hit.empty  # a focus with too few values is shown by its notebook 05, not ranked
        if not hit.empty:
            row.update({k: int(hit.iloc[0][c]) for k, c in (("rank", "nominal_rank"), ("rank_p05", "rank_p05"),
                                                             ("rank_p95", "rank_p95")) if c in hit})
            # every rank rests on every district's inputs (composite.indicators.results_source_ids)
            ids = hit.iloc[0]["source_ids"] if "source_ids" in hit else ""
            row["rank_source_ids"] = "" if pd.isna(ids) else str(ids)
    try:
        gap = largest_gap(data, focus, list(peers), int(given.get("year", REPORT_YEAR)))
    except AnalysisError:
        gap = None
    if gap:
        row.update({"gap_indicator": gap["indicator"], "gap_peer": gap["peer"], "gap_ratio": gap["ratio"],
                    "gap_bound": gap["ratio_bound"], "gap_source_ids": gap["source_ids"]})
    return row


def write_batch(out: Path, sets: list[tuple[str, dict]], failures: dict, stamp: dict) -> Path:
    """``OUTPUT/batch.csv``, ``OUTPUT/site/batch.xlsx`` and ``OUTPUT/site/index.html`` for the builds ``sets``
    ([(folder, values)]); AnalysisError (errors.disk_error) when the disk refuses."""
    data = load(sets[0][1].get("data_dir") or None)  # one data folder for the whole batch
    table = pd.DataFrame([batch_row(out, label, given, failures.get(label, {}), data) for label, given in sets])
    lang = build_lang(sets[0][1])
    labels = {**entity_names(data, lang), **indicator_names(data, lang)}
    try:
        target = write_csv(table.astype({c: "Int64" for c in ("rank", "rank_p05", "rank_p95") if c in table}),
                           out / "batch.csv")
        gap_ids, rank_ids = (table.get(c, pd.Series("", index=table.index)).fillna("")
                             for c in ("gap_source_ids", "rank_source_ids"))
        # the workbook in the run's language, as the page: headers, districts and indicators by their names, a status
        # in words, yes/no; the report linked from the workbook's folder (site/), not from batch.csv's
        named = table.assign(**{c: table[c].map(lambda v: labels.get(v, v)) for c in ("focus", "gap_indicator",
                                                                                       "gap_peer") if c in table},
                             status=table["status"].map(lambda v: text(f"site.status_{v}", lang)),
                             report=table["report"].map(lambda v: f"../{v}" if v else v))
        shown = yes_no(named, lang).set_axis(headers(table.columns, lang), axis=1)
        # the parameters every build shares (the data folder, the language …): the page's and workbook's provenance
        common = {k: v for k, v in sets[0][1].items() if all(given.get(k) == v for _, given in sets)}
        stamp = {**stamp, "parameters": common}
        write_workbook({"batch": shown}, out / "site" / "batch.xlsx", provenance=full(stamp, lang), lang=lang,
                       titles={"batch": text("site.batch_title", lang, n=len(table))},
                       marks={"batch": other_source_rows(table)})
        # the page names the sources of every marked ratio and rank, as every other page does under its tables
        table.attrs["note"] = derived_note(data, [*gap_ids, *rank_ids], list(data.entities["entity"]), lang)
        batch_page(out / "site", table, stamp, lang, labels)
    except OSError as exc:
        raise disk_error(exc, "write", out / "batch.csv") from None
    return target
