"""Shared fixtures: the packaged data, a writable copy of it, and a builder for synthetic districts."""
from __future__ import annotations

import csv
import shutil
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

