"""Reading a drawn matplotlib figure as a reader sees it: which texts are drawn, whether any overlap, reach past the
figure's edge or a value label past its axes' frame, whether a numeric axis has three ticks, and whether a text is in
the reader's language. Used by tests/unit/report/test_charts.py (which also tests each rule on a hand-made figure)
and tests/integration/test_notebook_charts.py."""
from __future__ import annotations

import itertools
import re

import matplotlib.pyplot as plt
from matplotlib.text import Text
from matplotlib.ticker import FixedLocator

from analysis_utils.report import charts, external_views
from tests._support.language import CJK, LATIN_LETTERS

ALLOWED_LATIN = re.compile(r"R&D|GDP|km²|m²")


def sensitivity_with_a_blank_row(names: dict):
    """A sensitivity frame (rows: districts named by ``names``, report.names.entity_names; columns: the factors of
    composite.sensitivity) where 武昌区's rank moved and 南山区's and 余杭区's never did (NaN rows): the heatmap then
    draws both cell texts and its note on the blank rows. SYNTHETIC values."""
    import numpy as np
    import pandas as pd

    from analysis_utils.composite.sensitivity import FACTORS

    return pd.DataFrame([[0.01, 0.03, 0.39, 0.03, 0.19], [np.nan] * 5, [np.nan] * 5][::-1],
                        index=[names["武昌区"], names["南山区"], names["余杭区"]], columns=list(FACTORS))


def wrong_language(label: str, lang: str, proper_names=()) -> bool:
    """True if ``label`` holds text of the other language: in en any CJK character (no legend entry is declared
    original-language); in zh a Latin word other than R&D, GDP and the units km² and m² (% is no word). ``proper_names``
    are names as the data spell them in ``lang`` (a makerspace called '5.5SPACE' is not an English word in zh)."""
    if lang == "en":
        return bool(CJK.search(label))
    for name in sorted(proper_names, key=len, reverse=True):
        label = label.replace(name, "")
    return bool(LATIN_LETTERS.search(ALLOWED_LATIN.sub("", label)))


def all_texts(fig) -> list[str]:
    """The visible texts of ``fig``, drawn by the caller (tick labels exist only once drawn)."""
    return [t.get_text() for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]


def read_charts(named_figures) -> dict[str, dict]:
    """{chart name: {texts, overlaps, few_ticks, outside, past_frame, sideways}} of (name, figure) pairs, each figure laid out once and closed
    (a None figure, a chart not drawn, is left out). Layout without rasterising (Figure.draw_without_rendering) places
    every text and tick as a draw does, at a quarter of the time."""
    out = {}
    for name, fig in named_figures:
        if fig is None:
            continue
        fig.draw_without_rendering()
        out[name] = {"texts": all_texts(fig), "overlaps": overlapping_texts(fig), "few_ticks": too_few_ticks(fig),
                     "outside": outside_figure(fig), "past_frame": past_the_frame(fig),
                     "sideways": [t.get_text() for ax in fig.axes for t in ax.get_yticklabels()
                                  if t.get_text() and t.get_rotation() != 0]}
        plt.close(fig)
    return out


def drawn_texts(fig) -> list[Text]:
    """Every text a reader sees on ``fig``, drawn by the caller: tick labels of the ticks inside the view only
    (matplotlib keeps spare Tick objects whose stale labels are not drawn), other visible non-empty texts."""
    ticks, shown = set(), []
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            for tick in axis.get_major_ticks() + axis.get_minor_ticks():
                ticks |= {id(tick.label1), id(tick.label2)}
            low, high = sorted(axis.get_view_interval())
            span = high - low
            for loc, label in zip(axis.get_majorticklocs(), axis.get_majorticklabels()):
                if low - 1e-9 * span <= loc <= high + 1e-9 * span:
                    shown.append(label)
    shown += [t for t in fig.findobj(Text) if id(t) not in ticks]
    return [t for t in shown if t.get_visible() and t.get_text().strip()]


def overlapping_texts(fig, pad: float = 1.0) -> list[tuple[str, str]]:
    """Pairs of drawn texts whose boxes overlap by more than ``pad`` pixels both ways (``fig`` drawn by the caller)."""
    renderer = fig.canvas.get_renderer()
    boxes = [(t, t.get_window_extent(renderer)) for t in drawn_texts(fig)]
    return [(a.get_text(), b.get_text()) for (a, ba), (b, bb) in itertools.combinations(boxes, 2)
            if min(ba.x1, bb.x1) - max(ba.x0, bb.x0) > pad and min(ba.y1, bb.y1) - max(ba.y0, bb.y0) > pad]


def outside_figure(fig, pad: float = 1.0) -> list[str]:
    """Drawn texts that reach more than ``pad`` pixels beyond the figure's edge (``fig`` drawn by the caller): a chart
    is saved as laid out, at the figure's size (report.writers.RunOutputs.figure), so they would be cut off."""
    renderer, width, height = fig.canvas.get_renderer(), fig.bbox.width, fig.bbox.height
    return [t.get_text() for t in drawn_texts(fig) if (box := t.get_window_extent(renderer)).x0 < -pad
            or box.y0 < -pad or box.x1 > width + pad or box.y1 > height + pad]


def past_the_frame(fig, pad: float = 1.0) -> list[str]:
    """Value labels (annotations at data points) that end more than ``pad`` pixels beyond their axes' frame, left or
    right (``fig`` drawn by the caller): a label over the frame reads as cut off."""
    from matplotlib.text import Annotation

    renderer = fig.canvas.get_renderer()
    return [t.get_text() for ax in fig.axes for t in ax.texts if isinstance(t, Annotation) and t.get_visible()
            and t.get_text().strip() and ((box := t.get_window_extent(renderer)).x1 > ax.bbox.x1 + pad
                                          or box.x0 < ax.bbox.x0 - pad)]


def drawn_ticks(axis) -> list[float]:
    """The major tick locations inside the axis's view (the ones drawn)."""
    low, high = sorted(axis.get_view_interval())
    return [t for t in axis.get_majorticklocs() if low <= t <= high]


def too_few_ticks(fig) -> list[str]:
    """Numeric axes (not a fixed list of categories) with fewer than 3 ticks drawn."""
    bad = []
    for ax in fig.axes:
        for name, axis in (("x", ax.xaxis), ("y", ax.yaxis)):
            if not isinstance(axis.get_major_locator(), FixedLocator) and len(drawn_ticks(axis)) < 3:
                bad.append(f"{ax.get_title() or ax.get_label()} {name}: {drawn_ticks(axis)}")
    return bad


def external_figure(data, ext, checks, lang):
    """06's fig13 as it draws it: ``checks`` are external.external_checks(data, ext) (the session's fixture)."""
    return charts.external_comparison_plot(external_views.worded(checks, data, ext, lang), lang)
