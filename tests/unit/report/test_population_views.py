"""report/population_views.py: Table 2's population column flagged in words; expected text written by hand."""
from __future__ import annotations

from analysis_utils.analysis import compare
from analysis_utils.report import population_views


def test_the_note_names_the_registered_and_the_resident_figures(data, ext):
    alt = compare.resident_alternative(data, ext, ["武昌区", "南山区", "余杭区"])
    assert population_views.population_note(data, alt, 2015, "en") == (
        "Table 2's 'resident population' column mixes two concepts: the figures of Wuchang District and Yuhang "
        "District* are registered (hukou) population by the evidence, that of Nanshan District resident population. "
        "Comparisons per 10,000 residents therefore divide by different populations; below they are recomputed "
        "with a published resident population (each district's year nearest 2015, not interpolated). An asterisk "
        "marks a concept inferred from the evidence (no source gives the number with its concept).")
    assert population_views.population_note(data, alt, 2015, "zh").startswith(
        "表2“常住人口”一列混用两种口径：武昌区、余杭区*的数字据证据为户籍人口，南山区的为常住人口。")
    # one concept only: nothing to flag
    assert population_views.population_note(data, alt[alt["entity"] == "南山区"], 2015, "en") == ""


def test_the_view_shows_concept_source_and_standing(data, ext):
    alt = compare.resident_alternative(data, ext, ["武昌区", "余杭区"])
    view = population_views.population_view(data, ext, alt, "zh")
    assert list(view.columns) == ["区", "报告所印（万人）", "口径", "口径的证据", "已公布常住人口（万人）", "年份", "来源",
                                  "来源地位", "其他已公布的常住人口（万人）"]
    # 武昌's 2018 figure (128.28, nearest 2015) is used; the others are shown beside it, by year, with their standing:
    # the 2010 census 1,199,127 persons = 119.91万, 2019's 127.63万, the 2020 census 1,092,750 persons = 109.28万
    assert view.iloc[0, -1] == ("2010年119.91（未署名网页或转载）；2019年127.63（未署名网页或转载）；"
                                "2020年109.28（官方文本（转载于其他网站））")
    assert view.iloc[0].tolist()[2:4] == ["户籍人口", "武昌区人大常委会网站（kcx6666.com 上“人大概览”栏目的副本；网页未署发布者）"]
    # 余杭's concept is inferred: no page gives 92.54 with it (data/concepts.csv inferred = true)
    assert view.iloc[1].tolist()[2:] == ["户籍人口（据证据推断，未见明文）", "杭州市统计局", 135.9, "2016", "杭州市统计局",
                                         "官方发布（发布者自己的网站）", "-"]


def test_a_users_district_is_not_called_table_2s_and_its_concept_is_its_sources(example_data, ext):
    """Before: the SYNTHETIC 示例区's 73万 (its own bulletin) was counted among Table 2's resident figures and shown
    as 'resident population' with no evidence."""
    alt = compare.resident_alternative(example_data, ext, ["示例区", "武昌区", "南山区"])
    note = population_views.population_note(example_data, alt, 2015, "en")
    assert "Example District" not in note and note.startswith(
        "Table 2's 'resident population' column mixes two concepts: the figures of Wuchang District are registered")
    view = population_views.population_view(example_data, ext, alt, "en")
    assert view.iloc[0].tolist()[1:5] == [  # its 73 (万人) is its bulletin's: marked, as every such number
        "73†", "not the report's number: as Example District Statistics Bureau (SYNTHETIC) gives it, unchecked", "-", "-"]
    assert view.iloc[1, 1] == "113"  # 武昌's, the report's: unmarked
    # its values per 10,000 residents are computed from its numbers (1000/73 = 13.699): marked; nothing published to
    # recompute with: '-'; 武昌's 870/113 = 7.699 and 870/128.28 = 6.782 unmarked
    sensitivity = population_views.sensitivity_view(
        compare.per_resident_sensitivity(example_data, alt, ["示例区", "武昌区"]), example_data, "en")
    gdp = sensitivity[sensitivity.iloc[:, 1] == "Gross regional product"].set_index(sensitivity.columns[0])
    ours, wuchang = gdp.loc["Example District (SYNTHETIC)†"], gdp.loc["Wuchang District"]
    assert ours.iloc[1:].tolist() == ["13.699†", "-", "-"]
    assert wuchang.iloc[1:].tolist() == ["7.699", "6.782", "-11.9%"]


def test_a_bound_stays_a_bound_per_resident(data, ext):
    """南山's R&D expenditure is printed >200亿元: per 10,000 residents ≥200/112 = 1.786 and ≥200/111.91 = 1.787
    (before: shown as the plain 1.786)."""
    entities = ["武昌区", "南山区"]
    alt = compare.resident_alternative(data, ext, entities)
    view = population_views.sensitivity_view(compare.per_resident_sensitivity(data, alt, entities), data, "zh")
    rd = view[(view.iloc[:, 0] == "南山区") & (view.iloc[:, 1] == "年度研发投入总量")]
    assert rd.iloc[0, 2:].tolist() == ["≥1.786", "≥1.787", "+0.1%"]


