"""The report's tables (表1–表5) as numbers keyed by codes, rebuilt from the tidy observations.

Each ``table_N`` gives the numbers of the report's table N: rows keyed by entity id (表2–表5: index ``entity``)
or by year (表1: column ``year``), one column per indicator id; NaN where the data hold no value (the report's
"-"), a bound at its printed bound ('>200' -> 200.0). Derived rows and columns (growth rates, totals, shares) are
recomputed here, never read from the report; :func:`exact_growth`, :func:`exact_sum` and :func:`exact_share`
give them as exact fractions, which :func:`printed_round` prints at the report's precision (half up). The tables
as a page shows them, headed, named and formatted for its reader, are report.report_tables'.
"""
from __future__ import annotations

from fractions import Fraction

import pandas as pd

from analysis_utils.data.load import REPORT_YEAR, Dataset
from analysis_utils.errors import AnalysisError
from analysis_utils.rounding import as_decimal, round_exact

REPORT_DISTRICTS = ["武昌区", "南山区", "余杭区"]

# Indicators of each table, in the report's column order.
TABLE_2_COLUMNS = ["area", "resident_population", "gdp", "high_tech_firms", "high_tech_output", "innovation_carriers",
                   "makerspaces", "park_floor_area", "rd_expenditure", "rd_intensity", "invention_patents_per_10k"]
TABLE_3_COLUMNS = ["researchers_univ_institutes", "academicians"]
TABLE_3_PROGRAMMES = ["talent_national_1000", "talent_hubei_100", "talent_huanghe", "talent_wuhan_experts",
                      "talent_peacock", "talent_zhejiang_1000", "overseas_projects_matched"]
TABLE_4_COLUMNS = ["operating_cost", "total_revenue", "investment_raised"]
TABLE_5_COLUMNS = ["industrial_firms", "firms_with_rd", "business_rd_funding"]
# 表1's columns: the year, each series' count and its year-on-year growth in %.
TABLE_1_COLUMNS = ["year", "patent_grants", "growth", "invention_patent_grants", "invention_growth"]
TABLE_1_YEARS = range(2011, 2016)  # 表1's scope: the 十二五 period, 2011–2015, as titled in the report
TOTAL_ROW = "total"  # 表4's last row: the sum of each column
SHARE_ROW = "share"  # 表5's last row: the district's share of its city, in %


def format_number(value: float) -> str:
    """Numbers as the report prints them: no trailing zeros, no exponent ('2826', '0.5'); '-' for None or NaN."""
    if value is None or pd.isna(value):
        return "-"
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.6f}".rstrip("0").rstrip(".")


def printed_round(value, decimals: int) -> str:
    """A number rounded half up at ``decimals`` (rounding.round_exact) and shown as the report prints it; '-'
    for None or NaN. The display tables and the claims audit round with this one rule."""
    if value is None or (not hasattr(value, "denominator") and pd.isna(value)):
        return "-"
    return format_number(float(round_exact(value, decimals)))


def cells(data: Dataset, entities: list[str], indicators: list[str], year: int | None) -> pd.DataFrame:
    """The observation rows (every column of observations.csv) of ``entities`` × ``indicators`` in ``year``
    (None: every year), indexed by (entity, indicator): what a printed cell is formatted from."""
    obs = data.observations
    sel = obs[obs["entity"].isin(entities) & obs["indicator"].isin(indicators)]
    if year is not None:
        sel = sel[sel["year"] == year]
    return sel.set_index(["entity", "indicator"])


SHOWN_COLUMNS = ["entity", "indicator", "year", "year_inferred", "printed", "value", "value_high", "qualifier", "unit",
                 "source", "source_id"]


def observations_shown(data: Dataset, table: pd.DataFrame, year: int | None) -> pd.DataFrame:
    """The observations behind a table's cells, as a written table holds them: one row per cell the data give
    (columns SHOWN_COLUMNS: codes, the printed text, the number, its qualifier and unit, where it is printed and
    ``source_id``: empty for the report's own numbers, else the registry's source), in the table's row and column
    order. ``table``: a grid of table_2 … table_5 (index entity, columns
    indicator ids); the derived rows TOTAL_ROW and SHARE_ROW are left out (claims.compare_printed checks them)."""
    entities = [e for e in table.index if e not in (TOTAL_ROW, SHARE_ROW)]
    found = cells(data, entities, list(table.columns), year).reset_index()
    order = {(e, i): k for k, (e, i) in enumerate((e, i) for e in entities for i in table.columns)}
    found = found.assign(_order=[order[(e, i)] for e, i in zip(found["entity"], found["indicator"])])
    return found.sort_values("_order", kind="stable")[SHOWN_COLUMNS].reset_index(drop=True)


