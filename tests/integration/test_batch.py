"""reproduce --each: one build per district, a batch page and batch.csv; a district that fails fails alone; a
notebook that does not depend on the varied parameter runs once. And the same run on a real Dask cluster
started with the `dask` command line, as a user would on a cluster. The session's batch and the Dask run are
``python -m analysis_utils`` processes; the other runs call its main in this process (tests._support.cli.cli_here)."""
from __future__ import annotations

import csv
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote

import pytest

from analysis_utils import paths
from analysis_utils.run import runner
from tests._support.builds import shared_build
from tests._support.cli import cli_here, run_cli
from tests._support.notebooks import FIXTURES, write_notebook
from tests._support.runs import poll

pytestmark = pytest.mark.notebook

FOCUS = 'focus: str = "武昌区"  # district\noutput_dir: str = ""  # outputs'
RANKS = {"武昌区": (3, 2, 3), "南山区": (1, 1, 1), "余杭区": (2, 2, 3)}  # nominal, p05, p95: written by the notebook


@pytest.fixture(scope="session")
def batch(tmp_path_factory):
    """(notebooks, output folder, finished process) of ``reproduce --each focus -j 2`` on three small notebooks, once
    per session (a later test re-runs into it: every notebook a cache hit)."""
    return shared_build(tmp_path_factory, "batch", make_batch)


def make_batch(folder):
    nbs, out = folder / "nbs", folder / "out"
    write_notebook(nbs, "01_focus", FOCUS, "from pathlib import Path\n"
                   "assert focus != '余杭区', 'no data for this district'\n"
                   "(Path(output_dir) / 'focus.csv').write_text(f'focus\\n{focus}\\n')")
    write_notebook(nbs, "02_shared", 'output_dir: str = ""  # outputs', "import os\nfrom pathlib import Path\n"
                   "(Path(output_dir) / 'pid.csv').write_text(f'pid\\n{os.getpid()}\\n')")
    rows = "\\n".join(f"{e},{n},{lo},{hi}" for e, (n, lo, hi) in RANKS.items())
    write_notebook(nbs, "05_rank", FOCUS, "from pathlib import Path\n"
                   f"(Path(output_dir) / 'composite_rank_intervals.csv').write_text("
                   f"'entity,nominal_rank,rank_p05,rank_p95\\n{rows}\\n')")
    proc = run_cli("reproduce", "--notebooks-dir", nbs, "--output", out, "--each", "focus", "-j", "2")
    return nbs, out, proc


def test_each_district_gets_its_own_complete_build(batch):
    _, out, proc = batch
    for district in ("武昌区", "南山区", "余杭区"):
        assert (out / f"focus={district}" / "site" / "index.html").exists()
    assert (out / "focus=武昌区" / "site" / "01_focus" / "focus.csv").read_text() == "focus\n武昌区\n"
    assert (out / "focus=余杭区" / "site" / "01_focus.failed").is_dir()
    # the failed notebook's page links the kernels' log of the whole batch, in OUTPUT/logs/
    page = (out / "focus=余杭区" / "site" / "01_focus.failed" / "01_focus.reader.html").read_text(encoding="utf-8")
    assert 'href="../../../logs/kernels.log"' in page and (out / "logs" / "kernels.log").is_file()
    assert "01_focus.ipynb 在单元格 1 (In [3]) 处失败：AssertionError: no data for this district" in page
    assert proc.returncode == 1  # one district failed
    assert "[9/9]" in proc.stdout  # progress counts this run's tasks


def test_a_notebook_that_does_not_depend_on_the_focus_runs_once(batch):
    _, out, _ = batch
    pids = {(out / f"focus={d}" / "site" / "02_shared" / "pid.csv").read_text() for d in ("武昌区", "南山区", "余杭区")}
    assert len(pids) == 1  # the same run, published into each build


