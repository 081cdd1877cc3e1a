from __future__ import annotations

import pytest

from analysis_utils.errors import ParameterError
from analysis_utils.checks import check_int
from analysis_utils.run.params import check_params


@pytest.mark.parametrize("kwargs, name, code", [
    ({"target_year": "2O20"}, "target_year", "type-error"),
    ({"target_year": True}, "target_year", "type-error"),
    ({"target_year": 2010}, "target_year", "out-of-range"),
    ({"lang": "fr"}, "lang", "bad-choice"),
    ({"fig_format": "jpg"}, "fig_format", "bad-choice"),
    ({"focus": "洪山区"}, "focus", "bad-choice"),
    ({"focus": 3}, "focus", "type-error"),
    ({"peers": ["武昌区"]}, "peers", "bad-choice"),
    ({"peers": ["南山区", "上城区"]}, "peers", "bad-choice"),
    ({"data_dir": "/nonexistent/data"}, "data_dir", "missing-folder"),
    ({"year": 1999}, "year", "bad-choice"),
    ({"scenario_growth": "10%"}, "scenario_growth", "type-error"),
])
def test_bad_parameters_are_named_with_what_is_valid(kwargs, name, code):
    with pytest.raises(ParameterError) as info:
        check_params("test", **kwargs)
    assert info.value.name == name and info.value.code == code
    assert "expected" in str(info.value)


def test_bad_choice_lists_the_valid_values():
    with pytest.raises(ParameterError, match="'南山区'.*'余杭区'|'余杭区'.*'南山区'"):
        check_params("test", focus="洪山区")


def test_defaults_are_the_reports(tmp_path):
    params = check_params("test", output_dir=str(tmp_path))
    assert params.focus == "武昌区" and set(params.peers) == {"南山区", "余杭区"}
    assert params.output_dir == tmp_path


def test_peers_from_the_command_line_as_text():
    params = check_params("test", focus="南山区", peers="武昌区，余杭区")
    assert params.peers == ("武昌区", "余杭区")


def test_check_int_bounds():
    assert check_int("n_samples", 10, 1) == 10
    with pytest.raises(ParameterError, match="at least 1"):
        check_int("n_samples", 0, 1)


def test_empty_peers_are_every_other_district_of_the_data(synthetic_data_dir):
    """A district a user adds to their own data joins the comparison without naming peers (newcomer report):
    the report's districts first (武昌区 is the focus, so 南山区, 余杭区), then the user's."""
    from conftest import SYNTHETIC_DISTRICT

    data_dir, _values = synthetic_data_dir
    params = check_params("02_gaps", data_dir=str(data_dir))
    assert params.peers == ("南山区", "余杭区", SYNTHETIC_DISTRICT)
    assert check_params("02_gaps").peers == ("南山区", "余杭区")  # packaged data: the report's comparison


def test_every_bad_parameter_is_reported_at_once():
    """Errors as records: four bad values give one error listing all four, not the first one only."""
    from analysis_utils.errors import ParameterErrors

    with pytest.raises(ParameterErrors) as info:
        check_params("test", lang="fr", fig_format="gif", focus="洪山区", target_year=2010)
    assert [(e.name, e.code) for e in info.value.errors] == [
        ("lang", "bad-choice"), ("fig_format", "bad-choice"), ("target_year", "out-of-range"), ("focus", "bad-choice")]
    lines = str(info.value).splitlines()
    assert lines[0] == "4 bad parameters:" and len(lines) == 5
    assert isinstance(info.value, ParameterError) and info.value.name == "lang"  # `except ParameterError` catches it


def test_one_bad_parameter_is_a_plain_parameter_error():
    from analysis_utils.errors import ParameterErrors

    with pytest.raises(ParameterError) as info:
        check_params("test", lang="fr")
    assert not isinstance(info.value, ParameterErrors)
    assert str(info.value) == "parameter \"lang\" = 'fr': expected one of 'zh', 'en' [bad-choice]"


def test_a_year_is_still_type_checked_when_the_focus_is_bad():
    with pytest.raises(ParameterError) as info:
        check_params("test", focus="洪山区", year="2O15")
    assert [(e.name, e.code) for e in info.value.errors] == [("focus", "bad-choice"), ("year", "type-error")]


