"""report/narrative.py: captions, notes and generated sentences of notebooks 01–06 read as written for the run's
focus and language, and the districts' sizes as multiples of the focus.

Expected strings are worked out by hand from the report's captions and data/entities.csv's English names; the size
multiples from 表2's 2015 residents (万人), area (平方公里) and GDP (亿元): 武昌区 113 / 87.42 / 870, 南山区
112 / 185 / 3715, 余杭区 92.54 / 1220 / 1235. A SYNTHETIC fourth district with observations for the 表2 indicators
only (no 表3 talent data) checks that a district without a table's data gets a row of "-" and a note, never an
empty row, whether it is the focus or a peer."""
from __future__ import annotations

import csv
import shutil

import pytest

from analysis_utils.analysis.external_series import share_series, whole_of
from analysis_utils.data.external import load_external
from analysis_utils.data.load import load
from analysis_utils.paths import DATA_DIR
from analysis_utils.report import narrative, report_tables
from analysis_utils.report.names import entity_names, label_rows
from analysis_utils.report.narrative import series_sentence
from tests._support.data import DISTRICTS, SYNTHETIC_DISTRICT, add_synthetic_district


@pytest.fixture(scope="module")
def four(tmp_path_factory):
    """The packaged data plus a synthetic district holding 表2 indicators only."""
    target = tmp_path_factory.mktemp("t2only") / "data"
    shutil.copytree(DATA_DIR, target)
    add_synthetic_district(target)
    path = target / "observations.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    entity, source = rows[0].index("entity"), rows[0].index("source")
    kept = [r for r in rows if not (r[entity] == SYNTHETIC_DISTRICT and r[source].endswith("表3"))]
    assert len(kept) < len(rows)  # the synthetic district had 表3 rows, now it has none
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(kept)
    return load(target)


def test_the_question_lists_peers_as_names(data):
    q = narrative.question(data, "南山区", ["武昌区", "余杭区"], "zh")
    assert q.startswith("本次运行的关注区为南山区，对标区为武昌区、余杭区：") and "；" not in q
    q = narrative.question(data, "余杭区", ["武昌区", "南山区"], "en")
    assert q.startswith("This run compares Yuhang District with Wuchang District and Nanshan District: "), q


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("focus", [*DISTRICTS, SYNTHETIC_DISTRICT])
def test_no_empty_row_or_cell_in_tables_2_and_3(four, focus, lang):
    names = entity_names(four, lang)
    entities = [focus, *[d for d in four.districts() if d != focus]]
    assert SYNTHETIC_DISTRICT in entities and len(entities) == 4
    for table in (report_tables.table_2(four, lang, entities), report_tables.table_3(four, lang, entities)):
        assert table.iloc[:, 0].tolist() == [names[e] for e in entities]  # every district has its row
        cells = table.iloc[:, 1:].astype(str).apply(lambda c: c.str.strip())
        assert not (cells == "").any().any(), table
    t3 = report_tables.table_3(four, lang, entities)
    # the synthetic district has no 表3 data: a row of "-", named in the note; the report's three are not
    assert report_tables.empty_rows(t3) == [names[SYNTHETIC_DISTRICT]]
    note = narrative.empty_rows_note(t3, lang)
    assert names[SYNTHETIC_DISTRICT] in note and not any(names[d] in note for d in DISTRICTS)
    assert report_tables.empty_rows(report_tables.table_2(four, lang, entities)) == []
    assert narrative.empty_rows_note(report_tables.table_2(four, lang, entities), lang) == ""


def test_empty_rows_note_hand_strings(four):
    t3 = report_tables.table_3(four, "zh", ["武昌区", SYNTHETIC_DISTRICT])
    assert t3.iloc[1].tolist() == [SYNTHETIC_DISTRICT + "†", "-", "-", "-"]  # † : a district the report does not describe
    assert narrative.empty_rows_note(t3, "zh") == f"{SYNTHETIC_DISTRICT}†在数据中没有本表的任何数值，该行各格显示为“-”。"
    t3 = report_tables.table_3(four, "en", [SYNTHETIC_DISTRICT, "南山区"])
    assert narrative.empty_rows_note(t3, "en") == \
        "The data hold no value of this table for SYNTHETIC district†: every cell of that row reads “-”."


