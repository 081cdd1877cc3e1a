"""Fixtures of the report tests: the claims audit with its texts in both languages, made once per session."""
from __future__ import annotations

import pytest

from analysis_utils.report import narrate


@pytest.fixture(scope="session")
def audits(data):
    """narrate.audit_table (codes, numbers, and the texts in both languages) per reader language, with that
    language's texts also under 'explanation' and 'detail' (the views read explanation_<lang>, detail_<lang>)."""
    table = narrate.audit_table(data).set_index("claim")
    return {lang: table.assign(explanation=table[f"explanation_{lang}"], detail=table[f"detail_{lang}"])
            for lang in ("zh", "en")}