def test_every_column_of_the_population_tables_has_its_label(data, ext):
    """A table a notebook writes needs a label for each column (RunOutputs.table raises MissingColumnLabel in the
    kernel otherwise: 03 failed so when population_source_id and inferred were added)."""
    from analysis_utils.report.columns import headers

    alt = compare.resident_alternative(data, ext, ["武昌区", "余杭区"])
    sensitivity = compare.per_resident_sensitivity(data, alt, ["武昌区", "余杭区"])
    for lang in ("zh", "en"):
        assert headers(alt.columns, lang, "population_concepts", written=True)[2] == {
            "zh": "人口数字的来源编号（空：报告表2）", "en": "Source id of the population number (empty: the report's Table 2)"}[lang]
        headers(sensitivity.columns, lang, "per_resident_sensitivity", written=True)


def test_a_users_concept_row_is_shown_for_the_users_district(example_additions, ext):
    """Before: a concepts.csv row of the user's (示例区's 73万 is registered, inferred, by its own bulletin) was
    recorded in the CSV but the page still said only 'as its source gives it, unchecked'."""
    from analysis_utils.data.load import load
    from tests._support.data import with_concepts

    folder = example_additions
    with_concepts(folder, "resident_population,示例区,2015,registered,synthetic_bulletin,true,SYNTHETIC\n")
    data = load(folder)
    alt = compare.resident_alternative(data, ext, ["示例区", "武昌区"])
    en = population_views.population_view(data, ext, alt, "en")
    assert en.iloc[0, 2] == ("registered (hukou) population (inferred from the evidence, not stated by it) "
                             "(not the report's number: as Example District Statistics Bureau (SYNTHETIC) gives it)")
    zh = population_views.population_view(data, ext, alt, "zh")
    assert zh.iloc[0, 2] == "户籍人口（据证据推断，未见明文）（不是报告的数字：据示例区统计局（SYNTHETIC，虚构））"


def test_the_page_showing_the_column_says_where_it_is_recomputed(data):
    """Page 02 shows Table 2's population column; a referee found no word there that it mixes concepts. Its note
    points to notebooks 03 and 05 instead of 'below' (written by hand)."""
    from analysis_utils.analysis import compare
    from analysis_utils.data.external import load_external

    alt = compare.resident_alternative(data, load_external(data), ["武昌区", "南山区", "余杭区"], 2015)
    note = population_views.population_note(data, alt, 2015, "en", below=False)
    assert "therefore divide by different populations; notebooks 03 and 05 recompute them, and the composite's " \
           "ranks, with a published resident population (each district's year nearest 2015, not interpolated)." in note
    assert "below" not in note
    assert population_views.population_note(data, alt, 2015, "zh", below=False).count("笔记本03与05") == 1


def test_the_recomputed_ranks_name_the_figures_they_use(data, ext):
    """A referee found only "each district's year nearest 2015" under page 05's recomputed ranks. The figures, years
    and standings are those of data/external/ (by hand: 武昌区 128.28万 of 2018 on an unattributed page, 南山区
    111.91万 of 2015 on a repost, 余杭区 135.90万 of 2016 on Hangzhou's official site)."""
    alt = compare.resident_alternative(data, ext, ["武昌区", "南山区", "余杭区"], 2015)
    assert population_views.used_note(data, alt, "zh") == (
        "按已公布常住人口重算的排名所用的人口（万人）：武昌区2018年128.28，来源为未署名网页或转载；南山区2015年111.91，来源为"
        "未署名网页或转载；余杭区2016年135.9，来源为官方发布（发布者自己的网站）。")
    view = population_views.population_view(data, ext, alt, "en")
    assert view.iloc[:, 1].tolist() == ["113", "112", "92.54"]  # as printed, not 113.00


def test_the_recomputed_ranks_say_whose_population_they_keep(example_data):
    """A newcomer's district (examples/synthetic-district, SYNTHETIC) has no published resident population in
    data/external/: the recomputed ranks keep its own 73万人, and the note under them named only the three districts
    whose figures were replaced (written by hand)."""
    from analysis_utils.data.external import external_if_any

    alt = compare.resident_alternative(example_data, external_if_any(example_data), ["示例区", "武昌区", "南山区", "余杭区"],
                                       2015)
    assert population_views.used_note(example_data, alt, "en").endswith(
        "from a source of standing “official (on its publisher's own site)”. Example District (SYNTHETIC)†: no "
        "published resident population "
        "is known, so the recomputed ranks keep the population the data give.")
    assert population_views.used_note(example_data, alt, "zh").endswith(
        "来源为官方发布（发布者自己的网站）。示例区†没有已公布的常住人口数，重算的排名沿用数据中的人口数。")
    alone = alt[alt["entity"] == "示例区"]
    assert population_views.used_note(example_data, alone, "zh") == "示例区†没有已公布的常住人口数，重算的排名沿用数据中的人口数。"


def test_page_03_says_whose_recomputed_values_are_missing(data, ext, example_data):
    """Page 03's values recomputed with a published resident population showed '-' for a newcomer's district
    (examples/synthetic-district, SYNTHETIC) with no word why, where page 05 said it. Written by hand; '' with the
    report's districts only (each has a published figure in data/external/)."""
    from analysis_utils.data.external import external_if_any

    alt = compare.resident_alternative(example_data, external_if_any(example_data), ["示例区", "武昌区"], 2015)
    assert population_views.unpublished_note(example_data, alt, "zh") == \
        "示例区†没有已公布的常住人口数，按已公布常住人口重算的数值为“-”。"
    assert population_views.unpublished_note(example_data, alt, "en") == (
        "Example District (SYNTHETIC)†: no published resident population is known, so the values recomputed with one "
        "are '-'.")
    report = compare.resident_alternative(data, ext, ["武昌区", "南山区", "余杭区"], 2015)
    assert population_views.unpublished_note(data, report, "en") == ""
