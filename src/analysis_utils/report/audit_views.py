"""The audit laid out for readers, in zh or en: the claims audit (audit.claims, worded by report.narrate) and the
plain facts. The audits themselves are codes and numbers; the words are made here."""
from __future__ import annotations

import math

import pandas as pd

from analysis_utils.audit.intervals import fmt
from analysis_utils.labels import check_lang, lang_column, location, text
from analysis_utils.report.names import entity_names, indicator_names
from analysis_utils.report.printed import unit_label


def verdict_label(verdict: str, lang: str = "zh") -> str:
    """The name of a verdict (audit.codes.VERDICTS) in ``lang``: 'inconsistent' -> '不一致'.

    Raises ParameterError for a bad ``lang``; AnalysisError for a verdict the catalogue does not know.
    """
    return text(f"verdict.{verdict}", lang)


def basis_label(basis: str, lang: str = "zh") -> str:
    """The name of a verdict's basis (audit.codes.BASES) in ``lang``: 'recomputed' -> '重算'; '' stays ''.

    Raises ParameterError for a bad ``lang``; AnalysisError for a basis the catalogue does not know.
    """
    return text(f"basis.{basis}", lang) if basis else ""

# Columns of the reader's view, in order; headers are the catalogue's "audit.<column>". No claim ids: readers
# find a statement by its place and words (the ids stay in claims_audit.csv).
VIEW_COLUMNS = ["source", "statement", "printed", "verdict", "basis", "band", "explanation", "detail"]


def band_label(low, high, decimals=4) -> str:
    """The band of accepted printed values in symbols, one digit finer than printed (``decimals`` + 1):
    '31.148–31.248', '−9.938 – −9.838', '≥5.333', '≤3.2', '(−∞, ∞)'; '' if there is none (NaN)."""
    if low is None or high is None or (isinstance(low, float) and math.isnan(low)):
        return ""
    places = 4 if decimals is None or (isinstance(decimals, float) and math.isnan(decimals)) else int(decimals) + 2
    lo, hi = (None if math.isinf(x) else fmt(round(x, places), 12).replace("-", "−") for x in (low, high))
    if lo is not None and hi is not None:  # spaced where a minus sign would touch the dash: '−9.938 – −9.838'
        return f"{lo} – {hi}" if "−" in lo + hi else f"{lo}–{hi}"
    return f"≥{lo}" if lo is not None else (f"≤{hi}" if hi is not None else "(−∞, ∞)")


