"""Claims audit: every numeric statement of the report (data/claims.csv), recomputed from the observations.

A claim's ``rule`` is a small expression, parsed with ``ast`` and evaluated by a whitelist (never ``eval``):
numbers, strings, ``this`` (the claim's own printed value as an interval), + - * /, comparisons,
and/or/not, and calls of the helpers in ``HELPERS`` (``obs``, ``growth``, ``share``, ``total`` …).
Every value is an interval (intervals.py) tagged with its unit; adding or comparing converts units of
one dimension (万元 with 亿元) and refuses different dimensions. ``check`` says what the rule gives:

recompute  the printed number itself → reproduced if the intervals meet, else inconsistent;
condition  a statement (True / False / None) → reproduced / inconsistent / unverifiable;
implies    what the number implies (an interval, whole numbers, count pairs) → implied, or
           inconsistent when no whole number is possible; no rule → unverifiable.
"""
from __future__ import annotations

import ast
import inspect
import math
import re
from dataclasses import dataclass, field
from typing import Any, Mapping

import pandas as pd

from analysis_utils.errors import AnalysisError, UnitError
from analysis_utils.intervals import (Interval, IntervalError, compare, exact, fmt, fractions_in, printed_interval,
                                      round_printed, tri_and, tri_not, tri_or, whole_numbers_in)
from analysis_utils.validate import NON_NEGATIVE_DIMENSIONS, WHOLE_DIMENSIONS

VERDICTS = ("reproduced", "inconsistent", "implied", "unverifiable")
CHECKS = ("recompute", "condition", "implies")
SECTIONS = ("一", "二", "三")
GRAMMAR = ("an expression of numbers, 'strings', this, + - * /, comparisons, and/or/not and calls of "
           "obs, growth, share, ratio, cagr, total, count_where, count_entities, count_items, "
           "first_year, last_year, lower, upper, whole_in, fractions")
UNVERIFIABLE_WHY = {
    "date": "A date of an outside event; the report prints nothing to check it against.",
    "plan": "A plan or target, not an outcome; the report prints nothing to check it against.",
    "label_count": "The label counts items that the report does not list; there is nothing to count.",
    "rank": "A national ranking; the report prints no other district's figure to check it against.",
}
UNVERIFIABLE_DEFAULT = "A figure printed only here; no other number in the report bears on it."


class ClaimError(AnalysisError):
    """Raised when a claim is malformed: a bad rule, a missing observation, a wrong kind of result."""

    def __init__(self, claim: str, rule: str, problem: str, expected: str):
        self.claim, self.rule, self.problem, self.expected = claim, rule, problem, expected
        super().__init__(str(self))

    def __str__(self) -> str:
        return f'claim "{self.claim}", rule `{self.rule}`: {self.problem}; expected {self.expected}'


@dataclass(frozen=True)
class Term:
    """A number as an interval, with its unit (None: a pure number, fits any unit)."""

    iv: Interval
    unit: str | None = None

    def __str__(self) -> str:
        return f"{self.iv}{'' if self.unit in (None, '') else ' ' + self.unit}"


@dataclass(frozen=True)
class WholeSet:
    """The whole numbers an implied quantity can be."""

    values: list[int]
    within: Interval

    def __str__(self) -> str:
        shown = "{" + ", ".join(map(str, self.values)) + "}" if self.values else "no whole number"
        return f"{shown} in {self.within}"


@dataclass(frozen=True)
class FractionSet:
    """Count pairs n of N (N up to a limit) whose ratio rounds to the printed share."""

    pairs: list[tuple[int, int]]
    max_denominator: int

    def __str__(self) -> str:
        shown = ", ".join(f"{n}/{d}" for n, d in self.pairs) or "none"
        return f"{shown} (N ≤ {self.max_denominator})"


@dataclass
class Context:
    """What a rule can see: the data, the claim, and whether observations are intervals or printed points."""

    data: Any
    claim: Mapping
    rule: str
    points: bool = False
    this: Term | None = None
    trace: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    def error(self, problem: str, expected: str) -> ClaimError:
        return ClaimError(self.claim.get("claim", "?"), self.rule, problem, expected)


