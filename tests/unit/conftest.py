"""Fixtures of the unit tests: the external data (data/external/) and its checks against the report, loaded once per
session (data/, audit/ and report/ tests read them and never change them)."""
from __future__ import annotations

import pytest

from analysis_utils.audit import external
from analysis_utils.data.external import load_external


@pytest.fixture(scope="session")
def ext(data):
    return load_external(data)


@pytest.fixture(scope="session")
def checks(data, ext):
    return external.external_checks(data, ext)
