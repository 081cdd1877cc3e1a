"""Weights of a composite index (Handbook step 6, weighting): read, check and renormalise them.

`resolve_weights` turns None, a mapping or a YAML/CSV file into nominal weights summing to 1;
`weights_in_use` restricts them to the indicators left after treatment. A bad weight is a
ParameterError named "weights" whose ``where`` says where the weight came from (the file and its row, or
the indicator of a mapping).
"""
from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd

from analysis_utils.data.load import read_table
from analysis_utils.data.yaml_file import read_yaml
from analysis_utils.errors import DataProblem, ParameterError, raise_parameter_errors


# A weights CSV read as strictly as the data (data.load.read_table): one line per indicator, the weight a number
WEIGHTS_SCHEMA = {"fields": [{"name": "indicator", "type": "string"}, {"name": "weight", "type": "number"}],
                  "primaryKey": ["indicator"]}


def resolve_weights(weights, indicators: list[str]) -> pd.Series:
    """Nominal weights for `indicators`, renormalised to sum 1 (Handbook step 6, weighting).

    weights: None (equal weights), a dict or Series {indicator: weight}, or the path of a YAML file
    (a mapping indicator: weight, optionally under a top-level key "weights") or of a CSV file with
    columns indicator, weight. Every indicator needs a weight (0 excludes it); unknown indicators,
    duplicates, non-numeric, negative or non-finite weights, and all-zero weights raise ParameterError.
    """
    if weights is None:
        return pd.Series(1.0 / len(indicators), index=list(indicators), name="weight")
    if isinstance(weights, (str, Path)):
        pairs, source = _read_weights_file(Path(weights)), f"file {weights}"
    elif isinstance(weights, (dict, pd.Series)):
        pairs, source = [(k, v, f"indicator {k!r}") for k, v in dict(weights).items()], None
    else:
        raise ParameterError("weights", type(weights).__name__,
                             "None, a dict, a Series or the path of a .yaml/.yml/.csv file", code="type-error")
    return _validated(pairs, source, list(indicators))


def _read_weights_file(path: Path) -> list[tuple[str, object, str]]:
    if not path.is_file():
        raise ParameterError("weights", str(path), "an existing .yaml, .yml or .csv file", code="missing-file")
    if path.suffix.lower() in (".yaml", ".yml"):
        data = read_yaml(path, "weights")
        if isinstance(data, dict) and set(data) == {"weights"}:
            data = data["weights"]
        if not isinstance(data, dict):
            raise ParameterError("weights", type(data).__name__, "a mapping indicator: weight", code="type-error",
                                 where=f"file {path}")
        return [(str(k), v, f"file {path}, indicator {k!r}") for k, v in data.items()]
    if path.suffix.lower() == ".csv":
        table, problems, _ = read_table(path, WEIGHTS_SCHEMA, "the weights")  # other columns: the user's notes
        raise_parameter_errors([_parameter_error(p) for p in problems])
        if not {"indicator", "weight"} <= set(table.columns):
            raise ParameterError("weights", ", ".join(table.columns), "columns 'indicator' and 'weight'",
                                 code="missing-column", where=f"file {path}")
        raise_parameter_errors([ParameterError("weights", f"{r['__ncells__']} cells", f"{len(table.columns)} cells as "
                                               "in the header", "extra-cell", f"file {path}, row {i} (line {line})")
                                for i, (r, line) in enumerate(zip(table.rows, table.lines), start=1)
                                if int(r["__ncells__"]) != len(table.columns)])
        return [(r["indicator"], r["weight"], f"file {path}, row {i} (line {line}), indicator {r['indicator']!r}")
                for i, (r, line) in enumerate(zip(table.rows, table.lines), start=1)]
    raise ParameterError("weights", str(path), "a file ending in .yaml, .yml or .csv", code="bad-choice")


def _parameter_error(problem: DataProblem) -> ParameterError:
    """A reading problem of the weights file as the parameter's error: its place (file, line, column) as the value
    for a problem of the file or its header, as ``where`` for a row's."""
    column = f', column "{problem.column}"' if problem.column else ""
    if problem.row is None:
        place = problem.file + (f", line {problem.line}" if problem.line else "") + column
        return ParameterError("weights", place, problem.expected, problem.code)
    return ParameterError("weights", problem.value, problem.expected, problem.code,
                          where=f"file {problem.file}, row {problem.row} (line {problem.line}){column}")


def _validated(pairs, source: str | None, indicators: list[str]) -> pd.Series:
    """Every bad row at once (ParameterErrors for several): unknown or repeated indicators, bad values, and the
    indicators without a weight."""
    out: dict[str, float] = {}
    problems: list[ParameterError] = []
    for ind, raw, where in pairs:
        if ind not in indicators:
            problems.append(ParameterError("weights", ind, "one of the indicators " + ", ".join(indicators[:20]),
                                           code="unknown-indicator", where=where))
            continue
        if ind in out:
            problems.append(ParameterError("weights", raw, "one weight per indicator", code="unique-error", where=where))
            continue
        try:
            out[ind] = _weight_value(raw, where)
        except ParameterError as exc:
            problems.append(exc)
            out[ind] = math.nan  # seen: not reported again as missing
    if absent := [i for i in indicators if i not in out]:
        problems.append(ParameterError("weights", f"weights for {len(out)} of {len(indicators)} indicators",
                                       "a weight for every indicator (0 to exclude); missing: " + ", ".join(absent[:20]),
                                       code="missing-weight", where=source))
    raise_parameter_errors(problems)
    return _renormalised(pd.Series(out, name="weight")[indicators], source)


def _weight_value(raw, where: str) -> float:
    if isinstance(raw, (bool, np.bool_)) or raw is None:
        raise ParameterError("weights", raw, "a number >= 0", code="type-error", where=where)
    try:
        value = float(raw)
    except (TypeError, ValueError):
        raise ParameterError("weights", raw, "a number >= 0", code="type-error", where=where) from None
    if not np.isfinite(value) or value < 0:
        raise ParameterError("weights", raw, "a finite number >= 0", code="constraint-error", where=where)
    return value


def _renormalised(weights: pd.Series, source: str | None = None) -> pd.Series:
    with np.errstate(over="ignore"):  # an overflow is the error below, not a RuntimeWarning
        total = float(weights.sum())
    if not math.isfinite(total):  # finite weights near the float limit (1e308) whose sum overflows: every share 0
        raise ParameterError("weights", f"{len(weights)} weights summing to {total:g}", "finite non-negative numbers "
                             "whose sum is finite and positive (only their ratios count: scale them down)",
                             code="constraint-error", where=source)
    if total <= 0:
        shown = ", ".join(f"{k}: {v:g}" for k, v in weights.items())
        raise ParameterError("weights", shown, "at least one positive weight among the indicators in use",
                             code="constraint-error", where=source)
    return weights / total


def weights_in_use(nominal: pd.Series, indicators: list[str]) -> pd.Series:
    """The nominal weights restricted to the indicators kept after treatment, summing to 1."""
    return _renormalised(nominal.loc[indicators], "the indicators in use: " + ", ".join(indicators))
