"""Printed numbers and units as a reader of zh or en meets them inside a sentence.

zh: the report's own text ('近1万人', '74家') and units as printed (亿元). en: the qualifier's English word from
qualifiers.csv (``name_en``: nearly, approximately, at least …; nothing for a plain number) and the amount as an
English reader writes it (english_amount: units.csv's Chinese multiples 万, 亿, 千 … said in the base unit with
'million' and 'billion', digits grouped, the unit's English name singular after exactly 1): '近1万人' -> 'nearly
10,000 persons', '135.90万人' -> '1.359 million persons', '3715亿元' -> '371.5 billion yuan', '74家' -> '74',
'3.1%' -> '3.1%', '1人' -> '1 person', '5—10万平方米' -> '50,000–100,000 square metres', '-' -> '-'.
english_amount is the one place that words an amount in English: printed values, published figures and their
differences, the intervals of a trace, a formula's numbers with their units, and the cells of a page's tables.
"""
from __future__ import annotations

import math
import re
from decimal import Decimal

from analysis_utils.audit.rules import printed_decimals
from analysis_utils.data.printed import NUMERAL  # the one reader of printed numerals (also data validation's)
from analysis_utils.labels import check_lang, text
from analysis_utils.rounding import format_fixed

# Digits of a number of a table are grouped by threes with a comma in both languages: English writes 1,532, and
# Chinese print (GB/T 15835-2011, 4.1.4) groups by the comma where it does not use thin spaces, as Excel's #,##0
# does in the workbooks. Years are labels, not quantities: a view gives them as text ('2015').
THOUSANDS = ","


def grouped(number: str) -> str:
    """A number as text with its whole part grouped by THOUSANDS from four digits on ('15762363' ->
    '15,762,363', '1683.07' -> '1,683.07', '-2500' -> '-2,500'); other text unchanged."""
    m = re.fullmatch(r"([-+−]?)(\d{4,})(\.\d+)?", number)
    if not m:
        return number
    return m.group(1) + f"{int(m.group(2)):,}".replace(",", THOUSANDS) + (m.group(3) or "")

_CJK = re.compile("[\u4e00-\u9fff]")


def _none(x):
    return None if x is None or (isinstance(x, float) and math.isnan(x)) or x == "" else x


def unit_label(units, unit: str, lang: str, count=None) -> str:
    """``unit`` as a reader of ``lang`` writes it (``units``: a data.units.UnitTable): as printed in zh (亿元/万人);
    in en its units.csv name_en, a multiple (multiple_of) as english_amount says one of it ('10,000 persons' for
    万人, '100 million yuan' for 亿元: English has no word for 万 or 亿), a compound 'a/b' as 'a per b' ('100
    million yuan per 10,000 persons'), % stays %. ``count``: the number the unit follows; exactly 1 of a unit
    whose English name is a plural in -s reads singular ('1 person', '1 unit', 'per square kilometre'; '1 yuan' keeps
    its form; a multiple such as 倍, 'times', is no plural).
    A unit the table does not name is returned as given; '' stays ''. ParameterError for a bad ``lang``."""
    lang = check_lang(lang)
    names = {"en": units.names_en}.get(lang, {})  # zh: units are printed in Chinese
    if not names or unit in ("", "%"):
        return unit
    if "/" in unit and unit not in names:
        a, b = unit.split("/", 1)
        return text("unit.compound", lang, a=unit_label(units, a, lang, count), b=unit_label(units, b, lang, 1))
    if unit in names and multiple_of(unit, units):
        return english_amount("1", unit, units)
    name = names.get(unit) or unit
    if count is not None and count == 1 and name.endswith("s") and units.dimensions.get(unit) != "multiple":
        return name[:-1]  # one of it: '1 person', 'per square kilometre' (not '1 times', a multiple)
    return name


