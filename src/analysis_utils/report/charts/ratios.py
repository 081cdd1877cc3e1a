"""Charts of ratios on a log axis and of the growth needed to close gaps (02, 03): how each value's kind (exact,
a bound, imputed, off the scale) is drawn, peer/focus ratios, normalised ratios, required growth.
"""
from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd

from analysis_utils.labels import check_lang, text
from analysis_utils.report.charts.style import (
    BOUND_SIGN,
    OPEN_STYLE,
    PALETTE,
    _kind_legend,
    _kind_points,
    _labels_inside,
    _legend_below,
    _log_ratio_axis,
    _new,
    LABEL_BOX,
    _wrap,
    district_looks,
    setup_fonts,
)
from analysis_utils.rounding import format_significant

# How a value's kind is drawn: exact filled; bounds open with an arrow-like marker pointing where the true value
# lies; imputed hollow grey; off the log scale (0 or ∞) pinned to the axis edge. Legend labels: chart.kind.<kind>.
KIND_STYLE = {"lower": OPEN_STYLE, "upper": OPEN_STYLE, "imputed": {"facecolors": "none", "linestyle": "--"}}
KIND_MARK = BOUND_SIGN
VALUE_KINDS = ("exact", "lower", "upper", "imputed", "bound_used", "offscale")  # catalogue "chart.kind.<kind>"


ROW_INCHES = 0.55  # height of one indicator's row: room for each peer's dot and its 8-point label, one above another


def _peer_offset(k: int, n: int) -> float:
    """Where the ``k``-th of ``n`` peers sits in a row (row units, centred): 0.3 apart, so that two peers' labels
    (8 points high, the row ROW_INCHES high) never print over each other, squeezed for more than three peers."""
    step = min(0.3, 0.8 / max(n, 1))
    return (k - (n - 1) / 2) * step


def value_kind(value: float, bound: str) -> str:
    """How a plotted value is drawn: 'exact', 'lower', 'upper', 'offscale' (0, negative or ∞ on a log axis) or
    'missing' (NaN, not drawn); ``bound`` is a bound class of data/qualifiers ('exact', 'lower', …)."""
    if value != value:
        return "missing"
    if value <= 0 or value == float("inf"):
        return "offscale"
    return bound if bound in ("lower", "upper") else "exact"


def _ratio_points(ax, sub: pd.DataFrame, y: pd.Series, marker: str, colour, peer: str) -> set[str]:
    """Draw one peer's ratios on a log x axis by kind (exact, lower, upper; off-scale drawn later by
    _pin_offscale); returns the kinds drawn. ``sub`` has ratio and ratio_bound."""
    kinds = pd.Series([value_kind(v, b) for v, b in zip(sub["ratio"], sub["ratio_bound"])], index=sub.index)
    shown = kinds.isin(["exact", "lower", "upper"])
    _kind_points(ax, sub.loc[shown, "ratio"], y[shown], kinds[shown], marker, colour, peer)
    for xv, yv, kind in zip(sub.loc[shown, "ratio"], y[shown], kinds[shown]):
        outward = {"lower": "down", "upper": "up"}.get(kind, "nearest")  # a bound's label must still hold
        ax.annotate(f"{KIND_MARK.get(kind, '')}{format_significant(xv, 2, outward)}", (xv, yv),
                    textcoords="offset points", xytext=(6, 0), va="center", fontsize=8, bbox=LABEL_BOX)
    return set(kinds[kinds != "missing"])


def _say_empty_rows(ax, rows: list[str], drawn: set[str], lang: str) -> None:
    """Write 'no value to compare' (chart.no_ratio) on each row of ``rows`` (in y order) without a point, so an empty
    row reads as missing data, not as a drawing fault (a focus without R&D expenditure leaves its row empty)."""
    for y, row in enumerate(rows):
        if row not in drawn:
            ax.text(0.02, y, text("chart.no_ratio", lang), transform=ax.get_yaxis_transform(), ha="left",
                    va="center", fontsize=8, color="grey", style="italic", bbox=LABEL_BOX)


