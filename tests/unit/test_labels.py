"""The language catalogue (labels.py + messages.csv): complete in both languages, every key used and
existing, one check of ``lang`` everywhere (every function that takes ``lang`` refuses any other language, and a call
without it is a Chinese call), report locations in English."""
from __future__ import annotations

import ast
import csv
import importlib
import inspect
import pkgutil
import re

import nbformat
import pytest

import analysis_utils
from analysis_utils import labels
from analysis_utils.analysis import compare, growth, tables
from analysis_utils.audit import claims, external
from analysis_utils.data.load import TIERS
from analysis_utils.composite import index, matrix, sensitivity
from analysis_utils.data.qualifiers import packaged_qualifiers
from analysis_utils.errors import AnalysisError, DataValidationError, ParameterError
from analysis_utils.paths import REPO_ROOT
from analysis_utils.report import audit_views as views
from analysis_utils.report import (
    charts,
    columns,
    external_views,
    index_page,
    narrate,
    narrative,
    present,
    report_tables,
    writers,
)
from analysis_utils.run import params

ROOT = REPO_ROOT


MESSAGES = ROOT / "src" / "analysis_utils" / "messages.csv"


def _rows() -> list[dict]:
    with MESSAGES.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


# ---------------------------------------------------------------- the file itself

def test_every_key_has_both_languages_with_the_same_fields():
    rows = _rows()
    assert rows and list(rows[0]) == ["key", "zh", "en"]
    keys = [r["key"] for r in rows]
    assert len(keys) == len(set(keys)), "a key is repeated"
    for r in rows:
        assert r["zh"].strip() and r["en"].strip(), r["key"]
        assert labels.fields(r["zh"]) == labels.fields(r["en"]), r["key"]
    assert set(labels.catalogue()) == set(keys)


def test_fields_of_a_template():
    assert labels.fields("{v}—{h}") == {"v", "h"}
    assert labels.fields("{cagr:.1%} a year") == {"cagr"}
    assert labels.fields("no field") == set()


@pytest.mark.parametrize("raw, row, column, code", [
    ("key,zh,en\na.b,甲,\n", 1, "en", "required-error"),
    ("key,zh,en\na.b,甲,A\na.b,乙,B\n", 2, "key", "unique-error"),
    ("key,zh,en\na.b,{x}甲,{y} A\n", 1, "en", "constraint-error"),
    ("key,zh,en\na.b,甲,A \n", 1, "en", "constraint-error"),
    ("key,zh,en\na b,甲,A\n", 1, "key", "required-error"),
    ("key,zh,en\na.b,{甲,A\n", 1, None, "type-error"),
    ("key,zh\na.b,甲\n", None, None, "missing-column"),
])
def test_a_broken_messages_file_is_refused_naming_the_row(raw, row, column, code):
    with pytest.raises(DataValidationError) as e:
        labels.read_messages(raw)
    problem = e.value.problems[-1]
    assert (problem.row, problem.column, problem.code) == (row, column, code)


# ---------------------------------------------------------------- text()

def test_text_fills_templates():
    # the report's caption of 表2 (seed text: "表2 2015年武昌区与南山区、余杭区创新成效比较")
    assert labels.text("title.table2", "zh", year=2015, focus="武昌区", peers="南山区、余杭区") == \
        "表2 2015年武昌区与南山区、余杭区创新成效比较"
    assert labels.text("title.table2", "en", year=2015, focus="A", peers="B and C") == \
        "Table 2 Innovation performance of A compared with B and C, 2015"
    # numbers arrive formatted (rounding.format_percent); the catalogue only places them
    assert labels.text("finding.invention_share", "en", year=2015, share="12.3%") == \
        "In 2015, invention patents were 12.3% of all grants."


def test_templates_carry_no_number_formats():
    """Rounding has one home (rounding.py): a template such as '{share:.1%}' would round half to even."""
    bad = [(r["key"], lang) for r in _rows() for lang in ("zh", "en") if re.search(r"\{\w+:[^}]*\}", r[lang])]
    assert not bad, bad
    assert labels.join(["a", "b", "c"], "zh") == "a；b；c"
    assert labels.join(["a", "b"], "en") == "a; b"
    assert labels.join([], "en") == ""


