"""report/lab.py: the configuration `make venv` writes for JupyterLab (the CJK font beside custom.css, the project
kernel as default). Lab itself, started and driven in Chromium: tests/integration/test_lab.py."""
from __future__ import annotations

import json

from analysis_utils.paths import KERNEL_NAME
from analysis_utils.report import lab


def test_configure_lab_serves_the_font_beside_custom_css(tmp_path):
    from analysis_utils.report import fonts

    css, font, config = lab.configure_lab(tmp_path)
    assert css == tmp_path / "etc" / "jupyter" / "custom" / "custom.css" and font.parent == css.parent
    assert font.stat().st_size == fonts.font_source().stat().st_size
    text = css.read_text(encoding="utf-8")
    assert '@font-face { font-family: "Noto Sans CJK SC"' in text and f'url("{fonts.FONT_FILE}")' in text
    assert "http" not in text and ':root:root { --jp-ui-font-family: "Noto Sans CJK SC",' in text
    assert json.loads(config.read_text(encoding="utf-8")) == {
        "LabApp": {"custom_css": True}, "MultiKernelManager": {"default_kernel_name": KERNEL_NAME}}
    before = font.stat().st_mtime_ns
    lab.configure_lab(tmp_path)
    assert font.stat().st_mtime_ns == before  # not copied twice
