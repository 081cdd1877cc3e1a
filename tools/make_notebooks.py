"""Write the section notebooks: `python tools/make_notebooks.py [OUT_DIR]` (default notebooks/).

This file is the source of the notebooks: edit here and re-run, so every notebook keeps the same shape.
tests/test_notebooks.py checks that notebooks/ matches what this writes.
"""
import sys
from pathlib import Path

from nbgen import code, md, outputs_cells, parameters, prose_code, write

NB = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent / "notebooks"

SETUP = '''from analysis_utils import analysis, claims, claims_view, findings, plotting, tables
from analysis_utils.outputs import RunOutputs
from analysis_utils.params import check_params
from analysis_utils.present import show_markdown, show_table

params = check_params("{section}", focus=focus, peers=peers, lang=lang, data_dir=data_dir,
                      output_dir=output_dir, fig_format=fig_format{extra})
data, out = params.data, RunOutputs(params.output_dir, "{section}", params.fig_format)
names = data.entity_names(lang)
params'''

write(NB / "01_foundation.ipynb", [
    md("""
# 01 基础与优势 · Foundation and strengths

报告第一部分（一、武昌实施创新驱动发展战略的基础与优势）：武昌区已有哪些创新基础？本笔记本从数据重建**表1**（“十二五”期间专利授权），
把重算的增长率与报告印出的增长率逐一对照，并汇总第一部分正文中的全部数字。

*Report section 一: what innovation base does Wuchang have? This notebook rebuilds Table 1 (patent grants 2011–2015)
from the data, checks the printed growth rates against the recomputed ones, and lists every number of the section's prose.*
"""),
    parameters(),
    code(SETUP.format(section="01_foundation", extra="")),
    md("""
## 表1 “十二五”期间武昌区专利授权情况 · Table 1

表1只有武昌区的序列；若 `focus` 为其他区且数据中没有该区的专利序列，本节仍显示武昌区。增长率由数据重算（保留一位小数），不取自报告。

*Only Wuchang has this series; growth rates are recomputed from the counts, not copied from the report.*
"""),
    code('''entity = tables.entity_with_series(data, params.focus)
table1 = tables.table_1(data, lang=lang, entity=entity)
out.table(table1, "table1_patent_grants")
show_table(table1, tables.title(1, lang))'''),
    md("""
### 报告印出的增长率与重算值 · Printed against recomputed

报告印出的每个增长率代表一个区间（如 28.7 表示 [28.65, 28.75)）；重算值落在区间内即为“一致”。

*A printed 28.7 stands for [28.65, 28.75); the recomputed value agrees when it falls inside.*
"""),
    code('''check1 = claims.compare_printed(data, 1, lang=lang)
out.table(check1, "table1_printed_vs_recomputed")
show_table(check1, "表1 印出值与重算值" if lang == "zh" else "Table 1: printed vs recomputed", precision=3)'''),
    md("""
## 专利授权指数 · Patent grants indexed to 2011

两条序列水平相差约三倍，按基年=100 指数化后增速才可直接比较。

*The two series differ about threefold in level; indexing both to their first year makes their growth comparable.*
"""),
    code('''fig = plotting.indexed_series(tables.table_1(data, lang=lang, entity=entity, as_printed=False), lang)
out.figure(fig, "fig1_patent_grants_index")
show_markdown("\\n".join("- " + s for s in findings.foundation(data, entity, lang)))'''),
    md("""
## 第一部分正文中的数字 · Every number in the prose of section 一

每一行给出报告中的位置、原文写法、整理后的数值和单位；“数据来源”为该数字在数据中的主记录位置（表或正文）。年份带 * 表示报告未印年份，取报告基准年。

*Location in the report, the text as printed, the value and unit; a year marked * is not printed and is the report's reference year.*
"""),
    prose_code(1, "一", "第一部分正文数字", "Numbers in the prose of section 一"),
    *outputs_cells(),
])

