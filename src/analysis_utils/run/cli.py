"""Command line: ``python -m analysis_utils validate|reproduce``. Parses and checks options, then calls the
modules that do the work; the executing modules (papermill, pandas…) load only once something must run."""
from __future__ import annotations

import argparse
import sys

from analysis_utils.errors import AnalysisError, DataValidationError, ParameterError


def positive(text: str) -> int:
    """An option that must be a whole number above 0 (``--jobs``, ``--cell-timeout``)."""
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number above 0, got {text!r}")
    return int(text)


def readiness_warnings(dataset) -> list[str]:
    """One line per district the report does not describe (a user's own) for each thing
    a notebook will lack in the report's year (composite.indicators.readiness): 表2's indicators it will print as
    '-', the resident population 03 and 05 divide by, the index's coverage, or the index's values that 05 imputes to
    rank it. [] when nothing is lacking."""
    from analysis_utils.composite.indicators import readiness
    from analysis_utils.data.load import REPORT_YEAR

    report = set(dataset.report_view().entities["entity"])
    own = [e for e in dataset.districts() if e not in report]  # districts the report does not describe
    out = []
    for entity in own:
        r = readiness(dataset, entity, REPORT_YEAR)
        if not r["population"]:
            out.append(f"{entity}: no resident_population in {REPORT_YEAR}: notebooks 03 and 05 divide by it, so its "
                       "per-resident values will be missing ('-') and it cannot be ranked; add it")
        if r["index_values"] < r["index_needed"]:
            out.append(f"{entity}: {r['index_values']} of the composite index's indicators in {REPORT_YEAR} (ranking "
                       f"needs {r['index_needed']}; missing: {', '.join(r['index_missing'])}): notebook 05 shows it, "
                       "not ranked")
        elif r["index_missing"] and r["population"]:  # ranked, on values the missing-value rule fills in
            out.append(f"{entity}: notebook 05 ranks it with {len(r['index_missing'])} of the composite index's "
                       f"indicators imputed by the rule of its parameter missing ({', '.join(r['index_missing'])}; "
                       f"{REPORT_YEAR})")
        if r["table2_missing"]:
            out.append(f"{entity}: Table 2 will print '-' for {', '.join(r['table2_missing'])} ({REPORT_YEAR})")
    return out


def replaced_lines(dataset) -> str:
    """The lines of `validate`'s summary that list what an additions folder's replacements.csv replaces (data.load.
    load_additions: ``tables['replaced']``, the report's rows): a count line naming the file, then one line per
    number, in the order of replacements.csv: entity, indicator, year, the report's printed text → the replacement's value and
    unit, and its source_id. '' when nothing is replaced."""
    import pandas as pd

    from analysis_utils.analysis.tables import format_number

    replaced = dataset.tables.get("replaced")
    if replaced is None or replaced.empty:
        return ""
    path = next((r["path"] for r in dataset.descriptor["additions_resources"] if r["name"] == "replacements"),
                "replacements.csv")
    lines = [f"\n  {path} replaces {len(replaced)} of the report's numbers:"]
    for old in replaced.itertuples():
        new = dataset.observation(old.entity, old.indicator, old.year)
        value = format_number(new["value"]) + ("–" + format_number(new["value_high"]) if pd.notna(new["value_high"])
                                               else "")
        lines.append(f"\n    {old.entity} {old.indicator} {old.year}: the report's {old.printed!r} → {value} "
                     f"{new['unit']} (source_id {new['source_id']})")
    return "".join(lines)


def summarise(dataset, external=None, unchecked: bool = False) -> str:
    """What `validate` prints for a valid folder: its counts (data.load.Dataset.summary), how many printed texts
    agree with their values and how many were not checked (data.printed: a phrase with no single number for its
    row), and its external/ folder (data.external.ExternalData) when it has one; for an additions folder, the
    files it adds and each number its replacements.csv replaces (replaced_lines). ``unchecked``: then one line per
    observation not checked, with why (``validate --unchecked``)."""
    from analysis_utils.data.external import added_external
    from analysis_utils.data.printed import printed_checks

    n = dataset.summary()
    text = (f"{dataset.data_dir}: valid\n  files: {len(n['files'])} ({', '.join(n['files'])}), rows: {n['rows']}\n"
            f"  observations: {n['observations']}, entities with observations: {n['entities']}, "
            f"indicators: {n['indicators']}, years: {n['years'][0]}–{n['years'][-1]}")
    if dataset.descriptor.get("additions"):
        text += "\n  additions to the packaged data, read with it: " + ", ".join(
            r["path"] for r in dataset.descriptor["additions_resources"])
        text += replaced_lines(dataset)
    checked = [("observations.csv", printed_checks(dataset.observations, dataset.units_table, dataset.qualifier_table))]
    if external is not None:
        checked.append(("external/observations.csv",
                        printed_checks(external.observations, dataset.units_table, dataset.qualifier_table)))
    counts = [f"{frame['status'].eq('agrees').sum()} agree with their values, "
              f"{frame['status'].eq('unchecked').sum()} not checked" for _, frame in checked]
    counts[1:] = [f"external/: {c.replace(' with their values', '')}" for c in counts[1:]]
    hint = "" if unchecked or not any(f["status"].eq("unchecked").any() for _, f in checked) else \
        " (a phrase with no single number to read: validate --unchecked lists them)"
    text += f"\n  printed texts: {'; '.join(counts)}{hint}"
    if external is not None:
        text += f"\n  external/: valid, sources: {len(external.sources)}, published figures: {len(external.observations)}"
        added = added_external(dataset)
        if added is not None:  # the user's own external/ is read with the packaged one
            files = sorted(p.name for p in added.glob("*.csv"))
            text += f" (with the additions' {', '.join(f'external/{f}' for f in files)})"
    if unchecked:
        for name, frame in checked:
            for r in frame[frame["status"] == "unchecked"].itertuples():
                row, line = r.row, r.line
                if name == "observations.csv" and dataset.origins is not None:  # additions: the row's own file
                    name_, row, line = dataset.origin("observations", r.row)
                else:
                    name_ = name
                text += (f"\n  not checked: {name_}, row {row} (line {line}), {r.entity} {r.indicator} {r.year}: "
                         f"printed {r.printed!r} in {r.unit}: {r.why}")
    return text


