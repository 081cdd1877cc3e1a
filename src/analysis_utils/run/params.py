"""One parameter model: a notebook's cell tagged ``parameters`` declares its parameters (``name: type = default  #
help``, read by papermill's ``inspect_notebook``); :func:`check` checks values against it, by type and by the rule a
name carries, for the command line, the run and the notebook itself (:func:`setup`). Command-line values are typed as
papermill's ``-p`` (:func:`resolve_type`); a ``str`` parameter keeps the raw text.
"""
from __future__ import annotations

import ast
import logging
import re
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import nbformat
import papermill

from analysis_utils import paths
from analysis_utils.analysis.compare import check_comparison, district_id
from analysis_utils.analysis.growth import GROWTH_OPTIONS, check_growth_option
from analysis_utils.analysis.tables import REPORT_DISTRICTS
from analysis_utils.checks import check_choice, type_words
from analysis_utils.composite.indicators import INDEX_OPTIONS, check_index_option
from analysis_utils.data.load import Dataset, load
from analysis_utils.data.yaml_file import read_yaml
from analysis_utils.errors import AnalysisError, ParameterError, raise_parameter_errors
from analysis_utils.labels import check_lang
from analysis_utils.report.names import entity_names
from analysis_utils.report.present import parameters_markdown
from analysis_utils.report.writers import RunOutputs

FIG_FORMATS = ("png", "svg")
# The rule a parameter's name carries, in every notebook; the composite options only where a notebook declares them
# all (another notebook's `seed` may mean something else); focus, peers and year: analysis.compare.check_comparison.
RULES = {"lang": check_lang, "fig_format": lambda v: check_choice("fig_format", v, FIG_FORMATS, str, "text"),
         **{n: partial(check_growth_option, n) for n in GROWTH_OPTIONS}}
RESERVED = ("output_dir",)  # set by the run per notebook; use --output instead
_TYPES = {"str": (str,), "int": (int,), "float": (int, float), "bool": (bool,), "list": (list, tuple), "dict": (dict,)}
# papermill's warnings: a line it cannot parse is read below, an unknown name is refused by check_names
logging.getLogger("papermill").setLevel(logging.ERROR)
# A declaration line papermill skips (it drops a line with a second '=', such as "# empty = the packaged data/").
_LINE = re.compile(r"^(?P<name>[A-Za-z_]\w*)\s*(?::\s*(?P<type>[^=#]+?))?\s*=\s*(?P<default>[^#]*?)\s*"
                   r"(?:#\s*(?P<help>.*))?$")


# ---------------------------------------------------------------------------- the declaration
def declared(notebook: str | Path) -> dict[str, dict]:
    """{name: {name, inferred_type_name, default, help}} of the notebook's ``parameters`` cell, as papermill's
    ``inspect_notebook`` reads it, plus the lines it drops. {} when the notebook has no such cell.
    AnalysisError naming the file when it cannot be read."""
    try:
        found = dict(papermill.inspect_notebook(str(notebook)))
        nb = nbformat.read(str(notebook), as_version=4)
    except Exception as exc:  # not JSON, no kernelspec, …: the notebook fails alone
        raise AnalysisError(f"{notebook}: cannot read its parameters ({type(exc).__name__}: {exc})") from None
    cell = next((c for c in nb.cells if "parameters" in c.get("metadata", {}).get("tags", [])), None)
    for line in (cell.source if cell is not None else "").splitlines():
        m = _LINE.match(line)
        if m and m["name"] not in found:
            found[m["name"]] = {"name": m["name"], "inferred_type_name": (m["type"] or "None").strip(),
                                "default": m["default"], "help": (m["help"] or "").strip()}
    return found


# ---------------------------------------------------------------------------- values from the command line
def resolve_type(value: str):
    """``-p NAME VALUE`` typed as papermill's CLI does: "True"/"False"/"None", else int, else float, else the
    text (``"2O20"`` with a letter O stays text, ``"0101"`` is 101). Never raises."""
    if value in ("True", "False", "None"):
        return {"True": True, "False": False, "None": None}[value]
    for cast in (int, float):
        try:
            return cast(value)
        except ValueError:
            pass
    return value


def parse_list(text: str) -> list:
    """``南山区,余杭区`` (also ``，`` and ``、``) or ``[南山区, 余杭区]`` as a list, items typed by resolve_type."""
    text = text.strip()
    if text.startswith("[") and text.endswith("]"):
        text = text[1:-1]
    return [resolve_type(t.strip().strip("'\"")) for t in re.split(r"[,，、]", text) if t.strip()]


