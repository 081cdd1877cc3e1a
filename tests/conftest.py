"""Shared fixtures: the packaged data, a writable copy of it, a builder for synthetic districts, headless
Chromium, and the builds several test files read (made once per session, see ``shared_build``)."""
from __future__ import annotations

import csv
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from analysis_utils.data.load import load
from analysis_utils.paths import DATA_DIR

SYNTHETIC_DISTRICT = "SYNTHETIC_测试区"  # synthetic: not in the report, used only by tests


@pytest.fixture(scope="session")
def data():
    return load()


@pytest.fixture
def data_copy(tmp_path) -> Path:
    """A copy of the packaged data directory that a test may break."""
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


def append_rows(path: Path, rows: list[dict]) -> None:
    with path.open(encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle))
    with path.open("a", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header)
        for row in rows:
            writer.writerow({k: row.get(k, "") for k in header})


def add_synthetic_district(data_dir: Path, name: str = SYNTHETIC_DISTRICT, scale: float = 2.0,
                           scales: dict[str, float] | None = None) -> dict:
    """Add a synthetic district with every 表2 and 表3 indicator (values = 武昌区's × scale, or × scales[indicator]
    for the indicators named there, so that it can lead on some indicators and trail on others)."""
    focus = load(data_dir)
    append_rows(data_dir / "entities.csv", [{"entity": name, "name_en": "SYNTHETIC district", "level": "district",
                                             "parent": "", "note": "synthetic test district"}])
    obs = focus.observations
    base = obs[(obs["entity"] == "武昌区") & ((obs["source"] == "表2") | (obs["source"] == "表3"))]
    values = {}
    rows = []
    for _, r in base.iterrows():
        value = round(float(r["value"]) * (scales or {}).get(r["indicator"], scale), 2)
        if r["unit"] in ("个", "人"):
            value = int(round(value))
        values[r["indicator"]] = value
        rows.append({"entity": name, "indicator": r["indicator"], "year": int(r["year"]),
                     "year_inferred": "false", "value": value, "unit": r["unit"], "qualifier": "",
                     "printed": str(value), "source": r["source"], "note": "synthetic"})
    append_rows(data_dir / "observations.csv", rows)
    return values


@pytest.fixture
def synthetic_data_dir(data_copy) -> tuple[Path, dict]:
    return data_copy, add_synthetic_district(data_copy)


# ---------------------------------------------------------------------------- headless Chromium (Debian's)
CHROMIUM = "/usr/bin/chromium"
# Without the background-networking flags Chromium tries hosts this closed network refuses.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def need_browser(*extra: tuple[bool, str]) -> None:
    """Skip (or, with REQUIRE_BROWSER=1 as in CI, fail) unless Playwright and Chromium are there and every
    ``(condition, reason)`` of ``extra`` holds."""
    import os

    reason = None
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        reason = "playwright is not installed: pip install playwright (it drives the system Chromium)"
    if reason is None and not Path(CHROMIUM).exists():
        reason = f"no Chromium at {CHROMIUM}: apt-get install chromium"
    reason = reason or next((why for ok, why in extra if not ok), None)
    if reason:
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(reason + " (REQUIRE_BROWSER=1)")
        pytest.skip(reason)



# ---------------------------------------------------------------------------- builds shared by test files
def shared_build(tmp_path_factory, name: str, make):
    """``make(folder)``'s result for the whole test session, computed once even across pytest-xdist's
    processes: the first test to ask runs ``make`` into ``<session temp>/shared/<name>/`` under an
    exclusive lock (fcntl) and pickles the result; the others wait for the lock and read it. Users
    must only read the folder (a run that is a cache hit writes nothing). A ``make`` that raises is
    not cached: the next user tries again and fails the same way."""
    import fcntl
    import os
    import pickle

    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):  # each worker has its own basetemp; the session's is above it
        base = base.parent
    folder = base / "shared" / name
    folder.mkdir(parents=True, exist_ok=True)
    record = folder / "result.pickle"
    with open(folder.parent / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not record.exists():
            result = make(folder / "build")
            record.write_bytes(pickle.dumps(result))
        return pickle.loads(record.read_bytes())


def run_reproduce_cli(*args, timeout: int = 1800) -> subprocess.CompletedProcess:
    """``python -m analysis_utils reproduce ARGS`` from the repository root, output captured."""
    from analysis_utils import paths

    cmd = [sys.executable, "-m", "analysis_utils", "reproduce", *map(str, args)]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=paths.REPO_ROOT)


