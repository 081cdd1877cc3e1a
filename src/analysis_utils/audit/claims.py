"""Claims audit: every printed statement of the report that asserts a relation between numbers (data/claims.csv).

A claim's ``rule`` is an expression of the rule language (rules.py): a whitelist evaluator over intervals
tagged with units. ``check`` says what the rule gives: ``recompute`` the printed number itself, ``condition``
a statement (true / false / undetermined), ``implies`` what the number implies (an interval, whole numbers,
count pairs). ``basis`` says what the verdict can rest on, and caps it (``CAPS``):

recomputed  computed from other printed numbers (2826 / 2154 − 1)        → at most reproduced
restated    the same number printed elsewhere (二2's 1683.07 = 表4's)       → at most reproduced
counted     items the report lists elsewhere, counted (表2's 11: 表4's rows) → at most reproduced
internal    only numbers or items printed in the same sentence (7 = 4 + 3,
            三区 and the three zones it names, 3.1% above 2.9%)             → at most consistent
compared    a direction against a number printed elsewhere (870 < 3715)    → at most consistent
bounded     only a bound follows (5.8% against R&D >200: above 5.38%)       → at most implied
derived     only what the number implies (129% growth → the base year)      → at most implied
none        nothing in the report bears on it (共53人, no breakdown)         → unverifiable

``internal`` is statcheck's internal consistency: numbers of one sentence that agree show the sentence coherent,
not true, so the check earns at most "consistent"; one that fails is "inconsistent". A restatement whose
qualifier differs from its source's (近1万 restating 表3's 约1万) is at most "consistent" too: two vague readings
that overlap do not reproduce one another (cap ``qualifier``).

"Reproduced" needs, besides, a strong check: the band of printed values the check accepts (strength.py) may
span at most ``BAND_LIMIT`` units of the last printed digit; a wider band gives "consistent", and a check that
accepts every printed value cannot refute anything: "unverifiable" (or "implied" for a derivation). A check
that fails is "inconsistent" whatever its basis. Rows without a basis are plain facts (dates, unlisted label
counts), not claims: with the observations no claim reads, they are ``not_checkable`` and not counted.
"""
from __future__ import annotations

import ast
import functools
import inspect
import math
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Mapping

import pandas as pd

from analysis_utils.audit.codes import BASES, VERDICTS  # importable from here too
from analysis_utils.audit.intervals import Interval, exact, fmt
from analysis_utils.audit.rules import (
    HELPERS,
    TRUTH_WORDS,
    Context,
    FractionSet,
    Term,
    WholeSet,
    claim_term,
    in_unit,
    none_if_na,
    run_rule,
)
from analysis_utils.audit.strength import BAND_LIMIT, Band, band
from analysis_utils.errors import (  # ClaimError: importable from here too
    AnalysisError,
    ClaimError,
    UnitError,
)
from analysis_utils.rounding import format_fixed


def on_report(func):
    """Judge on the report's own numbers (data.load.Dataset.report_view): a district, a year or a source a user
    adds never changes a verdict, a count or a plain fact. ``func``'s first argument is the Dataset."""
    @functools.wraps(func)
    def judged_on_report(data, *args, **kwargs):
        return func(data.report_view() if hasattr(data, "report_view") else data, *args, **kwargs)
    return judged_on_report

CHECKS = ("recompute", "condition", "implies")
CAPS = {"recomputed": "reproduced", "restated": "reproduced", "counted": "reproduced", "internal": "consistent",
        "compared": "consistent", "bounded": "implied", "derived": "implied", "none": "unverifiable"}
STRENGTHS = ("tight", "wide", "one_sided", "open")
SECTIONS = ("一", "二", "三")
READINGS = ("wording", "printing")

# --- one rule at one printed value ------------------------------------------------------------
CLAIM_COLUMNS = ["claim", "section", "source", "kind", "statement_zh", "statement_en", "printed", "value",
                 "value_high", "qualifier", "decimals", "unit", "items", "check", "basis", "rule", "rule_alt",
                 "readings", "rule_label", "rule_label_zh", "note"]