write(NB / "02_gaps.ipynb", [
    md("""
# 02 问题与分析 · Gaps against Nanshan and Yuhang

报告第二部分（二、武昌实施创新驱动发展战略的问题与分析）：武昌区与深圳南山区、杭州余杭区差在哪里、差多少？
本笔记本从数据重建**表2—表5**，在表旁对照报告印出的合计与占比，并用对数刻度的图表呈现相差二十倍以上的数值。

*Report section 二: where and by how much does Wuchang trail Nanshan and Yuhang? Tables 2–5 rebuilt from the data, the printed
totals and shares checked, and charts on log scales so that values 20× apart stay readable.*
"""),
    parameters('year: int = 2015  # year of the Table 2 comparison'),
    code(SETUP.format(section="02_gaps", extra=", year=year")),
    md("""
## 表2 创新成效比较 · Table 2, innovation performance

“>200”为下限，“-”为报告未给出。*">200" is a lower bound; "-" means the report gives no value.*
"""),
    code('''table2 = tables.table_2(data, lang=lang, entities=[params.focus, *params.peers], year=year)
out.table(table2, "table2_comparison")
show_table(table2, tables.title(2, lang, year=year))'''),
    md("""
### 表2中可核对的数字 · What Table 2 lets us check

表2没有印出合计或增长率，但它的数字之间有关系（研发投入占比 = 研发投入 / 地区生产总值），且每万人发明专利拥有量隐含了专利存量。
下表是登记在表2位置上的陈述及其判定（完整核查见 04_claims_audit）。

*Table 2 prints no totals, but its numbers constrain each other (R&D share = R&D / GDP) and the patents-per-10k column implies a
stock of patents. The claims registered at Table 2, with their verdicts (the full audit is 04_claims_audit).*
"""),
    code('''audit = claims.audit(data)
check2 = claims_view.at_location(audit, "表2", lang)
out.table(check2, "table2_claims")
show_table(check2, "表2 相关陈述的核查" if lang == "zh" else "Table 2: claims checked")'''),
    md("""
### 与关注区之比 · Each peer relative to the focus district

对数横轴上，1 表示与关注区相同；空心点为下限（真实比值至少如此）。

*On the log axis 1 means equal to the focus; an open marker is a lower bound (the true ratio is at least this).*
"""),
    code('''ratios2 = analysis.table2_ratios(data, params.focus, list(params.peers), year, lang)
out.table(ratios2[["indicator_label", "entity_label", "value", "unit", "ratio", "ratio_bound"]], "table2_ratios_to_focus")
fig = plotting.ratio_dot_plot(ratios2, names[params.focus], year, lang)
out.figure(fig, "fig2_table2_ratios")
show_markdown("\\n".join("- " + s for s in findings.ratio_extremes(ratios2, names[params.focus], lang)))'''),
    md("""
## 表3 人才分布 · Table 3, talent

人数跨越三个数量级（1 人到 10 万余人），故用对数刻度。*Counts span three orders of magnitude, hence the log scale.*
"""),
    code('''table3 = tables.table_3(data, lang=lang, entities=[params.focus, *params.peers])
out.table(table3, "table3_talent")
show_table(table3, tables.title(3, lang))
fig = plotting.talent_dot_plot(analysis.talent_long(data, [params.focus, *params.peers], lang), lang)
out.figure(fig, "fig3_talent")'''),
    md("""
## 表4 众创空间运营 · Table 4, makerspaces

合计行由数据求和（“-”不计入），并与报告印出的总计对照。*The total row is summed from the data ('-' excluded) and checked against the printed totals.*
"""),
    code('''table4 = tables.table_4(data, lang=lang)
out.table(table4, "table4_makerspaces")
show_table(table4, tables.title(4, lang))
check4 = claims.compare_printed(data, 4, lang=lang)
out.table(check4, "table4_printed_vs_recomputed")
show_table(check4, "表4 印出值与重算值" if lang == "zh" else "Table 4: printed vs recomputed", precision=2)'''),
    code('''table4_numbers = tables.table_4(data, lang=lang, as_printed=False)
fig = plotting.makerspace_dumbbell(table4_numbers, lang)
out.figure(fig, "fig4_makerspaces")
show_markdown("\\n".join("- " + s for s in findings.makerspaces(table4_numbers, lang)))'''),
    md("""
## 表5 工业企业 · Table 5, industrial enterprises (2014)

占比行由数据重算（保留两位小数）。*The share row is recomputed from the data (two decimals).*
"""),
    code('''table5 = tables.table_5(data, lang=lang)
out.table(table5, "table5_industrial_firms")
show_table(table5, tables.title(5, lang, year=2014))
check5 = claims.compare_printed(data, 5, lang=lang)
out.table(check5, "table5_printed_vs_recomputed")
show_table(check5, "表5 印出值与重算值" if lang == "zh" else "Table 5: printed vs recomputed", precision=3)
fig = plotting.share_bars(tables.table_5(data, lang=lang, as_printed=False), names["武昌区"], names["武汉市"], 2014, lang)
out.figure(fig, "fig5_shares_of_wuhan")'''),
    md("""
## 第二部分正文中的数字 · Every number in the prose of section 二
"""),
    prose_code(2, "二", "第二部分正文数字", "Numbers in the prose of section 二"),
    *outputs_cells(),
])

