"""Growth over the report's own series and the growth a focus district needs to close each gap.

g = (1 + g_peer)·r^(1/N) − 1 for a peer/focus ratio r closed over N years; CAGR = (last/first)^(1/years) − 1.
Peers are held still unless a peer growth is given (the report prints none).
"""
from __future__ import annotations

import math

import pandas as pd

from analysis_utils.analysis.compare import (
    EXTENSIVE_INDICATORS,
    INTENSIVE_INDICATORS,
    normalised,
    ratio_to_focus,
    snapshot,
)
from analysis_utils.data.load import REPORT_YEAR, Dataset
from analysis_utils.errors import AnalysisError, ParameterError


def cagr(first: float, last: float, years: int) -> float:
    """Compound annual growth rate between two values ``years`` apart."""
    if years <= 0 or first <= 0 or last <= 0:
        raise AnalysisError(f"CAGR needs positive values and a positive span; got {first}, {last}, {years} years")
    return (last / first) ** (1 / years) - 1


def series_cagr(data: Dataset, entity: str, indicator: str) -> dict:
    """CAGR of an observed series over its first and last year (e.g. 表1, 2011–2015)."""
    obs = data.observations
    s = obs[(obs["entity"] == entity) & (obs["indicator"] == indicator)].sort_values("year")
    if len(s) < 2:
        raise AnalysisError(f"no series of {indicator!r} for {entity!r} (needs two years or more)")
    first, last = s.iloc[0], s.iloc[-1]
    return {"entity": entity, "indicator": indicator, "start": int(first["year"]), "end": int(last["year"]),
            "first": float(first["value"]), "last": float(last["value"]),
            "cagr": cagr(float(first["value"]), float(last["value"]), int(last["year"]) - int(first["year"]))}


def required_growth(ratio: float, years: int, peer_growth: float = 0.0) -> float:
    """Annual growth the focus needs to reach the peer in ``years``: g = (1 + g_peer)·r^(1/N) − 1."""
    if years <= 0:
        raise AnalysisError(f"target year must be after the base year; got a span of {years} years")
    if not ratio > 0:
        return float("nan")
    return (1 + peer_growth) * ratio ** (1 / years) - 1


def years_to_close(ratio: float, focus_growth: float, peer_growth: float = 0.0) -> float:
    """Years until the focus reaches the peer at constant growth rates; inf if it never does, 0 if ahead."""
    if not ratio > 0 or math.isnan(focus_growth):
        return float("nan")
    if ratio <= 1:
        return 0.0
    relative = (1 + focus_growth) / (1 + peer_growth)
    return math.log(ratio) / math.log(relative) if relative > 1 else float("inf")


def gap_position(ratio: float, bound: str) -> str:
    """'trails' when the peer is ahead of the focus (peer/focus ``ratio`` > 1, exact or a lower bound),
    'leads' when the focus is ahead (ratio < 1, exact or an upper bound), 'level' for an exact ratio of 1 (a tie
    is no lead), 'unknown' otherwise (missing value, or a bound that does not settle the direction: a lower bound
    below 1, an upper bound above 1, or a bound of exactly 1, which allows a tie)."""
    if not ratio == ratio or bound not in ("exact", "lower", "upper"):
        return "unknown"
    if ratio == 1:
        return "level" if bound == "exact" else "unknown"
    if ratio > 1:
        return "trails" if bound in ("exact", "lower") else "unknown"
    return "leads" if bound in ("exact", "upper") else "unknown"


