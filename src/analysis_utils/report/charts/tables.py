"""Charts of the report's own tables (01, 02): 表1 as an index series, 表3 talent, 表4 makerspaces, 表5 shares.
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd
from matplotlib.ticker import FuncFormatter

from analysis_utils.labels import check_lang, text
from analysis_utils.report.charts.style import (
    BOUND_HATCH,
    BOUND_MARKER,
    BOUND_SIGN,
    LABEL_BOX,
    PALETTE,
    _kind_handles,
    _kind_legend,
    _kind_points,
    _labels_inside,
    _legend_below,
    _new,
    _readable_log_axis,
    _wrap,
    district_looks,
)
from analysis_utils.rounding import format_fixed


def indexed_series(table1_numbers: pd.DataFrame, lang: str = "zh"):
    """表1 as two series indexed to their first year = 100 (growth comparable despite a 3× level gap)."""
    check_lang(lang)
    fig, ax = _new()
    years = table1_numbers.iloc[:, 0].astype(int)
    base = int(years.iloc[0])
    for col, name, style in ((1, text("chart.patent_grants", lang), "-o"),
                             (3, text("chart.invention_patent_grants", lang), "--s")):
        values = table1_numbers.iloc[:, col].astype(float)
        index = values / values.iloc[0] * 100
        ax.plot(years, index, style, label=name, color=PALETTE["focus"] if col == 1 else PALETTE["peer"])
        ax.annotate(format_fixed(index.iloc[-1], 0), (years.iloc[-1], index.iloc[-1]), textcoords="offset points",
                    xytext=(6, 0), va="center")
    ax.axhline(100, color="grey", lw=0.8)
    ax.set_xticks(years)
    ax.set(title=text("chart.index_title", lang, base=base), xlabel=text("chart.year", lang), ylabel=text("chart.index_y", lang, base=base))
    ax.legend()
    _labels_inside(fig)
    return fig


def makerspace_dumbbell(table4_numbers: pd.DataFrame, lang: str = "zh", bounds: pd.DataFrame | None = None):
    """Cost against revenue per makerspace, sorted by cost; symlog keeps zeros and 400 on one axis. ``bounds``
    (optional, the shape of ``table4_numbers``: 'exact', 'lower' or 'upper' per cell) draws a bound open, pointing
    where the true value lies, named in the legend (the packaged 表4 prints none)."""
    check_lang(lang)
    body = table4_numbers.iloc[:-1].copy()  # drop the total row
    name_col, cost_col, revenue_col, invest_col = body.columns[:4]
    kinds_of = (bounds.iloc[:-1] if bounds is not None else
                pd.DataFrame("exact", index=body.index, columns=body.columns)).reindex(index=body.index)
    body = body.sort_values(cost_col)
    fig, ax = _new((8, 0.42 * len(body) + 1.4))
    y = np.arange(len(body))
    ax.hlines(y, body[revenue_col].astype(float), body[cost_col].astype(float), color="lightgrey", lw=3, zorder=1)
    kinds = set()
    for column, marker, colour, key in ((cost_col, "o", PALETTE["focus"], "chart.operating_cost"),
                                        (revenue_col, "o", PALETTE["peer"], "chart.total_revenue"),
                                        (invest_col, "X", "#27ae60", "chart.investment_raised")):
        values = body[column].astype(float)
        given = values.notna().to_numpy()
        column_kinds = kinds_of.loc[body.index, column].fillna("exact").to_numpy()
        kinds |= _kind_points(ax, values[given], y[given], column_kinds[given], marker, colour, text(key, lang), 40)
        for value, yv, kind in zip(values[given], y[given], column_kinds[given]):
            if kind in BOUND_SIGN:
                ax.annotate(f"{BOUND_SIGN[kind]}{value:,.0f}", (value, yv), textcoords="offset points", fontsize=8,
                            xytext=(0, 7), ha="center", va="bottom", color=colour)
    ax.set_xscale("symlog", linthresh=10)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _pos: f"{x:,.0f}"))
    ax.set_yticks(y, body[name_col])
    ax.set_ylim(len(body) - 0.5, -0.5)
    ax.set(title=text("chart.maker_title", lang), xlabel=text("chart.maker_x", lang))
    _kind_legend(ax, kinds, lang)
    _legend_below(fig, ax)
    _labels_inside(fig)
    return fig


def share_bars(table5_numbers: pd.DataFrame, entity_label: str, whole_label: str, year: int, lang: str = "zh",
               bounds=None):
    """The district's share of its city for each 表5 column (%). ``bounds`` (optional, one of 'exact', 'lower',
    'upper' per column of shares): a bound's bar is hatched and open (no edge) on the side where the true share
    may lie beyond it, an arrowhead there, its label '≥'/'≤', and the legend names the kinds (the packaged 表5 prints
    none)."""
    check_lang(lang)
    fig, ax = _new((7, 3))
    shares = table5_numbers.iloc[-1, 1:].astype(float)
    kinds = list(bounds) if bounds is not None else ["exact"] * len(shares)
    # the column headers carry the units of the values (千元, 个); the bars are shares in %, so the units go
    names = [re.sub(r"\s*[（(][^（()）]*[)）]$", "", str(c)) for c in shares.index]
    colour = PALETTE["focus"]
    bars = ax.barh(range(len(shares)), shares.to_numpy(), color=colour, height=0.8)
    for bar, kind in zip(bars, kinds):
        bar.set_gid(f"kind:{kind if kind in BOUND_SIGN else 'exact'}")
        if kind not in BOUND_SIGN:
            continue
        x0, y0, w, h = bar.get_x(), bar.get_y(), bar.get_width(), bar.get_height()
        bar.set(facecolor="white", edgecolor=colour, hatch=BOUND_HATCH, linewidth=0)
        closed = [(x0 + w, y0), (x0, y0), (x0, y0 + h), (x0 + w, y0 + h)]  # every edge but the far end
        if kind == "upper":
            closed.append((x0 + w, y0))
        ax.plot(*zip(*closed), color=colour, lw=1.2)
        ax.plot([x0 + w], [y0 + h / 2], marker=BOUND_MARKER[kind], color=colour, markersize=7, clip_on=False)
    for i, (v, kind) in enumerate(zip(shares, kinds)):
        ax.annotate(f"{BOUND_SIGN.get(kind, '')}{format_fixed(v, 2)}%", (v, i), textcoords="offset points",
                    xytext=(8 if kind in BOUND_SIGN else 4, 0), va="center")
    ax.set_yticks(range(len(shares)), names)
    ax.set_ylim(len(shares) - 0.5, -0.5)
    ax.set(title=text("chart.share_title", lang, year=year, entity=entity_label, whole=whole_label),
           xlabel=text("chart.share_x", lang), ylabel="")
    found = {k if k in BOUND_SIGN else "exact" for k in kinds}
    if found - {"exact"}:
        _legend_below(fig, ax, _kind_handles(found, lang, bars=True))
    _labels_inside(fig)
    return fig


def talent_dot_plot(talent: pd.DataFrame, lang: str = "zh", looks: dict | None = None):
    """Talent counts per district on a log axis (1 to 905 and 10万 on one chart); columns indicator_label,
    entity_label, value and, where given, bound (compare.talent_long: 'exact', 'lower', 'upper'). A bound
    ('10万余人', at least 100,000) is drawn open, pointing where the true value lies, labelled '≥100,000', and the
    legend names the kinds drawn. One colour and filled marker per district (``looks``: those of the page,
    :func:`.style.district_looks`)."""
    check_lang(lang)
    order = list(dict.fromkeys(talent["indicator_label"]))
    ypos = {name: i for i, name in enumerate(order)}
    entities = list(dict.fromkeys(talent["entity_label"]))
    look = district_looks(entities, looks)
    bounds = talent["bound"] if "bound" in talent else pd.Series("exact", index=talent.index)
    fig, ax = _new((8, 0.5 * len(order) + 1.6))
    kinds = set()
    for k, entity in enumerate(entities):
        sub = talent[(talent["entity_label"] == entity) & talent["value"].notna()]
        y = sub["indicator_label"].map(ypos) + (k - (len(entities) - 1) / 2) * 0.16
        kinds |= _kind_points(ax, sub["value"], y, bounds[sub.index], look[entity][1], look[entity][0], entity, 70)
        for value, yv, kind in zip(sub["value"], y, bounds[sub.index]):
            if kind in BOUND_SIGN:  # the bound's number, so that '10万余' does not read as exactly 100,000
                ax.annotate(f"{BOUND_SIGN[kind]}{value:,.0f}", (value, yv), textcoords="offset points",
                            xytext=(7, 0) if kind == "lower" else (-7, 0), ha="left" if kind == "lower" else "right",
                            va="center", fontsize=8, color=look[entity][0], bbox=LABEL_BOX)
    ax.set_xscale("log")
    _readable_log_axis(ax.xaxis, lambda x: f"{x:,.0f}" if x >= 1 else f"{x:g}")
    ax.set_yticks(range(len(order)), [_wrap(o) for o in order])
    ax.set_ylim(len(order) - 0.5, -0.5)
    ax.set(title=text("chart.talent_title", lang), xlabel=text("chart.talent_x", lang), ylabel="")
    _kind_legend(ax, kinds, lang)
    _legend_below(fig, ax)
    _labels_inside(fig)  # room for the label '≥100,000' right of its point
    return fig
