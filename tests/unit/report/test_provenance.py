"""report.provenance: the parameters as a reader reads them, and the rows every page and workbook carries.
Expected texts are written by hand."""
from __future__ import annotations

from analysis_utils import paths
from analysis_utils.report import provenance


def test_parameters_show_entities_by_name_and_paths_by_their_last_component():
    given = {"focus": "南山区", "peers": ["武昌区", "余杭区"], "data_dir": str(paths.DATA_DIR), "weights": None,
             "n_samples": 200, "output_dir": "/home/someone/build/out", "mine": [1, 2]}
    assert provenance.parameter_items(given, "en") == [
        ("focus", "Focus district", [("Nanshan District", "南山区")]),
        ("peers", "Peer districts", [("Wuchang District", "武昌区"), ("Yuhang District", "余杭区")]),
        ("data_dir", "Data folder", [("", "data")]), ("weights", "Weights", [("", "-")]),
        ("n_samples", "Samples", [("", "200")]), ("output_dir", "Output folder", [("", "out")]),
        ("mine", "mine", [("", "1, 2")])]
    # in Chinese an entity's name is its id: shown once
    assert provenance.parameter_items({"focus": "南山区"}, "zh") == [("focus", "关注区", [("", "南山区")])]


def test_a_users_district_is_named_with_its_mark_and_the_reports_in_the_pages_language(tmp_path):
    """With a folder of additions as data_dir (examples/synthetic-district, SYNTHETIC: only its own 示例区 in its
    entities.csv), an English index named the peers 武昌区 and 南山区 by their ids, and the user's district without the
    † every other page gives it (a newcomer's English build)."""
    from tests._support.data import copy_example

    given = {"focus": "示例区", "peers": ["武昌区", "南山区"], "data_dir": str(copy_example(tmp_path / "mine"))}
    assert provenance.parameter_items(given, "en")[:2] == [
        ("focus", "Focus district", [("Example District (SYNTHETIC)†", "示例区")]),
        ("peers", "Peer districts", [("Wuchang District", "武昌区"), ("Nanshan District", "南山区")])]
    assert provenance.parameter_items(given, "zh")[:2] == [
        ("focus", "关注区", [("示例区†", "示例区")]), ("peers", "对标区", [("", "武昌区"), ("", "南山区")])]
    # a past run's folder that is gone names its districts by their ids
    gone = {"focus": "示例区", "data_dir": str(tmp_path / "gone")}
    assert provenance.parameter_items(gone, "en") == [("focus", "Focus district", [("", "示例区")]),
                                                      ("data_dir", "Data folder", [("", "gone")])]


def test_full_rows_name_the_run_and_the_environment(monkeypatch):
    monkeypatch.setattr(paths, "environment", lambda: {"git_commit": "c0ffee", "git_dirty": "yes", "python": "3.11.7",
                                                       "lock_sha256": "ab12"})
    rows = provenance.full({"parameters": {"focus": "南山区", "lang": "en"}, "data_checksum": "d4", "version": "0.1",
                            "time": "2026-01-01 10:00:00 +0800"}, "en")
    assert rows == [("Parameters", "Focus district (focus): Nanshan District (南山区); Language (lang): en"),
                    ("Data sha256", "d4"), ("Package version", "0.1"), ("Time", "2026-01-01 10:00:00 +0800"),
                    ("Git commit", "c0ffee (uncommitted changes)"), ("Python", "3.11.7"),
                    ("requirements.lock sha256", "ab12")]
    assert provenance.full({}, "zh")[:4] == [("参数", "-"), ("数据 sha256", "-"), ("程序包版本", "-"), ("运行时间", "-")]