write(NB / "03_recommendations.ipynb", [
    md("""
# 03 对策与建议：差距有多大，追赶要多快 · How large are the gaps, how fast must the focus grow

报告第三部分（三、对策与建议）提出追赶目标，但没有量化。本笔记本对表2的每项指标：
1. 按常住人口、面积和地区生产总值标准化（报告给出了这三个分母），剔除规模差异；
2. 计算对标区与关注区之比 r；
3. 计算关注区在 `target_year` 前追平所需的年均增速 g = (1+g_peer)·r^(1/N) − 1（数据未给出对标区增速时，假设对标区不变）；
4. 按现有增速（报告只给出表1的序列）计算追平所需年数。

*Report section 三 sets goals without numbers. For each Table 2 indicator: normalise by population, area and GDP; take the
peer/focus ratio r; the growth the focus needs to reach the peer by `target_year`, g = (1+g_peer)·r^(1/N) − 1 (peers held
still where the data give no growth); and the years to close at the growth the report's own series shows (Table 1 only).*
"""),
    parameters('''target_year: int = 2020  # year by which the focus should reach each peer
year: int = 2015  # base year of the comparison (Table 2)
scenario_growth: float = None  # assumed growth of the focus where the report has no series, None to leave empty'''),
    code(SETUP.format(section="03_recommendations", extra=", target_year=target_year, year=year, scenario_growth=scenario_growth")),
    md("""
## 规模标准化 · Normalised by residents, area and GDP

南山区与武昌区人口相当，但面积约为两倍，余杭区面积约为十四倍：绝对值的差距部分来自规模，标准化后才可比。

*Nanshan has Wuchang's population on twice its area, Yuhang fourteen times its area: part of each gap is size.*
"""),
    code('''normalised = analysis.label_rows(analysis.normalised(data, [params.focus, *params.peers], year), data, lang)
out.table(normalised[["indicator_label", "entity_label", "value", "unit", "bound"]], "normalised_indicators")
norm_ratios = analysis.normalised_ratios(data, params.focus, list(params.peers), year, lang)
fig = plotting.normalised_dot_plot(norm_ratios, names[params.focus], year, lang)
out.figure(fig, "fig6_normalised_ratios")'''),
    md("""
## 追平所需增速与年数 · Growth needed and years to close

`比值性质`为 lower 时（如南山区研发投入“>200”），所需增速也是下限。关注区增速仅在报告给出序列时可得：发明专利存量的增速以表1发明专利授权的年均增速近似（标注为 proxy）。

*Where the ratio is a lower bound (Nanshan's R&D '>200') the required growth is a lower bound too. The focus's growth is known only
where the report has a series: the stock of invention patents is proxied by the Table 1 invention-grant CAGR (marked proxy).*
"""),
    code('''historical = analysis.historical_growth(data, params.focus)
gaps = analysis.gap_table(data, params.focus, list(params.peers), year, target_year, focus_growth=historical,
                          scenario_growth=scenario_growth, lang=lang)
out.table(analysis.gap_view(gaps, lang), "gaps_required_growth")
show_table(analysis.gap_view(gaps[gaps["denominator"] == "total"], lang),
           ("追平所需增速（绝对值）" if lang == "zh" else "Growth needed, absolute values"), precision=3)'''),
    code('''hist = historical.get("invention_patents_per_10k", (None, ""))[0]
fig = plotting.required_growth_plot(gaps[gaps["denominator"] == "total"], target_year, hist, lang)
out.figure(fig, "fig7_required_growth")
show_markdown("\\n".join("- " + s for s in findings.gaps(gaps, target_year, lang)))'''),
    md("""
## 第三部分中的规划与目标数字 · Plans and targets in section 三
"""),
    prose_code(3, "三", "第三部分规划与目标数字", "Plans and targets in section 三"),
    *outputs_cells(),
])