NUMERIC_COLUMNS = ("value", "value_high", "decimals")
ORDER = {v: i for i, v in enumerate(VERDICTS[:-1])}  # reproduced strongest … unverifiable weakest
RAW = {"agrees": "reproduced", "true": "reproduced", "implies": "implied", "whole": "implied", "fractions": "implied",
       "disagrees": "inconsistent", "false": "inconsistent", "no_whole": "inconsistent", "undetermined": "unverifiable"}


@dataclass
class Outcome:
    """A rule evaluated at one printed value: what it gave (``raw``, a key of RAW) and the numbers behind it."""

    raw: str
    interval: Interval | None = None
    point: Any = None
    printed: Interval | None = None
    result: Any = None
    trace: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    missing: list = field(default_factory=list)
    nearest: list = field(default_factory=list)  # for no_whole: (printed text, whole numbers) either side
    qualifiers: list = field(default_factory=list)  # of the printed numbers the rule read (rules.Context.qualifiers)


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
    if claim["basis"] not in ("",) + BASES:
        fail(f"basis = {claim['basis']!r}", f"one of {list(BASES)} or empty (a plain fact)")
    if claim["rule"] and not claim["basis"]:
        fail("a rule without a basis", f"a basis, one of {list(BASES)}")
    if claim["basis"] == "none" and claim["rule"]:
        fail("basis 'none' with a rule", "no rule: nothing in the report bears on the claim")
    if claim["rule_alt"] and not claim["rule"]:
        fail("rule_alt without rule", "a rule first, then its alternative reading")
    if claim["readings"] not in ("",) + READINGS or bool(claim["readings"]) and not claim["rule_alt"]:
        fail(f"readings = {claim['readings']!r}", f"one of {list(READINGS)}, and only with a rule_alt")
    if claim["value"] is not None and claim["decimals"] is None:
        fail(f"value {claim['value']} without decimals", "the number of decimals printed")
    if claim["check"] == "recompute" and claim["value"] is None:
        fail("check 'recompute' but no printed value", "a value to compare with")


@on_report
def outcome(data, claim: dict, rule: str, value=None, points: bool = True) -> Outcome:
    """Evaluate ``rule`` for ``claim`` (at printed value ``value``, default the claim's own).

    ``points`` also evaluates it at the printed inputs as points (the value shown to readers). Raises
    ClaimError for a rule that does not give what its check needs, or mixes units.
    """
    units, quals = data.units_table, data.qualifier_table
    try:
        printed = claim_term(claim, units, value=value, qualifiers=quals)
        ctx = Context(data, claim, rule, this=printed)
        result = run_rule(ctx, rule)
        at_points = None
        if points:
            at_points = run_rule(Context(data, claim, rule, points=True, this=claim_term(
                claim, units, points=True, value=value, qualifiers=quals)), rule)
    except UnitError as exc:
        raise ClaimError(claim["claim"], rule, str(exc), "units that exist in units.csv") from None
    out = Outcome("", printed=printed.iv if printed else None, trace=ctx.trace, notes=[n for i, n in enumerate(ctx.notes) if n not in ctx.notes[:i]],
                  missing=ctx.missing, qualifiers=list(dict.fromkeys(ctx.qualifiers)))
    check = claim["check"]
    if check == "condition":
        if not (result is None or isinstance(result, bool)):
            raise ctx.error(f"gives {result}", "a statement (check 'condition')")
        out.raw = {True: "true", False: "false", None: "undetermined"}[result]
        return out
    if isinstance(result, (WholeSet, FractionSet)):
        if check != "implies":
            raise ctx.error(f"gives {result}", "a number (check 'recompute')")
        out.result = result
        if isinstance(result, FractionSet):
            out.raw = "fractions"
        else:
            out.raw, out.interval = ("whole" if result.values else "no_whole"), result.within
            out.point = at_points.iv.lo if at_points is not None and at_points.iv.is_point else None
        return out
    if not isinstance(result, Term):
        raise ctx.error(f"gives {TRUTH_WORDS.get(result, result)}", f"a number (check '{check}')")
    same = printed if check == "recompute" else None  # an implied quantity has its own unit
    iv = in_unit(ctx, same, result)
    out.interval = iv
    if at_points is not None:
        piv = in_unit(ctx, same, at_points)
        out.point = piv.lo if piv.is_point and iv.is_bounded else None
    if ctx.missing and not iv.is_bounded:
        out.raw = "undetermined"
    elif check == "implies":
        out.raw = "implies"
    else:
        out.raw = "agrees" if iv.intersects(printed.iv) else "disagrees"
    return out


