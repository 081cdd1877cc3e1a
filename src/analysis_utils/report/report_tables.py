"""The tables a page shows, in the page's language: the report's 表1–表5 in its layout, its prose numbers, and
the reader views of the analysis (the gap table, the external share series, the composite index's inputs).

The numbers come from the domain (analysis.tables, analysis.growth), keyed by codes; here they are headed by the
catalogue (messages.csv), rows named (report.names) and, with ``as_printed=True``, cells formatted as the report
prints them ('>200', '约1万人', '-'; in English '~10,000 persons': report.printed.english_amount).
``as_printed=False`` gives the same table with numbers (NaN for '-', the bound for '>200'), what the charts and
findings read. Every function raises ParameterError for a ``lang`` other than 'zh'/'en'.
"""
from __future__ import annotations

import pandas as pd

from analysis_utils.analysis import tables
from analysis_utils.analysis.compare import split_source_ids
from analysis_utils.analysis.tables import TABLE_1_YEARS, format_number, printed_round
from analysis_utils.composite.indicators import (
    INDICATORS,
    MIN_COVERAGE,
    PER_RESIDENT,
    index_inputs,
    index_sources,
    indicator_matrix,
)
from analysis_utils.data.load import REPORT_YEAR, Dataset
from analysis_utils.data.units import packaged_units
from analysis_utils.errors import AnalysisError
from analysis_utils.labels import (
    check_lang,
    join,
    lang_column,
    location,
    name_column,
    text,
)
from analysis_utils.report.names import OTHER_MARK, entity_names, indicator_labels, text_column
from analysis_utils.report.present import page_number, with_formats
from analysis_utils.report.printed import (
    COUNT_WORDS,
    english_amount,
    english_unit,
    grouped,
    in_words,
    unit_label,
)

MISSING_CELL = "-"  # a value the data do not hold, printed as the report prints one it does not give

# 表1's headers, by analysis.tables.TABLE_1_COLUMNS
TABLE_1_HEADERS = {"year": "table1.year", "patent_grants": "table1.patent_grants", "growth": "table1.growth",
                   "invention_patent_grants": "table1.invention_patent_grants",
                   "invention_growth": "table1.invention_growth"}


def title(table: int, lang: str, names: list[str], year: int | str = "", shown: pd.DataFrame | None = None) -> str:
    """The report's caption of table ``table`` (1–5) in ``lang``, naming the districts the table shows.

    ``names`` are display names (report.names.entity_names) of the table's rows as shown, the focus first: 表2
    and 表3 name the first and the others as its peers, 表1, 表4 and 表5 the one district they describe. For the
    report's own districts the caption is the report's: title(2, 'zh', ['武昌区', '南山区', '余杭区'], 2015) =
    '表2 2015年武昌区与南山区、余杭区创新成效比较'; in English 'Table 2 Innovation performance of Wuchang District
    compared with Nanshan District and Yuhang District, 2015'. ``shown``: the observations behind the cells
    (analysis.tables.observations_shown); when one of them is not the report's (a source_id), the caption does not
    call the table the report's: 'title.table<N>_others' ('… 按报告表2的口径；† 为其他来源的数值').
    Raises ParameterError for a ``lang`` other than 'zh'/'en'; AnalysisError for a table number without a title
    or an empty ``names``.
    """
    check_lang(lang)
    names = list(names)
    if not names:
        raise AnalysisError(f"the title of table {table} names its districts: give at least one name")
    others = shown is not None and bool((shown["source_id"] != "").any())
    return text(f"title.table{table}{'_others' if others else ''}", lang, year=year, entity=names[0], focus=names[0],
                peers=join(names[1:], lang, names=True), mark=OTHER_MARK)