COLUMNS_EN = ("Where the column “Ratio is” says “lower bound” (a number printed as “>200”, say), the growth needed is a "
              "lower bound too. Where the column “Focus is” says “leads” or “level”, there is nothing to close; where it "
              "says “unknown” (a value is missing, or its printed bound does not say who leads), there is nothing to "
              "compare; in both cases the growth needed and the years are left empty.")
NONE_EN = ("Where the column “Growth basis” says “none”, there is no growth of the focus district to go on, and the "
           "years to close are left empty; an assumed growth rate, set in the notebook's parameter “Scenario growth”, "
           "fills them in.")  # a reader's page names no machine parameter (was `scenario_growth`)


def _gaps(data, focus, lang, scenario=None):
    from analysis_utils.analysis import growth

    peers = [d for d in DISTRICTS if d != focus]
    g = label_rows(growth.gap_table(data, focus, peers, 2015, 2020, focus_growth=growth.historical_growth(data, focus),
                                    scenario_growth=scenario), data, lang)
    return g[g["denominator"] == "total"]


def test_gap_reading_names_the_proxy_only_where_it_is_used(data, four):
    # 余杭区 has no series in the report: no proxy sentence, years left empty
    assert narrative.gap_reading(data, "余杭区", _gaps(data, "余杭区", "en"), "en") == COLUMNS_EN + "\n\n" + NONE_EN
    assert "代理" not in narrative.gap_reading(data, "南山区", _gaps(data, "南山区", "zh"), "zh")
    # a user's district with 表2 numbers only: no proxy either
    assert "proxy" not in narrative.gap_reading(four, SYNTHETIC_DISTRICT, _gaps(four, SYNTHETIC_DISTRICT, "en"), "en")
    # 武昌区: 表1 invention grants 493 (2011) -> 970 (2015): (970/493)^(1/4) - 1 = 18.4 %
    assert narrative.gap_reading(data, "武昌区", _gaps(data, "武昌区", "en"), "en") == "\n\n".join([
        COLUMNS_EN,
        "Wuchang District's own growth is known only where the report prints a series: the growth of invention patents "
        "in force per 10,000 residents is approximated by the annual growth of Wuchang District's invention patent "
        "grants over 2011–2015, 18.4% (the column “Growth basis” says “proxy: CAGR of a related series”).",
        NONE_EN])
    zh = narrative.gap_reading(data, "武昌区", _gaps(data, "武昌区", "zh"), "zh").split("\n\n")
    assert zh[0] == ("“比值性质”一列为“下限”时（数字印作“>200”之类），所需增速也是下限；“关注区位置”一列为“领先”或“持平”时不需追赶，"
                     "为“无法判断”时（数值缺失，或所印界限不能说明谁领先）无从比较，这两种情况下所需增速和年数都留空。")
    assert zh[1] == ("武昌区自身的增速只在报告给出序列时可得：每万人发明专利拥有量的增速以武昌区发明专利授权数量2011—2015年的"
                     "年均增速18.4%近似（“增速来源”一列为“代理：相关序列的年均增速”）。")
    # an assumed growth is named as such, and nothing is left without a basis
    scenario = narrative.gap_reading(data, "余杭区", _gaps(data, "余杭区", "en", scenario=0.1), "en")
    assert scenario == COLUMNS_EN + "\n\n" + (
        "Where the column “Growth basis” says “scenario (assumed)”, the years to close rest on an assumed growth of "
        "10.0% a year: an analyst's assumption, not a figure of the report.")


def test_series_sentence_for_a_district_without_a_city(four):
    ext = load_external(four)
    whole = whole_of(four, SYNTHETIC_DISTRICT)
    assert whole == ""
    empty = share_series(four, ext, SYNTHETIC_DISTRICT, whole)
    assert series_sentence(four, ext, SYNTHETIC_DISTRICT, whole, empty, "zh") == \
        "数据（entities.csv）中SYNTHETIC_测试区†没有所属城市，无法计算其占全市的比重。"