@pytest.fixture(scope="session")
def shipped_build(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    """(output folder, finished process) of ``reproduce --output X --jobs 2``, default parameters, on the
    shipped notebooks/: as ``make reproduce`` does it, once per session. tests/test_pipeline.py checks the
    run, test_notebooks.py the notebooks' outputs (default parameters), integration/test_pages.py the pages."""
    def make(out: Path):
        return out, run_reproduce_cli("--output", out, "--jobs", "2")

    return shared_build(tmp_path_factory, "shipped", make)


@pytest.fixture(scope="session")
def nanshan_en_build(tmp_path_factory) -> Path:
    """The output folder of ``reproduce -p focus 南山区 -p lang en -p n_samples 200 --jobs 2`` on notebooks/, once
    per session: the non-default parameter set (tests/test_notebooks.py reads its notebooks,
    integration/test_pages.py its English pages and workbooks)."""
    from analysis_utils import paths
    from analysis_utils.run import runner

    def make(out: Path):
        report = runner.reproduce(paths.NOTEBOOKS_DIR, out, {"focus": "南山区", "lang": "en", "n_samples": 200}, jobs=2)
        assert not report.failures, [str(o.error) for o in report.failures]
        return out

    return shared_build(tmp_path_factory, "nanshan_en", make)


FIXTURES = Path(__file__).parent / "fixtures" / "notebooks"


@pytest.fixture(scope="session")
def fixture_build(tmp_path_factory):
    """(output folder, RunReport) of the two fixture notebooks of tests/fixtures/notebooks/ (01_passes
    writes a table, a workbook, a claims audit and a PNG; 02_fails raises KeyError at source cell 3), run once
    per session, two at once, into a fresh folder (tests/integration)."""
    from analysis_utils.run import runner

    def make(out: Path):
        report = runner.reproduce(FIXTURES, out, jobs=2)
        return out, [(o.task.name, o.status, str(o.error) if o.error else None) for o in report.outcomes]

    return shared_build(tmp_path_factory, "fixtures", make)


def snapshot(folder: Path) -> dict[str, str]:
    """{relative path: sha256} of every file under ``folder``: "byte for byte intact" compares these."""
    import hashlib

    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def run_cli(*args, cwd=None, timeout=300, env=None) -> subprocess.CompletedProcess:
    """``python -m analysis_utils ARGS`` (from the repository root by default), output captured."""
    import os

    from analysis_utils import paths

    return subprocess.run([sys.executable, "-m", "analysis_utils", *map(str, args)], capture_output=True, text=True,
                          timeout=timeout, cwd=cwd or paths.REPO_ROOT, env={**os.environ, **(env or {})})


def write_notebook(folder: Path, name: str, params: str, *code: str, kernel: str | None = None,
                   version: int = 4) -> Path:
    """``folder/name.ipynb``: a parameters cell (``params``, none when empty) and one code cell per ``code``,
    for the project kernel (or ``kernel``), in nbformat 4 (or 3)."""
    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook

    from analysis_utils import paths

    kernel = kernel or paths.KERNEL_NAME
    cells = ([new_code_cell(params, metadata={"tags": ["parameters"]})] if params else []) + \
        [new_code_cell(c) for c in code]
    nb = new_notebook(cells=cells, metadata={"kernelspec": {"name": kernel, "language": "python", "display_name": kernel}})
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.ipynb"
    if version == 3:
        path.write_text(nbformat.writes(nbformat.convert(nb, 3), version=3), encoding="utf-8")
    else:
        nbformat.write(nb, path)
    return path
