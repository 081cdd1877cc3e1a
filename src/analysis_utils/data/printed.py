"""A value agrees with the number its printed text shows: read the printed text, compare at its printed precision.

Every observation keeps the report's own words in ``printed`` ('2826', '约1万人', '国家千人计划84人',
'5—10万平方米', '-') beside the number typed from them (``value``, ``value_high``, ``unit``, ``qualifier``).
This module reads the number the printed text shows for the row and says whether the value agrees with it, so
that a value typed wrong (8700 where the report prints 1005) or saved by a spreadsheet in scientific notation
(``1.58E+07`` for 15762363) is a validation error, not a number the build quietly uses.

What is read as a number (the packaged texts hold no other kind):

* ASCII digits, with an optional decimal part ('26.97') and optional thousands separators in groups of
  three ('15,762,363'); a minus sign directly before the digits is a sign unless a digit stands before it
  ('2-3亿元' is a range, not 2 and −3). No packaged printed text has a comma, full-width digits (２０１５)
  or a sign.
* Chinese numerals are never read. Those that occur in the packaged texts are 八 (八大重点产业, the one text
  whose number is a Chinese numeral: unchecked), and 十/百/千 inside names (国家千人计划, 省级百人计划,
  市十百千专家), which must not be read as numbers. 万 and 亿 are read only as magnitudes after a number
  ('10万余人', '1个亿').
* Qualifier words (约, 近, 余, 不低于, 以下, 最高, 起步, >) are not numbers; the qualifier column says what they
  mean. 余 may stand between a number and its unit ('40余家', '3000余万元', '10万余人').

The number the row is about (``read_printed``):

1. Each number's *printed unit* is what follows it directly (after spaces, a 余, and a 个 before 万/亿): the
   longest unit of units.csv of the row's dimension ('万平方米' before '平方米'); or a magnitude 万 (10⁴) or
   亿 (10⁸), optionally followed by 余 and a unit of the row's dimension ('10万余人' = 10 万人; '1个亿' = 1 亿
   of the dimension's base unit, 元). Text of another dimension is not a unit of the row: '7名' (名 is a rank
   in units.csv) in a 人 row is a number with no printed unit.
2. A range row (qualifier class 'range') reads two numbers joined by a dash or 至/到 ('5—10万平方米',
   '2-3亿元'): the one such pair in the text, or the one pair whose second number has a printed unit;
   the printed unit of the second number applies to both.
3. Any other row: the only number of the text, or, among several, the only one with a printed unit, or,
   among several with one, the only one whose printed unit is the row's unit itself
   ('2015年成功对接海外高层次领衔项目160个' in 个 → 160; 2015 is followed by 年, not a unit).
   A number that is one end of a range (a—b) in a row that is not a range is not read.
4. A number with no printed unit is read in the row's unit ('国家千人计划84人' in 人 → 84; '>200' in 亿元 →
   200); one with a printed unit is converted to the row's unit with the factors of units.csv ('1.2亿元' in a
   万元 row → 12000).

Anything else is **unchecked** and listed with why, never guessed: a text with no number in ASCII digits
('八大重点产业'), several numbers none of which (or more than one of which) the rules single out, a range row
without exactly one readable pair.

Agreement at the printed precision: the value agrees when ``|value − n| ≤ ½·10⁻ᵈ·f`` (plus 10⁻⁹ relative, for
binary floats), ``n`` the number read in the row's unit, ``d`` its printed decimals, ``f`` the factor from the
printed unit to the row's ('248.00' allows 248; '1005' refuses 8700; '15762363' refuses 1.58E+07 = 15800000).
This is how the value is stored (as printed, in its row's unit: '约1万人' is 1 in 万人, '>200' is 200), whatever
the qualifier means about the true quantity. A range compares value with the first number and value_high with
the second. A row of qualifier class 'missing' has no value: it agrees when its printed text shows no number
('-'); a value given while the text shows no number and is the missing mark ('-') differs, as does an empty
value while the text reads as a number.

Results, one per observation row (``printed_checks`` / ``check_rows``), as a DataFrame of CHECK_COLUMNS:
``row`` (1-based data row, header excluded), ``line`` (file line), entity, indicator, year, value,
value_high, unit, qualifier, printed, ``status`` (STATUSES: 'agrees', 'differs', 'unchecked'), ``number`` /
``number_high`` (the reading in the row's unit; NaN when none), ``decimals`` (printed decimals of the number
read), ``printed_unit`` (as printed, '' when none), ``why`` (why unchecked or how it differs; '' when it agrees).
``printed_problems`` turns each 'differs' into a DataProblem of code ``printed-mismatch`` (file, row, line,
column value/value_high, the value cell as typed, and the printed text, its reading and the tolerance in
``expected``); data.validate.collect_problems adds them to every other rule, for the report's data and for
data/external (same columns).
"""
from __future__ import annotations