# --- strength and verdict of one reading ---------------------------------------------------------
def _floor(claim: dict):
    return 0 if claim["value"] is not None and claim["value"] > 0 and claim["kind"] != "growth" else None


def uses_this(rule: str) -> bool:
    """Whether a rule reads the claim's own printed number (``this``)."""
    return any(isinstance(n, ast.Name) and n.id == "this" for n in ast.walk(ast.parse(rule.strip(), mode="eval")))


@on_report
def claim_band(data, claim: dict, rule: str) -> Band | None:
    """The band of printed values ``rule`` does not refute (strength.band); None when nothing is printed.

    A recomputation that does not read ``this`` is evaluated once: a printed value v is accepted when the
    interval it stands for meets the recomputed one. Any other rule that does not read ``this`` cannot
    differ with the printed number: its band is open. A whole-number derivation accepts a scattered set of
    printed values: its band is the run of accepted values on the printing grid around the printed one.
    """
    if claim["value"] is None:
        return None
    d = int(claim["decimals"])
    if not uses_this(rule):
        if claim["check"] != "recompute":
            return Band(-math.inf, math.inf, Fraction(1, 10 ** d))
        recomputed = outcome(data, claim, rule, points=False).interval
        units, quals = data.units_table, data.qualifier_table

        def accepts(v) -> bool:
            return claim_term(claim, units, value=v, qualifiers=quals).iv.intersects(recomputed)
        return band(accepts, claim["value"], d, _floor(claim))

    def accepts(v) -> bool:  # noqa: F811 - the general case
        try:
            return RAW[outcome(data, claim, rule, value=v, points=False).raw] != "inconsistent"
        except ClaimError:  # e.g. a division by an interval holding 0: nothing refuted there
            return True
    return band(accepts, claim["value"], d, _floor(claim), grid="whole_in(" in rule)


def strength(b: Band | None) -> str:
    """'tight' (≤ BAND_LIMIT units), 'wide', 'one_sided' (unbounded on one side) or 'open'; '' without a band."""
    if b is None:
        return ""
    if b.bounded:
        return "tight" if b.width_units <= BAND_LIMIT else "wide"
    both = isinstance(b.low, float) and isinstance(b.high, float)
    return "open" if both else "one_sided"


def _weaker(a: str, b: str) -> str:
    return max(a, b, key=ORDER.get)


def qualifier_differs(claim: dict, out: Outcome) -> bool:
    """Whether a restatement qualifies its number otherwise than the number it restates (近1万 against 表3's
    约1万): any printed number its rule read carries another qualifier than the claim's own ('' for none)."""
    return claim["basis"] == "restated" and any(q != (claim["qualifier"] or "") for q in out.qualifiers)


@dataclass
class Judged:
    """One reading judged: its outcome, band, verdict and why it was capped ('' if not)."""

    outcome: Outcome
    band: Band | None
    verdict: str
    cap: str = ""


@on_report
def judge(data, claim: dict, rule: str) -> Judged:
    """The verdict of one reading: the rule's outcome, capped by the claim's basis and the strength of its check."""
    out = outcome(data, claim, rule)
    if out.raw == "no_whole":
        out.nearest = _nearest_printed(data, claim, rule)
    b = claim_band(data, claim, rule)
    raw = RAW[out.raw]
    if raw in ("inconsistent", "unverifiable"):
        return Judged(out, b, raw)
    verdict, cap = _weaker(raw, CAPS[claim["basis"]]), ""
    if verdict != raw:
        cap = claim["basis"]
    if qualifier_differs(claim, out) and ORDER[verdict] < ORDER["consistent"]:
        verdict, cap = "consistent", "qualifier"  # two vague readings that overlap reproduce nothing
    if strength(b) == "open" and claim["check"] != "implies" and ORDER[verdict] < ORDER["unverifiable"]:
        verdict, cap = "unverifiable", "open"
    elif verdict == "reproduced" and b is not None and b.width_units > BAND_LIMIT:
        verdict, cap = "consistent", "wide"
    return Judged(out, b, verdict, cap)


