"""The package's one rounding rule: decimal, half away from zero (half up on the magnitude), at the printed precision.

Chinese statistical practice (and the report) rounds half up (四舍五入): 0.125 to two decimals is 0.13,
-0.125 is -0.13. Python's ``round`` rounds half to even on the binary value (``round(0.125, 2)`` is 0.12,
``round(2.675, 2)`` is 2.67); here a float is first read as the shortest decimal that prints it
(``repr``), so 2.675 rounds to 2.68, as a reader of the printed number expects. Exact fractions (the
audit's intervals) are rounded as they are. Every printed or compared number in the package is rounded
here: display tables, findings, the claims audit (``audit.intervals.round_printed``).
"""
from __future__ import annotations

import math
from fractions import Fraction


def as_decimal(value) -> Fraction:
    """A number as an exact Fraction: a float by its shortest repr (0.1 → 1/10), an int or Fraction as is.

    Raises TypeError for a bool or a non-number and ValueError for NaN or ±inf.
    """
    if isinstance(value, Fraction):
        return value
    if isinstance(value, bool) or not isinstance(value, (int, float)) and not hasattr(value, "__float__"):
        raise TypeError(f"not a number: {value!r}")
    if isinstance(value, int):
        return Fraction(value)
    value = float(value)  # numpy scalars, pandas' Float64 values
    if not math.isfinite(value):
        raise ValueError(f"{value!r} cannot be rounded to a printed number")
    return Fraction(repr(value))


def round_exact(x, decimals: int = 0) -> Fraction:
    """``x`` rounded half away from zero to ``decimals`` places (negative: tens, hundreds), as an exact Fraction.

    27/72 × 100 = 37.5 → 38; -9.95 → -10.0 at 1 decimal. Floats are read by ``as_decimal``.
    """
    x, quantum = as_decimal(x), Fraction(10) ** -decimals
    n = math.floor(abs(x) / quantum + Fraction(1, 2))
    return n * quantum if x >= 0 else -(n * quantum)


def _missing(value) -> bool:
    if value is None:
        return True
    try:
        return not isinstance(value, Fraction) and math.isnan(float(value))
    except (TypeError, ValueError):
        return False


def round_half_up(value: float, decimals: int = 0) -> float:
    """``value`` rounded half away from zero to ``decimals`` places, as a float; None, NaN and ±inf unchanged."""
    if value is None or (not isinstance(value, Fraction) and not math.isfinite(value)):
        return value
    return float(round_exact(value, decimals))


def format_fixed(value, decimals: int) -> str:
    """``value`` rounded half away from zero, printed with exactly ``decimals`` places ('31.20'); '-' for NaN/None,
    '∞' / '-∞' for an infinity (a ratio to a focus value of 0)."""
    if _missing(value):
        return "-"
    if not isinstance(value, Fraction) and math.isinf(float(value)):
        return "∞" if float(value) > 0 else "-∞"
    r, places = round_exact(value, decimals), max(decimals, 0)
    sign, r = ("-" if r < 0 else ""), abs(r)
    whole, part = divmod(r.numerator * 10 ** places // r.denominator, 10 ** places)
    return f"{sign}{whole}" + (f".{part:0{decimals}d}" if decimals > 0 else "")


def format_significant(value, digits: int = 2, toward: str = "nearest") -> str:
    """``value`` to ``digits`` significant digits, without trailing zeros ('0.13', '130', '1'): 'nearest' rounds
    half away from zero (the package's rule), 'up' toward +∞ and 'down' toward −∞. A bound is rounded outward
    so that its label still holds: an upper bound 0.13485 reads '≤0.14', never '≤0.13' (which would claim a
    tighter limit than the data give); a lower bound 0.13485 reads '≥0.13'. '-' for NaN/None, '∞'/'-∞' for
    infinities, '0' for 0. Raises ValueError for another ``toward``."""
    if toward not in ("nearest", "up", "down"):
        raise ValueError(f"toward: expected 'nearest', 'up' or 'down', got {toward!r}")
    if _missing(value):
        return "-"
    if not isinstance(value, Fraction) and math.isinf(float(value)):
        return "∞" if float(value) > 0 else "-∞"
    x = as_decimal(value)
    if x == 0:
        return "0"
    exponent = math.floor(math.log10(abs(float(x))))
    if Fraction(10) ** exponent > abs(x):  # log10 of a float can land one below near a power of ten
        exponent -= 1
    elif Fraction(10) ** (exponent + 1) <= abs(x):
        exponent += 1
    decimals = digits - 1 - exponent
    if toward == "nearest":
        r = round_exact(x, decimals)
    else:
        quantum = Fraction(10) ** -decimals
        steps = x / quantum
        r = (math.ceil(steps) if toward == "up" else math.floor(steps)) * quantum
    text = format_fixed(r, max(decimals, 0))
    return text.rstrip("0").rstrip(".") if "." in text else text


def format_percent(share, decimals: int = 1) -> str:
    """A share (0.1234) printed as a percentage with ``decimals`` places ('12.3%'), rounded half away from zero.

    The share is read exactly (``as_decimal``) before multiplying by 100, so 0.0125 gives '1.3%'
    where ``f"{0.0125:.1%}"`` gives '1.2%'. '-' for NaN or None.
    """
    return "-" if _missing(share) else format_fixed(as_decimal(share) * 100, decimals) + "%"
