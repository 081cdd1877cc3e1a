"""Benchmark of `python -m analysis_utils reproduce` against running the notebooks with plain papermill.

Run:  .venv/bin/python benchmarks/bench_reproduce.py            # notebooks/, writes RESULTS_reproduce.md
      .venv/bin/python benchmarks/bench_reproduce.py --no-write --notebooks-dir tests/fixtures/notebooks

Measures, in one run, each in a fresh process as a user would type it (wall clock):
  (a) `reproduce --force` into an empty output folder (cold: every notebook executed and rendered);
  (b) `reproduce` again with nothing changed (every notebook a cache hit);
  (c) the sum of `papermill NB OUT -k wuchang-innovation -y PARAMS` run for each notebook one after another,
      with the same parameters the run passed (read from the executed notebooks' metadata);
  (d) "bare" runs: each notebook cut to its parameters cell and its set-up cell (imports, data loaded), run with
      the papermill CLI one after another: the cost a run cannot avoid.
Targets (issue 20): (a) wall <= 0.5 x (c); (a) CPU <= 1.3 x (d) CPU; (b) <= 1 s. Each measurement is repeated
--repeat times; the median is kept.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "RESULTS_reproduce.md"
PY = sys.executable
PAPERMILL = str(Path(sys.executable).with_name("papermill"))


def timed(cmd: list[str]) -> tuple[float, int, str]:
    """Wall seconds, exit code and the output (stdout) of one command; CPU seconds go to CPU[-1]."""
    before = os.times()
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True)
    wall, after = time.perf_counter() - start, os.times()
    CPU.append(after.children_user + after.children_system - before.children_user - before.children_system)
    return wall, proc.returncode, proc.stdout + (proc.stderr if proc.returncode else "")


CPU: list[float] = []  # CPU seconds of each timed command and its children (kernels included)


def reproduce_cmd(nb_dir: Path, out: Path, jobs: int | None, *extra: str) -> list[str]:
    cmd = [PY, "-m", "analysis_utils", "reproduce", "--output", str(out), "--notebooks-dir", str(nb_dir), *extra]
    return cmd + (["--jobs", str(jobs)] if jobs else [])


def serial_papermill(nb_dir: Path, build: Path, scratch: Path) -> tuple[float, dict[str, float], list[str]]:
    """(c): each notebook alone with the papermill CLI, same parameters, outputs in a scratch folder."""
    per_nb, failed = {}, []
    for nb in sorted(nb_dir.glob("*.ipynb")):
        executed = json.loads((build / "site" / nb.stem / nb.name).read_text(encoding="utf-8"))
        params = dict(executed["metadata"].get("papermill", {}).get("parameters", {}))
        if "output_dir" in params:
            params["output_dir"] = str(scratch / "outputs" / nb.stem)
        cmd = [PAPERMILL, str(nb), str(scratch / nb.name), "-k", "wuchang-innovation", "--no-progress-bar",
               "--cwd", str(nb_dir), "-y", json.dumps(params, ensure_ascii=False)]
        per_nb[nb.stem], code, tail = timed(cmd)
        if code:
            failed.append(f"{nb.stem}: {tail.splitlines()[-1] if tail else code}")
    return sum(per_nb.values()), per_nb, failed


def bare_papermill(nb_dir: Path, scratch: Path) -> float:
    """(d): CPU seconds of each notebook cut to its first code cells (parameters, set-up), run by papermill."""
    n = len(CPU)
    for nb in sorted(nb_dir.glob("*.ipynb")):
        source = json.loads(nb.read_text(encoding="utf-8"))
        code = [c for c in source["cells"] if c["cell_type"] == "code"][:2]
        source["cells"] = code
        bare = scratch / f"bare_{nb.name}"
        bare.write_text(json.dumps(source, ensure_ascii=False), encoding="utf-8")
        timed([PAPERMILL, str(bare), str(scratch / f"bare_out_{nb.name}"), "-k", "wuchang-innovation",
               "--no-progress-bar", "--cwd", str(nb_dir), "-p", "output_dir", str(scratch / "bare" / nb.stem)])
    return sum(CPU[n:])


def measure(nb_dir: Path, jobs: int | None, workdir: Path) -> dict:
    build = workdir / "build"
    shutil.rmtree(build, ignore_errors=True)
    a, code_a, out_a = timed(reproduce_cmd(nb_dir, build, jobs, "--force"))
    cpu_a = CPU[-1]
    b, code_b, out_b = timed(reproduce_cmd(nb_dir, build, jobs))
    scratch = workdir / "serial"
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir()
    n = len(CPU)
    c, per_nb, failed = serial_papermill(nb_dir, build, scratch)
    cpu_c = sum(CPU[n:])
    cpu_d = bare_papermill(nb_dir, scratch)
    return {"a": a, "b": b, "c": c, "per_nb": per_nb, "exit_a": code_a, "exit_b": code_b, "cpu_d": cpu_d,
            "cpu_a": cpu_a, "cpu_c": cpu_c, "cached_b": out_b.count(": cached"),
            "tail_a": "\n".join(out_a.strip().splitlines()[-8:]), "failed_c": failed}


def report(runs: list[dict], nb_dir: Path, jobs: int | None) -> str:
    a = statistics.median(r["a"] for r in runs)
    b = statistics.median(r["b"] for r in runs)
    c = statistics.median(r["c"] for r in runs)
    last = runs[-1]
    names = ", ".join(last["per_nb"]) or "(none)"
    per_nb = ", ".join(f"{k} {v:.2f} s" for k, v in last["per_nb"].items())
    ok = lambda good: "met" if good else "NOT met"  # noqa: E731
    lines = [
        f"## Run of {date.today().isoformat()}", "",
        f"Machine: {os.cpu_count()} cores, {platform.platform()}, Python {platform.python_version()}; "
        f"--jobs {jobs or os.cpu_count()}; {len(runs)} repeat(s), medians; "
        f"load average at the end {os.getloadavg()[0]:.1f} (other processes share the cores).",
        f"Notebooks ({nb_dir.relative_to(REPO) if nb_dir.is_relative_to(REPO) else nb_dir}): {names}.", "",
        "| measurement | seconds | target |", "|---|---:|---|",
        f"| (a) `reproduce --force`, cold, parallel + HTML | {a:.2f} | ≤ 0.5 × (c) = {0.5 * c:.2f}: "
        f"{ok(a <= 0.5 * c)} (ratio {a / c:.2f}) |" if c else f"| (a) | {a:.2f} | (c) missing |",
        f"| (b) `reproduce`, nothing changed | {b:.2f} | ≤ 1 s: {ok(b <= 1)} |",
        f"| (c) plain `papermill` CLI, one after another | {c:.2f} | ({per_nb}) |", "",
        f"CPU seconds (all processes, kernels included): (a) {last['cpu_a']:.1f}, (c) {last['cpu_c']:.1f}, "
        f"(d) bare runs {last['cpu_d']:.1f}; (a) / (d) = {last['cpu_a'] / last['cpu_d']:.2f}, target ≤ 1.3: "
        f"{ok(last['cpu_a'] <= 1.3 * last['cpu_d'])}.",
        f"Exit codes: (a) {last['exit_a']}, (b) {last['exit_b']}; cache hits in (b): "
        f"{last['cached_b']} of {len(last['per_nb'])}"
        + ("" if last["cached_b"] == len(last["per_nb"]) else " — inputs changed during the run, (b) is void") + ".",
    ]
    if last["exit_a"]:
        lines += ["", "(a) reported failing notebooks, so its figure covers partial runs:", "```",
                  last["tail_a"], "```"]
    if last["failed_c"]:
        lines += ["", "papermill failures in (c): " + "; ".join(last["failed_c"])]
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--notebooks-dir", type=Path, default=REPO / "notebooks")
    parser.add_argument("--jobs", type=int, default=None)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--no-write", action="store_true", help=f"print only; do not write {RESULTS.name}")
    args = parser.parse_args()
    nb_dir = args.notebooks_dir.resolve()
    with tempfile.TemporaryDirectory(prefix="bench_reproduce_") as tmp:
        runs = [measure(nb_dir, args.jobs, Path(tmp)) for _ in range(args.repeat)]
    text = report(runs, nb_dir, args.jobs)
    print(text)
    if not args.no_write:
        header = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# reproduce benchmark\n\n"
        from analysis_utils.report.writers import write_text

        write_text(RESULTS, header.rstrip("\n") + "\n\n" + text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
