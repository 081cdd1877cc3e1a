"""Fixtures of the whole suite: the packaged data, its external data, claims audit and external checks, and a writable
copy of the data, with or without a synthetic district.
The builds the integration tests share are in tests/integration/conftest.py; plain helpers (no fixtures) are modules
of tests/_support/."""
from __future__ import annotations

import gc
import shutil
from pathlib import Path

import pytest

from analysis_utils.audit import claims, external
from analysis_utils.data.external import load_external
from analysis_utils.data.load import load
from analysis_utils.paths import DATA_DIR
from tests._support.data import (
    REPLACES_GDP,
    add_synthetic_district,
    copy_example,
    with_replacements,
)

# The test files that take longest, longest first, then every other file in its usual order. `make test` hands files
# to its two pytest-xdist processes in the collection's order (--dist loadfile --no-loadscope-reorder), one file at
# a time as a process runs dry: the long files start at once and the many short unit files fill the end, so both
# processes finish together. test_notebooks.py makes the two builds of the shipped notebooks (shipped_build,
# nanshan_en_build); test_pages.py reads them too and comes after the others, so it does not wait for them. The run
# layer's fault and cache files wait on sleeping notebooks: each is placed to start beside a file that keeps both
# cores busy (the builds, the Lab test), so that the machine is never half idle.
SLOW_FIRST = ("integration/test_notebooks.py", "integration/test_run_faults.py", "integration/test_lab.py",
              "integration/test_run_build.py", "integration/test_own_data.py", "integration/test_batch.py",
              "integration/test_bad_files.py", "integration/test_pages.py", "integration/test_notebook_charts.py",
              "unit/report/test_charts.py")


def pytest_collection_modifyitems(items):
    """Run the files of SLOW_FIRST first, in that order (a stable sort: the tests of a file keep theirs)."""
    tests = Path(__file__).parent
    rank = {name: i for i, name in enumerate(SLOW_FIRST)}

    def place(item) -> int:
        try:
            return rank.get(item.path.relative_to(tests).as_posix(), len(rank))
        except ValueError:  # a test outside tests/ (pytest --nbmake notebooks/ ...)
            return len(rank)

    items.sort(key=place)


def pytest_collection_finish(session):
    """Garbage collection for a test process: the modules and tests collected so far are frozen out of it (gc.freeze)
    and a young generation is collected every 20,000 allocations, not 700. Collections took 1.5-2 CPU-s of each unit
    process's 25 (most of them full ones that walked every object ever imported); now 0.4-0.8."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(20_000, 20, 20)


@pytest.fixture(scope="session")
def data():
    return load()


@pytest.fixture(scope="session")
def ext(data):
    """The external data of the packaged data (data/external/), once per session, only read."""
    return load_external(data)


@pytest.fixture(scope="session")
def checks(data, ext, claims_audit):
    """external.external_checks of the packaged data against the report, once per session."""
    return external.external_checks(data, ext, claims_audit)


@pytest.fixture(scope="session")
def claims_audit(data):
    """claims.audit of the packaged data: the audit's codes and numbers, no words."""
    return claims.audit(data)


@pytest.fixture
def data_copy(tmp_path) -> Path:
    """A copy of the packaged data directory that a test may break."""
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


@pytest.fixture
def synthetic_data_dir(data_copy) -> tuple[Path, dict]:
    """(a copy of data/ with the synthetic district SYNTHETIC_测试区, its values by indicator)."""
    return data_copy, add_synthetic_district(data_copy)


@pytest.fixture
def example_additions(tmp_path) -> Path:
    """A copy of the SYNTHETIC additions folder examples/synthetic-district (示例区, source synthetic_bulletin)."""
    return copy_example(tmp_path / "mine")


@pytest.fixture(scope="session")
def example_data(tmp_path_factory):
    """The packaged data read with examples/synthetic-district (SYNTHETIC), once per session, only read."""
    return load(copy_example(tmp_path_factory.mktemp("example") / "mine"))


@pytest.fixture(scope="session")
def replaced_data(tmp_path_factory):
    """The packaged data read with examples/synthetic-district and a replacements.csv standing 880 (SYNTHETIC,
    source synthetic_bulletin) in for the report's 武昌区 GDP 2015 of 870, once per session, only read."""
    folder = copy_example(tmp_path_factory.mktemp("replaced") / "mine")
    with_replacements(folder, REPLACES_GDP)
    return load(folder)