def source_note(data: Dataset, shown: pd.DataFrame, lang: str = "zh") -> str:
    """The note under a table naming the source of every cell marked OTHER_MARK: for each source_id of ``shown``
    (analysis.tables.observations_shown: entity, indicator, source, source_id, …) its publisher, title, date and url
    (or citation), and what its figures cover (``scope`` / ``scope_zh`` in ``lang``) from the registry
    (external/sources.csv), and the districts whose numbers it gives; '' when every number is the report's. Raises
    AnalysisError for a source_id the registry lacks."""
    check_lang(lang)
    others = shown[shown["source_id"] != ""]
    if others.empty:
        return ""
    names, parts = entity_names(data, lang), []
    for source_id, rows in others.groupby("source_id", sort=False):
        source = data.source_of(source_id)
        where = source["url"] or source.get("citation", "")  # how a reader finds it
        parts.append(text("note.other_source", lang, publisher=source[text_column("publisher", lang)],
                          title=source["title"], date=source["date_published"] or text("note.undated", lang),
                          where=where, scope=str(source[text_column("scope", lang)]).strip().rstrip("。."),
                          entities=join([names.get(e, e) for e in dict.fromkeys(rows["entity"])],
                                                     lang, names=True)))
    return text("note.other_sources", lang, mark=OTHER_MARK, sources=join(parts, lang))


def printed_number(number: str, lang: str) -> str:
    """A number of the report's tables in ``lang``: as the report prints it in Chinese ('3715', '15762363'), its digits
    grouped in English ('3,715'; present.grouped): the catalogue's ``number.grouping`` says which."""
    return grouped(number) if text("number.grouping", lang) == "thousands" else number


def others_note(data: Dataset, entities: list[str], lang: str = "zh") -> str:
    """:func:`source_note` of every number of ``entities`` that is not the report's: the note under a page's first
    table of districts (03, 05), whose names carry OTHER_MARK (report.names.entity_names); '' when none.
    ParameterError for a bad ``lang``."""
    check_lang(lang)
    obs = data.observations
    return source_note(data, obs[obs["entity"].isin(entities)], lang)


def derived_note(data: Dataset, source_ids, entities: list[str], lang: str = "zh") -> str:
    """:func:`source_note` under a table of derived values (analysis.compare, analysis.growth.gap_table,
    composite.indicators.index_inputs) whose cells are marked by their ``source_ids`` (each cell a registry id or
    several joined by ';', '' for the report's): every source they name, each with the districts of ``entities``
    whose numbers it gives; '' when they name none. ParameterError for a bad ``lang``, AnalysisError for an id the
    registry lacks."""
    check_lang(lang)
    ids = {i for cell in source_ids for i in split_source_ids(cell)}
    obs = data.observations
    return source_note(data, obs[obs["entity"].isin(entities) & obs["source_id"].isin(ids)], lang)


def marked_numbers(values, source_ids, kind: str) -> list[str] | None:
    """A column of derived numbers as a page shows it when one of them is computed from another source's number:
    each number as a column of ``kind`` shows it (present.page_number: 'ratio' '4.27', 'value' '3,715', '-' where
    missing), followed by OTHER_MARK where its ``source_ids`` cell names a source ('' : the report's, unmarked; a
    missing number is nobody's). None when no number is marked: the column stays numbers, as the report's own build
    shows it."""
    values, source_ids = list(values), list(source_ids)
    marked = [bool(split_source_ids(ids)) and not pd.isna(v) for v, ids in zip(values, source_ids)]
    if not any(marked):
        return None
    return [page_number(v, kind) + (OTHER_MARK if m else "") for v, m in zip(values, marked)]


def results_mark(source_ids: str) -> str:
    """OTHER_MARK when ``source_ids`` (composite.indicators.results_source_ids) names another source, else '': what
    the index's charts put after their titles (the index page explains it)."""
    return OTHER_MARK if split_source_ids(source_ids) else ""


def marked_results(view: pd.DataFrame, source_ids, columns=None) -> pd.DataFrame:
    """A table of the index's results as a page shows it (a localised frame of scores, ranks or rank intervals) when
    ``source_ids`` (composite.indicators.results_source_ids: what every result rests on; or one string per row,
    record_source_ids) names another source: each number followed by OTHER_MARK, whole numbers as counts ('2†'),
    others at three decimals ('0.373†'), '-' where missing; the frame unchanged when it names none (the report's own
    numbers: numbers stay numbers). ``columns``: only these (default: every number column).
    :func:`derived_note` names the sources under the table."""
    ids = [source_ids] * len(view) if isinstance(source_ids, str) else list(source_ids)
    if not any(split_source_ids(i) for i in ids):
        return view
    out = view.copy()
    for column in columns if columns is not None else out.columns:
        values = out[column]
        if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
            whole = bool((values.dropna() % 1 == 0).all())
            out[column] = marked_numbers(values, ids, "count" if whole else "index")
    return out


