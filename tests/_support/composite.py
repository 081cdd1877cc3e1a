"""Synthetic indicator matrices of the composite tests: entities SYNTHETIC_A…E, a matrix built from a dict, a
five-entity matrix with a gap and a bound, a strictly ordered one, and a ParameterError's fields."""
from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from analysis_utils.composite.index import DegenerateMethodWarning, IndicatorMatrix
from analysis_utils.errors import ParameterError

A, B, C, D, E = (f"SYNTHETIC_{c}" for c in "ABCDE")


def matrix(values: dict, qualifiers: dict | None = None, direction: dict | None = None) -> IndicatorMatrix:
    """Build a matrix from {indicator: {entity: value}}; qualifiers {(entity, indicator): code}."""
    v = pd.DataFrame(values, dtype=float)
    q = pd.DataFrame("", index=v.index, columns=v.columns).astype(object)
    q[v.isna()] = "missing"
    for (ent, ind), code in (qualifiers or {}).items():
        q.loc[ent, ind] = code
    d = pd.Series({i: (direction or {}).get(i, 1) for i in v.columns})
    return IndicatorMatrix(v, q, d)


def quiet(fn, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegenerateMethodWarning)
        return fn(*args, **kwargs)


def fields(err: ParameterError) -> tuple:
    return err.name, err.where, err.value, err.expected, err.code


def five() -> IndicatorMatrix:
    """Five entities, three indicators (r lower is better), a gap at B/q and a lower bound at E/p."""
    values = pd.DataFrame({"p": [3.0, 7.0, 1.0, 9.0, 12.0], "q": [40.0, np.nan, 25.0, 10.0, 31.0],
                           "r": [0.9, 0.4, 0.7, 0.2, 0.6]}, index=[A, B, C, D, E])
    qualifier = pd.DataFrame("", index=values.index, columns=values.columns)
    qualifier.loc[B, "q"] = "missing"
    qualifier.loc[E, "p"] = "gt"
    return IndicatorMatrix(values, qualifier, pd.Series({"p": 1, "q": 1, "r": -1}))


def ordered() -> IndicatorMatrix:
    """SYNTHETIC: A beats B beats C on all three indicators (r lower is better), no gap, no bound: every
    normalisation, aggregation, weight draw, dropped indicator and treatment ranks them A 1, B 2, C 3."""
    values = pd.DataFrame({"p": [9.0, 5.0, 1.0], "q": [30.0, 20.0, 10.0], "r": [0.1, 0.5, 0.9]}, index=[A, B, C])
    qualifier = pd.DataFrame("", index=values.index, columns=values.columns)
    return IndicatorMatrix(values, qualifier, pd.Series({"p": 1, "q": 1, "r": -1}))
