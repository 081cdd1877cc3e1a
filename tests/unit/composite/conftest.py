"""Fixtures of the composite tests (synthetic matrices; the plain builders are in tests/_support/composite.py)."""
from __future__ import annotations

import pytest

from tests._support.composite import A, B, C, matrix


@pytest.fixture
def three():
    # p: higher is better; q: lower is better.
    return matrix({"p": {A: 2, B: 4, C: 10}, "q": {A: 5, B: 1, C: 3}}, direction={"p": 1, "q": -1})
