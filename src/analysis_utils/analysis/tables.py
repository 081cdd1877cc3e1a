"""One pure function per report table, rebuilt from the tidy observations in the report's layout.

``as_printed=True`` gives text cells formatted as the report prints them (">200", "约1万人", "-");
``as_printed=False`` gives numbers (NaN for "-", the bound for ">200") for analysis.
Derived columns (growth rates, totals, shares) are recomputed here, never read from the report.
"""
from __future__ import annotations

import re

import pandas as pd

from analysis_utils.data.load import REPORT_YEAR, Dataset
from analysis_utils.data.units import packaged_units
from analysis_utils.errors import AnalysisError
from analysis_utils.labels import check_lang, join, location, name_column, text
from analysis_utils.rounding import as_decimal, round_exact

REPORT_DISTRICTS = ["武昌区", "南山区", "余杭区"]

# Indicators of each table, in the report's column order; headers are the catalogue's "header.<indicator>".
TABLE_2_COLUMNS = ["area", "resident_population", "gdp", "high_tech_firms", "high_tech_output", "innovation_carriers",
                   "makerspaces", "park_floor_area", "rd_expenditure", "rd_intensity", "invention_patents_per_10k"]
TABLE_3_COLUMNS = ["researchers_univ_institutes", "academicians"]
TABLE_3_PROGRAMMES = ["talent_national_1000", "talent_hubei_100", "talent_huanghe", "talent_wuhan_experts",
                      "talent_peacock", "talent_zhejiang_1000", "overseas_projects_matched"]
TABLE_4_COLUMNS = ["operating_cost", "total_revenue", "investment_raised"]
TABLE_5_COLUMNS = ["industrial_firms", "firms_with_rd", "business_rd_funding"]
COUNT_UNITS = ("个", "家", "件")  # English cells give the number alone for these counts
MISSING_CELL = "-"  # a value the data do not hold, printed as the report prints one it does not give


def title(table: int, lang: str, names: list[str], year: int | str = "") -> str:
    """The report's caption of table ``table`` (1–5) in ``lang``, naming the districts the table shows.

    ``names`` are display names (data.entity_names) of the table's rows as shown, the focus first: 表2 and 表3
    name the first and the others as its peers, 表1, 表4 and 表5 the one district they describe. For the
    report's own districts the caption is the report's: title(2, 'zh', ['武昌区', '南山区', '余杭区'], 2015) =
    '表2 2015年武昌区与南山区、余杭区创新成效比较'; in English 'Table 2 Innovation performance of Wuchang District
    compared with Nanshan District and Yuhang District, 2015'.
    Raises ParameterError for a ``lang`` other than 'zh'/'en'; AnalysisError for a table number without a title
    or an empty ``names``.
    """
    check_lang(lang)
    names = list(names)
    if not names:
        raise AnalysisError(f"the title of table {table} names its districts: give at least one name")
    return text(f"title.table{table}", lang, year=year, entity=names[0], focus=names[0],
                peers=join(names[1:], lang, names=True))


def format_number(value: float) -> str:
    """Numbers as the report prints them: no trailing zeros, no exponent."""
    if value is None or pd.isna(value):
        return "-"
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.6f}".rstrip("0").rstrip(".")


def format_cell(row: pd.Series, lang: str = "zh", with_unit: bool = False) -> str:
    """One observation formatted with its qualifier: '>200', '约1', '10余', '2—3', '-'.

    With ``with_unit`` the unit follows as the report prints it ('约1万人', '10万余人'); in English
    counts of 万人 are written out in persons ('~10,000 persons'), other units by their English name (units.csv,
    '1 person' for exactly one) and count units (个, 家, 件) are left out.
    Qualifier templates are the catalogue's ``qualifier.<code>``. Raises ParameterError for a bad ``lang``.
    """
    chinese = check_lang(lang) == "zh"  # number conventions, not labels: English has no 万 and no 余
    value, high, unit = row["value"], row.get("value_high"), row["unit"] if with_unit else ""
    if not chinese and unit == "万人":
        value, high, unit = value * 10000, None if high is None or pd.isna(high) else high * 10000, "人"
    cell = text(f"qualifier.{row['qualifier'] or 'exact'}", lang, v=format_number(value), h=format_number(high))
    if not unit or row["qualifier"] == "missing":
        return cell
    if not chinese:
        exact = not row["qualifier"] or pd.isna(row["qualifier"])
        word = "" if unit in COUNT_UNITS else packaged_units().label(unit, lang, count=value if exact else None)
        return f"{_thousands(cell)} {word}".strip()
    if cell.endswith("余") and unit.startswith("万"):  # 10万余人: 余 sits after 万
        return cell[:-1] + "万余" + unit[1:]
    return cell + unit


