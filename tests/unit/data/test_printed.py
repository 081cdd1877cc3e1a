"""A value agrees with the number its printed text shows (data.printed): readings and verdicts worked out by hand.

Readings are in the row's unit at the printed decimals; the packaged data all agree but one row, '八大重点产业',
whose only number is a Chinese numeral (unchecked, never guessed).
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from analysis_utils.data.external import load_external
from analysis_utils.data.load import load
from analysis_utils.data.printed import (CHECK_COLUMNS, STATUSES, compare, number_of, numerals, printed_checks,
                                         read_printed)
from analysis_utils.data.units import packaged_units
from analysis_utils.errors import DataValidationError
from analysis_utils.paths import DATA_DIR

UNITS = packaged_units()


@pytest.fixture
def data_dir(tmp_path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


def change_line(path: Path, old: str, new: str) -> None:
    """Replace the one line ``old`` of ``path`` by ``new`` (one cell changed)."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    assert lines.count(old + "\n") == 1, old
    path.write_text("".join(new + "\n" if line == old + "\n" else line for line in lines), encoding="utf-8")


def problems_of(load_it):
    with pytest.raises(DataValidationError) as info:
        load_it()
    return info.value.problems


# ---------------------------------------------------------------- the two slips that validated before
def test_a_value_typed_wrong_is_caught_naming_both_cells(data_dir):
    change_line(data_dir / "observations.csv", "武昌区,patent_grants,2015,,false,2826,,件,,2826,表1,,一(二)3,",
                "武昌区,patent_grants,2015,,false,8700,,件,,2826,表1,,一(二)3,")
    [problem] = problems_of(lambda: load(data_dir))
    assert (problem.file, problem.row, problem.line, problem.column, problem.value, problem.code) == (
        str(data_dir / "observations.csv"), 5, 6, "value", "8700", "printed-mismatch")
    assert problem.expected == ("a value that agrees with its printed text: printed '2826' reads as 2826 件; "
                                "value 8700 does not round to it at 0 decimals")


def test_a_value_saved_in_scientific_notation_that_lost_digits_is_caught(data_dir):
    change_line(data_dir / "observations.csv", "武汉市,business_rd_funding,2014,,false,15762363,,千元,,15762363,表5,,,",
                "武汉市,business_rd_funding,2014,,false,1.58E+07,,千元,,15762363,表5,,,")
    [problem] = problems_of(lambda: load(data_dir))
    assert (problem.row, problem.line, problem.column, problem.value, problem.code) == (
        97, 98, "value", "1.58E+07", "printed-mismatch")
    assert problem.expected == ("a value that agrees with its printed text: printed '15762363' reads as 15762363 千元; "
                                "value 1.58E+07 (= 15800000: scientific notation, which keeps only some digits) "
                                "does not round to it at 0 decimals")
    assert str(problem).endswith("[printed-mismatch]") and 'row 97 (line 98), column "value"' in str(problem)


def test_scientific_notation_that_keeps_every_digit_agrees(data_dir):
    change_line(data_dir / "observations.csv", "武汉市,business_rd_funding,2014,,false,15762363,,千元,,15762363,表5,,,",
                "武汉市,business_rd_funding,2014,,false,1.5762363E+07,,千元,,15762363,表5,,,")
    assert load(data_dir).observation("武汉市", "business_rd_funding", 2014)["value"] == 15762363


def test_the_rule_runs_over_the_external_folder_too(data_dir):
    data = load(data_dir)
    path = data_dir / "external" / "observations.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("武汉市,rd_expenditure,2013,,false,248,", "武汉市,rd_expenditure,2013,,false,284,", 1),
                    encoding="utf-8")
    [problem] = problems_of(lambda: load_external(data))
    assert (problem.file, problem.row, problem.column, problem.value, problem.code) == (
        str(path), 1, "value", "284", "printed-mismatch")
    assert problem.expected == ("a value that agrees with its printed text: printed '248.00' reads as 248 亿元; "
                                "value 284 does not round to it at 2 decimals")


def test_a_value_given_where_the_report_prints_a_dash_differs():
    check = compare("-", "亿元", "exact", 5.0, units=UNITS, value_text="5")
    assert (check.status, check.column) == ("differs", "value")
    assert check.why == "printed '-' shows no number; value 5 is given"
    assert compare("-", "亿元", "missing", None, units=UNITS).status == "agrees"


