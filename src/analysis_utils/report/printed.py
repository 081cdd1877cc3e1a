"""Printed numbers and units as a reader of zh or en meets them inside a sentence.

zh: the report's own text ('近1万人', '74家') and units as printed (亿元). en: the qualifier's English word from
qualifiers.csv (``name_en``: nearly, approximately, at least …; nothing for a plain number), the number at its
printed decimals and the unit's English name from units.csv (``name_en``, singular after exactly 1):
'近1万人' -> 'nearly 1 × 10,000 persons', '74家' -> '74', '3.1%' -> '3.1%', '1人' -> '1 person',
'5—10万平方米' -> '5–10 × 10,000 square metres', '-' -> '-' (english_amount).
The number stays in the unit it was printed in, so that it reads against intervals in that unit.
"""
from __future__ import annotations

import math
import re

from analysis_utils.audit.rules import printed_decimals
from analysis_utils.data.printed import number_of  # the one reader of printed numerals (also data validation's)
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
    in en its units.csv name_en, a compound 'a/b' as 'a per b' ('hundred million yuan per ten thousand persons'),
    % stays %. ``count``: the number the unit follows; exactly 1 of a unit of factor 1 whose English name is a
    plural in -s reads singular ('1 person', '1 unit'; '1 ten thousand persons' and '1 yuan' keep their form).
    A unit the table does not name is returned as given; '' stays ''. ParameterError for a bad ``lang``."""
    lang = check_lang(lang)
    names = {"en": units.names_en}.get(lang, {})  # zh: units are printed in Chinese
    if not names or unit in ("", "%"):
        return unit
    if "/" in unit and unit not in names:
        a, b = unit.split("/", 1)
        return text("unit.compound", lang, a=unit_label(units, a, lang, count), b=unit_label(units, b, lang, 1))
    name = names.get(unit) or unit
    if count is not None and count == 1 and units.factors.get(unit) == 1 and name.endswith("s"):
        return name[:-1]
    return name


COUNT_WORDS = ("个", "家", "件", "项")  # measure words English does not say: '2826', not '2826 pieces'


def english_amount(number: str, unit: str, units) -> str:
    """A number as printed in ``unit`` said in English, still in that unit (so that it reads against intervals in
    it): a multiple unit as '× factor base unit' ('1' 万人 -> '1 × 10,000 persons', '1101.04' 亿元 ->
    '1101.04 × 100 million yuan'), a count's measure word (COUNT_WORDS) left out ('2826'), any other unit by
    unit_label ('3 persons', '1 person')."""
    if unit in COUNT_WORDS or not unit:
        return number
    factor = units.factors.get(unit, 1)
    base = next((u for u, f in units.factors.items() if f == 1 and units.dimensions.get(u) == units.dimensions.get(unit)
                 and units.dimensions.get(unit) not in (None, "ratio")), None)
    if factor in (1, None) or base is None or factor < 1:
        return f"{number} {unit_label(units, unit, 'en', number_of(number))}"
    scale = "100 million" if factor == 10 ** 8 else f"{int(factor):,}"
    return f"{number} × {scale} {unit_label(units, base, 'en')}"


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
    if unit == "%":
        return f"{word} {number}%".strip()
    return " ".join(part for part in (word, english_amount(number, unit, units)) if part)


_RENDER = {"zh": _as_printed, "en": _rendered}