def _thousands(cell: str) -> str:
    """'10000' -> '10,000' inside an English cell."""
    return re.sub(r"\d{5,}", lambda m: f"{int(m.group()):,}", cell)


def _cells(data: Dataset, entities: list[str], indicators: list[str], year: int | None) -> pd.DataFrame:
    obs = data.observations
    sel = obs[obs["entity"].isin(entities) & obs["indicator"].isin(indicators)]
    if year is not None:
        sel = sel[sel["year"] == year]
    return sel.set_index(["entity", "indicator"])


def _grid(data, entities, columns, year, as_printed, lang) -> pd.DataFrame:
    """Rows = entities, one column per indicator (header ``header.<indicator>``: the indicator's name in ``lang``
    from indicators.csv, so a header and a sentence name it alike, with the unit the table prints); cells text or
    numbers."""
    cells = _cells(data, entities, columns, year)
    names = data.entity_names(lang)
    out = {text("col.district", lang): [names.get(e, e) for e in entities]}
    for indicator in columns:
        column = []
        for entity in entities:
            if (entity, indicator) not in cells.index:
                column.append(MISSING_CELL if as_printed else float("nan"))
                continue
            row = cells.loc[(entity, indicator)]
            column.append(format_cell(row, lang) if as_printed else _number(row))
        out[text(f"header.{indicator}", lang, name=data.indicator_meta(indicator)[name_column(lang)])] = column
    return pd.DataFrame(out)


def _number(row: pd.Series) -> float:
    """The value for arithmetic: NaN when missing; bounds stay at their printed bound."""
    return float("nan") if row["qualifier"] == "missing" else float(row["value"])


def empty_rows(table: pd.DataFrame) -> list[str]:
    """The first-column labels of the rows of a printed table (as_printed=True) with no value at all: every
    other cell '-' (a district of a user's data without any of the table's indicators). A notebook names them
    in a note under the table (narrative.empty_rows_note) rather than leave a row the reader cannot read."""
    body = table.iloc[:, 1:].astype(str).apply(lambda col: col.str.strip())
    empty = body.isin([MISSING_CELL, "", "nan"]).all(axis=1)
    return table.loc[empty, table.columns[0]].astype(str).tolist()


def districts_with(data: Dataset, indicators: list[str], year: int | None) -> list[str]:
    """The report's three districts first, then any other district that has one of the indicators."""
    obs = data.observations
    sel = obs[obs["indicator"].isin(indicators)]
    if year is not None:
        sel = sel[sel["year"] == year]
    districts = set(data.districts()) & set(sel["entity"])
    return [d for d in REPORT_DISTRICTS if d in districts] + sorted(districts - set(REPORT_DISTRICTS))


def _check_entities(data: Dataset, entities: list[str]) -> None:
    unknown = [e for e in entities if e not in set(data.entities["entity"])]
    if unknown:
        raise AnalysisError(f"unknown entities {unknown}; known districts: {data.districts()}")


def entity_with_series(data: Dataset, focus: str, indicator: str = "patent_grants") -> str:
    """The focus if the data hold its series of ``indicator``, else the report's own focus (表1 is 武昌区's)."""
    obs = data.observations
    has = obs[(obs["entity"] == focus) & (obs["indicator"] == indicator)]
    return focus if has["year"].nunique() >= 2 else REPORT_DISTRICTS[0]


TABLE_1_YEARS = range(2011, 2016)  # 表1's scope: the 十二五 period, 2011–2015, as titled in the report


