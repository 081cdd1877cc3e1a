"""The project's JupyterLab: opened at the project root, in .venv's kernel, drawing Chinese with the CJK
font of mplfonts on a machine with no CJK system font, with nothing fetched at run time.

JupyterLab 4 links ``<base_url>custom/custom.css`` into its page when ``LabApp.custom_css`` is true, and
the Jupyter server serves that URL from ``custom/`` of the Jupyter config folder (``jupyter --config-dir``,
``$JUPYTER_CONFIG_DIR``). ``configure_lab(prefix)`` (run by ``make venv``) writes ``custom.css`` and a copy
of the font side by side in ``<prefix>/etc/jupyter/custom/`` and turns ``custom_css`` on in
``<prefix>/etc/jupyter/jupyter_server_config.json``; ``make lab`` starts ``jupyter lab`` with that folder as
``JUPYTER_CONFIG_DIR``, while Lab's own settings stay where they were (``~/.jupyter/lab/…``) and its workspaces
are the checkout's (``.venv/share/jupyter/lab/workspaces``).
"""
from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

from analysis_utils.paths import KERNEL_NAME
from analysis_utils.report import fonts


def custom_css() -> str:
    """The text of Lab's custom.css: the font next to it (relative URL, so served by the same route) first
    in Lab's font variables for CJK code points only. ``:root:root`` outranks the theme's ``:root``, which
    Lab loads after custom.css."""
    return ("/* Written by `make venv` (analysis_utils.report.lab): the CJK font for JupyterLab. */\n"
            + fonts.font_css(fonts.FONT_FILE, root=":root:root"))


def configure_lab(prefix: str | Path) -> list[Path]:
    """Under ``<prefix>/etc/jupyter`` (``prefix``: the environment's root, ``sys.prefix`` of .venv), write
    ``custom/custom.css``, copy the font beside it (again only if its size changed) and write
    ``jupyter_server_config.json`` (``LabApp.custom_css = true``, the project kernel as the default for new
    notebooks). Returns the three files written; FileNotFoundError when ``prefix`` is not a folder or mplfonts
    is not installed."""
    prefix = Path(prefix).resolve()
    if not prefix.is_dir():
        raise FileNotFoundError(f"prefix {str(prefix)!r}: expected the environment's folder, e.g. .venv")
    etc = prefix / "etc" / "jupyter"
    custom = etc / "custom"
    custom.mkdir(parents=True, exist_ok=True)
    font_src, font = fonts.font_source(), custom / fonts.FONT_FILE
    if not font_src.is_file():
        raise FileNotFoundError(f"font {font_src}: expected the CJK font shipped by mplfonts; run `make venv`")
    if not font.exists() or font.stat().st_size != font_src.stat().st_size:
        shutil.copyfile(font_src, font)
    css = custom / "custom.css"
    css.write_text(custom_css(), encoding="utf-8")
    config = etc / "jupyter_server_config.json"
    settings = {"LabApp": {"custom_css": True},  # new notebooks get the project kernel too
                "MultiKernelManager": {"default_kernel_name": KERNEL_NAME}}
    config.write_text(json.dumps(settings, indent=2) + "\n", encoding="utf-8")
    return [css, font, config]


def main(argv: list[str] | None = None) -> int:
    """``python -m analysis_utils.report.lab PREFIX`` (make venv): configure_lab; 2 with one line on a bad argument."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m analysis_utils.report.lab PREFIX", file=sys.stderr)
        return 2
    try:
        written = configure_lab(args[0])
    except FileNotFoundError as exc:
        print(exc, file=sys.stderr)
        return 2
    print(f"JupyterLab: Chinese font and custom.css in {written[0].parent}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
