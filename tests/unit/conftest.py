"""Fixtures of the unit tests, each made once per session and only read by the tests: the external data
(data/external/), its checks against the report, and the claims audit, alone and with its texts in both languages."""
from __future__ import annotations

import pytest

from analysis_utils.audit import claims, external
from analysis_utils.data.external import load_external
from analysis_utils.report import narrate


@pytest.fixture(scope="session")
def ext(data):
    return load_external(data)


@pytest.fixture(scope="session")
def checks(data, ext, claims_audit):
    return external.external_checks(data, ext, claims_audit)


@pytest.fixture(scope="session")
def claims_audit(data):
    """claims.audit of the packaged data: the audit's codes and numbers, no words."""
    return claims.audit(data)


@pytest.fixture(scope="session")
def audit_table(data):
    """narrate.audit_table of the packaged data: the audit's codes and numbers, then its texts in both languages."""
    return narrate.audit_table(data)
