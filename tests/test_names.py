"""report/names.py: entity and indicator ids named in a reader's language, from data/entities.csv and
data/indicators.csv, and the columns of data/external that hold our texts in each language.
"""
from __future__ import annotations

import pytest

from analysis_utils.errors import ParameterError
from analysis_utils.report import names

def test_entity_names_default_to_chinese(data):
    assert names.entity_names(data) == names.entity_names(data, "zh") != names.entity_names(data, "en")
    assert names.entity_names(data)["南山区"] == "南山区"
    assert names.entity_names(data, "en")["南山区"] == "Nanshan District"  # entities.csv name_en


def test_indicator_names_and_text_columns(data):
    assert names.indicator_names(data, "en")["gdp"] == "Gross regional product"
    assert names.indicator_names(data)["gdp"] == names.indicator_name(data, "gdp") == "区域总产值"
    assert names.text_column("publisher", "en") == "publisher_en" and names.text_column("scope", "zh") == "scope_zh"
    assert names.text_column("location", "zh") == "location_zh"
    with pytest.raises(ParameterError):
        names.text_column("publisher", "fr")
