"""CJK font set-up and the package's charts; every chart speaks zh or en and puts units on its axes.

The font comes from the PyPI package mplfonts (Noto Sans CJK SC), so Chinese renders on a machine
with no CJK system font; an installed CJK font is the fallback.
"""
from __future__ import annotations

import re
import textwrap
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib import font_manager
from matplotlib.ticker import FuncFormatter, LogLocator

from analysis_utils.errors import AnalysisError
from analysis_utils.labels import check_lang, text
from analysis_utils.rounding import format_fixed

CJK_FONT_FILE = "NotoSansCJKsc-Regular.otf"
FALLBACK_FAMILIES = ("Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "WenQuanYi Zen Hei", "SimHei")
PALETTE = {"focus": "#c0392b", "peer": "#2c3e50", "other": "#7f8c8d"}
_CJK = re.compile("[\u4e00-\u9fff]")  # a CJK character is about two Latin letters wide
_font_family: str | None = None


def cjk_font_path() -> Path | None:
    """The Noto Sans CJK file shipped by mplfonts, if installed."""
    try:
        import mplfonts
    except ImportError:
        return None
    path = Path(mplfonts.__file__).parent / "fonts" / CJK_FONT_FILE
    return path if path.exists() else None


def setup_fonts() -> str:
    """Register a CJK font with matplotlib and make it the default; return its family name."""
    global _font_family
    if _font_family:
        return _font_family
    path = cjk_font_path()
    if path is not None:
        font_manager.fontManager.addfont(str(path))
        family = font_manager.FontProperties(fname=str(path)).get_name()
    else:
        installed = {f.name for f in font_manager.fontManager.ttflist}
        family = next((f for f in FALLBACK_FAMILIES if f in installed), None)
        if family is None:
            raise AnalysisError("no CJK font: install the dependency 'mplfonts' (pip install mplfonts) "
                                "or a system font such as Debian's fonts-noto-cjk")
    sns.set_theme(style="whitegrid", context="notebook")
    plt.rcParams.update({
        "font.family": [family, "DejaVu Sans"], "font.sans-serif": [family, "DejaVu Sans"],
        "axes.unicode_minus": False, "figure.dpi": 110, "savefig.dpi": 150,
        "svg.fonttype": "path",  # SVG keeps glyph outlines, so readers need no CJK font
    })
    _font_family = family
    return family


def _new(figsize=(8, 4.5)):
    setup_fonts()
    return plt.subplots(figsize=figsize, layout="constrained")


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
    return fig


# How a value's kind is drawn: exact filled; bounds open with an arrow-like marker pointing where the true value
# lies; imputed hollow grey; off the log scale (0 or ∞) pinned to the axis edge. Legend labels: chart.kind.<kind>.
KIND_STYLE = {"lower": {"facecolors": "none", "linewidths": 1.4}, "upper": {"facecolors": "none", "linewidths": 1.4},
              "imputed": {"facecolors": "none", "linestyle": "--"}}
KIND_MARK = {"lower": "≥", "upper": "≤"}
VALUE_KINDS = ("exact", "lower", "upper", "imputed", "bound_used", "offscale")  # catalogue "chart.kind.<kind>"


def value_kind(value: float, bound: str) -> str:
    """How a plotted value is drawn: 'exact', 'lower', 'upper', 'offscale' (0, negative or ∞ on a log axis) or
    'missing' (NaN, not drawn); ``bound`` is a bound class of data/qualifiers ('exact', 'lower', …)."""
    if value != value:
        return "missing"
    if value <= 0 or value == float("inf"):
        return "offscale"
    return bound if bound in ("lower", "upper") else "exact"


def _kind_legend(ax, kinds: set[str], lang: str) -> None:
    """Legend entries (grey proxy markers) for the kinds of value drawn, so bounds and off-scale points are named."""

    proxies = {"exact": dict(marker="o", color="grey", ls=""),
               "lower": dict(marker=">", color="grey", markerfacecolor="none", ls=""),
               "upper": dict(marker="<", color="grey", markerfacecolor="none", ls=""),
               "imputed": dict(marker="o", color="grey", markerfacecolor="none", ls="", markeredgewidth=1,
                               markeredgecolor="grey", alpha=0.7),
               "offscale": dict(marker="|", color="black", ls="", markersize=12)}
    for kind in ("exact", "lower", "upper", "imputed", "offscale"):
        if kind in kinds and (kind != "exact" or len(kinds) > 1):
            ax.plot([], [], label=text(f"chart.kind.{kind}", lang), **proxies[kind])


def _ratio_points(ax, sub: pd.DataFrame, y: pd.Series, marker: str, colour, peer: str) -> set[str]:
    """Draw one peer's ratios on a log x axis by kind (exact, lower, upper; off-scale drawn later by
    _pin_offscale); returns the kinds drawn. ``sub`` has ratio and ratio_bound."""
    kinds = pd.Series([value_kind(v, b) for v, b in zip(sub["ratio"], sub["ratio_bound"])], index=sub.index)
    for kind in ("exact", "lower", "upper"):
        pick = kinds == kind
        if not pick.any():
            continue
        shape = {"lower": ">", "upper": "<"}.get(kind, marker)
        style = {"color": colour} if kind == "exact" else {"edgecolors": colour, **KIND_STYLE[kind]}
        ax.scatter(sub.loc[pick, "ratio"], y[pick], marker=shape, s=60, zorder=3,
                   label=peer if kind == "exact" else None, **style)
        for xv, yv in zip(sub.loc[pick, "ratio"], y[pick]):
            ax.annotate(f"{KIND_MARK.get(kind, '')}{xv:.2g}", (xv, yv), textcoords="offset points",
                        xytext=(6, 0), va="center", fontsize=8)
    if not (kinds == "exact").any():  # the peer still needs its colour in the legend
        ax.scatter([], [], marker=marker, color=colour, label=peer)
    return set(kinds[kinds != "missing"])


def _pin_offscale(ax, points: list[tuple[float, float]]) -> None:
    """Draw 0 and ∞ ratios, which a log axis cannot show, as bars at its left or right edge, labelled 0 / ∞."""
    if not points:
        return
    low, high = ax.get_xlim()
    for value, y in points:
        x = low if value <= 0 else high
        ax.plot([x], [y], marker="|", color="black", markersize=12, clip_on=False, zorder=4)
        ax.annotate("0" if value <= 0 else "∞", (x, y), textcoords="offset points",
                    xytext=(6 if value <= 0 else -10, 0), va="center", fontsize=8)


def ratio_dot_plot(ratios: pd.DataFrame, focus_label: str, year: int, lang: str = "zh",
                   row_label: str = "indicator_label", title_key: str = "chart.ratio_title"):
    """Dot plot of peer/focus ratios on a log axis: values 20× apart stay readable; exact values filled, lower
    bounds '>' and upper bounds '<' open (pointing where the true value lies), 0 and ∞ pinned to the axis edge,
    each kind named in the legend. ``ratios``: entity_label, ``row_label``, ratio, ratio_bound."""
    check_lang(lang)
    fig, ax = _new((8, 0.45 * ratios[row_label].nunique() + 1.6))
    order = list(dict.fromkeys(ratios[row_label]))
    ypos = {name: i for i, name in enumerate(order)}
    peers = list(dict.fromkeys(ratios["entity_label"]))
    markers = ["o", "s", "D", "^", "v", "P"]
    colours = sns.color_palette(n_colors=max(len(peers), 1))
    kinds, offscale = set(), []
    for k, peer in enumerate(peers):
        sub = ratios[(ratios["entity_label"] == peer) & ratios["ratio"].notna()]
        y = sub[row_label].map(ypos) + (k - (len(peers) - 1) / 2) * 0.18
        kinds |= _ratio_points(ax, sub, y, markers[k % 6], colours[k], peer)
        offscale += [(v, yv) for v, yv in zip(sub["ratio"], y) if value_kind(v, "exact") == "offscale"]
    ax.axvline(1, color=PALETTE["focus"], lw=1.2)
    _log_ratio_axis(ax)
    _pin_offscale(ax, offscale)
    _kind_legend(ax, kinds, lang)
    ax.set_yticks(range(len(order)), order)
    ax.invert_yaxis()
    ax.set(title=text(title_key, lang, focus=focus_label, year=year), xlabel=text("chart.ratio_x", lang, focus=focus_label))
    _legend_below(fig, ax)
    return fig


def normalised_dot_plot(ratios: pd.DataFrame, focus_label: str, year: int, lang: str = "zh"):
    """One panel per denominator (per resident, per km², per 亿元 GDP), peers' ratio to the focus on log axes,
    bounds and off-scale values drawn as in ratio_dot_plot."""
    from analysis_utils.analysis.compare import DENOMINATORS

    check_lang(lang)
    meta_label = ratios["indicator_label"].str.replace(r"[（(].*[)）]$", "", regex=True).str.strip()
    data = ratios.assign(short_label=meta_label)
    dens = [d for d in DENOMINATORS if d in set(data["denominator"])]
    order = list(dict.fromkeys(data["short_label"]))
    setup_fonts()
    fig, axes = plt.subplots(1, len(dens), figsize=(4 * len(dens) + 2.5, 0.45 * len(order) + 1.8),
                             sharey=True, layout="constrained", squeeze=False)
    peers = list(dict.fromkeys(data["entity_label"]))
    markers = ["o", "s", "D", "^", "v", "P"]
    colours = sns.color_palette(n_colors=max(len(peers), 1))
    kinds = set()
    for ax, den in zip(axes[0], dens):
        sub_den = data[(data["denominator"] == den) & data["ratio"].notna()]
        offscale = []
        for k, peer in enumerate(peers):
            sub = sub_den[sub_den["entity_label"] == peer]
            y = sub["short_label"].map({n: i for i, n in enumerate(order)}) + (k - (len(peers) - 1) / 2) * 0.18
            kinds |= _ratio_points(ax, sub, y, markers[k % 6], colours[k], peer)
            offscale += [(v, yv) for v, yv in zip(sub["ratio"], y) if value_kind(v, "exact") == "offscale"]
        ax.axvline(1, color=PALETTE["focus"], lw=1.2)
        _log_ratio_axis(ax)
        _pin_offscale(ax, offscale)
        ax.set_title(text(f"denominator.{den}", lang))
        ax.set_xlabel(text("chart.ratio_x", lang, focus=focus_label), fontsize=9)
    _kind_legend(axes[0][0], kinds, lang)
    axes[0][0].set_yticks(range(len(order)), order)
    axes[0][0].invert_yaxis()
    fig.suptitle(text("chart.norm_title", lang, focus=focus_label, year=year))
    _legend_below(fig, axes[0][0])
    return fig


def _log_ratio_axis(ax) -> None:
    """Log scale with plain tick labels (0.3×, 1×, 10×) instead of powers of ten."""
    ax.set_xscale("log")
    low, high = ax.get_xlim()
    ax.xaxis.set_major_locator(LogLocator(base=10, subs=(1.0, 3.0) if high / max(low, 1e-9) > 30 else (1.0, 2.0, 5.0)))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _pos: f"{x:g}×"))
    ax.xaxis.set_minor_formatter(FuncFormatter(lambda *_: ""))


