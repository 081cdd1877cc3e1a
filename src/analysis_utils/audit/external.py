"""The second audit pass: the report's numbers against figures published elsewhere (data/external/).

Each report number with an external counterpart is checked at the report's printed precision, with the same
interval reading as the first pass (rules.value_interval: "2.9" stands for [2.85, 2.95), "27" for exactly 27):

- a **table or prose cell** (an observation of data/observations.csv) has a counterpart when an external
  observation has the same entity and indicator;
- a **claim** (data/claims.csv) has one when data/external/claim_links.csv links it: ``value`` when the claim's
  printed number is that series' figure, ``share`` when it is a report part over that series' whole, in %.

One check per (report number, external figure). Its verdict (PAIR_VERDICTS):
``agrees``  same year, the two intervals overlap (agrees within the printed precision);
``differs`` same year, they do not: ``difference`` = published − printed, in the report's unit;
``other_year`` another year's published figure agrees (the report may print that year's value);
``other_scope`` a figure of another place (claim_links scope 'other') agrees;
``context`` another year or place, not agreeing: background, not a check;
``later_published`` a figure first published after the report (REPORT_PUBLISHED; the observation's
``first_published`` when the source says the figure appeared earlier, else the source's ``date_published``): the
authors could not have had it, so it is context whatever it shows (``difference`` still says by how much).
An undated source is taken as available (its date unknown) unless its figure is of a year after the report's
(2017 on), which cannot have been published before it.
A **mean of recent years** (claim_links ``how`` = ``mean``: the printed number may be the mean of the series over
the claim's year and the two before, as '平均值' allows) is a reading beside the year's own value.
A report number's overall verdict (``item_verdict``, EXTERNAL_VERDICTS) is ``agrees`` if a same-year figure agrees;
else ``differs_other`` if a same-year figure differs while another year's or place's agrees (the same-year
disagreement is never hidden behind the other match); else ``other_year``/``other_scope`` if one of those agrees;
else ``differs`` if a same-year one exists; else ``later_published`` if a later figure exists; else ``context``.

**Standing.** Each check carries its source's ``tier`` (data/external/sources.schema.json: official_site,
official_copy, named_news, unattributed, own; docs/audit.md). ``item_tier`` is the best tier among the checks that
carry the number's overall verdict (TIERS order: an agreement resting only on unattributed pages has item_tier
'unattributed'); external_summary counts each verdict per tier, never adding unattributed agreements to official
ones.
``before`` is what the first pass could say: a claim's verdict (claims.audit), 'claim_input' for a cell some claim
reads, or 'plain_fact' for one no claim reads (claims.not_checkable); ``newly_checked`` is true where that was
'unverifiable', 'implied' (the report alone fixes only a range) or 'plain_fact' and a same-year or matching
figure published in time now exists.
"""
from __future__ import annotations

from fractions import Fraction

import pandas as pd

from analysis_utils.audit import claims as first_pass
from analysis_utils.audit.intervals import Interval, fmt
from analysis_utils.audit.rules import none_if_na, printed_decimals, value_interval
from analysis_utils.data.load import REPORT_YEAR, TIERS

PAIR_VERDICTS = ("agrees", "differs", "other_year", "other_scope", "context", "later_published")  # one (report number, figure) pair
# every verdict name, catalogue "external.verdict.<code>": the overall verdicts of one report number
# (item_verdict), i.e. the pair verdicts plus a same-year disagreement beside another year's or place's match
EXTERNAL_VERDICTS = ("agrees", "differs", "differs_other", "other_year", "other_scope", "later_published", "context")
REPORT_PUBLISHED = "2016-08"  # the report's date (its cover: 2016年8月); a figure published later is context
SUMMARY_ROWS = ("claim", "cell", "all")  # rows of external_summary: catalogue "external.kind.<row>"
# first-pass verdicts of numbers the report alone cannot confirm (implied: only a range of a hidden quantity)
NOT_CHECKED_BEFORE = ("unverifiable", "implied", "plain_fact")
CHECK_COLUMNS = ["item", "kind", "source", "statement_zh", "statement_en", "entity", "indicator", "year", "printed",
                 "unit", "external_year", "external_printed", "external_unit", "external_value", "difference",
                 "relative", "verdict", "item_verdict", "before", "newly_checked", "source_id", "tier", "item_tier",
                 "published_on", "url", "location_zh", "location_en", "quote", "quote_script"]