def validate_command(data_dir=None, show_all: bool = False, report: str | None = None, unchecked: bool = False) -> int:
    """`validate [DATA_DIR] [--all] [--report FILE.csv] [--unchecked]`: the summary and 0, or the problems (the
    first 50, every one with ``--all``; ``--report`` writes them all to a CSV table, UTF-8 with BOM) and 2, the
    code ``reproduce`` gives bad data (also for a folder it cannot read as one, a ParameterError). A column no
    schema names is a ``warning: …`` line on stderr (data.load.read_table), not a problem: still 0.
    ``--unchecked`` adds to the summary the observations whose printed text was not read (data.printed)."""
    from analysis_utils.data.external import load_checked
    from analysis_utils.data.validate import problems_csv
    from analysis_utils.report.writers import write_text

    try:
        dataset, external, notes = load_checked(data_dir)
    except DataValidationError as exc:
        if report:
            written = write_text(report, chr(0xFEFF) + problems_csv(exc.problems))  # BOM: Excel reads UTF-8
            print(f"problems written to {written}", file=sys.stderr)
        print(exc.render(None if show_all else 50), file=sys.stderr)
        return 2
    except ParameterError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    for note in [*notes, *readiness_warnings(dataset)]:
        print(f"warning: {note}", file=sys.stderr)
    print(summarise(dataset, external, unchecked))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m analysis_utils", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    val = sub.add_parser("validate", help="validate a data folder and print a summary")
    val.add_argument("data_dir", nargs="?", default=None, help="data folder (default: the packaged data/)")
    val.add_argument("--all", action="store_true", help="list every problem (default: the first 50)")
    val.add_argument("--report", metavar="FILE.csv", default=None, help="write every problem to a CSV table")
    val.add_argument("--unchecked", action="store_true",
                     help="list the observations whose printed text shows no single number to check the value against")
    new = sub.add_parser("new-district", help="start a folder of your own data for one district (read with the "
                                                "packaged data)")
    new.add_argument("entity", help="the district's name as your source writes it (e.g. 江汉区)")
    new.add_argument("--name-en", required=True, help="its English name (e.g. 'Jianghan District')")
    new.add_argument("--source-id", required=True, help="a short id for your source (e.g. jianghan_bulletin_2015)")
    new.add_argument("--into", required=True, help="the folder to create (it must not exist)")
    new.add_argument("--parent", default="", help="the city it belongs to, as in entities.csv (e.g. 武汉市)")
    new.add_argument("--year", type=int, default=None, help="the year of its numbers (default: the report's, 2015)")
    rep = sub.add_parser("reproduce", help="run the notebooks and build the site")
    rep.add_argument("--output", "-o", default=None, help="output folder (default: build/)")
    rep.add_argument("-p", "--parameter", nargs=2, action="append", default=[], metavar=("NAME", "VALUE"),
                     help="notebook parameter, typed as papermill types -p")
    rep.add_argument("-f", "--parameters-file", default=None, help="YAML file of parameters")
    rep.add_argument("--each", action="append", default=[], metavar="NAME[=a,b]",
                     help="a batch: one build per value (focus: every district of the data)")
    rep.add_argument("--jobs", "-j", type=positive, default=None, help="notebooks run at once (default: cores)")
    rep.add_argument("--dask", action="store_true", help="run on a Dask LocalCluster (prints its dashboard link)")
    rep.add_argument("--scheduler", default=None, metavar="tcp://HOST:8786", help="run on a running Dask cluster")
    rep.add_argument("--force", action="store_true", help="ignore the cache and re-run every notebook")
    rep.add_argument("--list", action="store_true", help="list the notebooks and their parameters")
    rep.add_argument("--only", action="extend", default=[],
                     type=lambda v: [p.strip() for p in v.split(",") if p.strip()],
                     help="run the notebooks whose name starts with this (several: --only 02,03 or --only 02 "
                          "--only 03)")
    rep.add_argument("--cell-timeout", type=positive, default=600, help="seconds per cell (above 0)")
    rep.add_argument("--notebooks-dir", default=None, help=argparse.SUPPRESS)  # tests: fixture notebooks
    return parser