def marked_record(view: pd.DataFrame, source_ids: list[str], lang: str = "zh") -> pd.DataFrame:
    """The treatment record as a page shows it (report.present.localise of composite_nominal's record), its before
    and after values marked in the rows whose ``source_ids`` (composite.indicators.record_source_ids, one per row)
    name another source (:func:`marked_results`). ParameterError for a bad ``lang``."""
    from analysis_utils.report.columns import header

    check_lang(lang)
    return marked_results(view, source_ids, [h for h in (header("before", lang), header("after", lang)) if h in view])


def format_cell(row: pd.Series, lang: str = "zh", with_unit: bool = False) -> str:
    """One observation (a row with value, value_high, unit and qualifier code) formatted with its qualifier:
    '>200', '约1', '10余', '2—3', '-'; digits as :func:`printed_number` writes them.

    With ``with_unit`` the unit follows as the report prints it ('约1万人', '10万余人'); in English the cell is
    the amount as report.printed.english_amount words it ('~10,000 persons', '29.1 billion yuan', '1 person'),
    count units (printed.COUNT_WORDS: 个, 家, 件, 项) left out, as in sentences.
    Qualifier templates are the catalogue's ``qualifier.<code>``. Raises ParameterError for a bad ``lang``.
    """
    chinese = check_lang(lang) == "zh"  # number conventions, not labels: English has no 万 and no 余
    value, high, unit = row["value"], row.get("value_high"), row["unit"] if with_unit else ""
    cell = text(f"qualifier.{row['qualifier'] or 'exact'}", lang, v=printed_number(format_number(value), lang),
                h=printed_number(format_number(high), lang))
    if not unit or row["qualifier"] == "missing":
        return cell
    if not chinese:
        return english_amount(cell, "" if unit in COUNT_WORDS else unit, packaged_units())  # a count: its number
    if cell.endswith("余") and unit.startswith("万"):  # 10万余人: 余 sits after 万
        return cell[:-1] + "万余" + unit[1:]
    return cell + unit


def marked_cell(row: pd.Series, lang: str = "zh", with_unit: bool = False, replaced: dict | None = None) -> str:
    """:func:`format_cell`, followed by OTHER_MARK when the number is not the report's (``row['source_id']``); when
    it stands in for a number the report prints (``replaced``: {(entity, indicator, year): printed}, from
    :func:`replaced_numbers`), that number beside it: '880†（报告：870）'."""
    check_lang(lang)
    other = row.get("source_id", "") and row.get("qualifier", "") != "missing"  # a '-' is no number of anyone's
    cell = format_cell(row, lang, with_unit) + (OTHER_MARK if other else "")
    key = (row.get("entity", row.name[0] if isinstance(row.name, tuple) else ""),
           row.get("indicator", row.name[1] if isinstance(row.name, tuple) else ""), row.get("year"))
    if replaced and row.get("source_id", "") and key in replaced:
        return text("note.replaced_cell", lang, cell=cell, printed=replaced[key])
    return cell


def replaced_numbers(data: Dataset) -> dict:
    """{(entity, indicator, year): printed} of the report's numbers a user's replacements stand in for
    (data.load.load_additions' ``tables['replaced']``); {} when there are none."""
    rep = data.tables.get("replaced")
    return {} if rep is None else dict(zip(zip(rep["entity"], rep["indicator"], rep["year"]), rep["printed"]))


def _header(data: Dataset, indicator: str, lang: str) -> str:
    """An indicator column's header ``header.<indicator>``: its name in ``lang`` from indicators.csv (so a header
    and a sentence name it alike) with the unit the table prints."""
    return text(f"header.{indicator}", lang, name=data.indicator_meta(indicator)[name_column(lang)])