write(NB / "05_composite_index.ipynb", [
    md("""
# 05 综合创新指数及其不确定性 · Composite innovation index with uncertainty

报告逐项比较武昌区与南山区、余杭区，然后得出一个总体结论。本笔记本把这个结论做成一个**综合指数**
（依据 JRC/OECD《综合指标构建手册》(2008)，参照 JRC 的 COINr），并用蒙特卡洛方法检验排名在多大程度上取决于分析者的选择：
权重、标准化方法、汇总方法、删去某一指标、以及对“>200”（下限）和“-”（缺失）的处理。

*The report compares indicator by indicator, then concludes. Here that conclusion becomes a composite index (JRC/OECD Handbook,
2008; COINr), and a Monte Carlo over the analyst's choices shows how much the ranking depends on them.*
"""),
    parameters('''year: int = 2015  # year of the comparison
weights: str = ""  # path of a YAML or CSV weights file, empty for equal weights
normalisation: str = "ratio"  # ratio to the focus, minmax, zscore or rank
aggregation: str = "geometric"  # arithmetic, geometric, borda or copeland
censored: str = "bound"  # lower bounds such as >200: bound, exclude or drop_indicator
missing: str = "mean"  # values printed as -: mean, median, min, worst, zero or drop_indicator
n_samples: int = 2000  # Monte Carlo samples
seed: int = 20160801  # random seed: the same seed gives the same numbers'''),
    code(SETUP.format(section="05_composite_index", extra=", year=year").replace(
        "from analysis_utils import analysis, claims, claims_view, findings, plotting, tables",
        "from analysis_utils import composite_data, findings, plotting, tables") + '''
entities = [params.focus, *params.peers]
matrix = composite_data.indicator_matrix(data, entities, year)
choices = composite_data.check_index_params(normalisation=normalisation, aggregation=aggregation, censored=censored,
                                            missing=missing, n_samples=n_samples, seed=seed, weights=weights,
                                            indicators=matrix.indicators)'''),
    md("""
## 指标与方向 · Indicators and their direction

十一项指标来自表2和表3。总量指标（地区生产总值、企业数、载体数、研发投入、人才）按常住人口折算为“每万人”，以免大区仅凭规模取胜；
强度指标（研发投入占比、每万人发明专利拥有量）直接使用。方向取自指标元数据（均为越高越好）。

*Eleven indicators from Tables 2 and 3; totals per 10k residents so that size alone does not win; intensities as they are.
Direction comes from the indicator metadata.*
"""),
    code('''inputs = composite_data.snapshot_for_index(data, entities, year, lang)
out.table(inputs, "composite_inputs")
show_table(inputs, "综合指数的输入（每万人或强度）" if lang == "zh" else "Inputs of the index (per 10k residents or intensity)", precision=3)'''),
    md("""
## 下限与缺失值的处理 · Treatment of lower bounds and missing values

下表逐格记录所做处理。`ratio` 标准化以关注区为 1，不会像 min–max 在只有三个区时把两个区固定在两端（若选择 min–max，会在下面给出警告）。

*Every treated cell is recorded. Ratio normalisation sets the focus to 1; min–max over three districts would pin two of them
to the ends, and a warning says so when it is chosen.*
"""),
    code('''nominal, warnings_nominal = composite_data.composite_nominal(
    matrix, normalisation=choices["normalisation"], aggregation=choices["aggregation"], weights=choices["weights"],
    censored=choices["censored"], missing=choices["missing"], reference=params.focus)
out.table(nominal.record, "composite_treatment_record")
show_table(nominal.record, "处理记录" if lang == "zh" else "Treatment record", precision=3)
show_markdown("\\n".join("- ⚠ " + w for w in warnings_nominal) or "-")'''),
    md("""
## 得分、排名与各指标贡献 · Scores, ranks and contributions

几何平均下，贡献为 w·ln(x)，各项之和为 ln(得分)；关注区在 ratio 标准化下各项为 0。

*Under a geometric mean a contribution is w·ln(x) and they add up to ln(score); the focus is 0 under ratio normalisation.*
"""),
    code('''scores = nominal.table().rename(index=names)
out.table(scores.reset_index(names="entity"), "composite_scores")
show_table(scores.reset_index(names="entity"), "综合指数" if lang == "zh" else "Composite index", precision=3)
fig = plotting.contributions_plot(nominal.contributions.rename(index=names), composite_data.indicator_labels(data, lang),
                                  choices["aggregation"], lang)
out.figure(fig, "fig8_composite_contributions")'''),
    md("""
## 不确定性：蒙特卡洛 · Uncertainty: Monte Carlo over the analyst's choices

每次抽样独立抽取：权重（名义权重 ×U(0.75, 1.25)）、标准化方法、汇总方法、删去的指标（或不删）、下限/缺失处理。
同一 `seed` 给出相同结果。

*Each sample draws weights (nominal × U(0.75, 1.25)), a normalisation, an aggregation, an indicator to drop (or none) and a
treatment of bounds and missing values. The same seed gives the same numbers.*
"""),
    code('''mc, warnings_mc = composite_data.run_uncertainty(
    matrix, choices["n_samples"], choices["seed"], weights=choices["weights"], reference=params.focus,
    normalisation=choices["normalisation"], aggregation=choices["aggregation"], censored=choices["censored"],
    missing=choices["missing"])
summary = mc.rank_summary.rename(index=names)
out.table(summary.reset_index(names="entity"), "composite_rank_intervals")
show_table(summary.reset_index(names="entity"), "排名及其5–95%区间" if lang == "zh" else "Ranks and their 5–95% interval")'''),
    code('''out.table(mc.rank_frequency.rename(index=names).reset_index(names="entity"), "composite_rank_frequency")
fig = plotting.rank_frequency_heatmap(mc.rank_frequency.rename(index=names), mc.n_samples, lang)
out.figure(fig, "fig9_rank_frequency")'''),
    md("""
## 敏感度：哪个选择最影响排名 · Sensitivity: which choice moves the ranking most

一阶敏感度指数 S = Var(E[Y|X])/Var(Y)，Y 为各区排名。排名从未改变时方差为 0，指数无定义；此时再看各区在该次抽样中
最差（0）与最好（1）之间的相对位置 (s − min)/(max − min)：它不受标准化尺度的影响，排名不变时也会移动，能说明哪个选择最重要。

*First-order index S = Var(E[Y|X]) / Var(Y) of each district's rank. If ranks never move there is no variance to attribute;
the relative position (s − min)/(max − min) between the worst (0) and best (1) of each sample still moves, is unaffected by
the normalisation's scale, and shows which choice matters.*
"""),
    code('''out.table(mc.sensitivity.rename(index=names).reset_index(names="entity"), "composite_sensitivity")
fig = plotting.sensitivity_heatmap(mc.sensitivity.rename(index=names), mc.n_samples, lang)
out.figure(fig, "fig10_sensitivity")
out.table(mc.position_sensitivity.rename(index=names).reset_index(names="entity"), "composite_position_sensitivity")
fig = plotting.sensitivity_heatmap(mc.position_sensitivity.rename(index=names), mc.n_samples, lang, "pos_sens_title")
out.figure(fig, "fig12_position_sensitivity")
show_markdown("\\n".join("- " + s for s in findings.composite(
    summary, mc.shift_sensitivity, mc.n_samples, lang, mc.position_sensitivity.rename(index=names))))'''),
    *outputs_cells(),
])

