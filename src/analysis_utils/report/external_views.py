"""The external checks (audit.external) in words, for readers of zh or en: published figures with their units,
differences, the explanation of each verdict, and the reader's views of the checks, the sources and the summary.
"""
from __future__ import annotations

import functools
import math

import pandas as pd

from analysis_utils.audit.external import EXTERNAL_VERDICTS, external_checks
from analysis_utils.audit.intervals import fmt
from analysis_utils.data.external import external_if_any
from analysis_utils.data.printed import NUMERAL, number_of
from analysis_utils.errors import UnitError
from analysis_utils.labels import LANGS, check_lang, lang_column, location, name_column, text
from analysis_utils.report.names import entity_names, indicator_names, text_column
from analysis_utils.report.printed import english_amount, in_words, unit_label
from analysis_utils.rounding import format_fixed

# the reader's view of the checks; 'quote' (the source's own words) is shown as the original
VIEW_COLUMNS = ["source", "statement", "printed", "year", "published", "external_year", "verdict",
                "explanation", "publisher", "tier", "quote"]
# the reader's view of sources.csv (no ids, no file/line of our data): column -> catalogue key of its header;
# 'title' is the source's own title, shown as the original
SOURCE_VIEW_COLUMNS = {"publisher": "external.source_publisher", "title": "external.source_title",
                       "url": "external.source_url", "date_published": "external.source_date_published",
                       "date_accessed": "external.source_date_accessed", "kind": "external.source_kind",
                       "tier": "external.col.tier", "scope": "external.source_scope"}
SOURCE_KINDS = {"official statistics": "external.source_kind_official_statistics",
                "government report": "external.source_kind_government_report",
                "news report": "external.source_kind_news_report", "other": "external.source_kind_other"}
# headers of views that hold the sources' own (Chinese) words in every language
ORIGINAL_HEADERS = ("external.col.quote", "external.source_title")


def with_unit(number: str, unit: str, units, lang: str) -> str:
    """A number and its unit as a reader of ``lang`` writes them: '1101.04亿元' / '110.104 billion yuan'
    (report.printed.english_amount), '5.8%' in both, '1 person' (units: data.units.UnitTable). Raises
    ParameterError for a bad ``lang``."""
    if in_words(lang):
        return english_amount(number, unit, units)
    if unit in ("", "%"):
        return text("external.number_percent" if unit else "external.number_plain", lang, number=number)
    return text("external.number_unit", lang, number=number, unit=unit_label(units, unit, lang))


def shown_value(printed: str, unit: str, units, lang: str) -> str:
    """A published figure as printed ('1101.04亿元', '3715 亿元', '2.74', '71名') re-written in ``lang``: its number
    with the unit (with_unit). A computed figure 'expression = x' gets its unit on the result ('(2.74 + 2.91 +
    3.02)/3 = 2.89%'); another text that is more than one number and a unit (a qualifier, a range, a computed share
    'a/b = x%') is returned as printed. Raises ParameterError for a bad ``lang``."""
    check_lang(lang)
    expression, equals, result = str(printed).rpartition("=")
    if equals and number_of(result.strip()) is not None:
        return f"{expression}= {with_unit(result.strip(), unit, units, lang)}"
    bare = str(printed).replace(" ", "").replace("億", "亿")  # a unit in traditional characters (3715億元)
    for suffix in (unit, unit_label(units, unit, "zh")):
        if suffix and bare.endswith(suffix):
            bare = bare[: -len(suffix)]
    if number_of(bare) is None and bare[-1:] and "\u4e00" <= bare[-1] <= "\u9fff":
        bare = bare[:-1]  # a measure word printed instead of the unit (71名 for 人)
    return with_unit(bare, unit, units, lang) if number_of(bare) is not None else str(printed)


def difference_text(diff: float, unit: str, units, lang: str, decimals: int | None = None) -> str:
    """published − printed in the report's unit as a reader of ``lang`` writes it; a difference of percentages in
    percentage points ('0.12个百分点' / '0.12 percentage points'), rounded to ``decimals`` (compared_decimals: the
    precision of the two numbers compared, so that 40.3% − 38% reads 2.3, not 2.299) and worded by with_unit
    ('-37,250 persons'); without ``decimals``, four significant digits ('-3.725万人'). Raises ParameterError for a
    bad ``lang``."""
    check_lang(lang)
    number = format_fixed(diff, decimals) if decimals is not None else fmt(diff, 4)
    if unit == "%":
        return text("external.percentage_points", lang, number=number)
    return with_unit(number, unit, units, lang)


