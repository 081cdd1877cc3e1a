"""One validator for typed and choice values, used by notebook parameters and by the composite options.

Every failure is a :class:`~analysis_utils.errors.ParameterError` naming the parameter, the value and what
was expected, with a stable code: ``type-error`` (wrong type), ``bad-choice`` (not among the choices) or
``out-of-range`` (a number outside its bounds).
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from numbers import Integral, Real

from analysis_utils.errors import ParameterError

_ABSTRACT = {int: Integral, float: Real}  # numpy integers and floats pass as int and float

# What a reader is asked for, in words rather than type names: the data descriptors' types (Frictionless
# Table Schema) and the notebooks' parameter types (Python) share one wording.
TYPE_WORDS = {"number": "a number", "integer": "a whole number", "boolean": "true or false", "string": "text",
              "list": "a list (a,b or [a, b])", "dict": "a mapping"}
PYTHON_TYPES = {"str": "string", "int": "integer", "float": "number", "bool": "boolean", "list": "list",
                "dict": "dict"}


def type_words(kind: str) -> str:
    """The words for a Table Schema type (``number``) or a Python type name (``float``): 'a number'; an unknown
    type is 'a value of type KIND'."""
    return TYPE_WORDS.get(PYTHON_TYPES.get(kind, kind), f"a value of type {kind}")


def check_type(name: str, value, kind: type | tuple[type, ...], words: str):
    """``value`` if it is an instance of ``kind``; ParameterError ``type-error`` otherwise.

    ``bool`` is refused where ``int`` (or float) is expected: ``True`` is an int in Python, never a year or a count.
    """
    kinds = tuple(_ABSTRACT.get(k, k) for k in (kind if isinstance(kind, tuple) else (kind,)))
    numeric = any(k in (Integral, Real) for k in kinds)
    if not isinstance(value, kinds) or (numeric and isinstance(value, bool)):
        raise ParameterError(name, value, f"{words}, got {type(value).__name__}", "type-error")
    return value


def check_choice(name: str, value, choices: Iterable, kind: type = str, words: str = "text",
                 labels: Mapping | None = None):
    """``value`` if it has type ``kind`` and is one of ``choices``; ParameterError listing the choices otherwise, each
    followed by its label in ``labels`` where it has one ('南山区' (Nanshan District): the id to type, and what it is)."""
    check_type(name, value, kind, words)
    choices = list(choices)
    if value not in choices:
        shown = (repr(c) + (f" ({labels[c]})" if labels and labels.get(c) else "") for c in choices)
        raise ParameterError(name, value, "one of " + ", ".join(shown), "bad-choice")
    return value


def check_int(name: str, value, minimum: int, maximum: int | None = None) -> int:
    """A whole number within ``[minimum, maximum]`` (n_samples, seed, a year); ParameterError otherwise."""
    check_type(name, value, int, "a whole number")
    if value < minimum or (maximum is not None and value > maximum):
        upper = "" if maximum is None else f" and at most {maximum}"
        raise ParameterError(name, value, f"at least {minimum}{upper}", "out-of-range")
    return value


def check_number(name: str, value, minimum: float, maximum: float, words: str,
                 include_minimum: bool = True, include_maximum: bool = True) -> float:
    """A real number (not bool) within its bounds, each bound inclusive or not; ParameterError otherwise."""
    check_type(name, value, (int, float), words)
    low_ok = value >= minimum if include_minimum else value > minimum
    high_ok = value <= maximum if include_maximum else value < maximum
    if not (low_ok and high_ok):
        interval = f"{'[' if include_minimum else '('}{minimum}, {maximum}{']' if include_maximum else ')'}"
        raise ParameterError(name, value, f"{words} in {interval}", "out-of-range")
    return value


def check_choices(name: str, values, choices: Iterable) -> tuple:
    """A non-empty sequence of distinct ``choices`` (a single text counts as a list of one), as a tuple."""
    choices = list(choices)
    values = tuple([values] if isinstance(values, str) else values)
    bad = [v for v in values if v not in choices]
    if not values or bad or len(set(values)) != len(values):
        raise ParameterError(name, list(values), "a non-empty list without repeats of "
                             + ", ".join(repr(c) for c in choices), "bad-choice")
    return values
