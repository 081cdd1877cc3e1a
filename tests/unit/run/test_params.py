"""run.params: the one parameter model. Declarations come from the packaged notebooks' own parameter cells;
expected values and messages are written by hand."""
from __future__ import annotations

import pickle
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from analysis_utils import paths
from analysis_utils.errors import ParameterError, ParameterErrors
from analysis_utils.run import params
from analysis_utils.run.params import check, declared
from tests._support.data import SYNTHETIC_DISTRICT

GAPS = declared(paths.NOTEBOOKS_DIR / "03_recommendations.ipynb")  # focus … target_year, year, scenario_growth
INDEX = declared(paths.NOTEBOOKS_DIR / "05_composite_index.ipynb")  # … weights, normalisation, n_samples …


def notebook(tmp_path, source: str, name: str = "07_users_own"):
    """A notebook of a user's with ``source`` as its parameter cell, in tmp_path."""
    cell = new_code_cell(source, metadata={"tags": ["parameters"]})
    kernel = {"kernelspec": {"name": paths.KERNEL_NAME, "language": "python", "display_name": "x"}}
    path = tmp_path / f"{name}.ipynb"
    nbformat.write(new_notebook(cells=[cell], metadata=kernel), path)
    return path


@pytest.mark.parametrize("values, name, code", [
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
    ({"year": 2016}, "year", "bad-choice"),  # 2016 holds only plans: no reported value for every district
    ({"scenario_growth": "10%"}, "scenario_growth", "type-error"),
    ({"scenario_growth": -1.5}, "scenario_growth", "out-of-range"),
])
def test_bad_parameters_are_named_with_what_is_valid(values, name, code):
    with pytest.raises(ParameterError) as info:
        check(GAPS, values)
    assert (info.value.name, info.value.code) == (name, code)
    assert "expected" in str(info.value)


def test_bad_choice_lists_the_valid_values():
    # each id with its English name (entities.csv), so that an English reader can tell which to type
    with pytest.raises(ParameterError, match=r"'武昌区' \(Wuchang District\), '南山区' \(Nanshan District\), "
                                             r"'余杭区' \(Yuhang District\)"):
        check(GAPS, {"focus": "洪山区"})


def test_a_district_may_be_given_by_its_english_name(data):
    """Trial F typed `-p focus Yuhang` and was refused though the error printed 'Yuhang District': a district's English
    name (entities.csv name_en), with or without 'District', in any case and spacing, stands for its id; anything
    else is still refused with the list."""
    from analysis_utils.analysis.compare import district_id
    from analysis_utils.run.runner import parameter_sets

    assert [district_id(data, t) for t in ("Yuhang", "yuhang district", "  Nanshan   District ", "余杭区", 7)] == \
        ["余杭区", "余杭区", "南山区", "余杭区", 7]
    assert [district_id(data, t) for t in ("Wuhan", "Yu", "Yuhang Dist")] == ["Wuhan", "Yu", "Yuhang Dist"]  # 武汉市
    assert check(GAPS, {"focus": "Yuhang", "peers": "Wuchang, NANSHAN"}) == {"focus": "余杭区", "peers": ["武昌区", "南山区"]}
    assert params.with_district_ids({"focus": "nanshan", "peers": ["Yuhang"], "lang": "en"}, data) == \
        {"focus": "南山区", "peers": ["余杭区"], "lang": "en"}
    # as the command line gives them (text): trial G's index still showed 'wuchang, yuhang' as typed
    values, raw = params.given_by_id({"focus": "Nanshan District", "peers": "wuchang, yuhang", "code": "0101"},
                                     {"focus": "Nanshan District", "peers": "wuchang, yuhang", "code": "0101"}, data)
    assert (values, raw) == ({"focus": "南山区", "peers": ["武昌区", "余杭区"], "code": "0101"}, {"code": "0101"})
    # --each focus=…: the builds' folders by id
    assert [label for label, _ in parameter_sets(["focus=Yuhang,南山区"], {}, data)] == ["focus=余杭区", "focus=南山区"]
    with pytest.raises(ParameterError, match="'Wuhan'"):
        check(GAPS, {"focus": "Wuhan"})


def test_defaults_are_the_reports():
    got = check(GAPS, {}, complete=True)
    assert got["focus"] == "武昌区" and got["peers"] == ["南山区", "余杭区"]
    assert (got["lang"], got["year"], got["target_year"], got["scenario_growth"]) == ("zh", 2015, 2020, None)
    assert check(GAPS, {}) == {}  # only what was given, when not asked for the whole set


