"""Step 3 of the composite index: the indicator matrix and its censored and missing cells.

Handbook on Constructing Composite Indicators (Nardo et al., OECD/JRC 2008), Part I step 3, imputation of
missing data; censored cells (">200", "<18") follow the qualifier table's meaning of each code. Where the
Handbook leaves a choice open we follow COINr (Becker et al.), named at each place.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis_utils.checks import check_choice
from analysis_utils.data.qualifiers import QualifierTable, packaged_qualifiers
from analysis_utils.errors import AnalysisError

# Which code is exact, a lower or an upper bound is read from the qualifiers table (data/qualifiers.py):
# the matrix's own table (a dataset's, via indicator_matrix) or the packaged qualifiers.csv.
MATRIX_KINDS = ("exact", "lower", "upper", "missing")  # a range cell has no single value: give it as missing

CENSORED_OPTIONS = ("bound", "exclude", "drop_indicator")
MISSING_OPTIONS = ("drop_indicator", "mean", "median", "min", "worst", "zero")
ALL_ENTITIES = "(all)"
RECORD_COLUMNS = ["entity", "indicator", "qualifier", "before", "after", "action", "side", "method", "count"]
# What the treatment did to a cell or an indicator (record column ``action``; report.present words it):
ACTIONS = ("approximate", "bound_used", "bound_excluded", "dropped_censored", "dropped_empty", "dropped_missing",
           "imputed")


def _fail(message: str) -> None:
    raise AnalysisError(message)


def _cells(mask: pd.DataFrame, limit: int = 10) -> str:
    """List up to `limit` (entity, indicator) cells where mask is true, for error messages."""
    stacked = mask.stack()
    cells = [f"{e}/{i}" for e, i in stacked[stacked].index[:limit]]
    more = int(stacked.sum()) - len(cells)
    return ", ".join(cells) + (f" … and {more} more" if more > 0 else "")


@dataclass
class IndicatorMatrix:
    """Entities x indicators with a qualifier code per cell and a direction per indicator.

    ``qualifiers`` says what each code means (default: the packaged qualifiers.csv); a code must be
    known there and of class exact, lower, upper or missing (``MATRIX_KINDS``).
    """

    values: pd.DataFrame  # index entity, columns indicator id, float; NaN where missing
    qualifier: pd.DataFrame  # same labels; codes of the qualifiers table
    direction: pd.Series  # indicator id -> +1 (higher is better) or -1 (lower is better)
    qualifiers: QualifierTable | None = None  # None: the packaged table

    def __post_init__(self):
        v, q, d = self.values, self.qualifier, self.direction
        if not (isinstance(v, pd.DataFrame) and isinstance(q, pd.DataFrame) and isinstance(d, pd.Series)):
            _fail("IndicatorMatrix needs values and qualifier as DataFrames and direction as a Series")
        if v.shape[0] == 0 or v.shape[1] == 0:
            _fail(f"IndicatorMatrix is empty: {v.shape[0]} entities x {v.shape[1]} indicators")
        for what, labels in (("entity", v.index), ("indicator", v.columns)):
            if labels.has_duplicates:
                _fail(f"duplicate {what} labels in values: {sorted(set(labels[labels.duplicated()]))[:10]}")
        if set(q.index) != set(v.index) or set(q.columns) != set(v.columns) or q.shape != v.shape:
            _fail(f"qualifier labels do not match values: qualifier {q.shape}, values {v.shape}; "
                  f"entities only in one: {sorted(set(q.index) ^ set(v.index))[:10]}, "
                  f"indicators only in one: {sorted(set(q.columns) ^ set(v.columns))[:10]}")
        if set(d.index) != set(v.columns) or d.index.has_duplicates:
            _fail(f"direction must name each indicator once; got {list(d.index)[:12]}, "
                  f"indicators are {list(v.columns)[:12]}")
        self.values = self._numeric(v)
        self.qualifier = q.loc[v.index, v.columns].fillna("").astype(str)
        self.direction = self._directions(d.loc[v.columns])
        if self.qualifiers is None:
            self.qualifiers = packaged_qualifiers()
        self._check_codes()

    @staticmethod
    def _numeric(v: pd.DataFrame) -> pd.DataFrame:
        try:
            return v.astype("float64")
        except (TypeError, ValueError) as exc:
            _fail(f"values must be numeric (NaN where missing): {exc}")

    @staticmethod
    def _directions(d: pd.Series) -> pd.Series:
        bad = d[~d.isin([1, -1])]
        if len(bad):
            _fail(f"direction must be +1 or -1 (context-only indicators, direction 0, cannot enter "
                  f"a composite): got {bad.to_dict()}")
        return d.astype("int64")

    def _check_codes(self) -> None:
        q, missing = self.qualifier, self.values.isna()
        allowed = self.qualifiers.codes(*MATRIX_KINDS)
        unknown = ~q.isin(allowed)
        if unknown.to_numpy().any():
            _fail(f"unknown qualifier codes {sorted(set(q[unknown].stack()))} at {_cells(unknown)}; "
                  f"expected one of {list(allowed)} (classes {list(MATRIX_KINDS)} in the qualifiers table)")
        if (bad := missing ^ (q == "missing")).to_numpy().any():
            _fail(f"qualifier 'missing' must go with a NaN value and only with it; mismatch at {_cells(bad)}")

    @property
    def entities(self) -> list[str]:
        """The row labels (entities), in order."""
        return list(self.values.index)

    @property
    def indicators(self) -> list[str]:
        """The column labels (indicator ids), in order."""
        return list(self.values.columns)


# --- Step 3: censored and missing cells --------------------------------------------------------

def treat_censored_missing(matrix: IndicatorMatrix, censored: str = "bound",
                           missing: str = "mean") -> tuple[IndicatorMatrix, pd.DataFrame]:
    """Treat censored then missing cells (Handbook step 3, imputation; single imputation only).

    censored — cells whose qualifier is a bound in the qualifiers table (">200", 余, 不低于: lower;
      以下, 最高, 近: upper — the true value is <= the printed one):
      "bound"          use the printed bound as the value (conservative for a lower bound);
      "exclude"        treat the cell as missing, then apply `missing`;
      "drop_indicator" drop every indicator that has a censored cell.
    missing — cells with no value (after "exclude"):
      "drop_indicator" drop every indicator that has a missing cell;
      "mean" / "median" the indicator's mean / median over the entities that have a value;
      "min"            the indicator's smallest observed value (favourable if lower is better);
      "worst"          the worst observed value given the direction (min, or max if lower is better);
      "zero"           0.
    Exact cells other than plain numbers (约: approx) are used as printed. An indicator left with no observed value is
    dropped. Returns the treated matrix (treated cells get qualifier "") and a record with one row
    per treated cell or dropped indicator: entity, indicator, qualifier, before, after, action (a code of
    ACTIONS), side ('lower'/'upper' for a bound, else ''), method (the imputation, else ''), count (the censored
    or missing cells of a dropped indicator, or the observed values an imputation used; else 0).
    """
    check_choice("censored", censored, CENSORED_OPTIONS)
    check_choice("missing", missing, MISSING_OPTIONS)
    values, qual, record = matrix.values.copy(), matrix.qualifier.copy(), []
    for ind in matrix.indicators:
        _treat_indicator(ind, values, qual, matrix.direction[ind], censored, missing, record, matrix.qualifiers)
    kept = [i for i in matrix.indicators if i in values.columns]
    if not kept:
        _fail(f"censored={censored!r}, missing={missing!r} drops every indicator; choose another treatment")
    treated = IndicatorMatrix(values[kept], qual[kept], matrix.direction[kept], matrix.qualifiers)
    return treated, pd.DataFrame(record, columns=RECORD_COLUMNS)


def _treat_indicator(ind, values, qual, direction, censored, missing, record, qualifiers) -> None:
    """Treat one indicator column in place (deleting it from values and qual when it is dropped)."""
    col, codes = values[ind], qual[ind]
    approximate = [c for c in qualifiers.codes("exact") if not qualifiers[c].is_plain]
    for ent in codes.index[codes.isin(approximate)]:
        record.append([ent, ind, codes[ent], col[ent], col[ent], "approximate", "", "", 0])
    bounds = codes.index[codes.isin(qualifiers.codes("lower", "upper"))]
    if len(bounds) and censored == "drop_indicator":
        return _drop(ind, values, qual, record, "dropped_censored", len(bounds))
    for ent in bounds:
        side = qualifiers.kind(codes[ent])
        if censored == "bound":
            record.append([ent, ind, codes[ent], col[ent], col[ent], "bound_used", side, "", 0])
        else:
            record.append([ent, ind, codes[ent], col[ent], np.nan, "bound_excluded", side, "", 0])
    if len(bounds):
        if censored == "exclude":
            values.loc[bounds, ind] = np.nan
        qual.loc[bounds, ind] = "" if censored == "bound" else "missing"
    _impute(ind, values, qual, direction, missing, record)


def _impute(ind, values, qual, direction, missing, record) -> None:
    col = values[ind]
    gaps = col.index[col.isna()]
    if len(gaps) == 0:
        return
    observed = col.dropna()
    if observed.empty:
        return _drop(ind, values, qual, record, "dropped_empty", 0)
    if missing == "drop_indicator":
        return _drop(ind, values, qual, record, "dropped_missing", len(gaps))
    worst = observed.min() if direction > 0 else observed.max()
    fill = {"mean": observed.mean(), "median": observed.median(), "min": observed.min(),
            "worst": worst, "zero": 0.0}[missing]
    record.extend([ent, ind, "missing", np.nan, fill, "imputed", "", missing, len(observed)] for ent in gaps)
    values.loc[gaps, ind] = fill
    qual.loc[gaps, ind] = ""


def _drop(ind, values, qual, record, action, count) -> None:
    record.append([ALL_ENTITIES, ind, "", np.nan, np.nan, action, "", "", count])
    del values[ind]
    del qual[ind]
