"""Fixtures of the unit tests, made once per session and only read by the tests: notebook 03's gap rows, the claims
audit with its texts in both languages. The external data, its checks and the audit alone are the whole suite's (tests/conftest.py)."""
from __future__ import annotations

import pytest

from analysis_utils.analysis import growth
from analysis_utils.report import narrate


@pytest.fixture(scope="session")
def gaps(data):
    """growth.gap_table of 武昌区 against 南山区 and 余杭区, 2015 to 2020, with 武昌区's historical growth and 南山区's GDP
    growing 5 % a year: notebook 03's rows, codes and numbers."""
    return growth.gap_table(data, "武昌区", ["南山区", "余杭区"], 2015, 2020,
                            focus_growth=growth.historical_growth(data, "武昌区"),
                            peer_growth={("南山区", "gdp"): 0.05})


@pytest.fixture(scope="session")
def audit_table(data):
    """narrate.audit_table of the packaged data: the audit's codes and numbers, then its texts in both languages."""
    return narrate.audit_table(data)