def table_1(data: Dataset, lang: str = "zh", entity: str = "武昌区", as_printed: bool = True,
            years: range | None = TABLE_1_YEARS) -> pd.DataFrame:
    """表1: patent grants and invention patent grants by year, with year-on-year growth (%).

    One row per year of ``years`` the data hold (default: the report's 2011–2015, whatever later years a
    user's data add, so the table and its claims keep the report's scope); ``years=None``: every year
    of the series, an extended series beyond the report's table (to be captioned as such)."""
    check_lang(lang)
    obs = data.observations
    series = {}
    for indicator in ("patent_grants", "invention_patent_grants"):
        rows = obs[(obs["entity"] == entity) & (obs["indicator"] == indicator)].sort_values("year")
        if years is not None:
            rows = rows[rows["year"].isin(list(years))]
        series[indicator] = pd.Series(rows["value"].astype(float).to_numpy(), index=rows["year"].astype(int))
    if series["patent_grants"].empty:
        raise AnalysisError(f"no patent_grants series for {entity!r}; entities with one: "
                            f"{sorted(obs.loc[obs['indicator'] == 'patent_grants', 'entity'].unique())}")
    years = sorted(set(series["patent_grants"].index) | set(series["invention_patent_grants"].index))
    table = pd.DataFrame({"year": years})
    for indicator, count_col, growth_col in (("patent_grants", "count", "growth"),
                                             ("invention_patent_grants", "inv_count", "inv_growth")):
        values = series[indicator].reindex(years)
        table[count_col] = values.to_numpy()
        table[growth_col] = (values / values.shift(1) - 1).mul(100).to_numpy()
        if as_printed:  # growth recomputed exactly and rounded half up, as the claims audit does
            table[count_col] = [printed_round(v, 0) for v in values]
            table[growth_col] = [printed_round(_exact_growth(a, b), 1) for a, b in zip(values.shift(1), values)]
    table.columns = [text("table1.year", lang), text("table1.patent_grants", lang), text("table1.growth", lang),
                     text("table1.invention_patent_grants", lang), text("table1.invention_growth", lang)]
    if as_printed:
        table[table.columns[0]] = table[table.columns[0]].astype(str)
    return table


def _exact_growth(before, after):
    """(after / before − 1) × 100 as an exact Fraction; None when either is missing or before is 0."""
    if pd.isna(before) or pd.isna(after) or before == 0:
        return None
    return (as_decimal(after) / as_decimal(before) - 1) * 100


def printed_round(value, decimals: int) -> str:
    """A number rounded half up at ``decimals`` (rounding.round_exact) and shown as the report prints it; '-'
    for None or NaN. The display tables and the claims audit round with this one rule."""
    if value is None or (not hasattr(value, "denominator") and pd.isna(value)):
        return "-"
    return format_number(float(round_exact(value, decimals)))


def table_2(data: Dataset, lang: str = "zh", entities: list[str] | None = None, year: int = REPORT_YEAR,
            as_printed: bool = True) -> pd.DataFrame:
    """表2: the innovation comparison of districts in one year, eleven indicators."""
    check_lang(lang)
    entities = entities or districts_with(data, TABLE_2_COLUMNS, year)
    _check_entities(data, entities)
    return _grid(data, entities, TABLE_2_COLUMNS, year, as_printed, lang)


def table_3(data: Dataset, lang: str = "zh", entities: list[str] | None = None,
            as_printed: bool = True) -> pd.DataFrame:
    """表3: talent — researchers, academicians and talent-plan selections (one text cell, as printed)."""
    check_lang(lang)
    indicators = TABLE_3_COLUMNS + TABLE_3_PROGRAMMES
    entities = entities or districts_with(data, indicators, None)
    _check_entities(data, entities)
    table = _grid(data, entities, TABLE_3_COLUMNS, None, as_printed, lang)
    if as_printed:
        cells3 = _cells(data, entities, TABLE_3_COLUMNS, None)
        for col, indicator in zip(table.columns[1:], TABLE_3_COLUMNS):
            table[col] = [format_cell(cells3.loc[(e, indicator)], lang, with_unit=True)
                          if (e, indicator) in cells3.index else MISSING_CELL for e in entities]
    cells = _cells(data, entities, TABLE_3_PROGRAMMES, None)
    meta = data.indicators.set_index("indicator")
    programme_cells = []
    for entity in entities:
        parts = []
        for indicator in TABLE_3_PROGRAMMES:
            if (entity, indicator) in cells.index:
                row = cells.loc[(entity, indicator)]
                parts.append(text("table3.plan_item", lang, name=meta.loc[indicator, name_column(lang)],
                                  cell=format_cell(row, lang, with_unit=True)))
        programme_cells.append(join(parts, lang) or MISSING_CELL)
    table[text("table3.talent_plans", lang)] = programme_cells
    table.columns = [text("table3.district", lang)] + list(table.columns[1:])
    return table


