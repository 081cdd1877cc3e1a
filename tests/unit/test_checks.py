"""checks.py: the shared checks of a value's type, choice or bounds, named in a ParameterError."""
from __future__ import annotations

import pytest

from analysis_utils.checks import check_int
from analysis_utils.errors import ParameterError


def test_check_int_bounds():
    assert check_int("n_samples", 10, 1) == 10
    with pytest.raises(ParameterError, match="at least 1"):
        check_int("n_samples", 0, 1)