# --- intervals of printed values ---------------------------------------------------------
def printed_decimals(printed: str, value) -> int:
    """Decimals of ``value`` as printed in ``printed`` ('26.97' → 2); from the value if not found."""
    for token in re.findall(r"\d+(?:\.\d+)?", printed or ""):
        if exact(token) == exact(value):
            return len(token.partition(".")[2])
    return len(fmt(value, 15).partition(".")[2])


def value_interval(value, decimals, qualifier, value_high, unit, units, points=False) -> Interval:
    """A printed value as an interval; a count printed whole, or a printed 0 of a non-negative quantity, is exact."""
    if qualifier == "missing" or value is None:
        return Interval.unknown()
    if points:
        return Interval(value, value_high) if qualifier == "range" else Interval.point(value)
    whole = False
    if unit:
        dim = units.dimension(unit)
        whole = ((dim in WHOLE_DIMENSIONS and units.factors[unit] == 1 and float(value).is_integer())
                 or (value == 0 and dim in NON_NEGATIVE_DIMENSIONS))
    return printed_interval(value, int(decimals), qualifier, value_high, exact_value=qualifier == "" and whole)


def _na(x):
    return None if x is None or (not isinstance(x, str) and pd.isna(x)) else x


def observation_term(ctx: Context, row) -> Term:
    value = _na(row["value"])
    decimals = printed_decimals(row["printed"], value) if value is not None else 0
    iv = value_interval(value, decimals, row["qualifier"], _na(row["value_high"]), row["unit"],
                        ctx.data.units_table, ctx.points)
    return Term(iv, row["unit"])


def claim_term(claim: Mapping, units, points: bool = False, value=None) -> Term | None:
    value = _na(claim.get("value")) if value is None else value
    if value is None:
        return None
    decimals = _na(claim.get("decimals"))
    iv = value_interval(value, 0 if decimals is None else decimals, claim.get("qualifier", ""),
                        _na(claim.get("value_high")), claim.get("unit") or None, units, points)
    return Term(iv, claim.get("unit") or None)


# --- units -------------------------------------------------------------------------------
def _unify(ctx: Context, a: Term, b: Term, action: str) -> tuple[Interval, Interval, str | None]:
    """Both intervals in a's unit (b converted); None-unit terms fit any unit."""
    if a.unit is None or b.unit is None or a.unit == b.unit:
        return a.iv, b.iv, a.unit or b.unit
    try:
        factor = ctx.data.units_table.factor(b.unit, a.unit)
    except UnitError as exc:
        raise ctx.error(f"cannot {action} {a} with {b}: {exc}", "quantities of one dimension") from None
    return a.iv, b.iv * exact(factor), a.unit


def _term(ctx: Context, x, what: str = "a number") -> Term:
    if isinstance(x, Term):
        return x
    if isinstance(x, (int, float)) and not isinstance(x, bool):
        return Term(Interval.point(x))
    raise ctx.error(f"got {x!r} where a number was needed", what)


# --- helpers a rule may call ---------------------------------------------------------------
def h_obs(ctx, entity, indicator, year=None, unit=None) -> Term:
    """One observation as an interval (the latest year when year is None), optionally converted to ``unit``."""
    try:
        row = ctx.data.observation(entity, indicator, year)
    except AnalysisError as exc:
        raise ctx.error(str(exc), "an observation (entity, indicator, year) present in observations.csv") from None
    if row["qualifier"] == "missing":
        ctx.missing.append(f"{entity} {indicator} {int(row['year'])} is printed '-'")
    term = observation_term(ctx, row)
    return Term(_unify(ctx, Term(Interval.point(1), unit), term, "convert")[1], unit) if unit else term


def h_growth(ctx, a, b) -> Term:
    base, new, _ = _unify(ctx, _term(ctx, a), _term(ctx, b), "compare")
    return Term((new / base - 1) * 100, "%")


