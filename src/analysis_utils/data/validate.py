"""Run every rule of datapackage.json plus the domain rules, lazily: collect all problems, then report once.

Rules follow the Frictionless Table Schema (types, required, enum, pattern, bounds, primaryKey,
foreignKeys); problem codes follow frictionless' (type-error, constraint-error, unique-error, …).
Domain rules add what a generic schema cannot say: units of the right dimension, non-negative
whole counts, a value present exactly when the qualifier says so, a value that agrees with the number its
printed text shows (data.printed, code printed-mismatch).
"""
from __future__ import annotations

import csv
import difflib
import io
import re
import unicodedata
from pathlib import Path

import pandas as pd

from analysis_utils.checks import TYPE_WORDS
from analysis_utils.data.printed import printed_problems
from analysis_utils.data.qualifiers import bound_problems, kind_of
from analysis_utils.errors import DataProblem

TRUE, FALSE = ("true", "True", "TRUE", "1"), ("false", "False", "FALSE", "0")
# Dimensions whose values cannot be negative; the first four must also be whole numbers in their base unit.
WHOLE_DIMENSIONS = ("count", "persons", "person_times", "rank")
NON_NEGATIVE_DIMENSIONS = WHOLE_DIMENSIONS + ("count_per_population", "area", "currency_cny")


# Characters no output can hold: C0/C1 control characters (a vertical tab, a form feed pasted from a
# spreadsheet) are refused by Excel's XML (openpyxl's IllegalCharacterError) and invisible in CSV and HTML;
# tab, line feed and carriage return are ordinary text. U+FFFE/U+FFFF are not characters at all in XML.
ILLEGAL_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
ASCII_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?", re.ASCII)
ASCII_INTEGER = re.compile(r"[+-]?\d+", re.ASCII)
# A place in the report: 表1–表5, or a section path (part 一–五, sub-section (一)–(六), paragraph number).
REPORT_LOCATION = re.compile(r"表[1-5]|[一二三四五]((\([一二三四五六]\))?[0-9]*)?")


def _parse(text: str, field_type: str):
    """The typed value of a cell, or raise ValueError.

    Numbers: ASCII digits only, one policy for every numeric field (integer and number). Python's
    ``int()``/``float()`` would accept full-width ``２０１５``, Arabic-Indic digits and ``1_000``; we
    refuse them rather than normalise (NFKC), because the CSV is the record other tools read too:
    Excel, R and frictionless read ``２０１５`` as text, so the same file would mean different things
    to different readers; a clear error with the ASCII form fixes the file once for all of them.
    """
    if field_type in ("number", "integer") and not (ASCII_INTEGER if field_type == "integer"
                                                     else ASCII_NUMBER).fullmatch(text):
        raise ValueError(text)
    if field_type == "number":
        value = float(text)
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError(text)
        return value
    if field_type == "integer":
        return int(text)
    if field_type == "boolean":
        if text in TRUE:
            return True
        if text in FALSE:
            return False
        raise ValueError(text)
    return text




def _check_cells(table, schema) -> list[DataProblem]:
    problems = []
    fields = schema["fields"]
    present = [f for f in fields if f["name"] in table.columns]
    for f in fields:
        if f["name"] not in table.columns:
            problems.append(DataProblem(str(table.path), None, f["name"], None,
                                        f"a column '{f['name']}'; columns in file: {table.columns}", "missing-column"))
    for i, (row, line) in enumerate(zip(table.rows, table.lines), start=1):
        if int(row["__ncells__"]) != len(table.columns):
            problems.append(DataProblem(str(table.path), i, None, f"{row['__ncells__']} cells",
                                        f"{len(table.columns)} cells as in the header", "extra-cell", line))
        for f in present:
            text, cons = row.get(f["name"], ""), f.get("constraints", {})
            where = (str(table.path), i, f["name"])
            if text == "":
                if cons.get("required"):
                    problems.append(DataProblem(*where, text, f"a value ({TYPE_WORDS[f['type']]})", "required-error", line))
                continue
            if ILLEGAL_TEXT.search(text):
                bad = ", ".join(sorted({f"U+{ord(c):04X}" for c in ILLEGAL_TEXT.findall(text)}))
                problems.append(DataProblem(*where, text, f"text without control characters (found {bad}); "
                                            "no table, workbook or page can hold them", "character-error", line))
                continue
            try:
                value = _parse(text, f["type"])
            except ValueError:
                problems.append(DataProblem(*where, text, _type_words(text, f["type"]), "type-error", line))
                continue
            problems += _check_constraints(where, value, cons, line)
    return problems


