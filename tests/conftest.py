"""Fixtures of the whole suite: the packaged data and a writable copy of it, with or without a synthetic district.
The builds the integration tests share are in tests/integration/conftest.py; plain helpers (no fixtures) are modules
of tests/_support/."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from analysis_utils.data.load import load
from analysis_utils.paths import DATA_DIR
from tests._support.data import (
    REPLACES_GDP,
    add_synthetic_district,
    copy_example,
    with_replacements,
)


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


@pytest.fixture
def example_additions(tmp_path) -> Path:
    """A copy of the SYNTHETIC additions folder examples/synthetic-district (示例区, source synthetic_bulletin)."""
    return copy_example(tmp_path / "mine")


@pytest.fixture(scope="session")
def example_data(tmp_path_factory):
    """The packaged data read with examples/synthetic-district (SYNTHETIC), once per session, only read."""
    return load(copy_example(tmp_path_factory.mktemp("example") / "mine"))


@pytest.fixture(scope="session")
def replaced_data(tmp_path_factory):
    """The packaged data read with examples/synthetic-district and a replacements.csv standing 880 (SYNTHETIC,
    source synthetic_bulletin) in for the report's 武昌区 GDP 2015 of 870, once per session, only read."""
    folder = copy_example(tmp_path_factory.mktemp("replaced") / "mine")
    with_replacements(folder, REPLACES_GDP)
    return load(folder)
