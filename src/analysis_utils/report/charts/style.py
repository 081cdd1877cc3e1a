"""The charts' shared look: the CJK font (from the PyPI package mplfonts, Noto Sans CJK SC, so Chinese renders on a
machine with no CJK system font; an installed CJK font is the fallback), the palette, a new figure, a log axis of
ratios and a legend under the axes.
"""
from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import seaborn as sns
from matplotlib import font_manager
from matplotlib.ticker import FuncFormatter, LogLocator

from analysis_utils.errors import AnalysisError

CJK_FONT_FILE = "NotoSansCJKsc-Regular.otf"
FALLBACK_FAMILIES = ("Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "WenQuanYi Zen Hei", "SimHei")
PALETTE = {"focus": "#c0392b", "peer": "#2c3e50", "other": "#7f8c8d"}
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