def test_an_empty_value_where_the_report_prints_a_number_differs():
    check = compare("26.97", "亿元", "missing", None, units=UNITS)
    assert (check.status, check.column) == ("differs", "value")
    assert check.why == "printed '26.97' reads as 26.97 亿元; the value is empty"


# ---------------------------------------------------------------- readings named in the issue
def test_about_one_ten_thousand_persons_is_stored_as_1_in_wan_ren():
    assert read_printed("约1万人", "万人", UNITS).numbers == (1,)
    assert compare("约1万人", "万人", "exact", 1.0, units=UNITS).status == "agrees"
    assert compare("约1万人", "万人", "exact", 10000.0, units=UNITS).status == "differs"
    assert read_printed("约1万人", "人", UNITS).numbers == (10000,)  # the same text in a 人 row


def test_greater_than_200_is_read_against_200():
    assert read_printed(">200", "亿元", UNITS, "lower").numbers == (200,)
    assert compare(">200", "亿元", "lower", 200.0, units=UNITS).status == "agrees"
    assert compare(">200", "亿元", "lower", 201.0, units=UNITS).status == "differs"


def test_a_thousand_in_a_programme_name_is_not_a_number():
    assert read_printed("国家千人计划84人", "人", UNITS).numbers == (84,)
    assert read_printed("市十百千专家及享受市政府津贴专家14人", "人", UNITS).numbers == (14,)
    assert read_printed("省级百人计划4人", "人", UNITS).numbers == (4,)


def test_a_range_reads_two_numbers_in_the_unit_after_the_second():
    reading = read_printed("5—10万平方米", "万平方米", UNITS, "range")
    assert reading.numbers == (5, 10) and [n.unit for n in reading.numerals] == ["万平方米", "万平方米"]
    assert read_printed("2-3亿元", "亿元", UNITS, "range").numbers == (2, 3)  # a hyphen between digits is no sign
    assert compare("5—10万平方米", "万平方米", "range", 5.0, 10.0, units=UNITS).status == "agrees"
    check = compare("5—10万平方米", "万平方米", "range", 5.0, 12.0, units=UNITS, high_text="12")
    assert (check.status, check.column) == ("differs", "value_high")
    assert check.why == "printed '5—10万平方米' reads as 10 万平方米; value_high 12 does not round to it at 0 decimals"


def test_a_range_text_in_a_row_that_is_not_a_range_is_unchecked():
    reading = read_printed("2-3亿元", "亿元", UNITS, "exact")
    assert not reading.read and reading.why == "3 is one end of a range, but the row's qualifier is not a range"


def test_two_numbers_none_followed_by_the_unit_are_unchecked():
    reading = read_printed("表1中2015年为2826", "件", UNITS)
    assert reading.numbers == ()
    assert reading.why == "3 numbers (1, 2015, 2826), none followed by a unit like 件"
    assert compare("表1中2015年为2826", "件", "exact", 2826.0, units=UNITS).status == "unchecked"


def test_of_several_numbers_the_one_followed_by_the_unit_is_read():
    assert read_printed("2015年成功对接海外高层次领衔项目160个", "个", UNITS).numbers == (160,)


def test_of_several_numbers_with_units_the_one_in_the_rows_own_unit_is_read():
    assert read_printed("专利申报4481件，授权2826项", "件", UNITS).numbers == (4481,)  # 项 is a count too
    assert not read_printed("申报4481件，授权2826件", "件", UNITS).read


def test_a_printed_unit_of_the_rows_dimension_is_converted():
    reading = read_printed("1.2亿元", "万元", UNITS)
    assert reading.numbers == (12000,) and reading.numerals[0].unit == "亿元"
    assert compare("1.2亿元", "万元", "exact", 12000.0, units=UNITS).status == "agrees"
    assert compare("1.2亿元", "万元", "exact", 12400.0, units=UNITS).status == "agrees"  # 1.24亿 prints as 1.2亿
    check = compare("1.2亿元", "万元", "exact", 11000.0, units=UNITS)
    assert check.why == ("printed '1.2亿元' reads as 1.2 亿元 = 12000 万元; value 11000 does not round to it at "
                         "1 decimal of 亿元 (±500 万元)")


