"""run.build: where a build may go, its lock, the cache key's inputs, records, publishing, the index rows.
Expected values are worked out by hand (hashlib on the bytes, the data sha256 of docs/outputs.md)."""
from __future__ import annotations

import errno
import hashlib
import json
import os
from pathlib import Path

import pytest

from analysis_utils import paths
from analysis_utils.errors import AnalysisError, NotebookRunError
from analysis_utils.run import build
from analysis_utils.run.task import Outcome, Task


def task(name="01_x", key="k1"):
    return Task(name, b"{}", {}, key, {"time": "t"}, 60)


def test_tree_sha_is_the_readmes_data_sha256_and_follows_symbolic_links(tmp_path):
    data, elsewhere = tmp_path / "data", tmp_path / "elsewhere"
    (data).mkdir()
    elsewhere.mkdir()
    (data / "a.csv").write_bytes(b"x,y\n")
    (elsewhere / "obs.csv").write_bytes(b"1\n")
    (data / "external").symlink_to(elsewhere, target_is_directory=True)
    by_hand = hashlib.sha256(b"a.csv\0" + hashlib.sha256(b"x,y\n").digest()
                             + b"external/obs.csv\0" + hashlib.sha256(b"1\n").digest()).hexdigest()
    assert paths.tree_sha(data) == by_hand
    (elsewhere / "obs.csv").write_bytes(b"2\n")  # an edit behind the link is seen
    assert paths.tree_sha(data) != by_hand
    assert paths.tree_sha(tmp_path / "none") == "missing"
    assert paths.tree_sha(data / "a.csv") == hashlib.sha256(b"x,y\n").hexdigest()


def test_every_file_of_the_package_is_in_the_key_not_only_python(tmp_path, monkeypatch):
    package = tmp_path / "analysis_utils"
    package.mkdir()
    (package / "x.py").write_text("x = 1\n")
    (package / "messages.csv").write_text("key,zh,en\na,甲,A\n", encoding="utf-8")
    (package / "__pycache__").mkdir()
    (package / "__pycache__" / "x.pyc").write_bytes(b"\0")
    monkeypatch.setattr(paths, "PACKAGE_DIR", package)
    before = build.environment_sha()
    (package / "__pycache__" / "x.pyc").write_bytes(b"\1")  # compiled files are not inputs
    assert build.environment_sha() == before
    (package / "messages.csv").write_text("key,zh,en\na,乙,A\n", encoding="utf-8")
    assert build.environment_sha() != before


def _fake_distribution(folder: Path, name: str, version: str) -> None:
    info = folder / f"{name.replace('-', '_')}-{version}.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n", encoding="utf-8")


def test_the_key_ignores_tools_but_not_run_time_versions(tmp_path, monkeypatch):
    """Installing Lab's packages must not re-run every notebook; a new pandas or tornado must."""
    from importlib.metadata import version

    before = build.environment_sha()
    tools = tmp_path / "tools"
    _fake_distribution(tools, "unrelated-lab-tool", "1.0")
    _fake_distribution(tools, "pytest", "0.0.1")
    monkeypatch.syspath_prepend(str(tools))
    assert version("pytest") == "0.0.1" and build.environment_sha() == before
    for runtime in ("pandas", "tornado"):  # a direct dependency; one of ipykernel's
        shadow = tmp_path / runtime
        _fake_distribution(shadow, runtime, "0.0.1")
        with monkeypatch.context() as m:
            m.syspath_prepend(str(shadow))
            assert version(runtime) == "0.0.1" and build.environment_sha() != before, runtime


@pytest.mark.parametrize("content", [b"", b'{"key": "ab', b"[1, 2]", b"\xff\xfe"])
def test_a_record_that_cannot_be_read_is_a_miss_with_one_warning(tmp_path, capsys, content):
    (tmp_path / build.RECORD).write_bytes(content)
    assert build.read_record(tmp_path) == {}
    [line] = capsys.readouterr().err.strip().splitlines()
    assert line.startswith(f"warning: {tmp_path / build.RECORD} cannot be read (") and \
        line.endswith("); its notebook runs again")
    assert not build.is_fresh(tmp_path, "k1")
    assert build.read_record(tmp_path / "none") == {}


@pytest.mark.parametrize("where", [".", "notebooks", "notebooks/sub", "src", "src/analysis_utils", "data", "data/x",
                                   ".."])
def test_an_output_that_mixes_with_what_the_run_reads_is_refused(where):
    with pytest.raises(AnalysisError, match="would mix the build with"):
        build.refuse_output((paths.REPO_ROOT / where).resolve(), [paths.DATA_DIR])


def test_an_output_of_its_own_is_accepted(tmp_path):
    build.refuse_output(paths.REPO_ROOT / "build", [paths.DATA_DIR])
    build.refuse_output(tmp_path / "out", [paths.DATA_DIR])
    with pytest.raises(AnalysisError):
        build.refuse_output(tmp_path / "mydata" / "build", [tmp_path / "mydata"])  # inside a user's data folder


