"""Sentences about the data, generated from it, so no number in a notebook's prose is typed by hand.

Every sentence is a template of the language catalogue (``finding.<name>`` in messages.csv); each function
returns a list of sentences in ``lang`` and raises ParameterError for a ``lang`` other than 'zh'/'en'.
"""
from __future__ import annotations

import pandas as pd

from analysis_utils.analysis.growth import cagr
from analysis_utils.analysis.tables import TABLE_1_YEARS, format_number, table_1
from analysis_utils.data.load import Dataset
from analysis_utils.labels import check_lang, join, lang_column, text
from analysis_utils.report.names import entity_names, in_sentence, indicator_name
from analysis_utils.rounding import format_fixed, format_percent


def foundation(data: Dataset, entity: str, lang: str = "zh", years: range | None = TABLE_1_YEARS) -> list[str]:
    """Patent growth over the series 01 shows (a rise, a fall, or the same count at both ends, each said as such),
    and the invention share of grants in its last year with both counts.

    ``years`` as in analysis.tables.table_1: the report's 2011–2015 by default (the years of 表1 on the page,
    whatever later years a user's data add), None for every year of the series (the extended table). Growth runs
    from the first to the last year with a value."""
    check_lang(lang)
    names = entity_names(data, lang)
    numbers = table_1(data, entity=entity, years=years).set_index("year")
    out = []
    for indicator in ("patent_grants", "invention_patent_grants"):
        series = numbers[indicator].astype(float).dropna()
        start, end = int(series.index[0]), int(series.index[-1])
        first, last = float(series.iloc[0]), float(series.iloc[-1])
        key = "finding.series_growth" if last > first else "finding.series_fell" if last < first else \
            "finding.series_flat"  # the same count at both ends is no rise
        out.append(text(key, lang, entity=names[entity],
                        indicator=in_sentence(indicator_name(data, indicator, lang), lang),
                        start=start, end=end, first=format_number(first), last=format_number(last),
                        cagr=format_percent(cagr(first, last, end - start)), total=format_percent(last / first - 1)))
    # the share needs both counts: the last year in which both series hold a value (a user may add one alone)
    both = numbers[["patent_grants", "invention_patent_grants"]].astype(float).dropna()
    last = int(both.index[-1])
    out.append(text("finding.invention_share", lang, year=last,
                    share=format_percent(both.iloc[-1, 1] / both.iloc[-1, 0])))
    return out


def direction(ratio: float, bound: str) -> str:
    """Who leads on one indicator, from a peer/focus ``ratio`` and its bound class (compare.ratio_to_focus).

    'peer' when the peer is ahead (ratio > 1, exact or a lower bound; a lower bound above 1 also counts),
    'focus' when the focus is ahead (ratio < 1, exact or an upper bound; an upper bound below 1 also counts),
    'equal' for an exact 1 (a tie, never a lead), 'unknown' when the value is missing or its bound points the other
    way (a lower bound below 1 or an upper bound above 1 does not say who leads, nor does a bound of exactly 1,
    which allows a tie).
    """
    if not ratio == ratio or bound in ("missing", "unknown", "range") or (ratio == 1 and bound != "exact"):
        return "unknown"
    if bound == "lower":
        return "peer" if ratio >= 1 else "unknown"
    if bound == "upper":
        return "focus" if ratio <= 1 else "unknown"
    return "peer" if ratio > 1 else "focus" if ratio < 1 else "equal"


def _times(ratio: float, bound: str, lang: str) -> str:
    """A ratio ≥ 1 as printed in a sentence: '22.2', or 'at least 7.4' / 'at most 3.0' for a bound; one that
    rounds to 1.0 at one decimal at two ('1.03': "a lead of 1.0 times" says nothing)."""
    printed = format_fixed(ratio, 1)
    printed = format_fixed(ratio, 2) if printed == "1.0" else printed
    if bound == "lower":
        return text("finding.at_least", lang, ratio=printed)
    return text("finding.at_most", lang, ratio=printed) if bound == "upper" else printed