def _legend_below(fig, ax) -> None:
    """One legend under the axes, so it never hides a point."""
    handles, labels = ax.get_legend_handles_labels()
    if ax.get_legend():
        ax.get_legend().remove()
    fig.legend(handles, labels, loc="outside lower center", ncols=min(len(labels), 3), fontsize=8, frameon=False)


def makerspace_dumbbell(table4_numbers: pd.DataFrame, lang: str = "zh"):
    """Cost against revenue per makerspace, sorted by cost; symlog keeps zeros and 400 on one axis."""
    check_lang(lang)
    body = table4_numbers.iloc[:-1].copy()  # drop the total row
    name_col, cost_col, revenue_col, invest_col = body.columns[:4]
    body = body.sort_values(cost_col)
    fig, ax = _new((8, 0.42 * len(body) + 1.4))
    y = np.arange(len(body))
    ax.hlines(y, body[revenue_col].astype(float), body[cost_col].astype(float), color="lightgrey", lw=3, zorder=1)
    ax.scatter(body[cost_col], y, color=PALETTE["focus"], label=text("chart.operating_cost", lang), zorder=3)
    ax.scatter(body[revenue_col], y, color=PALETTE["peer"], label=text("chart.total_revenue", lang), zorder=3)
    ax.scatter(body[invest_col], y, marker="x", color="#27ae60", label=text("chart.investment_raised", lang), zorder=3)
    ax.set_xscale("symlog", linthresh=10)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _pos: f"{x:,.0f}"))
    ax.set_yticks(y, body[name_col])
    ax.set(title=text("chart.maker_title", lang), xlabel=text("chart.maker_x", lang))
    _legend_below(fig, ax)
    return fig