def from_command_line(pairs: list, yaml_file: str | None = None) -> tuple[dict, dict]:
    """(values, raw texts): the ``-f`` file first, then ``-p`` pairs (later wins); path parameters resolved."""
    values = (read_yaml(yaml_file, "-f") or {}) if yaml_file else {}  # an empty file: no values
    if not isinstance(values, dict):
        raise ParameterError("-f", str(yaml_file), "a YAML mapping of name: value", code="type-error")
    values.update({name: resolve_type(text) for name, text in pairs})
    raw = {name: text for name, text in pairs}
    for name, value in values.items():
        if paths.is_path_parameter(name) and isinstance(value, str) and value:
            values[name] = raw[name] = str(paths.resolve_path(name, value))
    return values, raw


# ---------------------------------------------------------------------------- the check
def _typed(name: str, value, spec: dict, raw: dict):
    """``value`` checked against the annotation on its declaration line; ParameterError ``type-error``."""
    t = (spec.get("inferred_type_name") or "").replace("typing.", "").replace(" ", "")
    base = t.removeprefix("Optional[").removesuffix("]").replace("|None", "").replace("None|", "").split("[")[0]
    if value is None and (base != t or spec.get("default") == "None"):
        return value
    if base == "str" and name in raw:
        return raw[name]  # `-p code 0101` stays '0101' for a str parameter, as papermill's -r
    if base == "list" and isinstance(value, str):
        return parse_list(raw.get(name, value))
    expected = _TYPES.get(base)
    if expected and (not isinstance(value, expected) or (base != "bool" and isinstance(value, bool))):
        hint = " (mappings go in a -f YAML file)" if base == "dict" else ""
        raise ParameterError(name, value, f"{type_words(base)}{hint}", code="type-error")
    return float(value) if base == "float" else list(value) if base == "list" else value


def check_names(values: dict, declared_by: dict[str, dict]) -> None:
    """A name that no notebook of the folder declares, or a reserved one, is a ParameterError (papermill only
    warns); ``declared_by``: {notebook: declared(...)} of every notebook, whichever run."""
    names = sorted({n for params in declared_by.values() for n in params})
    raise_parameter_errors(
        [ParameterError(n, v, "no value: the run sets it per notebook (use --output)", code="reserved-parameter")
         if n in RESERVED else
         ParameterError(n, v, "one of the declared parameters: " + ", ".join(names), code="unknown-parameter")
         for n, v in values.items() if n in RESERVED or n not in names])


def defaults(spec: dict[str, dict]) -> dict:
    """The declared defaults as values (``ast.literal_eval`` of the cell's text); a default that is no literal is
    left out."""
    found = {}
    for name, p in spec.items():
        try:
            found[name] = ast.literal_eval(p.get("default") or "")
        except (ValueError, SyntaxError):
            pass
    return found


def with_district_ids(values: dict, data: Dataset) -> dict:
    """``values`` with ``focus`` and each of ``peers`` given by a district's English name replaced by its id
    (analysis.compare.district_id: ``-p focus Yuhang`` runs as 余杭区, under that id in the cache key, the build's
    folder and its provenance)."""
    out = dict(values)
    if "focus" in out:
        out["focus"] = district_id(data, out["focus"])
    if isinstance(out.get("peers"), list):
        out["peers"] = [district_id(data, p) for p in out["peers"]]
    return out


def given_by_id(values: dict, raw: dict, data: Dataset) -> tuple[dict, dict]:
    """(values, raw) as :func:`from_command_line` gives them, with ``focus`` and ``peers`` (text such as 'wuchang,
    yuhang' parsed into a list) by district id where they name districts by English name, and their raw text dropped
    (it would be taken over the id: ``_typed``): what the index and the batch show as given."""
    values, raw = with_district_ids(values, data), dict(raw)
    if isinstance(values.get("peers"), str):
        values["peers"] = [district_id(data, p) for p in parse_list(raw.get("peers", values["peers"]))]
    for name in ("focus", "peers"):
        raw.pop(name, None)
    return values, raw


