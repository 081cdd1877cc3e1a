"""audit/views.py: the claims audit laid out for readers (which rows, in which order, which language).

A small audit frame is built here by hand (SYNTHETIC claims), so the expected rows and their order
follow from the frame, not from the code. Column headers are only checked for their language.
"""
from __future__ import annotations

import re

import pandas as pd
import pytest

from analysis_utils import labels
from analysis_utils.errors import AnalysisError
from analysis_utils.report import audit_views as views

CJK = re.compile(r"[\u4e00-\u9fff]")
VERDICTS = ["reproduced", "consistent", "inconsistent", "implied", "unverifiable"]


@pytest.fixture
def audit():
    rows = [  # claim, source, verdict
        ("SYN-1", "表1", "reproduced"), ("SYN-2", "表2", "implied"), ("SYN-3", "表1", "inconsistent"),
        ("SYN-4", "二1", "unverifiable"), ("SYN-5", "表2", "inconsistent"), ("SYN-6", "表1", "implied"),
        ("SYN-7", "表5", "consistent"),
    ]
    return pd.DataFrame({
        "claim": [r[0] for r in rows], "source": [r[1] for r in rows], "verdict": [r[2] for r in rows],
        "statement_zh": [f"陈述{r[0]}" for r in rows], "statement_en": [f"statement {r[0]}" for r in rows],
        "printed": ["28.7", "3.1", "63.3", "约1万", ">200", "18", "1.52"],
        "recomputed": ["28.66", "", "63.30", "", "", "", ""],
        "explanation_zh": [f"理由{r[0]}" for r in rows], "detail_zh": [f"细节{r[0]}" for r in rows],
        "explanation_en": [f"why {r[0]}" for r in rows], "detail_en": [f"detail {r[0]}" for r in rows], "section": ["一"] * 7,
        "basis": ["recomputed", "derived", "recomputed", "none", "bounded", "derived", "compared"],
        "band_low": [28.6053, float("nan"), 63.5, float("nan"), 5.33, float("-inf"), float("-inf")],
        "band_high": [28.7053, float("nan"), 63.6, float("nan"), float("inf"), float("inf"), 1.6],
    }, index=[10, 11, 12, 13, 14, 15, 16])


def test_verdict_label_languages():
    for verdict in VERDICTS:
        zh, en = views.verdict_label(verdict, "zh"), views.verdict_label(verdict, "en")
        assert CJK.search(zh) and not CJK.search(en) and zh != en
    assert len({views.verdict_label(v, "zh") for v in VERDICTS}) == 5  # five distinct labels
    for lang in ("zh", "en"):  # an unknown verdict is an error naming the missing catalogue key, not passed through
        with pytest.raises(AnalysisError, match="verdict.SYNTHETIC_unknown"):
            views.verdict_label("SYNTHETIC_unknown", lang)


def test_audit_view_one_row_per_claim_in_the_chosen_language(audit):
    for lang in ("zh", "en"):
        view = views.audit_view(audit, lang)
        assert view.shape == (7, 8) and list(view.index) == list(range(7))
        where = audit["source"].tolist() if lang == "zh" else [labels.location(c, "en") for c in audit["source"]]
        assert view.iloc[:, 0].tolist() == where                            # where (表1 -> Table 1 in en)
        statements = audit["statement_zh" if lang == "zh" else "statement_en"].tolist()
        assert view.iloc[:, 1].tolist() == statements                       # what
        assert view.iloc[:, 2].tolist() == audit["printed"].tolist()        # as printed
        assert view.iloc[:, 3].tolist() == [views.verdict_label(v, lang) for v in audit["verdict"]]
        assert view.iloc[:, 5].tolist() == ["28.6053–28.7053", "", "63.5–63.6", "", "≥5.33", "(−∞, ∞)", "≤1.6"]
        assert view.iloc[:, 6].tolist() == audit[f"explanation_{lang}"].tolist()  # the reader's language only
        assert view.iloc[:, 7].tolist() == audit[f"detail_{lang}"].tolist()
        assert not any(str(x).startswith("SYN-") for x in view.to_numpy().ravel())  # no internal ids
    assert not any(CJK.search(c) for c in views.audit_view(audit, "en").columns)
    assert not any(CJK.search(b) for b in views.audit_view(audit, "en").iloc[:, 4])
    assert all(CJK.search(c) for c in views.audit_view(audit, "zh").columns)
    assert "section" not in views.audit_view(audit, "en").columns  # only the reader's columns


def test_notable_puts_inconsistent_first_then_implied_in_audit_order(audit):
    view = views.notable(audit, "en")
    # inconsistent: SYN-3, SYN-5 (audit order); implied: SYN-2, SYN-6; consistent: SYN-7; the rest left out
    assert view.iloc[:, 6].tolist() == ["why SYN-3", "why SYN-5", "why SYN-2", "why SYN-6", "why SYN-7"]
    assert list(view.index) == [0, 1, 2, 3, 4]


def test_at_location(audit):
    assert views.at_location(audit, "表1", "en").iloc[:, 6].tolist() == ["why SYN-1", "why SYN-3", "why SYN-6"]
    assert views.at_location(audit, "二1", "en").iloc[:, 6].tolist() == ["why SYN-4"]
    assert views.at_location(audit, "二1", "zh").iloc[:, 6].tolist() == ["理由SYN-4"]
    assert views.at_location(audit, "表9", "en").empty


def test_views_of_the_real_audit(data):
    from analysis_utils.audit import claims

    audit = claims.audit(data)
    view = views.audit_view(audit, "en")
    assert len(view) == (data.claims["basis"].fillna("") != "").sum()  # one row per claim, plain facts apart
    notable = views.notable(audit, "en")
    expected = int(audit["verdict"].isin(["inconsistent", "implied", "consistent"]).sum())
    assert len(notable) == expected


def test_english_audit_view_names_report_places_in_english(audit):
    """'表2' in an English table read 'Table 2' nowhere else; the place is in the reader's language too."""
    en = views.audit_view(audit, "en")
    assert not en.iloc[:, 0].astype(str).str.contains("[\u4e00-\u9fff]").any()
    zh = views.audit_view(audit, "zh")
    assert list(zh.iloc[:, 0]) == list(audit["source"])  # zh: as the report prints it
