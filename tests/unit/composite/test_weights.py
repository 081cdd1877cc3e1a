"""composite/weights.py: weights given as a mapping or as a YAML or CSV file, renormalised over the indicators in use;
every refusal field by field (what was given, where, what was expected, its code), all bad rows of a file at once;
the weights example the documentation gives is a valid file. Expected values are worked out by hand."""
from __future__ import annotations

import pandas as pd
import pytest

from analysis_utils.composite.weights import resolve_weights, weights_in_use
from analysis_utils.errors import ParameterError
from tests._support.composite import fields


def test_equal_weights_and_renormalisation():
    assert resolve_weights(None, ["p", "q"]).tolist() == [0.5, 0.5]
    assert resolve_weights({"p": 3, "q": "1"}, ["p", "q"]).tolist() == [0.75, 0.25]


@pytest.mark.parametrize("weights, code, value", [
    ({"p": 1, "q": 1, "zz": 1}, "unknown-indicator", "zz"),
    ({"p": -1, "q": 1}, "constraint-error", -1),
    ({"p": "heavy", "q": 1}, "type-error", "heavy"),
    ({"p": True, "q": 1}, "type-error", True),
    ({"p": float("nan"), "q": 1}, "constraint-error", None),
    ({"p": 0, "q": 0}, "constraint-error", None),
    ({"p": 1}, "missing-weight", None),
])
def test_bad_weights_name_the_indicator_and_value(weights, code, value):
    with pytest.raises(ParameterError) as err:
        resolve_weights(weights, ["p", "q"])
    assert err.value.code == code
    if value is not None:
        assert err.value.value == value
        assert str(value) in str(err.value)


def test_weights_from_yaml(tmp_path):
    path = tmp_path / "weights.yaml"
    path.write_text("weights:\n  p: 3\n  q: 1\n", encoding="utf-8")
    assert resolve_weights(path, ["p", "q"]).tolist() == [0.75, 0.25]
    path.write_text("p: 1\nq: -0.5\n", encoding="utf-8")
    with pytest.raises(ParameterError) as err:
        resolve_weights(str(path), ["p", "q"])
    assert err.value.name == "weights" and err.value.where == f"file {path}, indicator 'q'" and err.value.value == -0.5
    assert str(err.value) == (f"parameter \"weights\" (file {path}, indicator 'q') = -0.5: expected a finite number >= 0 "
                              "[constraint-error]")


def test_weights_from_csv_name_the_row(tmp_path):
    path = tmp_path / "weights.csv"
    path.write_text("indicator,weight\np,2\nq,2\n", encoding="utf-8")
    assert resolve_weights(path, ["p", "q"]).tolist() == [0.5, 0.5]
    path.write_text("indicator,weight\np,2\nq,lots\n", encoding="utf-8")
    with pytest.raises(ParameterError) as err:
        resolve_weights(path, ["p", "q"])
    assert err.value.code == "type-error" and err.value.value == "lots"
    assert err.value.where == f"file {path}, row 2 (line 3), indicator 'q'"
    path.write_text("name,weight\np,2\n", encoding="utf-8")
    with pytest.raises(ParameterError, match="'indicator' and 'weight'"):
        resolve_weights(path, ["p", "q"])


def test_weights_file_must_exist(tmp_path):
    with pytest.raises(ParameterError) as err:
        resolve_weights(tmp_path / "nope.yaml", ["p"])
    assert err.value.code == "missing-file"


@pytest.mark.parametrize("page", ["docs/composite-index.md", "docs/zh-CN/composite-index.md"])
def test_the_documented_weights_example_is_a_valid_weights_file(tmp_path, page):
    """The example of the composite index page (English and Chinese) is what a user copies: every indicator once,
    rd_intensity and patents doubled, so 2/13 each and 1/13 for the other nine after renormalisation."""
    import re

    from analysis_utils.composite.indicators import INDICATORS
    from analysis_utils.composite.weights import resolve_weights
    from analysis_utils.paths import REPO_ROOT

    doc = (REPO_ROOT / page).read_text(encoding="utf-8")
    example = re.search(r"```yaml\n(weights:.*?)```", doc, re.S).group(1)
    (tmp_path / "w.yaml").write_text(example, encoding="utf-8")
    weights = resolve_weights(tmp_path / "w.yaml", INDICATORS)
    assert weights["rd_intensity"] == pytest.approx(2 / 13) and weights["gdp"] == pytest.approx(1 / 13)


