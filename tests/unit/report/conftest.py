"""Fixtures of the report tests: the claims audit as each language's reader sees it, made once per session."""
from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def audits(audit_table):
    """narrate.audit_table (codes, numbers, and the texts in both languages) per reader language, with that
    language's texts also under 'explanation' and 'detail' (the views read explanation_<lang>, detail_<lang>)."""
    table = audit_table.set_index("claim")
    return {lang: table.assign(explanation=table[f"explanation_{lang}"], detail=table[f"detail_{lang}"])
            for lang in ("zh", "en")}
