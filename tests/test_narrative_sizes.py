"""report.narrative.district_sizes and size_sentences against multiples worked out by hand from 表2's 2015
residents (万人), area (平方公里) and GDP (亿元): 武昌区 113 / 87.42 / 870, 南山区 112 / 185 / 3715,
余杭区 92.54 / 1220 / 1235."""
from __future__ import annotations

import pytest

from analysis_utils.report import narrative


def test_sizes_table_multiples_of_the_focus(data):
    sizes = narrative.district_sizes(data, ["武昌区", "南山区", "余杭区"], 2015, "en")
    # one name per indicator: indicators.csv's, as in Table 2 and the sentences beside it
    assert list(sizes.columns) == ["District", "Resident population (10k persons)", "Land area (km²)",
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
