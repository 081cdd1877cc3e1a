"""A claim's rule written out for readers, with the printed numbers in place: ``2826 / 2154 − 1``.

``formula`` walks the rule's syntax tree (the same whitelist as rules.py) and puts in each observation
and claim the number as printed, with the sign of its qualifier (``>200``, ``≈1``, ``≥1000``); helpers
that have no arithmetic sign (a sum over table rows, a count of listed items) are worded through the
language catalogue (``formula.*`` in messages.csv). ``sentence`` fills a catalogue template with it.
Nothing here decides a verdict: claims.py does, and hands the pieces over.
"""
from __future__ import annotations

import ast

from analysis_utils.audit.intervals import fmt
from analysis_utils.audit.rules import none_if_na
from analysis_utils.data.qualifiers import packaged_qualifiers
from analysis_utils.labels import check_lang, text
from analysis_utils.report.names import indicator_names
from analysis_utils.report.printed import english_amount, in_words, unit_label

_OPS = {ast.Add: "+", ast.Sub: "−", ast.Mult: "×", ast.Div: "/"}
_CMP = {ast.Lt: "<", ast.LtE: "≤", ast.Gt: ">", ast.GtE: "≥", ast.Eq: "=", ast.NotEq: "≠"}
# The rule language's comparison operators as a reader writes them (in either language).
SYMBOLS = {"<": "<", "<=": "≤", ">": ">", ">=": "≥", "==": "=", "!=": "≠"}


def symbol(op: str) -> str:
    """A comparison operator of the rule language as printed for readers: '<=' -> '≤', '==' -> '='."""
    return SYMBOLS.get(op, op)


def shown_number(value, qualifier: str = "", value_high=None, qualifiers=None) -> str:
    """A printed number for a formula, with the sign of its qualifier's bound as qualifiers.csv defines it
    (``>200``, ``≥10``, ``≤1``, ``≈1`` for a value read at significant digits, ``5–10``); ``-`` for '-'."""
    table = packaged_qualifiers() if qualifiers is None else qualifiers
    value, value_high = none_if_na(value), none_if_na(value_high)
    q = table[qualifier or ""] if (qualifier or "") in table else None
    if value is None or q is None or q.kind == "missing":
        return "-" if value is None else fmt(value)
    if q.kind == "range":
        return f"{fmt(value)}–{fmt(value_high)}"
    sign = {"lower": "≥" if q.lower_inclusive else ">", "upper": "≤" if q.upper_inclusive else "<"}.get(q.kind, "")
    if q.kind == "exact" and q.precision == "significant":
        sign = "≈"
    return f"{sign}{fmt(value)}"


def formula(data, claim: dict, rule: str, lang: str = "zh") -> str:
    """The rule with printed numbers in place of obs(), printed() and ``this``; helpers worded in ``lang``.

    Raises ParameterError for a bad ``lang``. A rule that does not parse is shown as written (run_rule
    reports it as a ClaimError).
    """
    check_lang(lang)
    try:
        tree = ast.parse(rule.strip(), mode="eval")
    except SyntaxError:
        return rule
    observed = {_observation_unit(data, n) for n in ast.walk(tree)
                if isinstance(n, ast.Call) and getattr(n.func, "id", "") == "obs"} - {None}
    read = {_number_unit(data, claim, n) for n in ast.walk(tree)} - {None}  # with this and printed()
    dimensions = [data.units_table.dimension(u) for u in read if u in data.units_table.factors]
    # a rule over numbers printed in different units (1000万元 against 1亿元) names each number's unit
    return _show(data, claim, tree.body, lang,
                 units=len(observed) >= 2 or len(dimensions) > len(set(dimensions)))


def _observation_unit(data, node) -> str | None:
    lit = [_literal(a) for a in node.args]
    try:
        return data.observation(lit[0], lit[1], lit[2] if len(lit) > 2 else None)["unit"] or None
    except Exception:  # noqa: BLE001 - a bad reference: the evaluation reports it
        return None


def _number_unit(data, claim, node) -> str | None:
    """The unit of a printed number a rule reads (obs(), printed() or ``this``); None for any other node."""
    if isinstance(node, ast.Name):
        return none_if_na(claim.get("unit")) or None
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
        return None
    if node.func.id == "obs":
        return _observation_unit(data, node)
    if node.func.id == "printed" and "claims" in data.tables:
        table = data.tables["claims"]
        rows = table[table["claim"] == _literal(node.args[0])] if node.args else table.iloc[:0]
        return none_if_na(rows.iloc[0]["unit"]) or None if len(rows) else None
    return None


_PRECEDENCE = {"+": 1, "−": 1, "×": 2, "/": 2}


def _needs_brackets(op: str, parent_op) -> bool:
    """Whether a sub-expression with operator ``op`` needs brackets under ``parent_op`` ('/r': right of /)."""
    if parent_op is None:
        return False
    if parent_op == "unary":
        return True
    right = parent_op.endswith("r")
    parent = parent_op.rstrip("r")
    if _PRECEDENCE[op] < _PRECEDENCE[parent]:
        return True
    return right and _PRECEDENCE[op] == _PRECEDENCE[parent] and parent in ("−", "/")


def _literal(node):
    return node.value if isinstance(node, ast.Constant) else None