def _type_words(text: str, field_type: str) -> str:
    """What a cell of this type should hold; for digits other than ASCII, the ASCII spelling to use."""
    words = TYPE_WORDS[field_type]
    if field_type in ("number", "integer") and not text.isascii():
        ascii_form = unicodedata.normalize("NFKC", text)
        try:
            float(ascii_form)
        except ValueError:
            return words + " in ASCII digits"
        return f"{words} in ASCII digits ({ascii_form!r}): full-width or other digits are not read as numbers"
    return words + (" (no _ separators)" if "_" in text and field_type in ("number", "integer") else "")


def _check_constraints(where, value, cons, line) -> list[DataProblem]:
    out = []
    if "enum" in cons and value not in cons["enum"]:
        out.append(DataProblem(*where, value, f"one of {cons['enum']}", "constraint-error", line))
    if "pattern" in cons and not re.fullmatch(cons["pattern"], str(value)):
        out.append(DataProblem(*where, value, f"text matching /{cons['pattern']}/", "constraint-error", line))
    if "minimum" in cons and value < cons["minimum"]:
        out.append(DataProblem(*where, value, f"at least {cons['minimum']}", "constraint-error", line))
    if "maximum" in cons and value > cons["maximum"]:
        out.append(DataProblem(*where, value, f"at most {cons['maximum']}", "constraint-error", line))
    if "exclusiveMinimum" in cons and value <= cons["exclusiveMinimum"]:
        out.append(DataProblem(*where, value, f"more than {cons['exclusiveMinimum']}", "constraint-error", line))
    return out


def _typed_or_text(text: str, field_type: str):
    try:
        return _parse(text, field_type) if text != "" else None
    except ValueError:
        return text


def _check_primary_key(table, schema) -> list[DataProblem]:
    """Duplicate keys, compared after typing (``2015`` and ``2015.0`` in a number field are one key)."""
    key = schema.get("primaryKey", [])
    if not key or any(k not in table.columns for k in key):
        return []
    types = {f["name"]: f["type"] for f in schema["fields"]}
    seen, problems = {}, []
    for i, (row, line) in enumerate(zip(table.rows, table.lines), start=1):
        value = tuple(row.get(k, "") for k in key)
        typed = tuple(_typed_or_text(v, types.get(k, "string")) for k, v in zip(key, value))
        if typed in seen:
            problems.append(DataProblem(str(table.path), i, "+".join(key), "/".join(value),
                                        f"a unique key; row {seen[typed]} has the same", "unique-error", line))
        else:
            seen[typed] = i
    return problems


def _check_foreign_keys(raw, name, schema) -> list[DataProblem]:
    table, problems = raw[name], []
    for fk in schema.get("foreignKeys", []):
        column, target = fk["fields"][0], fk["reference"]
        target_name = target["resource"] or name
        if target_name not in raw or column not in table.columns:
            continue
        known = {r.get(target["fields"][0], "") for r in raw[target_name].rows}
        for i, (row, line) in enumerate(zip(table.rows, table.lines), start=1):
            value = row.get(column, "")
            if value == "" and target_name != "qualifiers":
                continue
            if value not in known:
                sample = ", ".join(sorted(known - {""})[:10])
                listed = f"e.g. {sample}" if sample else "which lists none"
                # a long list is cut: a typo's near match first (difflib's ratio: 实验区 for 试验区 is 0.67)
                near = difflib.get_close_matches(value, sorted(known - {""}), n=3, cutoff=0.6)
                listed = f"closest: {', '.join(near)}; {listed}" if near and len(known - {""}) > 10 else listed
                problems.append(DataProblem(str(table.path), i, column, value,
                                            f"a value described in {raw[target_name].path.name} ({listed})",
                                            "foreign-key-error", line))
    return problems


