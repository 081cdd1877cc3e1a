"""Charts of the report's own tables (01, 02): 表1 as an index series, 表3 talent, 表4 makerspaces, 表5 shares.
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.ticker import FuncFormatter

from analysis_utils.labels import check_lang, text
from analysis_utils.report.charts.style import PALETTE, _legend_below, _new
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
    return fig


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
