"""The parameters of a ``reproduce`` run: what the user passed, what each notebook declares, the check.

- ``merge_params``: ``-f`` YAML file first, then ``-p NAME VALUE`` pairs (later sources win), the
  values typed by our rule (``resolve_type``, as papermill's CLI types ``-p``), plus the raw ``-p`` text.
- ``declared_parameters``: each notebook's parameters cell as papermill's inspection reads it, plus
  the lines it drops; remembered per notebook hash in ``.cache/inspect.json``.
- ``check_names`` / ``notebook_params``: a name no notebook declares, or a value of the wrong type, is
  a :class:`ParameterError` before anything runs (papermill only warns, and never checks a type).

Light to import: papermill and yaml are imported only when a notebook must be inspected or a ``-f``
file read, so a cache hit of ``reproduce`` needs neither.
"""
from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path

from analysis_utils.errors import AnalysisError, ParameterError
from analysis_utils.run.notebooks import Notebook, parameters_cell, read_cells

RESERVED = ("output_dir",)  # set by the pipeline per notebook; use --output instead
_TYPES = {"str": (str,), "int": (int,), "float": (int, float), "bool": (bool,), "list": (list,), "dict": (dict,)}
_LINE = re.compile(r"^(?P<name>[A-Za-z_]\w*)\s*(?::\s*(?P<type>[^=#]+?))?\s*=\s*(?P<default>[^#]*?)\s*"
                   r"(?:#\s*(?P<help>.*))?$")


# ---------------------------------------------------------------------------- what the user passed
def resolve_type(value: str):
    """The value of ``-p NAME VALUE`` typed from its text; our rule, in this order:

    - ``"True"``, ``"False"``, ``"None"`` (exactly so spelled) → True, False, None;
    - text Python's ``int()`` accepts (``"12"``, ``"-3"``, ``"0101"`` → 101) → int;
    - else text ``float()`` accepts (``"1.5"``, ``"1e3"``) → float;
    - anything else (``"2O20"`` with a letter O, ``"武昌区"``, ``"true"``) → the text unchanged.

    It is the rule papermill's command line applies to its ``-p`` (written here, not imported from
    papermill's private helper), so a value means the same under ``reproduce -p`` and ``papermill -p``. A str parameter gets the raw text back
    (:func:`notebook_params`), so ``-p code 0101`` stays '0101' there. Never raises.
    """
    if value in ("True", "False", "None"):
        return {"True": True, "False": False, "None": None}[value]
    for cast in (int, float):
        try:
            return cast(value)
        except ValueError:
            pass
    return value


def merge_params(pairs: list, yaml_file: str | os.PathLike | None = None) -> tuple[dict, dict]:
    """Values from -f YAML, then -p pairs (later sources win); also the raw -p text for str parameters."""
    values: dict = {}
    if yaml_file:
        import yaml

        if not Path(yaml_file).is_file():
            raise ParameterError("-f", str(yaml_file), "an existing YAML file", code="missing-file")
        loaded = yaml.safe_load(Path(yaml_file).read_text(encoding="utf-8")) or {}
        if not isinstance(loaded, dict):
            raise ParameterError("-f", str(yaml_file), "a YAML mapping of name: value", code="type-error")
        values.update(loaded)
    values.update({name: resolve_type(text) for name, text in pairs})
    return values, {name: text for name, text in pairs}


# ---------------------------------------------------------------------------- what the notebooks declare
def _inspect(path: Path) -> dict:
    """papermill.inspect_notebook, plus the lines it skips: it drops any line holding a second '='
    (e.g. "# empty = the packaged data/"), which would make a declared name look unknown."""
    import logging

    import papermill

    log = logging.getLogger("papermill")
    level, log.level = log.level, logging.ERROR  # its "Unable to parse line" is handled here
    try:
        found = papermill.inspect_notebook(str(path))
    except ValueError as exc:  # e.g. no kernelspec in the notebook's metadata
        raise AnalysisError(f"{path}: cannot read its parameters: {exc}") from exc
    finally:
        log.setLevel(level)
    cells = read_cells(path)
    source = "".join(cells[parameters_cell(cells)]["source"]) if parameters_cell(cells) >= 0 else ""
    for line in source.splitlines():
        m = _LINE.match(line)
        if m and m["name"] not in found:
            found[m["name"]] = {"name": m["name"], "inferred_type_name": (m["type"] or "None").strip(),
                                "default": m["default"], "help": (m["help"] or "").strip()}
        elif not m and "=" in line.split("#")[0] and not line[:1].isspace():
            print(f"warning: {path.name}: cannot read parameter line {line!r}", file=sys.stderr)
    return found


def declared_parameters(notebooks: list[Notebook], cache_dir: Path | None) -> dict[str, dict]:
    """{notebook: {param: {name, inferred_type_name, default, help}}}, remembered per notebook hash
    so that unchanged notebooks need no papermill import."""
    store = cache_dir / "inspect.json" if cache_dir else None
    known = json.loads(store.read_text(encoding="utf-8")) if store and store.exists() else {}
    missing = [nb for nb in notebooks if nb.sha not in known]
    for nb in missing:
        known[nb.sha] = _inspect(nb.path)
    if missing and store:
        from analysis_utils.report.writers import write_text

        write_text(store, json.dumps(known, ensure_ascii=False))
    return {nb.name: known[nb.sha] for nb in notebooks}


# ---------------------------------------------------------------------------- the check
def _check_type(name: str, value, spec: dict, raw: dict):
    """One declared parameter's value, checked against the annotation on its parameters-cell line."""
    t = (spec.get("inferred_type_name") or "").replace("typing.", "").replace(" ", "")
    base = t.removeprefix("Optional[").removesuffix("]").replace("|None", "").replace("None|", "").split("[")[0]
    if value is None and (base != t or spec.get("default") == "None"):
        return value
    if base == "str" and name in raw:
        return raw[name]  # `-p code 0101` stays '0101' for a str parameter, as with papermill's -r
    expected = _TYPES.get(base)
    if expected and (not isinstance(value, expected) or (base != "bool" and isinstance(value, bool))):
        hint = " (lists and mappings go in a -f YAML file)" if base in ("list", "dict") else ""
        raise ParameterError(name, value, f"a value of type {t}{hint}", code="type-error")
    return float(value) if base == "float" else value


def notebook_params(declared: dict, values: dict, raw: dict, defaults: dict) -> dict:
    """The parameters one notebook receives: those it declares, from the user or the pipeline defaults."""
    chosen = {k: v for k, v in {**defaults, **values}.items() if k in declared}
    return {k: _check_type(k, v, declared[k], raw) for k, v in chosen.items()}


def check_names(values: dict, declared: dict[str, dict]) -> None:
    """A name no notebook declares is an error, not papermill's warning."""
    names = sorted({n for params in declared.values() for n in params})
    for name, value in values.items():
        if name in RESERVED:
            raise ParameterError(name, value, "no value: the pipeline sets it per notebook (use --output)",
                                 code="reserved-parameter")
        if name not in names:
            raise ParameterError(name, value, "one of the declared parameters: " + ", ".join(names),
                                 code="unknown-parameter")