def gap_table(data: Dataset, focus: str, peers: list[str], base_year: int, target_year: int,
              focus_growth: dict[str, tuple[float, str]] | None = None, scenario_growth: float | None = None,
              peer_growth: dict[tuple[str, str], float] | None = None) -> pd.DataFrame:
    """For each 表2 indicator (raw and normalised) and peer: ratio r, growth needed by ``target_year``,
    and years to close at the focus's growth.

    focus_growth maps indicator -> (CAGR, basis) from the report's own series; where none exists,
    ``scenario_growth`` (an analyst's assumption, labelled as such) is used, else years are left empty.
    Peers are held still (g_peer = 0) unless ``peer_growth`` gives (peer, indicator) -> rate.

    One row per peer (the focus left out), indicator and denominator: 'total' for the nine raw 表2 indicators,
    then the normalised ones (per_resident, per_km2, per_gdp). Columns: entity, indicator (ids), value, unit,
    qualifier, bound, source_ids, denominator (as snapshot and normalised give them), ratio and ratio_bound
    (ratio_to_focus; source_ids are the ratio's: the registry ids of the peer's and the focus's numbers it is
    computed from, numerators and denominators, joined by ';', '' when all are the report's: compare.join_source_ids),
    then ``position``, ``peer_growth``, ``peer_growth_basis``, ``required_growth``, ``focus_growth``,
    ``focus_growth_basis`` and ``years_to_close``. Rates are fractions (0.337 = 33.7 % a year), years a float (inf: never at these rates).

    ``position`` (gap_position) says who leads: where the focus ``leads``, is ``level`` (or it is ``unknown``) there is
    nothing to close, and required_growth and years_to_close are NaN rather than a negative growth or 0 years.
    Basis columns hold codes (GROWTH_BASES): peer_growth_basis 'held_still' or 'given'; focus_growth_basis
    'proxy' (the report's own series, historical_growth), 'scenario' or 'none'. A page labels the rows with
    report.names.label_rows and shows them with report.report_tables.gap_view. Raises AnalysisError when a peer
    leads somewhere and ``target_year`` is not after ``base_year`` (required_growth), and as per_denominator does.
    """
    entities = [focus, *peers]
    raw = snapshot(data, entities, EXTENSIVE_INDICATORS + INTENSIVE_INDICATORS, base_year)
    raw["denominator"] = "total"
    values = pd.concat([raw, normalised(data, entities, base_year)], ignore_index=True)
    ratios = ratio_to_focus(values, focus, keys=("indicator", "denominator"))
    ratios = ratios[ratios["entity"] != focus].copy()
    years = target_year - base_year
    focus_growth, peer_growth = focus_growth or {}, peer_growth or {}
    out = []
    for _, r in ratios.iterrows():
        g_peer = peer_growth.get((r["entity"], r["indicator"]), 0.0)
        if r["indicator"] in focus_growth:
            g_focus, basis = focus_growth[r["indicator"]]
        elif scenario_growth is not None:
            g_focus, basis = scenario_growth, "scenario"
        else:
            g_focus, basis = float("nan"), "none"
        position = gap_position(r["ratio"], r["ratio_bound"])
        closing = position == "trails"
        out.append({**r.to_dict(), "position": position, "peer_growth": g_peer,
                    "peer_growth_basis": "given" if (r["entity"], r["indicator"]) in peer_growth else "held_still",
                    "required_growth": required_growth(r["ratio"], years, g_peer) if closing else float("nan"),
                    "focus_growth": g_focus, "focus_growth_basis": basis,
                    "years_to_close": years_to_close(r["ratio"], g_focus, g_peer) if closing else float("nan")})
    return pd.DataFrame(out)


# 表2 indicator -> the series whose CAGR stands for its growth (historical_growth)
PROXY_SERIES = {"invention_patents_per_10k": "invention_patent_grants"}


def historical_growth(data: Dataset, focus: str) -> dict[str, tuple[float, str]]:
    """Growth rates the report's own series give for the focus, keyed by the 表2 indicator they stand for.

    Only 表1 has a series: the invention-grant CAGR is used as a proxy for the growth of the stock
    of invention patents per resident (the stock grows with grants; the population barely moved); PROXY_SERIES
    maps each such indicator to its series. An empty dict when the focus has no such series (two years or more).
    """
    obs, out = data.observations, {}
    for indicator, series in PROXY_SERIES.items():
        has = obs[(obs["entity"] == focus) & (obs["indicator"] == series)]
        if has["year"].nunique() >= 2:
            out[indicator] = (series_cagr(data, focus, series)["cagr"], "proxy")
    return out


# The codes of gap_table's ratio_bound, position and growth-basis columns (a page names each by the catalogue's
# "bound.<code>", "position.<code>", "growth_basis.<code>": report.report_tables.gap_view).
BOUNDS = ("exact", "lower", "upper", "range", "missing", "unknown")
POSITIONS = ("trails", "leads", "level", "unknown")
GROWTH_BASES = ("held_still", "given", "proxy", "scenario", "none")


GROWTH_OPTIONS = ("target_year", "scenario_growth")


def check_growth_option(name: str, value):
    """``target_year`` (a year after the report's, at most 2100) or ``scenario_growth`` (a rate above -1 and below
    10, 0.1 = 10 %), returned as given; None passes. ParameterError ``out-of-range`` otherwise; KeyError for
    another name."""
    ok = {"target_year": lambda v: REPORT_YEAR < v <= 2100, "scenario_growth": lambda v: -1 < v < 10}[name]
    if value is not None and not ok(value):
        expected = {"target_year": f"a year after {REPORT_YEAR} and at most 2100",
                    "scenario_growth": "a rate above -1 and below 10 (0.1 = 10%)"}[name]
        raise ParameterError(name, value, expected, "out-of-range")
    return value
