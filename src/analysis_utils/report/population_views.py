"""Table 2's population column in words: which concept each district's number is (data/concepts.csv), the
published resident population beside it, and the per-resident comparisons and composite ranks recomputed with it
(analysis.compare.resident_alternative, per_resident_sensitivity), for readers of zh or en."""
from __future__ import annotations

import pandas as pd

from analysis_utils.labels import check_lang, join, text
from analysis_utils.report.names import entity_names, indicator_names, text_column
from analysis_utils.report.present import page_number
from analysis_utils.report.report_tables import marked_numbers

BOUND_SIGNS = {"lower": "≥", "upper": "≤"}  # a per-resident value of a printed bound is a bound too


def population_note(data, alternative: pd.DataFrame, year: int, lang: str = "zh", below: bool = True) -> str:
    """The sentences flagging Table 2's population column when its districts' numbers are of different concepts
    (alternative: resident_alternative's frame), saying where the comparisons are recomputed with a published
    resident population: ``below`` (on this page: 03, 05) or in notebooks 03 and 05 (02, which shows the column);
    '' when they are all one concept. ParameterError for a bad ``lang``."""
    check_lang(lang)
    names = entity_names(data, lang)
    report = alternative[alternative["population_source_id"].fillna("") == ""]  # a user's number is no Table 2's
    by = {c: [names.get(e, e) + ("*" if inferred else "") for e, inferred in
              zip(*report.loc[report["concept"] == c, ["entity", "inferred"]].T.values)] for c in ("registered", "resident")}
    if not by["registered"]:
        return ""
    inferred = bool(report["inferred"].any())
    return text("population.note_inferred" if inferred else "population.note", lang,
                mixed=text("population.mixed", lang, registered=join(by["registered"], lang, names=True),
                           resident=join(by["resident"], lang, names=True) or "-"),
                recomputed=text("population.recomputed_below" if below else "population.recomputed_elsewhere",
                                lang, year=year),
                inferred=text("population.inferred", lang))