def _interval(data, value, printed, unit, qualifier="", value_high=None, decimals=None) -> Interval:
    d = printed_decimals(printed, value) if decimals is None else int(decimals)
    return value_interval(value, d, qualifier or "", value_high, unit, data.units_table,
                          qualifiers=data.qualifier_table)


def later(published: str) -> bool:
    """Whether a date (YYYY, YYYY-MM or YYYY-MM-DD; '' for unknown) is after the report's month REPORT_PUBLISHED."""
    return bool(published) and published[:7] > REPORT_PUBLISHED  # '2016' (no month) is not after '2016-08'


def _pair_verdict(report_iv: Interval, ext_iv: Interval, same_year: bool, same_scope: bool,
                  published: str = "") -> str:
    if later(published):
        return "later_published"
    agree = report_iv.intersects(ext_iv)
    if same_year and same_scope:
        return "agrees" if agree else "differs"
    if agree:
        return "other_year" if same_scope else "other_scope"
    return "context"


def item_verdict(verdicts) -> str:
    """The overall verdict of one report number (one of EXTERNAL_VERDICTS) from its pair verdicts (PAIR_VERDICTS),
    by the module docstring's rule."""
    found = set(verdicts)
    if "agrees" in found:
        return "agrees"
    if "differs" in found and found & {"other_year", "other_scope"}:
        return "differs_other"
    for v in ("other_year", "other_scope", "differs", "later_published"):
        if v in found:
            return v
    return "context"


def _cells(data, ext):
    """(item, report row, external rows) for every report observation with an external counterpart."""
    keys = set(zip(ext.observations["entity"], ext.observations["indicator"]))
    for r in data.observations.to_dict("records"):
        if (r["entity"], r["indicator"]) in keys and none_if_na(r["value"]) is not None:
            hits = ext.observations[(ext.observations["entity"] == r["entity"])
                                    & (ext.observations["indicator"] == r["indicator"])]
            yield r, hits


def _check_row(data, ext, *, item, kind, source, statement, entity, indicator, year, printed, unit,
               report_iv, report_value, e, scope, before, computed=None):
    src = ext.source(e["source_id"])
    published = str(e.get("first_published") or "") or str(src["date_published"] or "")
    if computed is None:
        ext_value, ext_iv = e["value"], _interval(data, e["value"], e["printed"], e["unit"], e["qualifier"],
                                                  none_if_na(e["value_high"]))
        ext_printed, ext_unit = e["printed"], e["unit"]
        if unit and ext_unit != unit:  # 1,199,127 人 against 113 万人: compared in the report's unit
            factor = Fraction(repr(data.units_table.convert(1.0, ext_unit, unit)))
            ext_value, ext_iv = float(Fraction(repr(float(ext_value))) * factor), ext_iv * Interval.point(factor)
    else:  # a share: part / external whole, carried through the intervals of both printed numbers
        ext_value, ext_iv, ext_printed, ext_unit = computed
    # an undated figure of a year after the report's cannot have appeared before it (2019's estimate, say)
    known = published or (str(e["year"]) if int(e["year"]) > int(REPORT_PUBLISHED[:4]) else "")
    verdict = _pair_verdict(report_iv, ext_iv, int(e["year"]) == int(year), scope == "same", known)
    diff = float(Fraction(ext_value) - Fraction(report_value)) if report_value is not None else None
    rel = diff / float(report_value) if diff is not None and report_value else None
    return {"item": item, "kind": kind, "source": source, "statement_zh": statement[0], "statement_en": statement[1],
            "entity": entity, "indicator": indicator, "year": int(year), "printed": printed, "unit": unit,
            "external_year": int(e["year"]), "external_printed": ext_printed, "external_unit": ext_unit,
            "external_value": float(ext_value), "difference": diff, "relative": rel, "verdict": verdict,
            "before": before, "source_id": e["source_id"], "tier": str(src.get("tier") or "") or "own",
            "published_on": published, "url": src["url"], "location_zh": e["location_zh"], "location_en": e["location"],
            "quote": e["quote"], "quote_script": str(e.get("quote_script") or "")}


