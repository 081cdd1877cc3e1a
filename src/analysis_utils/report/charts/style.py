"""The charts' shared look: the CJK font (from the PyPI package mplfonts, Noto Sans CJK SC, so Chinese renders on a
machine with no CJK system font; an installed CJK font is the fallback), the palette, a new figure, log axes with
readable ticks, how a value's kind (exact, a bound) is drawn and named in a legend, a legend under the axes and a
footnote under everything.
"""
from __future__ import annotations

import re
import textwrap
from pathlib import Path

import matplotlib.pyplot as plt
from matplotlib import colormaps, cycler, font_manager
from matplotlib.ticker import FuncFormatter, Locator, LogLocator, MaxNLocator

from analysis_utils.errors import AnalysisError
from analysis_utils.labels import text

CJK_FONT_FILE = "NotoSansCJKsc-Regular.otf"
FALLBACK_FAMILIES = ("Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "WenQuanYi Zen Hei", "SimHei")
PALETTE = {"focus": "#c0392b", "peer": "#2c3e50", "other": "#7f8c8d"}
# seaborn's theme, ``sns.set_theme(style="whitegrid", context="notebook")``, as the matplotlib settings it makes (but
# the default colormap, which no chart uses): applied without importing seaborn, which imports scipy.stats, about 0.8
# CPU-s in every kernel. tests/unit/report/test_charts.py checks that they are seaborn's own.
SEABORN_DEEP = ["#4c72b0", "#dd8452", "#55a868", "#c44e52", "#8172b3", "#937860", "#da8bc3", "#8c8c8c", "#ccb974",
                "#64b5cd"]
SEABORN_WHITEGRID = {
    "axes.axisbelow": True, "axes.edgecolor": ".8", "axes.grid": True, "axes.labelcolor": ".15", "axes.labelsize": 12.0,
    "axes.linewidth": 1.25, "axes.prop_cycle": cycler(color=SEABORN_DEEP), "axes.titlesize": 12.0, "font.size": 12.0,
    "font.sans-serif": ["Arial", "DejaVu Sans", "Liberation Sans", "Bitstream Vera Sans", "sans-serif"],
    "grid.color": ".8", "grid.linewidth": 1.0, "legend.fontsize": 11.0, "legend.title_fontsize": 12.0,
    "lines.solid_capstyle": "round", "patch.edgecolor": "w", "patch.force_edgecolor": True, "text.color": ".15",
    "xtick.bottom": False, "xtick.color": ".15", "xtick.labelsize": 11.0, "xtick.major.size": 6.0,
    "xtick.major.width": 1.25, "xtick.minor.size": 4.0, "xtick.minor.width": 1.0, "ytick.color": ".15",
    "ytick.labelsize": 11.0, "ytick.left": False, "ytick.major.size": 6.0, "ytick.major.width": 1.25,
    "ytick.minor.size": 4.0, "ytick.minor.width": 1.0}
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
    plt.rcParams.update(SEABORN_WHITEGRID)
    plt.rcParams.update({
        "font.family": [family, "DejaVu Sans"], "font.sans-serif": [family, "DejaVu Sans"],
        "axes.unicode_minus": False, "figure.dpi": 110, "savefig.dpi": 150,
        "svg.fonttype": "path",  # SVG keeps glyph outlines, so readers need no CJK font
    })
    _font_family = family
    return family


def palette(n: int, name: str | None = None) -> list:
    """``n`` colours, repeating, as seaborn's ``color_palette(name, n)`` gives them under the theme: its "deep"
    colours, or a qualitative matplotlib colormap's (``name``, e.g. "tab20"). Whether or not the theme is applied yet
    (a page's first chart asked before it was, and drew matplotlib's default colours)."""
    colours = colormaps[name].colors if name else SEABORN_DEEP
    return [colours[i % len(colours)] for i in range(max(n, 1))]


MARKERS = ("o", "s", "D", "^", "v", "P")  # one filled marker per district
DISTRICT_COLOURS = [c for c in SEABORN_DEEP if c != SEABORN_DEEP[3]]  # deep but its red: the focus's reference line


def district_looks(labels, looks: dict | None = None) -> dict:
    """{label: (colour, marker)} of the districts named by ``labels`` (display names, in order): the look ``looks``
    gives a label, else one by its place among ``labels``, never the red of the focus's reference line. A notebook
    makes ``looks`` once from every district of the data, in the data's order, so that a district keeps its colour and
    marker on every chart of the page and in every build of that data, whatever the focus (each chart drawing only
    some of them gave the same district different looks, and two districts the same)."""
    own = {label: (DISTRICT_COLOURS[i % len(DISTRICT_COLOURS)], MARKERS[i % len(MARKERS)])
           for i, label in enumerate(dict.fromkeys(labels))}
    return {label: (looks or {}).get(label, look) for label, look in own.items()}


def _new(figsize=(8, 4.5)):
    setup_fonts()
    fig, ax = plt.subplots(figsize=figsize, layout="constrained")
    ax.title.set_wrap(True)  # a long (English) title breaks at the figure's edge: a chart is saved at its size
    return fig, ax


class ReadableLogLocator(Locator):
    """Major ticks of a log axis that a reader can read, at least ``minimum`` of them inside the view: powers of ten
    (and 3× or 2×, 5× between them over a few decades) when the view spans a decade or more; over a narrower view,
    where a log locator leaves one tick (only '1') or none, evenly spaced round numbers (0.4, 0.6, 0.8, 1.0).
    Computed when drawn, from the view as it is then."""

    def __init__(self, minimum: int = 3):
        self.minimum = minimum

    def __call__(self):
        return self.tick_values(*self.axis.get_view_interval())

    def tick_values(self, vmin, vmax):
        vmin, vmax = sorted((float(vmin), float(vmax)))
        if vmax <= 0:
            return []
        vmin = max(vmin, vmax * 1e-12)
        span = vmax / vmin
        subs = (1.0,) if span > 1e3 else (1.0, 3.0) if span > 30 else (1.0, 2.0, 5.0)
        inside = [t for t in LogLocator(base=10, subs=subs).tick_values(vmin, vmax) if vmin <= t <= vmax]
        if len(inside) >= self.minimum:
            return inside
        nbins = 5
        while True:  # round, evenly spaced values; more bins until enough fall inside the view
            linear = [t for t in MaxNLocator(nbins=nbins, steps=[1, 2, 2.5, 5, 10]).tick_values(vmin, vmax)
                      if vmin <= t <= vmax and t > 0]
            if len(linear) >= self.minimum or nbins >= 12:
                return linear if len(linear) >= len(inside) else inside
            nbins += 2


def _readable_log_axis(axis, label=lambda x: f"{x:g}") -> None:
    """A log ``axis`` (ax.xaxis or ax.yaxis) with :class:`ReadableLogLocator` ticks labelled by ``label`` and no
    labels on the minor ticks."""
    axis.set_major_locator(ReadableLogLocator())
    axis.set_major_formatter(FuncFormatter(lambda x, _pos: label(x)))
    axis.set_minor_formatter(FuncFormatter(lambda *_: ""))


def _labels_inside(fig) -> None:
    """Widen each x axis of ``fig`` so that the value labels beside its points and bars (annotations at data
    points) end inside the frame: a label right of the last point ran over it (fig5's '3.11%', fig6's '22'). Lays
    the figure out once to measure them; in the axis's own scale (linear or log) the data move left, the labels'
    widths stay."""
    import numpy as np
    from matplotlib.text import Annotation

    labels = {ax: [t for t in ax.texts if isinstance(t, Annotation) and t.xycoords == "data" and t.get_text().strip()]
              for ax in fig.axes}
    if not any(labels.values()):
        return  # nothing to measure: no layout pass
    fig.get_layout_engine().execute(fig)  # positions only (constrained layout), no draw
    renderer = fig.canvas.get_renderer()
    for ax, shown in labels.items():
        scale, box = ax.xaxis.get_transform(), ax.bbox
        low, high = scale.transform(np.array(ax.get_xlim(), dtype=float))
        span = need = high - low
        for label in shown:
            right = (label.get_window_extent(renderer).x1 - box.x0) / box.width  # in widths of the frame
            anchor = (scale.transform(np.array([label.xy[0]], dtype=float))[0] - low) / span
            room = 1 - (right - anchor)  # what is left of the frame beside the label
            if right > 1 and anchor >= 0 and room > 0:
                need = max(need, anchor * span / room * 1.02)
        if need > span:
            ax.set_xlim(*scale.inverted().transform(np.array([low, low + need])))


def _log_ratio_axis(ax) -> None:
    """Log scale with plain tick labels (0.3×, 1×, 10×) instead of powers of ten, at least three of them."""
    ax.set_xscale("log")
    _readable_log_axis(ax.xaxis, lambda x: f"{x:g}×")


# How a value's kind is drawn on a dot chart: exact filled; a lower bound an open '>' and an upper bound an open '<'
# (pointing where the true value lies), labelled ≥ / ≤; on a bar chart a bound is hatched with no edge on the open
# side. Every chart with a bound names the kinds it drew in its legend (catalogue chart.kind.<kind>).
BOUND_MARKER = {"lower": ">", "upper": "<"}
# behind a value label: the focus's reference line and the grid pass under it, not through it (fig2's '0.75')
LABEL_BOX = {"boxstyle": "square,pad=0.1", "facecolor": "white", "edgecolor": "none", "alpha": 0.8}
BOUND_SIGN = {"lower": "≥", "upper": "≤"}
BOUND_HATCH = "////"
OPEN_STYLE = {"facecolors": "none", "linewidths": 1.4}


def _kind_points(ax, x, y, kinds, marker: str, colour, label: str | None, s: float = 60) -> set[str]:
    """Scatter the points (``x``, ``y``) of one series by kind (``kinds``: 'exact', 'lower' or 'upper' per point;
    anything else is drawn as exact): exact filled with ``marker``, bounds open with :data:`BOUND_MARKER`. Each
    collection's gid is 'kind:<kind>'. ``label`` names the series in the legend (on its exact points, or on an empty
    proxy when it has none). Returns the kinds drawn."""
    x, y, kinds = list(x), list(y), [k if k in BOUND_MARKER else "exact" for k in kinds]
    for kind in ("exact", "lower", "upper"):
        pick = [i for i, k in enumerate(kinds) if k == kind]
        if not pick:
            continue
        style = {"color": colour} if kind == "exact" else {"edgecolors": colour, **OPEN_STYLE}
        drawn = ax.scatter([x[i] for i in pick], [y[i] for i in pick], marker=BOUND_MARKER.get(kind, marker), s=s,
                           zorder=3, label=label if kind == "exact" else None, **style)
        drawn.set_gid(f"kind:{kind}")
    if "exact" not in kinds and label is not None:  # the series still needs its colour in the legend
        ax.scatter([], [], marker=marker, color=colour, label=label)
    return set(kinds)


def _kind_handles(kinds: set[str], lang: str, bars: bool = False) -> list[tuple]:
    """(legend handle, label) for each kind of value drawn, grey, so that bounds and off-scale points are named;
    none when every value is exact. ``bars``: bar swatches (solid; bounds hatched) instead of markers."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    if not (kinds - {"exact"}):
        return []
    markers = {"exact": {"marker": "o", "color": "grey", "ls": ""},
               "lower": {"marker": ">", "color": "grey", "markerfacecolor": "none", "ls": ""},
               "upper": {"marker": "<", "color": "grey", "markerfacecolor": "none", "ls": ""},
               "imputed": {"marker": "o", "color": "grey", "markerfacecolor": "none", "ls": "", "markeredgewidth": 1,
                           "markeredgecolor": "grey", "alpha": 0.7},
               "offscale": {"marker": "|", "color": "black", "ls": "", "markersize": 12}}
    out = []
    for kind in ("exact", "lower", "upper", "imputed", "offscale"):
        if kind not in kinds:
            continue
        if bars and kind in ("exact", "lower", "upper"):
            handle = Patch(facecolor="grey" if kind == "exact" else "white", edgecolor="grey",
                           hatch=None if kind == "exact" else BOUND_HATCH)
        else:
            handle = Line2D([], [], **markers[kind])
        out.append((handle, text(f"chart.kind.{kind}", lang)))
    return out


def _kind_legend(ax, kinds: set[str], lang: str) -> None:
    """Legend entries (grey marker proxies on ``ax``) for the kinds of value drawn (:func:`_kind_handles`)."""
    for handle, label in _kind_handles(kinds, lang):
        ax.add_line(handle)
        handle.set_label(label)


def _legend_below(fig, ax, extra=()) -> None:
    """One legend under the axes, so it never hides a point; ``extra``: more (handle, label) pairs."""
    handles, labels = ax.get_legend_handles_labels()
    for handle, label in extra:
        handles.append(handle)
        labels.append(label)
    if ax.get_legend():
        ax.get_legend().remove()
    figure_legend(fig, handles, labels)


def figure_legend(fig, handles: list, labels: list[str], ncols: int = 3):
    """A legend under the axes (constrained layout makes room), read row by row as given, in as many of ``ncols``
    columns as fit the figure's width: a chart is saved at its size, and long (English) labels in three columns
    ran past its edges. Returns the Legend."""
    for n in range(min(len(labels), ncols), 0, -1):
        order = _row_major(len(labels), n)
        legend = fig.legend([handles[i] for i in order], [labels[i] for i in order], loc="outside lower center",
                            ncols=n, fontsize=8, frameon=False)
        if n == 1 or legend.get_window_extent(fig.canvas.get_renderer()).width <= fig.bbox.width:
            return legend
        legend.remove()
    return None


def _row_major(n: int, ncols: int) -> list[int]:
    """The order to hand ``n`` legend entries to matplotlib (which fills ``ncols`` columns top to bottom, the
    first n % ncols columns one entry longer) so that they read left to right, row by row, as given: the
    series first, then the kinds of value."""
    if n == 0:
        return []
    rows, extra = divmod(n, ncols)
    heights = [rows + (c < extra) for c in range(ncols)]
    columns = [[] for _ in range(ncols)]
    for i in range(n):
        columns[i % ncols].append(i)
    assert [len(c) for c in columns] == heights
    return [i for column in columns for i in column]


_CJK = re.compile("[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


def _wrap(label: str, cjk_width: int = 26, latin_width: int = 34) -> str:
    """A long axis label broken into lines (a CJK character is about two Latin letters wide), so a long English
    name does not squeeze the axes into a sliver."""
    label = str(label)
    return textwrap.fill(label, cjk_width if _CJK.search(label) else latin_width)


def _footnote(fig, note: str):
    """A note under everything else (tick labels, axis labels, legend): a figure-level x label, which constrained
    layout makes room for, left-aligned, wrapped to the figure's width. Its gid is 'footnote'."""
    width_pt = fig.get_figwidth() * 72
    size = 8
    per_line = int(width_pt / (size * (1.0 if _CJK.search(note) else 0.52)))
    label = fig.supxlabel(textwrap.fill(note, max(per_line - 2, 20)), x=0.01, ha="left", fontsize=size,
                          color="dimgrey")
    label.set_gid("footnote")
    return label