def _nearest_printed(data, claim, rule, steps: int = 50) -> list[tuple[Fraction, list[int]]]:
    """Step the printed value by its last digit, both ways, to the first value that allows a whole number:
    (that printed value, the whole numbers it allows) per direction (narrate.py quotes it in either language)."""
    d, found = int(claim["decimals"]), []
    for direction in (1, -1):
        for k in range(1, steps + 1):
            v = exact(claim["value"]) + direction * k / exact(10 ** d)
            if v <= 0:
                break
            result = outcome(data, claim, rule, value=v, points=False).result
            if isinstance(result, WholeSet) and result.values:
                found.append((v, result.values))
                break
    return found


# --- a claim: one or two readings ----------------------------------------------------------------------
def _combine(claim: dict, main: Judged, alt: Judged | None) -> tuple[str, str]:
    """(verdict, reading): which reading decides. Printing: the strict reading (rule) always: the table's
    convention is a property of the whole table (表4's three totals are the exact sums of their printed cells),
    the loose verdict is shown beside it. Wording: a refuted reading drops out; else the verdict that holds
    under both."""
    if alt is None:
        return main.verdict, ""
    m, a = main.verdict, alt.verdict
    if claim["readings"] == "printing":
        return m, "printing"
    if m == "inconsistent" and a == "inconsistent":
        return "inconsistent", "neither"
    if m == "inconsistent" or a == "inconsistent":
        return (a, "rule_alt") if m == "inconsistent" else (m, "rule")
    weaker = _weaker(m, a)
    return weaker, ("undecided" if m == a == "implied" else "both")


def _hull(a: Band | None, b: Band | None) -> Band | None:
    if a is None or b is None:
        return a or b
    return Band(min(a.low, b.low), max(a.high, b.high), a.unit)


@dataclass
class Judgement:
    """One claim judged: the normalised registry row, each reading's Judged (``alt`` None for one reading), the
    claim's verdict, which reading decides (``reading``, '' for one) and the band of printed values its check
    accepts. report.narrate words it; nothing there changes a verdict."""

    claim: dict
    main: Judged | None
    alt: Judged | None
    verdict: str
    reading: str
    band: Band | None


@on_report
def judgement(data, claim: Mapping) -> Judgement:
    """The Judgement of one claim (a registry row or a dict). Raises ClaimError for a malformed claim or rule."""
    claim = normalise(claim)
    _check_row(claim)
    if not claim["rule"]:
        return Judgement(claim, None, None, "unverifiable", "", None)
    main = judge(data, claim, claim["rule"])
    alt = judge(data, claim, claim["rule_alt"]) if claim["rule_alt"] else None
    verdict, reading = _combine(claim, main, alt)
    b = main.band if claim["readings"] == "printing" else _hull(main.band, alt.band if alt else None)
    return Judgement(claim, main, alt, verdict, reading, b)


def result_row(j: Judgement) -> dict:
    """The result columns audit() adds (AUDIT_COLUMNS) of one Judgement, as a dict."""
    main, alt, b = j.main, j.alt, j.band
    out = {"verdict": j.verdict, "basis": j.claim["basis"], "recomputed": "", "recomputed_alt": "",
           "verdict_rule": "", "verdict_alt": "", "reading": j.reading, "band_low": math.nan, "band_high": math.nan,
           "band_units": math.nan, "strength": ""}
    if main is not None:
        out |= {"recomputed": _shown(main.outcome), "verdict_rule": main.verdict,
                "recomputed_alt": _shown(alt.outcome) if alt else "", "verdict_alt": alt.verdict if alt else "",
                "strength": strength(b)}
    if b is not None:
        out |= {"band_low": float(b.low), "band_high": float(b.high), "band_units": b.width_units}
    return out


def _shown(o: Outcome) -> str:
    if o.raw in ("true", "false", "undetermined") and o.interval is None:
        return {"true": "✓", "false": "✗", "undetermined": "?"}[o.raw]
    if o.result is not None:
        return str(o.result)
    iv = o.interval
    return str(iv) if o.point is None or iv.is_point else f"{fmt(o.point)} {iv}"


@on_report
def evaluate(data, claim: Mapping) -> dict:
    """Verdict, basis, band and recomputed value of one claim (a registry row or a dict): the columns audit() adds.

    Raises ClaimError for a malformed claim or rule.
    """
    return result_row(judgement(data, claim))


