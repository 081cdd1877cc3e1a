"""The builds the integration tests read, each made once per session and configuration (``shared_build``, also across
pytest-xdist's processes): the shipped notebooks with the default parameters, with focus=南山区, lang=en, and on the
worked example's data (examples/synthetic-district) with its district as focus, and the two fixture notebooks. Tests only read these folders; a test that needs its own run builds into its tmp_path."""
from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from analysis_utils.paths import NOTEBOOKS_DIR
from tests._support.builds import shared_build
from tests._support.data import EXAMPLE
from tests._support.cli import run_cli
from tests._support.notebooks import FIXTURES


@pytest.fixture(scope="session")
def shipped_build(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    """(output folder, finished process) of ``reproduce --output X --jobs 2``, default parameters, on the
    shipped notebooks/: as ``make reproduce`` does it, once per session. test_notebooks.py reads the notebooks'
    outputs (default parameters), test_pages.py the pages."""
    def make(out: Path):
        return out, run_cli("reproduce", "--output", out, "--jobs", "2", timeout=1800)

    return shared_build(tmp_path_factory, "shipped", make)


@pytest.fixture(scope="session")
def nanshan_en_build(tmp_path_factory) -> Path:
    """The output folder of ``reproduce -p focus 南山区 -p lang en -p n_samples 200 --jobs 2`` on notebooks/, once
    per session: the non-default parameter set (test_notebooks.py reads its notebooks, test_pages.py its English
    pages and workbooks)."""
    from analysis_utils import paths
    from analysis_utils.run import runner

    def make(out: Path):
        report = runner.reproduce(paths.NOTEBOOKS_DIR, out, {"focus": "南山区", "lang": "en", "n_samples": 200}, jobs=2)
        assert not report.failures, [str(o.error) for o in report.failures]
        return out

    return shared_build(tmp_path_factory, "nanshan_en", make)


@pytest.fixture(scope="session")
def example_build(tmp_path_factory) -> Path:
    """The output folder of ``reproduce -p data_dir examples/synthetic-district -p focus 示例区 -p lang zh -p n_samples
    100 --jobs 2`` (SYNTHETIC) on notebooks/, once per session: the worked example of test_own_data.py and the
    Chinese build of test_pages.py (lang given, so that every page's provenance names it)."""
    from analysis_utils.run import runner

    def make(out: Path):
        report = runner.reproduce(NOTEBOOKS_DIR, out, {"data_dir": str(EXAMPLE), "focus": "示例区", "lang": "zh",
                                                       "n_samples": 100}, jobs=2)
        assert not report.failures, [str(o.error) for o in report.failures]
        return out

    return shared_build(tmp_path_factory, "example", make)


@pytest.fixture(scope="session")
def fixture_build(tmp_path_factory):
    """(output folder, RunReport) of the two fixture notebooks of tests/fixtures/notebooks/ (01_passes
    writes a table, a workbook, a claims audit and a PNG; 02_fails raises KeyError at source cell 3), run once
    per session, two at once, into a fresh folder (test_run_build.py, test_pages.py, test_batch.py)."""
    from analysis_utils.run import runner

    def make(out: Path):
        report = runner.reproduce(FIXTURES, out, jobs=2)
        return out, [(o.task.name, o.status, str(o.error) if o.error else None) for o in report.outcomes]

    return shared_build(tmp_path_factory, "fixtures", make)