def padded(text: str, width: int) -> str:
    """``text`` padded with spaces to ``width`` columns of a terminal, where a CJK character takes two (East Asian
    Width W or F, unicodedata), so that the column after a default such as "武昌区" lines up."""
    import unicodedata

    return text + " " * (width - sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text))


def split_pairs(argv: list[str]) -> tuple[list[str], list[list[str]]]:
    """Take every ``-p NAME VALUE`` out of ``argv`` before argparse, which reads a value starting with '-'
    (``-p scenario_growth -5e-2``) as an option. ParameterError when a ``-p`` lacks its two words."""
    rest, pairs, i = [], [], 0
    while i < len(argv):
        if argv[i] == "--":
            rest += argv[i:]
            break
        if argv[i] in ("-p", "--parameter"):
            if len(argv) - i < 3:
                raise ParameterError(argv[i], " ".join(argv[i + 1:]), "two words after -p: NAME VALUE", "missing-value")
            pairs.append(argv[i + 1:i + 3])
            i += 3
            continue
        rest.append(argv[i])
        i += 1
    return rest, pairs


def new_district_command(args) -> int:
    """`new-district ENTITY --name-en … --source-id … --into FOLDER`: write an additions folder (data.additions)
    with a row to fill for every indicator a notebook reads for a district that it can have (data.additions.offered:
    the talent plans of its own city and province, none of another's), say what to do next, and return 0;
    a bad argument is one line and 2."""
    from analysis_utils.analysis.tables import TABLE_2_COLUMNS, TABLE_3_COLUMNS, TABLE_3_PROGRAMMES
    from analysis_utils.composite.indicators import INDICATORS
    from analysis_utils.data import additions
    from analysis_utils.data.load import REPORT_YEAR, load

    wanted = list(dict.fromkeys([*TABLE_2_COLUMNS, *INDICATORS, *TABLE_3_COLUMNS, *TABLE_3_PROGRAMMES]))
    try:
        data = load()
        files = additions.template(data, args.entity, args.name_en, args.source_id, args.year or REPORT_YEAR,
                                   args.parent, additions.offered(data, args.parent, wanted))
        folder = additions.write(args.into, files)
    except ParameterError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"{folder}: a folder of your own data for {args.entity}, read together with the packaged data.\n"
          f"  1. sources.csv: cite your source (publisher, publisher_en, title, a url or a citation, dates, kind, "
          f"scope, scope_zh; leave tier empty: your own source).\n  2. observations.csv: for each number you have, write value and printed (as your "
          f"source prints it), empty the qualifier 'missing', and say where in the source (source).\n"
          f"  3. make validate DATA={folder}   (lists what is still missing, per notebook)\n"
          f"  4. make reproduce OUTPUT=build-{args.entity} ARGS=\"-p data_dir {folder} -p focus {args.entity}\"")
    return 0


def reproduce_command(args) -> int:
    """`reproduce …`: 0 when every notebook passed, 1 when one failed, 2 when the disk refused the index, 130 on
    Ctrl-C."""
    from analysis_utils import paths
    from analysis_utils.run import params, runner

    folder = args.notebooks_dir or paths.NOTEBOOKS_DIR
    if args.list:
        for nb in sorted(paths.Path(folder).glob("*.ipynb")):
            print(f"{nb.stem}  ({nb})")
            for p in params.declared(nb).values():
                print(f"    {p['name']:<16} {p['inferred_type_name'] or '?':<10} {padded(p['default'], 14)} {p['help']}")
        return 0
    values, raw = params.from_command_line(args.parameter, args.parameters_file)
    try:
        report = runner.reproduce(folder, args.output, values, raw, jobs=args.jobs, force=args.force,
                                  only=args.only, cell_timeout=args.cell_timeout, each=args.each, dask=args.dask,
                                  scheduler=args.scheduler, interactive=sys.stderr.isatty())
    except KeyboardInterrupt:
        print("interrupted: finished notebooks are published, the others keep their last good outputs; "
              "run again to continue", file=sys.stderr)
        return 130
    for o in report.failures:
        print(f"FAILED {o.task.build + '/' if o.task.build else ''}{o.error}", file=sys.stderr)
    for problem in report.problems:
        print(f"error: {problem}", file=sys.stderr)
    if report.indexes:
        print(f"site: {report.output_dir / 'site' / 'index.html'}")
    if report.failures:
        print(f"{len(report.failures)} of {len(report.outcomes)} notebook runs failed", file=sys.stderr)
    return 2 if report.problems else 1 if report.failures else 0


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
    args.parameter = [*getattr(args, "parameter", []), *pairs]
    try:
        if args.command == "validate":
            return validate_command(args.data_dir, args.all, args.report, args.unchecked)
        if args.command == "new-district":
            return new_district_command(args)
        return reproduce_command(args)
    except KeyboardInterrupt:
        print("interrupted before anything ran: nothing was changed", file=sys.stderr)
        return 130
    except AnalysisError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
