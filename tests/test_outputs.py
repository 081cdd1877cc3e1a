"""Atomic writers: the target appears whole or not at all, readable like any other file, no temp left."""
from __future__ import annotations

import os
import stat

import pandas as pd
import pytest

from analysis_utils.outputs import RunOutputs, atomic_path, write_csv, write_text


def test_failed_write_leaves_no_target_and_no_temp(tmp_path):
    target = tmp_path / "t.csv"
    with pytest.raises(RuntimeError):
        with atomic_path(target) as tmp:
            tmp.write_text("half", encoding="utf-8")
            raise RuntimeError("interrupted")
    assert not target.exists() and list(tmp_path.iterdir()) == []


def test_failed_rewrite_keeps_the_previous_file(tmp_path):
    target = write_text(tmp_path / "t.txt", "complete")
    with pytest.raises(RuntimeError):
        with atomic_path(target) as tmp:
            tmp.write_text("half", encoding="utf-8")
            raise RuntimeError("interrupted")
    assert target.read_text(encoding="utf-8") == "complete"


def test_written_files_follow_the_umask_not_0600(tmp_path):
    old = os.umask(0o022)
    try:
        path = write_csv(pd.DataFrame({"a": [1]}), tmp_path / "x.csv")
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o644


def test_run_outputs_write_tables_figures_and_one_workbook(tmp_path):
    import matplotlib.pyplot as plt
    from openpyxl import load_workbook

    out = RunOutputs(tmp_path, "99_test", "svg")
    out.table(pd.DataFrame({"所在地区": ["SYNTHETIC_A"], "v": [1.5]}), "t_one")
    out.table(pd.DataFrame({"x": [2]}), "t_two")
    fig, ax = plt.subplots()
    out.figure(fig, "f_one")
    written = out.finish()
    assert (tmp_path / "figures" / "f_one.svg").is_file()
    assert load_workbook(tmp_path / "99_test.xlsx").sheetnames == ["t_one", "t_two"]
    assert pd.read_csv(tmp_path / "tables" / "t_one.csv", encoding="utf-8-sig")["所在地区"].tolist() == ["SYNTHETIC_A"]
    assert len(written) == 4