def registry(data) -> pd.DataFrame:
    """The registry of a dataset (data/claims.csv, validated by load()): claims and plain facts."""
    if "claims" not in data.tables:
        raise AnalysisError(f"no 'claims' resource in {data.data_dir}/datapackage.json")
    return data.tables["claims"]


def claims_only(table: pd.DataFrame) -> pd.DataFrame:
    """The rows of a registry that are claims (a basis given); plain facts (no basis) left out."""
    basis = table["basis"] if "basis" in table else pd.Series("", index=table.index)
    return table[basis.fillna("").astype(str) != ""]


@on_report
def judgements(data, claims: pd.DataFrame | list[Mapping] | None = None,
               at: list[str] | None = None) -> tuple[pd.DataFrame, list[Judgement]]:
    """The claims to judge (the registry's claims, plain facts left out; ``at``: only those printed at these
    report locations, ['表2']) and the Judgement of each, in the frame's order. ClaimError for a malformed claim."""
    table = claims_only(registry(data) if claims is None else pd.DataFrame(claims))
    if at is not None:
        table = table[table["source"].isin(at)]
    table = table.reset_index(drop=True)
    return table, [judgement(data, row) for row in table.to_dict("records")]


def audit(data, claims: pd.DataFrame | list[Mapping] | None = None, at: list[str] | None = None,
          judged: tuple[pd.DataFrame, list[Judgement]] | None = None) -> pd.DataFrame:
    """One row per claim (plain facts left out): the registry columns but source_file, then verdict, basis,
    recomputed (and _alt), verdict_rule, verdict_alt, reading, band_low, band_high (printed values the check
    accepts, in the claim's unit; ±inf unbounded, NaN without a printed number), band_units (its width in units
    of the last printed digit), strength (STRENGTHS). Codes and numbers only: report.narrate adds the
    explanation in words.

    ``at``: only the claims printed at these report locations (['表2']), for a page that shows those alone;
    each claim is judged exactly as in the full audit (the check reads the data, not the other claims' rows).
    ``judged``: judgements()'s result, when the caller has it already.

    Raises ClaimError for a malformed claim.
    """
    table, found = judged if judged is not None else judgements(data, claims, at)
    front = table[[c for c in table.columns if c not in ("source_file", "basis")]]
    return pd.concat([front, pd.DataFrame([result_row(j) for j in found], columns=AUDIT_COLUMNS)], axis=1)


AUDIT_COLUMNS = ["verdict", "basis", "recomputed", "recomputed_alt", "verdict_rule", "verdict_alt", "reading",
                 "band_low", "band_high", "band_units", "strength"]


def summary(audit_df: pd.DataFrame, by: str = "section") -> pd.DataFrame:
    """Counts of claims per verdict (columns, VERDICTS order) and per section (rows; or ``by`` another column,
    e.g. 'basis'), margins 'all'. Plain facts are not claims and are never counted."""
    known = [s for s in (SECTIONS if by == "section" else BASES if by == "basis" else ()) if s in set(audit_df[by])]
    order = known + sorted(set(audit_df[by]) - set(known))
    table = pd.crosstab(audit_df[by], audit_df["verdict"]).reindex(index=order, columns=list(VERDICTS), fill_value=0)
    table["all"] = table.sum(axis=1)
    table.loc["all"] = table.sum()  # not 'total': that is also a kind of claim
    table.index.name, table.columns.name = by, "verdict"
    return table


@on_report
def inputs(data) -> set[tuple[str, str, int]]:
    """(entity, indicator, year) of every observation some claim's rule (or rule_alt) reads."""
    obs, ent = data.observations, data.entities
    found: set[tuple[str, str, int]] = set()

    def series(e, i, year=None):
        years = obs.loc[(obs["entity"] == e) & (obs["indicator"] == i), "year"]
        if len(years):
            found.add((e, i, int(year if year is not None else years.max())))

    for rule in list(registry(data)["rule"].fillna("")) + list(registry(data)["rule_alt"].fillna("")):
        if not rule:
            continue
        for node in ast.walk(ast.parse(rule, mode="eval")):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id in ("obs", "total", "count_where")):
                continue
            try:  # the helper's arguments by name, as the rule passes them (by position or keyword) or by default
                call = inspect.signature(HELPERS[node.func.id]).bind(
                    None, *[a.value if isinstance(a, ast.Constant) else None for a in node.args],
                    **{k.arg: k.value.value if isinstance(k.value, ast.Constant) else None for k in node.keywords})
            except TypeError:
                continue  # a call the helper refuses reads nothing (run_rule names the error)
            call.apply_defaults()
            a = call.arguments
            if node.func.id == "obs":
                series(a["entity"], a["indicator"], a["year"])
            else:  # each member's row of that year, or its latest (rules._member_terms)
                for e in ent.loc[(ent["level"] == a["level"]) & (ent["parent"] == a["parent"]), "entity"]:
                    series(e, a["indicator"], a["year"])
    return found