def test_the_lock_is_held_for_the_run_and_names_its_holder(tmp_path):
    with build.lock(tmp_path / "out"):
        staged = tmp_path / "out" / build.STAGING / "being-written"
        staged.mkdir(parents=True)
        with pytest.raises(AnalysisError) as info:
            with build.lock(tmp_path / "out"):
                pass
        assert staged.is_dir()  # the refused run left the holder's work alone
        assert str(info.value).startswith(f"{tmp_path / 'out'} is being written by process {os.getpid()} (started ")
        assert "--output" in str(info.value)
    with build.lock(tmp_path / "out"):  # released
        pass


def test_publish_writes_new_then_swaps_and_keeps_a_failure_apart(tmp_path):
    ok = Outcome(task(), "ran", 1.0, None, {"a.csv": b"1\n", "figures/f.png": b"png"})
    build.publish(tmp_path, ok, {"key": "k1"})
    folder = tmp_path / "site" / "01_x"
    record = json.loads((folder / build.RECORD).read_text())
    assert record["files"] == {"a.csv": hashlib.sha256(b"1\n").hexdigest(),
                               "figures/f.png": hashlib.sha256(b"png").hexdigest()}
    assert build.is_fresh(folder, "k1") and not build.is_fresh(folder, "k2")
    error = NotebookRunError("01_x.ipynb", 2, 3, "x = 1", "KeyError", "'a'")
    build.publish(tmp_path, Outcome(task(key="k2"), "failed", 1.0, error, {"01_x.html": b"<p>"}), {"error": str(error)})
    assert (folder / "a.csv").read_bytes() == b"1\n" and (tmp_path / "site" / "01_x.failed" / "01_x.html").exists()
    build.publish(tmp_path, Outcome(task(key="k3"), "ran", 1.0, None, {"b.csv": b"2\n"}), {"key": "k3"})
    assert sorted(p.name for p in folder.iterdir()) == [build.RECORD, "b.csv"]
    assert not (tmp_path / "site" / "01_x.failed").exists()
    assert not any((tmp_path / build.STAGING).glob("*")) if (tmp_path / build.STAGING).exists() else True


def test_a_full_disk_while_publishing_is_one_line_and_leaves_the_last_good_folder(tmp_path, monkeypatch):
    build.publish(tmp_path, Outcome(task(), "ran", 1.0, None, {"a.csv": b"1\n"}), {"key": "k1"})

    def full(out, files):
        raise OSError(errno.ENOSPC, "No space left on device", str(out / build.STAGING / "x" / "a.csv"))
    monkeypatch.setattr(build, "_write_folder", full)
    with pytest.raises(AnalysisError) as info:
        build.publish(tmp_path, Outcome(task(key="k2"), "ran", 1.0, None, {"a.csv": b"2\n"}), {"key": "k2"})
    assert str(info.value) == (f"cannot write {tmp_path / build.STAGING / 'x' / 'a.csv'}: No space left on device "
                               "[ENOSPC]: the disk is full")
    assert (tmp_path / "site" / "01_x" / "a.csv").read_bytes() == b"1\n"


def test_index_rows_say_what_each_folder_shows(tmp_path):
    build.publish(tmp_path, Outcome(task(), "ran", 1.0, None, {"a.csv": b"1\n"}),
                  {"key": "k1", "finished": "2026-01-01 10:00:00 +0000", "params": {"n": 1}})
    from analysis_utils.report.index_page import stale_reason

    rows = build.entries(tmp_path, ["01_x", "02_y"], {"01_x": "k1"}, {})
    assert [(r["name"], r["status"], r["stale"]) for r in rows] == [("01_x", "ok", None), ("02_y", "not run", None)]
    rows = build.entries(tmp_path, ["01_x"], {"01_x": "k2"}, {})
    assert stale_reason(rows[0]["stale"], "en") == ("not re-run with this run's inputs; showing the outputs of "
                                                    "2026-01-01 10:00:00 +0000")
    (tmp_path / "site" / "01_x" / "a.csv").write_bytes(b"9\n")
    rows = build.entries(tmp_path, ["01_x"], {"01_x": "k1"}, {})
    assert stale_reason(rows[0]["stale"], "en") == "changed behind the cache's back: a.csv changed after the run"
    (tmp_path / "site" / "01_x" / "b.csv").write_bytes(b"new\n")
    (tmp_path / "site" / "01_x" / "a.csv").write_bytes(b"1\n")
    assert stale_reason(build.entries(tmp_path, ["01_x"], {}, {})[0]["stale"], "en") == (
        "changed behind the cache's back: b.csv added after the run")
    (tmp_path / "site" / "01_x" / "b.csv").unlink()
    rows = build.entries(tmp_path, ["01_x"], {"01_x": "k1"}, {"01_x": "boom"})
    assert rows[0]["status"] == "stale" and rows[0]["error"] == "boom"
    assert stale_reason(rows[0]["stale"], "zh") == "本次运行失败；显示的是上一次成功运行（2026-01-01 10:00:00 +0000）的结果"