def ratio_extremes(ratios: pd.DataFrame, focus: str, lang: str = "zh") -> list[str]:
    """One item per peer: on how many comparable indicators it is ahead of the focus, behind it and (when any)
    level with it (a tie is counted as neither a lead nor a lag), its widest lead
    (the largest ratio above 1) and the focus's widest lead over it (the smallest ratio below 1, stated as
    focus/peer so that every printed multiple is ≥ 1), then how many indicators cannot be compared (a missing
    value, or a bound that does not say who leads: direction 'unknown'); those are never counted as comparable.

    ``ratios`` has entity_label, indicator_label, ratio (peer/focus) and ratio_bound (exact, lower, upper,
    missing, unknown): compare.table2_ratios labelled by names.label_rows; ``focus`` is the focus's display name.
    A lead that rests on a bound is printed 'at least' (a lower-bound ratio, or the inverse of an upper-bound one).
    Raises ParameterError for a ``lang`` other than 'zh'/'en'.
    """
    check_lang(lang)
    out = []
    for peer, sub in ratios.groupby("entity_label", sort=False):
        sides = pd.Series([direction(r, b) for r, b in zip(sub["ratio"], sub["ratio_bound"])], index=sub.index)
        comparable = int((sides != "unknown").sum())
        if comparable:
            level = int((sides == "equal").sum())
            parts = [text("finding.ratio_count_level" if level else "finding.ratio_count", lang, peer=peer,
                          focus=focus, n=comparable, ahead=int((sides == "peer").sum()),
                          behind=int((sides == "focus").sum()), level=level)]
            peer_leads, focus_leads = sub[sides == "peer"], sub[sides == "focus"]
            if len(peer_leads):
                widest = peer_leads.loc[peer_leads["ratio"].idxmax()]
                parts.append(text("finding.peer_lead", lang, peer=peer, focus=focus,
                                  indicator=in_sentence(widest["indicator_label"], lang),
                                  ratio=_times(widest["ratio"], widest["ratio_bound"], lang)))
            if len(focus_leads):
                widest = focus_leads.loc[focus_leads["ratio"].idxmin()]
                flipped = {"upper": "lower", "lower": "upper"}.get(widest["ratio_bound"], widest["ratio_bound"])
                parts.append(text("finding.focus_lead", lang, peer=peer, focus=focus,
                                  indicator=in_sentence(widest["indicator_label"], lang),
                                  ratio=_times(1 / widest["ratio"], flipped, lang)))
            sentence = text("finding.sentence", lang, clauses=text(
                "list.join", lang, a=parts[0], b=join(parts[1:], lang)) if len(parts) > 1 else parts[0])
        else:
            sentence = ""
        out.append(_with_not_comparable(sentence, peer, focus, len(sub) - comparable, len(sub), lang))
    return out


def _with_not_comparable(sentence: str, peer: str, focus: str, n: int, total: int, lang: str) -> str:
    """``sentence`` followed by how many of the ``total`` indicators of ``peer`` and ``focus`` cannot be compared
    (``n``; nothing added for 0)."""
    if not n:
        return sentence
    note = text("finding.not_comparable", lang, peer=peer, focus=focus, n=n, total=total)
    return text("finding.two_sentences", lang, a=sentence, b=note) if sentence else note


def makerspaces(table4_numbers: pd.DataFrame, lang: str = "zh") -> list[str]:
    """Cost coverage, spaces with no investment, and how concentrated the investment is.

    ``table4_numbers`` is report_tables.table_4(..., as_printed=False) (columns name, cost, revenue, investment;
    last row the total). Coverage and the count of loss-makers are over the spaces with both cost and revenue
    known, and the sentence counts only those; investment counts zero and unreported ('-') spaces apart."""
    check_lang(lang)
    body = table4_numbers.iloc[:-1]
    cost, revenue, invest = (body.iloc[:, i].astype(float) for i in (1, 2, 3))
    known = cost.notna() & revenue.notna()
    cost, revenue = cost[known], revenue[known]
    return [
        text("finding.makerspace_cost", lang, n=int(known.sum()), coverage=format_percent(revenue.sum() / cost.sum()),
             loss=int((revenue < cost).sum())),
        text("finding.makerspace_investment", lang, zero=int((invest == 0).sum()), unknown=int(invest.isna().sum()),
             top2=format_percent(invest.nlargest(2).sum() / invest.sum())),
    ]