@first_pass.on_report
def external_checks(data, ext, audit: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every external check of the report (columns CHECK_COLUMNS), claims first, then cells in file order.

    ``data`` is data.load.load()'s Dataset, ``ext`` data.external.load_external(data)'s ExternalData.
    ``statement_zh``/``statement_en`` are a claim's statement ('' for a cell, named by ``entity`` and
    ``indicator``); ``external_printed`` is the figure as the source prints it in ``external_unit`` (for a share
    the computed 'part/whole = x%'), ``external_value`` the figure in the report's ``unit`` (1,199,127 人 as
    119.9127 万人); ``difference`` is published − printed in the report's unit (NaN for none),
    ``relative`` that over the printed value; ``location_zh``/``location_en`` the place in the source and
    ``quote`` the source's own words there. report.external_views words the verdicts.
    Only the report's numbers are checked (Dataset.report_view: a user's districts and replacements are not the
    report's). ``audit``: claims.audit's frame of the same data (its claim and verdict columns), when the caller
    has it already (the audit page): not computed again. Raises ClaimError if a linked claim is malformed.
    """
    data = data.report_view() if hasattr(data, "report_view") else data
    audit_df = first_pass.audit(data) if audit is None else audit
    verdicts = dict(zip(audit_df["claim"], audit_df["verdict"]))
    reg = first_pass.registry(data).set_index("claim")
    facts = first_pass.not_checkable(data)
    plain = set(zip(facts["source"], facts["printed"]))
    rows = []
    for link in ext.claim_links.to_dict("records"):
        claim = first_pass.normalise(reg.loc[link["claim"]].to_dict() | {"claim": link["claim"]})
        report_iv = _interval(data, claim["value"], claim["printed"], claim["unit"] or None, claim["qualifier"],
                              claim["value_high"], claim["decimals"])
        hits = ext.observations[(ext.observations["entity"] == link["entity"])
                                & (ext.observations["indicator"] == link["indicator"])]
        if link["how"] == "mean":  # one reading: the mean of the claim's year and the two before
            hits = _recent_mean(data, hits, _claim_year(data, link))
        for e in hits.to_dict("records"):
            computed = e.pop("computed", None)
            if link["how"] == "share":
                part = data.observation(link["part_entity"], link["part_indicator"], int(e["year"])) \
                    if int(e["year"]) in set(data.observations.loc[
                        (data.observations["entity"] == link["part_entity"])
                        & (data.observations["indicator"] == link["part_indicator"]), "year"]) else None
                if part is None:
                    continue
                p_iv = _interval(data, part["value"], part["printed"], part["unit"])
                w_iv = _interval(data, e["value"], e["printed"], e["unit"])
                value = Fraction(repr(float(part["value"]))) / Fraction(repr(float(e["value"]))) * 100
                computed = (value, p_iv / w_iv * Interval.point(100),
                            f"{fmt(part['value'])}/{fmt(e['value'])} = {fmt(float(value), 4)}%", "%")
            rows.append(_check_row(data, ext, item=link["claim"], kind="claim", source=claim["source"],
                                   statement=(claim["statement_zh"], claim["statement_en"]), entity=link["entity"],
                                   indicator=link["indicator"], year=_claim_year(data, link), printed=claim["printed"],
                                   unit=claim["unit"], report_iv=report_iv, report_value=claim["value"], e=e,
                                   scope=link["scope"], before=verdicts.get(link["claim"], "plain_fact"),
                                   computed=computed))
    for r, hits in _cells(data, ext):
        report_iv = _interval(data, r["value"], r["printed"], r["unit"], r["qualifier"], none_if_na(r["value_high"]))
        item = f"{r['entity']}/{r['indicator']}/{int(r['year'])}"
        before = "plain_fact" if (r["source"], r["printed"]) in plain else "claim_input"
        for e in hits.to_dict("records"):
            rows.append(_check_row(data, ext, item=item, kind="cell", source=r["source"], statement=("", ""),
                                   entity=r["entity"], indicator=r["indicator"], year=r["year"], printed=r["printed"],
                                   unit=r["unit"], report_iv=report_iv, report_value=r["value"], e=e, scope="same",
                                   before=before))
    out = pd.DataFrame(rows, columns=[c for c in CHECK_COLUMNS if c not in ("item_verdict", "newly_checked", "item_tier")])
    overall = out.groupby("item")["verdict"].agg(item_verdict)
    out["item_verdict"] = out["item"].map(overall)
    out["item_tier"] = out["item"].map(out.groupby("item").apply(_item_tier, include_groups=False))
    # a later publication is context too: it checks nothing the authors could have known
    out["newly_checked"] = out["before"].isin(NOT_CHECKED_BEFORE) & ~out["item_verdict"].isin(["context",
                                                                                              "later_published"])
    return out[CHECK_COLUMNS].reset_index(drop=True)


def _item_tier(checks: pd.DataFrame) -> str:
    """The best tier (TIERS order) among the checks of one number that carry its overall verdict: for 'agrees' the
    agreeing checks, for 'differs_other' the differing ones (the disagreement is the finding), else the checks with
    the verdict itself."""
    verdict = item_verdict(checks["verdict"])
    carrying = {"differs_other": "differs"}.get(verdict, verdict)
    tiers = set(checks.loc[checks["verdict"] == carrying, "tier"]) or set(checks["tier"])
    return min(tiers, key=TIERS.index)


def _recent_mean(data, hits: pd.DataFrame, year: int) -> pd.DataFrame:
    """One row standing for the mean of ``hits`` (one external series) over ``year`` and the two years before,
    with ``computed`` (value, interval of the mean of the printed figures, 'mean 2013–2015 = x'); the latest of
    the three sources' rows gives source and place. Empty when a year is missing."""
    rows = hits[hits["year"].isin([year - 2, year - 1, year])].sort_values("year")
    if len(rows) != 3:
        return hits.iloc[0:0]
    values = [Fraction(repr(float(v))) for v in rows["value"]]
    ivs = [_interval(data, r["value"], r["printed"], r["unit"]) for r in rows.to_dict("records")]
    mean = sum(values) / 3
    row = rows.iloc[-1].to_dict() | {"year": year}
    row["computed"] = (mean, (ivs[0] + ivs[1] + ivs[2]) / Interval.point(3),
                       f"({' + '.join(fmt(v) for v in rows['value'])})/3 = {fmt(float(mean), 4)}", row["unit"])
    return pd.DataFrame([row])


