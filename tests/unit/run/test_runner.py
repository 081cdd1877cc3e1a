"""run.runner's planning: what a refused run says (no notebook starts, nothing is written)."""
from __future__ import annotations

import pytest

from analysis_utils import paths
from analysis_utils.errors import AnalysisError
from analysis_utils.run import runner


def test_every_bad_value_is_listed_at_once_and_nothing_is_written(tmp_path, capsys):
    """A bad language, a focus the data do not hold and a year that is no number: one message, all three, whatever
    check would find each (a rule, the data, the type), and no warning line before it."""
    out = tmp_path / "build"
    with pytest.raises(AnalysisError) as info:
        runner.reproduce(paths.NOTEBOOKS_DIR, out, {"lang": "fr", "year": "2O15", "focus": "汉口"})
    assert str(info.value).splitlines() == [
        "3 problems, nothing was run:",
        "  parameter \"lang\" = 'fr': expected one of 'zh', 'en' [bad-choice]",
        "  parameter \"focus\" = '汉口': expected one of '武昌区', '南山区', '余杭区' [bad-choice]",
        "  parameter \"year\" = '2O15': expected a whole number [type-error]"]
    assert capsys.readouterr().err == "" and not out.exists()


def test_an_each_name_no_notebook_declares_is_refused(tmp_path):
    with pytest.raises(AnalysisError) as info:
        runner.reproduce(paths.NOTEBOOKS_DIR, tmp_path / "b", each=["fokus=武昌区"])
    assert info.value.code == "unknown-parameter" and info.value.name == "fokus"
