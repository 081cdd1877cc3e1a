"""Every section notebook runs top to bottom under papermill in the project kernel and writes what it should.

Runs: default parameters, and one non-default set (focus=南山区, lang=en). Each notebook runs once per
set (module-scoped fixture); the tests then read what it wrote.
"""
from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from analysis_utils.analysis import tables
from analysis_utils.data.load import load
from analysis_utils.paths import KERNEL_NAME, NOTEBOOKS_DIR

NOTEBOOKS = sorted(NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb"))
IDS = [p.stem for p in NOTEBOOKS]
PARAMETER_SETS = {"default": {}, "nanshan_en": {"focus": "南山区", "lang": "en"}}
CJK = re.compile(r"[\u4e00-\u9fff]")
GLYPH_WARNING = re.compile(r"Glyph \d+ .*missing from (current )?font|missing from font", re.I)
# Small, fast settings for notebooks that take a sample size.
FAST = {"n_samples": 200}


def execute(notebook: Path, out_dir: Path, params: dict) -> Path:
    import papermill as pm

    declared = pm.inspect_notebook(str(notebook))
    run_params = {k: v for k, v in {**params, **FAST}.items() if k in declared}
    run_params["output_dir"] = str(out_dir)
    executed = out_dir / notebook.name
    out_dir.mkdir(parents=True, exist_ok=True)
    os.environ["JUPYTER_PATH"] = str(Path(sys.prefix) / "share" / "jupyter")
    pm.execute_notebook(str(notebook), str(executed), parameters=run_params, kernel_name=KERNEL_NAME,
                        cwd=str(NOTEBOOKS_DIR), progress_bar=False, execution_timeout=600)
    return executed


@pytest.fixture(scope="module", params=list(PARAMETER_SETS), ids=list(PARAMETER_SETS))
def runs(request, tmp_path_factory):
    """Execute every notebook with one parameter set; return {stem: (executed path, output dir)}."""
    params = PARAMETER_SETS[request.param]
    results = {}
    for notebook in NOTEBOOKS:
        out_dir = tmp_path_factory.mktemp(f"{request.param}-{notebook.stem}")
        results[notebook.stem] = (execute(notebook, out_dir, params), out_dir)
    return request.param, params, results


def outputs_text(executed: Path) -> str:
    nb = nbformat.read(str(executed), as_version=4)
    return json.dumps([c.get("outputs", []) for c in nb.cells if c.cell_type == "code"], ensure_ascii=False)


pytestmark = pytest.mark.notebook


def assert_committed_shape(path: Path, name: str | None = None) -> None:
    """The committed form of a notebook: project kernel, no outputs or counts, first code cell tagged
    parameters. Also used by tests/test_lab.py on what git stores after a save in JupyterLab."""
    name = name or path.name
    nb = nbformat.read(str(path), as_version=4)
    assert nb.metadata.kernelspec.name == KERNEL_NAME, name
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(not c.outputs and c.execution_count is None for c in code), f"{name} has outputs"
    tagged = [c for c in code if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1 and code.index(tagged[0]) == 0, f"{name}: first code cell must be tagged parameters"


def test_committed_notebooks_have_no_outputs_and_the_project_kernel():
    assert NOTEBOOKS, "no notebooks found"
    for path in NOTEBOOKS:
        assert_committed_shape(path)


PARAMETER_LINE = re.compile(r"^(?P<name>[a-z_][a-z0-9_]*): (?P<type>str|int|float|bool|list|dict) = (?P<default>.+?)  # \S.*$")


def test_parameters_are_typed_literals_with_help():
    """The notebooks are the source researchers edit: each parameter line is `name: type = literal  # help`
    (papermill's typed-parameter form, so `papermill --help-notebook` documents it)."""
    import ast

    for path in NOTEBOOKS:
        nb = nbformat.read(str(path), as_version=4)
        cell = next(c for c in nb.cells if c.cell_type == "code")
        lines = [ln for ln in cell.source.splitlines() if ln.strip()]
        assert lines, f"{path.name}: empty parameters cell"
        for line in lines:
            match = PARAMETER_LINE.match(line)
            assert match, f"{path.name}: parameter line {line!r} is not `name: type = literal  # help`"
            ast.literal_eval(match["default"])  # a literal, not an expression


def test_every_notebook_ran_without_errors_or_missing_glyphs(runs):
    _name, _params, results = runs
    for stem, (executed, _out) in results.items():
        text = outputs_text(executed)
        assert '"output_type": "error"' not in text, stem
        assert not GLYPH_WARNING.search(text), f"{stem}: missing-glyph warning in outputs"


def test_expected_files_are_written(runs):
    _name, params, results = runs
    fmt = params.get("fig_format", "png")
    expected = {
        "01_foundation": ["tables/table1_patent_grants.csv", "tables/table1_printed_vs_recomputed.csv",
                          f"figures/fig1_patent_grants_index.{fmt}", "01_foundation.xlsx"],
        "02_gaps": ["tables/table2_comparison.csv", "tables/table3_talent.csv", "tables/table4_makerspaces.csv",
                    "tables/table5_industrial_firms.csv", f"figures/fig2_table2_ratios.{fmt}", "02_gaps.xlsx"],
        "03_recommendations": ["tables/gaps_required_growth.csv", f"figures/fig6_normalised_ratios.{fmt}",
                               f"figures/fig7_required_growth.{fmt}", "03_recommendations.xlsx"],
        "04_claims_audit": ["tables/claims_audit.csv", "tables/claims_summary.csv", f"figures/fig11_claims_verdicts.{fmt}"],
        "05_composite_index": ["tables/composite_scores.csv", "tables/composite_rank_intervals.csv",
                               f"figures/fig8_composite_contributions.{fmt}", f"figures/fig9_rank_frequency.{fmt}",
                               f"figures/fig10_sensitivity.{fmt}", "tables/composite_position_sensitivity.csv",
                               f"figures/fig12_position_sensitivity.{fmt}"],
    }
    for stem, files in expected.items():
        if stem not in results:
            continue
        out = results[stem][1]
        for f in files:
            assert (out / f).is_file() and (out / f).stat().st_size > 0, f"{stem}: {f} missing"
        leftovers = [p.name for p in out.rglob("*.tmp")]
        assert not leftovers, leftovers


def test_written_tables_equal_the_data(runs):
    name, params, results = runs
    data = load()
    lang = params.get("lang", "zh")
    written = pd.read_csv(results["02_gaps"][1] / "tables" / "table2_comparison.csv", dtype=str, keep_default_na=False)
    focus = params.get("focus", "武昌区")
    peers = [d for d in ["武昌区", "南山区", "余杭区"] if d != focus]
    assert written.equals(tables.table_2(data, lang=lang, entities=[focus, *peers]).astype(str))
    t4 = pd.read_csv(results["02_gaps"][1] / "tables" / "table4_makerspaces.csv", dtype=str, keep_default_na=False)
    # the total row is the sum of the observations, whatever the language
    obs = data.observations
    cost = obs.loc[obs["indicator"] == "operating_cost", "value"].astype(float).sum()
    assert float(t4.iloc[-1, 1]) == pytest.approx(cost)


def test_claims_audit_covers_every_claim_with_a_verdict(runs):
    _name, _params, results = runs
    data = load()
    audit = pd.read_csv(results["04_claims_audit"][1] / "tables" / "claims_audit.csv", keep_default_na=False)
    assert sorted(audit["claim"]) == sorted(data.claims["claim"])
    assert set(audit["verdict"]) <= {"reproduced", "inconsistent", "implied", "unverifiable"}
    assert (audit["explanation"].str.len() > 0).all()


def test_composite_intervals_contain_the_nominal_rank(runs):
    _name, _params, results = runs
    ranks = pd.read_csv(results["05_composite_index"][1] / "tables" / "composite_rank_intervals.csv")
    assert ((ranks["rank_p05"] <= ranks["nominal_rank"]) & (ranks["nominal_rank"] <= ranks["rank_p95"])).all()
    assert len(ranks) == 3


def test_english_run_has_no_chinese_in_headers(runs):
    name, params, results = runs
    if params.get("lang") != "en":
        pytest.skip("Chinese run")
    for stem, (_executed, out) in results.items():
        for csv in (out / "tables").glob("*.csv"):
            header = csv.read_text(encoding="utf-8-sig").splitlines()[0]
            assert not CJK.search(header), f"{stem}/{csv.name}: {header}"


def test_workbook_has_a_sheet_per_table(runs):
    from openpyxl import load_workbook

    _name, _params, results = runs
    for stem, (_executed, out) in results.items():
        csvs = sorted(p.stem[:31] for p in (out / "tables").glob("*.csv"))
        book = out / f"{stem}.xlsx"
        if csvs:
            assert sorted(load_workbook(book, read_only=True).sheetnames) == csvs


def test_notebooks_run_on_a_user_data_dir_with_an_extra_district(synthetic_data_dir, tmp_path):
    """A user's copy of data/ with one SYNTHETIC district: it appears in 表2 and in the composite index."""
    from conftest import SYNTHETIC_DISTRICT

    data_dir, values = synthetic_data_dir
    params = {"data_dir": str(data_dir), "peers": ["南山区", "余杭区", SYNTHETIC_DISTRICT]}
    gaps_out = tmp_path / "02"
    execute(NOTEBOOKS_DIR / "02_gaps.ipynb", gaps_out, params)
    table2 = pd.read_csv(gaps_out / "tables" / "table2_comparison.csv", dtype=str, keep_default_na=False)
    row = table2[table2.iloc[:, 0] == SYNTHETIC_DISTRICT]
    assert len(row) == 1 and row["区域总产值(亿元)"].item() == tables.format_number(values["gdp"])
    index_out = tmp_path / "05"
    execute(NOTEBOOKS_DIR / "05_composite_index.ipynb", index_out, params)
    ranks = pd.read_csv(index_out / "tables" / "composite_rank_intervals.csv")
    assert sorted(ranks["entity"]) == sorted(["武昌区", "南山区", "余杭区", SYNTHETIC_DISTRICT])
    assert ((ranks["rank_p05"] <= ranks["nominal_rank"]) & (ranks["nominal_rank"] <= ranks["rank_p95"])).all()