def test_a_weights_file_that_names_an_indicator_twice_is_refused_with_both_lines(tmp_path):
    """YAML keeps the last of two equal keys without a word; a weights file must not."""
    from analysis_utils.composite.weights import resolve_weights
    from analysis_utils.errors import ParameterError

    path = tmp_path / "w.yaml"
    path.write_text("weights:\n  gdp: 1\n  rd_intensity: 2\n  gdp: 3\n", encoding="utf-8")
    with pytest.raises(ParameterError) as info:
        resolve_weights(path, ["gdp", "rd_intensity"])
    assert (info.value.name, info.value.code) == ("weights", "duplicate-key")
    assert str(info.value) == (f"parameter \"weights\" = '{path}, line 4': expected each name once; 'gdp' is already "
                               "given on line 2 [duplicate-key]")


# --- every refusal, field by field ------------------------------------------------------------
def test_weights_of_a_wrong_type():
    with pytest.raises(ParameterError) as err:
        resolve_weights(3, ["p", "q"])
    assert fields(err.value) == ("weights", None, "int",
                                 "None, a dict, a Series or the path of a .yaml/.yml/.csv file", "type-error")


def test_weights_file_missing_or_of_an_unknown_kind(tmp_path):
    with pytest.raises(ParameterError) as err:
        resolve_weights(tmp_path / "nope.yaml", ["p"])
    assert fields(err.value) == ("weights", None, str(tmp_path / "nope.yaml"),
                                 "an existing .yaml, .yml or .csv file", "missing-file")
    path = tmp_path / "weights.txt"
    path.write_text("p: 1\n", encoding="utf-8")
    with pytest.raises(ParameterError) as err:
        resolve_weights(path, ["p"])
    assert fields(err.value) == ("weights", None, str(path), "a file ending in .yaml, .yml or .csv", "bad-choice")
    assert str(err.value) == (f'parameter "weights" = {str(path)!r}: expected a file ending in .yaml, .yml or .csv '
                              "[bad-choice]")


@pytest.mark.parametrize("suffix", [".yml", ".YAML", ".yaml"])
def test_weights_from_a_yml_file(tmp_path, suffix):
    path = tmp_path / f"w{suffix}"
    path.write_text("p: 1\nq: 3\n", encoding="utf-8")
    assert resolve_weights(path, ["p", "q"]).tolist() == [0.25, 0.75]  # 1/4, 3/4


@pytest.mark.parametrize("text, type_name", [("- 1\n- 2\n", "list"), ("weights: 3\n", "int"), ("", "NoneType")])
def test_yaml_weights_must_be_a_mapping(tmp_path, text, type_name):
    path = tmp_path / "w.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ParameterError) as err:
        resolve_weights(path, ["p", "q"])
    assert fields(err.value) == ("weights", f"file {path}", type_name, "a mapping indicator: weight", "type-error")


def test_csv_weights_missing_a_column(tmp_path):
    path = tmp_path / "w.csv"
    path.write_text("name,weight\np,2\n", encoding="utf-8")
    with pytest.raises(ParameterError) as err:
        resolve_weights(path, ["p", "q"])
    assert fields(err.value) == ("weights", f"file {path}", "name, weight", "columns 'indicator' and 'weight'",
                                 "missing-column")


@pytest.mark.parametrize("cell", ["", "NA", "nan", "N/A"])
def test_csv_weight_that_pandas_would_read_as_missing_is_kept_as_text(tmp_path, cell):
    # The file is read as text: an empty or "NA" weight is named as it stands, not turned into NaN.
    path = tmp_path / "w.csv"
    path.write_text(f"indicator,weight\np,1\nq,{cell}\n", encoding="utf-8")
    with pytest.raises(ParameterError) as err:
        resolve_weights(path, ["p", "q"])
    expected = "a finite number >= 0" if cell.lower() == "nan" else "a number >= 0"  # float("nan") parses
    code = "constraint-error" if cell.lower() == "nan" else "type-error"
    assert fields(err.value) == ("weights", f"file {path}, row 2 (line 3), indicator 'q'", cell, expected, code)