COUNT_WORDS = ("个", "家", "件", "项")  # measure words English does not say: '2826', not '2826 pieces'
# English has no 万 or 亿: from a million on, an amount is said with a scale word (english_amount)
SCALES = ((Decimal(10) ** 9, "billion"), (Decimal(10) ** 6, "million"))
# a multiple unit's code is a Chinese scale word before its base unit's code: 万人 = 万 + 人, 亿元 = 亿 + 元
SCALE_WORDS = re.compile("[十百千万亿]+")


def multiple_of(unit: str, units) -> tuple[str, Decimal] | None:
    """(base unit, factor) of ``unit`` when it is a multiple of a unit of factor 1 of its dimension, written as a
    Chinese scale word before that unit's code (units.csv: 万人 -> ('人', 10000), 亿元 -> ('元', 10⁸), 千元,
    万元, 万平方米); None for any other unit: a base unit (人, 元), a unit with a name of its own (公顷, 平方公里:
    hectares, square kilometres), %, a compound, a unit the table (data.units.UnitTable) does not know."""
    factor, dimension = units.factors.get(unit), units.dimensions.get(unit)
    if not unit or not factor or factor <= 1 or dimension is None:
        return None
    for base, f in units.factors.items():
        if base and f == 1 and units.dimensions.get(base) == dimension and unit.endswith(base) \
                and SCALE_WORDS.fullmatch(unit[: -len(base)]):
            return base, Decimal(int(factor)) if float(factor).is_integer() else Decimal(repr(float(factor)))
    return None


def english_amount(amount, unit: str, units, named: bool = True) -> str:
    """An amount as an English reader writes it, from its number or numbers as printed in ``unit`` (a code of
    units.csv; ``units``: data.units.UnitTable) with what stands around them: '1', '135.90', '-3.7250',
    'nearly 1', '≥1000', '3,000+', '5–10', '[869.5, 870.5)', '[10, ∞)'. The one function that words an amount in
    English (report.printed's module docstring lists who calls it).

    The rule:

    * an amount in a multiple unit (:func:`multiple_of`: 万人, 万元, 亿元, 千元, 万平方米) is multiplied out
      exactly into its base unit (decimal.Decimal on the printed digits, never a float: no float noise), then
      written, by the largest of its numbers (the two ends of a range or an interval share one scale), from
      1 billion on in billions followed by 'billion', from 1 million on in millions followed by 'million', below
      that in units; the digits are the exact product, without trailing zeros after the decimal point: a 0 the
      report printed only to show its precision is not carried into the English (135.90万人 -> 1.359 million);
    * an amount in any other unit (人, 件, 家, 元, %, 平方公里, 公顷, …) keeps its printed digits;
    * whole parts of four digits or more are grouped by threes with a comma ('10,000', '1,092,750');
    * the unit's English name follows after a space (units.csv name_en; of a multiple, its base unit's),
      singular after exactly 1 ('1 person'); % follows a number directly ('3.1%', '5–10%') and an interval's
      bracket after a space ('(0.756527, 0.756533) %'); no unit (''): the numbers alone. ``named=False``: the
      numbers and their scale word only, for a column that names the unit (:func:`english_unit`).

    A text without a number ('-', '∅'; '(-∞, ∞)' is an amount) is returned as it is. By hand: ('1', 万人) ->
    '10,000 persons', ('nearly 1', 万人) -> 'nearly 10,000 persons', ('135.90', 万人) -> '1.359 million persons',
    ('3715', 亿元) -> '371.5 billion yuan', ('1101.04', 亿元) -> '110.104 billion yuan', ('1000', 万元) -> '10
    million yuan', ('5–10', 万平方米) -> '50,000–100,000 square metres', ('[869.5, 870.5)', 亿元) -> '[86.95,
    87.05) billion yuan', ('1092750', 人) -> '1,092,750 persons', ('1', 人) -> '1 person', ('2826', '') -> '2,826'."""
    source = str(amount)
    found = list(NUMERAL.finditer(source))
    if not found and "∞" not in source:  # '-', '∅': no amount; '(-∞, ∞)' is one, of a unit
        return source
    numbers = [Decimal(m.group(2).replace(",", "") + (m.group(3) or "")) for m in found]  # magnitudes
    multiple = multiple_of(unit, units)
    scale, digits = "", [grouped(m.group(2).replace(",", "") + (m.group(3) or "")) for m in found]
    if multiple:
        unit, factor = multiple
        numbers = [n * factor for n in numbers]
        divisor, scale = next(((d, w) for d, w in SCALES if max(numbers, default=0) >= d), (Decimal(1), ""))
        digits = [grouped(_without_trailing_zeros(format(n / divisor, "f"))) for n in numbers]
    shown = iter(digits)
    words = NUMERAL.sub(lambda m: m.group(1) + next(shown), source) + (f" {scale}" if scale else "")
    if not named or not unit:
        return words
    if unit == "%":
        return words + ("%" if words[-1:].isdigit() else " %")
    count = numbers[0] if len(found) == 1 and not found[0].group(1) else None  # singular after exactly 1
    return f"{words} {unit_label(units, unit, 'en', count)}"