def _check_observations(raw) -> list[DataProblem]:
    """Domain rules that need several files at once."""
    if not {"observations", "units", "indicators"} <= raw.keys():
        return []
    obs = raw["observations"]
    dims = {r["unit"]: r.get("dimension", "") for r in raw["units"].rows}
    factors = {r["unit"]: r.get("factor", "") for r in raw["units"].rows}
    ind_unit = {r["indicator"]: r.get("unit", "") for r in raw["indicators"].rows}
    kinds = {r.get("qualifier", ""): kind_of(r.get("lower", ""), r.get("upper", ""))
             for r in (raw["qualifiers"].rows if "qualifiers" in raw else [])}
    problems = []
    for i, (row, line) in enumerate(zip(obs.rows, obs.lines), start=1):
        path, unit = str(obs.path), row.get("unit", "")
        qual = kinds.get(row.get("qualifier", ""), row.get("qualifier", ""))  # its class: missing, range, …
        value, high = _number_or_none(row.get("value", "")), _number_or_none(row.get("value_high", ""))
        if (row.get("value", "") == "") != (qual == "missing"):
            problems.append(DataProblem(path, i, "value", row.get("value", ""),
                                        "an empty value exactly when the qualifier's class is 'missing' (no bound in qualifiers.csv)", "constraint-error", line))
        if (row.get("value_high", "") != "") != (qual == "range"):
            problems.append(DataProblem(path, i, "value_high", row.get("value_high", ""),
                                        "a value_high exactly when the qualifier's class is 'range' (upper bound value_high)", "constraint-error", line))
        elif qual == "range" and value is not None and high is not None and high <= value:
            problems.append(DataProblem(path, i, "value_high", high, f"more than value {value:g}", "constraint-error", line))
        indicator = row.get("indicator", "")
        if unit in dims and ind_unit.get(indicator) in dims and dims[unit] != dims[ind_unit[indicator]]:
            problems.append(DataProblem(path, i, "unit", unit,
                                        f"a unit of dimension '{dims[ind_unit[indicator]]}' like {ind_unit[indicator]}"
                                        f" (indicator {indicator})", "unit-error", line))
        dim = dims.get(unit)
        for column, number in (("value", value), ("value_high", high)):
            if number is None or dim is None:
                continue
            if dim in NON_NEGATIVE_DIMENSIONS and number < 0:
                problems.append(DataProblem(path, i, column, number, f"a non-negative number ({dim} in {unit})",
                                            "constraint-error", line))
            base = number * (_number_or_none(factors.get(unit, "")) or 1)
            if dim in WHOLE_DIMENSIONS and abs(base - round(base)) > 1e-6:
                problems.append(DataProblem(path, i, column, number, f"a whole number of {unit} ({dim})",
                                            "constraint-error", line))
        if "source_id" in obs.columns and not row.get("source_id") and row.get("source") \
                and not REPORT_LOCATION.fullmatch(row["source"]):  # only the report's own numbers name a place in it
            problems.append(DataProblem(path, i, "source", row["source"], "a place in the report (表1–表5, or a section "
                                        "path such as 一(二)3); a number from another source names that source in "
                                        "source_id (a row of external/sources.csv)", "constraint-error", line))
        start, year = row.get("year_start", ""), row.get("year", "")
        if ASCII_INTEGER.fullmatch(start) and ASCII_INTEGER.fullmatch(year) and int(start) > int(year):
            problems.append(DataProblem(path, i, "year_start", start, f"a year not after year {year}", "constraint-error", line))
    return problems