def audit_view(audit: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """One row per claim: where, what, as printed, verdict, its basis, the band of printed values the check
    accepts, why, and the interval detail (columns VIEW_COLUMNS, headed in ``lang``; no claim ids).

    ``audit`` is report.narrate.audit_table's frame (statement_zh, statement_en, verdict, basis, band_low,
    band_high, explanation_<lang>, detail_<lang> …; the last four optional); the index is reset.
    Raises ParameterError for a ``lang`` other than 'zh'/'en'.
    """
    check_lang(lang)
    basis = audit["basis"] if "basis" in audit else pd.Series("", index=audit.index)
    low = audit["band_low"] if "band_low" in audit else pd.Series(math.nan, index=audit.index)
    high = audit["band_high"] if "band_high" in audit else pd.Series(math.nan, index=audit.index)
    decimals = audit["decimals"] if "decimals" in audit else pd.Series(math.nan, index=audit.index)
    view = audit.assign(source=audit["source"].map(lambda c: location(c, lang)),
                        statement=audit[lang_column("statement", lang)],
                        verdict=audit["verdict"].map(lambda v: verdict_label(v, lang)),
                        basis=basis.map(lambda b: basis_label(b, lang)),
                        band=[band_label(a, b, d) for a, b, d in zip(low, high, decimals)],
                        explanation=audit.get(f"explanation_{lang}", ""),
                        detail=audit.get(f"detail_{lang}", ""))[VIEW_COLUMNS]
    view.columns = [text(f"audit.{column}", lang) for column in VIEW_COLUMNS]
    return view.reset_index(drop=True)


FACT_COLUMNS = ["source", "printed", "what", "why"]  # the reader's view of the plain facts, headed "audit.<column>"


def facts_view(facts: pd.DataFrame, data, lang: str = "zh") -> pd.DataFrame:
    """The plain facts (claims.not_checkable's frame) laid out for readers of ``lang``: the place in the report
    as a reader of ``lang`` names it (labels.location), the number as printed, what it is (a registry row's
    statement, or an observation's district and indicator by name) and why it is no claim (catalogue
    ``fact.<why>``), under headers in ``lang``; the index is reset. ``data``: the Dataset the facts come from.
    Raises ParameterError for a ``lang`` other than 'zh'/'en'."""
    check_lang(lang)
    names, indicators = entity_names(data, lang), indicator_names(data, lang)

    def what(r) -> str:
        if r["entity"]:
            return text("fact.observation", lang, entity=names.get(r["entity"], r["entity"]),
                        indicator=indicators.get(r["indicator"], r["indicator"]))
        return r[lang_column("statement", lang)]

    view = pd.DataFrame({"source": [location(c, lang) for c in facts["source"]], "printed": facts["printed"],
                         "what": [what(r) for r in facts.to_dict("records")],
                         "why": [text(f"fact.{w}", lang) for w in facts["why"]]}, columns=FACT_COLUMNS)
    view.columns = [text(f"audit.{column}", lang) for column in FACT_COLUMNS]
    return view.reset_index(drop=True)


def notable(audit: pd.DataFrame, lang: str = "zh", beside: dict[str, str] | None = None) -> pd.DataFrame:
    """Inconsistent claims first, then implied, then consistent ones (agreeing, but weakly checked): audit_view's
    columns, and with ``beside`` ({claim id: text}, report.external_views.beside_claims) a last column
    ``audit.published`` saying what published figures imply for a claim ('' for the others)."""
    check_lang(lang)
    order = {"inconsistent": 0, "implied": 1, "consistent": 2}
    picked = audit[audit["verdict"].isin(order)].sort_values("verdict", key=lambda s: s.map(order), kind="stable")
    view = audit_view(picked, lang)
    if beside:
        view[text("audit.published", lang)] = [beside.get(c, "") for c in picked["claim"]]
    return view


def at_location(audit: pd.DataFrame, location: str, lang: str = "zh") -> pd.DataFrame:
    """The claims printed at one place of the report (表2, 二1, …), for display beside that table or text."""
    check_lang(lang)
    return audit_view(audit[audit["source"] == location], lang)


# The reader's view of claims.compare_printed: the recomputed value is one column, exact or its interval.
PRINTED_COLUMNS = ["statement", "printed", "recomputed", "recomputed_value", "agree"]


def printed_vs_recomputed(check: pd.DataFrame, data, lang: str = "zh") -> pd.DataFrame:
    """claims.compare_printed's frame ``check`` for readers of ``lang``: statement, as printed, recomputed at the
    printed decimals, the recomputed value in the claim's unit, and whether they agree (是/否, yes/no), headed by
    the catalogue (``column.*``); the index is reset. The recomputed value is the exact number where the
    recomputation is one ('28.6554% (exact)': exact inputs give a degenerate interval, which is no interval to
    show), else its interval ('(0.756527, 0.756533) %'), the unit as units.csv names it in ``lang``.
    ``data``: the Dataset whose claims.csv gives each claim's unit; in English the value is the amount as
    report.printed.english_amount words it ('16.8307 million yuan (exact)' for 1683.07 万元). ParameterError for a bad
    ``lang``."""
    from analysis_utils.report.printed import english_amount, grouped, in_words
    from analysis_utils.report.writers import yes_no

    check_lang(lang)
    units = data.tables["claims"].set_index("claim")["unit"].fillna("")

    def value(claim, interval: str) -> str:
        bracketed = interval.strip()[:1] in ("[", "(")  # an interval as audit.intervals writes it: '(0.75, 0.76)'
        if in_words(lang):
            amount = english_amount(interval, units.get(claim, ""), data.units_table)
            return amount if bracketed else text("value.exact", lang, value=amount)
        unit = unit_label(data.units_table, units.get(claim, ""), lang)
        if bracketed:
            return f"{interval} {unit}".strip()
        return text("value.exact", lang, value=f"{grouped(interval)} {unit}".strip())  # a degenerate one: the number

    view = pd.DataFrame({"statement": check[lang_column("statement", lang)], "printed": check["printed"],
                         "recomputed": check["recomputed"],
                         "recomputed_value": [value(c, str(i)) for c, i in zip(check["claim"], check["interval"])],
                         "agree": check["agree"]}, columns=PRINTED_COLUMNS)
    view = yes_no(view, lang)
    view.columns = [text(f"column.{column}", lang) for column in PRINTED_COLUMNS]
    return view.reset_index(drop=True)