def check(spec: dict[str, dict], values: dict, raw: dict | None = None, data: Dataset | None | bool = None,
          complete: bool = False) -> dict:
    """``values`` of the parameters ``spec`` declares (others are left out), checked: each against its
    annotation, then by the rule its name carries (``lang``, ``fig_format``, ``focus`` and ``peers`` among the
    data's districts, by id or English name (:func:`with_district_ids`) — ``peers`` empty means every other
    district —, ``year`` held for them all, ``target_year``, ``scenario_growth``; in a notebook that declares all of
    them, the composite options of composite.indicators:
    another notebook's ``seed`` or ``weights`` may mean something else), seeing the declared defaults where no value
    is given. ``data``: the data folder already loaded (None: loaded from ``data_dir``; False: skip the rules that
    need the data). Returns the typed values given (``complete``: with the defaults, ``peers`` filled in);
    ParameterError, or ParameterErrors listing every bad one."""
    raw = raw or {}
    problems: list[ParameterError] = []
    out = {}
    for name, value in values.items():
        if name in spec:
            try:
                out[name] = _typed(name, value, spec[name], raw)
            except ParameterError as exc:
                problems.append(exc)
    full = {**defaults(spec), **out}  # the rules see what the notebook will run with
    rules = {**RULES, **({n: partial(check_index_option, n) for n in INDEX_OPTIONS}
                         if set(INDEX_OPTIONS) <= set(spec) else {})}
    for name in (n for n in rules if full.get(n) is not None and (n != "weights" or full[n])):  # "": equal weights
        try:
            rules[name](full[name])
        except ParameterError as exc:
            problems.append(exc)
    unchecked = {e.name for e in problems} & {"focus", "peers", "year", "data_dir"}  # their type is already wrong
    if {"focus", "peers", "year"} & set(full) and not unchecked and data is not False:
        try:
            data = data if data is not None else load(full.get("data_dir") or None)
            full.update(with_district_ids(full, data))
            out.update({k: full[k] for k in ("focus", "peers") if k in out})  # the same values, given
            peers = check_comparison(data, full.get("focus", REPORT_DISTRICTS[0]), full.get("peers"), full.get("year"))
            full.update({"peers": peers} if "peers" in full else {})
        except ParameterError as exc:
            problems += getattr(exc, "errors", [exc])
    raise_parameter_errors(problems)
    return full if complete else out


# ---------------------------------------------------------------------------- in the notebook
@dataclass(frozen=True)
class Params:
    """A notebook's checked parameters with what its cells need: the data, the output writer, the districts'
    names in ``lang``."""

    values: dict
    data: Dataset = field(repr=False)
    out: object = field(repr=False)  # report.writers.RunOutputs
    names: dict = field(repr=False)

    def __getattr__(self, name: str):
        try:
            return self.values[name]
        except KeyError:
            raise AttributeError(name) from None

    @property
    def peers(self) -> tuple:
        return tuple(self.values.get("peers") or ())

    def _repr_markdown_(self) -> str:
        return parameters_markdown(self.values, self.names, self.lang)


def setup(notebook: str, namespace: dict) -> Params:
    """The one set-up call of a notebook: its parameters (read from ``namespace``, the notebook's globals, by the
    names its own ``parameters`` cell declares) checked by :func:`check`, the data loaded, the output writer
    made. ``notebook``: its file stem (``01_foundation``), looked for in the working folder, then in
    ``notebooks/``. ParameterError (or ParameterErrors) naming every bad parameter."""
    path = next((p for p in (Path.cwd() / f"{notebook}.ipynb", paths.NOTEBOOKS_DIR / f"{notebook}.ipynb")
                 if p.is_file()), None)
    if path is None:
        raise ParameterError("notebook", notebook, f"a notebook in {Path.cwd()} or {paths.NOTEBOOKS_DIR}", "missing-file")
    spec = declared(path)
    given = {name: namespace[name] for name in spec if name in namespace}
    data = load(given.get("data_dir") or None)
    values = check(spec, given, data=data, complete=True)
    values["output_dir"] = paths.notebook_output_dir(notebook, values.get("output_dir") or None)
    lang = values.get("lang", "zh")
    labels = {code: dict(zip(data.indicators["indicator"], data.indicators[f"name_{code}"])) for code in ("zh", "en")}
    names = entity_names(data, lang)
    out = RunOutputs(values["output_dir"], notebook, values.get("fig_format", "png"), lang, labels, names,
                     data.units_table)
    return Params(values, data, out, names)
