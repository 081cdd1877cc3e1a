"""Sampled mutation testing: run a random sample of one sub-package's mutants and estimate its score.

mutmut 3 generates every mutant (``mutmut run`` with no names, or an earlier run); this script reads the
mutant names from ``mutants/**/*.py.meta``, draws ``--n`` of one sub-package with a fixed seed, runs them
with ``mutmut run NAME …`` and reports killed / (killed + survived) with a Wilson 95 % interval.
Mutant sampling is the classic way to estimate a score when the full run does not fit (Wong & Mathur 1995;
Zhang et al., "Is operator-based mutant selection superior to random mutant selection?", ICSE 2010).

usage: python benchmarks/mutation_sample.py composite --n 300 [--seed 1] [--mutants mutants]
"""
from __future__ import annotations

import argparse
import json
import math
import random
import subprocess
import sys
from pathlib import Path


def mutant_names(mutants: Path, package: str) -> list[str]:
    names = []
    for meta in sorted((mutants / "src" / "analysis_utils" / package).glob("*.py.meta")):
        names += sorted(json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"])
    return names


def results(mutants: Path, names: set[str]) -> dict[str, int | None]:
    out = {}
    for meta in (mutants / "src" / "analysis_utils").glob("*/*.py.meta"):
        for name, code in json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"].items():
            if name in names:
                out[name] = code
    return out


def wilson(k: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """Wilson score interval of a proportion k/n (Wilson 1927)."""
    if n == 0:
        return 0.0, 1.0
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return centre - half, centre + half


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("package")
    parser.add_argument("--n", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--mutants", default="mutants")
    parser.add_argument("--report-only", action="store_true")
    args = parser.parse_args()
    mutants = Path(args.mutants)
    every = mutant_names(mutants, args.package)
    sample = sorted(random.Random(args.seed).sample(every, min(args.n, len(every))))
    if not args.report_only:
        subprocess.run([str(Path(sys.executable).parent / "mutmut"), "run", *sample], check=False)
    codes = results(mutants, set(sample))
    # mutmut 3.8's exit codes (mutmut/stats.py): 1, 3 killed; 0 survived; 5, 33 no tests; timeouts
    # (24, -24, 36, 152, 255) count as killed, as mutmut's own score does; None not run; 2 interrupted
    killed_codes, timeout_codes = {1, 3}, {24, -24, 36, 152, 255}
    survived = sorted(n for n, c in codes.items() if c == 0)
    no_tests = sorted(n for n, c in codes.items() if c in (5, 33))
    killed = sum(1 for c in codes.values() if c in killed_codes)
    timeouts = sum(1 for c in codes.values() if c in timeout_codes)
    done = killed + timeouts + len(survived) + len(no_tests)
    other = len(sample) - done
    low, high = wilson(killed + timeouts, done)
    print(f"{args.package}: {len(every)} mutants, sample {len(sample)} (seed {args.seed}), judged {done} "
          f"(not run or other: {other}): killed {killed}, timeout {timeouts}, survived {len(survived)}, "
          f"no tests {len(no_tests)}; score {(killed + timeouts) / max(done, 1):.1%} (95 % CI {low:.1%}–{high:.1%})")
    for name in survived + no_tests:
        print("  survived" if name in survived else "  no tests", name)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