def test_a_list_of_names_joins_as_each_language_lists_names():
    # zh lists names with 、 (the report: 武昌区与南山区、余杭区); en with commas and "and" before the last
    assert labels.join(["南山区", "余杭区"], "zh", names=True) == "南山区、余杭区"
    assert labels.join(["南山区", "余杭区", "武昌区"], "zh", names=True) == "南山区、余杭区、武昌区"
    assert labels.join(["Nanshan District", "Yuhang District"], "en", names=True) == "Nanshan District and Yuhang District"
    assert labels.join(["A", "B", "C", "D"], "en", names=True) == "A, B, C and D"
    assert labels.join(["A"], "en", names=True) == "A" and labels.join([], "zh", names=True) == ""


def test_unknown_key_and_missing_field_name_the_key():
    with pytest.raises(AnalysisError, match='no message "chart.nonexistent"'):
        labels.text("chart.nonexistent", "zh")
    with pytest.raises(AnalysisError, match=r'message "title.table2" \(en\) needs a value for the field .focus.'):
        labels.text("title.table2", "en", year=2015)


@pytest.mark.parametrize("lang, code", [("fr", "bad-choice"), ("EN", "bad-choice"), ("", "bad-choice"),
                                        ("zh ", "bad-choice"), (None, "type-error"), (1, "type-error")])
def test_check_lang_refuses_everything_but_zh_and_en(lang, code):
    with pytest.raises(ParameterError) as e:
        labels.check_lang(lang)
    assert (e.value.name, e.value.value, e.value.code) == ("lang", lang, code)
    if code == "bad-choice":
        assert str(e.value) == f"parameter \"lang\" = {lang!r}: expected one of 'zh', 'en' [bad-choice]"


def test_check_lang_passes_zh_and_en():
    assert [labels.check_lang(x) for x in ("zh", "en")] == ["zh", "en"]
    assert labels.name_column("en") == "name_en" and labels.lang_column("statement", "zh") == "statement_zh"


# ---------------------------------------------------------------- keys used in src/ and notebooks/

# Keys built at run time from a prefix and a value of a fixed set: prefix -> the values the code can pass.
FAMILIES = {
    "stale.": list(index_page.STALE_CODES),
    "title.table": [f"{n}{suffix}" for n in report_tables.TABLE_FUNCTIONS for suffix in ("", "_others")],
    "header.": tables.TABLE_2_COLUMNS + tables.TABLE_3_COLUMNS + tables.TABLE_4_COLUMNS + tables.TABLE_5_COLUMNS,
    "qualifier.": [q or "exact" for q in packaged_qualifiers().codes()],
    "denominator.": list(compare.DENOMINATORS),
    "gap.": report_tables.GAP_COLUMNS,
    "verdict.": list(claims.VERDICTS),
    "audit.": views.VIEW_COLUMNS + views.FACT_COLUMNS,
    "basis.": list(claims.BASES),
    "fact.": list(claims.FACT_REASONS),
    "lang.": list(labels.LANGS),
    "external.verdict.": list(external.EXTERNAL_VERDICTS),
    "external.tier.": list(TIERS),
    "concept.": ["resident", "registered"],
    "population.col.": ["entity", "printed_value", "concept", "evidence", "resident", "resident_year", "others",
                        "resident_source", "resident_tier", "indicator", "value", "value_resident", "change", "rank",
                        "rank_resident"],
    "external.explain.": [*external.PAIR_VERDICTS, "later_published_undated"],
    "external.col.": external_views.VIEW_COLUMNS,
    "external.kind.": list(external.SUMMARY_ROWS),
    "explain.": list(narrate.EXPLAIN_KEYS),
    "cap.": list(narrate.CAP_KEYS),
    "decide.": list(narrate.DECIDE_KEYS),
    "formula.": ["lower", "upper", "whole_in", "fractions", "first_year", "last_year"],
    "factor.": list(sensitivity.FACTORS),
    "method.": list(index.AGGREGATIONS),
    "bound.": list(growth.BOUNDS),
    "position.": list(growth.POSITIONS),
    "growth_basis.": list(growth.GROWTH_BASES),
    "chart.kind.": list(charts.VALUE_KINDS),
    "size.": list(narrative.SIZE_KEYS),
    "action.": list(matrix.ACTIONS) + [f"{a}_one" for a in present.COUNTED_ACTIONS],
    "missing.": list(index.MISSING_OPTIONS),
    "column.": columns.general_columns(),
    "value.": ["yes", "no"],
    # every parameter a notebook declares has a label (the run's own output_dir too)
    "param.": sorted({n for nb in (ROOT / "notebooks").glob("*.ipynb")
                      for n in params.declared(nb)} | {"output_dir"}),
    "site.status_": list(index_page.STATUSES),
    "site.notebook_": sorted(p.stem for p in (ROOT / "notebooks").glob("*.ipynb")),
    "workbook.": ["sheet", "table", "rows", "columns", "note"],
    "workbook.title.": list(writers.TABLE_TITLES),
}
KEY_SHAPE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$")


