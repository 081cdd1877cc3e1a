"""Names of a dataset's entities and indicators in the reader's language (the data hold both: entities.csv
entity (the Chinese name is the id) and name_en; indicators.csv name_zh and name_en)."""
from __future__ import annotations

from analysis_utils.data.load import ENTITY_NAME_COLUMNS
from analysis_utils.labels import check_lang, name_column


def entity_names(data, lang: str) -> dict[str, str]:
    """Entity id -> its name in ``lang`` (``data``: a data.load.Dataset): the id itself in zh, name_en in en.
    ParameterError for a ``lang`` other than 'zh'/'en'."""
    column = ENTITY_NAME_COLUMNS[check_lang(lang)]
    ent = data.tables["entities"]
    return dict(zip(ent["entity"], ent[column]))


def indicator_names(data, lang: str) -> dict[str, str]:
    """Indicator id -> its name in ``lang`` (indicators.csv name_zh / name_en): 'rd_intensity' -> 'R&D投入强度'.
    ParameterError for a ``lang`` other than 'zh'/'en'."""
    column = name_column(lang)
    ind = data.tables["indicators"]
    return dict(zip(ind["indicator"], ind[column]))