def _show(data, claim, node, lang, parent_op=None, units=False) -> str:
    """``node`` written out; ``units``: every observation's number names its unit (zh: 1000 万元; en: the amount
    in words, report.printed.english_amount: 10 million yuan)."""
    show = lambda n, op=None: _show(data, claim, n, lang, op, units)  # noqa: E731
    if units and _number_unit(data, claim, node):
        number, unit = _show(data, claim, node, lang, parent_op), _number_unit(data, claim, node)
        if in_words(lang):  # '≥1000' in 万元 -> '≥10 million yuan'
            return english_amount(number, unit, data.units_table)
        return text("formula.with_unit", lang, number=number, unit=unit_label(data.units_table, unit, lang))
    if isinstance(node, ast.Constant):
        return fmt(node.value) if isinstance(node.value, (int, float)) else str(node.value)
    if isinstance(node, ast.Name):
        return shown_number(claim.get("value"), claim.get("qualifier", ""), claim.get("value_high"),
                            data.qualifier_table)
    if isinstance(node, ast.UnaryOp):
        inner = show(node.operand, "unary")
        return f"−{inner}" if isinstance(node.op, ast.USub) else (text("formula.not", lang, x=inner)
                                                                  if isinstance(node.op, ast.Not) else inner)
    if isinstance(node, ast.BinOp) and type(node.op) in _OPS:
        op = _OPS[type(node.op)]
        out = f"{show(node.left, op)} {op} {show(node.right, op + 'r')}"
        return f"({out})" if _needs_brackets(op, parent_op) else out
    if isinstance(node, ast.Compare):
        parts = [show(node.left)]
        for op, right in zip(node.ops, node.comparators):
            parts += [_CMP.get(type(op), "?"), show(right)]
        return " ".join(parts)
    if isinstance(node, ast.BoolOp):
        key = "formula.and" if isinstance(node.op, ast.And) else "formula.or"
        out = show(node.values[0])
        for v in node.values[1:]:
            out = text(key, lang, a=out, b=show(v))
        return out
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        return _call(data, claim, node, lang, show)
    return ast.unparse(node)


def _call(data, claim, node, lang, show) -> str:
    name, args = node.func.id, node.args
    kw = {k.arg: k.value for k in node.keywords}
    lit = [_literal(a) for a in args]
    if name == "obs":
        try:
            row = data.observation(lit[0], lit[1], lit[2] if len(lit) > 2 else None)
        except Exception:  # noqa: BLE001 - the evaluation reports a bad reference; here it is only shown
            return ast.unparse(node)
        return shown_number(row["value"], row["qualifier"], row["value_high"], data.qualifier_table)
    if name == "printed":
        table = data.tables["claims"]
        rows = table[table["claim"] == lit[0]]
        if rows.empty:
            return ast.unparse(node)
        other = rows.iloc[0]
        return shown_number(other["value"], other["qualifier"], other["value_high"], data.qualifier_table)
    if name == "growth":
        return f"{show(args[1], '/')} / {show(args[0], '/r')} − 1"
    if name == "share":
        return f"{show(args[0], '/')} / {show(args[1], '/r')}"
    if name == "ratio":
        return f"{show(args[0], '/')} / {show(args[1], '/r')}"
    if name == "cagr":
        return f"({show(args[1], '/')} / {show(args[0], '/r')})^(1/{show(args[2])}) − 1"
    if name in ("total", "count_where", "count_entities"):
        level = lit[3] if name == "count_where" and len(lit) > 3 else (lit[1] if name == "total" and len(lit) > 1 else
                                                                     (lit[0] if name == "count_entities" else None))
        parent = _parent(name, lit)
        n = _count_members(data, level or "makerspace", parent or "武昌区")
        if name == "total":
            exact = _literal(kw.get("exact")) is True
            return text("formula.total_exact" if exact else "formula.total", lang, n=n, indicator=_name(data, lit[0], lang))
        if name == "count_where":
            return text("formula.count_where", lang, n=n, indicator=_name(data, lit[0], lang), op=symbol(lit[1]),
                        value=fmt(lit[2]) if isinstance(lit[2], (int, float)) else show(args[2]))
        return text("formula.count_entities", lang, n=n)
    if name == "count_items":
        items = [i.strip() for i in (claim.get("items") or "").split(";") if i.strip()]
        if lit and lit[0] is not None:
            items = [i for i in items if i.partition(":")[0] == str(lit[0])]
        return text("formula.count_item" if len(items) == 1 else "formula.count_items", lang, n=len(items))
    if name in ("lower", "upper", "whole_in", "fractions"):
        return text(f"formula.{name}", lang, x=show(args[0]))
    if name in ("first_year", "last_year"):
        return text(f"formula.{name}", lang, indicator=_name(data, lit[1], lang))
    return ast.unparse(node)


def _parent(name, lit):
    index = {"total": 2, "count_where": 4, "count_entities": 1}[name]
    return lit[index] if len(lit) > index else None


def _count_members(data, level, parent) -> int:
    ent = data.entities
    return int(((ent["level"] == level) & (ent["parent"] == parent)).sum())


def _name(data, indicator, lang) -> str:
    # inside a formula, which is inside a sentence: 'the sum of total revenue over 11 rows'
    return indicator_names(data, lang, sentence=True).get(indicator, str(indicator))  # unknown: evaluation reports it


def sentence(key: str, lang: str, **fields) -> str:
    """A catalogue sentence (``explain.<key>``) in ``lang``, starting with a capital letter (a template that
    starts with its formula, 'the sum of … = 452.71, printed …', starts the sentence with it); ParameterError for
    a bad ``lang``."""
    return capitalised(text(f"explain.{key}", lang, **fields))


def capitalised(sentence: str) -> str:
    """``sentence`` with its first letter upper-cased when it starts with a small letter ('the 3 items listed =
    3' -> 'The 3 items listed = 3'); a sentence starting otherwise (a number, a symbol, Chinese) unchanged."""
    return sentence[:1].upper() + sentence[1:] if sentence[:1].islower() else sentence
