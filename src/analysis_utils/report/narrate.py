"""A claim's verdict told to a reader, in zh or en: the recomputation in words and numbers, then the detail.

``claim_text`` gives two texts: the explanation ("2826 / 2154 − 1 = 31.20%, printed 31.2: agrees. The check
accepts any printed value from 31.15 to 31.25.") and the interval detail for those who want it. Every word
comes from the language catalogue (``explain.*``, ``reading.*``, ``decide.*``, ``cap.*``, ``note.*``);
formulas from explain.formula. claims.py decides the verdicts; nothing here changes one.
"""
from __future__ import annotations

import pandas as pd

from analysis_utils.audit import claims
from analysis_utils.audit.intervals import fmt
from analysis_utils.audit.rules import TRUTH_MARKS, Step, Term
from analysis_utils.audit.strength import BAND_LIMIT
from analysis_utils.labels import LANGS, check_lang, join, text
from analysis_utils.report.explain import formula, sentence, symbol
from analysis_utils.report.names import entity_names, indicator_names
from analysis_utils.report.printed import (
    english_amount,
    in_words,
    printed_text,
    unit_label,
)
from analysis_utils.rounding import format_fixed

PERCENT = "%"
# Keys built at run time (tests/unit/test_labels.py lists them as families).
EXPLAIN_KEYS = ("agrees", "disagrees", "true", "false", "undetermined", "overlap", "implies", "whole", "fractions",
                "no_whole", "nearest_one", "band_between", "band_above", "band_below", "band_any", "detail",
                "detail_point", "detail_points", "none")
CAP_KEYS = ("internal", "compared", "bounded", "derived", "none", "qualifier", "wide", "open")
DECIDE_KEYS = ("printing", "rule", "rule_alt", "neither", "both", "undecided")


def _number(x, decimals: int, unit: str) -> str:
    """A recomputed value one digit finer than printed ('31.20%'), exact when it is shorter."""
    exact_text = fmt(x, 12)
    places = len(exact_text.partition(".")[2])
    shown = exact_text if places <= decimals + 1 else format_fixed(x, decimals + 1)
    return f"{shown}{unit}" if unit == PERCENT else shown


def claim_printed(data, claim: dict, lang: str, value=None) -> str:
    """The claim's printed number as a sentence in ``lang`` quotes it (data.printed.printed_text): the report's
    text in zh ('近1万人'), its English rendering in en ('nearly 10,000 persons'). ``value``: another
    printed value at the claim's decimals and unit, without its qualifier (a value that would have worked)."""
    check_lang(lang)
    units, quals = data.units_table, data.qualifier_table
    unit = claim.get("unit") or ""
    if value is not None:
        d = int(claim.get("decimals") or 0)
        return printed_text(f"{format_fixed(value, d)}{unit}", value, unit, lang, units, quals, decimals=d)
    return printed_text(claim.get("printed") or "", claim.get("value"), unit, lang, units, quals,
                        claim.get("qualifier") or "", claim.get("value_high"), claim.get("decimals"))


def quantity_text(data, term: Term, lang: str) -> str:
    """A quantity of a trace in ``lang``: its interval, then its unit, in zh as printed ('74 家', '[869.5, 870.5)
    亿元'), in en as report.printed.english_amount words the amount ('74 establishments', '[86.95, 87.05) billion
    yuan', '1 person'); no unit: the interval."""
    if in_words(lang) and term.unit:
        return english_amount(str(term.iv), term.unit, data.units_table)
    return f"{term.iv} {unit_label(data.units_table, term.unit, lang)}" if term.unit else str(term.iv)


def step_text(data, step: Step, lang: str) -> str:
    """One comparison of a trace in ``lang``: '74 establishments < 1,641 establishments ✓', '1000 万元 ≤ 1 亿元 ✓' /
    '10 million yuan ≤ 100 million yuan ✓'."""
    check_lang(lang)
    return (f"{quantity_text(data, step.a, lang)} {symbol(step.op)} {quantity_text(data, step.b, lang)} "
            f"{TRUTH_MARKS[step.result]}")


def note_fields(data, fields: dict, lang: str) -> dict:
    """The fields of a note of the evaluation (rules.Context.notes / missing) put in ``lang``: an entity and an
    indicator by their names (entities.csv, indicators.csv), a comparison by its symbol, a value as a number and
    a printed value as claim_printed quotes one. Fields it does not know are kept."""
    check_lang(lang)
    out = dict(fields)
    if "entity" in out:
        out["entity"] = entity_names(data, lang).get(out["entity"], out["entity"])
    if "indicator" in out:
        out["indicator"] = indicator_names(data, lang, sentence=True).get(out["indicator"], out["indicator"])
    if "op" in out:
        out["op"] = symbol(out["op"])
    if isinstance(out.get("value"), (int, float)) and not isinstance(out.get("value"), bool):
        out["value"] = fmt(out["value"])
    if "printed_value" in out:
        out["printed"] = printed_text(out.get("printed") or "", out["printed_value"], out.get("unit") or "", lang,
                                      data.units_table, data.qualifier_table, out.get("qualifier") or "",
                                      out.get("value_high"))
    return out


