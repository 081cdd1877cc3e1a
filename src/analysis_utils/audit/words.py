"""The names of verdicts and bases in the reader's language, without pandas: the site's index names them on
a cache hit, which must stay a fraction of a second (audit.views re-exports both)."""
from __future__ import annotations

from analysis_utils.labels import text

# A verdict, strongest first, and the basis it rests on (audit.claims decides them; docs/audit.md).
VERDICTS = ("reproduced", "consistent", "implied", "unverifiable", "inconsistent")
BASES = ("recomputed", "restated", "counted", "compared", "bounded", "derived", "self", "none")


def verdict_label(verdict: str, lang: str = "zh") -> str:
    """The name of a verdict (claims.VERDICTS) in ``lang``: 'inconsistent' -> '不一致'.

    Raises ParameterError for a bad ``lang``; AnalysisError for a verdict the catalogue does not know.
    """
    return text(f"verdict.{verdict}", lang)


def basis_label(basis: str, lang: str = "zh") -> str:
    """The name of a verdict's basis (claims.BASES) in ``lang``: 'recomputed' -> '重算'; '' stays ''.

    Raises ParameterError for a bad ``lang``; AnalysisError for a basis the catalogue does not know.
    """
    return text(f"basis.{basis}", lang) if basis else ""
