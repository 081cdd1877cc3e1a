"""Command line: argument parsing only; the work is done by the modules it calls."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from analysis_utils.errors import AnalysisError, DataValidationError, ParameterError


def summarise(dataset, external=None) -> str:
    """The summary `validate` prints for a valid folder: its files and rows, observations, entities, indicators
    and years; then, when the folder has one, its external/ folder (``external``: data.external.ExternalData)."""
    obs = dataset.observations
    files = [r["path"] for r in dataset.descriptor["resources"]]
    rows = sum(len(dataset.tables[r["name"]]) for r in dataset.descriptor["resources"])
    years = sorted(obs["year"].dropna().unique())
    text = (f"{dataset.data_dir}: valid\n"
            f"  files: {len(files)} ({', '.join(files)}), rows: {rows}\n"
            f"  observations: {len(obs)}, entities with observations: {obs['entity'].nunique()}, "
            f"indicators: {obs['indicator'].nunique()}, years: {years[0]}–{years[-1]}")
    if external is not None:
        text += (f"\n  external/: valid, sources: {len(external.sources)}, "
                 f"published figures: {len(external.observations)}")
    return text


PROBLEM_COLUMNS = ("file", "row", "line", "column", "value", "expected", "code")


def write_problems(problems, target: str | Path) -> Path:
    """Every problem as a CSV table (UTF-8 with BOM, for Excel): file, row, line, column, value, expected, code."""
    import csv
    import io

    from analysis_utils.report.writers import write_text

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(PROBLEM_COLUMNS)
    writer.writerows([getattr(p, c) if getattr(p, c) is not None else "" for c in PROBLEM_COLUMNS] for p in problems)
    return write_text(target, "\ufeff" + buffer.getvalue())


def validate_command(data_dir: str | Path | None, show_all: bool = False, report: str | None = None) -> int:
    """`python -m analysis_utils validate [DATA_DIR] [--all] [--report FILE.csv]`: summary and 0, or the
    problems and 1 (the first 50, every one with ``--all``; ``--report`` writes them all to a CSV table)."""
    from analysis_utils.data.external import external_if_any
    from analysis_utils.data.load import load  # here, not at the top: `reproduce` on a cache hit needs no pandas

    try:
        dataset = load(data_dir)
        external = external_if_any(dataset)  # the published figures 06 checks against
    except DataValidationError as exc:
        if report:
            print(f"problems written to {write_problems(exc.problems, report)}", file=sys.stderr)
        print(exc.render(None if show_all else 50), file=sys.stderr)
        return 1
    except ParameterError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    print(summarise(dataset, external))
    return 0


def _cmd_validate(args: argparse.Namespace) -> int:
    return validate_command(args.data_dir, args.all, args.report)


def _cmd_reproduce(args: argparse.Namespace) -> int:
    from analysis_utils.run.pipeline import reproduce_command

    return reproduce_command(args)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m analysis_utils", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    p_val = sub.add_parser("validate", help="validate a data directory and print a summary")
    p_val.add_argument("data_dir", nargs="?", default=None, help="data directory (default: the packaged data/)")
    p_val.add_argument("--all", action="store_true", help="list every problem (default: the first 50)")
    p_val.add_argument("--report", metavar="FILE.csv", default=None, help="write every problem to a CSV table")
    p_val.set_defaults(func=_cmd_validate)

    p_rep = sub.add_parser("reproduce", help="execute every notebook and build the site")
    p_rep.add_argument("--output", "-o", default=None, help="output folder (default: build/)")
    p_rep.add_argument("-p", "--parameter", nargs=2, action="append", default=[], metavar=("NAME", "VALUE"),
                       help="notebook parameter, papermill-style type guessing")
    p_rep.add_argument("-f", "--parameters-file", default=None, help="YAML file of parameters")
    p_rep.add_argument("--jobs", "-j", type=int, default=None, help="notebooks run at once (default: cores)")
    p_rep.add_argument("--force", action="store_true", help="ignore the cache and re-run every notebook")
    p_rep.add_argument("--list", action="store_true", help="list notebooks and their parameters")
    p_rep.add_argument("--only", action="append", default=[], help="run notebooks whose name starts with this")
    p_rep.add_argument("--cell-timeout", type=int, default=600, help="seconds per cell")
    # Hidden: lets tests run the fixture notebooks through the real CLI.
    p_rep.add_argument("--notebooks-dir", default=None, help=argparse.SUPPRESS)
    p_rep.set_defaults(func=_cmd_reproduce)
    return parser


PAIR_OPTIONS = ("-p", "--parameter")


def split_pairs(argv: list[str]) -> tuple[list[str], list[list[str]]]:
    """Take every ``-p NAME VALUE`` out of ``argv`` before argparse sees it: argparse reads a value that
    starts with '-' (``-p scenario_growth -5e-2``, ``-p name -x``) as an option. ParameterError when a
    ``-p`` lacks its two words. Everything after ``--`` is left alone."""
    rest, pairs, i = [], [], 0
    while i < len(argv):
        token = argv[i]
        if token == "--":
            rest += argv[i:]
            break
        if token in PAIR_OPTIONS:
            if len(argv) - i < 3:
                raise ParameterError(token, " ".join(argv[i + 1:]), "two words after -p: NAME VALUE", "missing-value")
            pairs.append([argv[i + 1], argv[i + 2]])
            i += 3
            continue
        rest.append(token)
        i += 1
    return rest, pairs


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        argv, pairs = split_pairs(argv)
    except ParameterError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    args = build_parser().parse_args(argv)
    from analysis_utils.paths import REPO_ROOT, foreign_checkout

    other = foreign_checkout()
    if other is not None:
        print(f"error: this is the checkout {other}, but analysis_utils runs from {REPO_ROOT} (its .venv "
              f"belongs there): in {other}, run rm -rf .venv && make venv", file=sys.stderr)
        return 2
    if pairs:
        args.parameter = [*getattr(args, "parameter", []), *pairs]
    try:
        return args.func(args)
    except KeyboardInterrupt:  # before or after the run's own handling (which restores the last good build)
        print("interrupted: nothing was changed; run again to continue", file=sys.stderr)
        return 130
    except AnalysisError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