def number(row: pd.Series) -> float:
    """An observation's value for arithmetic: NaN when missing; a bound stays at its printed bound."""
    return float("nan") if row["qualifier"] == "missing" else float(row["value"])


def grid(data: Dataset, entities: list[str], indicators: list[str], year: int | None) -> pd.DataFrame:
    """Rows = ``entities`` (index ``entity``, in the order given), one float column per indicator id of
    ``indicators`` (in that order): :func:`number` of each observation in ``year`` (None: any year), NaN where
    there is none."""
    found = cells(data, entities, indicators, year)
    out = {indicator: [number(found.loc[(entity, indicator)]) if (entity, indicator) in found.index else float("nan")
                       for entity in entities] for indicator in indicators}
    return pd.DataFrame(out, index=pd.Index(entities, name="entity"), columns=list(indicators), dtype=float)


def districts_with(data: Dataset, indicators: list[str], year: int | None) -> list[str]:
    """The report's three districts first, then any other district that has one of the indicators."""
    obs = data.observations
    sel = obs[obs["indicator"].isin(indicators)]
    if year is not None:
        sel = sel[sel["year"] == year]
    districts = set(data.districts()) & set(sel["entity"])
    return [d for d in REPORT_DISTRICTS if d in districts] + sorted(districts - set(REPORT_DISTRICTS))


def check_entities(data: Dataset, entities: list[str]) -> None:
    """AnalysisError naming the entities of ``entities`` that entities.csv does not hold, and the districts."""
    unknown = [e for e in entities if e not in set(data.entities["entity"])]
    if unknown:
        raise AnalysisError(f"unknown entities {unknown}; known districts: {data.districts()}")


def entity_with_series(data: Dataset, focus: str, indicator: str = "patent_grants") -> str:
    """The focus if the data hold its series of ``indicator``, else the report's own focus (表1 is 武昌区's)."""
    obs = data.observations
    has = obs[(obs["entity"] == focus) & (obs["indicator"] == indicator)]
    return focus if has["year"].nunique() >= 2 else REPORT_DISTRICTS[0]


def table_1(data: Dataset, entity: str = "武昌区", years: range | None = TABLE_1_YEARS) -> pd.DataFrame:
    """表1's numbers: patent grants and invention patent grants of ``entity`` by year, with year-on-year growth.

    Columns TABLE_1_COLUMNS: year (int, ascending), patent_grants and invention_patent_grants (counts, Int64;
    NaN for a year one series lacks), growth and invention_growth ((count / previous year's − 1) × 100, in %;
    NaN in the first year). One row per year of ``years`` the data hold (default: the report's 2011–2015,
    whatever later years a user's data add, so the table and its claims keep the report's scope); ``years=None``:
    every year of the series, an extended series beyond the report's table. Raises AnalysisError naming the
    entities with a series when ``entity`` has no patent_grants.
    """
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
    for indicator, growth_col in (("patent_grants", "growth"), ("invention_patent_grants", "invention_growth")):
        values = series[indicator].reindex(years)
        table[indicator] = values.to_numpy()
        table[growth_col] = (values / values.shift(1) - 1).mul(100).to_numpy()
    # counts are whole numbers (Int64 keeps a year one series lacks as <NA>), written and shown without decimals
    return table[TABLE_1_COLUMNS].astype({"patent_grants": "Int64", "invention_patent_grants": "Int64"})


def exact_growth(before, after) -> Fraction | None:
    """(after / before − 1) × 100 as an exact Fraction; None when either is missing or before is 0."""
    if pd.isna(before) or pd.isna(after) or before == 0:
        return None
    return (as_decimal(after) / as_decimal(before) - 1) * 100