FACT_REASONS = ("date", "unlisted", "plain", "not_printed")  # why a plain fact is no claim: catalogue fact.<code>


@on_report
def not_checkable(data) -> pd.DataFrame:
    """The plain facts of the report, which are not claims and get no verdict: the registry's rows without a
    basis (dates, unlisted label counts) and every observation no claim reads (nor is a claim's own number).

    Columns: source (the report's location), printed, claim (the registry id; '' for an observation), entity,
    indicator (an observation's codes; '' for a registry row), statement_zh, statement_en (a registry row's
    statement; '' for an observation), why (FACT_REASONS: a date, an unlisted label count, a plain number, a
    cell the report leaves blank '-'). report.audit_views words them.
    """
    reg = registry(data)
    facts = reg[reg["basis"].fillna("") == ""]
    rows = [{"source": r["source"], "printed": r["printed"], "claim": r["claim"], "entity": "", "indicator": "",
             "statement_zh": r["statement_zh"], "statement_en": r["statement_en"],
             "why": "date" if r["kind"] == "date" else "unlisted" if r["kind"] == "label_count" else "plain"}
            for r in facts.to_dict("records")]
    used = inputs(data)
    claimed = set(zip(reg.loc[reg["basis"].fillna("") != "", "source"], reg.loc[reg["basis"].fillna("") != "", "printed"]))
    for r in data.observations.to_dict("records"):
        if (r["entity"], r["indicator"], int(r["year"])) in used or (r["source"], r["printed"]) in claimed:
            continue  # an input of a claim, or the claim's own number (表2's 18 per 万人 implies a stock)
        blank = data.qualifier_table.kind(r["qualifier"] or "") == "missing"  # printed "-": no number at all
        rows.append({"source": r["source"], "printed": r["printed"], "claim": "", "entity": r["entity"],
                     "indicator": r["indicator"], "statement_zh": "", "statement_en": "",
                     "why": "not_printed" if blank else "plain"})
    return pd.DataFrame(rows, columns=FACT_COLUMNS)


FACT_COLUMNS = ["source", "printed", "claim", "entity", "indicator", "statement_zh", "statement_en", "why"]


@on_report
def compare_printed(data, table_no: int) -> pd.DataFrame:
    """The derived numbers of a report table (表1 growth, 表4 totals, 表5 shares …), printed next to recomputed.

    Columns: claim, statement_zh, statement_en, printed, recomputed (at the printed decimals, text), exact (the
    recomputed point, float; NaN for an interval), interval (the recomputed interval, text), agree (bool).
    AnalysisError for a table_no other than 1–5; ClaimError for a malformed claim.
    """
    if table_no not in (1, 2, 3, 4, 5):
        raise AnalysisError(f"table_no = {table_no!r}: expected one of 1, 2, 3, 4, 5")
    reg = registry(data)
    rows = []
    for claim in reg[(reg["source"] == f"表{table_no}") & (reg["check"] == "recompute")].to_dict("records"):
        claim = normalise(claim)
        _check_row(claim)
        d, main = int(claim["decimals"]), outcome(data, claim, claim["rule"])
        rounded = format_fixed(main.point, d) if main.point is not None else str(main.interval)
        rows.append({"claim": claim["claim"], "statement_zh": claim["statement_zh"],
                     "statement_en": claim["statement_en"], "printed": claim["printed"],
                     "recomputed": rounded, "exact": float(main.point) if main.point is not None else math.nan,
                     "interval": str(main.interval), "agree": main.raw == "agrees"})
    return pd.DataFrame(rows, columns=["claim", "statement_zh", "statement_en", "printed", "recomputed", "exact",
                                       "interval", "agree"])