def test_batch_csv_has_one_row_per_district_with_rank_and_largest_gap(batch):
    _, out, _ = batch
    with (out / "batch.csv").open(encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    assert [(r["focus"], r["status"]) for r in rows] == [("武昌区", "ok"), ("南山区", "ok"), ("余杭区", "failed")]
    assert "AssertionError: no data for this district" in rows[2]["problem"]
    assert [(r["rank"], r["rank_p05"], r["rank_p95"]) for r in rows] == [tuple(map(str, v)) for v in RANKS.values()]
    assert all((out / r["report"]).is_file() for r in rows)  # links relative to batch.csv's folder
    # 表2 per 10,000 residents, by hand: 南山 1641 firms / 112 万人 against 武昌 74 / 113; 余杭 park 200 / 92.54
    # against 南山 150 / 112; 南山 1641 / 112 against 余杭 338 / 92.54
    expected = [("high_tech_firms", "南山区", (1641 / 112) / (74 / 113)),
                ("park_floor_area", "余杭区", (200 / 92.54) / (150 / 112)),
                ("high_tech_firms", "南山区", (1641 / 112) / (338 / 92.54))]
    for row, (indicator, peer, ratio) in zip(rows, expected):
        assert (row["gap_indicator"], row["gap_peer"], row["gap_bound"]) == (indicator, peer, "exact")
        assert float(row["gap_ratio"]) == pytest.approx(ratio, rel=1e-9)
    page = (out / "site" / "index.html").read_text(encoding="utf-8")
    links = re.findall(r'href="(\.\./focus[^"]+)"', page)
    assert len(links) == 3 and all((out / "site" / unquote(link)).resolve().is_file() for link in links)
    assert "高新技术企业" in page and "22.4" in page and "batch.xlsx" in page
    from openpyxl import load_workbook

    sheet = load_workbook(out / "site" / "batch.xlsx")["batch"]
    assert [c.value for c in sheet[1]][:3] == ["构建", "关注区", "报告"]  # the workbook in the run's language
    # as the page says it (a newcomer found ok, TRUE and links relative to batch.csv's folder, not the workbook's)
    head = [c.value for c in sheet[1]]
    rows = [dict(zip(head, r)) for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert [r["状态"] for r in rows] == ["已完成", "已完成", "失败"]
    assert {r["参与排名"] for r in rows[:2]} == {"是"}
    assert all((out / "site" / r["报告"]).resolve().is_file() for r in rows[:2])
    # a newcomer's case: the batch's page and workbook said "-" for every parameter and the data's sha256
    book = load_workbook(out / "site" / "batch.xlsx")
    provenance = {r[0]: r[1] for r in book["provenance"].iter_rows(min_row=2, values_only=True)}
    assert provenance["数据 sha256"] not in ("-", None) and provenance["程序包版本"] not in ("-", None)


def test_a_batch_resumes_from_its_cache_and_refuses_a_single_build_folder(batch, tmp_path):
    nbs, out, _ = batch
    again = cli_here("reproduce", "--notebooks-dir", nbs, "--output", out, "--each", "focus=武昌区,南山区")
    assert again.returncode == 0 and again.stdout.count("cached") == 6, again.stdout
    single = cli_here("reproduce", "--notebooks-dir", nbs, "--output", out, "--only", "02")  # refused at once
    assert single.returncode == 2 and single.stderr.strip() == (
        f"error: {out} holds a batch of builds: write the build to another folder with --output")
    cli_here("reproduce", "--notebooks-dir", nbs, "--output", tmp_path / "one", "--only", "02")
    refused = cli_here("reproduce", "--notebooks-dir", nbs, "--output", tmp_path / "one", "--each", "focus")
    assert refused.returncode == 2 and "holds a single build" in refused.stderr


def test_several_each_make_the_product_of_their_values(tmp_path):
    sets = runner.parameter_sets(["focus=武昌区,南山区", "lang=zh,en"], {"n": 1}, paths.DATA_DIR)
    assert [label for label, _ in sets] == ["focus=武昌区/lang=zh", "focus=武昌区/lang=en", "focus=南山区/lang=zh",
                                            "focus=南山区/lang=en"]
    assert sets[3][1] == {"n": 1, "focus": "南山区", "lang": "en"}
    assert [label for label, _ in runner.parameter_sets(["focus"], {}, paths.DATA_DIR)] == [
        "focus=武昌区", "focus=南山区", "focus=余杭区"]


# ---------------------------------------------------------------------------- a real Dask cluster
@pytest.fixture
def dask_cluster(tmp_path):
    """A scheduler and one single-threaded worker started with the `dask` command line; yields the address once the
    worker has registered with the scheduler."""
    dask = shutil.which("dask", path=str(Path(sys.executable).parent))
    if dask is None:
        pytest.skip("the dask command line is not installed")
    info = tmp_path / "scheduler.json"
    scheduler = subprocess.Popen([dask, "scheduler", "--scheduler-file", str(info), "--port", "0", "--no-dashboard"],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    worker = None
    try:
        poll(info.exists, timeout=60, what="the scheduler to write its address")
        worker = subprocess.Popen([dask, "worker", "--scheduler-file", str(info), "--nthreads", "1",
                                   "--no-dashboard"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        address = json.loads(info.read_text())["address"]
        # a running cluster is one whose worker has registered: on a busy machine the run below could otherwise
        # reach the scheduler first and be refused ("no worker", exit 2)
        from distributed import Client

        with Client(address, timeout=30) as client:
            client.wait_for_workers(1, timeout=60)
        yield address
    finally:
        for proc in (worker, scheduler):
            if proc is not None:
                proc.terminate()
                proc.wait(30)


def test_two_notebooks_on_a_running_scheduler_match_a_local_run(dask_cluster, fixture_build, tmp_path):
    """The fixture notebooks (one writes tables, one fails on purpose) through --scheduler: the same tables, byte
    for byte, and the same failure as the session's local run of them (conftest.fixture_build)."""
    local, outcomes = fixture_build
    out = tmp_path / "dask"
    run = run_cli("reproduce", "--notebooks-dir", FIXTURES, "--scheduler", dask_cluster, "--output", out)
    assert run.returncode == 1, run.stderr  # 02_fails fails on purpose, on Dask as locally
    failed = [line.removeprefix("FAILED ") for line in run.stderr.splitlines() if line.startswith("FAILED")]
    assert failed == [error for _, status, error in outcomes if status == "failed"]
    tables = sorted((out / "site" / "01_passes").rglob("*.csv"))
    assert [t.name for t in tables] == ["claims_audit.csv", "table_1.csv"]
    for table in tables:
        assert table.read_bytes() == (local / "site" / "01_passes" / table.name).read_bytes(), table.name