def _sources() -> list[tuple[str, str]]:
    out = [(str(p.relative_to(ROOT)), p.read_text(encoding="utf-8"))
           for p in sorted((ROOT / "src").rglob("*.py"))]
    for nb_path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        nb = nbformat.read(nb_path, as_version=4)
        code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
        out.append((nb_path.name, code))
    return out


def _scan():
    """(literal keys, f-string prefixes) of the catalogue's groups found in the source and notebooks."""
    groups = {k.split(".")[0] for k in labels.catalogue()}
    literal, prefixes = {}, {}
    for where, source in _sources():
        tree = ast.parse(source)
        in_fstrings = {id(v) for node in ast.walk(tree) if isinstance(node, ast.JoinedStr) for v in node.values}
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and id(node) not in in_fstrings and isinstance(node.value, str) and KEY_SHAPE.match(node.value) \
                    and node.value.split(".")[0] in groups:
                literal.setdefault(node.value, where)
            if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.JoinedStr) \
                    and getattr(node.func, "id", getattr(node.func, "attr", None)) == "text":
                head = node.args[0].values[0]
                prefixes.setdefault(head.value if isinstance(head, ast.Constant) else "", where)
    # the pages' templates call t('key', …): labels.text in the page's language (report.site.page_values)
    for path in sorted((ROOT / "src").rglob("*.j2")):
        for key in TEMPLATE_KEY.findall(path.read_text(encoding="utf-8")):
            literal.setdefault(key, str(path.relative_to(ROOT)))
    # the keys fields.csv gives a column in one table (report.columns.field_rows)
    for (table, name), row in columns.field_rows().items():
        if table or row["key"] != f"column.{name}":
            literal.setdefault(row["key"], "src/analysis_utils/report/fields.csv")
    return literal, prefixes


TEMPLATE_KEY = re.compile(r"""\bt\(\s*['"]([a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+)['"]""")


def test_every_key_used_exists_and_every_key_is_used():
    literal, prefixes = _scan()
    assert "site.failed_kept" in literal and "site.col_notebook" in literal  # the scan sees the templates
    known = set(labels.catalogue())
    missing = {k: where for k, where in literal.items() if k not in known}
    assert not missing, f"keys used but not in messages.csv: {missing}"
    unexpected = {p: where for p, where in prefixes.items() if p not in FAMILIES}
    assert not unexpected, f"text(f'…') keys of a family the test does not know; add it to FAMILIES: {unexpected}"
    built = {prefix + value for prefix, values in FAMILIES.items() for value in values}
    assert built <= known, f"keys built at run time but not in messages.csv: {sorted(built - known)}"
    unused = known - set(literal) - built
    assert not unused, f"keys in messages.csv used nowhere: {sorted(unused)}"
    assert "caption.claims_audit" in literal and "chart.pos_sens_title" in literal  # the scan sees notebooks


# The one kept: how numbers are written (English has no 万 and no 余), not which words; after check_lang.
ALLOWED_BRANCHES = {"src/analysis_utils/report/report_tables.py": 1}


def test_no_language_branch_outside_the_catalogue():
    branch = re.compile(r"""[!=]=\s*["'](zh|en)["']|["'](zh|en)["']\s*[!=]=|lang\s+(not\s+)?in\b""")
    for where, source in _sources():
        if where.endswith("labels.py"):
            continue
        assert len(branch.findall(source)) == ALLOWED_BRANCHES.get(where, 0), f"{where} branches on the language"


# ---------------------------------------------------------------- every lang-taking function refuses "fr"

class _Untouched:
    """Stands for every argument but lang: a function that checks lang first never touches it."""

    def __getattr__(self, name):
        raise AssertionError(f"used the argument ({name}) before checking lang")


def _lang_functions():
    found = {}
    for info in pkgutil.walk_packages(analysis_utils.__path__, "analysis_utils."):
        if info.name.endswith(("__main__", "run.preload")):
            continue  # run on import: the command line; the forkserver's warm-up (a page per language, ~1.5 CPU-s)
        module = importlib.import_module(info.name)
        for name, fn in vars(module).items():
            # "__mutmut": the copies mutation testing adds beside each function are not public API
            if inspect.isfunction(fn) and fn.__module__ == module.__name__ and not name.startswith("_") \
                    and "__mutmut" not in name \
                    and "lang" in inspect.signature(fn).parameters:
                found[f"{info.name.removeprefix('analysis_utils.')}.{name}"] = fn
    return found


