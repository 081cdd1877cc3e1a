"""analysis/external_series.py: a district's share of its city from the published figures of data/external/,
worked out by hand from those figures and the report's 表1."""
from __future__ import annotations

import pytest

from analysis_utils.analysis.external_series import share_series


def test_wuchang_share_of_wuhan_patent_grants(data, ext):
    series = share_series(data, ext)
    grants = series[series["indicator"] == "patent_grants"].set_index("year")["share"]
    # 2130/15901 = 13.3954%, 2154/16335 = 13.1864%, 2826/21740 = 12.9991%
    assert grants.to_dict() == pytest.approx({2013: 13.395384, 2014: 13.186410, 2015: 12.999080}, abs=1e-5)