def _check_sources(raw) -> list[DataProblem]:
    """Every source of the registry can be found: it gives a url or a citation."""
    table = raw.get("sources")
    if table is None or "url" not in table.columns:
        return []
    return [DataProblem(str(table.path), i, "url", "", "a url, or a citation saying where to find the source",
                        "required-error", line)
            for i, (row, line) in enumerate(zip(table.rows, table.lines), start=1)
            if not row.get("url") and not row.get("citation")]


def _check_qualifiers(raw) -> list[DataProblem]:
    """Each qualifier's bounds make sense together (inclusivity given exactly when a bound is, …)."""
    if "qualifiers" not in raw:
        return []
    table, problems = raw["qualifiers"], []
    flags = {t: True for t in TRUE} | {f: False for f in FALSE}
    for i, (row, line) in enumerate(zip(table.rows, table.lines), start=1):
        inclusive = [flags.get(t, t or None) for t in (row.get("lower_inclusive", ""), row.get("upper_inclusive", ""))]
        found = bound_problems(row.get("lower", ""), row.get("upper", ""), *inclusive, row.get("precision", ""))
        problems += [DataProblem(str(table.path), i, column, row.get(column, ""), expected, "constraint-error", line)
                     for column, expected in found]
    return problems


def _number_or_none(text: str):
    try:
        return _parse(text, "number")
    except ValueError:
        return None


def collect_problems(raw, descriptor) -> list[DataProblem]:
    """Every problem in the raw tables, in file order."""
    problems = []
    for resource in descriptor["resources"]:
        name = resource["name"]
        if name not in raw:
            continue
        problems += _check_cells(raw[name], resource["schema"])
        problems += _check_primary_key(raw[name], resource["schema"])
        problems += _check_foreign_keys(raw, name, resource["schema"])
    problems += _check_observations(raw)
    problems += _check_sources(raw)
    problems += printed_problems(raw)  # a value agrees with the number its printed text shows (data.printed)
    problems += _check_qualifiers(raw)
    return problems


PROBLEM_COLUMNS = ("file", "row", "line", "column", "value", "expected", "code")


def problems_csv(problems: list[DataProblem]) -> str:
    """The problems as CSV text (``validate --report``): a header of PROBLEM_COLUMNS, one row per problem, None as
    an empty cell."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(PROBLEM_COLUMNS)
    writer.writerows([["" if getattr(p, c) is None else getattr(p, c) for c in PROBLEM_COLUMNS] for p in problems])
    return buffer.getvalue()


PANDAS_TYPES = {"number": "Float64", "integer": "Int64", "boolean": "boolean", "string": "string"}


def to_frames(raw, descriptor) -> dict[str, pd.DataFrame]:
    """Typed DataFrames from validated raw tables; each row keeps source_file (the name of the file it was read
    from: RawTable.origins for a combined table) and source_line."""
    frames = {}
    for resource in descriptor["resources"]:
        table, fields = raw[resource["name"]], resource["schema"]["fields"]
        data = {f["name"]: [(_parse(r[f["name"]], f["type"]) if r.get(f["name"], "") != "" else None)
                            for r in table.rows] for f in fields}
        df = pd.DataFrame({name: pd.array(values, dtype=PANDAS_TYPES[f["type"]])
                           for (name, values), f in zip(data.items(), fields)})
        for f in fields:  # empty text stays "" so that qualifier == "" means exact
            if f["type"] == "string":
                df[f["name"]] = df[f["name"]].fillna("")
        origins = getattr(table, "origins", None)  # a combined table (data.load.load_additions): each row's own file
        df["source_file"] = [Path(o[0]).name for o in origins] if origins is not None else table.path.name
        df["source_line"] = table.lines
        frames[resource["name"]] = df
    return frames
