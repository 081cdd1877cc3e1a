"""run/cli.py in-process: -p values typed and split as a user types them (a value that starts with a dash, a list),
and the validate command's summary and its one-line problem for the external folder too. The command line in a
separate process, as a user runs it: tests/integration/test_cli.py."""
from __future__ import annotations

import pytest

from analysis_utils.errors import ParameterError
from analysis_utils.run import cli, params
from tests._support.data import break_external_value, external_rows


def test_p_values_that_start_with_a_dash_and_lists():
    rest, pairs = cli.split_pairs(["reproduce", "-p", "scenario_growth", "-5e-2", "--force", "-p", "peers", "南山区,余杭区"])
    assert rest == ["reproduce", "--force"]
    values, raw = params.from_command_line(pairs)
    assert values["scenario_growth"] == -0.05  # -5e-2 = -5 × 10⁻² = -0.05
    with pytest.raises(ParameterError, match="two words"):
        cli.split_pairs(["reproduce", "-p", "lang"])


def test_validate_checks_the_external_folder_too(data_copy, capsys):
    from analysis_utils.paths import DATA_DIR
    from analysis_utils.run.cli import validate_command

    assert validate_command(str(DATA_DIR)) == 0
    summary = capsys.readouterr().out.splitlines()[-1]
    assert summary == (f"  external/: valid, sources: {external_rows(DATA_DIR, 'sources.csv')}, "
                       f"published figures: {external_rows(DATA_DIR, 'observations.csv')}")
    break_external_value(data_copy)
    assert validate_command(str(data_copy)) == 2
    err = capsys.readouterr().err.strip()
    assert err == (f"a problem in the data: {data_copy / 'external' / 'observations.csv'}, row 1 (line 2), column "
                   "\"value\": got '24x8', "
                   "expected a number [type-error]")


def test_validate_unchecked_names_a_users_row_in_the_users_file(tmp_path, capsys):
    """Before: "observations.csv, row 137 (line 9)", the position in the combined table with the user's line."""
    import shutil

    from analysis_utils import paths
    from analysis_utils.run.cli import validate_command

    folder = tmp_path / "mine"
    shutil.copytree(paths.REPO_ROOT / "examples" / "synthetic-district", folder)
    path = folder / "observations.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",3人,", ",三人,"), encoding="utf-8")  # SYNTHETIC
    assert validate_command(str(folder), unchecked=True) == 0
    assert capsys.readouterr().out.splitlines()[-1] == (
        f"  not checked: {path}, row 8 (line 9), 示例区 academicians 2015: printed '三人' in 人: no number in ASCII "
        "digits (Chinese numerals are not read: 三)")


def test_validate_lists_each_number_replacements_csv_replaces(tmp_path, capsys):
    """Before: the summary named replacements.csv among the files and said nothing of what it replaces."""
    import json
    import shutil

    from analysis_utils import paths
    from analysis_utils.run.cli import validate_command

    folder = tmp_path / "mine"
    shutil.copytree(paths.REPO_ROOT / "examples" / "synthetic-district", folder)
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["resources"].append({"name": "replacements", "path": "replacements.csv"})
    (folder / "datapackage.json").write_text(json.dumps(descriptor, ensure_ascii=False), encoding="utf-8")
    header = (folder / "observations.csv").read_text(encoding="utf-8").splitlines()[0]
    (folder / "replacements.csv").write_text(  # SYNTHETIC corrections of two of the report's numbers
        header + "\n武昌区,gdp,2015,,false,880,,亿元,,880,第3页,synthetic_bulletin,,SYNTHETIC\n"
                 "武昌区,financing_target,2016,,true,2,4,亿元,range,2-4亿元,第4页,synthetic_bulletin,,SYNTHETIC\n",
        encoding="utf-8")
    assert validate_command(str(folder)) == 0
    out = capsys.readouterr().out.splitlines()
    start = out.index("  replacements.csv replaces 2 of the report's numbers:")
    assert out[start + 1:start + 3] == [
        "    武昌区 gdp 2015: the report's '870' → 880 亿元 (source_id synthetic_bulletin)",
        "    武昌区 financing_target 2016: the report's '2-3亿元' → 2–4 亿元 (source_id synthetic_bulletin)"]
    assert out[start + 3].startswith("  printed texts: ")


