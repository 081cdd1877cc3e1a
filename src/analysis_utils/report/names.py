"""Names of the data's codes in a reader's language: entities, indicators, the external sources' own texts.

The domain (data/, analysis/, composite/) keys everything by codes: entity ids (the Chinese names of
entities.csv), indicator ids (indicators.csv), unit and qualifier codes. A page names them here, in ``lang`` ('zh'
or 'en'), from the data's own name columns (entities.csv ``entity`` / ``name_en``, indicators.csv ``name_zh`` /
``name_en``). Every function raises ParameterError for a ``lang`` other than 'zh'/'en' (labels.check_lang).
"""
from __future__ import annotations

from analysis_utils.data.load import Dataset
from analysis_utils.labels import check_lang, name_column

ENTITY_NAME_COLUMNS = {"zh": "entity", "en": "name_en"}  # entities.csv: the id is the Chinese name
# Texts of data/external/ we wrote in each language: what -> lang -> column. The sources' own words stay in
# publisher (as named), title and quote, which a page shows under a header saying they are the original.
TEXT_COLUMNS = {"publisher": {"zh": "publisher", "en": "publisher_en"},
                "scope": {"zh": "scope_zh", "en": "scope"},
                "location": {"zh": "location_zh", "en": "location"}}


def entity_names(data: Dataset, lang: str = "zh") -> dict[str, str]:
    """Entity id -> its name in ``lang``, for every row of entities.csv: the id itself in zh (ids are the Chinese
    names), ``name_en`` in en: {'南山区': 'Nanshan District', …}. Raises ParameterError for a bad ``lang``."""
    column = ENTITY_NAME_COLUMNS[check_lang(lang)]
    ent = data.entities
    return dict(zip(ent["entity"], ent[column]))


def indicator_names(data: Dataset, lang: str = "zh") -> dict[str, str]:
    """Indicator id -> its name in ``lang`` (indicators.csv ``name_zh`` / ``name_en``): 'rd_intensity' ->
    'R&D投入强度'. Raises ParameterError for a bad ``lang``."""
    column = name_column(lang)
    ind = data.indicators
    return dict(zip(ind["indicator"], ind[column]))


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
