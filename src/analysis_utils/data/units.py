"""Units as printed (万元, 亿元, 件, %, …): dimension, conversion, and refusal to mix dimensions."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import pandas as pd

from analysis_utils.errors import UnitError


@dataclass(frozen=True)
class UnitTable:
    """The unit table of a dataset: unit -> (dimension, factor to the dimension's base unit)."""

    dimensions: dict[str, str]
    factors: dict[str, float]
    names_en: dict[str, str] = field(default_factory=dict)  # units.csv name_en (report.printed.unit_label)

    @classmethod
    def from_frame(cls, units: pd.DataFrame) -> "UnitTable":
        """From units.csv as a frame with columns unit, dimension, factor (factor to the base unit: 亿元 → 1e8 元)."""
        names = dict(zip(units["unit"], units["name_en"])) if "name_en" in units else {}
        return cls(dict(zip(units["unit"], units["dimension"])),
                   dict(zip(units["unit"], units["factor"].astype(float))), names)

    def dimension(self, unit: str) -> str:
        """The unit's dimension ('currency_cny', 'count', …); UnitError naming the known units for an unknown one."""
        try:
            return self.dimensions[unit]
        except KeyError:
            raise UnitError(f"unknown unit {unit!r}; known units: {', '.join(sorted(self.dimensions))}") from None

    def check_same_dimension(self, unit_a: str, unit_b: str, action: str = "combine") -> None:
        """UnitError (saying which ``action`` was refused) unless both units measure the same dimension."""
        dim_a, dim_b = self.dimension(unit_a), self.dimension(unit_b)
        if dim_a != dim_b:
            raise UnitError(f"cannot {action} {unit_a} ({dim_a}) with {unit_b} ({dim_b}): different dimensions")

    def factor(self, from_unit: str, to_unit: str) -> float:
        """Multiply a value in ``from_unit`` by this to express it in ``to_unit``."""
        self.check_same_dimension(from_unit, to_unit, "convert")
        return self.factors[from_unit] / self.factors[to_unit]

    def convert(self, value, from_unit: str, to_unit: str):
        """Convert a number, array or Series from one unit to another of the same dimension."""
        return value * self.factor(from_unit, to_unit)

    def quantity(self, value: float, unit: str) -> "Quantity":
        """A Quantity of ``value`` in ``unit``; UnitError for an unknown unit."""
        self.dimension(unit)
        return Quantity(float(value), unit, self)


@dataclass(frozen=True)
class Quantity:
    """A value with its unit; adding or comparing across dimensions raises UnitError."""

    value: float
    unit: str
    table: UnitTable

    def to(self, unit: str) -> "Quantity":
        """This quantity in another unit of its dimension (UnitError otherwise): 1683.07 万元 → 0.1683 亿元."""
        return Quantity(self.table.convert(self.value, self.unit, unit), unit, self.table)

    def _other_in_my_unit(self, other: "Quantity", action: str) -> float:
        if not isinstance(other, Quantity):
            raise UnitError(f"cannot {action} {self.unit} with a bare number {other!r}; give it a unit")
        self.table.check_same_dimension(self.unit, other.unit, action)
        return other.to(self.unit).value

    def __add__(self, other):
        return Quantity(self.value + self._other_in_my_unit(other, "add"), self.unit, self.table)

    def __sub__(self, other):
        return Quantity(self.value - self._other_in_my_unit(other, "subtract"), self.unit, self.table)

    def __lt__(self, other):
        return self.value < self._other_in_my_unit(other, "compare")

    def __le__(self, other):
        return self.value <= self._other_in_my_unit(other, "compare")

    def __gt__(self, other):
        return self.value > self._other_in_my_unit(other, "compare")

    def __ge__(self, other):
        return self.value >= self._other_in_my_unit(other, "compare")

    def __eq__(self, other):
        if not isinstance(other, Quantity):
            return NotImplemented
        return self.value == self._other_in_my_unit(other, "compare")

    def __hash__(self):
        return hash((self.value * self.table.factors[self.unit], self.table.dimension(self.unit)))

    def __str__(self) -> str:
        return f"{self.value:g} {self.unit}"


@lru_cache(maxsize=1)
def packaged_units() -> UnitTable:
    """The unit table shipped in data/units.csv."""
    from analysis_utils.paths import DATA_DIR

    return UnitTable.from_frame(pd.read_csv(DATA_DIR / "units.csv", dtype={"unit": str}, keep_default_na=False))
