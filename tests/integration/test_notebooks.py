"""Every section notebook runs top to bottom under papermill in the project kernel and writes what it should.

Runs: default parameters, and one non-default set (focus=南山区, lang=en). Each notebook runs once per
set and session: the builds of integration/conftest.py (shipped_build, as ``make reproduce`` runs them, and
nanshan_en_build), which test_pages.py reads too; the tests then read what each notebook wrote. A user's own district
runs every notebook in integration/test_own_data.py (the worked example). (The committed form of the notebooks, without
running them: tests/project/test_notebooks.py.)"""
from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from analysis_utils.data.load import load
from analysis_utils.paths import KERNEL_NAME, NOTEBOOKS_DIR
from tests._support.language import CJK
from tests._support.notebooks import GLYPH_WARNING, NOTEBOOKS
from tests._support.report_transcription import (
    REPORT_TABLE_1,
    REPORT_TABLE_2,
    REPORT_TABLE_3,
    REPORT_TABLE_4,
    REPORT_TABLE_5,
)

PARAMETER_SETS = {"default": {}, "nanshan_en": {"focus": "南山区", "lang": "en"}}


# Small, fast settings for notebooks that take a sample size.
FAST = {"n_samples": 200}


def execute(notebook: Path, out_dir: Path, params: dict) -> Path:
    import papermill as pm
    from papermill.translators import papermill_translators

    from analysis_utils.run.task import ReadableTranslator

    papermill_translators.register("python", ReadableTranslator)  # as reproduce's tasks do
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
    """Every notebook executed with one parameter set: {stem: (executed path, output dir)}, read from the
    session's `reproduce` runs (shipped_build, as ``make reproduce`` runs them, and nanshan_en_build, of
    integration/conftest.py); test_pages.py reads the same builds."""
    params = PARAMETER_SETS[request.param]
    if params:
        out = request.getfixturevalue("nanshan_en_build")
    else:
        out, proc = request.getfixturevalue("shipped_build")
        assert proc.returncode == 0, proc.stdout + proc.stderr
    return request.param, params, {nb.stem: (out / "site" / nb.stem / nb.name, out / "site" / nb.stem)
                                   for nb in NOTEBOOKS}


def outputs_text(executed: Path) -> str:
    nb = nbformat.read(str(executed), as_version=4)
    return json.dumps([c.get("outputs", []) for c in nb.cells if c.cell_type == "code"], ensure_ascii=False)


pytestmark = pytest.mark.notebook


def test_every_notebook_ran_without_errors_or_missing_glyphs(runs):
    _name, _params, results = runs
    for stem, (executed, _out) in results.items():
        text = outputs_text(executed)
        assert '"output_type": "error"' not in text, stem
        assert not GLYPH_WARNING.search(text), f"{stem}: missing-glyph warning in outputs"


FIGURES = {
    "01_foundation": ["fig1_patent_grants_index"],
    "02_gaps": ["fig2_table2_ratios", "fig3_talent", "fig4_makerspaces"],
    "03_recommendations": ["fig6_normalised_ratios", "fig7_required_growth"],
    "04_claims_audit": ["fig8_claims_verdicts"],
    # fig12 (rank sensitivity, last) is written only when some rank moved; otherwise the page says so in a sentence
    "05_composite_index": ["fig9_composite_contributions", "fig10_rank_frequency", "fig11_position_sensitivity"],
    # fig14 (the focus's share of its city) is written only when the series has a row; otherwise a sentence says why
    "06_external_checks": ["fig13_external_checks"],
}


def read_table(out: Path, name: str) -> pd.DataFrame:
    """A written table as text: its codes are its headers, whatever the run's language."""
    return pd.read_csv(out / "tables" / f"{name}.csv", dtype=str, keep_default_na=False, encoding="utf-8")


def printed_by_entity(table: pd.DataFrame, indicators: list[str]) -> dict[str, list[str]]:
    """{entity: the printed text of each of ``indicators``, in that order} of a long written table."""
    cells = {(e, i): p for e, i, p in zip(table["entity"], table["indicator"], table["printed"])}
    return {e: [cells.get((e, i), "") for i in indicators] for e in dict.fromkeys(table["entity"])}


