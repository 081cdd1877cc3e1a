"""paths.py: where the checkout is. A copied checkout (cp -a) is detected, and the command line refuses to run its
.venv's library against it."""
from __future__ import annotations

from analysis_utils import paths
from tests._support.cli import run_cli


def test_a_copied_checkout_is_detected(tmp_path):
    (tmp_path / "src" / "analysis_utils").mkdir(parents=True)
    (tmp_path / "src" / "analysis_utils" / "paths.py").write_text("", encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text("", encoding="utf-8")
    (tmp_path / "notebooks").mkdir()
    assert paths.foreign_checkout(tmp_path / "notebooks") == tmp_path
    assert paths.foreign_checkout(paths.REPO_ROOT / "src") is None
    proc = run_cli("validate", cwd=tmp_path)
    assert proc.returncode == 2 and "rm -rf .venv && make venv" in proc.stderr