def _note(data, note: tuple, lang: str) -> str:
    key, fields = note
    return text(key, lang, **note_fields(data, fields, lang))


def _label(claim: dict, lang: str) -> str:
    """What the rule computes, in ``lang`` (rule_label_zh; rule_label is the English one); '' when the claim gives
    none in ``lang`` (the sentence then shows the formula: never the other language's label)."""
    return claim.get(_LABEL_COLUMNS[lang]) or ""


_LABEL_COLUMNS = {"zh": "rule_label_zh", "en": "rule_label"}  # claims.csv


def implied_text(point, interval) -> str:
    """An implied value and its interval at the interval's resolution, two significant digits of its width, the ends
    rounded outward (the interval shown holds every value the exact one does): 5.4 × 92.54 = 499.716 within
    [495.06225, 504.37025) reads '499.7 [495.0, 504.4)', 18 × 113 within [1968.75, 2099.75) '2034 [1968, 2100)'. An
    unbounded or a zero-width interval as :func:`fmt` and the interval show it."""
    import math
    from fractions import Fraction

    if not interval.is_bounded or interval.hi == interval.lo:
        return f"{fmt(point)} {interval}"
    places = max(0, 1 - math.floor(math.log10(float(interval.hi - interval.lo))))
    scale = 10 ** places
    lo, hi = (Fraction(math.floor(interval.lo * scale), scale), Fraction(math.ceil(interval.hi * scale), scale))
    ends = (f"{float(x):.{places}f}" for x in (lo, hi))
    return (f"{format_fixed(float(point), places)} {'[' if interval.lo_closed else '('}{next(ends)}, {next(ends)}"
            f"{']' if interval.hi_closed else ')'}")


def reading_text(data, claim: dict, rule: str, judged, lang: str) -> str:
    """One reading: the outcome sentence, the notes of the evaluation, and why the verdict was capped."""
    check_lang(lang)
    o, d = judged.outcome, int(claim["decimals"] or 0)
    unit = claim.get("unit") or ""
    f = formula(data, claim, rule, lang)
    printed = claim_printed(data, claim, lang)
    fields = {"formula": f, "printed": printed, "label": _label(claim, lang) or f}
    if o.raw in ("agrees", "disagrees"):
        value = _number(o.point, d, unit) if o.point is not None else str(o.interval)
        would = format_fixed(o.point, d) if o.point is not None else str(o.interval)
        out = sentence(o.raw, lang, value=value, would=would, **fields)
    elif o.raw == "undetermined":
        why = join([_note(data, m, lang) for m in o.missing], lang) if o.missing else text("explain.overlap", lang)
        out = sentence("undetermined", lang, why=why, **fields)
    elif o.raw == "implies":
        value = str(o.interval) if o.point is None or o.interval.is_point else implied_text(o.point, o.interval)
        out = sentence("implies", lang, value=value, **fields)
    elif o.raw in ("whole", "fractions"):
        out = sentence(o.raw, lang, values=str(o.result), **fields)
    elif o.raw == "no_whole":
        nearest = join([text("explain.nearest_one", lang, printed=claim_printed(data, claim, lang, value=v),
                             values=", ".join(map(str, n))) for v, n in o.nearest], lang)  # clauses: no capital
        out = sentence("no_whole", lang, interval=str(o.interval), nearest=nearest or "-", **fields)
    else:  # true / false
        out = sentence(o.raw, lang, **fields)
    notes = [_note(data, n, lang) for n in o.notes]
    tail = "".join(f" {n}" for n in notes)
    cap = " " + text(f"cap.{judged.cap}", lang, limit=BAND_LIMIT, **_cap_fields(data, claim, o, lang)) \
        if judged.cap else ""
    return out + tail + cap


# a qualifier in words: zh the report's own word (qualifiers.csv printed_as: 近, 约), en its name_en (nearly, …)
_QUALIFIER_WORDS = {"zh": lambda q: q.printed_as, "en": lambda q: q.name_en}


def qualifier_word(data, code: str, lang: str) -> str:
    """A qualifier (a code of qualifiers.csv) as a reader names it in ``lang`` (近 / nearly); a plain number
    (code ''): the catalogue's cap.no_qualifier. ParameterError for a bad ``lang``."""
    check_lang(lang)
    word = _QUALIFIER_WORDS[lang](data.qualifier_table[code or ""])
    return word if code and word else text("cap.no_qualifier", lang)


def _cap_fields(data, claim: dict, o, lang: str) -> dict:
    """The fields of a cap sentence: for cap.qualifier the claim's qualifier (``this``) and those of the numbers
    it restates (``source``), each in words."""
    own = claim.get("qualifier") or ""
    others = [q for q in o.qualifiers if q != own]
    return {"this": qualifier_word(data, own, lang),
            "source": join([qualifier_word(data, q, lang) for q in others], lang, names=True)}


