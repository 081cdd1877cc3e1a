"""The package's one rounding rule: decimal, half up, at the printed precision.

Chinese statistical practice (and the report) rounds half up (四舍五入): 0.125 to two decimals is 0.13.
Python's ``round`` rounds half to even on the binary value (``round(0.125, 2)`` is 0.12,
``round(2.675, 2)`` is 2.67); here a float is first read as the shortest decimal that prints it
(``repr``), so 2.675 rounds to 2.68, as a reader of the printed number expects.
"""
from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction


def round_exact(x: Fraction, decimals: int = 0) -> Fraction:
    """An exact number rounded half away from zero (half up on the magnitude) to ``decimals`` places.

    The one rule, on exact fractions: 27/72 × 100 = 37.5 → 38, -9.95 → -10.0 at 1 decimal.
    The audit rounds recomputed values with it (intervals.round_printed); ``round_half_up`` and
    ``format_fixed`` apply it to floats read as their shortest decimal.
    """
    x, quantum = Fraction(x), Fraction(10) ** -decimals
    n = math.floor(abs(x) / quantum + Fraction(1, 2))
    return n * quantum if x >= 0 else -(n * quantum)


def round_half_up(value: float, decimals: int = 0) -> float:
    """``value`` rounded half up to ``decimals`` places (negative: tens, hundreds); NaN and ±inf unchanged."""
    if value is None or not math.isfinite(value):
        return value
    quantum = Decimal(1).scaleb(-decimals)
    return float(Decimal(repr(float(value))).quantize(quantum, rounding=ROUND_HALF_UP))


def format_fixed(value: float, decimals: int) -> str:
    """``value`` rounded half up and printed with exactly ``decimals`` places ('31.20'); '-' for NaN or None."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    quantum = Decimal(1).scaleb(-decimals)
    return str(Decimal(repr(float(value))).quantize(quantum, rounding=ROUND_HALF_UP))
