"""The language catalogue: every language-dependent text of the package, in zh and en, in one file.

The texts live in ``messages.csv`` next to this module, one row per key, columns ``key,zh,en`` (UTF-8):
table titles and column headers, chart labels, verdict and factor names, notebook captions and the
sentence templates of the generated findings. Templates use :meth:`str.format` fields, e.g.
``title.table2`` = ``表2 {year}年{focus}与{peers}创新成效比较`` / ``Table 2 Innovation performance of {focus}
compared with {peers}, {year}``; format specs work too (``{cagr:.1%}``).

Why one CSV rather than gettext/Babel: the texts are short keyed labels and sentence templates that are
reviewed side by side; a translator edits both languages in one spreadsheet row; there is no compile
step (.po → .mo) in the build; and a test can check that every key has both languages with the same
fields, that every key used in ``src/`` and ``notebooks/`` exists and that none is left unused.
gettext keys messages by their source-language text, so a corrected Chinese label would break its
English translation; here the key is stable.

``check_lang`` is the one check of a ``lang`` argument: every function of the package that takes
``lang`` calls it (directly or through :func:`text`), so ``"fr"`` or ``"EN"`` raises the same
:class:`~analysis_utils.errors.ParameterError` everywhere and never falls back to English.
"""
from __future__ import annotations

import csv
import functools
import io
import re
import string
from importlib import resources

from analysis_utils.checks import check_choice
from analysis_utils.errors import AnalysisError, DataProblem, DataValidationError, ParameterError

LANGS = ("zh", "en")
MESSAGES_FILE = "messages.csv"
COLUMNS = ("key",) + LANGS


def check_lang(lang) -> str:
    """``lang`` if it is 'zh' or 'en'.

    Raises ParameterError ``bad-choice`` (``parameter "lang" = 'fr': expected one of 'zh', 'en'``) for any other
    text, including 'EN' and '', and ``type-error`` for a value that is not text (None, 1).
    """
    return check_choice("lang", lang, LANGS, str, "text")


def build_lang(parameters: dict | None) -> str:
    """The language of a build (its index, pages' frame and workbooks) from the parameters it was given: their
    ``lang``; 'zh' when none was given or for a value check_lang refuses (the run has reported it already)."""
    try:
        return check_lang((parameters or {}).get("lang", "zh"))
    except ParameterError:
        return "zh"


@functools.cache
def catalogue() -> dict[str, dict[str, str]]:
    """Every message of the packaged ``messages.csv``: key -> {'zh': text, 'en': text}; read once per process.

    Raises DataValidationError as :func:`read_messages` does.
    """
    return read_messages(resources.files("analysis_utils").joinpath(MESSAGES_FILE).read_text(encoding="utf-8"))


def read_messages(raw: str) -> dict[str, dict[str, str]]:
    """Parse the text of a messages file (CSV ``key,zh,en``) into key -> {'zh': text, 'en': text}.

    Raises DataValidationError listing every problem at once, each with its data row: a wrong header
    (missing-column), an empty or spaced key or text (required-error), a repeated key (unique-error), a
    text with leading/trailing spaces or a template whose languages use different fields (constraint-error),
    a template str.format cannot parse (type-error).
    """
    reader = csv.DictReader(io.StringIO(raw))
    if tuple(reader.fieldnames or ()) != COLUMNS:
        raise DataValidationError([DataProblem(MESSAGES_FILE, None, None, reader.fieldnames,
                                               "the header " + ",".join(COLUMNS), "missing-column")])
    messages, problems = {}, []
    for row_no, row in enumerate(reader, start=1):
        key = row["key"] or ""
        if not key or key != key.strip() or " " in key:
            problems.append(DataProblem(MESSAGES_FILE, row_no, "key", key, "a key without spaces", "required-error"))
        elif key in messages:
            problems.append(DataProblem(MESSAGES_FILE, row_no, "key", key, "a key used once", "unique-error"))
        for lang in LANGS:
            if not (row[lang] or "").strip():
                problems.append(DataProblem(MESSAGES_FILE, row_no, lang, row[lang], "a non-empty text", "required-error"))
            elif row[lang] != row[lang].strip():  # an editor would strip it unseen: put spaces inside templates
                problems.append(DataProblem(MESSAGES_FILE, row_no, lang, row[lang],
                                            "a text without leading or trailing spaces", "constraint-error"))
        try:
            if fields(row["zh"] or "") != fields(row["en"] or ""):
                problems.append(DataProblem(MESSAGES_FILE, row_no, "en", row["en"],
                                            f"the fields of zh {sorted(fields(row['zh']))}", "constraint-error"))
        except ValueError as e:
            problems.append(DataProblem(MESSAGES_FILE, row_no, None, None, f"valid str.format templates ({e})",
                                        "type-error"))
        messages.setdefault(key, {lang: row[lang] for lang in LANGS})
    if problems:
        raise DataValidationError(problems)
    return messages


