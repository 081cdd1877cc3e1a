"""report.fonts: the CJK font copied beside the pages once, and declared for CJK code points only."""
from __future__ import annotations

from analysis_utils.report import fonts


def test_font_is_copied_once(tmp_path):
    font = fonts.ensure_assets(tmp_path)
    assert font == tmp_path / "assets" / "NotoSansCJKsc-Regular.otf"
    assert font.stat().st_size == fonts.font_source().stat().st_size
    before = font.stat().st_mtime_ns
    fonts.ensure_assets(tmp_path)
    assert font.stat().st_mtime_ns == before


def test_font_css_puts_the_cjk_face_first_for_cjk_code_points_only():
    css = fonts.font_css("../assets/NotoSansCJKsc-Regular.otf")
    assert css.startswith('@font-face { font-family: "Noto Sans CJK SC"; font-display: block; unicode-range: U+2E80')
    assert 'src: url("../assets/NotoSansCJKsc-Regular.otf") format("opentype")' in css
    assert ':root { --jp-ui-font-family: "Noto Sans CJK SC", system-ui' in css