def test_peers_from_the_command_line_as_text():
    for text in ("武昌区,余杭区", "武昌区，余杭区", "武昌区、余杭区", "[武昌区, 余杭区]"):
        assert check(GAPS, {"focus": "南山区", "peers": text})["peers"] == ["武昌区", "余杭区"]


def test_empty_peers_are_every_other_district_of_the_data(synthetic_data_dir):
    """A district a user adds joins the comparison without naming peers: the report's first, then the user's."""
    data_dir, _values = synthetic_data_dir
    got = check(GAPS, {"data_dir": str(data_dir)}, complete=True)
    assert got["peers"] == ["南山区", "余杭区", SYNTHETIC_DISTRICT]


def test_every_bad_parameter_is_reported_at_once():
    with pytest.raises(ParameterErrors) as info:
        check(GAPS, {"lang": "fr", "fig_format": "gif", "target_year": 2010, "n_samples": 5})
    assert [(e.name, e.code) for e in info.value.errors] == [
        ("lang", "bad-choice"), ("fig_format", "bad-choice"), ("target_year", "out-of-range")]
    assert str(info.value).splitlines()[0] == "3 bad parameters:"
    assert isinstance(info.value, ParameterError) and info.value.name == "lang"


def test_one_bad_parameter_is_a_plain_parameter_error():
    with pytest.raises(ParameterError) as info:
        check(GAPS, {"lang": "fr"})
    assert not isinstance(info.value, ParameterErrors)
    assert str(info.value) == "parameter \"lang\" = 'fr': expected one of 'zh', 'en' [bad-choice]"


def test_parameter_errors_cross_process_boundaries():
    err = ParameterErrors([ParameterError("a", 1, "x"), ParameterError("b", 2, "y", "type-error")])
    back = pickle.loads(pickle.dumps(err))
    assert str(back) == str(err) and [e.name for e in back.errors] == ["a", "b"]


def test_composite_options_are_checked_by_name(tmp_path):
    """A bad weights file (a negative weight) or method is refused with the file and the indicator named."""
    negative = tmp_path / "w.yaml"
    negative.write_text("gdp: -1\n", encoding="utf-8")
    with pytest.raises(ParameterError) as info:
        check(INDEX, {"weights": str(negative), "normalisation": "foo", "n_samples": 5})
    assert [(e.name, e.code) for e in info.value.errors] == [
        ("normalisation", "bad-choice"), ("n_samples", "out-of-range"), ("weights", "constraint-error"),
        ("weights", "missing-weight")]
    assert str(info.value.errors[2]) == (f"parameter \"weights\" (file {negative}, indicator 'gdp') = -1: "
                                         "expected a finite number >= 0 [constraint-error]")
    assert check(INDEX, {"min_coverage": 0.4}) == {"min_coverage": 0.4}
    with pytest.raises(ParameterError) as info:
        check(INDEX, {"min_coverage": 1.5})
    assert info.value.code == "out-of-range"


@pytest.mark.parametrize("annotation, value, expected", [
    ("int", "2O20", "parameter \"target_year\" = '2O20': expected a whole number [type-error]"),
    ("float", "10%", "parameter \"target_year\" = '10%': expected a number [type-error]"),
    ("dict", 3, "parameter \"target_year\" = 3: expected a mapping (mappings go in a -f YAML file) [type-error]")])
def test_a_value_of_the_wrong_type_is_asked_for_in_words(annotation, value, expected):
    spec = {"target_year": {"name": "target_year", "inferred_type_name": annotation, "default": "None"}}
    with pytest.raises(ParameterError) as info:
        check(spec, {"target_year": value})
    assert (info.value.code, str(info.value)) == ("type-error", expected)


def test_str_keeps_raw_text_float_takes_an_int_and_none_is_allowed_where_declared():
    spec = {"code": {"inferred_type_name": "str", "default": '""'}, "weight": {"inferred_type_name": "float"},
            "target_year": {"inferred_type_name": "Optional[int]"},
            "growth": {"inferred_type_name": "float", "default": "None"}}
    got = check(spec, {"code": 101, "weight": 2, "target_year": None, "growth": None}, raw={"code": "0101"})
    assert got == {"code": "0101", "weight": 2.0, "target_year": None, "growth": None}
    assert type(got["weight"]) is float