def test_new_district_under_shenzhen_offers_shenzhens_talent_plan_and_no_other_citys(tmp_path, capsys):
    """The folder new-district writes for a SYNTHETIC district of Shenzhen: its Table 3 rows are the national plan,
    the Peacock Plan and overseas projects; no row for Wuhan's, Hubei's or Zhejiang's plans."""
    import csv

    folder = tmp_path / "mine"
    assert cli.main(["new-district", "SYNTHETIC区", "--name-en", "SYNTHETIC District", "--parent", "深圳市",
                     "--source-id", "synthetic_bulletin", "--into", str(folder)]) == 0
    capsys.readouterr()
    with (folder / "observations.csv").open(encoding="utf-8", newline="") as handle:
        indicators = [r["indicator"] for r in csv.DictReader(handle)]
    assert [i for i in indicators if i.startswith("talent_") or i == "overseas_projects_matched"] == [
        "talent_national_1000", "talent_peacock", "overseas_projects_matched"]


def test_validate_says_which_index_values_notebook_05_imputes(example_data):
    """A newcomer's district (examples/synthetic-district, SYNTHETIC) has 6 of the index's 11 indicators: it is ranked,
    on 5 values the missing-value rule fills in, and validate said only what Table 2 would print as '-' (the talent
    plan it lacks is none of Table 2's). By hand from the example's observations.csv."""
    assert cli.readiness_warnings(example_data) == [
        "示例区: notebook 05 ranks it with 5 of the composite index's indicators imputed by the rule of its parameter "
        "missing (high_tech_output, innovation_carriers, park_floor_area, rd_expenditure, talent_national_1000; 2015)",
        "示例区: Table 2 will print '-' for high_tech_output, innovation_carriers, park_floor_area, rd_expenditure "
        "(2015)"]


def test_validate_does_not_say_a_district_without_population_is_ranked(tmp_path):
    """Without its resident population a newcomer's district (the worked example less that row, SYNTHETIC) cannot be
    ranked (every per-resident value is missing): validate said so, then said notebook 05 ranks it with values
    imputed. By hand: the population line and Table 2's line, nothing about ranking it."""
    from analysis_utils.data.load import load
    from tests._support.data import copy_example

    folder = copy_example(tmp_path / "mine")
    path = folder / "observations.csv"
    path.write_text("".join(line for line in path.read_text(encoding="utf-8").splitlines(keepends=True)
                            if ",resident_population," not in line), encoding="utf-8")
    said = cli.readiness_warnings(load(folder))
    assert said[0].startswith("示例区: no resident_population in 2015: notebooks 03 and 05 divide by it")
    assert not [line for line in said if "ranks it with" in line], said


def test_list_pads_a_chinese_default_by_the_columns_it_takes():
    """Trial F: `reproduce --list` shifted the help after the default "武昌区" (5 characters, 8 columns: two
    quotes and three wide characters), padded as 5."""
    from analysis_utils.run.cli import padded

    assert padded('"武昌区"', 14) == '"武昌区"' + " " * 6 and padded('"zh"', 14) == '"zh"' + " " * 10
    assert padded("x" * 15, 14) == "x" * 15  # longer than the column: as it is


def test_only_takes_several_prefixes_as_a_list_or_repeated():
    """Trial G: `--only 02,03` was refused as one prefix '02,03' (peers and --each take comma lists)."""
    from analysis_utils.run.cli import build_parser

    parse = build_parser().parse_args
    assert parse(["reproduce", "--only", "02,03", "--only", "05"]).only == ["02", "03", "05"]
    assert parse(["reproduce", "--only", "02, 03,"]).only == ["02", "03"] and parse(["reproduce"]).only == []