@pytest.mark.parametrize("body, indicator, value, expected, code", [
    # an indicator named NA is an unknown indicator, not a crash (pandas would read it as missing)
    ("p,1\nNA,1\n", "NA", "NA", "one of the indicators p, q", "unknown-indicator"),
    # a repeated indicator: the second row and its weight are named
    ("p,1\np,2\nq,1\n", "p", "2", "one weight per indicator", "unique-error"),
], ids=["indicator-NA", "duplicate"])
def test_csv_rows_refused_by_row_and_indicator(tmp_path, body, indicator, value, expected, code):
    path = tmp_path / "w.csv"
    path.write_text("indicator,weight\n" + body, encoding="utf-8")
    with pytest.raises(ParameterError) as err:
        resolve_weights(path, ["p", "q"])
    assert fields(err.value) == ("weights", f"file {path}, row 2 (line 3), indicator '{indicator}'", value, expected,
                                 code)


def test_unknown_indicator_lists_the_first_twenty_indicators():
    names = [f"i{k:02d}" for k in range(25)]
    with pytest.raises(ParameterError) as err:
        resolve_weights({"zz": 1}, names)
    assert fields(err.value) == ("weights", "indicator 'zz'", "zz",
                                 "one of the indicators " + ", ".join(f"i{k:02d}" for k in range(20)),
                                 "unknown-indicator")


def test_missing_weight_names_the_given_and_the_missing_indicators(tmp_path):
    with pytest.raises(ParameterError) as err:
        resolve_weights({"r": 1, "p": 2}, ["p", "q", "r", "s"])
    assert fields(err.value) == ("weights", None, "weights for 2 of 4 indicators", "a weight for every indicator (0 to exclude); missing: q, s",
                                 "missing-weight")
    path = tmp_path / "w.yaml"
    path.write_text("p: 1\n", encoding="utf-8")
    with pytest.raises(ParameterError) as err:
        resolve_weights(path, ["p", "q"])
    assert fields(err.value) == ("weights", f"file {path}", "weights for 1 of 2 indicators", "a weight for every indicator (0 to exclude); "
                                 "missing: q", "missing-weight")


@pytest.mark.parametrize("raw, expected, code", [
    ("heavy", "a number >= 0", "type-error"),
    (True, "a number >= 0", "type-error"),
    (None, "a number >= 0", "type-error"),
    ([1], "a number >= 0", "type-error"),
    (-0.5, "a finite number >= 0", "constraint-error"),
    (float("inf"), "a finite number >= 0", "constraint-error"),
])
def test_bad_weight_value_fields(raw, expected, code):
    with pytest.raises(ParameterError) as err:
        resolve_weights({"p": 1, "q": raw}, ["p", "q"])
    assert fields(err.value) == ("weights", "indicator 'q'", raw, expected, code)


def test_all_zero_weights_are_shown_with_their_source(tmp_path):
    with pytest.raises(ParameterError) as err:
        resolve_weights({"p": 0, "q": 0.0}, ["p", "q"])
    assert fields(err.value) == ("weights", None, "p: 0, q: 0",
                                 "at least one positive weight among the indicators in use", "constraint-error")
    with pytest.raises(ParameterError) as err:
        weights_in_use(pd.Series({"p": 0.0, "q": 0.0, "r": 1.0}), ["p", "q"])
    assert err.value.where == "the indicators in use: p, q" and err.value.value == "p: 0, q: 0"
    # r alone is kept: 1 / 1.
    assert weights_in_use(pd.Series({"p": 0.5, "q": 0.0, "r": 0.5}), ["q", "r"]).tolist() == [0.0, 1.0]


def test_every_bad_row_of_a_weights_file_at_once(tmp_path):
    """An unknown indicator, a negative and a text weight, a repeated row and a missing indicator: five errors
    in one ParameterErrors, in file order, then the missing weights."""
    from analysis_utils.errors import ParameterErrors

    path = tmp_path / "w.csv"
    path.write_text("indicator,weight\np,-1\nzz,1\nq,lots\nq,2\n", encoding="utf-8")
    with pytest.raises(ParameterErrors) as err:
        resolve_weights(path, ["p", "q", "r"])
    assert [(e.code, e.value, e.where) for e in err.value.errors] == [
        ("constraint-error", "-1", f"file {path}, row 1 (line 2), indicator 'p'"),
        ("unknown-indicator", "zz", f"file {path}, row 2 (line 3), indicator 'zz'"),
        ("type-error", "lots", f"file {path}, row 3 (line 4), indicator 'q'"),
        ("unique-error", "2", f"file {path}, row 4 (line 5), indicator 'q'"),
        ("missing-weight", "weights for 2 of 3 indicators", f"file {path}")]
    assert err.value.errors[-1].expected == "a weight for every indicator (0 to exclude); missing: r"
