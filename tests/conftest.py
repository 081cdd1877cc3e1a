"""Fixtures of the whole suite: the packaged data and a writable copy of it, with or without a synthetic district.
The builds the integration tests share are in tests/integration/conftest.py; plain helpers (no fixtures) are modules
of tests/_support/."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from analysis_utils.data.load import load
from analysis_utils.paths import DATA_DIR
from tests._support.data import add_synthetic_district


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
