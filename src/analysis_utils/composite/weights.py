"""Weights of a composite index (Handbook step 6, weighting): read, check and renormalise them.

`resolve_weights` turns None, a mapping or a YAML/CSV file into nominal weights summing to 1;
`weights_in_use` restricts them to the indicators left after treatment. A bad weight is a
ParameterError that says where the weight came from (the file and its row, or the mapping key).
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from analysis_utils.errors import ParameterError


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
        pairs, source = _read_weights_file(Path(weights)), str(weights)
    elif isinstance(weights, (dict, pd.Series)):
        pairs, source = [(k, v, f"weights[{k!r}]") for k, v in dict(weights).items()], "weights"
    else:
        raise ParameterError("weights", type(weights).__name__,
                             "None, a dict, a Series or the path of a .yaml/.yml/.csv file", code="type-error")
    return _validated(pairs, source, list(indicators))


def _read_weights_file(path: Path) -> list[tuple[str, object, str]]:
    if not path.is_file():
        raise ParameterError("weights", str(path), "an existing .yaml, .yml or .csv file", code="missing-file")
    if path.suffix.lower() in (".yaml", ".yml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if isinstance(data, dict) and set(data) == {"weights"}:
            data = data["weights"]
        if not isinstance(data, dict):
            raise ParameterError(f"weights file {path}", type(data).__name__,
                                 "a mapping indicator: weight", code="type-error")
        return [(str(k), v, f"{path}, indicator {k!r}") for k, v in data.items()]
    if path.suffix.lower() == ".csv":
        table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        if not {"indicator", "weight"} <= set(table.columns):
            raise ParameterError(f"weights file {path}", list(table.columns),
                                 "columns 'indicator' and 'weight'", code="missing-column")
        return [(r.indicator.strip(), r.weight.strip(), f"{path}, row {i} (line {i + 1}), indicator {r.indicator!r}")
                for i, r in enumerate(table.itertuples(index=False), start=1)]
    raise ParameterError("weights", str(path), "a file ending in .yaml, .yml or .csv", code="bad-choice")


def _validated(pairs, source: str, indicators: list[str]) -> pd.Series:
    out: dict[str, float] = {}
    for ind, raw, where in pairs:
        if ind not in indicators:
            raise ParameterError(where, ind, "one of the indicators " + ", ".join(indicators[:20]),
                                 code="unknown-indicator")
        if ind in out:
            raise ParameterError(where, raw, "one weight per indicator", code="unique-error")
        out[ind] = _weight_value(raw, where)
    if absent := [i for i in indicators if i not in out]:
        raise ParameterError(source, sorted(out), f"a weight for every indicator (0 to exclude); "
                             f"missing: {absent[:20]}", code="missing-weight")
    return _renormalised(pd.Series(out, name="weight")[indicators], source)


def _weight_value(raw, where: str) -> float:
    if isinstance(raw, (bool, np.bool_)) or raw is None:
        raise ParameterError(where, raw, "a number >= 0", code="type-error")
    try:
        value = float(raw)
    except (TypeError, ValueError):
        raise ParameterError(where, raw, "a number >= 0", code="type-error") from None
    if not np.isfinite(value) or value < 0:
        raise ParameterError(where, raw, "a finite number >= 0", code="constraint-error")
    return value


def _renormalised(weights: pd.Series, source: str = "weights") -> pd.Series:
    total = float(weights.sum())
    if total <= 0:
        raise ParameterError(source, weights.to_dict(), "at least one positive weight among the "
                             "indicators in use", code="constraint-error")
    return weights / total


def weights_in_use(nominal: pd.Series, indicators: list[str]) -> pd.Series:
    """The nominal weights restricted to the indicators kept after treatment, summing to 1."""
    return _renormalised(nominal.loc[indicators], f"weights of {indicators}")