import itertools
import math
import re
from dataclasses import dataclass

import pandas as pd

from analysis_utils.data.qualifiers import kind_of
from analysis_utils.data.units import UnitTable
from analysis_utils.errors import DataProblem

STATUSES = ("agrees", "differs", "unchecked")
CODE = "printed-mismatch"
CHECK_COLUMNS = ("row", "line", "entity", "indicator", "year", "value", "value_high", "unit", "qualifier", "printed",
                 "status", "number", "number_high", "decimals", "printed_unit", "why")

# A number as printed: ASCII digits, thousands in groups of three, decimals; a sign only where no digit precedes.
NUMERAL = re.compile(r"(?<![0-9.,])([-−]?)(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?![0-9])", re.ASCII)
MAGNITUDES = {"万": 1e4, "亿": 1e8}  # read only directly after a number ('10万余人', '1个亿')
OVER = "余"  # qualifiers.csv 'over': may sit between a number (or its magnitude) and its unit
MEASURE = "个"  # '1个亿': the measure word before a magnitude
RANGE_JOINS = ("—", "——", "–", "-", "~", "～", "至", "到")
CHINESE_NUMERALS = re.compile("[〇零一二两三四五六七八九十百千万亿]")
OTHER_DIGITS = re.compile(r"\d")  # Unicode digits; applied once ASCII ones are removed: full-width and others
SPACE = " \t\u00a0\u3000"
RELATIVE = 1e-9  # float noise allowed on top of half a printed unit


@dataclass(frozen=True)
class Numeral:
    """One number found in a printed text: as printed, its value, decimals, place, printed unit and factor."""

    text: str
    number: float
    decimals: int
    start: int
    end: int
    unit: str = ""  # the printed unit of the row's dimension after it ('' when none)
    factor: float = 1.0  # multiply by this to express the number in the row's unit


@dataclass(frozen=True)
class Reading:
    """What a printed text shows for its row: the number(s) in the row's unit, or why none is read.

    ``numbers``: () when nothing is read, (n,) or (low, high) for a range; ``numerals``: the Numeral(s) read;
    ``no_number``: the text holds no number at all (the missing mark '-' or a phrase); ``why``: why unread."""

    numbers: tuple[float, ...] = ()
    numerals: tuple[Numeral, ...] = ()
    no_number: bool = False
    why: str = ""

    @property
    def read(self) -> bool:
        return bool(self.numbers)


@dataclass(frozen=True)
class Check:
    """One row's result: status (STATUSES), its Reading, and why (unchecked) or how (differs) in words."""

    status: str
    reading: Reading
    why: str = ""
    column: str | None = None  # for 'differs': the column that disagrees (value or value_high)
    expected: str = ""  # for 'differs': what the value should be, for DataProblem.expected


def numerals(text: str) -> list[Numeral]:
    """The numbers printed in ``text`` (see the module), in order, without units: '国家千人计划84人' -> [84]."""
    out = []
    for m in NUMERAL.finditer(text or ""):
        sign, whole, frac = m.group(1), m.group(2), m.group(3) or ""
        number = float(whole.replace(",", "") + frac) * (-1 if sign else 1)
        out.append(Numeral(m.group(0), number, len(frac) - 1 if frac else 0, m.start(), m.end()))
    return out


def number_of(text: str) -> float | None:
    """The number a printed numeral says when the text is one numeral and nothing else ('1,000' -> 1000.0,
    '26.97' -> 26.97); None for any other text ('约1万人', '', '-')."""
    found = numerals((text or "").strip())
    return found[0].number if len(found) == 1 and found[0].text == (text or "").strip() else None


def _units_of_dimension(unit: str, units: UnitTable | None) -> dict[str, float]:
    """The units of ``unit``'s dimension with their factor to ``unit`` (the row's unit alone, factor 1, when the
    table does not know it)."""
    if units is None or unit not in units.dimensions:
        return {unit: 1.0} if unit else {}
    dim, own = units.dimensions[unit], units.factors[unit]
    return {u: units.factors[u] / own for u, d in units.dimensions.items() if d == dim and u}


