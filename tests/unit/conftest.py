"""Fixtures of the unit tests, made once per session and only read by the tests: the claims audit with its texts in
both languages. The external data, its checks and the audit alone are the whole suite's (tests/conftest.py)."""
from __future__ import annotations

import pytest

from analysis_utils.report import narrate


@pytest.fixture(scope="session")
def audit_table(data):
    """narrate.audit_table of the packaged data: the audit's codes and numbers, then its texts in both languages."""
    return narrate.audit_table(data)
