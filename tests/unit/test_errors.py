"""Every exception survives pickling (notebooks run in worker processes) and renders the same text."""
from __future__ import annotations

import pickle

import pytest

from analysis_utils.errors import (
    AnalysisError,
    ClaimError,
    DataProblem,
    DataValidationError,
    IntervalError,
    NotebookRunError,
    ParameterError,
    UnitError,
)

CASES = [
    AnalysisError("plain message"),
    DataValidationError([DataProblem("data/x.csv", 3, "value", "2O20", "a number", "type-error")]),
    ParameterError("lang", "fr", "one of 'zh', 'en'"),
    UnitError("cannot add 亿元 (currency_cny) with 件 (count): different dimensions"),
    NotebookRunError("02_gaps.ipynb", 7, 5, "tb = table_2(data)", "KeyError", "'南山区'", "build/notebooks/02_gaps.ipynb"),
    IntervalError("division by [-1, 1], an interval that holds 0"),
    ClaimError("t1_growth", 'growth(obs("武昌区", "gdp", 2014), 0)', "division by 0", "a non-zero base"),
]


@pytest.mark.parametrize("error", CASES, ids=[type(e).__name__ for e in CASES])
def test_exceptions_pickle_with_their_text_and_fields(error):
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is type(error) and str(copy) == str(error) and str(copy)
    assert copy.__dict__ == error.__dict__


def test_data_problem_text_names_file_row_line_column_value_and_code():
    text = str(DataProblem("data/observations.csv", 17, "value", "2O20", "a number in 件", "type-error"))
    assert text == ("data/observations.csv, row 17 (line 18), column \"value\": got '2O20', "
                    "expected a number in 件 [type-error]")


def test_moved_errors_keep_their_old_homes():
    from analysis_utils.audit import claims, intervals

    assert claims.ClaimError is ClaimError and intervals.IntervalError is IntervalError
    assert issubclass(ClaimError, AnalysisError) and issubclass(IntervalError, AnalysisError)


@pytest.mark.parametrize("message, shown", [
    ("[Errno 2] No such file or directory: '/tmp/analysis-utils-x1/data/entities.csv'",
     "[Errno 2] No such file or directory: 'entities.csv'"),
    (r"cannot open C:\Users\someone\data\x.csv here", "cannot open x.csv here"),
    ("folder /home/someone/build/out/ is full", "folder out is full"),
    ("km/h, 1/2, a/b and /etc stay", "km/h, 1/2, a/b and /etc stay"),
])
def test_short_paths_names_a_file_by_its_last_component(message, shown):
    from analysis_utils.errors import short_paths

    assert short_paths(message) == shown


def test_one_problem_is_one_line_and_several_are_counted():
    from analysis_utils.errors import DataProblem

    one = DataProblem("data/observations.csv", 3, "value", "2O8", "a number", "type-error")
    two = DataProblem("data/units.csv", None, None, None, "the file", "missing-file")
    assert str(DataValidationError([one])) == ("a problem in the data: data/observations.csv, row 3 (line 4), "
                                               "column \"value\": got '2O8', expected a number [type-error]")
    assert str(DataValidationError([one, two])).splitlines() == [
        "2 problems in the data:", "  data/observations.csv, row 3 (line 4), column \"value\": got '2O8', "
        "expected a number [type-error]", "  data/units.csv: expected the file [missing-file]"]
    many = DataValidationError([one] * 3)
    assert many.render(2).splitlines()[-1].startswith("  … and 1 more")