def share_bars(table5_numbers: pd.DataFrame, entity_label: str, whole_label: str, year: int, lang: str = "zh"):
    """The district's share of its city for each 表5 column (%)."""
    check_lang(lang)
    fig, ax = _new((7, 3))
    shares = table5_numbers.iloc[-1, 1:].astype(float)
    # the column headers carry the units of the values (千元, 个); the bars are shares in %, so the units go
    names = [re.sub(r"\s*[（(][^（()）]*[)）]$", "", str(c)) for c in shares.index]
    sns.barplot(x=shares.to_numpy(), y=names, ax=ax, color=PALETTE["focus"], orient="h")
    for i, v in enumerate(shares):
        ax.annotate(f"{format_fixed(v, 2)}%", (v, i), textcoords="offset points", xytext=(4, 0), va="center")
    ax.set(title=text("chart.share_title", lang, year=year, entity=entity_label, whole=whole_label),
           xlabel=text("chart.share_x", lang), ylabel="")
    return fig


def talent_dot_plot(talent: pd.DataFrame, lang: str = "zh"):
    """Talent counts per district on a log axis (1 to 905 on one chart); columns indicator_label, entity_label, value."""
    check_lang(lang)
    fig, ax = _new((8, 0.5 * talent["indicator_label"].nunique() + 1.6))
    sns.scatterplot(data=talent, x="value", y="indicator_label", hue="entity_label", style="entity_label", s=70, ax=ax)
    ax.set_xscale("log")
    ax.set(title=text("chart.talent_title", lang), xlabel=text("chart.talent_x", lang), ylabel="")
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _pos: f"{x:,.0f}"))
    _legend_below(fig, ax)
    return fig


