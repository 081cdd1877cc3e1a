"""audit/codes.py: the verdict and basis codes, the one list the registry's schema, the caps and the catalogue's
names in either language must agree with."""
from __future__ import annotations

import json

from analysis_utils.audit import claims
from analysis_utils.audit.codes import BASES, VERDICTS
from analysis_utils.labels import catalogue
from analysis_utils.paths import DATA_DIR


def test_the_bases_are_the_registry_schema_and_the_caps():
    # the checks the lead sentence counts apart come first, then the weaker ones; 'self' is gone (now 'internal')
    assert BASES == ("recomputed", "restated", "counted", "internal", "compared", "bounded", "derived", "none")
    descriptor = json.loads((DATA_DIR / "datapackage.json").read_text(encoding="utf-8"))
    (resource,) = [r for r in descriptor["resources"] if r["name"] == "claims"]
    (field,) = [f for f in resource["schema"]["fields"] if f["name"] == "basis"]
    assert set(field["constraints"]["enum"]) == set(BASES)
    assert set(claims.CAPS) == set(BASES) and set(claims.CAPS.values()) <= set(VERDICTS)


def test_every_basis_is_named_in_both_languages():
    names = catalogue()
    assert all(names[f"basis.{b}"]["zh"] and names[f"basis.{b}"]["en"] for b in BASES)
    assert (names["basis.internal"]["zh"], names["basis.internal"]["en"]) == ("仅本句内部一致性", "internal consistency only")
