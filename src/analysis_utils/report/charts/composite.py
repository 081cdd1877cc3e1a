"""Charts of the composite indicator (05): contributions by indicator, rank frequencies and first-order
sensitivity indices.
"""
from __future__ import annotations

import re
import textwrap

import numpy as np
import pandas as pd

from analysis_utils.labels import check_lang, text
from analysis_utils.report.charts.style import _footnote, _new, figure_legend, palette

_CJK = re.compile("[\u4e00-\u9fff]")  # a CJK character is about two Latin letters wide


def treated_cells(record: pd.DataFrame | None, names: dict | None = None) -> dict[tuple[str, str], str]:
    """(entity display name, indicator) -> 'imputed' or 'bound' for each cell the composite's treatment record
    (composite.index.treat_censored_missing: entity, indicator, action) says was filled in or set to a bound;
    ``names`` maps entity codes to display names (report.names.entity_names)."""
    out = {}
    if record is None:
        return out
    for entity, indicator, action in zip(record["entity"], record["indicator"], record["action"]):
        kind = {"imputed": "imputed", "bound_used": "bound"}.get(action)
        if kind:
            out[((names or {}).get(entity, entity), indicator)] = kind
    return out


def contributions_plot(contributions: pd.DataFrame, labels: dict, method: str, lang: str = "zh",
                       record: pd.DataFrame | None = None, names: dict | None = None, mark: str = "",
                       reference: str | None = None):
    """Stacked horizontal bars: each indicator's contribution to each entity's score (``mark``, after the title:
    report.names.OTHER_MARK when the scores rest on another source's numbers); ``method`` is the aggregation
    (composite.index.AGGREGATIONS), named in the title by the catalogue's ``method.<name>``. Segments of cells the
    treatment ``record`` imputed are hatched '//', cells set to a printed bound '..', each with a legend entry
    (``names`` maps the record's entity codes to the index of ``contributions``). ``reference``: the ratio
    normalisation's reference, as named in that index: every entity's ratio on an indicator divides by its value, so
    where the record imputed it or set it to a bound, every segment of that indicator is hatched so (a newcomer's
    focus had three imputed values, and no other district's segment resting on them was marked). Raises
    ParameterError for a bad lang."""
    from matplotlib.patches import Patch

    check_lang(lang)
    method = text(f"method.{method}", lang)
    treated = treated_cells(record, names)
    data = contributions.rename(columns=labels)
    fig, ax = _new((9, 0.6 * len(data) + 2.8))
    left_pos = np.zeros(len(data))
    left_neg = np.zeros(len(data))
    colours = palette(len(data.columns), "tab20")
    shown = set()
    for colour, indicator, column in zip(colours, contributions.columns, data.columns):
        values = data[column].to_numpy(dtype=float)
        left = np.where(values >= 0, left_pos, left_neg)
        base = treated.get((reference, indicator))  # under ratio, every segment of the indicator rests on it
        hatches = [{"imputed": "//", "bound": ".."}.get(treated.get((e, indicator)) or base, "") for e in data.index]
        bars = ax.barh(range(len(data)), values, left=left, color=colour, label=column)
        for bar, hatch in zip(bars, hatches):
            if hatch:
                bar.set_hatch(hatch)
                bar.set_edgecolor("black")
                if bar.get_width():  # a segment of zero width (the reference's, under ratio) shows no hatching
                    shown.add(hatch)
        left_pos += np.where(values >= 0, values, 0)
        left_neg += np.where(values < 0, values, 0)
    ax.axvline(0, color="black", lw=0.8)
    ax.set_yticks(range(len(data)), data.index)
    ax.invert_yaxis()
    ax.set(title=text("chart.contrib_title", lang, method=method) + mark, xlabel=text("chart.contrib_x", lang))
    # plain swatches: a legend handle copied from a hatched first bar would look like a treatment
    handles = [Patch(facecolor=colour) for colour in colours]
    legend_labels = list(data.columns)
    for hatch, kind in (("//", "imputed"), ("..", "bound_used")):
        if hatch in shown:
            handles.append(Patch(facecolor="white", edgecolor="black", hatch=hatch))
            legend_labels.append(text(f"chart.kind.{kind}", lang))
    figure_legend(fig, handles, legend_labels)
    return fig


def rank_frequency_heatmap(rank_frequency: pd.DataFrame, n_samples: int, lang: str = "zh", mark: str = ""):
    """Share of samples in which each entity takes each rank (``mark`` after the title, as contributions_plot's)."""
    check_lang(lang)
    fig, ax = _new((1.2 * rank_frequency.shape[1] + 3, 0.5 * len(rank_frequency) + 1.8))
    import seaborn as sns  # here: only the index's heatmaps need it (its import costs ~0.8 s)

    sns.heatmap(rank_frequency * 100, annot=True, fmt=".0f", cmap="Blues", vmin=0, vmax=100, ax=ax,
                cbar_kws={"label": "%"})
    ax.tick_params(axis="y", labelrotation=0)  # seaborn turns names it finds crowded on their side
    ax.grid(False)
    ax.set(title=text("chart.rankfreq_title", lang, n=n_samples) + mark, xlabel=text("chart.rank", lang), ylabel="")
    return fig


def sensitivity_heatmap(sensitivity: pd.DataFrame, n_samples: int, lang: str = "zh",
                        title_key: str = "chart.sens_title", mark: str = ""):
    """(``mark`` after the title, as contributions_plot's.) First-order index of each entity's rank (or position) for each choice, or None when nothing ever moved
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
    import seaborn as sns

    sns.heatmap(sensitivity, annot=True, fmt=".2f", cmap="Reds", vmin=0, vmax=1, ax=ax, cbar_kws={"label": "S"})
    ax.tick_params(axis="x", labelrotation=0)
    ax.tick_params(axis="y", labelrotation=0)
    still = [i for i, (_e, row) in enumerate(sensitivity.iterrows()) if row.isna().all()]
    for i in still:
        ax.text(sensitivity.shape[1] / 2, i + 0.5, text("chart.never_moved", lang), ha="center", va="center",
                fontsize=9, color="dimgrey")
    if still:  # under the column names, never over them: a figure-level label that the layout makes room for
        _footnote(fig, text("chart.blank_rows", lang, n=n_samples))
    ax.grid(False)  # the style's grid would show through the blank rows, and cross their note
    ax.set(title=text(title_key, lang) + mark, ylabel="")
    return fig


def _wrap(name: str) -> str:
    """A factor name wrapped for a heatmap column: 8 characters a line in Chinese, 16 in Latin script."""
    return textwrap.fill(name, 8 if _CJK.search(name) else 16)
