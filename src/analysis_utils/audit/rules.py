"""The rule language of the claims audit: a claim's ``rule``, parsed with ``ast`` and evaluated by a whitelist.

A rule is a small expression, never passed to ``eval``: numbers, strings, ``this`` (the claim's own printed
value as an interval), + - * /, comparisons, and/or/not, and calls of the helpers in ``HELPERS`` (``obs``,
``growth``, ``share``, ``total`` …). Every value is an interval (intervals.py) tagged with its unit; adding or
comparing converts units of one dimension (万元 with 亿元) and refuses different dimensions. ``run_rule``
gives a Term, a WholeSet or FractionSet, or a statement (True / False / None); claims.py turns that into
a verdict. Every failure is a ClaimError naming the claim and the rule.
"""
from __future__ import annotations

import ast
import functools
import inspect
import re
from dataclasses import dataclass, field
from typing import Any, Mapping

import pandas as pd

from analysis_utils.audit.intervals import (
    Interval,
    compare,
    exact,
    fmt,
    fractions_in,
    printed_interval,
    tri_and,
    tri_not,
    tri_or,
    whole_numbers_in,
)
from analysis_utils.data.qualifiers import packaged_qualifiers
from analysis_utils.data.validate import NON_NEGATIVE_DIMENSIONS, WHOLE_DIMENSIONS
from analysis_utils.errors import AnalysisError, ClaimError, IntervalError, UnitError

GRAMMAR = ("an expression of numbers, 'strings', this, + - * /, comparisons, and/or/not and calls of "
           "obs, growth, share, ratio, cagr, total, printed, count_where, count_entities, count_items, "
           "first_year, last_year, lower, upper, whole_in, fractions")


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
        shown = "{" + ", ".join(map(str, self.values)) + "}" if self.values else "∅"
        return f"ℤ ∩ {self.within} = {shown}"  # symbols only: readers see it in either language


@dataclass(frozen=True)
class FractionSet:
    """Count pairs n of N (N up to a limit) whose ratio rounds to the printed share."""

    pairs: list[tuple[int, int]]
    max_denominator: int

    def __str__(self) -> str:
        shown = ", ".join(f"{n}/{d}" for n, d in self.pairs) or "∅"
        return f"{shown} (N ≤ {self.max_denominator})"


@dataclass(frozen=True)
class Step:
    """One comparison a rule made, for the reader's trace: ``a op b`` and its three-valued result (narrate.py
    words it in zh or en: '74 家 < 1641 家 ✓' / '74 establishments < 1641 establishments ✓')."""

    a: Term
    op: str
    b: Term
    result: bool | None

    def __str__(self) -> str:
        return f"{self.a} {self.op} {self.b} {TRUTH_MARKS[self.result]}"


def printed_fields(row: Mapping) -> dict:
    """The fields of an observation row a sentence needs to quote its printed value in either language
    (report.printed.printed_text): printed, printed_value, qualifier, value_high, unit."""
    return {"printed": row["printed"], "printed_value": none_if_na(row["value"]), "qualifier": none_if_na(row["qualifier"]) or "",
            "value_high": none_if_na(row.get("value_high")), "unit": none_if_na(row["unit"]) or ""}


@dataclass
class Context:
    """What a rule can see: the data, the claim, and whether observations are intervals or printed points."""

    data: Any
    claim: Mapping
    rule: str
    points: bool = False
    this: Term | None = None
    trace: list[Step] = field(default_factory=list)
    notes: list[tuple[str, dict]] = field(default_factory=list)    # (catalogue key, fields)
    missing: list[tuple[str, dict]] = field(default_factory=list)  # (catalogue key, fields)
    qualifiers: list[str] = field(default_factory=list)  # of each printed number obs() or printed() read ('' plain)

    def error(self, problem: str, expected: str) -> ClaimError:
        """A ClaimError naming this claim and its rule."""
        return ClaimError(self.claim.get("claim", "?"), self.rule, problem, expected)


