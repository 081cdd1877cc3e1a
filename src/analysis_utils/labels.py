"""The language catalogue: every language-dependent text of the package, in zh and en (filled in by the catalogue work)."""
from __future__ import annotations

LANGS = ("zh", "en")