def _claim_year(data, link) -> int:
    """The year a linked claim speaks of: its part's latest year for a share, else the report's reference year."""
    if link["how"] == "share":
        return int(data.observation(link["part_entity"], link["part_indicator"])["year"])
    obs = data.observations
    hit = obs[(obs["entity"] == link["entity"]) & (obs["indicator"] == link["indicator"])]
    return int(hit["year"].max()) if len(hit) else REPORT_YEAR


def external_summary(checks: pd.DataFrame) -> pd.DataFrame:
    """Report numbers per overall verdict (columns EXTERNAL_VERDICTS, then 'all' and 'newly_checked'), by kind
    and standing: index (kind, tier), kinds 'claim' then 'cell' and tiers in TIERS order (only those that occur),
    each kind closed by (kind, 'all'), then ('all', tier) and ('all', 'all'). Each number is counted once, whatever
    its number of external figures, under its item_verdict and item_tier: an agreement resting only on
    unattributed pages is counted in the 'unattributed' row, never with agreements from official sources."""
    items = checks.drop_duplicates("item")
    parts = []
    for kind, rows in [(k, items[items["kind"] == k]) for k in ("claim", "cell") if k in set(items["kind"])] + \
            [("all", items)]:
        table = pd.crosstab(rows["item_tier"], rows["item_verdict"]).reindex(
            index=[t for t in TIERS if t in set(rows["item_tier"])], columns=list(EXTERNAL_VERDICTS), fill_value=0)
        table["newly_checked"] = rows.groupby("item_tier")["newly_checked"].sum().reindex(table.index).astype(int)
        table.loc["all"] = table.sum()
        table.insert(len(EXTERNAL_VERDICTS), "all", table[list(EXTERNAL_VERDICTS)].sum(axis=1))
        parts.append(table.set_axis(pd.MultiIndex.from_product([[kind], table.index], names=["kind", "tier"])))
    out = pd.concat(parts)
    out.columns.name = "verdict"
    return out