# --- intervals of printed values ---------------------------------------------------------
def printed_decimals(printed: str, value) -> int:
    """Decimals of ``value`` as printed in ``printed`` ('26.97' → 2); from the value if not found."""
    for token in re.findall(r"\d+(?:\.\d+)?", printed or ""):
        if exact(token) == exact(value):
            return len(token.partition(".")[2])
    return len(fmt(value, 15).partition(".")[2])


def value_interval(value, decimals, qualifier, value_high, unit, units, points=False, qualifiers=None) -> Interval:
    """A printed value as an interval (intervals.printed_interval with the meanings of ``qualifiers``, a
    data.qualifiers.QualifierTable; default the packaged one). A plain count printed whole, or a printed
    0 of a non-negative quantity, is exact; with ``points`` every value is its printed point (a range its ends)."""
    table = packaged_qualifiers() if qualifiers is None else qualifiers
    kind = table.kind(qualifier) if qualifier in table else None  # unknown: printed_interval names it
    if kind == "missing" or value is None:
        return Interval.unknown()
    if points:
        return Interval(value, value_high) if kind == "range" else Interval.point(value)
    whole = False
    if unit:
        dim = units.dimension(unit)
        whole = ((dim in WHOLE_DIMENSIONS and units.factors[unit] == 1 and float(value).is_integer())
                 or (value == 0 and dim in NON_NEGATIVE_DIMENSIONS))
    return printed_interval(value, int(decimals), qualifier, value_high, exact_value=whole, qualifiers=table)


def none_if_na(x):
    """None for a missing cell (None, NaN); any other value as it is."""
    return None if x is None or (not isinstance(x, str) and pd.isna(x)) else x


def observation_term(ctx: Context, row) -> Term:
    """An observation row as the interval its printing allows (qualifier, printed decimals), tagged with its unit."""
    value = none_if_na(row["value"])
    decimals = printed_decimals(row["printed"], value) if value is not None else 0
    iv = value_interval(value, decimals, row["qualifier"], none_if_na(row["value_high"]), row["unit"],
                        ctx.data.units_table, ctx.points, ctx.data.qualifier_table)
    return Term(iv, row["unit"])


def claim_term(claim: Mapping, units, points: bool = False, value=None, qualifiers=None) -> Term | None:
    """A claim's own printed value (``this``) as an interval at its printed precision, or None when it prints no number; ``points`` reads it as exact."""
    value = none_if_na(claim.get("value")) if value is None else value
    if value is None:
        return None
    decimals = none_if_na(claim.get("decimals"))
    iv = value_interval(value, 0 if decimals is None else decimals, claim.get("qualifier", ""),
                        none_if_na(claim.get("value_high")), claim.get("unit") or None, units, points, qualifiers)
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


def in_unit(ctx: Context, printed: Term | None, result: Term) -> Interval:
    """The result's interval in the printed value's unit (as it is when nothing is printed)."""
    return result.iv if printed is None else _unify(ctx, printed, result, "compare")[1]


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
    if ctx.data.qualifier_table.kind(row["qualifier"]) == "missing":
        ctx.missing.append(("note.printed_dash", {"entity": entity, "indicator": indicator, "year": int(row["year"])}))
    ctx.qualifiers.append(none_if_na(row["qualifier"]) or "")
    term = observation_term(ctx, row)
    return Term(_unify(ctx, Term(Interval.point(1), unit), term, "convert")[1], unit) if unit else term


def h_growth(ctx, a, b) -> Term:
    """Growth from a to b in %: 100 × (b / a − 1), b converted to a's unit (表1's 年度增长率)."""
    base, new, _ = _unify(ctx, _term(ctx, a), _term(ctx, b), "compare")
    return Term((new / base - 1) * 100, "%")


def h_share(ctx, part, whole) -> Term:
    """100 × part / whole, the part converted to the whole's unit."""
    w, p, _ = _unify(ctx, _term(ctx, whole), _term(ctx, part), "divide")
    return Term(p / w * 100, "%")