def test_series_for_a_focus_in_a_city_without_published_totals(data, ext):
    assert (whole_of(data, "武昌区"), whole_of(data, "南山区"), whole_of(data, "余杭区")) == ("武汉市", "深圳市", "杭州市")
    series = share_series(data, ext, part_entity="南山区", whole_entity="深圳市")
    assert series.empty
    # the report gives patent and technology-contract numbers for Wuchang only (表1, prose); no Shenzhen totals
    assert series_sentence(data, ext, "南山区", "深圳市", series, "en") == (
        "The report (and the data used) give patent applications, patent grants, invention patent grants and "
        "technology contract turnover for Wuchang District only, not for Nanshan District, so Nanshan District's "
        "share of Shenzhen cannot be computed. Nor do the published figures hold totals of Shenzhen for these.")
    assert series_sentence(data, ext, "余杭区", "杭州市", share_series(data, ext, "余杭区", "杭州市"), "zh") == (
        "报告（及所用数据）只给出武昌区的专利申报、专利授权数量、发明专利授权数量、技术合同交易额，没有余杭区的，"
        "无法计算余杭区占杭州市的比重。外部数据中也没有杭州市的这些总量。")
    wuchang = share_series(data, ext, part_entity="武昌区", whole_entity="武汉市")
    assert series_sentence(data, ext, "武昌区", "武汉市", wuchang, "en") == (
        "Wuchang District's share of Wuhan: the report gives Wuchang District's own numbers, Wuhan's totals were "
        "published outside the report.")


def test_series_sentence_for_a_users_district(data, ext, tmp_path):
    """A user's 4th district (西湖区 of 杭州市) with 表2 numbers for 2015 only: the sentence never says the report
    has its numbers; a district with patent grants but no published city totals for those years is told so."""
    copy = tmp_path / "data"
    shutil.copytree(data.data_dir, copy)
    with (copy / "entities.csv").open("a", encoding="utf-8") as f:
        f.write("西湖区,Xihu District,district,杭州市,a user's district\n")
    user = load(copy)
    empty = share_series(user, ext, "西湖区", "杭州市")
    assert series_sentence(user, ext, "西湖区", "杭州市", empty, "en") == (
        "The report (and the data used) give patent applications, patent grants, invention patent grants and "
        "technology contract turnover for Wuchang District only, not for Xihu District†, so Xihu District†'s share "
        "of Hangzhou cannot be computed. Nor do the published figures hold totals of Hangzhou for these.")
    # 武昌区 against a city with no published totals (武汉's are in the data, so ask for 深圳市's): years 2011–2015
    none = share_series(data, ext, "武昌区", "深圳市")
    assert series_sentence(data, ext, "武昌区", "深圳市", none, "zh").startswith(
        "外部数据中没有深圳市与报告中武昌区的数字（")
    assert "2011—2015年" in series_sentence(data, ext, "武昌区", "深圳市", none, "zh")
    assert series_sentence(data, ext, "武昌区", "", none, "en") == (
        "The data (entities.csv) give no city for Wuchang District, so no share of a city can be computed.")


# ---------------------------------------------------------------- district sizes as multiples of the focus
def test_sizes_table_multiples_of_the_focus(data):
    sizes = narrative.district_sizes(data, ["武昌区", "南山区", "余杭区"], 2015, "en")
    # one name per indicator: indicators.csv's, as in Table 2 and the sentences beside it
    assert list(sizes.columns) == ["District", "Resident population (10,000 persons)", "Land area (km²)",
                                   "Gross regional product (100 million yuan)", "Resident population ÷ focus (×)",
                                   "Land area ÷ focus (×)", "Gross regional product ÷ focus (×)"]
    zh = narrative.district_sizes(data, ["武昌区", "南山区"], 2015, "zh")
    assert list(zh.columns) == ["地区", "常住人口（万人）", "面积（平方公里）", "区域总产值（亿元）", "常住人口为关注区的倍数",
                                "面积为关注区的倍数", "区域总产值为关注区的倍数"]
    assert list(sizes["District"]) == ["Wuchang District", "Nanshan District", "Yuhang District"]
    # 112/113, 185/87.42, 3715/870; 92.54/113, 1220/87.42, 1235/870
    assert sizes.iloc[1, 4:].tolist() == pytest.approx([0.991150, 2.116221, 4.270115], abs=1e-6)
    assert sizes.iloc[2, 4:].tolist() == pytest.approx([0.818938, 13.955616, 1.419540], abs=1e-6)
    assert sizes.iloc[0, 4:].tolist() == [1.0, 1.0, 1.0]