def fields(template: str) -> set[str]:
    """The names of the ``{fields}`` of a str.format template ('{v}—{h}' -> {'v', 'h'})."""
    return {name.split(".")[0].split("[")[0] for _, name, _, _ in string.Formatter().parse(template)
            if name is not None}


def text(key: str, lang: str, **values) -> str:
    """The message ``key`` in ``lang``, its ``{fields}`` filled from ``values`` (extra values are ignored).

    Raises ParameterError if ``lang`` is not 'zh' or 'en'; AnalysisError naming the key if it is not in
    messages.csv, or naming the field if a template field has no value.
    """
    check_lang(lang)
    try:
        template = catalogue()[key][lang]
    except KeyError:
        raise AnalysisError(f'no message "{key}" in {MESSAGES_FILE}: add a row key,zh,en for it') from None
    try:
        return template.format(**values)
    except KeyError as e:
        raise AnalysisError(f'message "{key}" ({lang}) needs a value for the field {e}; given '
                            f"{sorted(values)}") from None


def join(items, lang: str, names: bool = False) -> str:
    """``items`` (texts) joined as a list in ``lang``; '' if none.

    Clauses and items that carry their own punctuation (the default) join by the template ``list.join``:
    'a；b；c' / 'a; b; c'. A list of names (``names=True``: districts, indicators) joins as each language lists
    names: zh by ``list.names`` ('南山区、余杭区、武昌区'), en by ``list.names`` and, before the last, ``list.names_last``
    ('Nanshan District, Yuhang District and Wuchang District'; two: 'A and B').
    Raises ParameterError for a ``lang`` other than 'zh'/'en'.
    """
    check_lang(lang)
    items = list(items)
    out = items[0] if items else ""
    for i, item in enumerate(items[1:], start=1):
        key = "list.join" if not names else "list.names_last" if i == len(items) - 1 else "list.names"
        out = text(key, lang, a=out, b=item)
    return out


def lang_column(stem: str, lang: str) -> str:
    """The data column holding ``stem`` in ``lang``: ('name', 'en') -> 'name_en', ('statement', 'zh') -> 'statement_zh'."""
    return f"{stem}_{check_lang(lang)}"


def name_column(lang: str) -> str:
    """The indicator-name column of indicators.csv for ``lang``: 'name_zh' or 'name_en'."""
    return lang_column("name", lang)


_PART_NUMERALS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV", 5: "V", 6: "VI", 7: "VII", 8: "VIII", 9: "IX", 10: "X"}


def location(code: str, lang: str) -> str:
    """A place in the report as a reader of ``lang`` names it. zh: as coded ('表2', '一(二)3').
    en: 表N -> 'Table N'; a section path part (一..十) -> Roman numeral, its subsection (一) -> (1), its item
    after a dot: '一(二)3' -> 'I(2).3', '二1' -> 'II.1', '三' -> 'III'. Anything else is returned as given.
    Raises ParameterError for a ``lang`` other than 'zh'/'en'."""
    import re

    if check_lang(lang) == "zh" or not code:
        return code
    table = re.fullmatch(r"表\s*(\d+)", code)
    if table:
        return f"Table {table.group(1)}"
    path = re.fullmatch(r"([一二三四五六七八九十])(?:[(（]([一二三四五六七八九十])[)）])?(\d+)?", code)
    if not path:
        return code
    part, sub, item = path.groups()
    out = _ROMAN[_PART_NUMERALS[part]] + (f"({_PART_NUMERALS[sub]})" if sub else "")
    return out + (f".{item}" if item else "")


# Places (and the one other proper name) an indicator's English name can start with: a name starting with one keeps
# its capital inside a sentence ('Hubei provincial Hundred Talents Plan', 'Luojia innovation angel fund').
PROPER_NOUNS = frozenset({"Hubei", "Guangdong", "Zhejiang", "Wuhan", "Shenzhen", "Hangzhou", "Wuchang", "Nanshan",
                          "Yuhang", "Luojia", "Baisha", "Xiaoguishan"})


def in_sentence(name: str, lang: str = "zh", proper=PROPER_NOUNS) -> str:
    """A name (of an indicator, a column) as written inside a sentence of ``lang``. English names are written to
    start a table cell ('Total revenue'); inside a sentence a common noun is lower-cased ('the sum of total
    revenue'), while a proper noun keeps its capital: a first word that is an acronym ('R&D intensity', 'CAS
    academicians'), a place of ``proper`` ('Hubei provincial …') or the first of several capitalised words
    ('National Thousand Talents Plan', 'Shenzhen Peacock Plan'). zh (and any name not starting with a capital
    followed by a small letter) unchanged. ParameterError for a bad ``lang``."""
    if check_lang(lang) != "en":
        return name
    words = name.split()
    if not words or not re.match(r"[A-Z][a-z]", words[0]) or re.sub(r"[^A-Za-z]", "", words[0]) in proper:
        return name
    if re.search(r"[A-Z&]", words[0][1:]) or (len(words) > 1 and re.match(r"[A-Z]", words[1])):
        return name  # an acronym, or a name of several capitalised words
    return name[0].lower() + name[1:]
