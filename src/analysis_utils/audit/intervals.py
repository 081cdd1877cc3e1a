"""Interval arithmetic for printed numbers: which values a printed figure stands for, and what follows.

A printed number stands for every value that rounds to it at its printed precision. Rounding is half
away from zero (四舍五入 on the magnitude): "28.7" → [28.65, 28.75), closed below and open above; a
negative number is the mirror image, "-9.9" → (-9.95, -9.85]; "0" at 0 decimals → (-0.5, 0.5).
A qualifier (约, 近, 余, >, 不低于, 以下, 最高, —, '-') turns a printed value into the interval it allows
(``printed_interval``), as the qualifiers table (data/qualifiers.csv, read by data.qualifiers) defines it. Endpoints are exact fractions (``fractions.Fraction``), so a boundary case such
as 27/72 = 37.5% → "38%" is decided exactly, never with a tolerance. Infinite endpoints are floats and
always open. Comparisons return True, False or None (undetermined: some values satisfy it, some not).
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from fractions import Fraction

from analysis_utils.data.qualifiers import QualifierTable, packaged_qualifiers
from analysis_utils.errors import (
    IntervalError,  # defined in errors.py, importable from here too
)
from analysis_utils.rounding import round_exact

INF = float("inf")


def exact(x) -> Fraction | float:
    """A number as an exact Fraction (floats by their shortest repr: 28.7 → 287/10); infinities stay floats."""
    if isinstance(x, Fraction):
        return x
    if isinstance(x, bool):
        raise TypeError(f"not a number: {x!r}")
    if isinstance(x, int):
        return Fraction(x)
    if hasattr(x, "item") and not isinstance(x, (float, str)):  # numpy scalars
        return exact(x.item())
    if isinstance(x, float):
        if math.isnan(x):
            raise IntervalError("NaN is not a number an interval can hold")
        return float(x) if math.isinf(x) else Fraction(repr(float(x)))  # float(): numpy's repr is np.float64(…)
    if isinstance(x, str):
        return Fraction(x.strip())
    raise TypeError(f"not a number: {x!r}")


@dataclass(frozen=True)
class Interval:
    """A set of reals between lo and hi; each end closed (attained) or open."""

    lo: Fraction | float
    hi: Fraction | float
    lo_closed: bool = True
    hi_closed: bool = True

    def __post_init__(self):
        lo, hi = exact(self.lo), exact(self.hi)
        object.__setattr__(self, "lo", lo)
        object.__setattr__(self, "hi", hi)
        if isinstance(lo, float):
            object.__setattr__(self, "lo_closed", False)
        if isinstance(hi, float):
            object.__setattr__(self, "hi_closed", False)

    # --- construction --------------------------------------------------------------------
    @classmethod
    def point(cls, value) -> "Interval":
        """The closed interval [value, value] (an exact number)."""
        return cls(value, value)

    @classmethod
    def closed(cls, lo, hi) -> "Interval":
        """The closed interval [lo, hi]; IntervalError if lo > hi."""
        if exact(lo) > exact(hi):
            raise IntervalError(f"closed interval [{fmt(exact(lo))}, {fmt(exact(hi))}]: lo > hi")
        return cls(lo, hi)

    @classmethod
    def unknown(cls) -> "Interval":
        """Nothing known: (-∞, ∞) (a value printed as '-')."""
        return cls(-INF, INF, False, False)

    @classmethod
    def empty(cls) -> "Interval":
        """The empty interval (no value satisfies it)."""
        return cls(1, 0)

    # --- properties ----------------------------------------------------------------------
    @property
    def is_empty(self) -> bool:
        """True when no number lies in the interval."""
        return self.lo > self.hi or (self.lo == self.hi and not (self.lo_closed and self.hi_closed))

    @property
    def is_point(self) -> bool:
        """True for [x, x]: an exactly known number."""
        return not self.is_empty and self.lo == self.hi

    @property
    def is_bounded(self) -> bool:
        """True when both ends are finite."""
        return not (isinstance(self.lo, float) or isinstance(self.hi, float))

    @property
    def mid(self) -> Fraction:
        """The midpoint of a bounded interval, exactly."""
        if not self.is_bounded:
            raise IntervalError(f"an unbounded interval {self} has no midpoint")
        return (self.lo + self.hi) / 2

    def contains(self, x) -> bool:
        """True when ``x`` lies in the interval, ends open or closed as they are."""
        x = exact(x)
        return (self.lo < x < self.hi) or (x == self.lo and self.lo_closed) or (x == self.hi and self.hi_closed)

    def intersection(self, other: "Interval") -> "Interval":
        """The values in both intervals (possibly empty), ends keeping their openness."""
        other = as_interval(other)
        if self.lo != other.lo:
            lo, lo_c = max((self.lo, self.lo_closed), (other.lo, other.lo_closed), key=lambda e: e[0])
        else:
            lo, lo_c = self.lo, self.lo_closed and other.lo_closed
        if self.hi != other.hi:
            hi, hi_c = min((self.hi, self.hi_closed), (other.hi, other.hi_closed), key=lambda e: e[0])
        else:
            hi, hi_c = self.hi, self.hi_closed and other.hi_closed
        result = Interval(lo, hi, lo_c, hi_c)
        return EMPTY if result.is_empty else result

    def intersects(self, other: "Interval") -> bool:
        """True when some value lies in both intervals."""
        return not self.intersection(other).is_empty

    # --- arithmetic ----------------------------------------------------------------------
    def __neg__(self) -> "Interval":
        return EMPTY if self.is_empty else Interval(-self.hi, -self.lo, self.hi_closed, self.lo_closed)

    def __add__(self, other) -> "Interval":
        other = as_interval(other)
        if self.is_empty or other.is_empty:
            return EMPTY
        return Interval(self.lo + other.lo, self.hi + other.hi,
                        self.lo_closed and other.lo_closed, self.hi_closed and other.hi_closed)

    def __sub__(self, other) -> "Interval":
        return self + (-as_interval(other))

    def __mul__(self, other) -> "Interval":
        other = as_interval(other)
        if self.is_empty or other.is_empty:
            return EMPTY
        corners = [_corner(x, cx, y, cy) for x, cx in ((self.lo, self.lo_closed), (self.hi, self.hi_closed))
                   for y, cy in ((other.lo, other.lo_closed), (other.hi, other.hi_closed))]
        lo, hi = min(v for v, _ in corners), max(v for v, _ in corners)
        zero_in = self.contains(0) or other.contains(0)  # 0 times anything is 0, attained
        lo_c = any(c for v, c in corners if v == lo) or (lo == 0 and zero_in)
        hi_c = any(c for v, c in corners if v == hi) or (hi == 0 and zero_in)
        return Interval(lo, hi, lo_c, hi_c)

    def reciprocal(self) -> "Interval":
        """1 / x over the interval; IntervalError when it holds 0."""
        if self.is_empty:
            return EMPTY
        if self.contains(0) or (self.lo < 0 < self.hi):
            raise IntervalError(f"division by {self}, an interval that holds 0")
        return Interval(_inverse(self.hi, self.lo), _inverse(self.lo, self.hi), self.hi_closed, self.lo_closed)

    def __truediv__(self, other) -> "Interval":
        return self * as_interval(other).reciprocal()

    __radd__ = __add__
    __rmul__ = __mul__

    def __rsub__(self, other) -> "Interval":
        return as_interval(other) - self

    def __rtruediv__(self, other) -> "Interval":
        return as_interval(other) / self

    def power(self, exponent) -> "Interval":
        """x ** p for x ≥ 0 and p > 0 (monotone); irrational results widened outward by one float step."""
        p = exact(exponent)
        if self.is_empty:
            return EMPTY
        if self.lo < 0 or p <= 0:
            raise IntervalError(f"power {p} of {self}: needs a non-negative interval and a positive exponent")
        if p.denominator == 1:
            return Interval(self.lo ** p, self.hi ** p if self.is_bounded else INF, self.lo_closed, self.hi_closed)
        lo = Fraction(math.nextafter(float(self.lo) ** float(p), -INF)) if self.lo > 0 else Fraction(0)
        hi = math.nextafter(float(self.hi) ** float(p), INF)
        return Interval(lo, hi, self.lo_closed, self.hi_closed)

    # --- three-valued comparisons ----------------------------------------------------------
    def lt(self, other) -> bool | None:
        """x < y for every pair (True), for none (False), or undetermined (None)."""
        o = as_interval(other)
        if self.is_empty or o.is_empty:
            return None
        if self.hi < o.lo or (self.hi == o.lo and not (self.hi_closed and o.lo_closed)):
            return True
        return False if self.lo >= o.hi else None

    def le(self, other) -> bool | None:
        """x <= y for every pair (True), for none (False), or undetermined (None)."""
        o = as_interval(other)
        if self.is_empty or o.is_empty:
            return None
        if self.hi <= o.lo:
            return True
        if self.lo > o.hi or (self.lo == o.hi and not (self.lo_closed and o.hi_closed)):
            return False
        return None

    def gt(self, other) -> bool | None:
        """x > y, three-valued as ``lt``."""
        return as_interval(other).lt(self)

    def ge(self, other) -> bool | None:
        """x >= y, three-valued as ``lt``."""
        return as_interval(other).le(self)

    def eq(self, other) -> bool | None:
        """True when both are the same point, False when they cannot meet, None otherwise."""
        o = as_interval(other)
        if self.is_point and o.is_point:
            return self.lo == o.lo
        return False if not self.intersects(o) else None

    def ne(self, other) -> bool | None:
        """The negation of ``eq`` (None stays None)."""
        return tri_not(self.eq(other))

    def __str__(self) -> str:
        if self.is_empty:
            return "∅"
        if self.is_point:
            return fmt(self.lo)
        if self.is_bounded and fmt(self.lo) == fmt(self.hi):  # a float-widened point, e.g. a cube root
            return f"≈{fmt(self.lo)}"
        return f"{'[' if self.lo_closed else '('}{fmt(self.lo)}, {fmt(self.hi)}{']' if self.hi_closed else ')'}"


EMPTY = Interval.empty()


def as_interval(x) -> Interval:
    """An Interval as is, or a number as the point interval; TypeError for anything else."""
    return x if isinstance(x, Interval) else Interval.point(x)


def _corner(x, cx, y, cy):
    """One corner product and whether it is attained; 0 × ±∞ is the limit 0."""
    if x == 0 or y == 0:
        return Fraction(0), (x == 0 and cx) or (y == 0 and cy)
    return x * y, cx and cy


def _inverse(x, other_end):
    """1/x for an endpoint; an open 0 end goes to ±∞ on the side of the rest of the interval."""
    if isinstance(x, float):
        return Fraction(0)
    if x == 0:
        return INF if other_end > 0 else -INF
    return 1 / x


COMPARATORS = {"<": Interval.lt, "<=": Interval.le, ">": Interval.gt, ">=": Interval.ge,
               "==": Interval.eq, "!=": Interval.ne}


def compare(a, op: str, b) -> bool | None:
    """a op b for intervals: True (for every pair of values), False (for none) or None (undetermined)."""
    if op not in COMPARATORS:
        raise IntervalError(f"unknown comparison {op!r}; expected one of {list(COMPARATORS)}")
    return COMPARATORS[op](as_interval(a), as_interval(b))


def tri_not(x: bool | None) -> bool | None:
    """Three-valued not: None (undetermined) stays None."""
    return None if x is None else not x


def tri_and(*xs: bool | None) -> bool | None:
    """Kleene conjunction: False if any is False, else None if any is undetermined."""
    return False if any(x is False for x in xs) else (None if any(x is None for x in xs) else True)


def tri_or(*xs: bool | None) -> bool | None:
    """Three-valued or (Kleene): True if any is True, False if all are False, else None."""
    return True if any(x is True for x in xs) else (None if any(x is None for x in xs) else False)


# --- printed numbers ---------------------------------------------------------------------
def decimals_of(text: str) -> int:
    """Decimals printed in a number: '28.7' → 1, '1683.07' → 2, '38' → 0."""
    match = re.fullmatch(r"\s*[-+]?\d+(?:\.(\d+))?\s*", text)
    if not match:
        raise IntervalError(f"not a printed number: {text!r}")
    return len(match.group(1) or "")


def half_unit(value, decimals: int, significant: bool = False) -> Fraction:
    """Half a unit of the last printed digit; with ``significant`` an integer's trailing zeros are not digits
    (约5500 → 50, 约1 → 0.5)."""
    if decimals > 0 or not significant:
        return Fraction(1, 2 * 10 ** decimals)
    digits = str(abs(int(exact(value))))
    zeros = len(digits) - len(digits.rstrip("0")) if digits != "0" else 0
    return Fraction(10 ** zeros, 2)


def rounding_interval(value, decimals: int, significant: bool = False) -> Interval:
    """The values that round (half away from zero) to ``value`` at ``decimals``."""
    v, h = exact(value), half_unit(value, decimals, significant)
    if v > 0:
        return Interval(v - h, v + h, True, False)
    if v < 0:
        return Interval(v - h, v + h, False, True)
    return Interval(-h, h, False, False)


def round_printed(x, decimals: int) -> Fraction:
    """Round half away from zero, exactly: what a value would be printed as (rounding.round_exact)."""
    return round_exact(exact(x), decimals)


def printed_interval(value=None, decimals: int = 0, qualifier: str = "", value_high=None,
                     exact_value: bool = False, qualifiers: QualifierTable | None = None) -> Interval:
    """The interval a printed value with its qualifier stands for, at its printed precision.

    The qualifier's meaning comes from ``qualifiers`` (a dataset's ``data.qualifier_table``; default the
    packaged qualifiers.csv): its bounds (value, value_high or none), whether each bound is included,
    and its printed precision (decimals, significant digits or none). Shipped meanings:
    ''  exact: the rounding interval at ``decimals``, or the point when ``exact_value`` (a count printed whole);
    approx 约: rounding at the printed significant digits; over 余 / ge 不低于: [v, ∞); gt >: (v, ∞);
    lt 以下 / le 最高: (−∞, v]; range —: [v, value_high]; missing '-': (−∞, ∞);
    nearly 近: the upper bound (−∞, v] read at printed precision, i.e. intersected with v's rounding interval
    at its significant digits: [v − half unit, v] (近1万 → [0.5万, 1万]). Raises IntervalError for an unknown
    qualifier or a value (value_high) the qualifier needs and did not get.
    """
    table = packaged_qualifiers() if qualifiers is None else qualifiers
    if qualifier not in table:
        raise IntervalError(f"unknown qualifier {qualifier!r}; expected one of {list(table.codes())}")
    q = table[qualifier]
    if q.kind == "missing":
        return Interval.unknown()
    if value is None:
        raise IntervalError(f"qualifier {qualifier!r} needs a value")
    v = exact(value)
    if q.kind == "range":
        if value_high is None:
            raise IntervalError(f"qualifier {qualifier!r} (a range) needs value_high")
        return Interval(v, value_high, q.lower_inclusive, q.upper_inclusive)
    digits = rounding_interval(v, decimals, significant=q.precision == "significant") if q.precision else None
    if q.kind == "exact":
        return Interval.point(v) if digits is None or (exact_value and q.is_plain) else digits
    bound = Interval(v, INF, q.lower_inclusive, False) if q.kind == "lower" else Interval(-INF, v, False,
                                                                                          q.upper_inclusive)
    return bound if digits is None else bound.intersection(digits)


def whole_numbers_in(interval: Interval, limit: int = 100_000) -> list[int]:
    """The whole numbers an interval holds (e.g. the possible sizes of a whole implied by a share)."""
    if interval.is_empty:
        return []
    if not interval.is_bounded:
        raise IntervalError(f"{interval} is unbounded: it holds infinitely many whole numbers")
    first, last = math.ceil(interval.lo), math.floor(interval.hi)
    if first == interval.lo and not interval.lo_closed:
        first += 1
    if last == interval.hi and not interval.hi_closed:
        last -= 1
    if last - first + 1 > limit:
        raise IntervalError(f"{interval} holds {last - first + 1} whole numbers, more than {limit}")
    return list(range(first, last + 1))


def fractions_in(interval: Interval, max_denominator: int) -> list[tuple[int, int]]:
    """Every count pair (n, N), N ≤ max_denominator, with n/N in the interval (a fraction, not %), in order of N
    then n. IntervalError as whole_numbers_in for an unbounded (or too wide) non-empty interval."""
    if interval.is_empty:
        return []
    # interval × N for a whole N ≥ 1 scales both ends and keeps their openness: the same as interval * N, cheaper
    lo, hi, lo_c, hi_c = interval.lo, interval.hi, interval.lo_closed, interval.hi_closed
    return [(n, d) for d in range(1, max_denominator + 1) for n in whole_numbers_in(Interval(lo * d, hi * d, lo_c, hi_c))]


def fmt(x, significant: int = 6) -> str:
    """A number for reading: exact when it is a short decimal (1683.065), else about six significant digits."""
    if isinstance(x, float) and math.isinf(x):
        return "∞" if x > 0 else "-∞"
    if isinstance(x, Fraction):
        for places in range(0, 9):
            if (x * 10 ** places).denominator == 1:
                return _plain(float(x), places) if abs(x) < 10 ** 15 else str(x)
    x = float(x)
    if x == 0:
        return "0"
    return _plain(x, max(0, significant - 1 - math.floor(math.log10(abs(x)))))


def _plain(x: float, places: int) -> str:
    text = f"{x:.{places}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