def _longest_prefix(text: str, names) -> str:
    return max((u for u in names if text.startswith(u)), key=len, default="")


def _printed_unit(text: str, end: int, unit: str, units: UnitTable | None) -> tuple[str, float]:
    """The printed unit of the row's dimension right after position ``end`` and its factor to ``unit``;
    ('', 1.0) when none (step 1 of the module)."""
    same = _units_of_dimension(unit, units)
    rest = text[end:].lstrip(SPACE)
    rest = rest[1:] if rest.startswith(OVER) else rest
    if rest.startswith(MEASURE) and rest[1:2] in MAGNITUDES:
        rest = rest[1:]
    found = _longest_prefix(rest, same)
    if found:
        return found, same[found]
    if rest[:1] in MAGNITUDES:
        magnitude, after = rest[0], rest[1:]
        after = after[1:] if after.startswith(OVER) else after
        found = _longest_prefix(after, same)
        if found:
            return magnitude + found, MAGNITUDES[magnitude] * same[found]
        if units is not None and unit in units.factors:  # a multiple of the dimension's base unit (factor 1)
            return magnitude, MAGNITUDES[magnitude] / units.factors[unit]
    return "", 1.0


def _with_unit(n: Numeral, text: str, unit: str, units: UnitTable | None) -> Numeral:
    printed_unit, factor = _printed_unit(text, n.end, unit, units)
    return Numeral(n.text, n.number, n.decimals, n.start, n.end, printed_unit, factor)


def _joined(text: str, a: Numeral, b: Numeral) -> bool:
    """True when ``a`` and ``b`` are the two ends of a range: only a dash (or 至/到) between them."""
    return text[a.end:b.start].strip(SPACE) in RANGE_JOINS


def _single(found: list[Numeral], unit: str) -> tuple[Numeral | None, str]:
    """The one Numeral the row is about among ``found`` (step 3), or None and why not."""
    if len(found) == 1:
        return found[0], ""
    with_unit = [n for n in found if n.unit]
    if len(with_unit) == 1:
        return with_unit[0], ""
    own = [n for n in with_unit if n.unit == unit]
    if len(own) == 1:
        return own[0], ""
    listed = ", ".join(n.text for n in found)
    if not with_unit:
        return None, f"{len(found)} numbers ({listed}), none followed by a unit like {unit}"
    return None, (f"{len(found)} numbers ({listed}), {len(with_unit)} followed by a unit like {unit}"
                  f"{'' if not own else f', {len(own)} by {unit} itself'}")


def read_printed(printed: str, unit: str, units: UnitTable | None = None, kind: str = "exact") -> Reading:
    """The number(s) ``printed`` shows for a row in ``unit`` whose qualifier class is ``kind`` (data.qualifiers:
    exact, lower, upper, range, missing), read as the module says, in the row's unit: '国家千人计划84人' in 人 ->
    (84,); '5—10万平方米' in 万平方米 with kind 'range' -> (5, 10); '1.2亿元' in 万元 -> (12000,); '约1万人' in 万人
    -> (1,). ``units``: the dataset's UnitTable (without one, a number is read in the row's unit only). A text
    without a single such number gives a Reading with no numbers and ``why``."""
    text = printed or ""
    found = [_with_unit(n, text, unit, units) for n in numerals(text)]
    if not found:
        why = "no number in ASCII digits"
        chinese = sorted(set(CHINESE_NUMERALS.findall(text)), key=text.index)
        other = OTHER_DIGITS.findall(re.sub("[0-9]", "", text))
        if other:
            why += " (digits of another script are not read: write them in ASCII)"
        elif chinese:
            why += f" (Chinese numerals are not read: {''.join(chinese)})"
        return Reading(no_number=True, why=why)
    pairs = [(a, b) for a, b in itertools.pairwise(found) if _joined(text, a, b)]
    if kind == "range":
        if len(pairs) > 1:
            pairs = [(a, b) for a, b in pairs if b.unit]
        if len(pairs) != 1:
            return Reading(why=(f"a range reads two numbers joined by a dash ('5—10'); found "
                                f"{'none' if not pairs else len(pairs)} in {len(found)} number(s)"))
        low, high = pairs[0]
        low = Numeral(low.text, low.number, low.decimals, low.start, low.end, high.unit, high.factor)
        return Reading((low.number * low.factor, high.number * high.factor), (low, high))
    in_pairs = {id(n) for pair in pairs for n in pair}
    chosen, why = _single(found, unit)
    if chosen is None:
        return Reading(why=why)
    if id(chosen) in in_pairs:
        return Reading(why=f"{chosen.text} is one end of a range, but the row's qualifier is not a range")
    return Reading((chosen.number * chosen.factor,), (chosen,))


