"""The package's charts; every chart speaks zh or en and puts units on its axes. One module per family:
:mod:`.style` (CJK font, palette, shared axes), :mod:`.tables` (the report's tables), :mod:`.ratios` (ratios on
a log axis, required growth), :mod:`.composite` (the composite indicator), :mod:`.audit` (the audit and the
external checks). Notebooks call them as ``charts.<name>``.
"""
from analysis_utils.report.charts.audit import (
                                                    external_comparison_plot,
                                                    share_series_plot,
                                                    verdict_bars,
)
from analysis_utils.report.charts.composite import (
                                                    contributions_plot,
                                                    rank_frequency_heatmap,
                                                    sensitivity_heatmap,
                                                    treated_cells,
)
from analysis_utils.report.charts.ratios import (
                                                    KIND_MARK,
                                                    KIND_STYLE,
                                                    VALUE_KINDS,
                                                    normalised_dot_plot,
                                                    ratio_dot_plot,
                                                    required_growth_plot,
                                                    value_kind,
)
from analysis_utils.report.charts.style import (
                                                    CJK_FONT_FILE,
                                                    FALLBACK_FAMILIES,
                                                    PALETTE,
                                                    cjk_font_path,
                                                    district_looks,
                                                    setup_fonts,
)
from analysis_utils.report.charts.tables import (
                                                    indexed_series,
                                                    makerspace_dumbbell,
                                                    share_bars,
                                                    talent_dot_plot,
)

__all__ = ["CJK_FONT_FILE", "FALLBACK_FAMILIES", "KIND_MARK", "KIND_STYLE", "PALETTE", "VALUE_KINDS", "cjk_font_path",
           "contributions_plot", "district_looks", "external_comparison_plot", "indexed_series", "makerspace_dumbbell",
           "normalised_dot_plot", "rank_frequency_heatmap", "ratio_dot_plot", "required_growth_plot", "sensitivity_heatmap",
           "setup_fonts", "share_bars", "share_series_plot", "talent_dot_plot", "treated_cells", "value_kind", "verdict_bars"]
