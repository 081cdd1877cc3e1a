"""The claims audit laid out for readers, in zh or en (the audit itself is claims.audit)."""
from __future__ import annotations

import pandas as pd

VERDICT_LABELS = {"reproduced": ("可复现", "reproduced"), "inconsistent": ("不一致", "inconsistent"),
                  "implied": ("隐含", "implied"), "unverifiable": ("无法核实", "unverifiable")}
VIEW_COLUMNS = {  # audit column -> (zh, en)
    "claim": ("编号", "Claim"), "source": ("位置", "Location"), "statement": ("陈述", "Statement"),
    "printed": ("原文数字", "As printed"), "verdict": ("判定", "Verdict"), "recomputed": ("重算", "Recomputed"),
    "explanation": ("说明（英文）", "Explanation"),
}


def verdict_label(verdict: str, lang: str = "zh") -> str:
    return VERDICT_LABELS.get(verdict, (verdict, verdict))[0 if lang == "zh" else 1]


def audit_view(audit: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """One row per claim: where, what, as printed, verdict, recomputed value, why."""
    view = audit.assign(statement=audit["statement_zh" if lang == "zh" else "statement_en"],
                        verdict=audit["verdict"].map(lambda v: verdict_label(v, lang)))[list(VIEW_COLUMNS)]
    view.columns = [v[0 if lang == "zh" else 1] for v in VIEW_COLUMNS.values()]
    return view.reset_index(drop=True)


def notable(audit: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """Inconsistent claims first, then implied ones: the statements a reader should look at."""
    order = {"inconsistent": 0, "implied": 1}
    picked = audit[audit["verdict"].isin(order)].sort_values("verdict", key=lambda s: s.map(order), kind="stable")
    return audit_view(picked, lang)


def at_location(audit: pd.DataFrame, location: str, lang: str = "zh") -> pd.DataFrame:
    """The claims printed at one place of the report (表2, 二1, …), for display beside that table or text."""
    return audit_view(audit[audit["source"] == location], lang)
