"""Fixtures of the whole suite: the packaged data, a writable copy of it with or without a synthetic district, and the
builds several test files read, each made once per session (``shared_build``, also across pytest-xdist's
processes). Plain helpers (no fixtures) are modules of tests/_support/."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from analysis_utils.data.load import load
from analysis_utils.paths import DATA_DIR
from tests._support.cli import run_cli
from tests._support.data import add_synthetic_district
from tests._support.notebooks import FIXTURES


@pytest.fixture(scope="session")
def data():
    return load()


@pytest.fixture
def data_copy(tmp_path) -> Path:
    """A copy of the packaged data directory that a test may break."""
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


@pytest.fixture
def synthetic_data_dir(data_copy) -> tuple[Path, dict]:
    """(a copy of data/ with the synthetic district SYNTHETIC_测试区, its values by indicator)."""
    return data_copy, add_synthetic_district(data_copy)


# ---------------------------------------------------------------------------- builds shared by test files
def shared_build(tmp_path_factory, name: str, make):
    """``make(folder)``'s result for the whole test session, computed once even across pytest-xdist's
    processes: the first test to ask runs ``make`` into ``<session temp>/shared/<name>/`` under an
    exclusive lock (fcntl) and pickles the result; the others wait for the lock and read it. Users
    must only read the folder (a run that is a cache hit writes nothing). A ``make`` that raises is
    not cached: the next user tries again and fails the same way."""
    import fcntl
    import os
    import pickle

    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):  # each worker has its own basetemp; the session's is above it
        base = base.parent
    folder = base / "shared" / name
    folder.mkdir(parents=True, exist_ok=True)
    record = folder / "result.pickle"
    with open(folder.parent / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not record.exists():
            result = make(folder / "build")
            record.write_bytes(pickle.dumps(result))
        return pickle.loads(record.read_bytes())


@pytest.fixture(scope="session")
def shipped_build(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    """(output folder, finished process) of ``reproduce --output X --jobs 2``, default parameters, on the
    shipped notebooks/: as ``make reproduce`` does it, once per session. integration/test_notebooks.py reads the
    notebooks' outputs (default parameters), integration/test_pages.py the pages."""
    def make(out: Path):
        return out, run_cli("reproduce", "--output", out, "--jobs", "2", timeout=1800)

    return shared_build(tmp_path_factory, "shipped", make)


@pytest.fixture(scope="session")
def nanshan_en_build(tmp_path_factory) -> Path:
    """The output folder of ``reproduce -p focus 南山区 -p lang en -p n_samples 200 --jobs 2`` on notebooks/, once
    per session: the non-default parameter set (integration/test_notebooks.py reads its notebooks,
    integration/test_pages.py its English pages and workbooks)."""
    from analysis_utils import paths
    from analysis_utils.run import runner

    def make(out: Path):
        report = runner.reproduce(paths.NOTEBOOKS_DIR, out, {"focus": "南山区", "lang": "en", "n_samples": 200}, jobs=2)
        assert not report.failures, [str(o.error) for o in report.failures]
        return out

    return shared_build(tmp_path_factory, "nanshan_en", make)


@pytest.fixture(scope="session")
def fixture_build(tmp_path_factory):
    """(output folder, RunReport) of the two fixture notebooks of tests/fixtures/notebooks/ (01_passes
    writes a table, a workbook, a claims audit and a PNG; 02_fails raises KeyError at source cell 3), run once
    per session, two at once, into a fresh folder (integration/test_run_build.py, test_pages.py, test_batch.py)."""
    from analysis_utils.run import runner

    def make(out: Path):
        report = runner.reproduce(FIXTURES, out, jobs=2)
        return out, [(o.task.name, o.status, str(o.error) if o.error else None) for o in report.outcomes]

    return shared_build(tmp_path_factory, "fixtures", make)