def test_over_and_the_measure_word_before_a_magnitude():
    assert read_printed("10万余人", "万人", UNITS).numbers == (10,)
    assert read_printed("3000余万元", "万元", UNITS).numbers == (3000,)
    assert read_printed("40余家", "家", UNITS).numbers == (40,)
    assert read_printed("1个亿", "亿元", UNITS).numbers == (1,)
    assert read_printed("1个亿", "万元", UNITS).numbers == (10000,)


def test_a_measure_word_of_another_dimension_is_no_unit_of_the_row():
    reading = read_printed("7名", "人", UNITS)  # 名 is a rank in units.csv, here院士 counted
    assert reading.numbers == (7,) and reading.numerals[0].unit == ""


def test_only_ascii_digits_are_read():
    assert read_printed("八大重点产业", "个", UNITS).why == "no number in ASCII digits (Chinese numerals are not read: 八)"
    assert read_printed("２８２６件", "件", UNITS).why == ("no number in ASCII digits (digits of another script are "
                                                       "not read: write them in ASCII)")
    assert read_printed("15,762,363千元", "千元", UNITS).numbers == (15762363,)
    assert [n.text for n in numerals("约5500平方米，>200，-3.5%")] == ["5500", "200", "-3.5"]


def test_agreement_is_at_the_printed_decimals():
    assert compare("248.00", "亿元", "exact", 248.0, units=UNITS).status == "agrees"
    assert compare("248.00", "亿元", "exact", 248.01, units=UNITS).status == "differs"
    assert compare("26.97", "亿元", "exact", 26.974, units=UNITS).status == "agrees"
    assert compare("26.97", "亿元", "exact", 26.98, units=UNITS).status == "differs"
    assert compare("0.1", "%", "exact", 0.1 + 0.2 - 0.2, units=UNITS).status == "agrees"  # binary float noise


def test_number_of_reads_a_numeral_and_nothing_else():
    from analysis_utils.data import printed as data_printed
    from analysis_utils.report import external_views
    from analysis_utils.report import printed as report_printed

    # one reader of printed numerals: the report's English amounts and published figures read them as data does
    assert report_printed.NUMERAL is data_printed.NUMERAL and external_views.number_of is number_of
    assert (number_of("1,000"), number_of("26.97"), number_of("-3")) == (1000.0, 26.97, -3.0)
    assert (number_of("约1万人"), number_of("-"), number_of("")) == (None, None, None)


# ---------------------------------------------------------------- the packaged data
def test_every_packaged_row_agrees_or_is_listed_unchecked(data):
    checks = printed_checks(data.observations, data.units_table, data.qualifier_table)
    assert list(checks.columns) == list(CHECK_COLUMNS) and set(checks["status"]) <= set(STATUSES)
    assert checks["status"].value_counts().to_dict() == {"agrees": 128, "unchecked": 1}
    [unchecked] = checks[checks["status"] == "unchecked"].to_dict("records")
    assert (unchecked["row"], unchecked["line"], unchecked["printed"]) == (115, 116, "八大重点产业")
    missing = checks[checks["qualifier"] == "missing"]
    assert len(missing) == 5 and set(missing["status"]) == {"agrees"} and missing["number"].isna().all()


def test_every_published_figure_agrees(data):
    external = load_external(data)
    checks = printed_checks(external.observations, data.units_table, data.qualifier_table)
    assert checks["status"].value_counts().to_dict() == {"agrees": 49}  # 49 rows in data/external/observations.csv, each with its printed text


def test_validate_lists_the_unchecked_rows(capsys):
    from analysis_utils.run.cli import validate_command

    assert validate_command(str(DATA_DIR), unchecked=True) == 0
    out = capsys.readouterr().out.splitlines()
    assert "  printed texts: 128 agree with their values, 1 not checked; external/: 49 agree, 0 not checked" in out
    assert out[-1] == ("  not checked: observations.csv, row 115 (line 116), 武昌区 key_industries 2016: printed "
                       "'八大重点产业' in 个: no number in ASCII digits (Chinese numerals are not read: 八)")