def table_2(data: Dataset, entities: list[str] | None = None, year: int = REPORT_YEAR) -> pd.DataFrame:
    """表2's numbers: the innovation comparison of districts in ``year``, :func:`grid` of TABLE_2_COLUMNS
    (index ``entity``). ``entities``: default the districts with one of them in ``year`` (districts_with).
    Raises AnalysisError for an entity entities.csv does not hold."""
    entities = entities or districts_with(data, TABLE_2_COLUMNS, year)
    check_entities(data, entities)
    return grid(data, entities, TABLE_2_COLUMNS, year)


def table_3(data: Dataset, entities: list[str] | None = None) -> pd.DataFrame:
    """表3's numbers: researchers and academicians (TABLE_3_COLUMNS), then the talent-plan selections
    (TABLE_3_PROGRAMMES), :func:`grid` of any year (index ``entity``), each in its own unit (units.csv: 万人, 人,
    个). ``entities``: default the districts with one of them. Raises AnalysisError for an unknown entity."""
    indicators = TABLE_3_COLUMNS + TABLE_3_PROGRAMMES
    entities = entities or districts_with(data, indicators, None)
    check_entities(data, entities)
    return grid(data, entities, indicators, None)


def makerspaces(data: Dataset, parent: str = "武昌区") -> list[str]:
    """The entities of level ``makerspace`` under ``parent``, in file order (表4's rows)."""
    ent = data.entities
    return ent.loc[(ent["level"] == "makerspace") & (ent["parent"] == parent), "entity"].tolist()


def table_4(data: Dataset, parent: str = "武昌区") -> pd.DataFrame:
    """表4's numbers: each makerspace of ``parent`` (index ``entity``), its costs, revenue and investment raised
    (TABLE_4_COLUMNS, 万元), then the row TOTAL_ROW: each column's sum of the given values (NaN left out).
    :func:`exact_sum` gives a total exactly, for printing."""
    table = grid(data, makerspaces(data, parent), TABLE_4_COLUMNS, None)
    table.loc[TOTAL_ROW] = table.sum(skipna=True)
    return table


def exact_sum(values) -> Fraction:
    """The sum of the numbers of ``values`` that are not NaN, as an exact Fraction (0 for none)."""
    return sum((as_decimal(v) for v in pd.Series(values, dtype=float).dropna()), start=Fraction(0))


def table_5(data: Dataset, entity: str = "武昌区", whole: str = "武汉市", year: int = 2014) -> pd.DataFrame:
    """表5's numbers: industrial enterprises of a district and of its city in ``year`` (rows ``entity`` and
    ``whole``, index ``entity``; TABLE_5_COLUMNS), then the row SHARE_ROW: the district's share of the city,
    entity / whole × 100, in %. :func:`exact_share` gives a share exactly, for printing. Raises AnalysisError
    for an unknown entity."""
    check_entities(data, [entity, whole])
    table = grid(data, [entity, whole], TABLE_5_COLUMNS, year)
    share = table.iloc[0].astype(float) / table.iloc[1].astype(float) * 100
    table.loc[SHARE_ROW] = share.to_numpy()
    return table


def exact_share(part, whole) -> Fraction | None:
    """part / whole × 100 as an exact Fraction; None when either is missing or whole is 0."""
    if pd.isna(part) or pd.isna(whole) or whole == 0:
        return None
    return as_decimal(part) / as_decimal(whole) * 100


def prose_figures(data: Dataset, section: str) -> pd.DataFrame:
    """Every observation printed in the prose of a report section (一, 二, 三 or a sub-path such as 一(二)), first
    (``source``) or again (``also_in``): the observation rows, in file order, with a column ``location``, the
    place in ``section`` where it is printed (a location code: '一(二)3'). Numbers of other sources are not the
    report's prose."""
    obs = data.report_observations()
    locations = obs["source"].astype(str) + ";" + obs["also_in"].astype(str)
    hit = obs[locations.str.split(";").apply(lambda xs: any(x.strip().startswith(section) for x in xs))].copy()
    hit["location"] = [next(x.strip() for x in (source + ";" + also).split(";") if x.strip().startswith(section))
                       for source, also in zip(hit["source"], hit["also_in"])]
    return hit