def h_share(ctx, part, whole) -> Term:
    """100 × part / whole, the part converted to the whole's unit."""
    w, p, _ = _unify(ctx, _term(ctx, whole), _term(ctx, part), "divide")
    return Term(p / w * 100, "%")


def h_ratio(ctx, a, b) -> Term:
    return Term(_term(ctx, a).iv / _term(ctx, b).iv)


def h_cagr(ctx, a, b, years) -> Term:
    base, new, _ = _unify(ctx, _term(ctx, a), _term(ctx, b), "compare")
    return Term(((new / base).power(exact(1) / exact(years)) - 1) * 100, "%")


def _members(ctx, level, parent) -> list[str]:
    ent = ctx.data.entities
    names = ent.loc[(ent["level"] == level) & (ent["parent"] == parent), "entity"].tolist()
    if not names:
        raise ctx.error(f"no entity of level {level!r} under {parent!r}", "a level and parent present in entities.csv")
    return names


def _member_terms(ctx, indicator, level, parent, year):
    for entity in _members(ctx, level, parent):
        obs = ctx.data.observations
        rows = obs[(obs["entity"] == entity) & (obs["indicator"] == indicator)]
        if year is not None:
            rows = rows[rows["year"] == year]
        if rows.empty:
            raise ctx.error(f"no observation of {indicator!r} for {entity!r}", f"one for every {level} under {parent}")
        row = rows.sort_values("year").iloc[-1]
        yield entity, row, observation_term(ctx, row)


def h_total(ctx, indicator, level="makerspace", parent="武昌区", year=None) -> Term:
    """Sum over the entities of a level; values printed '-' are left out (as a printed total does) and noted."""
    total = None
    for entity, row, term in _member_terms(ctx, indicator, level, parent, year):
        if row["qualifier"] == "missing":
            ctx.notes.append(f"{entity} is printed '-' and left out of the sum")
            continue
        if total is None:
            total = term
        else:
            x, y, unit = _unify(ctx, total, term, "add")
            total = Term(x + y, unit)
    return total if total is not None else Term(Interval.unknown())


def h_count_where(ctx, indicator, op, value, level="makerspace", parent="武昌区", year=None) -> Term:
    """How many entities satisfy ``indicator op value``: [certain, certain + undetermined]."""
    sure = maybe = 0
    for entity, row, term in _member_terms(ctx, indicator, level, parent, year):
        verdict = compare(term.iv, op, _term(ctx, value).iv)
        sure += verdict is True
        if verdict is None:
            maybe += 1
            ctx.notes.append(f"{entity} ('{row['printed']}') may or may not have {indicator} {op} {value}")
    return Term(Interval(sure, sure + maybe))


def h_count_entities(ctx, level, parent="武昌区") -> Term:
    return Term(Interval.point(len(_members(ctx, level, parent))))


def h_count_items(ctx, group=None) -> Term:
    """Items listed in the claim's ``items`` column ('group:item; …'), all or one group."""
    items = [i.strip() for i in (ctx.claim.get("items") or "").split(";") if i.strip()]
    if not items:
        raise ctx.error("the claim lists no items", "items in the claim's 'items' column, separated by ';'")
    groups = [i.partition(":")[0] if ":" in i else None for i in items]
    return Term(Interval.point(len(items) if group is None else groups.count(str(group))))


def _years(ctx, entity, indicator) -> list[int]:
    obs = ctx.data.observations
    years = obs.loc[(obs["entity"] == entity) & (obs["indicator"] == indicator), "year"].tolist()
    if not years:
        raise ctx.error(f"no observation of {indicator!r} for {entity!r}",
                        "an entity and indicator in observations.csv")
    return years


def h_first_year(ctx, entity, indicator) -> Term:
    return Term(Interval.point(int(min(_years(ctx, entity, indicator)))))


def h_last_year(ctx, entity, indicator) -> Term:
    return Term(Interval.point(int(max(_years(ctx, entity, indicator)))))


