"""How strong a check is: the band of printed values it would still accept.

A check refutes a printed value when the claim's verdict at that value would be "inconsistent". The band
is every printed value (at the claim's printed decimals and qualifier) that the check does *not* refute:
31.2 recomputed as 2826 / 2154 − 1 = 31.198% is accepted from 31.148 to 31.248 only; Nanshan's 5.8% checked
against R&D >200 is accepted from 5.33 upward; a rule that never reads ``this`` and is no recomputation
accepts every value (it cannot differ from the printed number). The edges are found by stepping out from the
printed value in units of its last digit, doubling the step until a refuted value is met (at most
``MAX_DOUBLINGS`` times: beyond that the band is unbounded), then bisecting to ``PRECISION`` of a unit.
The search never goes below 0 for a positive printed value of a kind other than growth (a printed count,
amount or share cannot be negative): a band accepted down to 0 has no lower bound.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Callable

from analysis_utils.audit.intervals import exact, fmt

MAX_DOUBLINGS = 24
PRECISION = Fraction(1, 1000)  # of a unit of the last printed digit
BAND_LIMIT = 5  # a reproduced claim's band may span at most this many units of its last printed digit


@dataclass(frozen=True)
class Band:
    """Printed values a check accepts: [low, high] (±inf when unbounded), in the claim's unit."""

    low: Fraction | float
    high: Fraction | float
    unit: Fraction  # one unit of the last printed digit

    @property
    def width_units(self) -> float:
        """The width in units of the last printed digit (inf when unbounded on either side)."""
        if isinstance(self.low, float) or isinstance(self.high, float):
            return math.inf
        return float((self.high - self.low) / self.unit)

    @property
    def bounded(self) -> bool:
        return not math.isinf(self.width_units)

    def shown(self, decimals: int) -> tuple[str, str]:
        """The two edges as text, one digit finer than printed ('31.15', '31.25'); '' for an unbounded side."""
        def one(x):
            return "" if isinstance(x, float) else fmt(round(x, decimals + 2), 12)
        return one(self.low), one(self.high)


GRID_STEPS = 50  # printed values tried either side on the printing grid


def band(accepts: Callable[[Fraction], bool], value, decimals: int, floor=None, grid: bool = False) -> Band | None:
    """The band of printed values around ``value`` that ``accepts`` (True: not refuted) keeps.

    None when ``accepts`` does not hold at ``value`` itself (the check refutes the printed value). ``floor`` is the
    lowest printed value that makes sense (0 for a positive count, amount or share), or None; a band that
    reaches it is unbounded on that side (the check sets no bound there). With ``grid`` only printed values
    (steps of one unit of the last digit, up to GRID_STEPS each side) are tried, for checks whose accepted
    values are scattered (whole numbers behind a share); the edges are then half a unit beyond the last
    accepted printed value.
    """
    v0, unit = exact(value), Fraction(1, 10 ** int(decimals))
    if not accepts(v0):
        return None
    if grid:
        return Band(_grid_edge(accepts, v0, unit, -1, floor), _grid_edge(accepts, v0, unit, 1, None), unit)
    return Band(_edge(accepts, v0, unit, -1, floor), _edge(accepts, v0, unit, 1, None), unit)


def _grid_edge(accepts, v0, unit, direction, floor):
    for k in range(1, GRID_STEPS + 1):
        probe = v0 + direction * k * unit
        if floor is not None and probe <= floor:
            return -math.inf
        if not accepts(probe):
            return probe - direction * unit / 2
    return direction * math.inf


def _edge(accepts, v0, unit, direction, floor):
    inside, step, outside = v0, unit, None
    for _ in range(MAX_DOUBLINGS):
        probe = v0 + direction * step
        if floor is not None and probe <= floor:
            if accepts(Fraction(floor)):
                return -math.inf  # accepted down to the floor: no bound on this side
            outside = Fraction(floor)
            break
        if not accepts(probe):
            outside = probe
            break
        inside, step = probe, step * 2
    if outside is None:
        return direction * math.inf
    while abs(outside - inside) > unit * PRECISION:
        mid = (inside + outside) / 2
        if accepts(mid):
            inside = mid
        else:
            outside = mid
    return (inside + outside) / 2
