"""Charts of the audit (04) and of the external checks (06): verdicts by basis, published ÷ printed, the focus
district's share of its city's published totals.
"""
from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from analysis_utils.labels import check_lang, text
from analysis_utils.report.charts.style import (
    _CJK,
    LABEL_BOX,
    PALETTE,
    _legend_below,
    _new,
    _readable_log_axis,
    _wrap,
)


def verdict_bars(audit: pd.DataFrame, lang: str = "zh"):
    """Stacked bars: how many claims of each basis (recomputed, restated, …, rows) got each verdict (colours).

    ``audit`` is claims.audit's frame (verdict, basis); plain facts are not in it, so they are not counted.
    Raises ParameterError for a bad ``lang``.
    """
    from analysis_utils.audit.claims import BASES, VERDICTS
    from analysis_utils.report.audit_views import basis_label, verdict_label

    check_lang(lang)
    counts = audit.groupby(["basis", "verdict"]).size().unstack(fill_value=0)
    counts = counts.reindex(index=[b for b in BASES if b in counts.index],
                            columns=[v for v in VERDICTS if v in counts.columns])
    colours = {"reproduced": "#27ae60", "consistent": "#2e86c1", "inconsistent": "#c0392b", "implied": "#f39c12",
               "unverifiable": "#95a5a6"}
    fig, ax = _new((8, 4))
    left = np.zeros(len(counts))
    for verdict in counts.columns:
        values = counts[verdict].to_numpy()
        ax.barh(range(len(counts)), values, left=left, color=colours[verdict], label=verdict_label(verdict, lang))
        for i, (v, l) in enumerate(zip(values, left)):
            if v:
                ax.text(l + v / 2, i, str(v), ha="center", va="center", color="white", fontsize=9)
        left += values
    ax.set_yticks(range(len(counts)), [basis_label(b, lang) for b in counts.index])
    ax.invert_yaxis()
    ax.set(title=text("chart.verdict_title", lang), xlabel=text("chart.claims_count", lang),
           ylabel=text("chart.basis", lang))
    _legend_below(fig, ax)
    return fig


def _external_rows(checks: pd.DataFrame, lang: str) -> pd.Series:
    """The row label of each check on the external chart, one row per report number compared: '<place> <what>
    <printed>' ('一(二)3 武汉市年度研发投入占比 2.9%'). A claim whose published figures all concern one table cell
    is named by that cell; another claim by its own (shortened) statement. A cell whose comparisons a claim at the
    same place already makes is the claim's row (see :func:`_same_comparisons`)."""
    from analysis_utils.labels import location

    cells = checks[checks["kind"] != "claim"]
    cell_name = {(src, e, i): s for src, e, i, s in zip(cells["source"], cells["entity"], cells["indicator"],
                                                        cells["statement"])}
    labels = {}
    for key, part in checks.groupby(["kind", "source", "statement", "printed"], sort=False, dropna=False):
        kind, src, statement, printed = key
        targets = set(zip(part["entity"], part["indicator"]))
        what = statement
        if kind == "claim":
            what = cell_name.get((src, *next(iter(targets)))) if len(targets) == 1 else None
            what = what or textwrap.shorten(str(statement).rstrip("。."), 34 if _CJK.search(str(statement)) else 70,
                                            placeholder="…")
        printed = str(printed)
        label = f"{location(src, lang)} {what}" + ("" if printed in str(what) else f" {printed}")
        for i in part.index:
            labels[i] = label
    return pd.Series(labels).reindex(checks.index)


def _same_comparisons(checks: pd.DataFrame) -> pd.Series:
    """True for a table cell's check that repeats a claim's (same place in the report, district, indicator,
    years and published figure): the claim '高于武汉市的平均值2.9%' and the cell 武汉市年度研发投入占比 2.9% of
    一(二)3 compare the one printed number with the same published figures, so the chart draws them once."""
    key = ["source", "entity", "indicator", "year", "external_year", "external_value"]
    claimed = set(map(tuple, checks.loc[checks["kind"] == "claim", key].to_numpy().tolist()))
    return pd.Series([kind != "claim" and tuple(row) in claimed
                      for kind, row in zip(checks["kind"], checks[key].to_numpy().tolist())], index=checks.index)