def h_lower(ctx, x) -> Term:
    t = _term(ctx, x)
    if isinstance(t.iv.lo, float):
        raise ctx.error(f"{t} has no lower bound", "an interval bounded below")
    return Term(Interval.point(t.iv.lo), t.unit)


def h_upper(ctx, x) -> Term:
    t = _term(ctx, x)
    if isinstance(t.iv.hi, float):
        raise ctx.error(f"{t} has no upper bound", "an interval bounded above")
    return Term(Interval.point(t.iv.hi), t.unit)


def h_whole_in(ctx, x):
    t = _term(ctx, x)
    return t if ctx.points else WholeSet(whole_numbers_in(t.iv), t.iv)


def h_fractions(ctx, percent, max_denominator=100):
    t = _term(ctx, percent)
    return t if ctx.points else FractionSet(fractions_in(t.iv / 100, int(max_denominator)), int(max_denominator))


HELPERS = {"obs": h_obs, "growth": h_growth, "share": h_share, "ratio": h_ratio, "cagr": h_cagr,
           "total": h_total, "count_where": h_count_where, "count_entities": h_count_entities,
           "count_items": h_count_items, "first_year": h_first_year, "last_year": h_last_year,
           "lower": h_lower, "upper": h_upper, "whole_in": h_whole_in, "fractions": h_fractions}