def compared_decimals(printed: str, published: str, unit: str, published_unit: str, units) -> int | None:
    """The decimals, in the report's ``unit``, of the finer of the two numbers a difference compares: the report's
    ``printed`` text and the ``published`` one (as its source prints it in ``published_unit``, whose decimals
    count more in a larger unit: 1092750 人 is 109.2750 万人, four decimals). A text's decimals are those of its
    most precise number ('27/67 = 40.3%': 1). None when a text shows no number or the two units are not a power
    of ten apart (the difference then keeps four significant digits: difference_text)."""
    def places(text_: str) -> int | None:
        found = [len(m.group(3) or ".") - 1 for m in NUMERAL.finditer(str(text_ or ""))]
        return max(found) if found else None

    own, other = places(printed), places(published)
    if own is None or other is None:
        return None
    if published_unit and unit and published_unit != unit:
        try:
            shift = -math.log10(units.factor(published_unit, unit))
        except UnitError:  # an unknown unit or another dimension: no common precision
            return None
        if abs(shift - round(shift)) > 1e-9:
            return None
        other += round(shift)
    return max(own, other, 0)


def explained(check: dict) -> str:
    """The catalogue's explanation of a check (``external.explain.<this>``): its verdict's, or for a later-published
    figure of an undated source (a year after the report's: audit.external) the undated one."""
    undated = check["verdict"] == "later_published" and not check.get("published_on")
    return "later_published_undated" if undated else check["verdict"]


def worded(checks: pd.DataFrame, data, ext, lang: str) -> pd.DataFrame:
    """The checks (audit.external.external_checks) with reader columns in ``lang``: statement (a claim's, or the
    cell's indicator and district by name), published (the figure with its unit), publisher, location, and
    explanation (the verdict, citing the publisher and the place in the source; in en the report's printed number
    and the difference worded as amounts, with_unit and difference_text; an explanation that would start with a
    publisher named by its host name, which starts with a small letter, starts with the catalogue's
    ``external.host_publisher``: 'The website szxxg.com (…) published …', zh as before). ParameterError for a bad
    ``lang``."""
    check_lang(lang)
    names, indicators, units = entity_names(data, lang), indicator_names(data, lang), data.units_table
    rows = []
    for r in checks.to_dict("records"):
        publisher = ext.source(r["source_id"])[text_column("publisher", lang)]
        published = shown_value(r["external_printed"], r["external_unit"], units, lang)
        statement = r[lang_column("statement", lang)] or text(
            "fact.observation", lang, entity=names.get(r["entity"], r["entity"]),
            indicator=indicators.get(r["indicator"], r["indicator"]))
        diff = r["difference"]
        decimals = compared_decimals(r["printed"], r["external_printed"], r["unit"], r["external_unit"], units)
        diff = "" if diff is None or pd.isna(diff) else difference_text(diff, r["unit"], units, lang, decimals)
        # the report's number as a reader of lang reads it beside the published one: zh the report's own text,
        # en the amount in words ('1.13 million persons' for 表2's 113 in 万人)
        printed = shown_value(r["printed"], r["unit"], units, lang) if in_words(lang) else r["printed"]
        fields = dict(printed=printed, year=int(r["year"]), ext_year=int(r["external_year"]), ext=published,
                      publisher=publisher, place=r[lang_column("location", lang)], diff=diff,
                      published=r.get("published_on", ""),
                      gap=text("external.gap", lang, diff=diff) if r["verdict"] == "later_published" and diff and
                      r["difference"] != 0 else text("external.gap_none", lang))
        key = f"external.explain.{explained(r)}"
        explanation = text(key, lang, **fields)
        if explanation.startswith(publisher) and publisher[:1].islower():  # a host name cannot start a sentence
            explanation = text(key, lang, **fields | {"publisher": text("external.host_publisher", lang,
                                                                        publisher=publisher)})
        rows.append({"statement": statement, "published": published, "publisher": publisher,
                     "explanation": explanation})
    return checks.assign(**pd.DataFrame(rows, index=checks.index, columns=["statement", "published", "publisher",
                                                                            "explanation"]))


def beside_claims(checks: pd.DataFrame, data, ext, lang: str = "zh") -> dict[str, str]:
    """What the published figures imply for each claim the external checks reach, to show beside its verdict on
    the audit page: {claim id: text}, e.g. '深圳市引进广东省创新创业团队 56/33 = 169.7%（2015年；szxxg.com…，未署名网页或
    转载：与公开数据不符）；…'. One part per (claim, figure), in the order of ``checks`` (audit.external.external_checks'
    frame; only its kind 'claim' rows), each naming its place (Wuhan's 67 academicians are a city's, not Hubei's)
    and its indicator (the report's or the external folder's indicators.csv). ParameterError for a bad ``lang``."""
    check_lang(lang)
    rows = checks[checks["kind"] == "claim"]
    if rows.empty:
        return {}
    names = {**indicator_names(data, lang),
             **dict(zip(ext.indicators["indicator"], ext.indicators[name_column(lang)]))}
    texts = worded(rows, data, ext, lang)
    places = entity_names(data, lang)
    out: dict[str, list[str]] = {}
    for r in texts.to_dict("records"):
        out.setdefault(r["item"], []).append(text(
            "external.beside", lang, entity=places.get(r["entity"], r["entity"]),
            indicator=names.get(r["indicator"], r["indicator"]), published=r["published"],
            year=int(r["external_year"]), publisher=r["publisher"], tier=text(f"external.tier.{r['tier']}", lang),
            verdict=text(f"external.verdict.{r['verdict']}", lang)))
    return {claim: functools.reduce(lambda a, b: text("list.join", lang, a=a, b=b), parts)
            for claim, parts in out.items()}


