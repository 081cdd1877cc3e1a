"""report/names.py: entity and indicator ids named in a reader's language, from data/entities.csv, data/indicators.csv
and the catalogue. Labels are checked against those files only where the behaviour (which language, which
denominator) matters, never against a label table.
"""
from __future__ import annotations

import pandas as pd
import pytest

from analysis_utils.analysis import compare
from analysis_utils.errors import ParameterError
from analysis_utils.report import (
    names,
)
from tests._support.language import CJK


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


def test_label_rows_in_both_languages(data):
    values = pd.DataFrame({"entity": ["南山区", "余杭区"], "indicator": ["gdp", "makerspaces"]})
    zh = names.label_rows(values, data, "zh")
    en = names.label_rows(values, data, "en")
    # names from data/indicators.csv and data/entities.csv
    assert zh["indicator_label"].tolist() == ["区域总产值", "众创空间数量"]
    assert en["indicator_label"].tolist() == ["Gross regional product", "Makerspaces"]
    assert zh["entity_label"].tolist() == ["南山区", "余杭区"]
    assert not CJK.search(" ".join(en["entity_label"]))
    assert list(values.columns) == ["entity", "indicator"]  # the input is not changed


def test_label_rows_name_the_denominator(data):
    values = pd.DataFrame({"entity": ["南山区"] * 3, "indicator": ["gdp"] * 3,
                           "denominator": ["per_resident", "per_km2", "total"]})
    for lang, name in (("zh", "区域总产值"), ("en", "Gross regional product")):
        labels = names.label_rows(values, data, lang)["indicator_label"].tolist()
        assert all(label.startswith(name) for label in labels), labels
        assert labels[0] != labels[1] and labels[0] != name and labels[1] != name
        assert labels[2] == name  # a raw total has no denominator to name
    assert not CJK.search(" ".join(names.label_rows(values, data, "en")["indicator_label"]))


def test_indicator_labels(data):
    meta = data.indicators.set_index("indicator")
    for lang, column in (("zh", "name_zh"), ("en", "name_en")):
        labels = names.indicator_labels(data, lang)
        assert len(labels) == 11
        for indicator, label in labels.items():
            name = meta.loc[indicator, column]
            assert label.startswith(name)
            # per-resident totals say so; intensities are their own name
            assert (label != name) == (indicator not in ("rd_intensity", "invention_patents_per_10k")), label
    assert not CJK.search(" ".join(names.indicator_labels(data, "en").values()))


def test_english_labels_have_no_chinese(data):
    assert not [v for v in names.indicator_labels(data, "en").values() if CJK.search(v)]
    rows = names.label_rows(compare.table2_ratios(data, "武昌区", ["南山区"], 2015), data, "en")
    assert not rows["indicator_label"].str.contains(CJK).any()
