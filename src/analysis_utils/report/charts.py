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


def ratio_dot_plot(ratios: pd.DataFrame, focus_label: str, year: int, lang: str = "zh",
                   row_label: str = "indicator_label", title_key: str = "chart.ratio_title"):
    """Dot plot of peer/focus ratios on a log axis: values 20× apart stay readable; lower bounds open."""
    check_lang(lang)
    fig, ax = _new((8, 0.45 * ratios[row_label].nunique() + 1.6))
    order = list(dict.fromkeys(ratios[row_label]))
    ypos = {name: i for i, name in enumerate(order)}
    peers = list(dict.fromkeys(ratios["entity_label"]))
    markers = ["o", "s", "D", "^", "v", "P"]
    for k, peer in enumerate(peers):
        sub = ratios[(ratios["entity_label"] == peer) & ratios["ratio"].notna()]
        offset = (k - (len(peers) - 1) / 2) * 0.18
        y = sub[row_label].map(ypos) + offset
        exact = sub["ratio_bound"] != "lower"
        ax.scatter(sub.loc[exact, "ratio"], y[exact], marker=markers[k % 6], s=55, label=peer, zorder=3)
        if (~exact).any():
            ax.scatter(sub.loc[~exact, "ratio"], y[~exact], marker=markers[k % 6], s=55, facecolors="none",
                       edgecolors="black", zorder=3, label=f"{peer}: {text('chart.lower_bound', lang)}")
        for xv, yv, bound in zip(sub["ratio"], y, sub["ratio_bound"]):
            ax.annotate(f"{'≥' if bound == 'lower' else ''}{xv:.2g}", (xv, yv), textcoords="offset points",
                        xytext=(6, 0), va="center", fontsize=8)
    ax.axvline(1, color=PALETTE["focus"], lw=1.2)
    _log_ratio_axis(ax)
    ax.set_yticks(range(len(order)), order)
    ax.invert_yaxis()
    ax.set(title=text(title_key, lang, focus=focus_label, year=year), xlabel=text("chart.ratio_x", lang, focus=focus_label))
    _legend_below(fig, ax)
    return fig


def normalised_dot_plot(ratios: pd.DataFrame, focus_label: str, year: int, lang: str = "zh"):
    """One panel per denominator (per resident, per km², per 亿元 GDP), peers' ratio to the focus on log axes."""
    from analysis_utils.analysis.compare import DENOMINATORS

    check_lang(lang)
    meta_label = ratios["indicator_label"].str.replace(r"[（(].*[)）]$", "", regex=True).str.strip()
    data = ratios.assign(short_label=meta_label)
    dens = [d for d in DENOMINATORS if d in set(data["denominator"])]
    order = list(dict.fromkeys(data["short_label"]))
    setup_fonts()
    fig, axes = plt.subplots(1, len(dens), figsize=(4 * len(dens) + 2.5, 0.45 * len(order) + 1.8),
                             sharey=True, layout="constrained", squeeze=False)
    setup_fonts()
    peers = list(dict.fromkeys(data["entity_label"]))
    markers = ["o", "s", "D", "^", "v", "P"]
    for ax, den in zip(axes[0], dens):
        sub_den = data[(data["denominator"] == den) & data["ratio"].notna()]
        for k, peer in enumerate(peers):
            sub = sub_den[sub_den["entity_label"] == peer]
            y = sub["short_label"].map({n: i for i, n in enumerate(order)}) + (k - (len(peers) - 1) / 2) * 0.18
            lower = sub["ratio_bound"] == "lower"
            ax.scatter(sub.loc[~lower, "ratio"], y[~lower], marker=markers[k % 6], s=45, label=peer, zorder=3)
            ax.scatter(sub.loc[lower, "ratio"], y[lower], marker=markers[k % 6], s=45, facecolors="none",
                       edgecolors="black", zorder=3, label=f"{peer}: {text('chart.lower_bound', lang)}" if lower.any() else None)
        ax.axvline(1, color=PALETTE["focus"], lw=1.2)
        _log_ratio_axis(ax)
        ax.set_title(text(f"denominator.{den}", lang))
        ax.set_xlabel(text("chart.ratio_x", lang, focus=focus_label), fontsize=9)
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
    sns.barplot(x=shares.to_numpy(), y=list(shares.index), ax=ax, color=PALETTE["focus"], orient="h")
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


def required_growth_plot(gaps: pd.DataFrame, target_year: int, historical: float | None, lang: str = "zh"):
    """Required annual growth per indicator and peer (columns indicator_label, entity_label, required_growth)."""
    check_lang(lang)
    data = gaps.dropna(subset=["required_growth"]).assign(pct=lambda d: d["required_growth"] * 100)
    fig, ax = _new((8, 0.4 * data["indicator_label"].nunique() + 1.8))
    sns.stripplot(data=data, x="pct", y="indicator_label", hue="entity_label", size=8, jitter=False, dodge=True, ax=ax)
    if historical is not None:
        ax.axvline(historical * 100, color=PALETTE["focus"], ls="--", label=text("chart.historical", lang))
    ax.axvline(0, color="grey", lw=0.8)
    ax.set(title=text("chart.growth_title", lang, target=target_year), xlabel=text("chart.growth_x", lang), ylabel="")
    _legend_below(fig, ax)
    return fig


