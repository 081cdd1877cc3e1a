"""Sentences about the data, generated from it, so no number in a notebook's prose is typed by hand."""
from __future__ import annotations

import pandas as pd

from analysis_utils.analysis.growth import series_cagr
from analysis_utils.data.load import Dataset
from analysis_utils.report.charts import factor_label
from analysis_utils.analysis.tables import format_number
from analysis_utils.rounding import format_fixed, format_percent


def _pick(lang: str, zh: str, en: str) -> str:
    return zh if lang == "zh" else en


def foundation(data: Dataset, entity: str, lang: str = "zh") -> list[str]:
    """Patent growth over the report's own series, and the invention share of grants."""
    names = data.entity_names(lang)
    out = []
    for indicator in ("patent_grants", "invention_patent_grants"):
        c = series_cagr(data, entity, indicator)
        name = data.indicator_meta(indicator)["name_zh" if lang == "zh" else "name_en"]
        out.append(_pick(lang,
                         f"{names[entity]}{name}从{c['start']}年的{format_number(c['first'])}件增至{c['end']}年的"
                         f"{format_number(c['last'])}件，年均增长{format_percent(c['cagr'])}，累计增长{format_percent(c['last'] / c['first'] - 1)}。",
                         f"{names[entity]}: {name} rose from {format_number(c['first'])} in {c['start']} to "
                         f"{format_number(c['last'])} in {c['end']}, {format_percent(c['cagr'])} a year, "
                         f"{format_percent(c['last'] / c['first'] - 1)} in all."))
    last = int(data.observations.query("entity == @entity and indicator == 'patent_grants'")["year"].max())
    grants = data.observation(entity, "patent_grants", last)["value"]
    inventions = data.observation(entity, "invention_patent_grants", last)["value"]
    out.append(_pick(lang, f"{last}年发明专利占专利授权的{format_percent(inventions / grants)}。",
                     f"In {last}, invention patents were {format_percent(inventions / grants)} of all grants."))
    return out


def ratio_extremes(ratios: pd.DataFrame, focus: str, lang: str = "zh") -> list[str]:
    """For each peer: on how many indicators it is ahead of the focus, and its widest lead."""
    out = []
    known = ratios.dropna(subset=["ratio"])
    for peer, sub in known.groupby("entity_label", sort=False):
        ahead = int((sub["ratio"] > 1).sum())
        widest = sub.loc[sub["ratio"].idxmax()]
        bound = _pick(lang, "至少", "at least ") if widest["ratio_bound"] == "lower" else ""
        out.append(_pick(lang,
                         f"{peer}在{len(sub)}项可比指标中有{ahead}项高于{focus}；差距最大的是{widest['indicator_label']}，"
                         f"为{focus}的{bound}{format_fixed(widest['ratio'], 1)}倍。",
                         f"{peer} is ahead of {focus} on {ahead} of {len(sub)} comparable indicators; the widest gap "
                         f"is {widest['indicator_label']}, {bound}{format_fixed(widest['ratio'], 1)} times {focus}'s."))
    return out


def makerspaces(table4_numbers: pd.DataFrame, lang: str = "zh") -> list[str]:
    """Cost coverage, spaces with no investment, and how concentrated the investment is."""
    body = table4_numbers.iloc[:-1]
    cost, revenue, invest = (body.iloc[:, i].astype(float) for i in (1, 2, 3))
    n, zero, unknown = len(body), int((invest == 0).sum()), int(invest.isna().sum())
    top2 = invest.nlargest(2).sum() / invest.sum()
    loss = int((revenue < cost).sum())
    return [
        _pick(lang, f"{n}个众创空间的总收入只覆盖了运营成本的{format_percent(revenue.sum() / cost.sum())}；{loss}个空间收入低于成本。",
              f"Revenue of the {n} makerspaces covers {format_percent(revenue.sum() / cost.sum())} of their operating cost; "
              f"{loss} of them earn less than they spend."),
        _pick(lang, f"{zero}个空间当年获得投资为0，另有{unknown}个未填报；投资额最高的两个空间占全部已知投资的{format_percent(top2)}。",
              f"{zero} spaces raised no investment and {unknown} did not report; the two largest raised "
              f"{format_percent(top2)} of all reported investment."),
    ]


def gaps(gap_rows: pd.DataFrame, target_year: int, lang: str = "zh") -> list[str]:
    """The largest and smallest growth the focus needs, per peer."""
    out = []
    usable = gap_rows.dropna(subset=["required_growth"])
    usable = usable[usable["ratio"] > 1]
    for peer, sub in usable.groupby("entity_label", sort=False):
        hard, easy = sub.loc[sub["required_growth"].idxmax()], sub.loc[sub["required_growth"].idxmin()]
        out.append(_pick(lang,
                         f"要在{target_year}年追平{peer}，最难的是{hard['indicator_label']}（年均需增长{format_percent(hard['required_growth'])}），"
                         f"最易的是{easy['indicator_label']}（{format_percent(easy['required_growth'])}）。",
                         f"To match {peer} by {target_year}, the hardest is {hard['indicator_label']} "
                         f"({format_percent(hard['required_growth'])} a year), the easiest {easy['indicator_label']} "
                         f"({format_percent(easy['required_growth'])})."))
    return out


def composite(summary: pd.DataFrame, shift_sensitivity: pd.Series, n_samples: int, lang: str = "zh",
              position_sensitivity: pd.DataFrame | None = None) -> list[str]:
    """The ranking with its 5–95% rank interval, which analyst choice moves it most, and, where ranks
    never move, which choice moves each district's relative position most."""
    ordered = summary.sort_values("nominal_rank")
    parts = [(f"{e}：第{int(r.nominal_rank)}名（5–95%区间 {int(r.rank_p05)}–{int(r.rank_p95)}）" if lang == "zh" else
              f"{e}: rank {int(r.nominal_rank)} (5–95% interval {int(r.rank_p05)}–{int(r.rank_p95)})")
             for e, r in ordered.iterrows()]
    out = [_pick(lang, "综合指数排名：" + "；".join(parts) + "。", "Composite ranking: " + "; ".join(parts) + ".")]
    if shift_sensitivity.isna().all():
        out.append(_pick(lang, f"{n_samples}次抽样中没有任何分析选择改变排名：结论对权重、标准化、汇总方法、删减指标和缺失值处理都稳健。",
                         f"No analyst choice changed the ranking in {n_samples} samples: the conclusion is robust to "
                         "weights, normalisation, aggregation, dropping an indicator and the treatment of missing values."))
    else:
        top = shift_sensitivity.idxmax()
        out.append(_pick(lang, f"对排名影响最大的选择是“{factor_label(top, lang)}”（一阶敏感度指数 {format_fixed(shift_sensitivity[top], 2)}）。",
                         f"The choice that moves the ranking most is the {factor_label(top, lang)} "
                         f"(first-order index {format_fixed(shift_sensitivity[top], 2)})."))
    moving = position_sensitivity.dropna(how="all") if position_sensitivity is not None else pd.DataFrame()
    for entity, row in moving.iterrows():
        top = row.idxmax()
        out.append(_pick(lang, f"{entity}在最差与最好之间的相对位置主要取决于“{factor_label(top, lang)}”（一阶敏感度 {format_fixed(row[top], 2)}）。",
                         f"{entity}'s position between the worst and the best depends most on the "
                         f"{factor_label(top, lang)} (first-order index {format_fixed(row[top], 2)})."))
    return out
