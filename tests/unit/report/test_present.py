"""report/present.py: tables shown on a page get headers and values in the page's language (localise)."""
from __future__ import annotations

import re

import pandas as pd

from tests._support.language import CJK


def test_reader_tables_of_ranks_and_verdicts_are_headed_in_the_page_language():
    """05's rank intervals and 04's verdicts-by-basis were shown with machine names (second newcomer run)."""
    from analysis_utils.report.present import localise

    ranks = pd.DataFrame({"entity": ["南山区"], "nominal_rank": [1], "median_rank": [1.0], "rank_p05": [1],
                          "rank_p95": [1], "mean_rank": [1.0]})
    assert list(localise(ranks, "en").columns) == ["District", "Nominal rank", "Median rank", "Rank (5th percentile)",
                                                   "Rank (95th percentile)", "Mean rank"]
    verdicts = pd.DataFrame({"basis": ["recomputed", "all"], "reproduced": [16, 34], "all": [16, 66]})
    zh = localise(verdicts, "zh")
    assert list(zh.columns) == ["核查依据", "可复现", "合计"] and list(zh["核查依据"]) == ["重算", "合计"]
    en = localise(verdicts, "en")
    assert not any(CJK.search(str(c)) for c in en.columns) and list(en["Basis of the check"]) == ["recomputed", "All"]


def test_treatment_record_qualifiers_read_as_words(data):
    from analysis_utils.report.present import localise

    record = pd.DataFrame({"qualifier": ["gt", "missing"]})
    assert localise(record, "zh", kind=data.qualifier_table.kind)["限定词"].tolist() == ["下限", "缺失"]
    assert localise(record, "en", kind=data.qualifier_table.kind)["Qualifier"].tolist() == ["lower bound", "missing"]


def test_a_page_table_groups_digits_and_links_an_address_by_its_host():
    """show_table's Styler: counts with grouped digits (33,620, not 33620.00), a year as the view gives it (text),
    an address as a link whose text is its host, the full address its target."""
    from analysis_utils.report.present import styled, with_formats

    df = with_formats(pd.DataFrame({"Year": ["2015"], "Whole": [33620], "Ratio": [4.270114943],
                                    "URL": ["http://kjj.wuhan.gov.cn/zwgk_8/fdzdnrgk/t20200107_619084.html"]}),
                      {"Ratio": "ratio"})
    html = styled(df, "caption").to_html()
    assert ">2015</td>" in html and ">33,620</td>" in html and ">4.27</td>" in html
    assert ('<a href="http://kjj.wuhan.gov.cn/zwgk_8/fdzdnrgk/t20200107_619084.html" '
            'title="http://kjj.wuhan.gov.cn/zwgk_8/fdzdnrgk/t20200107_619084.html">kjj.wuhan.gov.cn</a>') in html


def test_a_short_name_stays_on_one_line_and_long_text_wraps():
    """In a 14-column table JupyterLab squeezed the district column to one character (武/昌/区): a text column of
    names of at most 16 characters is kept on one line; a column of sentences still wraps; numbers are not touched."""
    from analysis_utils.report.present import styled

    df = pd.DataFrame({"地区": ["武昌区", "SYNTHETIC_示例区"], "陈述": ["一" * 17, "短"], "数值": [1.5, 2.0]})
    html = styled(df, "caption").to_html()
    assert set(re.findall(r"\.col(\d+) \{\s*white-space: nowrap;", html)) == {"0"}, html[:800]


def test_a_marked_number_is_written_as_its_column_shows_it_and_stays_a_number_column():
    from analysis_utils.report.present import numeric_columns, page_number

    assert page_number(4.270115, "ratio") == "4.27" and page_number(3715.0, "value") == "3,715"
    assert page_number(0.8219178, "index") == "0.822" and page_number(float("nan"), "ratio") == "-"
    # '0.822†' (another source's number) is right-aligned as a number; '示例区†' is text
    assert numeric_columns(pd.DataFrame({"a": ["0.822†", "14.652", "-"], "b": ["示例区†", "南山区", "x"]})) == [True,
                                                                                                              False]


def test_a_table_rounds_as_the_sentences_do():
    """A newcomer's page 03: 870 / 1200 = 0.725 showed as 0.72 in the size table (Python's format rounds the binary
    value, 0.72499…) and as 0.73 in the sentence under it (rounding.format_fixed: half away from zero). By hand:
    0.725 → 0.73; 2.675 → 2.68; 1,234,567.125 → 1,234,567.13; 12.25 % at one decimal → 12.3."""
    from analysis_utils.report.present import page_number, styled, with_formats

    assert [page_number(v, "ratio") for v in (870 / 1200, 2.675, 1234567.125)] == ["0.73", "2.68", "1,234,567.13"]
    assert page_number(12.25, "percent1") == "12.3" and page_number(float("nan"), "ratio") == "-"
    table = with_formats(pd.DataFrame({"x": [870 / 1200, float("nan")]}), {"x": "ratio"})
    cells = re.findall(r'<td[^>]*class="data[^"]*"[^>]*>([^<]*)</td>', styled(table, "caption").to_html())
    assert [c.strip() for c in cells] == ["0.73", "-"]


def test_a_treatment_is_worded_by_its_count():
    """Trial F read 'imputed: mean of 2 observed value(s)' on page 05: the English follows the count."""
    from analysis_utils.report.present import action_text

    row = {"action": "imputed", "side": "", "method": "mean", "count": 2}
    assert action_text(row, "en") == "imputed: mean of 2 observed values"
    assert action_text({**row, "count": 1}, "en") == "imputed: mean of 1 observed value"
    assert action_text({**row, "count": 1}, "zh") == "按1个观测值的均值填补"
    assert action_text({"action": "dropped_missing", "count": 1}, "en") == "dropped: 1 missing cell"
    assert action_text({"action": "dropped_censored", "count": 3}, "en") == "dropped: 3 censored cells"
