"""A printed number as a reader of zh or en meets it inside a sentence.

zh: the report's own text ('近1万人', '74家'). en: the qualifier's English word from qualifiers.csv
(``name_en``: nearly, approximately, at least …; nothing for a plain number), the number at its printed
decimals and the unit's English name from units.csv (UnitTable.label, singular after exactly 1):
'近1万人' -> 'nearly 1 ten thousand persons', '74家' -> '74 establishments', '3.1%' -> '3.1%',
'1人' -> '1 person', '5—10万平方米' -> '5–10 ten thousand square metres', '-' -> '-'.
The number stays in the unit it was printed in, so that it reads against intervals in that unit.
"""
from __future__ import annotations

import math
import re

from analysis_utils.labels import check_lang, text
from analysis_utils.rounding import format_fixed

_CJK = re.compile("[\u4e00-\u9fff]")


def _none(x):
    return None if x is None or (isinstance(x, float) and math.isnan(x)) or x == "" else x


def printed_decimals(printed: str, value) -> int:
    """Decimals of ``value`` as printed in ``printed`` ('1683.07万元', 1683.07 -> 2); when the text does not show
    the value, the decimals of its shortest form."""
    for token in re.findall(r"\d+(?:\.\d+)?", printed or ""):
        if float(token) == float(value):
            return len(token.partition(".")[2])
    shortest = repr(float(value))
    return 0 if float(value).is_integer() else len(shortest.partition(".")[2])


def printed_text(printed: str, value, unit: str, lang: str, units, qualifiers, qualifier: str = "",
                 value_high=None, decimals=None) -> str:
    """A printed value for a sentence in ``lang`` (see the module): zh gives ``printed`` itself; en builds it from
    ``value`` (and ``value_high`` of a range) in ``unit`` with ``qualifier`` (a code of ``qualifiers``, a
    QualifierTable) and the English unit names of ``units`` (a UnitTable), at ``decimals`` (default: as printed).
    A printed text without a number is given as is in en when it has no Chinese, else as the catalogue's
    ``printed.words``. Raises ParameterError for a bad ``lang``; QualifierError for an unknown qualifier."""
    render = _RENDER[check_lang(lang)]  # zh readers read the report's own words; others a rendering of them
    return render(printed or "", _none(value), unit or "", lang, units, qualifiers[qualifier or ""],
                  _none(value_high), _none(decimals))


def _as_printed(printed, *_args) -> str:
    return printed


def _rendered(printed, value, unit, lang, units, q, value_high, decimals) -> str:
    if q.kind == "missing":
        return "-"
    if value is None:
        return printed if printed and not _CJK.search(printed) else text("printed.words", lang)
    places = printed_decimals(printed, value) if decimals is None else int(decimals)
    number, count = format_fixed(value, places), float(value)
    if q.kind == "range" and value_high is not None:
        number, count = f"{number}–{format_fixed(value_high, places)}", None
    word = "" if q.is_plain or q.kind == "range" else q.name_en  # a plain number or a range: its digits say it
    if unit == "%":
        return f"{word} {number}%".strip()
    return " ".join(part for part in (word, number, units.label(unit, lang, count) if unit else "") if part)


_RENDER = {"zh": _as_printed, "en": _rendered}