def _grid(data: Dataset, numbers: pd.DataFrame, year, as_printed: bool, lang: str) -> pd.DataFrame:
    """``numbers`` (an analysis.tables grid: index entity, one column per indicator) as a page shows it: first
    column the entities' names (headed ``col.district``), one column per indicator headed by :func:`_header`;
    cells formatted (:func:`format_cell` of the observation in ``year``, None: any year) or the numbers."""
    names = entity_names(data, lang)
    entities, indicators = list(numbers.index), list(numbers.columns)
    out = {text("col.district", lang): [names.get(e, e) for e in entities]}
    found = tables.cells(data, entities, indicators, year) if as_printed else None
    replaced = replaced_numbers(data)
    for indicator in indicators:
        if as_printed:
            column = [marked_cell(found.loc[(e, indicator)], lang, replaced=replaced) if (e, indicator) in found.index
                      else MISSING_CELL
                      for e in entities]
        else:
            column = numbers[indicator].tolist()
        out[_header(data, indicator, lang)] = column
    return pd.DataFrame(out)


def empty_rows(table: pd.DataFrame) -> list[str]:
    """The first-column labels of the rows of a printed table (as_printed=True) with no value at all: every
    other cell '-' (a district of a user's data without any of the table's indicators). A notebook names them
    in a note under the table (narrative.empty_rows_note) rather than leave a row the reader cannot read."""
    body = table.iloc[:, 1:].astype(str).apply(lambda col: col.str.strip())
    empty = body.isin([MISSING_CELL, "", "nan"]).all(axis=1)
    return table.loc[empty, table.columns[0]].astype(str).tolist()


def table_1(data: Dataset, lang: str = "zh", entity: str = "武昌区", as_printed: bool = True,
            years: range | None = TABLE_1_YEARS) -> pd.DataFrame:
    """表1 (analysis.tables.table_1): patent grants and invention patent grants by year, with year-on-year
    growth (%), five columns headed in ``lang`` (年份, 专利授权数量(件), 年度增长率(%), …).

    Printed: the year as text, counts and growth rounded half up (growth recomputed exactly, to one decimal, as
    the claims audit does), '-' where there is none; else the numbers (growth unrounded). ``years`` as in
    analysis.tables.table_1 (None: the extended series). Raises AnalysisError as that does."""
    check_lang(lang)
    table = tables.table_1(data, entity=entity, years=years)
    if as_printed:
        for count_col, growth_col in (("patent_grants", "growth"), ("invention_patent_grants", "invention_growth")):
            values = table[count_col]
            table[growth_col] = [printed_round(tables.exact_growth(a, b), 1) for a, b in zip(values.shift(1), values)]
            table[count_col] = [printed_number(printed_round(v, 0), lang) for v in values]
        table["year"] = table["year"].astype(str)
    table.columns = [text(TABLE_1_HEADERS[c], lang) for c in tables.TABLE_1_COLUMNS]
    return table


def table_2(data: Dataset, lang: str = "zh", entities: list[str] | None = None, year: int = REPORT_YEAR,
            as_printed: bool = True) -> pd.DataFrame:
    """表2 (analysis.tables.table_2): the innovation comparison of districts in one year, eleven indicators; first
    column the districts' names. Raises AnalysisError for an unknown entity."""
    check_lang(lang)
    return _grid(data, tables.table_2(data, entities, year), year, as_printed, lang)


def table_3(data: Dataset, lang: str = "zh", entities: list[str] | None = None,
            as_printed: bool = True) -> pd.DataFrame:
    """表3 (analysis.tables.table_3): talent — researchers and academicians (printed with their unit: '约1万人'),
    then the talent-plan selections in one text cell, as printed ('国家千人计划1人；…'; '-' for none), whatever
    ``as_printed``. Raises AnalysisError for an unknown entity."""
    check_lang(lang)
    numbers = tables.table_3(data, entities)
    entities = list(numbers.index)
    table = _grid(data, numbers[tables.TABLE_3_COLUMNS], None, as_printed, lang)
    replaced = replaced_numbers(data)
    if as_printed:
        cells3 = tables.cells(data, entities, tables.TABLE_3_COLUMNS, None)
        for col, indicator in zip(table.columns[1:], tables.TABLE_3_COLUMNS):
            table[col] = [marked_cell(cells3.loc[(e, indicator)], lang, with_unit=True, replaced=replaced)
                          if (e, indicator) in cells3.index else MISSING_CELL for e in entities]
    found = tables.cells(data, entities, tables.TABLE_3_PROGRAMMES, None)
    meta = data.indicators.set_index("indicator")
    programme_cells = []
    for entity in entities:
        parts = []
        for indicator in tables.TABLE_3_PROGRAMMES:
            if (entity, indicator) in found.index:
                row = found.loc[(entity, indicator)]
                parts.append(text("table3.plan_item", lang, name=meta.loc[indicator, name_column(lang)],
                                  cell=marked_cell(row, lang, with_unit=True, replaced=replaced)))
        programme_cells.append(join(parts, lang) or MISSING_CELL)
    table[text("table3.talent_plans", lang)] = programme_cells
    table.columns = [text("table3.district", lang)] + list(table.columns[1:])
    return table