def h_ratio(ctx, a, b) -> Term:
    """a / b as a pure number (no unit conversion: use share for parts of a whole)."""
    return Term(_term(ctx, a).iv / _term(ctx, b).iv)


def h_cagr(ctx, a, b, years) -> Term:
    """Compound annual growth in %: 100 × ((b / a)^(1/years) − 1), computed on the intervals."""
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
        try:  # Dataset.observation: the same row (latest year when year is None) by its index, not a filter
            row = ctx.data.observation(entity, indicator, year)
        except AnalysisError:
            raise ctx.error(f"no observation of {indicator!r} for {entity!r}", f"one for every {level} under {parent}") from None
        yield entity, row, observation_term(ctx, row)


def h_total(ctx, indicator, level="makerspace", parent="武昌区", year=None, exact=False) -> Term:
    """Sum over the entities of a level; values printed '-' are left out (as a printed total does) and noted.

    ``exact=True`` is the strict reading of a table that prints amounts to two decimals and drops trailing
    zeros (表4): every cell is the exact amount printed ('23' is 23.00), so the total is their exact sum.
    By default each cell stands for every value that rounds to it at its own printed decimals."""
    total = None
    for entity, row, term in _member_terms(ctx, indicator, level, parent, year):
        if exact and ctx.data.qualifier_table.kind(row["qualifier"]) != "missing":
            term = Term(Interval.point(row["value"]), term.unit)
        if ctx.data.qualifier_table.kind(row["qualifier"]) == "missing":
            ctx.notes.append(("note.left_out", {"entity": entity}))
            continue
        if total is None:
            total = term
        else:
            x, y, unit = _unify(ctx, total, term, "add")
            total = Term(x + y, unit)
    return total if total is not None else Term(Interval.unknown())


def h_printed(ctx, claim) -> Term:
    """Another claim's printed number, as the interval its printing allows (a number printed again elsewhere:
    二2's 1683.07 restates 表4's total). ClaimError if no claim of that id prints a number."""
    table = ctx.data.tables.get("claims")
    rows = table[table["claim"] == claim] if table is not None else []
    if len(rows) == 0:
        raise ctx.error(f"printed(): no claim {claim!r}", "the id of a claim in claims.csv")
    term = claim_term(rows.iloc[0].to_dict(), ctx.data.units_table, points=ctx.points,
                      qualifiers=ctx.data.qualifier_table)
    if term is None:
        raise ctx.error(f"printed(): claim {claim!r} prints no number", "a claim with a value")
    ctx.qualifiers.append(none_if_na(rows.iloc[0]["qualifier"]) or "")
    return term


def h_count_where(ctx, indicator, op, value, level="makerspace", parent="武昌区", year=None) -> Term:
    """How many entities satisfy ``indicator op value``: [certain, certain + undetermined]."""
    sure = maybe = 0
    for entity, row, term in _member_terms(ctx, indicator, level, parent, year):
        verdict = compare(term.iv, op, _term(ctx, value).iv)
        sure += verdict is True
        if verdict is None:
            maybe += 1
            ctx.notes.append(("note.may_or_may_not", {"entity": entity, "indicator": indicator, "op": op,
                                                      "value": value, **printed_fields(row)}))
    return Term(Interval(sure, sure + maybe))


def h_count_entities(ctx, level, parent="武昌区") -> Term:
    """How many entities of ``level`` under ``parent`` entities.csv holds (the 11 makerspaces of 表4)."""
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
    """The first year of a series (表1 starts in 2011)."""
    return Term(Interval.point(int(min(_years(ctx, entity, indicator)))))


def h_last_year(ctx, entity, indicator) -> Term:
    """The last year of a series."""
    return Term(Interval.point(int(max(_years(ctx, entity, indicator)))))


def _bound(ctx, x, side: str, where: str) -> Term:
    t = _term(ctx, x)
    end = t.iv.lo if side == "lower" else t.iv.hi
    if isinstance(end, float):
        raise ctx.error(f"{t} has no {side} bound", f"an interval bounded {where}")
    return Term(Interval.point(end), t.unit)