def _pin_offscale(ax, points: list[tuple[float, float]]) -> None:
    """Draw 0 and ∞ ratios, which a log axis cannot show, as bars at its left or right edge, labelled 0 / ∞."""
    if not points:
        return
    edge = ax.get_yaxis_transform()  # x in fractions of the frame, y in data: the edge stays the edge
    for value, y in points:
        x = 0 if value <= 0 else 1
        ax.plot([x], [y], marker="|", color="black", markersize=12, clip_on=False, zorder=4, transform=edge)
        ax.annotate("0" if value <= 0 else "∞", (x, y), xycoords=edge, textcoords="offset points",
                    xytext=(6 if value <= 0 else -10, 0), va="center", fontsize=8)


def ratio_dot_plot(ratios: pd.DataFrame, focus_label: str, year: int, lang: str = "zh",
                   row_label: str = "indicator_label", title_key: str = "chart.ratio_title", looks: dict | None = None):
    """Dot plot of peer/focus ratios on a log axis: values 20× apart stay readable; exact values filled, lower
    bounds '>' and upper bounds '<' open (pointing where the true value lies), 0 and ∞ pinned to the axis edge,
    each kind named in the legend. ``ratios``: entity_label, ``row_label``, ratio, ratio_bound. ``looks``: each
    district's colour and marker on the page (:func:`.style.district_looks`)."""
    check_lang(lang)
    fig, ax = _new((8, ROW_INCHES * ratios[row_label].nunique() + 1.6))
    order = list(dict.fromkeys(ratios[row_label]))
    ypos = {name: i for i, name in enumerate(order)}
    peers = list(dict.fromkeys(ratios["entity_label"]))
    look = district_looks(peers, looks)
    kinds, offscale = set(), []
    for k, peer in enumerate(peers):
        sub = ratios[(ratios["entity_label"] == peer) & ratios["ratio"].notna()]
        y = sub[row_label].map(ypos) + _peer_offset(k, len(peers))
        kinds |= _ratio_points(ax, sub, y, look[peer][1], look[peer][0], peer)
        offscale += [(v, yv) for v, yv in zip(sub["ratio"], y) if value_kind(v, "exact") == "offscale"]
    ax.axvline(1, color=PALETTE["focus"], lw=1.2)
    _log_ratio_axis(ax)
    _pin_offscale(ax, offscale)
    _say_empty_rows(ax, order, set(ratios.loc[ratios["ratio"].notna(), row_label]), lang)
    _kind_legend(ax, kinds, lang)
    ax.set_yticks(range(len(order)), [_wrap(o) for o in order])
    ax.invert_yaxis()
    ax.set(title=text(title_key, lang, focus=focus_label, year=year), xlabel=text("chart.ratio_x", lang, focus=focus_label))
    _legend_below(fig, ax)
    _labels_inside(fig)
    return fig