def test_injected_parameters_are_readable(runs):
    """papermill's injected cell holds 南山区 as written, not "\\u5357\\u5c71\\u533a" (our translator)."""
    import nbformat

    _name, params, results = runs
    for stem, (executed, _out) in results.items():
        nb = nbformat.read(executed, as_version=4)
        injected = [c.source for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
        assert injected, stem
        assert "\\u" not in injected[0], injected[0]
        if params.get("focus"):
            assert f"focus = {params['focus']!r}" in injected[0], injected[0]


def test_extended_series_only_when_it_has_rows(runs):
    """Default (武昌区): Wuchang's share of Wuhan's published totals, table and figure. 南山区: no Shenzhen totals
    and no Nanshan patent counts in the report: no table, no figure, and the page's sentence names who has them."""
    name, params, results = runs
    out = results["06_external_checks"][1]
    fmt = params.get("fig_format", "png")
    written = (out / "figures" / f"fig14_external_share_series.{fmt}").exists(), \
        (out / "tables" / "external_share_series.csv").exists()
    if params.get("focus", "武昌区") == "武昌区":
        assert written == (True, True)
    else:
        assert written == (False, False)
        text = outputs_text(results["06_external_checks"][0])
        assert "for Wuchang District only, not for Nanshan District" in text


def test_figures_are_readable_images(runs):
    """Each figure decodes as an image of a plausible size (not just a file that exists)."""
    import matplotlib.image as mpimg

    _name, params, results = runs
    fmt = params.get("fig_format", "png")
    for stem, names in FIGURES.items():
        out = results[stem][1]
        for name in names:
            path = out / "figures" / f"{name}.{fmt}"
            if fmt == "png":
                height, width = mpimg.imread(path).shape[:2]
                assert height >= 200 and width >= 300, f"{stem}: {name} is {width}x{height}"
            else:
                assert "<svg" in path.read_text(encoding="utf-8")[:2000], f"{stem}: {name} is not SVG"
        assert not [p.name for p in out.rglob("*.tmp")], f"{stem}: temporary files left"


def report_order(focus: str) -> list[str]:
    return [focus, *[d for d in REPORT_TABLE_2 if d != focus]]


def assert_cell_as_printed(written: str, printed: str, lang: str, where) -> None:
    """Numbers and '-' must be written exactly as the report prints them; a qualified number ('>200') in
    English keeps its number (its qualifier's wording belongs to the language catalogue)."""
    if lang == "zh" or re.fullmatch(r"-?[\d.]+|-", printed):
        assert written == printed, (where, written, printed)
    else:
        assert re.sub(r"[^\d.]", "", printed) in written.replace(",", ""), (where, written, printed)


def test_written_tables_equal_the_report(runs):
    """The tables the notebooks write equal the independent transcription of the report
    (tests/_support/report_transcription.py):
    the same codes and printed text in either language, the report's numbers as numbers."""
    from analysis_utils.analysis.tables import TABLE_2_COLUMNS, TABLE_3_COLUMNS, TABLE_4_COLUMNS, TABLE_5_COLUMNS

    _name, params, results = runs
    focus = params.get("focus", "武昌区")
    # 表1: the report's only series (武昌区), whatever the focus: counts as whole numbers, growth as numbers
    t1 = read_table(results["01_foundation"][1], "table1_patent_grants")
    assert [(r.year, r.patent_grants, r.invention_patent_grants) for r in t1.itertuples()] == \
        [(year, grants, invention) for year, grants, _g, invention, _i in REPORT_TABLE_1]
    shown = [f"{float(g):.1f}" if g else "-" for g in t1["growth"]]
    assert shown == [row[2] for row in REPORT_TABLE_1]
    # 表2: the focus first, then the peers, each cell's printed text
    t2 = printed_by_entity(read_table(results["02_gaps"][1], "table2_comparison"), TABLE_2_COLUMNS)
    assert list(t2) == report_order(focus)
    assert all(t2[district] == REPORT_TABLE_2[district] for district in t2)
    t3 = printed_by_entity(read_table(results["02_gaps"][1], "table3_talent"), TABLE_3_COLUMNS)
    assert {d: tuple(v) for d, v in t3.items()} == {d: v[:2] for d, v in REPORT_TABLE_3.items()}
    # 表4 and 表5: the cells (their derived total and share rows are claims, checked by compare_printed)
    t4 = printed_by_entity(read_table(results["02_gaps"][1], "table4_makerspaces"), TABLE_4_COLUMNS)
    assert [(e, *v) for e, v in t4.items()] == REPORT_TABLE_4[:-1]
    t5 = printed_by_entity(read_table(results["02_gaps"][1], "table5_industrial_firms"), TABLE_5_COLUMNS)
    assert [(e, *v) for e, v in t5.items()] == REPORT_TABLE_5[:2]


# 表1 growth rates recomputed by hand from the printed counts, in %:
# 439/1532, 159/1971, 24/2130, 672/2154 (patent grants); 134/493, -62/627, 29/565, 376/594 (invention grants)
TABLE_1_GROWTH = {"28.7": 28.6554, "8.1": 8.0670, "1.1": 1.1268, "31.2": 31.1978,
                  "27.2": 27.1805, "-9.9": -9.8884, "5.1": 5.1327, "63.3": 63.2997}


def test_table_1_recomputed_growth_by_hand(runs):
    _name, _params, results = runs
    check = read_table(results["01_foundation"][1], "table1_printed_vs_recomputed")
    printed = [re.sub(r"[^\d.-]", "", p) for p in check["printed"]]
    assert sorted(printed) == sorted(TABLE_1_GROWTH)
    for p, exact, agree in zip(printed, check["exact"].astype(float), check["agree"]):
        hand = TABLE_1_GROWTH[p]
        assert exact == pytest.approx(hand, abs=1e-3) or exact == pytest.approx(hand / 100, abs=1e-5), p
        assert agree == "True", p  # every printed growth rate is its recomputed value rounded


def test_gap_and_composite_tables_hold_hand_numbers(runs):
    _name, params, results = runs
    focus = params.get("focus", "武昌区")
    gaps = read_table(results["03_recommendations"][1], "gaps_required_growth")
    cells = [[float(v) if re.fullmatch(r"-?[\d.]+(e-?\d+)?", v) else None for v in row]
             for row in gaps.itertuples(index=False)]
    if focus == "武昌区":
        # 南山区 / 武昌区 invention patents per 10k: 314/18 = 17.4444; by 2020: 17.4444^(1/5) - 1 = 77.1460 %
        ratio, required = 17.444444, 77.1460
        matching = [row for row in cells if any(v is not None and abs(v - ratio) < 1e-5 for v in row)]
        assert matching and any(any(v is not None and (abs(v - required) < 1e-3 or abs(v * 100 - required) < 1e-3)
                                    for v in row) for row in matching)
    else:
        # 余杭区 / 南山区 GDP: 1235/3715 = 0.332436: the focus leads, so no growth is asked (not -19.8 %)
        ratio = 0.332436
        matching = [row for row in cells if any(v is not None and abs(v - ratio) < 1e-5 for v in row)]
        assert matching and not any(v is not None and v < 0 for row in matching for v in row)
    inputs = read_table(results["05_composite_index"][1], "composite_inputs")
    values = {float(v) for row in inputs.itertuples(index=False) for v in row[1:-3] if v}  # last: coverage, ranked,
    # sources
    # coverage of the 11 indicators: 武昌区 and 南山区 all 11, 余杭区 8 (3 printed as -); all ranked (8/11 ≥ 0.5)
    assert sorted(inputs["n_values"]) == ["11", "11", "8"] and set(inputs["ranked"]) == {"True"}
    # 武昌区 high-tech enterprises per 10k residents 74/113; 南山区 128/112 national-1000 talents; 余杭区 5.4
    for expected in (0.6548673, 1.1428571, 5.4):
        assert any(abs(v - expected) < 1e-6 for v in values), expected
    ranks = read_table(results["05_composite_index"][1], "composite_rank_intervals")
    assert len(ranks) == 3 and sorted(ranks["nominal_rank"].astype(int)) == [1, 2, 3]


def test_the_reports_derived_tables_name_no_other_source(runs):
    """With the report's numbers only, 03's and 05's derived tables show no † (no cell, no name, no note) and their
    CSVs' source_ids are empty (issue: derived values from another source are marked; the report's never)."""
    _name, _params, results = runs
    for stem in ("03_recommendations", "05_composite_index"):
        assert "†" not in outputs_text(results[stem][0]), stem
    for stem, table in (("03_recommendations", "normalised_indicators"), ("03_recommendations", "gaps_required_growth"),
                        ("05_composite_index", "composite_inputs"), ("05_composite_index", "composite_scores"),
                        ("05_composite_index", "composite_rank_intervals")):
        written = read_table(results[stem][1], table)
        assert set(written["source_ids"]) == {""}, table


def test_claims_audit_covers_every_claim_with_a_verdict(runs):
    _name, _params, results = runs
    data = load()
    audit = read_table(results["04_claims_audit"][1], "claims_audit")
    claims = data.claims[data.claims["basis"].fillna("") != ""]  # plain facts are not claims
    assert sorted(audit["claim"]) == sorted(claims["claim"])
    assert set(audit["verdict"]) <= {"reproduced", "consistent", "inconsistent", "implied", "unverifiable"}
    assert set(audit["basis"]) <= {"recomputed", "restated", "counted", "internal", "compared", "bounded", "derived", "none"}
    assert (audit["explanation_zh"].str.len() > 0).all() and (audit["explanation_en"].str.len() > 0).all()
    facts = read_table(results["04_claims_audit"][1], "not_checkable")
    assert len(facts) > 0 and not set(facts["printed"]) & {"72.3%", "31.2"}  # facts apart, claims not among them


def test_composite_intervals_contain_the_nominal_rank(runs):
    _name, _params, results = runs
    ranks = read_table(results["05_composite_index"][1], "composite_rank_intervals").astype({
        "rank_p05": float, "nominal_rank": float, "rank_p95": float})
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
        csvs = sorted(p.stem for p in (out / "tables").glob("*.csv"))
        book = load_workbook(out / f"{stem}.xlsx")
        sheets = book.sheetnames
        assert sheets[0] == "contents" and sheets[-1] == "provenance", sheets
        assert all(len(s) <= 31 for s in sheets) and len({s.lower() for s in sheets}) == len(sheets)
        listed = {r[0]: r[1] for r in book["contents"].iter_rows(min_row=2, values_only=True)}
        assert sorted(listed) == csvs and set(listed) == set(sheets[1:-1])  # every table has its sheet
        # ... named by its title in the run's language, not by its machine name
        assert not [t for t in listed.values() if re.fullmatch(r"[a-z0-9_]+", t)], listed
    lang = _params.get("lang", "zh")
    contents = load_workbook(results["01_foundation"][1] / "01_foundation.xlsx")["contents"]
    titles = {r[0]: r[1] for r in contents.iter_rows(min_row=2, values_only=True)}
    assert titles["table1_patent_grants"] == {"zh": "表1 专利授权量", "en": "Table 1: patent grants"}[lang]
    # content and types: 表2's numbers are numbers, its '>200' the number 200 with a format that shows '>200'
    out = results["02_gaps"][1]
    book = load_workbook(out / "02_gaps.xlsx")
    csv = read_table(out, "table2_comparison")
    sheet = list(book["table2_comparison"].iter_rows(min_row=2))
    assert len(sheet) == len(csv)
    numeric = [c for row in sheet for c in row[1:] if isinstance(c.value, (int, float))]
    assert len(numeric) >= 25, "Table 2 numbers stored as text"
    bound = [c for row in sheet for c in row if c.value == 200]
    assert bound and ">" in bound[0].number_format


# An address inside a cell (a URL, or a domain name such as ddzxzl.com): not a word of English.
ADDRESS = re.compile(r"https?://\S+|\b[\w-]+(?:\.[\w-]+)+\b")


def test_chinese_workbooks_hold_no_english_words(runs):
    """A zh build's workbooks are Chinese. A text cell of a table's sheet may hold a word of three or more ASCII
    letters only where (1) its column's header says it holds codes（代码）, ids（…编号, or with a note after it:
    来源编号（空：报告本身））, addresses（网址）or English text（英文…: the claims register's notes, written in
    English）, (2) the word is part of an address, or (3) the
    report's or a source's own Chinese text uses that word (GDP, SPACE of 5.5SPACE …). The external series'
    place in the source was English in 0.2.0's first builds: now 表中第11行，2013年列."""
    from openpyxl import load_workbook

    from analysis_utils.data.external import load_external

    _name, params, results = runs
    if params.get("lang", "zh") != "zh":
        pytest.skip("English run")
    data = load()
    ext = load_external(data)
    own = " ".join(map(str, [*data.entities["entity"], *data.observations["printed"], *data.claims["statement_zh"],
                             *data.claims["printed"], *data.indicators["name_zh"], *ext.sources["publisher"],
                             *ext.sources["title"], *ext.sources["scope_zh"], *ext.observations["quote"],
                             *ext.observations["location_zh"]]))
    vocabulary = set(re.findall(r"[A-Za-z]{3,}", own))
    found = []
    for stem, (_executed, out) in results.items():
        book = load_workbook(out / f"{stem}.xlsx")
        for sheet in book.worksheets[1:-1]:  # the tables (contents and provenance name sheets and tools)
            rows = list(sheet.iter_rows(values_only=True))
            for row in rows[1:]:
                for header, value in zip(rows[0], row):
                    # an id column's header may end with a note in brackets: 来源编号（空：报告本身）
                    if not isinstance(value, str) or header.endswith("（代码）") or header == "网址" \
                            or re.search(r"编号(（[^（）]*）)?$", header) or "（英文" in header:
                        continue
                    words = set(re.findall(r"[A-Za-z]{3,}", ADDRESS.sub(" ", value))) - vocabulary
                    if words:
                        found.append((stem, sheet.title, header, value[:60]))
    assert found == []
    if "06_external_checks" in results:
        series = load_workbook(results["06_external_checks"][1] / "06_external_checks.xlsx")["external_share_series"]
        assert [c.value for c in series[1]][-1] == "在来源中的位置"
        assert series.cell(2, series.max_column).value == "表中第9行，2015年列"