def published_beside(data, lang: str = "zh", audit: pd.DataFrame | None = None) -> dict[str, str]:
    """:func:`beside_claims` for the data folder's own external figures ({} when it has no ``external/``): the
    one call the audit page (notebook 04) makes, with the claims audit it has already made (``audit``: its claim
    and verdict columns; None: made here). Raises what data.external.external_if_any raises."""
    check_lang(lang)
    ext = external_if_any(data)
    return {} if ext is None else beside_claims(external_checks(data, ext, audit), data, ext, lang)


def checks_table(checks: pd.DataFrame, data, ext, texts: dict[str, pd.DataFrame] | None = None) -> pd.DataFrame:
    """The checks as written to external_checks.csv: external_checks' codes and numbers, then the explanation in
    every language (explanation_zh, explanation_en). ``texts``: {lang: :func:`worded` checks} already made (a
    page words the checks once per language), else worded here."""
    texts = texts or {code: worded(checks, data, ext, code) for code in LANGS}
    return checks.assign(**{f"explanation_{code}": texts[code]["explanation"] for code in LANGS})


def external_view(checks: pd.DataFrame, data, ext, lang: str = "zh", texts: pd.DataFrame | None = None
                  ) -> pd.DataFrame:
    """The checks (audit.external.external_checks) laid out for readers of ``lang``: where in the report
    (labels.location), what, printed, year, published figure (in ``lang``) and its year (years as labels, '2015'),
    verdict, explanation, publisher, and the source's own words at that place under a header saying they are the
    original. Headers and verdict names from the catalogue; ids, url and unrounded numbers stay in the CSV.
    ``texts``: the :func:`worded` checks in ``lang`` already made, else worded here. ParameterError for a bad
    ``lang``."""
    check_lang(lang)
    view = worded(checks, data, ext, lang) if texts is None else texts
    view = view.assign(verdict=view["verdict"].map(lambda v: text(f"external.verdict.{v}", lang)),
                       tier=view["tier"].map(lambda t: text(f"external.tier.{t}", lang)),
                       quote=[text("external.quote_traditional", lang, quote=q) if script == "traditional" else q
                              for q, script in zip(view["quote"], view.get("quote_script", [""] * len(view)))],
                       source=view["source"].map(lambda code: location(code, lang)),
                       year=view["year"].astype(str), external_year=view["external_year"].astype(str))[VIEW_COLUMNS]
    view.columns = [text(f"external.col.{c}", lang) for c in VIEW_COLUMNS]
    return view.reset_index(drop=True)


def sources_view(sources: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """sources.csv (data.external.ExternalData.sources) for readers of ``lang``: publisher and scope in ``lang``
    (text_column), the source's own title under a header saying it is the original, url (or the citation of a
    source without one), dates and
    kind (catalogue names); no source ids and no file/line of our data. Raises ParameterError for a bad ``lang``."""
    check_lang(lang)
    view = pd.DataFrame({"publisher": sources[text_column("publisher", lang)], "title": sources["title"],
                         # a source without an address is found by its citation (a printed bulletin)
                         "url": sources["url"].where(sources["url"] != "", sources.get("citation", "")),
                         "date_published": sources["date_published"],
                         "date_accessed": sources["date_accessed"],
                         "kind": sources["kind"].map(lambda k: text(SOURCE_KINDS[k], lang)),
                         "tier": sources.get("tier", pd.Series("", index=sources.index)).map(
                             lambda t: text(f"external.tier.{t or 'own'}", lang)),
                         "scope": sources[text_column("scope", lang)]})
    view.columns = [text(SOURCE_VIEW_COLUMNS[c], lang) for c in view.columns]
    return view.reset_index(drop=True)


def summary_view(summary: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """external_summary's table for readers of ``lang``: one row per kind of report number (statements, table and
    prose cells, all) and standing of the sources behind its verdict (external.tier.*; 'all'), one column per
    overall verdict, all, and newly checked, every header and row name from the catalogue. Raises ParameterError
    for a bad ``lang``."""
    check_lang(lang)
    view = summary.reset_index()
    view["kind"] = [text(f"external.kind.{k}", lang) for k in view["kind"]]
    view["tier"] = [text("external.kind.all" if t == "all" else f"external.tier.{t}", lang) for t in view["tier"]]
    headers = {"kind": text("external.summary_kind", lang), "tier": text("external.summary_tier", lang),
               "all": text("column.all", lang),
               "newly_checked": text("external.summary_newly_checked", lang)}
    headers |= {v: text(f"external.verdict.{v}", lang) for v in EXTERNAL_VERDICTS}
    view = view.rename(columns=headers)
    view.columns.name = None
    return view


def original_headers(lang: str) -> set[str]:
    """The headers, in ``lang``, of view columns holding the sources' own (Chinese) words (ORIGINAL_HEADERS)."""
    return {text(key, lang) for key in ORIGINAL_HEADERS}
