"""What "in the reader's language" means to the tests: one pattern for Chinese text (CJK), Latin words, and the ids
a reader must never see."""
from __future__ import annotations

import csv
import re

from analysis_utils.paths import DATA_DIR

# Chinese text, in any form a page or table could carry it: CJK ideographs (the unified block, extension A and the
# compatibility ideographs), radicals, CJK symbols and punctuation (、。“”「」), and full-width forms (，（）：０-９).
# An English text holds none of these; a Chinese one holds them wherever it holds a word.
CJK = re.compile("[\u2e80-\u2fdf\u3000-\u33ff\u3400-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]")
# A word of a Latin-script language in a page's visible text (three letters or more: not 'px', not a unit).
LATIN_WORD = re.compile(r"[A-Za-z]{3,}")
# Two Latin letters or more: a word or an abbreviation (km) in a table header or a chart, where only R&D, GDP and
# units such as km² may appear in Chinese.
LATIN_LETTERS = re.compile(r"[A-Za-z]{2,}")

# Latin a Chinese page of published figures may carry: R&D, GDP, acronyms such as CAS, web addresses and site names.
LATIN_OK = re.compile(r"R&D|GDP|[A-Z]{2,}|https?://\S+|[\w.-]+\.(com|cn|org|net)\b")


def latin_words(s: str) -> list[str]:
    return re.findall(r"[A-Za-z]{3,}", LATIN_OK.sub("", s))


def texts_in_wrong_language(texts, lang):
    """The texts that do not read as ``lang``: with Chinese characters in en, with Latin words in zh."""
    return [t for t in texts if (CJK.search(t) if lang == "en" else latin_words(t))]


# The indicator ids of data/indicators.csv. In English prose 'academicians', 'makerspaces' and 'area' are words;
# ids with '_' (and 'gdp') are never prose.
INDICATORS = [r["indicator"] for r in csv.DictReader(open(DATA_DIR / "indicators.csv", encoding="utf-8"))]
MACHINE_IDS = [i for i in INDICATORS if "_" in i or i == "gdp"]


def ids_in(texts, ids) -> list[str]:
    """The texts that name one of ``ids`` as a word of its own."""
    pattern = re.compile(r"(?<![A-Za-z_])(" + "|".join(map(re.escape, ids)) + r")(?![A-Za-z_])")
    return [t for t in texts if pattern.search(str(t))]