# --- the rule language -------------------------------------------------------------------
_ARITH = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/"}
_CMP = {ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=", ast.Eq: "==", ast.NotEq: "!="}
_WORD = {True: "true", False: "false", None: "undetermined"}


def run_rule(ctx: Context, text: str):
    """Parse and evaluate one rule; every failure becomes a ClaimError naming the claim and the rule."""
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as exc:
        raise ctx.error(f"cannot be parsed ({exc.msg}, column {exc.offset})", GRAMMAR) from None
    try:
        return _eval(ctx, tree.body)
    except IntervalError as exc:
        raise ctx.error(str(exc), "arithmetic that is defined for the intervals involved") from None


def _eval(ctx: Context, node):
    if isinstance(node, ast.Constant) and type(node.value) in (int, float, str):
        return node.value if isinstance(node.value, str) else Term(Interval.point(node.value))
    if isinstance(node, ast.Name):
        if node.id != "this":
            raise ctx.error(f"unknown name {node.id!r}", "'this' or a call of a helper")
        if ctx.this is None:
            raise ctx.error("'this' is used but the claim prints no number", "a value in the claim's row")
        return ctx.this
    if isinstance(node, ast.BinOp) and type(node.op) in _ARITH:
        a, b, op = _term(ctx, _eval(ctx, node.left)), _term(ctx, _eval(ctx, node.right)), _ARITH[type(node.op)]
        if op in "+-":
            x, y, unit = _unify(ctx, a, b, "add" if op == "+" else "subtract")
            return Term(x + y if op == "+" else x - y, unit)
        return Term(a.iv * b.iv if op == "*" else a.iv / b.iv)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        t = _term(ctx, _eval(ctx, node.operand))
        return Term(-t.iv, t.unit) if isinstance(node.op, ast.USub) else t
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        return tri_not(_truth(ctx, _eval(ctx, node.operand)))
    if isinstance(node, ast.BoolOp):
        values = [_truth(ctx, _eval(ctx, v)) for v in node.values]
        return tri_and(*values) if isinstance(node.op, ast.And) else tri_or(*values)
    if isinstance(node, ast.Compare) and all(type(o) in _CMP for o in node.ops):
        terms = [_term(ctx, _eval(ctx, n)) for n in [node.left, *node.comparators]]
        results = []
        for a, op, b in zip(terms, [_CMP[type(o)] for o in node.ops], terms[1:]):
            x, y, _ = _unify(ctx, a, b, "compare")
            results.append(compare(x, op, y))
            ctx.trace.append(f"{a} {op} {b}: {_WORD[results[-1]]}")
        return tri_and(*results)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in HELPERS:
        return _call(ctx, node)
    raise ctx.error(f"{ast.unparse(node)!r} ({type(node).__name__}) is not allowed", GRAMMAR)


WHOLE_ARGS = ("year", "years", "max_denominator")
TEXT_ARGS = ("entity", "indicator", "level", "parent", "op", "unit")


def _call(ctx: Context, node: ast.Call):
    helper = HELPERS[node.func.id]
    if any(k.arg is None for k in node.keywords):
        raise ctx.error("**keyword unpacking is not allowed", GRAMMAR)
    def value(n):  # constants stay plain Python values, expressions are evaluated
        return n.value if isinstance(n, ast.Constant) else _eval(ctx, n)
    args, kwargs = [value(a) for a in node.args], {k.arg: value(k.value) for k in node.keywords}
    signature = inspect.signature(helper).replace(return_annotation=inspect.Signature.empty)
    try:
        given = signature.bind(ctx, *args, **kwargs).arguments
    except TypeError as exc:
        raise ctx.error(f"{node.func.id}(): {exc}", node.func.id + str(signature).replace("(ctx, ", "(")) from None
    for name, x in given.items():
        if name in TEXT_ARGS and x is not None and not isinstance(x, str):
            raise ctx.error(f"{node.func.id}(): {name} = {x}", f"{name} as a quoted string")
        if name in WHOLE_ARGS and x is not None and type(x) is not int:
            raise ctx.error(f"{node.func.id}(): {name} = {x}", f"{name} as a whole number")
    return helper(ctx, *args, **kwargs)


def _truth(ctx: Context, x) -> bool | None:
    if x is None or isinstance(x, bool):
        return x
    raise ctx.error(f"got {x} where a statement was needed", "a comparison (true, false or undetermined)")


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
    row.update({k: _na(v) for k, v in dict(claim).items()})
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


def _in_unit(ctx: Context, printed: Term | None, result: Term) -> Interval:
    return result.iv if printed is None else _unify(ctx, printed, result, "compare")[1]


def _reading(data, claim: dict, rule: str, value=None) -> Reading:
    units = data.units_table
    try:
        printed = claim_term(claim, units, value=value)
        ctx = Context(data, claim, rule, this=printed)
        result = run_rule(ctx, rule)
        pctx = Context(data, claim, rule, points=True, this=claim_term(claim, units, points=True, value=value))
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
            return Reading("unverifiable", f"Undetermined ({why}): {trace}.{notes}", shown=_WORD[None])
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
        raise ctx.error(f"gives {_WORD.get(result, result)}", f"a number (check '{check}')")
    same = printed if check == "recompute" else None  # an implied quantity has its own unit
    iv, piv = _in_unit(ctx, same, result), _in_unit(ctx, same, at_points)
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
    would = f"{float(round_printed(point, d)):.{d}f}" if point is not None else str(iv)
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
            ctx = Context(data, claim, rule, this=claim_term(claim, data.units_table, value=v))
            result = run_rule(ctx, rule)
            if isinstance(result, WholeSet) and result.values:
                found.append((f"{float(v):.{d}f}{claim['unit']}", result.values))
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
    if table_no not in (1, 2, 3, 4, 5):
        raise AnalysisError(f"table_no = {table_no!r}: expected one of 1, 2, 3, 4, 5")
    if lang not in ("zh", "en"):
        raise AnalysisError(f"lang = {lang!r}: expected one of 'zh', 'en'")
    reg = registry(data)
    rows = []
    for claim in reg[(reg["source"] == f"表{table_no}") & (reg["check"] == "recompute")].to_dict("records"):
        claim = normalise(claim)
        _, main, _ = _evaluate(data, claim)
        d = int(claim["decimals"])
        rounded = f"{float(round_printed(main.point, d)):.{d}f}" if main.point is not None else str(main.interval)
        rows.append({"claim": claim["claim"], "statement": claim[f"statement_{lang}"], "printed": claim["printed"],
                     "recomputed": rounded, "exact": float(main.point) if main.point is not None else math.nan,
                     "interval": str(main.interval), "agree": main.verdict == "reproduced"})
    return pd.DataFrame(rows, columns=["claim", "statement", "printed", "recomputed", "exact", "interval", "agree"])