write(NB / "04_claims_audit.ipynb", [
    md("""
# 04 报告数字核查 · Claims audit

报告中的每一个数字陈述（表内的增长率、合计、占比，正文中的百分比、倍数、比较）都登记在 `data/claims.csv`，
并尽可能由数据重算。判定以区间推理：印出的 28.7 代表 [28.65, 28.75)。

- **reproduced（可复现）**：与其他印出数字相容的某个值四舍五入后等于印出值；
- **inconsistent（不一致）**：没有任何相容的值能得到印出值——给出差多少、以及需要什么条件才成立；
- **implied（隐含）**：无法核对，但它隐含了别的数字（如增长率隐含基年值、占比隐含总体规模），给出隐含区间；
- **unverifiable（无法核实）**：报告没有给出任何可对照的数字。

*Every numeric statement of the report is registered and, where the report's own data allow, recomputed; verdicts reason in
intervals (a printed 28.7 stands for [28.65, 28.75)).*
"""),
    parameters(),
    code(SETUP.format(section="04_claims_audit", extra="").replace(
        "from analysis_utils import analysis, claims, claims_view, findings, plotting, tables",
        "from analysis_utils import claims, claims_view, plotting")),
    md("## 按判定与章节汇总 · Verdicts per section"),
    code('''audit = claims.audit(data)
verdicts = claims.summary(audit, by="section")
out.table(verdicts.reset_index(), "claims_summary")
show_table(verdicts.reset_index(), "判定汇总" if lang == "zh" else "Verdicts per section")
fig = plotting.verdict_bars(audit, lang)
out.figure(fig, "fig11_claims_verdicts")'''),
    md("""
## 不一致与隐含的陈述 · Inconsistent and implied statements

这些是读者最应注意的数字：不一致者给出原因，隐含者给出它所隐含的数值区间。

*The statements a reader should look at first: why each inconsistent one fails, and what each implied one implies.*
"""),
    code('''notable = claims_view.notable(audit, lang)
show_table(notable, "需要注意的陈述" if lang == "zh" else "Statements to look at")'''),
    md("## 全部陈述及判定 · The whole registry with its verdicts"),
    code('''registry = claims_view.audit_view(audit, lang)
out.table(audit, "claims_audit")
show_table(registry, "数字陈述核查表" if lang == "zh" else "Claims audit")'''),
    *outputs_cells(),
])
