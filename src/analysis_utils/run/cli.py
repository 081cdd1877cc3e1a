"""Command line: argument parsing only; the work is done by the modules it calls."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from analysis_utils.errors import AnalysisError, DataValidationError, ParameterError


def summarise(dataset) -> str:
    obs = dataset.observations
    files = [r["path"] for r in dataset.descriptor["resources"]]
    rows = sum(len(dataset.tables[r["name"]]) for r in dataset.descriptor["resources"])
    years = sorted(obs["year"].dropna().unique())
    return (f"{dataset.data_dir}: valid\n"
            f"  files: {len(files)} ({', '.join(files)}), rows: {rows}\n"
            f"  observations: {len(obs)}, entities: {obs['entity'].nunique()}, "
            f"indicators: {obs['indicator'].nunique()}, years: {years[0]}–{years[-1]}")


def validate_command(data_dir: str | Path | None) -> int:
    """`python -m analysis_utils validate [DATA_DIR]`: summary and 0, or every problem and 1."""
    from analysis_utils.data.load import load  # here, not at the top: `reproduce` on a cache hit needs no pandas

    try:
        dataset = load(data_dir)
    except (DataValidationError, ParameterError) as exc:
        print(str(exc), file=sys.stderr)
        return 1
    print(summarise(dataset))
    return 0


def _cmd_validate(args: argparse.Namespace) -> int:
    return validate_command(args.data_dir)


def _cmd_reproduce(args: argparse.Namespace) -> int:
    from analysis_utils.run.pipeline import reproduce_command

    return reproduce_command(args)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m analysis_utils", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    p_val = sub.add_parser("validate", help="validate a data directory and print a summary")
    p_val.add_argument("data_dir", nargs="?", default=None, help="data directory (default: the packaged data/)")
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


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except AnalysisError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