LANG_FUNCTIONS = _lang_functions()
NAMED_IN_THE_ISSUE = [f"report.report_tables.table_{n}" for n in range(1, 6)] + [
    "report.report_tables.prose_table", "report.report_tables.title", "report.report_tables.format_cell",
    "report.names.label_rows", "report.report_tables.gap_view", "report.audit_views.audit_view",
    "report.names.indicator_labels", "report.report_tables.snapshot_for_index",
    "report.charts.tables.indexed_series", "report.charts.composite.sensitivity_heatmap", "report.charts.audit.verdict_bars",
    "report.findings.foundation", "report.findings.composite"]


def test_the_functions_named_in_the_issue_are_all_checked():
    assert set(NAMED_IN_THE_ISSUE) <= set(LANG_FUNCTIONS)
    # the audit computes codes and numbers only: none of its functions takes a language any more (report/ words it)
    assert not [name for name in LANG_FUNCTIONS if name.startswith("audit.")]


@pytest.mark.parametrize("name", sorted(LANG_FUNCTIONS))
@pytest.mark.parametrize("lang", ["fr", "EN"])
def test_every_function_taking_lang_refuses_other_languages(name, lang):
    fn = LANG_FUNCTIONS[name]
    args = {p: _Untouched() for p, spec in inspect.signature(fn).parameters.items()
            if p != "lang" and spec.kind not in (spec.VAR_KEYWORD, spec.VAR_POSITIONAL)}
    with pytest.raises(ParameterError) as e:
        fn(**args, lang=lang)
    assert (e.value.name, e.value.code) == ("lang", "bad-choice")


DEFAULTS = {name: inspect.signature(fn).parameters["lang"].default for name, fn in LANG_FUNCTIONS.items()}
DEFAULT_LANG = sorted(name for name, default in DEFAULTS.items() if default == "zh")


def test_a_default_language_is_chinese():
    # (a page takes the language its notebook or its build recorded: report.site.render_notebook, labels.build_lang)
    assert set(DEFAULTS.values()) - {inspect.Parameter.empty} == {"zh"}
    assert len(DEFAULT_LANG) >= 40


@pytest.mark.parametrize("name", DEFAULT_LANG)
def test_a_call_without_lang_is_a_chinese_call(name):
    """Chinese is the default language: a call that leaves lang out passes the lang check and goes on to its
    other arguments (which stop it here), exactly as a call with lang="zh" does."""
    fn = LANG_FUNCTIONS[name]
    args = {p: _Untouched() for p, spec in inspect.signature(fn).parameters.items()
            if p != "lang" and spec.kind not in (spec.VAR_KEYWORD, spec.VAR_POSITIONAL)}

    def outcome(**extra):
        try:
            fn(**args, **extra)
        except ParameterError as exc:
            return ("ParameterError", exc.name, exc.code)
        except Exception as exc:  # noqa: BLE001  (an _Untouched argument was used: the lang check passed)
            return (type(exc).__name__,)
        return ("returned",)

    without, chinese = outcome(), outcome(lang="zh")
    assert without == chinese and without[:2] != ("ParameterError", "lang")


@pytest.mark.parametrize("code, en", [
    ("表2", "Table 2"), ("一(二)3", "I(2).3"), ("二1", "II.1"), ("三", "III"), ("三(四)3", "III(4).3"),
    ("二4", "II.4"), ("", ""), ("SYNTHETIC place", "SYNTHETIC place"),
])
def test_report_locations_in_english(code, en):
    assert labels.location(code, "en") == en
    assert labels.location(code, "zh") == code


def test_no_reader_text_names_a_parameter_by_its_code():
    """A page speaks of a parameter by its label (param.<name>: “情景增速” / “Scenario growth”), never by the code a
    script passes (`scenario_growth`: page 03 said it, a newcomer found it). Codes of the notebooks' parameters that a
    reader would not take for words (those with an underscore) outside a {placeholder}, and backticks, are refused."""
    import papermill

    codes = {name for path in sorted((ROOT / "notebooks").glob("*.ipynb"))
             for name in papermill.inspect_notebook(str(path)) if "_" in name}
    assert {"scenario_growth", "target_year", "min_coverage", "data_dir"} <= codes
    found = []
    with (ROOT / "src" / "analysis_utils" / "messages.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            for lang in ("zh", "en"):
                words = re.sub(r"\{[^{}]*\}", " ", row[lang])
                if "`" in words or any(re.search(rf"(?<![\w]){code}(?![\w])", words) for code in codes):
                    found.append((row["key"], lang, row[lang][:80]))
    assert found == []