def external_comparison_plot(checks: pd.DataFrame, lang: str = "zh"):
    """Each report number against its published figures: published / printed (1 = the same), on a log axis with
    at least three ticks (0.4, 0.6, 0.8, 1 over a narrow range).

    ``checks`` is report.external_views.worded(…, lang)'s frame (source, kind, statement, entity, indicator,
    printed, year, external_value, external_year, difference, verdict, published …). One row per report number,
    labelled '<place in the report, in ``lang``> <what> <printed>' (:func:`_external_rows`); a table cell checked
    against the same published figures as a claim at the same place is drawn once, on the claim's row. One dot per
    published figure, its year beside it (with the published figure when two on one row share a year), coloured by
    verdict with a legend under the chart, hollow where its source is an unattributed page or repost (tier
    'unattributed'; the legend says so). Published figures come from outside the report, and the title says so.
    Raises ParameterError for a bad ``lang``.
    """
    from matplotlib.lines import Line2D

    check_lang(lang)
    labels = _external_rows(checks, lang)
    checks = checks[~_same_comparisons(checks)]
    labels = labels[checks.index]
    reported = checks["external_value"] - checks["difference"]
    ratio = (checks["external_value"] / reported).astype(float)
    order = list(dict.fromkeys(labels))
    fig, ax = _new((8, 0.8 * len(order) + 2.2))
    colours = {"agrees": PALETTE["peer"], "differs": PALETTE["focus"]}
    years = pd.Series(checks["external_year"].astype(int).to_numpy(), index=checks.index)
    shared_year = years.groupby(labels).transform(lambda y: y.duplicated(keep=False))
    published = checks["published"] if "published" in checks else pd.Series("", index=checks.index)
    # the standing of the source: a figure nobody stands behind (an unattributed page, a repost) is a hollow dot, so
    # an agreement resting on one is not read as one with an official or named source
    hollow = (checks["tier"] == "unattributed") if "tier" in checks else pd.Series(False, index=checks.index)
    seen: dict[int, int] = {}
    for i, r in zip(checks.index, ratio):
        y = order.index(labels[i])
        colour = colours.get(checks.at[i, "verdict"], PALETTE["other"])
        ax.scatter(r, y, facecolors="white" if hollow[i] else colour, edgecolors=colour, linewidths=1.5, zorder=3)
        # years of one row sit above and below their dots in turn, a line further out every second time, so close
        # figures do not print over each other (a row is 0.8 inch: two lines each side)
        nth = seen[y] = seen.get(y, -1) + 1
        note = f"{years[i]}" + (f" ({str(published[i]).split('= ')[-1]})" if shared_year[i] else "")
        offset = 4 + 11 * (nth // 2)
        ax.annotate(note, (r, y), textcoords="offset points", fontsize=8, ha="center",
                    va="bottom" if nth % 2 == 0 else "top", xytext=(0, offset if nth % 2 == 0 else -offset),
                    bbox=LABEL_BOX)
    ax.axvline(1, color=PALETTE["other"], lw=1, ls="--")
    ax.set_xscale("log")
    _readable_log_axis(ax.xaxis)
    low, high = ax.get_xlim()
    ax.set_xlim(low, high * (high / low) ** 0.12)  # room right of the last dot for its year
    ax.set_yticks(range(len(order)), [_wrap(o) for o in order])
    ax.set_ylim(len(order) - 0.5, -0.5)
    ax.set(title=text("chart.external_title", lang), xlabel=text("chart.external_x", lang), ylabel="")
    found = set(checks["verdict"])
    entries = [(colours[v], text(f"external.verdict.{v}", lang)) for v in ("agrees", "differs") if v in found]
    if found - set(colours):
        entries.append((PALETTE["other"], text("chart.external_other", lang)))
    for colour, label in entries:
        ax.add_line(Line2D([], [], ls="", marker="o", color=colour, label=label))
    if hollow.any():
        ax.add_line(Line2D([], [], ls="", marker="o", markerfacecolor="white", markeredgecolor=PALETTE["other"],
                           label=text("chart.external_unattributed", lang)))
    _legend_below(fig, ax)
    return fig


def share_series_plot(series: pd.DataFrame, entity_label: str, whole_label: str, indicator_names: dict,
                      lang: str = "zh"):
    """The district's share (%) of a published city total per year, one line per indicator (analysis.external_series
    .share_series' frame: indicator, year, share; ``indicator_names``: id -> name in ``lang``, the legend);
    labelled as resting on figures from outside the report. None for an empty ``series``: there is nothing to draw,
    and the page says why in a sentence (external_series.series_sentence). Raises ParameterError for a bad ``lang``."""
    check_lang(lang)
    if series.empty:
        return None
    fig, ax = _new((7, 3.5))
    for indicator, part in series.drop_duplicates(["indicator", "year"]).groupby("indicator", sort=False):
        ax.plot(part["year"], part["share"], marker="o", label=indicator_names.get(indicator, indicator))
    ax.xaxis.set_major_locator(plt.MaxNLocator(integer=True))
    ax.set(title=text("chart.external_share_title", lang, entity=entity_label, whole=whole_label),
           xlabel=text("chart.year", lang), ylabel=text("chart.share_x", lang))
    ax.legend(loc="best", fontsize=8)
    return fig