def required_growth_plot(gaps: pd.DataFrame, target_year: int, historical: float | None = None, lang: str = "zh"):
    """Required annual growth (%) per indicator and peer, where the peer leads (growth.gap_table rows:
    indicator_label, entity_label, required_growth, ratio_bound, focus_growth). A lower-bound ratio gives a
    lower-bound growth (open '>' marker). The focus's own growth is drawn as a dashed tick on the rows of
    the indicator it belongs to only (focus_growth not NaN), not across the chart; ``historical`` is accepted
    for older callers and ignored when gaps carries focus_growth. Raises ParameterError for a bad ``lang``."""
    check_lang(lang)
    data = gaps.dropna(subset=["required_growth"]).assign(pct=lambda d: d["required_growth"] * 100)
    order = list(dict.fromkeys(data["indicator_label"]))
    ypos = {name: i for i, name in enumerate(order)}
    peers = list(dict.fromkeys(data["entity_label"]))
    colours = sns.color_palette(n_colors=max(len(peers), 1))
    fig, ax = _new((8, 0.4 * max(len(order), 1) + 1.8))
    kinds = set()
    for k, peer in enumerate(peers):
        sub = data[data["entity_label"] == peer]
        y = sub["indicator_label"].map(ypos) + (k - (len(peers) - 1) / 2) * 0.25
        sub_kinds = pd.Series([value_kind(1.0, b) for b in sub["ratio_bound"]], index=sub.index)
        for kind in ("exact", "lower", "upper"):
            pick = sub_kinds == kind
            if pick.any():
                style = {"color": colours[k]} if kind == "exact" else {"edgecolors": colours[k], **KIND_STYLE[kind]}
                ax.scatter(sub.loc[pick, "pct"], y[pick], marker={"lower": ">", "upper": "<"}.get(kind, "o"), s=60,
                           zorder=3, label=peer if kind == "exact" else None, **style)
                kinds.add(kind)
        if not (sub_kinds == "exact").any():
            ax.scatter([], [], marker="o", color=colours[k], label=peer)
    own = data.dropna(subset=["focus_growth"]) if "focus_growth" in data else data.iloc[0:0]
    for i, (label, rows) in enumerate(own.groupby("indicator_label", sort=False)):
        value = float(rows["focus_growth"].iloc[0]) * 100
        ax.vlines(value, ypos[label] - 0.45, ypos[label] + 0.45, color=PALETTE["focus"], ls="--", lw=1.5,
                  label=text("chart.historical", lang) if i == 0 else None)
    ax.axvline(0, color="grey", lw=0.8)
    _kind_legend(ax, kinds, lang)
    ax.set_yticks(range(len(order)), order)
    ax.set_ylim(len(order) - 0.5, -0.5)
    ax.set(title=text("chart.growth_title", lang, target=target_year), xlabel=text("chart.growth_x", lang), ylabel="")
    _legend_below(fig, ax)
    return fig