def table_4(data: Dataset, lang: str = "zh", as_printed: bool = True, parent: str = "武昌区") -> pd.DataFrame:
    """表4 (analysis.tables.table_4): makerspace costs, revenue and investment raised, one row per makerspace
    (first column its name), then the total row (the sum of the given values; printed: the exact sum rounded
    half up to two decimals)."""
    check_lang(lang)
    numbers = tables.table_4(data, parent)
    spaces = numbers.drop(index=tables.TOTAL_ROW)
    total = numbers.loc[tables.TOTAL_ROW]
    if as_printed:
        total = pd.Series([printed_number(printed_round(tables.exact_sum(spaces[c]), 2), lang) for c in spaces.columns],
                          index=total.index)
    table = _grid(data, spaces, None, as_printed, lang)
    table.loc[len(table)] = [text("table4.total", lang), *total.tolist()]
    table.columns = [text("table4.makerspace", lang)] + list(table.columns[1:])
    return table


def table_5(data: Dataset, lang: str = "zh", entity: str = "武昌区", whole: str = "武汉市", year: int = 2014,
            as_printed: bool = True) -> pd.DataFrame:
    """表5 (analysis.tables.table_5): industrial enterprises of a district and its city, then the district's share
    (%; printed: the exact share rounded half up to two decimals). Raises AnalysisError for an unknown entity."""
    check_lang(lang)
    numbers = tables.table_5(data, entity, whole, year)
    rows, share = numbers.iloc[:2], numbers.iloc[2]
    if as_printed:
        share = pd.Series([printed_round(tables.exact_share(a, b), 2) for a, b in zip(rows.iloc[0], rows.iloc[1])],
                          index=share.index)
    table = _grid(data, rows, year, as_printed, lang)
    table.loc[len(table)] = [text("table5.share", lang), *share.tolist()]
    table.columns = [text("table5.area", lang)] + list(table.columns[1:])
    return table


TABLE_FUNCTIONS = {1: table_1, 2: table_2, 3: table_3, 4: table_4, 5: table_5}


def prose_table(data: Dataset, section: str, lang: str = "zh") -> pd.DataFrame:
    """Every number printed in the prose of a report section (一, 二, 三 or a sub-path such as 一(二)), where it is
    printed, as printed, and as data (analysis.tables.prose_figures): columns location (in ``lang``: '一(二)3' /
    'I(2).3'), entity, indicator, year ('2011–2015' for a span, '2015*' for a year inferred, the header then saying
    so), as printed (the report's own text), value (format_cell), unit and data source, headed by the catalogue's
    ``prose.*``; sorted by location, stably. In English the value is the amount in its base unit and the unit column names that unit
    (report.printed.english_amount and english_unit: 约1万人 -> '~10,000', 'persons'; 1个亿 -> '100 million',
    'yuan')."""
    check_lang(lang)
    hit = tables.prose_figures(data, section)
    meta = data.indicators.set_index("indicator")
    names = entity_names(data, lang)
    values = [format_cell(r, lang) for _, r in hit.iterrows()]
    units = [unit_label(data.units_table, u, lang) for u in hit["unit"]]
    if in_words(lang):  # English has no 万 or 亿: the amount in its base unit, that unit beside it ('~10,000', persons)
        values = [english_amount(v, u, data.units_table, named=False) for v, u in zip(values, hit["unit"])]
        units = [english_unit(u, data.units_table) for u in hit["unit"]]
    out = pd.DataFrame({
        text("prose.location", lang): hit["location"].map(lambda c: location(c, lang)),
        text("prose.entity", lang): hit["entity"].map(names),
        text("prose.indicator", lang): hit["indicator"].map(meta[name_column(lang)]),
        # a year the report leaves to the context is starred, and the header says what the star means
        text("prose.year_inferred" if hit["year_inferred"].astype(bool).any() else "prose.year", lang): hit.apply(
            lambda r: f"{r['year_start']}–{r['year']}" if not pd.isna(r["year_start"])
            else f"{r['year']}{'*' if r['year_inferred'] else ''}", axis=1),
        text("prose.printed", lang): hit["printed"],
        text("prose.value", lang): values,
        text("prose.unit", lang): units,
        text("prose.source", lang): hit["source"].map(lambda c: location(c, lang)),
    })
    return out.sort_values(out.columns[0], kind="stable").reset_index(drop=True)


