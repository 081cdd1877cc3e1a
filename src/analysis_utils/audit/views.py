"""The claims audit laid out for readers, in zh or en (the audit itself is claims.audit)."""
from __future__ import annotations

import pandas as pd

from analysis_utils.labels import check_lang, lang_column, text

# Columns of the reader's view, in order; headers are the catalogue's "audit.<column>".
VIEW_COLUMNS = ["claim", "source", "statement", "printed", "verdict", "recomputed", "explanation"]


def verdict_label(verdict: str, lang: str = "zh") -> str:
    """The name of a verdict (claims.VERDICTS) in ``lang``: 'inconsistent' -> '不一致'.

    Raises ParameterError for a bad ``lang``; AnalysisError for a verdict the catalogue does not know.
    """
    return text(f"verdict.{verdict}", lang)


def audit_view(audit: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """One row per claim: where, what, as printed, verdict, recomputed value, why (columns VIEW_COLUMNS, headed in ``lang``).

    ``audit`` is claims.audit's frame (statement_zh, statement_en, verdict, …); the index is reset.
    Raises ParameterError for a ``lang`` other than 'zh'/'en'.
    """
    check_lang(lang)
    view = audit.assign(statement=audit[lang_column("statement", lang)],
                        verdict=audit["verdict"].map(lambda v: verdict_label(v, lang)))[VIEW_COLUMNS]
    view.columns = [text(f"audit.{column}", lang) for column in VIEW_COLUMNS]
    return view.reset_index(drop=True)


def notable(audit: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """Inconsistent claims first, then implied ones: the statements a reader should look at."""
    check_lang(lang)
    order = {"inconsistent": 0, "implied": 1}
    picked = audit[audit["verdict"].isin(order)].sort_values("verdict", key=lambda s: s.map(order), kind="stable")
    return audit_view(picked, lang)


def at_location(audit: pd.DataFrame, location: str, lang: str = "zh") -> pd.DataFrame:
    """The claims printed at one place of the report (表2, 二1, …), for display beside that table or text."""
    check_lang(lang)
    return audit_view(audit[audit["source"] == location], lang)
