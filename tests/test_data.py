"""data/load.py: typed frames, source file on every row, lookups by entity, indicator and year."""
from __future__ import annotations

import pytest

from analysis_utils.errors import AnalysisError


def test_frames_are_typed_as_the_descriptor_says(data):
    obs = data.observations  # datapackage.json: year integer, value number, year_inferred boolean
    assert str(obs["year"].dtype) == "Int64" and str(obs["value"].dtype) == "Float64"
    assert str(obs["year_inferred"].dtype) == "boolean" and str(obs["entity"].dtype) == "string"


def test_every_row_names_its_source_file(data):
    assert set(data.observations["source_file"]) == {"observations.csv"}
    assert set(data.claims["source_file"]) == {"claims.csv"}


def test_quantity_of_a_given_year_and_of_the_latest(data):
    # 表1: 武昌区 patent grants 1532 in 2011, 2826 in 2015 (the latest)
    assert data.quantity("武昌区", "patent_grants", 2011).value == 1532
    assert data.quantity("武昌区", "patent_grants").value == 2826
    assert data.quantity("武昌区", "patent_grants", 2011).unit == "件"


def test_entity_names_default_to_chinese(data):
    assert data.entity_names() == data.entity_names("zh") != data.entity_names("en")
    assert data.entity_names()["南山区"] == "南山区"


def test_unknown_indicator_is_named(data):
    with pytest.raises(AnalysisError, match="unknown indicator 'SYNTHETIC_x'"):
        data.indicator_meta("SYNTHETIC_x")