def _without_trailing_zeros(number: str) -> str:
    return number.rstrip("0").rstrip(".") if "." in number else number


def in_words(lang: str) -> bool:
    """Whether a reader of ``lang`` reads an amount in words (english_amount: English has no 万 or 亿) rather than
    as the report prints it: the catalogue's ``number.amounts`` (zh 'as_printed', en 'in_words'). ParameterError
    for a bad ``lang``."""
    return text("number.amounts", lang) == "in_words"


def english_unit(unit: str, units) -> str:
    """The English name of the unit :func:`english_amount` writes an amount of ``unit`` in, for a column beside
    its numbers (``named=False``): a multiple's base unit ('persons' for 万人, 'yuan' for 亿元), else the unit's
    own name (unit_label: 'establishments', '%')."""
    multiple = multiple_of(unit, units)
    return unit_label(units, multiple[0] if multiple else unit, "en")


def printed_text(printed: str, value, unit: str, lang: str, units, qualifiers, qualifier: str = "",
                 value_high=None, decimals=None) -> str:
    """A printed value for a sentence in ``lang`` (see the module): zh gives ``printed`` itself; en builds it from
    ``value`` (and ``value_high`` of a range) in ``unit`` with ``qualifier`` (a code of ``qualifiers``, a
    QualifierTable) and the English unit names of ``units`` (a UnitTable), at ``decimals`` (default: as printed).
    A printed text without a number is given as is in en when it has no Chinese, else as the catalogue's
    ``printed.words``. Raises ParameterError for a bad ``lang``; QualifierError for an unknown qualifier."""
    render = _RENDER[check_lang(lang)]  # zh readers read the report's own words; others a rendering of them
    return render(printed or "", value, unit, lang, units, qualifiers, qualifier, value_high, decimals)


def _as_printed(printed, *_args) -> str:
    return printed


def _rendered(printed, value, unit, lang, units, qualifiers, qualifier, value_high, decimals) -> str:
    value, value_high, decimals, q = _none(value), _none(value_high), _none(decimals), qualifiers[qualifier or ""]
    if q.kind == "missing":
        return "-"
    if value is None:
        return printed if printed and not _CJK.search(printed) else text("printed.words", lang)
    places = printed_decimals(printed or "", value) if decimals is None else int(decimals)
    number = format_fixed(value, places)
    if q.kind == "range" and value_high is not None:
        number = f"{number}–{format_fixed(value_high, places)}"
    word = "" if q.is_plain or q.kind == "range" else q.name_en  # a plain number or a range: its digits say it
    amount = english_amount(number, "" if unit in COUNT_WORDS else unit, units)  # '2826家' -> '2,826'
    return " ".join(part for part in (word, amount) if part)


_RENDER = {"zh": _as_printed, "en": _rendered}