def test_size_sentences_quote_the_table_at_its_precision(data):
    zh = narrative.size_sentences(data, "武昌区", ["南山区", "余杭区"], 2015, "zh").splitlines()
    assert zh == ["- 南山区：常住人口为武昌区的0.99倍，面积为2.12倍，区域总产值为4.27倍。",
                  "- 余杭区：常住人口为武昌区的0.82倍，面积为13.96倍，区域总产值为1.42倍。"]
    # focus 余杭区: Wuchang has 87.42/1220 = 0.0717 of its area, shown 0.07 as in the table (not 0.1)
    en = narrative.size_sentences(data, "余杭区", ["武昌区"], 2015, "en")
    assert en == ("- Wuchang District: 1.22× Yuhang District's resident population, 0.07× its land area, 0.70× its "
                  "gross regional product.")
    assert narrative.SIZE_DECIMALS == 2


def test_sizes_from_another_source_and_the_multiples_they_give_are_marked(replaced_data):
    """SYNTHETIC: replaced_data stands 880 (source synthetic_bulletin) in for the report's 武昌区 GDP of 870, and adds
    示例区 (73 万人, 28.29 km², GDP 1000, the same source). The report's 南山区: 112 万人, 185 km², GDP 3715."""
    sizes = narrative.district_sizes(replaced_data, ["武昌区", "南山区", "示例区"], 2015, "zh")
    assert sizes["地区"].tolist() == ["武昌区†", "南山区", "示例区†"]
    assert sizes["常住人口（万人）"].tolist() == ["113", "112", "73†"]
    assert sizes["区域总产值（亿元）"].tolist() == ["880†", "3,715", "1,000†"]
    # 112/113 = 0.99 (the report's over the report's), 73/113 = 0.65
    assert sizes["常住人口为关注区的倍数"].tolist() == ["1.00", "0.99", "0.65†"]
    # every GDP multiple divides by the focus's replaced 880: 3715/880 = 4.22, 1000/880 = 1.14
    assert sizes["区域总产值为关注区的倍数"].tolist() == ["1.00†", "4.22†", "1.14†"]
    # without the user's district the report's sizes stay numbers; only GDP, and its multiples, are marked
    two = narrative.district_sizes(replaced_data, ["武昌区", "南山区"], 2015, "en")
    assert two.iloc[:, 1].tolist() == [113, 112] and two.iloc[:, 2].tolist() == [87.42, 185]
    assert two.iloc[:, 3].tolist() == ["880†", "3,715"] and two.iloc[:, 6].tolist() == ["1.00†", "4.22†"]
    assert two.iloc[:, 4].tolist() == pytest.approx([1.0, 0.991150], abs=1e-6)  # 112/113


def test_the_reports_sizes_carry_no_mark(data):
    sizes = narrative.district_sizes(data, ["武昌区", "南山区", "余杭区"], 2015, "zh")
    assert all(sizes[c].dtype.kind == "f" for c in sizes.columns[1:])
    assert not sizes.astype(str).apply(lambda c: c.str.contains("†")).any().any()


def test_a_size_multiple_that_cannot_be_computed_is_said_so(synthetic_data_dir):
    """A newcomer's district without its land area read "1.74× …'s resident population, -× its land area". The
    missing multiple is named as not comparable and the next one still names the focus it is a multiple of."""
    from analysis_utils.data.load import load
    from tests._support.data import SYNTHETIC_DISTRICT

    folder, _values = synthetic_data_dir
    data = load(folder)
    obs = data.observations
    keep = ~((obs["entity"] == SYNTHETIC_DISTRICT) & (obs["indicator"] == "area"))
    data.observations = obs[keep]
    try:
        en = narrative.size_sentences(data, SYNTHETIC_DISTRICT, ["武昌区"], 2015, "en")
    except AttributeError:
        pytest.skip("observations are read-only here")
    assert "land area not comparable (a value is missing), " in en.replace("Land area", "land area")
    assert "-×" not in en and "× SYNTHETIC district†'s" in en