def population_view(data, ext, alternative: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """resident_alternative's frame for readers of ``lang``: district, as printed, what it counts, the evidence's
    publisher, the published resident population, its year, its publisher and standing, and the other published
    resident figures (year: 万人, standing), so that the spread of the sources is seen. ParameterError for a bad
    ``lang``."""
    check_lang(lang)
    names = entity_names(data, lang)

    def publisher(source_id):
        """A source of the external folder or of the data's registry (a user's additions cite their own)."""
        if not source_id:
            return "-"
        known = ext is not None and source_id in set(ext.sources["source_id"])
        return (ext.source(source_id) if known else data.source_of(source_id))[text_column("publisher", lang)]

    def concept(r) -> str:
        named = text(f"concept.{r['concept']}", lang)
        named = text("concept.inferred", lang, concept=named) if r["inferred"] else named
        if not r["population_source_id"]:
            return named
        if r["evidence_source_id"]:  # a user's number with the user's own concept row (concepts.csv)
            return text("concept.of_source", lang, concept=named, publisher=publisher(r["population_source_id"]))
        # a user's number without one: its concept is as its source gives it, not checked
        return text("concept.as_source", lang, publisher=publisher(r["population_source_id"]))
    def others(r) -> str:
        """The other published resident figures of the entity, by year: the reader sees how far they spread."""
        if ext is None:
            return "-"
        obs = ext.observations[(ext.observations["entity"] == r["entity"])
                               & (ext.observations["indicator"] == "resident_population")]
        shown = [text("population.other", lang, year=int(o["year"]),
                      value=f'{data.units_table.convert(float(o["value"]), o["unit"], "万人"):.2f}',
                      tier=text(f"external.tier.{tiers.get(o['source_id']) or 'own'}", lang))
                 for o in obs.sort_values("year").to_dict("records")
                 if not (o["source_id"] == r["resident_source_id"] and int(o["year"]) == r["resident_year"])]
        return join(shown, lang) if shown else "-"

    tiers = dict(zip(ext.sources["source_id"], ext.sources["tier"].fillna(""))) if ext is not None else {}
    view = pd.DataFrame({
        "entity": [names.get(e, e) for e in alternative["entity"]],
        "printed_value": marked_numbers(alternative["printed_value"], alternative["population_source_id"], "value")
        or [page_number(v, "value") for v in alternative["printed_value"]],  # 113 as printed, not 113.00
        "concept": [concept(r) for r in alternative.to_dict("records")],
        "evidence": [publisher(s) for s in alternative["evidence_source_id"]],
        "resident": [r if not pd.isna(r) else "-" for r in alternative["resident"]],
        "resident_year": [str(y) if not pd.isna(y) else "-" for y in alternative["resident_year"]],
        "resident_source": [publisher(s) for s in alternative["resident_source_id"]],
        "resident_tier": [text(f"external.tier.{t}", lang) if t else "-" for t in alternative["resident_tier"]],
        "others": [others(r) for r in alternative.to_dict("records")]})
    view.columns = [text(f"population.col.{c}", lang) for c in view.columns]
    return view


def sensitivity_view(sensitivity: pd.DataFrame, data, lang: str = "zh") -> pd.DataFrame:
    """per_resident_sensitivity's frame for readers of ``lang``: district, indicator (per 10,000 residents), the
    value with the population as printed, with the published resident population (as text: a bound keeps its sign,
    another source's number its mark), and the change in %."""
    check_lang(lang)
    names, indicators = entity_names(data, lang), indicator_names(data, lang)
    ids = sensitivity["source_ids"] if "source_ids" in sensitivity else [""] * len(sensitivity)
    bounds = sensitivity["bound"] if "bound" in sensitivity else ["exact"] * len(sensitivity)

    def shown(column) -> list[str]:
        """3 decimals, '≥' for a lower bound (南山's R&D >200亿元 per 10,000 residents), † where computed from a
        number of another source, '-' where missing."""
        marked = marked_numbers(sensitivity[column], ids, "index") or [page_number(v, "index") for v in
                                                                       sensitivity[column]]
        return [BOUND_SIGNS.get(b, "") + m if m != "-" else m for m, b in zip(marked, bounds)]
    view = pd.DataFrame({"entity": [names.get(e, e) for e in sensitivity["entity"]],
                         "indicator": [indicators.get(i, i) for i in sensitivity["indicator"]],
                         "value": shown("value"), "value_resident": shown("value_resident"),
                         "change": [f"{c:+.1%}" if not pd.isna(c) else "-" for c in sensitivity["change"]]})
    view.columns = [text(f"population.col.{c}", lang) for c in view.columns]
    return view


def unpublished_note(data, alternative: pd.DataFrame, lang: str = "zh") -> str:
    """The sentence under 03's per-resident values recomputed with a published resident population
    (resident_alternative's frame): the districts with none (a user's district, which no source of data/external/
    covers), whose recomputed values are '-'; '' when every district has one. ParameterError for a bad ``lang``."""
    check_lang(lang)
    return _without_published(alternative, entity_names(data, lang), "population.unpublished", lang)


def _without_published(alternative: pd.DataFrame, names: dict, key: str, lang: str) -> str:
    """The catalogue's ``key`` naming the districts of ``alternative`` with no published resident population; ''
    when there is none."""
    none = [names.get(e, e) for e, r in zip(alternative["entity"], alternative["resident"]) if pd.isna(r)]
    return text(key, lang, entities=join(none, lang, names=True)) if none else ""


def used_note(data, alternative: pd.DataFrame, lang: str = "zh") -> str:
    """The sentences under the recomputed ranks (05) naming each district's published resident population they use
    (resident_alternative's frame): value in 万人 as the data hold it, its year and the standing of its source; then
    the districts with none, whose population the ranks keep as the data give it (a user's district, which no source
    of data/external/ covers); '' when there are neither. A referee found only "each district's year nearest 2015"
    there; a newcomer's district was kept silently."""
    check_lang(lang)
    names = entity_names(data, lang)
    items = [text("population.used_item", lang, entity=names.get(r["entity"], r["entity"]), year=int(r["resident_year"]),
                  value=page_number(r["resident"], "value"),
                  tier=text(f"external.tier.{r['resident_tier'] or 'own'}", lang))
             for r in alternative.to_dict("records") if not pd.isna(r["resident"])]
    kept = _without_published(alternative, names, "population.kept", lang)
    return text("population.used", lang, items=join(items, lang), kept=kept).strip() if items else kept


def rank_view(ranks: pd.DataFrame, data, lang: str = "zh") -> pd.DataFrame:
    """Composite ranks by district (columns entity, rank, rank_resident) for readers of ``lang``."""
    check_lang(lang)
    names = entity_names(data, lang)
    view = ranks.assign(entity=[names.get(e, e) for e in ranks["entity"]])[["entity", "rank", "rank_resident"]]
    view.columns = [text(f"population.col.{c}", lang) for c in view.columns]
    return view