def test_a_bool_is_no_number():
    with pytest.raises(ParameterError):
        check(INDEX, {"n_samples": True})


def test_declared_reads_every_line_papermill_drops(tmp_path):
    """papermill's inspect drops a line with a second '=' (in its help comment); we must still see it."""
    path = notebook(tmp_path, 'focus: str = "武昌区"  # district\ndata_dir: str = ""  # empty = the packaged data/')
    spec = declared(path)
    assert spec["data_dir"] == {"name": "data_dir", "inferred_type_name": "str", "default": '""',
                                "help": "empty = the packaged data/"}
    assert spec["focus"]["help"] == "district"


def test_declared_names_the_file_it_cannot_read(tmp_path):
    bad = tmp_path / "08_broken.ipynb"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(Exception) as info:
        declared(bad)
    assert str(bad) in str(info.value) and "cannot read its parameters" in str(info.value)


def test_a_name_no_notebook_declares_is_refused_with_the_declared_names():
    with pytest.raises(ParameterError) as info:
        params.check_names({"foccus": "洪山区"}, {"03": GAPS})
    assert info.value.code == "unknown-parameter" and "focus" in info.value.expected
    with pytest.raises(ParameterError) as info:
        params.check_names({"output_dir": "x"}, {"03": GAPS})
    assert info.value.code == "reserved-parameter"
    params.check_names({"min_coverage": 0.4}, {"03": GAPS, "05": INDEX})  # declared by one notebook: accepted


@pytest.mark.parametrize("text, expected", [
    ("True", True), ("False", False), ("None", None), ("true", "true"), ("none", "none"),
    ("12", 12), ("-3", -3), ("0101", 101), ("1.5", 1.5), ("1e3", 1000.0), ("2O20", "2O20"), ("武昌区", "武昌区"),
    ("", "")])
def test_resolve_type_rules(text, expected):
    got = params.resolve_type(text)
    assert got == expected and type(got) is type(expected)


def test_yaml_file_then_p_later_wins_and_paths_resolve(tmp_path, monkeypatch):
    yaml_file = tmp_path / "params.yaml"
    yaml_file.write_text("focus: 洪山区\nn_samples: 5\npeers: [江岸区, 江汉区]\n", encoding="utf-8")
    (tmp_path / "mydata").mkdir()
    monkeypatch.chdir(tmp_path)
    values, raw = params.from_command_line([["n_samples", "7"], ["lang", "en"], ["data_dir", "mydata"]], yaml_file)
    assert values == {"focus": "洪山区", "n_samples": 7, "peers": ["江岸区", "江汉区"], "lang": "en",
                      "data_dir": str(tmp_path / "mydata")}
    with pytest.raises(ParameterError) as info:
        params.from_command_line([["weights", "nope.yaml"]])
    assert info.value.code == "missing-file" and str(tmp_path / "nope.yaml") in info.value.expected


@pytest.mark.parametrize("content, encoding, code, words", [
    ("- a\n- b\n", "utf-8", "type-error", "a YAML mapping"),
    ("focus: 武昌区\nfocus: 南山区\n", "utf-8", "duplicate-key", "already given on line 1"),
    ("focus: [unclosed\n", "utf-8", "format-error", "valid YAML"),
    ("focus: 武昌区\n", "gbk", "encoding-error", "GBK")])
def test_yaml_file_errors_name_the_file_and_line(tmp_path, content, encoding, code, words):
    path = tmp_path / "p.yaml"
    path.write_bytes(content.encode(encoding))
    with pytest.raises(ParameterError) as info:
        params.from_command_line([], path)
    assert info.value.code == code and words in str(info.value) and str(path) in str(info.value)


# ---------------------------------------------------------------------------- setup, as a notebook calls it
def test_setup_checks_the_notebooks_own_parameters(tmp_path, monkeypatch):
    monkeypatch.chdir(paths.NOTEBOOKS_DIR)
    namespace = {"focus": "南山区", "peers": ["武昌区", "余杭区"], "lang": "en", "data_dir": "", "output_dir": str(tmp_path),
                 "fig_format": "png", "year": 2015, "other_variable": object()}
    run = params.setup("02_gaps", namespace)
    assert (run.focus, run.peers, run.lang, run.year, run.output_dir) == ("南山区", ("武昌区", "余杭区"), "en", 2015,
                                                                           tmp_path)
    assert run.names["南山区"] == "Nanshan District" and run.out is not None
    shown = run._repr_markdown_().splitlines()
    assert "- `focus`: Nanshan District (`南山区`)" in shown
    assert "- `peers`: Wuchang District (`武昌区`); Yuhang District (`余杭区`)" in shown
    with pytest.raises(ParameterError) as info:
        params.setup("02_gaps", {**namespace, "year": "2O15", "lang": "fr"})
    assert [(e.name, e.code) for e in info.value.errors] == [("year", "type-error"), ("lang", "bad-choice")]


