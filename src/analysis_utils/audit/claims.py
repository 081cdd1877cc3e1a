"""Claims audit: every numeric statement of the report (data/claims.csv), recomputed from the observations.

A claim's ``rule`` is an expression of the rule language (rules.py): a whitelist evaluator over intervals
tagged with units. ``check`` says what the rule gives, and so which verdict it earns:

recompute  the printed number itself → reproduced if the intervals meet, else inconsistent;
condition  a statement (True / False / None) → reproduced / inconsistent / unverifiable;
implies    what the number implies (an interval, whole numbers, count pairs) → implied, or
           inconsistent when no whole number is possible; no rule → unverifiable.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Mapping

import pandas as pd

from analysis_utils.errors import AnalysisError, ClaimError, UnitError  # ClaimError: importable from here too
from analysis_utils.labels import check_lang, lang_column
from analysis_utils.audit.intervals import Interval, exact, fmt
from analysis_utils.rounding import format_fixed
from analysis_utils.audit.rules import (TRUTH_WORDS, Context, FractionSet, Term, WholeSet, claim_term, in_unit, none_if_na,
                                  run_rule)

VERDICTS = ("reproduced", "inconsistent", "implied", "unverifiable")
CHECKS = ("recompute", "condition", "implies")
SECTIONS = ("一", "二", "三")
UNVERIFIABLE_WHY = {
    "date": "A date of an outside event; the report prints nothing to check it against.",
    "plan": "A plan or target, not an outcome; the report prints nothing to check it against.",
    "label_count": "The label counts items that the report does not list; there is nothing to count.",
    "rank": "A national ranking; the report prints no other district's figure to check it against.",
}
UNVERIFIABLE_DEFAULT = "A figure printed only here; no other number in the report bears on it."


# --- verdicts ----------------------------------------------------------------------------
CLAIM_COLUMNS = ["claim", "section", "source", "kind", "statement_zh", "statement_en", "printed", "value",
                 "value_high", "qualifier", "decimals", "unit", "items", "check", "rule", "rule_alt",
                 "rule_label", "note"]
NUMERIC_COLUMNS = ("value", "value_high", "decimals")
RANK = {"reproduced": 0, "implied": 1, "unverifiable": 2, "inconsistent": 3}


@dataclass
class Reading:
    """One rule evaluated: its verdict, the recomputed value (interval, and point at the printed inputs)."""

    verdict: str
    text: str
    interval: Interval | None = None
    point: Any = None
    shown: str = ""


def normalise(claim: Mapping) -> dict:
    """A claim row with every registry column: '' for text, None for numbers."""
    row = {c: (None if c in NUMERIC_COLUMNS else "") for c in CLAIM_COLUMNS}
    row.update({k: none_if_na(v) for k, v in dict(claim).items()})
    for c in CLAIM_COLUMNS:
        if c not in NUMERIC_COLUMNS and row[c] is None:
            row[c] = ""
    return row


def _check_row(claim: dict) -> None:
    def fail(problem, expected):
        raise ClaimError(claim["claim"] or "?", claim["rule"], problem, expected)
    if claim["check"] not in ("",) + CHECKS:
        fail(f"check = {claim['check']!r}", f"one of {list(CHECKS)} or empty")
    if bool(claim["check"]) != bool(claim["rule"]):
        fail(f"check = {claim['check']!r} with rule {'given' if claim['rule'] else 'empty'}",
             "a rule exactly when check is set")
    if claim["rule_alt"] and not claim["rule"]:
        fail("rule_alt without rule", "a rule first, then its alternative reading")
    if claim["value"] is not None and claim["decimals"] is None:
        fail(f"value {claim['value']} without decimals", "the number of decimals printed")
    if claim["check"] == "recompute" and claim["value"] is None:
        fail("check 'recompute' but no printed value", "a value to compare with")


def _reading(data, claim: dict, rule: str, value=None) -> Reading:
    units = data.units_table
    try:
        printed = claim_term(claim, units, value=value, qualifiers=data.qualifier_table)
        ctx = Context(data, claim, rule, this=printed)
        result = run_rule(ctx, rule)
        pctx = Context(data, claim, rule, points=True, this=claim_term(claim, units, points=True, value=value,
                                                                   qualifiers=data.qualifier_table))
        at_points = run_rule(pctx, rule)
    except UnitError as exc:
        raise ClaimError(claim["claim"], rule, str(exc), "units that exist in units.csv") from None
    check, label = claim["check"], claim["rule_label"] or "the rule"
    notes = "".join(f" {n}." for n in dict.fromkeys(ctx.notes))
    trace = "; ".join(ctx.trace)
    if check == "condition":
        if not (result is None or isinstance(result, bool)):
            raise ctx.error(f"gives {result}", "a statement (check 'condition')")
        if result is None:
            why = ("; ".join(ctx.missing) if ctx.missing else "the intervals overlap at the printed precision")
            return Reading("unverifiable", f"Undetermined ({why}): {trace}.{notes}", shown=TRUTH_WORDS[None])
        if result:
            return Reading("reproduced", f"True for every value the printed numbers allow: {trace}.{notes}",
                           shown="true")
        return Reading("inconsistent", f"False for every value the printed numbers allow: {trace}. For the statement "
                                       f"to hold, these numbers would have to be otherwise.{notes}", shown="false")
    if isinstance(result, (WholeSet, FractionSet)):
        if check != "implies":
            raise ctx.error(f"gives {result}", "a number (check 'recompute')")
        return _implied_set(data, claim, rule, result, at_points, label, notes)
    if not isinstance(result, Term):
        raise ctx.error(f"gives {TRUTH_WORDS.get(result, result)}", f"a number (check '{check}')")
    same = printed if check == "recompute" else None  # an implied quantity has its own unit
    iv, piv = in_unit(ctx, same, result), in_unit(ctx, same, at_points)
    point = piv.lo if piv.is_point and iv.is_bounded else None
    shown = str(iv) if point is None or iv.is_point else f"{fmt(point)} (interval {iv})"
    if ctx.missing and not iv.is_bounded:
        return Reading("unverifiable", f"Undetermined: {'; '.join(ctx.missing)}.{notes}", iv, point, shown)
    if check == "implies":
        return Reading("implied", f"Implies {label}: {shown}; the report prints nothing to check it against.{notes}",
                       iv, point, shown)
    p_iv, d = printed.iv, int(claim["decimals"])
    said = f"printed {claim['printed']} stands for {p_iv}"
    if iv.is_point and p_iv.is_point and iv.lo == p_iv.lo:
        return Reading("reproduced", f"Recomputed {label}: {shown}; printed {claim['printed']}: equal.{notes}",
                       iv, point, shown)
    if iv.intersects(p_iv):
        exact_note = (f" At the printed inputs the value is {fmt(point)}, which prints as {claim['printed']}."
                      if point is not None and p_iv.contains(point) else "")
        return Reading("reproduced", f"Recomputed {label}: {shown}; {said}. The two overlap: a value consistent with "
                                     f"the printed inputs rounds to the printed one.{exact_note}{notes}",
                       iv, point, shown)
    gap = p_iv.lo - iv.hi if iv.hi <= p_iv.lo else iv.lo - p_iv.hi
    would = format_fixed(point, d) if point is not None else str(iv)
    return Reading("inconsistent", f"Recomputed {label}: {shown}; {said}. No value consistent with the printed inputs "
                                   f"rounds to the printed one (the intervals are {fmt(gap)} apart). For the claim to "
                                   f"hold the printed value would have to be {would}, or an input would have to "
                                   f"differ.{notes}", iv, point, shown)


def _implied_set(data, claim, rule, result, at_points, label, notes) -> Reading:
    at = f" (at the printed inputs {fmt(at_points.iv.lo)})" if at_points.iv.is_point else ""
    if isinstance(result, FractionSet):
        return Reading("implied", f"Implies {label}: {result}.{notes}", shown=str(result))
    if result.values:
        return Reading("implied", f"Implies {label} ∈ {result}{at}.{notes}", result.within, shown=str(result))
    nearest = _nearest_printed(data, claim, rule)
    tail = "; ".join(f"printed as {v} it would allow {', '.join(map(str, n))}" for v, n in nearest)
    tail = f" Nearest printed values that would work: {tail}." if tail else ""
    return Reading("inconsistent", f"No whole number lies in {result.within}{at}: {label} cannot be a whole number "
                                   f"with the printed figures.{tail}{notes}", result.within, shown=str(result))


def _nearest_printed(data, claim, rule, steps: int = 50) -> list[tuple[str, list[int]]]:
    """Step the printed value by its last digit, both ways, to the first value that allows a whole number."""
    if claim["value"] is None:
        return []
    d, found = int(claim["decimals"]), []
    for direction in (1, -1):
        for k in range(1, steps + 1):
            v = exact(claim["value"]) + direction * k / exact(10 ** d)
            if v <= 0:
                break
            ctx = Context(data, claim, rule, this=claim_term(claim, data.units_table, value=v,
                                                                          qualifiers=data.qualifier_table))
            result = run_rule(ctx, rule)
            if isinstance(result, WholeSet) and result.values:
                found.append((f"{format_fixed(v, d)}{claim['unit']}", result.values))
                break
    return found


def _evaluate(data, claim: Mapping) -> tuple[dict, Reading | None, Reading | None]:
    claim = normalise(claim)
    _check_row(claim)
    if not claim["rule"]:
        why = UNVERIFIABLE_WHY.get(claim["kind"], UNVERIFIABLE_DEFAULT)
        return {"verdict": "unverifiable", "recomputed": "", "recomputed_alt": "", "verdict_rule": "",
                "verdict_alt": "", "reading": "", "explanation": why}, None, None
    main = _reading(data, claim, claim["rule"])
    alt = _reading(data, claim, claim["rule_alt"]) if claim["rule_alt"] else None
    out = {"verdict": main.verdict, "recomputed": main.shown, "recomputed_alt": alt.shown if alt else "",
           "verdict_rule": main.verdict, "verdict_alt": alt.verdict if alt else "",
           "reading": "rule" if main.verdict in ("reproduced", "implied") else "", "explanation": main.text}
    if alt is not None:
        readings = [("rule", main), ("rule_alt", alt)]
        out["verdict"] = min(main.verdict, alt.verdict, key=RANK.get)
        names = next((ns for level in ("reproduced", "implied")
                      if (ns := [n for n, r in readings if r.verdict == level])), [])
        both_implied = len(names) == 2 and main.verdict == "implied"
        out["reading"] = "undecided" if both_implied else ("both" if len(names) == 2 else (names[0] if names else ""))
        verdict_text = {"undecided": "The data cannot decide between the two readings.",
                        "both": "The data support both readings.", "rule": "The data support the first reading only.",
                        "rule_alt": "The data support the second reading only.",
                        "": "The data support neither reading."}[out["reading"]]
        out["explanation"] = f"Reading 1 (rule): {main.text} Reading 2 (rule_alt): {alt.text} {verdict_text}"
    return out, main, alt


def evaluate(data, claim: Mapping) -> dict:
    """Verdict, recomputed value and explanation of one claim (a registry row or a synthetic dict)."""
    return _evaluate(data, claim)[0]


def registry(data) -> pd.DataFrame:
    """The claims registry of a dataset (data/claims.csv, validated by load())."""
    if "claims" not in data.tables:
        raise AnalysisError(f"no 'claims' resource in {data.data_dir}/datapackage.json")
    return data.tables["claims"]


def audit(data, claims: pd.DataFrame | list[Mapping] | None = None) -> pd.DataFrame:
    """One row per claim: the registry columns, verdict, recomputed, explanation (and the alternative reading)."""
    table = registry(data) if claims is None else pd.DataFrame(claims)
    results = [evaluate(data, row) for row in table.to_dict("records")]
    front = table[[c for c in table.columns if c not in ("source_file",)]].reset_index(drop=True)
    return pd.concat([front, pd.DataFrame(results)], axis=1)


def summary(audit_df: pd.DataFrame, by: str = "section") -> pd.DataFrame:
    """Counts of claims per verdict (columns) and per section (rows; or ``by`` another column), margins 'all'."""
    order = [s for s in SECTIONS if s in set(audit_df[by])] + sorted(set(audit_df[by]) - set(SECTIONS))
    table = pd.crosstab(audit_df[by], audit_df["verdict"]).reindex(index=order, columns=list(VERDICTS), fill_value=0)
    table["all"] = table.sum(axis=1)
    table.loc["all"] = table.sum()  # not 'total': that is also a kind of claim
    table.index.name, table.columns.name = by, "verdict"
    return table


def compare_printed(data, table_no: int, lang: str = "zh") -> pd.DataFrame:
    """The derived numbers of a report table (表1 growth, 表4 totals, 表5 shares …), printed next to recomputed."""
    check_lang(lang)
    if table_no not in (1, 2, 3, 4, 5):
        raise AnalysisError(f"table_no = {table_no!r}: expected one of 1, 2, 3, 4, 5")
    reg = registry(data)
    rows = []
    for claim in reg[(reg["source"] == f"表{table_no}") & (reg["check"] == "recompute")].to_dict("records"):
        claim = normalise(claim)
        _, main, _ = _evaluate(data, claim)
        d = int(claim["decimals"])
        rounded = format_fixed(main.point, d) if main.point is not None else str(main.interval)
        rows.append({"claim": claim["claim"], "statement": claim[lang_column("statement", lang)], "printed": claim["printed"],
                     "recomputed": rounded, "exact": float(main.point) if main.point is not None else math.nan,
                     "interval": str(main.interval), "agree": main.verdict == "reproduced"})
    return pd.DataFrame(rows, columns=["claim", "statement", "printed", "recomputed", "exact", "interval", "agree"])
