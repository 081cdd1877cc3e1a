"""The CJK font of the site's pages and of JupyterLab: Noto Sans CJK SC from the PyPI package ``mplfonts``, copied
beside the pages (``site/assets/``) or Lab's custom.css (report.lab), and the CSS that declares it."""
from __future__ import annotations

import importlib.util
import os
import shutil
from pathlib import Path

FONT_FAMILY = "Noto Sans CJK SC"
FONT_FILE = "NotoSansCJKsc-Regular.otf"
ASSETS_DIR = "assets"
# The CJK face comes FIRST in every stack but only for CJK code points (unicode-range), so Latin text keeps the
# system font and Chinese text waits for ours. Listed as a late fallback instead, Chromium drew text laid out while
# the 16 MB font was still loading as missing-glyph boxes for good.
_CJK_RANGE = "U+2E80-2FDF, U+3000-33FF, U+3400-4DBF, U+4E00-9FFF, U+F900-FAFF, U+FE30-FE4F, U+FF00-FFEF"
_SANS = f'"{FONT_FAMILY}", system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif'
_MONO = f'"{FONT_FAMILY}", ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace'


def font_css(font_url: str, root: str = ":root") -> str:
    """CSS text: the @font-face rule for the CJK font served at ``font_url`` (relative to the style sheet) and the
    Jupyter font variables (``--jp-ui-font-family`` …) on the selector ``root`` with that face first. No error: the
    text is returned whether or not a file exists at the URL."""
    return (f'@font-face {{ font-family: "{FONT_FAMILY}"; font-display: block; unicode-range: {_CJK_RANGE};\n'
            f'  src: url("{font_url}") format("opentype"); }}\n'
            f"{root} {{ --jp-ui-font-family: {_SANS}; --jp-content-font-family: {_SANS}; "
            f"--jp-code-font-family: {_MONO}; }}\n")


def font_source() -> Path:
    """The CJK font shipped by mplfonts, found without importing it (its import loads matplotlib)."""
    spec = importlib.util.find_spec("mplfonts")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("package mplfonts is not installed; run `make venv`")
    return Path(list(spec.submodule_search_locations)[0]) / "fonts" / FONT_FILE


def ensure_assets(site_dir: str | os.PathLike) -> Path:
    """Copy the font into site/assets/ once (again only if its size changed)."""
    src, dest = font_source(), Path(site_dir) / ASSETS_DIR / FONT_FILE
    if not dest.exists() or dest.stat().st_size != src.stat().st_size:
        from analysis_utils.report.writers import atomic_path

        with atomic_path(dest) as tmp:
            shutil.copyfile(src, tmp)
    return dest