def band_text(b, decimals: int, lang: str, amount=str) -> str:
    """The printed values the check accepts, as a sentence; '' without a band. ``amount``: how an edge is written
    (claim_text: in English in the scale the printed amount is read in, '29 billion' for 290 亿元)."""
    check_lang(lang)
    if b is None:
        return ""
    low, high = (amount(x) if x else x for x in b.shown(decimals))
    if low and high:
        width = fmt(b.width_units, 3)
        units = text("explain.digit_unit" if width == "1" else "explain.digit_units", lang, n=width)
        return sentence("band_between", lang, low=low, high=high, units=units, limit=BAND_LIMIT)
    if low:
        return sentence("band_above", lang, low=low)
    if high:
        return sentence("band_below", lang, high=high)
    return sentence("band_any", lang)


def _as_printed_amount(data, claim: dict, interval, lang: str) -> str:
    """An interval in the claim's unit beside the printed amount (claim_printed): in en with the amount's digits
    and scale word (english_amount without the unit's name: [0.5, 1.5) in 万人 -> '[5,000, 15,000)', so that it
    reads against 'nearly 10,000 persons'), in zh as it is."""
    if in_words(lang):
        return english_amount(str(interval), claim.get("unit") or "", data.units_table, named=False)
    return str(interval)


def detail_text(data, claim: dict, judged, lang: str) -> str:
    """The interval detail of one reading: the recomputed interval against the printed one, or the trace."""
    check_lang(lang)
    o = judged.outcome
    if o.interval is not None and o.printed is not None and claim["check"] == "recompute":
        # a recomputation from exact numbers is one number, said as such rather than as an 'interval' of one
        key = ("detail_points" if o.printed.is_point else "detail_point") if o.interval.is_point else "detail"
        return sentence(key, lang, interval=_as_printed_amount(data, claim, o.interval, lang),
                        printed=claim_printed(data, claim, lang),
                        printed_interval=_as_printed_amount(data, claim, o.printed, lang))
    if o.trace:
        return "; ".join(step_text(data, step, lang) for step in o.trace)
    return str(o.result if o.result is not None else o.interval or "")


def claim_text(data, j: claims.Judgement, lang: str) -> tuple[str, str]:
    """(explanation, detail) of a judged claim (claims.Judgement) in ``lang``: each reading, which one decides,
    and the band. ParameterError for a bad ``lang``."""
    check_lang(lang)
    data = data.report_view()  # the report's own numbers, as the audit judged them
    claim, main, alt = j.claim, j.main, j.alt
    if main is None:
        return sentence("none", lang), ""
    d = int(claim["decimals"] or 0)
    first = reading_text(data, claim, claim["rule"], main, lang)
    if alt is None:
        text_ = first
        detail = detail_text(data, claim, main, lang)
    else:
        kind = claim["readings"] or "wording"
        names = ("reading.strict", "reading.loose") if kind == "printing" else ("reading.first", "reading.second")
        second = reading_text(data, claim, claim["rule_alt"], alt, lang)
        decide = text(f"decide.{j.reading}", lang)
        head1 = text(names[0], lang, verdict=text(f"verdict.{main.verdict}", lang))
        head2 = text(names[1], lang, verdict=text(f"verdict.{alt.verdict}", lang))
        text_ = f"{head1} {first} {head2} {second} {decide}"
        detail = f"{detail_text(data, claim, main, lang)} | {detail_text(data, claim, alt, lang)}"
    unit = claim.get("unit") or ""
    band = band_text(j.band, d, lang, (lambda x: english_amount(x, unit, data.units_table, named=False))
                     if in_words(lang) and unit else str)
    return (f"{text_} {band}".strip(), detail)


TEXT_COLUMNS = [f"{what}_{code}" for code in LANGS for what in ("explanation", "detail")]


@claims.on_report
def audit_table(data, claims_: pd.DataFrame | None = None, at: list[str] | None = None) -> pd.DataFrame:
    """claims.audit's frame (codes and numbers) with each claim's explanation and interval detail in every
    language: columns explanation_zh, detail_zh, explanation_en, detail_en added (TEXT_COLUMNS).
    ``claims_``, ``at``: as claims.judgements. ClaimError for a malformed claim."""
    judged = claims.judgements(data, claims_, at)
    table = claims.audit(data, judged=judged)
    for code in LANGS:
        texts = [claim_text(data, j, code) for j in judged[1]]
        table[f"explanation_{code}"] = [t[0] for t in texts]
        table[f"detail_{code}"] = [t[1] for t in texts]
    return table


def explain_claim(data, claim, lang: str) -> dict:
    """One claim (a registry row or a dict) judged and worded: claims.evaluate's columns, then explanation and
    detail in ``lang``. ClaimError for a malformed claim or rule, ParameterError for a bad ``lang``."""
    check_lang(lang)
    data = data.report_view()  # the report's own numbers, as the audit judged them
    j = claims.judgement(data, claim)
    explanation, detail = claim_text(data, j, lang)
    return claims.result_row(j) | {"explanation": explanation, "detail": detail}