def treated_cells(record: pd.DataFrame | None, names: dict | None = None) -> dict[tuple[str, str], str]:
    """(entity display name, indicator) -> 'imputed' or 'bound' for each cell the composite's treatment record
    (composite.index.treat_censored_missing: entity, indicator, action) says was filled in or set to a bound;
    ``names`` maps entity codes to display names (data.entity_names)."""
    out = {}
    if record is None:
        return out
    for entity, indicator, action in zip(record["entity"], record["indicator"], record["action"]):
        kind = "imputed" if str(action).startswith("imputed") else \
            "bound" if " bound used as the value" in str(action) else None
        if kind:
            out[((names or {}).get(entity, entity), indicator)] = kind
    return out


def contributions_plot(contributions: pd.DataFrame, labels: dict, method: str, lang: str = "zh",
                       record: pd.DataFrame | None = None, names: dict | None = None):
    """Stacked horizontal bars: each indicator's contribution to each entity's score; ``method`` is the aggregation
    (composite.index.AGGREGATIONS), named in the title by the catalogue's ``method.<name>``. Segments of cells the
    treatment ``record`` imputed are hatched '//', cells set to a printed bound '..', each with a legend entry
    (``names`` maps the record's entity codes to the index of ``contributions``). Raises ParameterError for a bad lang."""
    from matplotlib.patches import Patch

    check_lang(lang)
    method = text(f"method.{method}", lang)
    treated = treated_cells(record, names)
    data = contributions.rename(columns=labels)
    fig, ax = _new((9, 0.6 * len(data) + 2.8))
    left_pos = np.zeros(len(data))
    left_neg = np.zeros(len(data))
    colours = sns.color_palette("tab20", len(data.columns))
    shown = set()
    for colour, indicator, column in zip(colours, contributions.columns, data.columns):
        values = data[column].to_numpy(dtype=float)
        left = np.where(values >= 0, left_pos, left_neg)
        hatches = [{"imputed": "//", "bound": ".."}.get(treated.get((e, indicator)), "") for e in data.index]
        bars = ax.barh(range(len(data)), values, left=left, color=colour, label=column)
        for bar, hatch in zip(bars, hatches):
            if hatch:
                bar.set_hatch(hatch)
                bar.set_edgecolor("black")
                shown.add(hatch)
        left_pos += np.where(values >= 0, values, 0)
        left_neg += np.where(values < 0, values, 0)
    ax.axvline(0, color="black", lw=0.8)
    ax.set_yticks(range(len(data)), data.index)
    ax.invert_yaxis()
    ax.set(title=text("chart.contrib_title", lang, method=method), xlabel=text("chart.contrib_x", lang))
    # plain swatches: a legend handle copied from a hatched first bar would look like a treatment
    handles = [Patch(facecolor=colour) for colour in colours]
    legend_labels = list(data.columns)
    for hatch, kind in (("//", "imputed"), ("..", "bound_used")):
        if hatch in shown:
            handles.append(Patch(facecolor="white", edgecolor="black", hatch=hatch))
            legend_labels.append(text(f"chart.kind.{kind}", lang))
    fig.legend(handles, legend_labels, loc="outside lower center", ncols=3, fontsize=8, frameon=False)
    return fig