def _half_unit(n: Numeral) -> float:
    """Half a unit of the last printed digit, in the row's unit ('1.2亿元' in 万元: 500)."""
    return 0.5 * 10 ** -n.decimals * n.factor


def _tolerance(n: Numeral) -> float:
    """_half_unit plus float noise."""
    return _half_unit(n) + RELATIVE * max(1.0, abs(n.number * n.factor))


def _fmt(x: float) -> str:
    return f"{x:.12g}"


def _describe(printed: str, unit: str, n: Numeral, number: float) -> str:
    """"printed '1005' reads as 1005 件" / "printed '1.2亿元' reads as 1.2 亿元 = 12000 万元"."""
    converted = n.unit and n.unit != unit
    reading = f"{n.text} {n.unit} = {_fmt(number)} {unit}" if converted else f"{_fmt(number)} {unit}".rstrip()
    return f"printed {printed!r} reads as {reading}"


def _at(n: Numeral, unit: str) -> str:
    places = f"{n.decimals} decimal{'' if n.decimals == 1 else 's'}"
    return places if not n.unit or n.unit == unit else f"{places} of {n.unit} (±{_fmt(_half_unit(n))} {unit})"


def _value_words(value: float, text: str | None) -> str:
    if text and re.search("[eE]", text):
        return f"{text} (= {_fmt(value)}: scientific notation, which keeps only some digits)"
    return text if text else _fmt(value)


def compare(printed: str, unit: str, kind: str, value: float | None, value_high: float | None = None,
            units: UnitTable | None = None, missing_mark: str = "-", value_text: str | None = None,
            high_text: str | None = None) -> Check:
    """Whether a row's value (and value_high) agree with its printed text (see the module): a Check with status
    'agrees', 'differs' (``column``, ``expected`` and ``why`` say how) or 'unchecked' (``why``). ``kind``: the
    qualifier's class; ``missing_mark``: what the report prints for a value it does not give; ``value_text`` /
    ``high_text``: the cells as typed, to name them in the message (scientific notation is said)."""
    reading = read_printed(printed, unit, units, kind)
    if value is None and kind != "missing" and not reading.read:
        return Check("unchecked", reading, reading.why or "no value")
    if value is None:
        if not reading.read and reading.no_number:
            return Check("agrees", reading)
        if not reading.read:
            return Check("unchecked", reading, reading.why)
        n = reading.numerals[0]
        why = f"{_describe(printed, unit, n, reading.numbers[0])}; the value is empty"
        return Check("differs", reading, why, "value", f"the number {printed!r} shows: {_fmt(reading.numbers[0])}")
    if not reading.read:
        if reading.no_number and printed.strip() == missing_mark:
            why = f"printed {printed!r} shows no number; value {_value_words(value, value_text)} is given"
            return Check("differs", reading, why, "value", f"an empty value, as printed {printed!r} (not given)")
        return Check("unchecked", reading, reading.why)
    pairs = [("value", value, value_text)] + ([("value_high", value_high, high_text)] if kind == "range" else [])
    for (column, v, text), n, number in zip(pairs, reading.numerals, reading.numbers):
        if v is None:
            continue  # a range without value_high: the value_high rule of data.validate names it
        if abs(v - number) > _tolerance(n):
            described = _describe(printed, unit, n, number)
            why = f"{described}; {column} {_value_words(v, text)} does not round to it at {_at(n, unit)}"
            expected = f"a {column} that agrees with its printed text: {why}"
            return Check("differs", reading, why, column, expected)
    return Check("agrees", reading)


def _float_or_none(text: str) -> float | None:
    """A cell's number as data.validate types it (ASCII only, no '_'), else None: its type-error is reported there."""
    if not isinstance(text, str) or not text.isascii() or "_" in text:
        return None
    try:
        x = float(text)
    except (TypeError, ValueError):
        return None
    return x if math.isfinite(x) else None


def _text(x) -> str:
    return "" if x is None or (not isinstance(x, str) and pd.isna(x)) else str(x)


