"""run.runner's planning: what a refused run says (no notebook starts, nothing is written)."""
from __future__ import annotations

import pytest

from analysis_utils import paths
from analysis_utils.errors import AnalysisError
from analysis_utils.run import runner
from tests._support.data import break_external_value


def test_every_bad_value_is_listed_at_once_and_nothing_is_written(tmp_path, capsys):
    """A bad language, a focus the data do not hold and a year that is no number: one message, all three, whatever
    check would find each (a rule, the data, the type), and no warning line before it."""
    out = tmp_path / "build"
    with pytest.raises(AnalysisError) as info:
        runner.reproduce(paths.NOTEBOOKS_DIR, out, {"lang": "fr", "year": "2O15", "focus": "汉口"})
    assert str(info.value).splitlines() == [
        "3 problems, nothing was run:",
        "  parameter \"lang\" = 'fr': expected one of 'zh', 'en' [bad-choice]",
        "  parameter \"focus\" = '汉口': expected one of '武昌区' (Wuchang District), '南山区' (Nanshan District), "
        "'余杭区' (Yuhang District) [bad-choice]",
        "  parameter \"year\" = '2O15': expected a whole number [type-error]"]
    assert capsys.readouterr().err == "" and not out.exists()


def test_an_each_name_no_notebook_declares_is_refused(tmp_path):
    with pytest.raises(AnalysisError) as info:
        runner.reproduce(paths.NOTEBOOKS_DIR, tmp_path / "b", each=["fokus=武昌区"])
    assert info.value.code == "unknown-parameter" and info.value.name == "fokus"


def test_a_bad_external_file_is_refused_before_any_notebook_runs(data_copy, tmp_path):
    """06 reads data/external/: reproduce checks it with the report's files, before anything runs or is written
    (before, 01–05 ran and 06 failed inside its kernel)."""
    from analysis_utils import paths
    from analysis_utils.errors import AnalysisError
    from analysis_utils.run import runner

    break_external_value(data_copy)
    out = tmp_path / "build"
    with pytest.raises(AnalysisError) as err:
        runner.reproduce(paths.NOTEBOOKS_DIR, out, {"data_dir": str(data_copy)}, {"data_dir": str(data_copy)})
    assert str(err.value) == (f"a problem in the data: {data_copy / 'external' / 'observations.csv'}, row 1 (line 2), "
                              "column \"value\": "
                              "got '24x8', expected a number [type-error]")
    assert not out.exists()


def test_local_workers_are_forked_by_a_preloaded_server_unless_tmpdir_is_too_long(monkeypatch, tmp_path):
    """A forkserver's socket lives under TMPDIR and its path may not pass about 100 bytes (CPython #132124): with a
    TMPDIR of 61 bytes or more the workers are spawned, as before; otherwise forked by a server that preloads
    run.preload."""
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", "/tmp")
    context = runner._context()
    assert context.get_start_method() == "forkserver"
    from multiprocessing import forkserver

    assert forkserver._forkserver._preload_modules == ["analysis_utils.run.preload"]
    monkeypatch.setattr(tempfile, "tempdir", "/t" + "x" * 59)  # 61 bytes
    assert runner._context().get_start_method() == "spawn"
    monkeypatch.setattr(tempfile, "tempdir", "/t" + "x" * 58)  # 60 bytes
    assert runner._context().get_start_method() == "forkserver"


def test_after_an_edit_of_the_package_workers_are_spawned_with_the_new_code(monkeypatch):
    """The forkserver keeps the code it imported for the life of the process: once the package's files differ from
    what it started with (a session that edits src/ and runs reproduce again), workers are spawned, so they import
    the code the cache key was made from."""
    import tempfile

    from analysis_utils import paths

    monkeypatch.setattr(tempfile, "tempdir", "/tmp")
    monkeypatch.setattr(runner, "_SERVED", [])
    assert runner._context().get_start_method() == "forkserver"  # the first run: its code is the server's
    assert runner._context().get_start_method() == "forkserver"  # unchanged code: the same server
    monkeypatch.setattr(paths, "tree_sha", lambda root: "SYNTHETIC-edited")
    assert runner._context().get_start_method() == "spawn"