def normalised_dot_plot(ratios: pd.DataFrame, focus_label: str, year: int, lang: str = "zh",
                        looks: dict | None = None):
    """One panel per denominator (per resident, per km², per 亿元 GDP), peers' ratio to the focus on log axes,
    bounds and off-scale values drawn as in ratio_dot_plot; ``looks`` as there."""
    from analysis_utils.analysis.compare import DENOMINATORS

    check_lang(lang)
    meta_label = ratios["indicator_label"].str.replace(r"[（(].*[)）]$", "", regex=True).str.strip()
    data = ratios.assign(short_label=meta_label)
    dens = [d for d in DENOMINATORS if d in set(data["denominator"])]
    order = list(dict.fromkeys(data["short_label"]))
    setup_fonts()
    fig, axes = plt.subplots(1, len(dens), figsize=(4 * len(dens) + 2.5, ROW_INCHES * len(order) + 1.8),
                             sharey=True, layout="constrained", squeeze=False)
    peers = list(dict.fromkeys(data["entity_label"]))
    look = district_looks(peers, looks)
    kinds = set()
    for ax, den in zip(axes[0], dens):
        sub_den = data[(data["denominator"] == den) & data["ratio"].notna()]
        offscale = []
        for k, peer in enumerate(peers):
            sub = sub_den[sub_den["entity_label"] == peer]
            y = sub["short_label"].map({n: i for i, n in enumerate(order)}) + _peer_offset(k, len(peers))
            kinds |= _ratio_points(ax, sub, y, look[peer][1], look[peer][0], peer)
            offscale += [(v, yv) for v, yv in zip(sub["ratio"], y) if value_kind(v, "exact") == "offscale"]
        ax.axvline(1, color=PALETTE["focus"], lw=1.2)
        _log_ratio_axis(ax)
        _pin_offscale(ax, offscale)
        _say_empty_rows(ax, order, set(sub_den["short_label"]), lang)
        ax.set_title(text(f"denominator.{den}", lang))
    # one label, under the middle panel: a long focus name (a user's district) repeated under each ran into the next
    axes[0][len(dens) // 2].set_xlabel(text("chart.ratio_x", lang, focus=focus_label), fontsize=9)
    _kind_legend(axes[0][0], kinds, lang)
    axes[0][0].set_yticks(range(len(order)), [_wrap(o) for o in order])
    axes[0][0].invert_yaxis()
    fig.suptitle(text("chart.norm_title", lang, focus=focus_label, year=year))
    _legend_below(fig, axes[0][0])
    _labels_inside(fig)
    return fig


def required_growth_plot(gaps: pd.DataFrame, target_year: int, historical: float | None = None, lang: str = "zh",
                         focus: str = "", looks: dict | None = None):
    """Required annual growth (%) of ``focus`` (its name as the page writes it, OTHER_MARK included when its numbers
    are another source's: every growth here is computed from them; the title names it) per indicator and peer, where
    the peer leads (growth.gap_table rows labelled by
    report.names.label_rows: indicator_label, entity_label, required_growth, ratio_bound, focus_growth). A
    lower-bound ratio gives a lower-bound growth (open '>' marker). The focus's own growth is drawn as a dashed tick
    on the rows of the indicator it belongs to only (focus_growth not NaN), not across the chart; ``historical`` is
    accepted for older callers and ignored when gaps carries focus_growth; ``looks`` as in ratio_dot_plot. Raises
    ParameterError for a bad ``lang``."""
    check_lang(lang)
    data = gaps.dropna(subset=["required_growth"]).assign(pct=lambda d: d["required_growth"] * 100)
    order = list(dict.fromkeys(data["indicator_label"]))
    ypos = {name: i for i, name in enumerate(order)}
    peers = list(dict.fromkeys(data["entity_label"]))
    look = district_looks(peers, looks)
    fig, ax = _new((8, 0.4 * max(len(order), 1) + 1.8))
    kinds = set()
    for k, peer in enumerate(peers):
        sub = data[data["entity_label"] == peer]
        y = sub["indicator_label"].map(ypos) + (k - (len(peers) - 1) / 2) * 0.25
        sub_kinds = [value_kind(1.0, b) for b in sub["ratio_bound"]]
        kinds |= _kind_points(ax, sub["pct"], y, sub_kinds, look[peer][1], look[peer][0], peer)
    own = data.dropna(subset=["focus_growth"]) if "focus_growth" in data else data.iloc[0:0]
    for i, (label, rows) in enumerate(own.groupby("indicator_label", sort=False)):
        value = float(rows["focus_growth"].iloc[0]) * 100
        ax.vlines(value, ypos[label] - 0.45, ypos[label] + 0.45, color=PALETTE["focus"], ls="--", lw=1.5,
                  label=text("chart.historical", lang) if i == 0 else None)
    ax.axvline(0, color="grey", lw=0.8)
    _kind_legend(ax, kinds, lang)
    ax.set_yticks(range(len(order)), [_wrap(o) for o in order])
    ax.set_ylim(len(order) - 0.5, -0.5)
    ax.set(title=text("chart.growth_title", lang, target=target_year, focus=focus), xlabel=text("chart.growth_x", lang), ylabel="")
    _legend_below(fig, ax)
    return fig
