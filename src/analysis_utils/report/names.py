"""Names of the data's codes in a reader's language: entities, indicators, the external sources' own texts.

The domain (data/, analysis/, composite/) keys everything by codes: entity ids (the Chinese names of
entities.csv), indicator ids (indicators.csv), unit and qualifier codes, denominators. A page names them here, in
``lang`` ('zh' or 'en'), from the data's own name columns (entities.csv ``entity`` / ``name_en``, indicators.csv
``name_zh`` / ``name_en``) and the catalogue (messages.csv: 'per 10,000 residents', the denominators). Every
function raises ParameterError for a ``lang`` other than 'zh'/'en' (labels.check_lang).
"""
from __future__ import annotations

import functools
import warnings

import pandas as pd

from analysis_utils.analysis.compare import DENOMINATORS
from analysis_utils.data.load import Dataset, load
from analysis_utils.errors import AnalysisError
from analysis_utils.labels import check_lang, in_sentence, name_column, text
from analysis_utils.report.printed import unit_label

OTHER_MARK = "†"  # after a number or a name that is not the report's: report_tables.source_note names its source
ENTITY_NAME_COLUMNS = {"zh": "entity", "en": "name_en"}  # entities.csv: the id is the Chinese name
# Texts of data/external/ we wrote in each language: what -> lang -> column. The sources' own words stay in
# publisher (as named), title and quote, which a page shows under a header saying they are the original.
TEXT_COLUMNS = {"publisher": {"zh": "publisher", "en": "publisher_en"},
                "scope": {"zh": "scope_zh", "en": "scope"},
                "location": {"zh": "location_zh", "en": "location"}}


def entity_names(data: Dataset, lang: str = "zh") -> dict[str, str]:
    """Entity id -> its name in ``lang``, for every row of entities.csv: the id itself in zh (ids are the Chinese
    names), ``name_en`` in en: {'南山区': 'Nanshan District', …}. An entity the report does not describe (a user's
    own district: Dataset.report_view leaves it out) is named with the mark of numbers from other sources
    (report_tables.OTHER_MARK, '示例区†'), so every table, chart and sentence that names it says its numbers are not
    the report's; so is a district one of whose printed numbers a user's replacement stands in for (its derived
    values on every page use the replacement). Raises ParameterError for a bad ``lang``."""
    column = ENTITY_NAME_COLUMNS[check_lang(lang)]
    ent = data.entities
    report = set(data.report_view().entities["entity"]) if hasattr(data, "report_view") else set(ent["entity"])
    replaced = set(data.tables["replaced"]["entity"]) if "replaced" in getattr(data, "tables", {}) else set()
    return {e: n if e in report and e not in replaced else f"{n}{OTHER_MARK}" for e, n in zip(ent["entity"], ent[column])}


@functools.lru_cache(maxsize=8)
def entity_names_in(data_dir: str | None, lang: str = "zh") -> dict[str, str]:
    """:func:`entity_names` of the data in ``data_dir`` (None: the packaged data/; a folder of a user's additions is
    read with it), for a page that knows the run's folder, not its data (report.provenance: the parameters of a run);
    read once per folder and language, without repeating the data's warnings (the run has said them). {} when the
    data cannot be read (a past run's folder, since removed or broken). ParameterError for a bad ``lang``."""
    check_lang(lang)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return entity_names(load(data_dir), lang)
    except AnalysisError:
        return {}


def indicator_names(data: Dataset, lang: str = "zh", sentence: bool = False) -> dict[str, str]:
    """Indicator id -> its name in ``lang`` (indicators.csv ``name_zh`` / ``name_en``): 'rd_intensity' ->
    'R&D投入强度'; with ``sentence``, as written inside a sentence (:func:`in_sentence`: 'total revenue').
    Raises ParameterError for a bad ``lang``."""
    column = name_column(lang)
    ind = data.indicators
    return {i: in_sentence(n, lang) if sentence else n for i, n in zip(ind["indicator"], ind[column])}


def indicator_name(data: Dataset, indicator: str, lang: str = "zh") -> str:
    """The name of one indicator in ``lang`` (indicators.csv), the one name every header and sentence uses.
    Raises AnalysisError for an unknown indicator (Dataset.indicator_meta), ParameterError for a bad ``lang``."""
    column = name_column(lang)
    return str(data.indicator_meta(indicator)[column])


def text_column(what: str, lang: str) -> str:
    """The column of data/external's sources.csv or observations.csv holding ``what`` ('publisher', 'scope',
    'location') in ``lang``: ('publisher', 'en') -> 'publisher_en', ('scope', 'zh') -> 'scope_zh'. Raises
    ParameterError for a bad ``lang``, KeyError for another ``what``."""
    lang = check_lang(lang)
    return TEXT_COLUMNS[what][lang]


def label_rows(df: pd.DataFrame, data: Dataset, lang: str, entity_col: str = "entity") -> pd.DataFrame:
    """A copy of ``df`` with ``indicator_label`` and ``entity_label`` (and ``unit_label`` where it has a ``unit``
    column) added in ``lang``; ``df`` itself is not changed.

    ``df`` needs columns ``indicator`` (ids) and ``entity_col`` (entity ids; an id without a row in entities.csv
    gets NaN); where it has a ``denominator`` column (a key of analysis.compare.DENOMINATORS, or 'total'), the
    label carries it: '区域总产值（每万人）' / 'Gross regional product (per 10,000 residents)'. Used on the frames of
    analysis.compare (table2_ratios, normalised, normalised_ratios, talent_long) and analysis.growth.gap_table.
    Raises ParameterError for a ``lang`` other than 'zh'/'en'.
    """
    name = name_column(lang)
    meta = data.indicators.set_index("indicator")[name]
    names = entity_names(data, lang)
    out = df.copy()
    out["indicator_label"] = out["indicator"].map(meta)
    if "denominator" in out:
        out["indicator_label"] = [name if den not in DENOMINATORS else
                                  text("label.with_denominator", lang, name=name,
                                       denominator=text(f"denominator.{den}", lang))
                                  for name, den in zip(out["indicator_label"], out["denominator"])]
    out["entity_label"] = out[entity_col].map(names)
    if "unit" in out:
        out["unit_label"] = [unit_label(data.units_table, u, lang) for u in out["unit"]]
    return out


def indicator_labels(data: Dataset, lang: str = "zh") -> dict[str, str]:
    """Indicator id -> display name in ``lang`` for the composite index's eleven indicators
    (composite.indicators.INDICATORS), per resident where sized so (PER_RESIDENT):
    '高新技术企业数量（每万人）' / 'High-tech enterprises per 10,000 residents'.

    Raises ParameterError for a ``lang`` other than 'zh'/'en'.
    """
    from analysis_utils.composite.indicators import (  # the composite's (scipy) only here
        INDICATORS,
        PER_RESIDENT,
    )

    name = name_column(lang)
    meta = data.indicators.set_index("indicator")[name]
    return {indicator: text("label.per_10k_residents", lang, name=meta[indicator]) if indicator in PER_RESIDENT
            else meta[indicator] for indicator in INDICATORS}
