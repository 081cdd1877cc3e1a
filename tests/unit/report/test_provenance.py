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
