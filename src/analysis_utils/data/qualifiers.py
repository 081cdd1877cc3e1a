"""What a printed qualifier (约, 近, 余, >, 不低于, 以下, 最高, —, '-') means: one definition, read from qualifiers.csv.

Each row of the dataset's qualifiers table says which bounds a qualified value gives:

* ``lower`` / ``upper`` — the bound's expression: ``value``, ``value_high`` (range only) or empty (unbounded);
* ``lower_inclusive`` / ``upper_inclusive`` — whether the bound itself is allowed (empty when unbounded);
* ``precision`` — how the printed digits narrow the value further: ``decimals`` (it rounds to the printed
  value at its printed decimals), ``significant`` (at its printed significant digits: 约5500 → ±50),
  or empty (they do not).

From the bounds follows the one class used everywhere (loader, comparisons, audit, composite):
``exact`` (lower = upper = value), ``lower`` (only a lower bound), ``upper`` (only an upper bound),
``range`` (value to value_high) and ``missing`` (no bound: the report prints '-').

Two readings of one meaning: comparisons and the composite use the bound itself (近1万 → at most 1万);
the audit adds the printed precision, intersecting the bound with the values that round to the printed
number (近1万, significant digits → [0.5万, 1万]: close to, and not above, 1万). Conventions of Chinese
legal and statistical texts: 以上 and 以下 include the number itself (50%以下 includes 50%).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from analysis_utils.errors import AnalysisError

KINDS = ("exact", "lower", "upper", "range", "missing")
BOUND_EXPRESSIONS = ("", "value", "value_high")
PRECISIONS = ("", "decimals", "significant")


class QualifierError(AnalysisError):
    """Raised for an unknown qualifier code or a qualifiers table whose bounds do not make sense."""


@dataclass(frozen=True)
class Qualifier:
    """One qualifier: its bounds, their inclusivity and printed precision; ``kind`` is the derived class."""

    code: str
    printed_as: str
    name_en: str
    lower: str  # "", "value" (or "value_high", refused)
    upper: str  # "", "value", "value_high"
    lower_inclusive: bool | None  # None when unbounded
    upper_inclusive: bool | None
    precision: str  # "", "decimals", "significant"
    meaning: str = ""

    def __post_init__(self):
        problems = bound_problems(self.lower, self.upper, self.lower_inclusive, self.upper_inclusive, self.precision)
        if problems:
            raise QualifierError(f"qualifier {self.code!r}: " + "; ".join(f"{column}: expected {expected}"
                                                                    for column, expected in problems))

    @property
    def kind(self) -> str:
        """'exact', 'lower', 'upper', 'range' or 'missing', from the two bound expressions."""
        return kind_of(self.lower, self.upper)

    @property
    def is_bound(self) -> bool:
        """True for a one-sided (censored) value: only a lower or only an upper bound is printed."""
        return self.kind in ("lower", "upper")

    @property
    def is_plain(self) -> bool:
        """True for a number printed with no qualifier word: exact at its printed decimals."""
        return self.kind == "exact" and self.precision == "decimals"


def kind_of(lower: str, upper: str) -> str:
    """The class given by two bound expressions: value_high above → range; both → exact; one → lower/upper."""
    if upper == "value_high":
        return "range"
    if lower and upper:
        return "exact"
    return "lower" if lower else ("upper" if upper else "missing")


def bound_problems(lower: str, upper: str, lower_inclusive: bool | None, upper_inclusive: bool | None,
                   precision: str) -> list[tuple[str, str]]:
    """What is wrong with one qualifier's bounds, as (column, what was expected) pairs; [] when it makes sense."""
    out = []
    if lower not in ("", "value"):
        out.append(("lower", "'value' or empty"))
    if upper not in BOUND_EXPRESSIONS:
        out.append(("upper", "'value', 'value_high' or empty"))
    for side, bound, inclusive in (("lower", lower, lower_inclusive), ("upper", upper, upper_inclusive)):
        if (bound == "") != (inclusive is None):
            out.append((f"{side}_inclusive", f"true or false exactly when {side} is given ({side} is {bound!r})"))
    if lower == "value" == upper and (lower_inclusive, upper_inclusive) != (True, True):
        out.append(("lower_inclusive", "true and upper_inclusive true: an exact value includes itself"))
    if upper == "value_high" and lower != "value":
        out.append(("lower", "'value' for a range (upper is 'value_high')"))
    if precision not in PRECISIONS:
        out.append(("precision", "'decimals', 'significant' or empty"))
    elif precision and kind_of(lower, upper) not in ("exact", "lower", "upper"):
        out.append(("precision", f"empty for a {kind_of(lower, upper)} (no printed value is a bound)"))
    return out


@dataclass(frozen=True)
class QualifierTable:
    """The qualifiers of a dataset by code; ``codes(kind)`` lists the codes of one class, in table order."""

    by_code: dict[str, Qualifier]

    @classmethod
    def from_frame(cls, table: pd.DataFrame) -> "QualifierTable":
        """From the qualifiers resource (columns as in data/datapackage.json); QualifierError on a bad row."""
        needed = ["qualifier", "lower", "upper", "lower_inclusive", "upper_inclusive", "precision"]
        absent = [c for c in needed if c not in table.columns]
        if absent:
            raise QualifierError(f"the qualifiers table has no column(s) {absent}; columns: {list(table.columns)}")
        rows = {}
        for r in table.to_dict("records"):
            code = _text(r["qualifier"])
            rows[code] = Qualifier(code, _text(r.get("printed_as")), _text(r.get("name_en")), _text(r["lower"]),
                                   _text(r["upper"]), _flag(r["lower_inclusive"]), _flag(r["upper_inclusive"]),
                                   _text(r["precision"]), _text(r.get("meaning")))
        return cls(rows)

    def __getitem__(self, code: str) -> Qualifier:
        try:
            return self.by_code[code]
        except (KeyError, TypeError):
            raise QualifierError(f"unknown qualifier {code!r}; expected one of {list(self.by_code)}") from None

    def __contains__(self, code) -> bool:
        return code in self.by_code

    def kind(self, code: str) -> str:
        """The class of ``code`` (see ``Qualifier.kind``); QualifierError if unknown."""
        return self[code].kind

    def codes(self, *kinds: str) -> tuple[str, ...]:
        """Every code, or the codes whose class is one of ``kinds``."""
        for k in kinds:
            if k not in KINDS:
                raise QualifierError(f"unknown qualifier class {k!r}; expected one of {list(KINDS)}")
        return tuple(c for c, q in self.by_code.items() if not kinds or q.kind in kinds)


def _text(x) -> str:
    return "" if x is None or (not isinstance(x, str) and pd.isna(x)) else str(x)


def _flag(x) -> bool | None:
    """A boolean cell: True/False, None when empty; text 'true'/'false' from a CSV read as strings."""
    if isinstance(x, str):
        return {"true": True, "1": True, "false": False, "0": False}.get(x.strip().lower())
    if x is None or pd.isna(x):
        return None
    return bool(x)


@lru_cache(maxsize=1)
def packaged_qualifiers() -> QualifierTable:
    """The qualifiers shipped in data/qualifiers.csv, for code that has no Dataset at hand."""
    from analysis_utils.paths import DATA_DIR

    return QualifierTable.from_frame(pd.read_csv(DATA_DIR / "qualifiers.csv", dtype=str, keep_default_na=False))