def test_setup_without_output_dir_never_writes_where_a_build_serves():
    run = params.setup("01_foundation", {"focus": "武昌区", "peers": [], "lang": "zh", "data_dir": "", "output_dir": "",
                                         "fig_format": "png"})
    assert run.output_dir == paths.INTERACTIVE_DIR / "01_foundation"


def test_a_notebook_without_the_composite_options_may_use_their_names_for_its_own(tmp_path):
    spec = declared(notebook(tmp_path, 'seed: int = -1  # my own seed\nn_samples: int = 20  # points'))
    assert check(spec, {"seed": -1, "n_samples": 5}) == {"seed": -1, "n_samples": 5}


@pytest.mark.parametrize("path", sorted(paths.NOTEBOOKS_DIR.glob("*.ipynb")), ids=lambda p: p.stem)
def test_no_notebook_rebinds_a_parameter_and_each_sets_up_in_one_call(path):
    """Re-running the parameter cell in Lab must give the notebook what it declared: no later cell assigns a
    parameter's name (05 once rebound `weights` to a table); the set-up call names the notebook once."""
    import ast

    nb = nbformat.read(str(path), as_version=4)
    spec = declared(path)
    code = [c.source for c in nb.cells if c.cell_type == "code" and "parameters" not in c.metadata.get("tags", [])]
    assigned = {t.id for source in code for node in ast.walk(ast.parse(source))
                if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign))
                for t in (node.targets if isinstance(node, ast.Assign) else [node.target]) if isinstance(t, ast.Name)}
    assert not assigned & set(spec), sorted(assigned & set(spec))
    assert f'params = setup("{path.stem}", globals())' in code[0]


def test_an_empty_language_or_format_is_refused_an_empty_weights_file_means_equal_weights():
    with pytest.raises(ParameterError) as info:
        check(GAPS, {"lang": "", "fig_format": ""})
    assert [(e.name, e.code) for e in info.value.errors] == [("lang", "bad-choice"), ("fig_format", "bad-choice")]
    assert check(INDEX, {"weights": ""}) == {"weights": ""}


# ---------------------------------------------------------------------------- command-line values: a YAML file, paths
@pytest.mark.parametrize("content, encoding, code, words", [
    ("focus: 南山区\n", "gbk", "encoding-error", "line 1"),
    ("focus: [南山区\nlang: zh\n", "utf-8", "format-error", "line 2"),
    ("focus: 南山区\nlang: zh\nfocus: 余杭区\n", "utf-8", "duplicate-key", "line 3"),
])
def test_yaml_parameter_file_errors_name_file_and_line(tmp_path, content, encoding, code, words):
    path = tmp_path / "p.yaml"
    path.write_bytes(content.encode(encoding))
    with pytest.raises(ParameterError) as err:
        params.from_command_line([], path)
    assert err.value.code == code and str(path) in str(err.value.value) and words in str(err.value)


def test_path_parameters_resolve_against_the_callers_folder(tmp_path, monkeypatch):
    (tmp_path / "w.yaml").write_text("a: 1\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    values, raw = params.from_command_line([["weights", "w.yaml"]])
    assert values["weights"] == raw["weights"] == str(tmp_path / "w.yaml")
    monkeypatch.setenv("HOME", str(tmp_path))
    values, _ = params.from_command_line([], _yaml(tmp_path, "data_dir: ~/\n"))
    assert values["data_dir"] == str(tmp_path)
    with pytest.raises(ParameterError) as err:
        params.from_command_line([["weights", "missing.yaml"]])
    assert err.value.code == "missing-file" and str(tmp_path / "missing.yaml") in str(err.value)


def _yaml(folder: Path, text: str) -> Path:
    path = folder / "params.yaml"
    path.write_text(text, encoding="utf-8")
    return path