def h_lower(ctx, x) -> Term:
    """The lower end of an interval as a point (ClaimError if it is unbounded below)."""
    return _bound(ctx, x, "lower", "below")


def h_upper(ctx, x) -> Term:
    """The upper end of an interval as a point (ClaimError if it is unbounded above)."""
    return _bound(ctx, x, "upper", "above")


def h_whole_in(ctx, x):
    """The whole numbers within an implied interval (a total behind a printed share), as a WholeSet."""
    t = _term(ctx, x)
    return t if ctx.points else WholeSet(whole_numbers_in(t.iv), t.iv)


def h_fractions(ctx, percent, max_denominator=100):
    """The count pairs n of N (N ≤ max_denominator) whose ratio rounds to the printed share, as a FractionSet."""
    t = _term(ctx, percent)
    return t if ctx.points else FractionSet(fractions_in(t.iv / 100, int(max_denominator)), int(max_denominator))


HELPERS = {"obs": h_obs, "growth": h_growth, "share": h_share, "ratio": h_ratio, "cagr": h_cagr,
           "total": h_total, "printed": h_printed, "count_where": h_count_where, "count_entities": h_count_entities,
           "count_items": h_count_items, "first_year": h_first_year, "last_year": h_last_year,
           "lower": h_lower, "upper": h_upper, "whole_in": h_whole_in, "fractions": h_fractions}


# --- the rule language -------------------------------------------------------------------
_ARITH = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/"}
_CMP = {ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=", ast.Eq: "==", ast.NotEq: "!="}
TRUTH_WORDS = {True: "true", False: "false", None: "undetermined"}
TRUTH_MARKS = {True: "✓", False: "✗", None: "?"}  # in a trace, which readers see in either language


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
            ctx.trace.append(Step(a, op, b, results[-1]))
        return tri_and(*results)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in HELPERS:
        return _call(ctx, node)
    raise ctx.error(f"{ast.unparse(node)!r} ({type(node).__name__}) is not allowed", GRAMMAR)


WHOLE_ARGS = ("year", "years", "max_denominator")
TEXT_ARGS = ("entity", "indicator", "level", "parent", "op", "unit", "claim")
BOOL_ARGS = ("exact",)


@functools.lru_cache(maxsize=None)
def _signature(helper) -> inspect.Signature:
    """A helper's signature without its return annotation, once per function (inspect.signature is slow and
    an audit calls helpers thousands of times)."""
    return inspect.signature(helper).replace(return_annotation=inspect.Signature.empty)


def _call(ctx: Context, node: ast.Call):
    helper = HELPERS[node.func.id]
    if any(k.arg is None for k in node.keywords):
        raise ctx.error("**keyword unpacking is not allowed", GRAMMAR)
    def value(n):  # constants stay plain Python values, expressions are evaluated
        return n.value if isinstance(n, ast.Constant) else _eval(ctx, n)
    args, kwargs = [value(a) for a in node.args], {k.arg: value(k.value) for k in node.keywords}
    signature = _signature(helper)
    try:
        given = signature.bind(ctx, *args, **kwargs).arguments
    except TypeError as exc:
        raise ctx.error(f"{node.func.id}(): {exc}", node.func.id + str(signature).replace("(ctx, ", "(")) from None
    for name, x in given.items():
        if name in TEXT_ARGS and x is not None and not isinstance(x, str):
            raise ctx.error(f"{node.func.id}(): {name} = {x}", f"{name} as a quoted string")
        if name in BOOL_ARGS and not isinstance(x, bool):
            raise ctx.error(f"{node.func.id}(): {name} = {x}", f"{name} as True or False")
        if name in WHOLE_ARGS and x is not None and type(x) is not int:
            raise ctx.error(f"{node.func.id}(): {name} = {x}", f"{name} as a whole number")
    return helper(ctx, *args, **kwargs)


def _truth(ctx: Context, x) -> bool | None:
    if x is None or isinstance(x, bool):
        return x
    raise ctx.error(f"got {x} where a statement was needed", "a comparison (true, false or undetermined)")