def contributions_plot(contributions: pd.DataFrame, labels: dict, method: str, lang: str = "zh"):
    """Stacked horizontal bars: each indicator's contribution to each entity's score; ``method`` is the aggregation
    (composite.index.AGGREGATIONS), named in the title by the catalogue's ``method.<name>``."""
    method = text(f"method.{method}", lang)
    data = contributions.rename(columns=labels)
    fig, ax = _new((9, 0.6 * len(data) + 2.8))
    left_pos = np.zeros(len(data))
    left_neg = np.zeros(len(data))
    colours = sns.color_palette("tab20", len(data.columns))
    for colour, column in zip(colours, data.columns):
        values = data[column].to_numpy(dtype=float)
        left = np.where(values >= 0, left_pos, left_neg)
        ax.barh(range(len(data)), values, left=left, color=colour, label=column)
        left_pos += np.where(values >= 0, values, 0)
        left_neg += np.where(values < 0, values, 0)
    ax.axvline(0, color="black", lw=0.8)
    ax.set_yticks(range(len(data)), data.index)
    ax.invert_yaxis()
    ax.set(title=text("chart.contrib_title", lang, method=method), xlabel=text("chart.contrib_x", lang))
    _legend_below(fig, ax)
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
    """First-order index of each entity's rank (or position) for each choice; a note when nothing moved.

    Columns of ``sensitivity`` are the factors of composite.sensitivity.FACTORS, named by the catalogue's
    ``factor.<name>``; ``title_key`` is a catalogue key (chart.sens_title or chart.pos_sens_title)."""
    check_lang(lang)
    fig, ax = _new((9, 0.6 * len(sensitivity) + 2.6))
    # short wrapped column labels keep the cells from being squeezed by long rotated text
    sensitivity = sensitivity.rename(columns=lambda f: _wrap(text(f"factor.{f}", lang)))
    if sensitivity.isna().all().all():
        ax.text(0.5, 0.5, text("chart.no_rank_change", lang, n=n_samples), ha="center", va="center",
                transform=ax.transAxes, fontsize=11)
        ax.set_xticks([])
        ax.set_yticks([])
    else:
        sns.heatmap(sensitivity, annot=True, fmt=".2f", cmap="Reds", vmin=0, vmax=1, ax=ax, cbar_kws={"label": "S"})
        ax.tick_params(axis="x", labelrotation=0)
        ax.tick_params(axis="y", labelrotation=0)
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
    from analysis_utils.audit.views import verdict_label

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
    ax.set_yticks(range(len(counts)), [text(f"basis.{b}", lang) for b in counts.index])
    ax.invert_yaxis()
    ax.set(title=text("chart.verdict_title", lang), xlabel=text("chart.claims_count", lang),
           ylabel=text("chart.basis", lang))
    _legend_below(fig, ax)
    return fig


def external_comparison_plot(checks: pd.DataFrame, lang: str = "zh"):
    """Each report number against its published figures: published / printed (1 = the same), log scale.

    ``checks`` is audit.external.external_checks' frame (statement, printed, year, external_value, external_year,
    difference, verdict …); one dot per published figure, the year beside it. Published figures come from outside
    the report, and the title says so. Raises ParameterError for a bad ``lang``.
    """
    check_lang(lang)
    reported = checks["external_value"] - checks["difference"]
    ratio = (checks["external_value"] / reported).astype(float)
    labels = [f"{src} {p}" if kind == "claim" else f"{textwrap.shorten(s, 40, placeholder='…')} ({p})"
              for src, s, p, kind in zip(checks["source"], checks["statement"], checks["printed"], checks["kind"])]
    order = list(dict.fromkeys(labels))
    fig, ax = _new((8, 0.6 * len(order) + 1.8))
    colours = {"agrees": PALETTE["peer"], "differs": PALETTE["focus"]}
    for y_label, r, year, verdict in zip(labels, ratio, checks["external_year"], checks["verdict"]):
        y = order.index(y_label)
        ax.scatter(r, y, color=colours.get(verdict, PALETTE["other"]), zorder=3)
        ax.annotate(str(int(year)), (r, y), textcoords="offset points", xytext=(5, 4), fontsize=8)
    ax.axvline(1, color=PALETTE["other"], lw=1, ls="--")
    ax.set_xscale("log")
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
    ax.xaxis.set_minor_formatter(FuncFormatter(lambda v, _: ""))
    ax.set_yticks(range(len(order)), order)
    ax.invert_yaxis()
    ax.set(title=text("chart.external_title", lang), xlabel=text("chart.external_x", lang), ylabel="")
    return fig


def share_series_plot(series: pd.DataFrame, entity_label: str, whole_label: str, indicator_names: dict,
                      lang: str = "zh"):
    """The district's share (%) of a published city total per year, one line per indicator (analysis.external_series
    .share_series' frame: indicator, year, share); labelled as resting on figures from outside the report."""
    check_lang(lang)
    fig, ax = _new((7, 3.5))
    for indicator, part in series.drop_duplicates(["indicator", "year"]).groupby("indicator", sort=False):
        ax.plot(part["year"], part["share"], marker="o", label=indicator_names.get(indicator, indicator))
    ax.xaxis.set_major_locator(plt.MaxNLocator(integer=True))
    ax.set(title=text("chart.external_share_title", lang, entity=entity_label, whole=whole_label),
           xlabel=text("chart.year", lang), ylabel=text("chart.share_x", lang))
    ax.legend(loc="best", fontsize=8)
    return fig
