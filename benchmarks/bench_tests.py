"""Benchmark of the test suite (issue 21): wall time of `make test-unit` and of `make test` on this machine.

Run:  .venv/bin/python benchmarks/bench_tests.py                  # both, appends a row to RESULTS_speed.md
      .venv/bin/python benchmarks/bench_tests.py --only unit --no-write
      .venv/bin/python benchmarks/bench_tests.py --runs 3        # each target three times (the fastest counts)

Targets: `make test-unit` under 30 s, `make test` under 3 minutes, on a quiet 2-core machine. The speed is
measured here, never by a timed assertion inside a test. Each target runs through make (`make -s test-unit`,
`make -s test`, with REQUIRE_BROWSER=1 as CI runs it), so the options measured are the Makefile's; ARGS may add
pytest options (e.g. `--durations=30`).

Prints per run: wall seconds, CPU seconds of the whole process tree (pytest, its workers, kernels, Chromium,
JupyterLab: user + sys of the finished children), the load average before and after (other processes on the
machine stretch the wall time, hardly the CPU time), and pytest's last line. Exit status: 1 if a run failed.
"""
from __future__ import annotations

import argparse
import os
import platform
import resource
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "RESULTS_speed.md"
TARGETS = {"unit": ("test-unit", 30.0), "full": ("test", 180.0)}


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(target: str, args: str) -> dict:
    """One `make -s <target>`: wall and CPU seconds, load averages, pytest's summary line, exit status."""
    load_before = os.getloadavg()
    cpu, start = children_cpu(), time.perf_counter()
    proc = subprocess.run(["make", "-s", "-C", str(REPO), target, f"ARGS=-q -p no:cacheprovider {args}".strip()],
                          env={**os.environ, "REQUIRE_BROWSER": os.environ.get("REQUIRE_BROWSER", "1")},
                          capture_output=True, text=True, check=False)
    wall, cpu = time.perf_counter() - start, children_cpu() - cpu
    lines = [line for line in proc.stdout.splitlines() if line.strip()]
    summary = next((line.strip("= ") for line in reversed(lines) if " in " in line and ("passed" in line
                                                                                       or "failed" in line)), "?")
    return {"wall": wall, "cpu": cpu, "load": (load_before[0], os.getloadavg()[0]), "summary": summary,
            "returncode": proc.returncode, "tail": "\n".join(lines[-30:])}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", choices=list(TARGETS), help="one target (default: unit, then full)")
    parser.add_argument("--runs", type=int, default=1, help="runs of each target (default 1)")
    parser.add_argument("--args", default="", help="more pytest options, given to make as ARGS")
    parser.add_argument("--no-write", action="store_true", help=f"print only; do not append to {RESULTS.name}")
    opts = parser.parse_args(argv)
    print(f"{platform.node()}: {os.cpu_count()} CPUs, Python {platform.python_version()}, "
          f"load average {os.getloadavg()[0]:.2f}", flush=True)
    rows, failed = [], False
    for name in ([opts.only] if opts.only else list(TARGETS)):
        target, goal = TARGETS[name]
        for i in range(opts.runs):
            r = run(target, opts.args)
            failed |= r["returncode"] != 0
            verdict = "under" if r["wall"] < goal else "OVER"
            print(f"make {target} [{i + 1}/{opts.runs}]: {r['wall']:.1f} s wall ({verdict} the {goal:.0f} s target), "
                  f"{r['cpu']:.1f} CPU s, load {r['load'][0]:.2f} -> {r['load'][1]:.2f}: {r['summary']}", flush=True)
            if r["returncode"]:
                print(r["tail"], file=sys.stderr)
            rows.append((target, r))
    if not opts.no_write:
        with RESULTS.open("a", encoding="utf-8") as fh:
            fh.write(f"\n`benchmarks/bench_tests.py` {date.today().isoformat()} ({os.cpu_count()} CPUs):\n\n"
                     "| target | wall s | CPU s | load before → after | result |\n|---|---:|---:|---|---|\n")
            for target, r in rows:
                fh.write(f"| make {target} | {r['wall']:.1f} | {r['cpu']:.1f} | {r['load'][0]:.2f} → "
                         f"{r['load'][1]:.2f} | {r['summary']} |\n")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