def test_parameter_errors_cross_process_boundaries():
    import pickle

    from analysis_utils.errors import ParameterErrors

    err = ParameterErrors([ParameterError("a", 1, "x"), ParameterError("b", 2, "y", "type-error")])
    back = pickle.loads(pickle.dumps(err))
    assert str(back) == str(err) and [e.name for e in back.errors] == ["a", "b"]


def test_params_show_district_names_in_the_page_language():
    params = check_params("test", focus="南山区", peers=["武昌区", "余杭区"], lang="en")
    shown = params._repr_markdown_().splitlines()
    assert shown[0] == "- `focus`: Nanshan District (`南山区`)"
    assert shown[1] == "- `peers`: Wuchang District (`武昌区`); Yuhang District (`余杭区`)"
    assert check_params("test").\
        _repr_markdown_().splitlines()[0] == "- `focus`: 武昌区"


def test_composite_options_are_checked_before_any_run(tmp_path):
    """A bad weights file (a negative weight, an unknown indicator) or method is refused by check_params, which
    the pipeline runs before any notebook, with the file and the indicator named."""
    negative = tmp_path / "w.yaml"
    negative.write_text("gdp: -1\n", encoding="utf-8")
    with pytest.raises(ParameterError) as info:
        check_params("05_composite_index", weights=str(negative), normalisation="foo", n_samples=5)
    assert [(e.name, e.code) for e in info.value.errors] == [
        ("normalisation", "bad-choice"), ("n_samples", "out-of-range"), ("weights", "constraint-error"),
        ("weights", "missing-weight")]
    assert str(info.value.errors[2]) == (f"parameter \"weights\" (file {negative}, indicator 'gdp') = -1: "
                                         "expected a finite number >= 0 [constraint-error]")
    unknown = tmp_path / "u.yaml"
    unknown.write_text("patents_foo: 1\n", encoding="utf-8")
    with pytest.raises(ParameterError) as info:
        check_params("05_composite_index", weights=str(unknown))
    assert info.value.code == "unknown-indicator" and info.value.value == "patents_foo"
    assert "invention_patents_per_10k" in info.value.expected
    assert check_params("05_composite_index", weights="", normalisation="ratio").extra["normalisation"] == "ratio"


def test_a_parameter_named_like_a_composite_option_means_what_its_notebook_says(tmp_path):
    """Only the composite notebook's options are checked as such: a user's notebook may call its own parameter
    `weights` or `seed` and give it any value."""
    other = tmp_path / "w.yaml"
    other.write_text("a: 2\n", encoding="utf-8")
    params = check_params("07_users_own", weights=str(other), seed=-1)
    assert params.extra == {"weights": str(other), "seed": -1}


@pytest.mark.parametrize("kind, words", [
    ("number", "a number"), ("float", "a number"), ("integer", "a whole number"), ("int", "a whole number"),
    ("boolean", "true or false"), ("bool", "true or false"), ("string", "text"), ("str", "text"),
    ("list", "a list (a,b or [a, b])"), ("dict", "a mapping"), ("date", "a value of type date")])
def test_type_words_are_one_wording_for_data_types_and_parameter_types(kind, words):
    from analysis_utils.checks import type_words

    assert type_words(kind) == words


@pytest.mark.parametrize("annotation, value, expected", [
    ("int", "2O20", "parameter \"target_year\" = '2O20': expected a whole number [type-error]"),
    ("float", "10%", "parameter \"target_year\" = '10%': expected a number [type-error]"),
    ("dict", 3, "parameter \"target_year\" = 3: expected a mapping (mappings go in a -f YAML file) [type-error]")])
def test_a_notebook_parameter_of_the_wrong_type_is_asked_for_in_words(annotation, value, expected):
    from analysis_utils.run.cli_params import checked_params

    declared = {"target_year": {"name": "target_year", "inferred_type_name": annotation, "default": "1"}}
    _, errors = checked_params(declared, {"target_year": value}, {}, {})
    assert [(e.code, str(e)) for e in errors] == [("type-error", expected)]
