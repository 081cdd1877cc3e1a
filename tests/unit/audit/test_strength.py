"""audit/strength.py: the band of printed values a check accepts (strength.band) and how strong that makes the check
(claims.strength). Every edge is worked out by hand in the comments, on SYNTHETIC checks."""
from __future__ import annotations

import math
from fractions import Fraction

from analysis_utils.audit import claims
from analysis_utils.audit.strength import band


def test_a_band_bounded_below_only():
    # SYNTHETIC check accepting v ≥ 5, printed 5.8 (unit 0.1). Down: 5.7, 5.6, 5.4, 5.0 accepted (steps 0.1, 0.2,
    # 0.4, 0.8), 4.2 refused; bisecting [4.2, 5.0] keeps 5.0 inside until the gap is 0.8 / 2^13 = 1/10240 ≤ 0.0001
    # (PRECISION of a unit): the edge is the middle, 5 − 1/20480. Up: never refused, unbounded: +∞.
    b = band(lambda v: v >= 5, 5.8, 1)
    assert (b.low, b.high, b.unit) == (Fraction(102399, 20480), math.inf, Fraction(1, 10))
    assert b.width_units == math.inf and not b.bounded and b.shown(1) == ("5", "")
    assert claims.strength(b) == "one_sided"


def test_a_band_bounded_above_only():
    # SYNTHETIC check accepting v ≤ 7, printed 3 (unit 1). Up: 4, 6 accepted, 10 refused; bisecting [6, 10]:
    # 8 refused, 7 accepted, then 7 stays inside until the gap is 4 / 2^12 = 1/1024: 7 + 1/2048.
    # Down: never refused: −∞.
    b = band(lambda v: v <= 7, 3, 0)
    assert (b.low, b.high) == (-math.inf, Fraction(14337, 2048))
    assert claims.strength(b) == "one_sided"
    assert claims.strength(band(lambda v: True, 3, 0)) == "open"


def test_a_band_stops_at_the_floor():
    # floor 0 (a positive count cannot be negative). Accepting everything: down 2, 1, then −1 is below the floor
    # and 0 is accepted: no lower bound (−∞). Accepting v ≥ 0.5: 0 is refused, so the search bisects [0, 1]:
    # 0.5 accepted, then 0.5 stays inside until the gap is 1/1024: the edge is 0.5 − 1/2048.
    assert band(lambda v: True, 3, 0, floor=0).low == -math.inf
    assert band(lambda v: v >= Fraction(1, 2), 3, 0, floor=0).low == Fraction(1023, 2048)
    # accepting v > 1: 2 accepted, 1 refused (above the floor): bisecting [1, 2] to 1/1024: 1 + 1/2048
    assert band(lambda v: v > 1, 3, 0, floor=0).low == Fraction(2049, 2048)


def test_a_band_on_the_printing_grid():
    # SYNTHETIC scattered check accepting the printed values 2, 3, 4 and 8: around 3, the run 2–4; edges half
    # a unit beyond: [1.5, 4.5], 3 units wide
    b = band(lambda v: v in (2, 3, 4, 8), 3, 0, grid=True)
    assert (b.low, b.high, b.width_units, b.bounded) == (Fraction(3, 2), Fraction(9, 2), 3.0, True)
    assert claims.strength(b) == "tight"
    # accepted everywhere: down to the floor (−∞ below), and all 50 steps up (+∞)
    b = band(lambda v: True, 3, 0, floor=0, grid=True)
    assert (b.low, b.high) == (-math.inf, math.inf)
    # a printed value the check refutes has no band
    assert band(lambda v: v != 3, 3, 0) is None and band(lambda v: v != 3, 3, 0, grid=True) is None