def table_4(data: Dataset, lang: str = "zh", as_printed: bool = True, parent: str = "武昌区") -> pd.DataFrame:
    """表4: makerspace costs, revenue and investment raised, with a total row (sum of the given values)."""
    check_lang(lang)
    ent = data.entities
    spaces = ent.loc[(ent["level"] == "makerspace") & (ent["parent"] == parent), "entity"].tolist()
    numbers = _grid(data, spaces, TABLE_4_COLUMNS, None, False, lang)
    total = numbers.iloc[:, 1:].sum(skipna=True)
    if as_printed:
        table = _grid(data, spaces, TABLE_4_COLUMNS, None, True, lang)
        exact_total = [sum((as_decimal(v) for v in numbers[col].dropna()), start=0) for col in numbers.columns[1:]]
        total = pd.Series([printed_round(v, 2) for v in exact_total], index=total.index)
    else:
        table = numbers
    table.loc[len(table)] = [text("table4.total", lang), *total.tolist()]
    table.columns = [text("table4.makerspace", lang)] + list(table.columns[1:])
    return table


def table_5(data: Dataset, lang: str = "zh", entity: str = "武昌区", whole: str = "武汉市", year: int = 2014,
            as_printed: bool = True) -> pd.DataFrame:
    """表5: industrial enterprises of a district and its city, and the district's share (%)."""
    check_lang(lang)
    _check_entities(data, [entity, whole])
    numbers = _grid(data, [entity, whole], TABLE_5_COLUMNS, year, False, lang)
    share = (numbers.iloc[0, 1:].astype(float) / numbers.iloc[1, 1:].astype(float) * 100)
    table = _grid(data, [entity, whole], TABLE_5_COLUMNS, year, True, lang) if as_printed else numbers
    part, whole_row = numbers.iloc[0, 1:], numbers.iloc[1, 1:]
    exact_share = [None if pd.isna(a) or pd.isna(b) or b == 0 else as_decimal(a) / as_decimal(b) * 100
                   for a, b in zip(part, whole_row)]
    share_cells = pd.Series([printed_round(v, 2) for v in exact_share], index=share.index) if as_printed else share
    table.loc[len(table)] = [text("table5.share", lang), *share_cells.tolist()]
    table.columns = [text("table5.area", lang)] + list(table.columns[1:])
    return table


TABLE_FUNCTIONS = {1: table_1, 2: table_2, 3: table_3, 4: table_4, 5: table_5}


def prose_table(data: Dataset, section: str, lang: str = "zh") -> pd.DataFrame:
    """Every number printed in the prose of a report section (一, 二, 三 or a sub-path such as 一(二)),
    where it is printed, as printed, and as data."""
    check_lang(lang)
    obs = data.observations
    locations = obs["source"].astype(str) + ";" + obs["also_in"].astype(str)
    hit = obs[locations.str.split(";").apply(lambda xs: any(x.strip().startswith(section) for x in xs))]
    meta = data.indicators.set_index("indicator")
    names = data.entity_names(lang)
    prose_location = hit.apply(lambda r: next(x.strip() for x in (r["source"] + ";" + r["also_in"]).split(";")
                                              if x.strip().startswith(section)), axis=1)
    out = pd.DataFrame({
        text("prose.location", lang): prose_location.map(lambda c: location(c, lang)),
        text("prose.entity", lang): hit["entity"].map(names),
        text("prose.indicator", lang): hit["indicator"].map(meta[name_column(lang)]),
        text("prose.year", lang): hit.apply(lambda r: f"{r['year_start']}–{r['year']}" if not pd.isna(r["year_start"])
                                         else f"{r['year']}{'*' if r['year_inferred'] else ''}", axis=1),
        text("prose.printed", lang): hit["printed"],
        text("prose.value", lang): hit.apply(lambda r: format_cell(r, lang), axis=1),
        text("prose.unit", lang): hit["unit"].map(lambda u: data.units_table.label(u, lang)),
        text("prose.source", lang): hit["source"].map(lambda c: location(c, lang)),
    })
    return out.sort_values(out.columns[0], kind="stable").reset_index(drop=True)
