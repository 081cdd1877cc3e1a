"""The audit's verdict and basis codes, without pandas: the site's index counts them on a cache hit, which must
stay a fraction of a second. Their names in either language are the catalogue's ``verdict.<code>`` and
``basis.<code>`` (report.audit_views)."""

# A verdict, strongest first, and the basis it rests on (audit.claims decides them; docs/audit.md).
VERDICTS = ("reproduced", "consistent", "implied", "unverifiable", "inconsistent")
BASES = ("recomputed", "restated", "counted", "internal", "compared", "bounded", "derived", "none")