def gaps(gap_rows: pd.DataFrame, target_year: int, lang: str = "zh", focus: str | None = None) -> list[str]:
    """Per peer: the largest and smallest annual growth the focus needs on the indicators where the peer leads,
    and, where the focus already leads, on how many of the comparable indicators (position 'trails', 'leads' or
    'level') it does (it needs no growth there), and on how many it is level with the peer (a tie is no lead); then
    how many indicators cannot be compared (position 'unknown'), which are never counted as comparable.

    ``gap_rows`` is growth.gap_table's frame labelled by names.label_rows (entity_label, indicator_label, ratio,
    ratio_bound, required_growth, position). A peer the focus leads everywhere gets only the lead sentence;
    ``focus`` is the focus's display name (default: the catalogue's word for "the focus district").
    Raises ParameterError for a ``lang`` other than 'zh'/'en'.
    """
    check_lang(lang)
    out = []
    for peer, sub in gap_rows.groupby("entity_label", sort=False):
        trails = sub[(sub["position"] == "trails") & sub["required_growth"].notna()]
        if len(trails):
            hard = trails.loc[trails["required_growth"].idxmax()]
            easy = trails.loc[trails["required_growth"].idxmin()]
            if len(trails) == 1:  # one indicator is both the hardest and the easiest: say it once
                out.append(text("finding.gap_one", lang, target_year=target_year, peer=peer,
                                indicator=in_sentence(hard["indicator_label"], lang), growth=format_percent(hard["required_growth"])))
            else:
                out.append(text("finding.gap", lang, target_year=target_year, peer=peer,
                                hard=in_sentence(hard["indicator_label"], lang), hard_growth=format_percent(hard["required_growth"]),
                                easy=in_sentence(easy["indicator_label"], lang), easy_growth=format_percent(easy["required_growth"])))
        leads, level = int((sub["position"] == "leads").sum()), int((sub["position"] == "level").sum())
        comparable = int(sub["position"].isin(["trails", "leads", "level"]).sum())
        the_focus = focus or text("finding.the_focus", lang)
        said = [text(key, lang, peer=peer, n=n, total=comparable, focus=the_focus)
                for key, n in (("finding.gap_leads", leads), ("finding.gap_level", level)) if n]
        sentence = text("finding.two_sentences", lang, a=said[0], b=said[1]) if len(said) == 2 else "".join(said)
        if sentence or comparable < len(sub):
            out.append(_with_not_comparable(sentence, peer, the_focus, len(sub) - comparable, len(sub), lang))
    return out


def composite(summary: pd.DataFrame, shift_sensitivity: pd.Series, n_samples: int, lang: str = "zh",
              position_sensitivity: pd.DataFrame | None = None) -> list[str]:
    """The ranking with its 5–95% rank interval, which analyst choice moves it most, and, where ranks
    never move, which choice moves each district's relative position most.

    That nothing moved is said once, and this list is the one place that says it (notebook 05 draws no figure of
    a sensitivity that is not defined and adds no note of its own): with two districts ranked, each is always the
    best or the worst, so ranks that never changed also mean positions that never moved (``finding.two_ranked``);
    with more, ``finding.ranking_robust``, then ``finding.positions_fixed`` when no position moved either."""
    check_lang(lang)
    ordered = summary.sort_values("nominal_rank")
    items = [text("finding.rank_item", lang, entity=e, rank=int(r.nominal_rank), p05=int(r.rank_p05),
                  p95=int(r.rank_p95)) for e, r in ordered.iterrows()]
    out = [text("finding.ranking", lang, items=join(items, lang))]
    moving = position_sensitivity.dropna(how="all") if position_sensitivity is not None else pd.DataFrame()
    if shift_sensitivity.isna().all():
        if int(summary["nominal_rank"].notna().sum()) == 2:
            return out + [text("finding.two_ranked", lang, n=n_samples)]
        out.append(text("finding.ranking_robust", lang, n=n_samples))
        if position_sensitivity is not None and moving.empty:
            out.append(text("finding.positions_fixed", lang, n=n_samples))
    else:
        top = shift_sensitivity.idxmax()
        out.append(text("finding.ranking_moved_by", lang, factor=text(f"factor.{top}", lang),
                        index=format_fixed(shift_sensitivity[top], 2)))
    for entity, row in moving.iterrows():
        top = row.idxmax()
        out.append(text("finding.position_moved_by", lang, entity=entity, factor=text(f"factor.{top}", lang),
                        index=format_fixed(row[top], 2)))
    return out