def _check_frame(records: list[dict], checks: list[Check]) -> pd.DataFrame:
    rows = []
    for r, c in zip(records, checks):
        numbers = list(c.reading.numbers) + [math.nan, math.nan]
        rows.append({**{k: r.get(k) for k in CHECK_COLUMNS[:10]}, "status": c.status, "number": numbers[0],
                     "number_high": numbers[1] if len(c.reading.numbers) == 2 else math.nan,
                     "decimals": c.reading.numerals[0].decimals if c.reading.numerals else pd.NA,
                     "printed_unit": c.reading.numerals[-1].unit if c.reading.numerals else "", "why": c.why})
    frame = pd.DataFrame(rows, columns=list(CHECK_COLUMNS))
    frame["decimals"] = frame["decimals"].astype("Int64")
    return frame


def _raw_context(raw):
    """(UnitTable, {qualifier code: class}, missing mark) from raw tables (data.load.RawTable of strings)."""
    dims, factors = {}, {}
    for r in raw["units"].rows if "units" in raw else []:
        factor = _float_or_none(r.get("factor", ""))
        if r.get("unit") and factor and factor > 0:
            dims[r["unit"]], factors[r["unit"]] = r.get("dimension", ""), factor
    kinds, mark = {}, "-"
    for r in raw["qualifiers"].rows if "qualifiers" in raw else []:
        kinds[r.get("qualifier", "")] = kind_of(r.get("lower", ""), r.get("upper", ""))
        if kinds[r.get("qualifier", "")] == "missing" and r.get("printed_as"):
            mark = r["printed_as"]
    return UnitTable(dims, factors), kinds, mark


def _raw_checks(raw) -> list[tuple[dict, Check]]:
    """Each observation row of ``raw`` (strings) with its Check; [] when there is no observations table."""
    if "observations" not in raw:
        return []
    units, kinds, mark = _raw_context(raw)
    out = []
    for row in raw["observations"].rows:
        code = row.get("qualifier", "")
        kind = kinds.get(code, "exact" if code == "" else "unknown")
        value_text, high_text = row.get("value", ""), row.get("value_high", "")
        value, high = _float_or_none(value_text), _float_or_none(high_text)
        if (value_text and value is None) or (high_text and high is None):
            out.append((row, Check("unchecked", Reading(), "the value is not a number (a type-error)")))
            continue
        out.append((row, compare(row.get("printed", ""), row.get("unit", ""), kind, value, high, units, mark,
                                 value_text, high_text)))
    return out


def printed_problems(raw) -> list[DataProblem]:
    """A DataProblem (code ``printed-mismatch``) for each observation whose value differs from its printed
    text, in file order; for data.validate.collect_problems (raw tables of strings: observations, units,
    qualifiers)."""
    if "observations" not in raw:
        return []
    table = raw["observations"]
    out = []
    for i, ((row, check), line) in enumerate(zip(_raw_checks(raw), table.lines), start=1):
        if check.status == "differs":
            out.append(DataProblem(str(table.path), i, check.column, row.get(check.column, ""),
                                   check.expected, CODE, line))
    return out


def check_rows(raw) -> pd.DataFrame:
    """Every observation row of raw tables (data.load.read_raw) with its status, as CHECK_COLUMNS."""
    pairs = _raw_checks(raw)
    lines = raw["observations"].lines if "observations" in raw else []
    records = [{**row, "row": i, "line": line} for i, ((row, _), line) in enumerate(zip(pairs, lines), start=1)]
    return _check_frame(records, [c for _, c in pairs])


def printed_checks(observations: pd.DataFrame, units: UnitTable, qualifiers) -> pd.DataFrame:
    """Every row of a typed observations frame (data.load.Dataset.observations, data.external.ExternalData
    .observations) with its status, as CHECK_COLUMNS; ``qualifiers``: the dataset's QualifierTable. ``row`` is
    the frame's position + 1 (its data row), ``line`` its source_line."""
    mark = next((q.printed_as for q in qualifiers.by_code.values() if q.kind == "missing" and q.printed_as), "-")
    records, checks = [], []
    for pos, r in enumerate(observations.to_dict("records"), start=1):
        value, high = (None if pd.isna(r.get(k)) else float(r[k]) for k in ("value", "value_high"))
        code = _text(r.get("qualifier"))
        kind = qualifiers.kind(code) if code in qualifiers else "unknown"
        checks.append(compare(_text(r.get("printed")), _text(r.get("unit")), kind, value, high, units, mark))
        records.append({**r, "row": pos, "line": r.get("source_line", pos + 1)})
    return _check_frame(records, checks)