# Columns of the gap view, in reading order; headers are the catalogue's "gap.<column>".
GAP_COLUMNS = ["indicator_label", "entity_label", "ratio", "ratio_bound", "position", "required_growth",
               "peer_growth_basis", "focus_growth", "focus_growth_basis", "years_to_close"]
# Growth rates are shown in % (one unit per quantity: the charts plot growth in % too).
GAP_PERCENT = ("required_growth", "focus_growth")
# How the page shows them (present.PAGE_FORMATS): a ratio at two decimals, growth in % and years at one.
GAP_FORMATS = {"ratio": "ratio", "required_growth": "percent1", "focus_growth": "percent1", "years_to_close": "years"}
# The columns computed from the ratio, so from the numbers its source_ids name: marked where those are another source's.
GAP_MARKED = ("ratio", "required_growth", "years_to_close")


def gap_view(gaps: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """The gap table (analysis.growth.gap_table, labelled by report.names.label_rows in ``lang``) reduced to
    GAP_COLUMNS, in that order, headed in ``lang`` (catalogue ``gap.<column>``); the index is kept.

    Codes (ratio bound, position, growth bases: analysis.growth.BOUNDS, POSITIONS, GROWTH_BASES) are named in
    ``lang``; growth rates are percentages (required_growth 0.337 -> 33.7, header says %); ratio and years stay
    numbers (NaN where the focus leads), shown at GAP_FORMATS (present.with_formats). Where a row's ``source_ids``
    (gap_table: the ratio's sources, the peer's and the focus's) name another source, its ratio, required growth and
    years to close are computed from that source's numbers and carry OTHER_MARK ('4.27†'; that column is then text,
    :func:`marked_numbers`); :func:`derived_note` names the sources under the table. Raises ParameterError for a
    ``lang`` other than 'zh'/'en', KeyError when ``gaps`` lacks one of GAP_COLUMNS (label it first).
    """
    check_lang(lang)
    view = gaps[GAP_COLUMNS].copy()
    sources = gaps["source_ids"] if "source_ids" in gaps else [""] * len(gaps)
    view["ratio_bound"] = [text(f"bound.{code}", lang) for code in view["ratio_bound"]]
    view["position"] = [text(f"position.{code}", lang) for code in view["position"]]
    for column in ("peer_growth_basis", "focus_growth_basis"):
        view[column] = [text(f"growth_basis.{code}", lang) for code in view[column]]
    for column in GAP_PERCENT:
        view[column] = view[column].astype(float) * 100
    for column in GAP_MARKED:
        marked = marked_numbers(view[column], sources, GAP_FORMATS[column])
        if marked is not None:
            view[column] = marked
    view.columns = [text(f"gap.{column}", lang) for column in GAP_COLUMNS]
    return with_formats(view, {text(f"gap.{c}", lang): kind for c, kind in GAP_FORMATS.items()
                               if pd.api.types.is_numeric_dtype(view[text(f"gap.{c}", lang)])})


def series_view(series: pd.DataFrame, ext, indicator_names: dict, units, entity_label: str, whole_label: str,
                lang: str = "zh") -> pd.DataFrame:
    """analysis.external_series.share_series' frame ``series`` for readers of ``lang``: indicator names
    (``indicator_names``: id -> name in ``lang``, report.names.indicator_names), year, the part, the whole, the
    share in %, the unit (``units``: data.units.UnitTable, its label), the whole's publisher and place in the
    source in ``lang`` (report.names.text_column of ``ext``, data.external.ExternalData) and the source's own words
    there under a header saying they are the original; headers from the catalogue (part and whole named by
    ``entity_label`` and ``whole_label``). Part and whole are shown as the data hold them in their row's unit, digits
    grouped ('33,620' 件, '471.09' 亿元: text), the share at two decimals, the year as a label; the index is reset.
    Raises ParameterError for a bad ``lang``."""
    check_lang(lang)
    sources = ext.sources.set_index("source_id")
    obs = ext.observations.set_index(["source_id", "location"], drop=False)
    keys = list(zip(series["source_id"], series["location_en"]))
    view = pd.DataFrame({
        text("external.series_indicator", lang): [indicator_names.get(i, i) for i in series["indicator"]],
        text("external.series_year", lang): series["year"].astype(str),  # a label: 2015, not 2,015
        text("external.series_part", lang, entity=entity_label): series["part"],
        text("external.series_whole", lang, whole=whole_label): series["whole"],
        text("external.series_share", lang): series["share"],
        text("external.series_unit", lang): [unit_label(units, u, lang) for u in series["unit"]],
        text("external.series_publisher", lang): [sources.loc[s, text_column("publisher", lang)]
                                                   for s in series["source_id"]],
        text("external.series_location", lang): series[lang_column("location", lang)].tolist(),
        text("external.col.quote", lang): [obs.loc[k, "quote"] for k in keys],
    })
    for column in view.columns[2:4]:  # each number as the data hold it, in its row's unit: '4,481', '471.09'
        view[column] = [grouped(format_number(v)) for v in view[column]]
    return with_formats(view.reset_index(drop=True), {view.columns[4]: "percent2"})


def snapshot_for_index(data: Dataset, entities: list[str], year: int, lang: str = "zh",
                       min_coverage: float = MIN_COVERAGE) -> pd.DataFrame:
    """The composite index's inputs as a readable table (composite.indicators.index_inputs): one row per entity,
    every entity shown; first column its name (headed 地区/District, as every table but 表2), then one column per
    indicator labelled by report.names.indicator_labels (per 10k residents where sized so), then its coverage ('8/11': indicators
    with a value) and whether it is ranked (coverage at least ``min_coverage``: 是/否, yes/no). A value computed
    from another source's number (composite.indicators.index_sources: a user's district, or a report's district
    whose number a user's replacement stands in for, in that cell only) carries OTHER_MARK ('1.370†'; its column is
    then text); report_tables.others_note names the sources under the table. Raises ParameterError for a bad
    ``lang``, and as index_inputs does."""
    check_lang(lang)
    inputs = index_inputs(data, entities, year, min_coverage)
    n = len(INDICATORS)
    table = inputs[INDICATORS].rename(columns=indicator_labels(data, lang), index=entity_names(data, lang))
    table[text("col.coverage", lang)] = [f"{k}/{n}" for k in inputs["n_values"]]
    table[text("col.ranked", lang)] = [text("word.yes" if ranked else "word.no", lang) for ranked in inputs["ranked"]]
    labels = indicator_labels(data, lang)  # per 10k residents: derived, at three decimals; intensities as printed
    # a bound ('>200' sized per resident) is shown as one, '≥1.786': its column becomes text
    kinds = indicator_matrix(data, entities, year).qualifier.map(lambda q: data.qualifier_table.kind(q or ""))
    sign = {"lower": "≥", "upper": "≤"}
    sources = index_sources(data, entities, year)  # cell by cell: a mark on the cells another source gives
    for i in INDICATORS:
        marked = marked_numbers(inputs[i], sources[i], "index" if i in PER_RESIDENT else "value")
        if kinds[i].isin(list(sign)).any():
            marks = [cell.endswith(OTHER_MARK) for cell in marked] if marked else [False] * len(inputs)
            shown = [f"{sign.get(k, '')}{v:,.3f}{OTHER_MARK if m else ''}" if v == v else "-"
                     for k, v, m in zip(kinds[i], inputs[i], marks)]
            table[labels[i]] = shown
        elif marked is not None:
            table[labels[i]] = marked
    return with_formats(table.reset_index().rename(columns={"entity": text("column.entity", lang)}),
                        {labels[i]: "index" if i in PER_RESIDENT else "value" for i in INDICATORS
                         if pd.api.types.is_numeric_dtype(table[labels[i]])})