def coverage(inputs: pd.DataFrame, names: dict, reference: str, min_coverage: float, lang: str = "zh") -> str:
    """Who is shown but not ranked, and why, under the composite's inputs: each entity of ``inputs``
    (composite.indicators.index_inputs: index entity, n_values, ranked; the focus first) below ``min_coverage``
    with its count of indicators, and, when the focus is one of them, the entity the index is relative to instead
    (``reference``, composite.indicators.reference). '' when every entity is ranked. ``names``: id -> name."""
    check_lang(lang)
    thin = inputs[~inputs["ranked"].astype(bool)]
    if thin.empty:
        return ""
    from analysis_utils.composite.indicators import INDICATORS  # the index's own count, whatever columns follow

    total = len(INDICATORS)
    items = join([text("finding.coverage_item", lang, entity=names.get(e, e), n=int(r.n_values), total=total)
                  for e, r in thin.iterrows()], lang)
    out = text("finding.not_ranked", lang, items=items, share=format_percent(min_coverage, 0))
    if inputs.index[0] != reference:
        out = text("finding.two_sentences", lang, a=out, b=text("finding.reference_instead", lang,
                   focus=names.get(inputs.index[0], inputs.index[0]), reference=names.get(reference, reference)))
    return out


def imputed(record: pd.DataFrame, lang: str = "zh") -> str:
    """How many values of the index are not data but imputed (composite.matrix.treat_censored_missing's record:
    rows with action 'imputed', one per cell), and by which rule; '' when none is."""
    check_lang(lang)
    rows = record[record["action"] == "imputed"]
    if rows.empty:
        return ""
    return text("finding.imputed", lang, n=len(rows), total=int(rows["entity"].nunique()),
                method=text(f"missing.{rows['method'].iloc[0]}", lang))


def audit_lead(audit: pd.DataFrame, facts: pd.DataFrame, lang: str = "zh") -> list[str]:
    """What the claims audit found, for the top of its page: how many statements were reproduced, counted apart
    by what they were checked against (recomputed from other printed numbers, restating a number printed
    elsewhere, counting items listed elsewhere), how many could be checked only within their own sentence
    (basis internal) and how many of those agree, how many of the others are only consistent, implied or
    unverifiable, which are inconsistent, how strong the checks of the reproduced ones are, and how many plain
    facts were set apart. The first sentence's counts, with the inconsistent ones named in the second, add up to
    the claims (an inconsistent internal check is counted among the internal ones and named again).

    ``audit`` is claims.audit's frame (verdict, basis, band_units, statement_zh/_en); ``facts`` is
    claims.not_checkable's. Raises ParameterError for a ``lang`` other than 'zh'/'en'.
    """
    check_lang(lang)
    count = audit.groupby(["verdict", "basis"]).size()

    def n(verdict, basis=None):
        return int(count.get(verdict, pd.Series(dtype=int)).sum() if basis is None
                   else count.get((verdict, basis), 0))

    def others(verdict):  # the claims of a verdict but the internal checks, which are counted apart
        return n(verdict) - n(verdict, "internal")
    out = [text("finding.audit_counts", lang, n=len(audit), reproduced=n("reproduced"),
                recomputed=n("reproduced", "recomputed"), restated=n("reproduced", "restated"),
                counted=n("reproduced", "counted"), internal=int((audit["basis"] == "internal").sum()),
                coherent=n("consistent", "internal"), consistent=others("consistent"), implied=others("implied"),
                unverifiable=others("unverifiable"), facts=len(facts))]
    bad = audit[audit["verdict"] == "inconsistent"]
    # the printed figure in brackets only when the statement does not already quote it
    statements = join([str(s).rstrip(".。") if str(p) in str(s) else
                       text("finding.audit_item", lang, statement=str(s).rstrip(".。"), printed=p)
                       for s, p in zip(bad[lang_column("statement", lang)], bad["printed"])], lang) if len(bad) else "-"
    out.append(text("finding.audit_inconsistent", lang, n=len(bad), statements=statements))
    widths = audit.loc[audit["verdict"] == "reproduced", "band_units"].dropna()
    if len(widths):
        out.append(text("finding.audit_strength", lang, n=len(widths), median=format_fixed(widths.median(), 1),
                        widest=format_fixed(widths.max(), 1), tight=int((widths <= 1.5).sum())))
    return out
