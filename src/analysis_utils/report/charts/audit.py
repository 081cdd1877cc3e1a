"""Charts of the audit (04) and of the external checks (06): verdicts by basis, published ÷ printed, the focus
district's share of its city's published totals.
"""
from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.ticker import FuncFormatter

from analysis_utils.labels import check_lang, text
from analysis_utils.report.charts.style import PALETTE, _legend_below, _new


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


def external_comparison_plot(checks: pd.DataFrame, lang: str = "zh"):
    """Each report number against its published figures: published / printed (1 = the same), log scale.

    ``checks`` is report.external_views.worded(…, lang)'s frame (source, statement, printed, year, kind,
    external_value, external_year, difference, verdict …); one dot per published figure, the year beside it,
    coloured by verdict with a legend; a statement is named by its place in the report in ``lang``
    (labels.location: 一(二)3 -> I(2).3). Published figures come from outside the report, and the title says so.
    Raises ParameterError for a bad ``lang``.
    """
    from matplotlib.lines import Line2D

    from analysis_utils.labels import location

    check_lang(lang)
    reported = checks["external_value"] - checks["difference"]
    ratio = (checks["external_value"] / reported).astype(float)
    labels = [f"{location(src, lang)} {p}" if kind == "claim" else f"{textwrap.shorten(s, 40, placeholder='…')} ({p})"
              for src, s, p, kind in zip(checks["source"], checks["statement"], checks["printed"], checks["kind"])]
    order = list(dict.fromkeys(labels))
    fig, ax = _new((8, 0.6 * len(order) + 2.2))
    colours = {"agrees": PALETTE["peer"], "differs": PALETTE["focus"]}
    seen: dict[int, int] = {}
    for y_label, r, year, verdict in zip(labels, ratio, checks["external_year"], checks["verdict"]):
        y = order.index(y_label)
        ax.scatter(r, y, color=colours.get(verdict, PALETTE["other"]), zorder=3)
        # years of one row sit above and below the dots in turn, so close figures do not print over each other
        nth = seen[y] = seen.get(y, -1) + 1
        ax.annotate(str(int(year)), (r, y), textcoords="offset points", fontsize=8,
                    xytext=(4 + 8 * (nth // 2), 4 if nth % 2 == 0 else -11))
    ax.axvline(1, color=PALETTE["other"], lw=1, ls="--")
    ax.set_xscale("log")
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
    ax.xaxis.set_minor_formatter(FuncFormatter(lambda v, _: ""))
    ax.set_yticks(range(len(order)), order)
    ax.invert_yaxis()
    ax.set(title=text("chart.external_title", lang), xlabel=text("chart.external_x", lang), ylabel="")
    found = set(checks["verdict"])
    entries = [(colours[v], text(f"external.verdict.{v}", lang)) for v in ("agrees", "differs") if v in found]
    if found - set(colours):
        entries.append((PALETTE["other"], text("chart.external_other", lang)))
    if entries:
        ax.legend([Line2D([], [], ls="", marker="o", color=c) for c, _ in entries], [t for _, t in entries],
                  loc="upper center", bbox_to_anchor=(0.5, -0.12 - 0.6 / max(len(order), 1)), ncol=len(entries),
                  fontsize=8, frameon=False)
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
