"""Benchmark of a batch: `reproduce --each focus` over SYNTHETIC districts, on 1 and 2 local workers and on a Dask
LocalCluster of 2 workers.

Run:  .venv/bin/python benchmarks/bench_batch.py                 # 20 districts, writes RESULTS_batch.md
      .venv/bin/python benchmarks/bench_batch.py --districts 4 --only 01 --no-write   # a quick look

The data folder is the packaged data/ copied into a temporary folder plus N districts named SYNTHETIC_区NN,
made here (never shipped as data): each has every Table 2 and Table 3 indicator of 武昌区 times a factor drawn
from a seeded generator, so the districts differ. Each batch runs into a fresh folder with --force.

Measures per configuration: wall seconds, tasks per minute, CPU seconds of the whole process tree, peak memory
(the sum of the resident set sizes of the run, its workers and kernels, sampled every 0.2 s). Then the scaling
efficiency from 1 to 2 workers (throughput ratio / 2) and the overhead of Dask against the local pool.
"""
from __future__ import annotations

import argparse
import csv
import os
import platform
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "RESULTS_batch.md"


def synthetic_data(target: Path, n: int, seed: int = 2016) -> list[str]:
    """The packaged data plus ``n`` SYNTHETIC districts (Table 2 and 3 indicators of 武昌区 × a random factor)."""
    shutil.copytree(REPO / "data", target)
    rng = random.Random(seed)
    with (target / "observations.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    header = list(rows[0])
    base = [r for r in rows if r["entity"] == "武昌区" and r["source"] in ("表2", "表3")]
    names, new_obs, new_entities = [], [], []
    for i in range(1, n + 1):
        name = f"SYNTHETIC_区{i:02d}"
        names.append(name)
        new_entities.append({"entity": name, "name_en": f"SYNTHETIC district {i}", "level": "district",
                             "parent": "", "note": "SYNTHETIC: made by benchmarks/bench_batch.py"})
        for r in base:
            value = float(r["value"]) * rng.uniform(0.3, 3.0)
            value = round(value) if r["unit"] in ("个", "人") else round(value, 2)
            new_obs.append({**r, "entity": name, "value": value, "printed": str(value), "qualifier": "",
                            "also_in": "", "note": "SYNTHETIC"})
    with (target / "observations.csv").open("a", encoding="utf-8", newline="") as fh:
        csv.DictWriter(fh, fieldnames=header).writerows(new_obs)
    with (target / "entities.csv").open(encoding="utf-8", newline="") as fh:
        entity_header = next(csv.reader(fh))
    with (target / "entities.csv").open("a", encoding="utf-8", newline="") as fh:
        csv.DictWriter(fh, fieldnames=entity_header).writerows(
            [{k: e.get(k, "") for k in entity_header} for e in new_entities])
    return names


def run(cmd: list[str]) -> dict:
    """Wall and CPU seconds, peak resident memory of the process tree, exit code and the last lines."""
    proc = psutil.Popen(cmd, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    peak, done = [0], threading.Event()

    def sample():
        while not done.is_set():
            try:
                tree = [proc, *proc.children(recursive=True)]
                peak[0] = max(peak[0], sum(p.memory_info().rss for p in tree if p.is_running()))
            except psutil.Error:
                pass
            time.sleep(0.2)
    sampler = threading.Thread(target=sample, daemon=True)
    before, start = os.times(), time.perf_counter()
    sampler.start()
    output = proc.communicate()[0]
    wall, after = time.perf_counter() - start, os.times()
    done.set()
    cpu = after.children_user + after.children_system - before.children_user - before.children_system
    return {"wall": wall, "cpu": cpu, "peak_mb": peak[0] / 2**20, "code": proc.returncode,
            "tail": "\n".join(output.strip().splitlines()[-4:])}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--districts", type=int, default=20)
    parser.add_argument("--only", action="append", default=[], help="notebooks, as reproduce --only")
    parser.add_argument("--n-samples", type=int, default=200, help="the composite's Monte Carlo samples")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench_batch_") as tmp:
        tmp = Path(tmp)
        names = synthetic_data(tmp / "data", args.districts)
        notebooks = [p for p in sorted((REPO / "notebooks").glob("*.ipynb"))
                     if not args.only or any(p.stem.startswith(o) for o in args.only)]
        tasks = len(names) * len(notebooks)
        base = [sys.executable, "-m", "analysis_utils", "reproduce", "--force", "-p", "data_dir", str(tmp / "data"),
                "-p", "n_samples", str(args.n_samples), "--each", "focus=" + ",".join(names),
                *[f"--only={o}" for o in args.only]]
        configs = {"local pool, 1 worker": ["-j", "1"], "local pool, 2 workers": ["-j", "2"],
                   "Dask LocalCluster, 2 workers": ["--dask", "-j", "2"]}
        results = {}
        for label, extra in configs.items():
            print(f"{label} …", flush=True)
            results[label] = run([*base, "--output", str(tmp / label.replace(" ", "_").replace(",", "")), *extra])
            print(f"  {results[label]['wall']:.1f} s, exit {results[label]['code']}", flush=True)
    one, two, dask = (results[k] for k in configs)
    rate = {k: 60 * tasks / r["wall"] for k, r in results.items()}
    lines = [f"## Run of {date.today().isoformat()}", "",
             f"Machine: {os.cpu_count()} cores, {platform.platform()}, Python {platform.python_version()}; "
             f"load average at the end {os.getloadavg()[0]:.1f}. {len(names)} SYNTHETIC districts × "
             f"{len(notebooks)} notebooks = {tasks} tasks, n_samples {args.n_samples}, --force.", "",
             "| configuration | wall s | tasks/min | CPU s | peak memory MB | exit |", "|---|---:|---:|---:|---:|---:|"]
    lines += [f"| {k} | {r['wall']:.1f} | {rate[k]:.1f} | {r['cpu']:.1f} | {r['peak_mb']:.0f} | {r['code']} |"
              for k, r in results.items()]
    lines += ["", f"Scaling efficiency 1 → 2 workers: {one['wall'] / two['wall'] / 2:.2f} "
              f"(throughput ×{one['wall'] / two['wall']:.2f} on 2 cores).",
              f"Dask against the local pool, 2 workers: wall ×{dask['wall'] / two['wall']:.2f}, "
              f"CPU ×{dask['cpu'] / two['cpu']:.2f}.",
              f"Per task: {one['cpu'] / tasks:.1f} CPU-s on 1 worker; peak memory per worker "
              f"≈ {two['peak_mb'] / 2:.0f} MB (2 workers, their kernels and the client)."]
    text = "\n".join(lines) + "\n"
    print(text)
    for label, r in results.items():
        if r["code"]:
            print(f"{label} exited {r['code']}:\n{r['tail']}")
    if not args.no_write:
        header = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Batch benchmark\n\n"
        RESULTS.write_text(header.rstrip("\n") + "\n\n" + text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