def rank_frequency_heatmap(rank_frequency: pd.DataFrame, n_samples: int, lang: str = "zh"):
    """Share of samples in which each entity takes each rank."""
    check_lang(lang)
    fig, ax = _new((1.2 * rank_frequency.shape[1] + 3, 0.5 * len(rank_frequency) + 1.8))
    sns.heatmap(rank_frequency * 100, annot=True, fmt=".0f", cmap="Blues", vmin=0, vmax=100, ax=ax,
                cbar_kws={"label": "%"})
    ax.set(title=text("chart.rankfreq_title", lang, n=n_samples), xlabel=text("chart.rank", lang), ylabel="")
    return fig


def sensitivity_heatmap(sensitivity: pd.DataFrame, n_samples: int, lang: str = "zh",
                        title_key: str = "chart.sens_title"):
    """First-order index of each entity's rank (or position) for each choice, or None when nothing ever moved
    (every index undefined): then there is no chart to draw, and the caller writes the sentence
    ``chart.no_rank_change`` instead of an empty frame. A row with no index (that entity never moved) is
    labelled in its cells and explained under the chart.

    Columns of ``sensitivity`` are the factors of composite.sensitivity.FACTORS, named by the catalogue's
    ``factor.<name>``; ``title_key`` is a catalogue key (chart.sens_title or chart.pos_sens_title)."""
    check_lang(lang)
    if sensitivity.isna().all().all():
        return None
    fig, ax = _new((9, 0.6 * len(sensitivity) + 2.6))
    # short wrapped column labels keep the cells from being squeezed by long rotated text
    sensitivity = sensitivity.rename(columns=lambda f: _wrap(text(f"factor.{f}", lang)))
    sns.heatmap(sensitivity, annot=True, fmt=".2f", cmap="Reds", vmin=0, vmax=1, ax=ax, cbar_kws={"label": "S"})
    ax.tick_params(axis="x", labelrotation=0)
    ax.tick_params(axis="y", labelrotation=0)
    still = [i for i, (_e, row) in enumerate(sensitivity.iterrows()) if row.isna().all()]
    for i in still:
        ax.text(sensitivity.shape[1] / 2, i + 0.5, text("chart.never_moved", lang), ha="center", va="center",
                fontsize=9, color="dimgrey")
    if still:
        fig.text(0.01, 0.005, text("chart.blank_rows", lang, n=n_samples), fontsize=8, color="dimgrey", ha="left",
                 va="bottom")
    ax.set(title=text(title_key, lang), ylabel="")
    return fig


def _wrap(name: str) -> str:
    """A factor name wrapped for a heatmap column: 8 characters a line in Chinese, 16 in Latin script."""
    return textwrap.fill(name, 8 if _CJK.search(name) else 16)


def verdict_bars(audit: pd.DataFrame, lang: str = "zh"):
    """Stacked bars: how many claims of each basis (recomputed, restated, …, rows) got each verdict (colours).

    ``audit`` is claims.audit's frame (verdict, basis); plain facts are not in it, so they are not counted.
    Raises ParameterError for a bad ``lang``.
    """
    from analysis_utils.audit.claims import BASES, VERDICTS
    from analysis_utils.audit.views import basis_label, verdict_label

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

    ``checks`` is audit.external.external_checks' frame in ``lang`` (source, statement, printed, year, kind,
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
