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

from analysis_utils.checks import type_words
from analysis_utils.errors import AnalysisError, ParameterError, raise_parameter_errors
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


def read_yaml_params(yaml_file: str | os.PathLike) -> dict:
    """A ``-f`` parameter file: a YAML mapping in UTF-8. Every failure is one ParameterError naming the
    file and, where there is one, the line: not UTF-8 (e.g. saved as GBK), malformed YAML, a name given
    twice (YAML would silently keep the last), not a mapping."""
    import yaml

    path = Path(yaml_file)
    if not path.is_file():
        raise ParameterError("-f", str(yaml_file), "an existing YAML file", code="missing-file")
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise ParameterError("-f", f"{path}, line {line}", "UTF-8 text (the file looks saved in another encoding, "
                             "e.g. GBK: save it as UTF-8)", code="encoding-error") from None

    class UniqueKeyLoader(yaml.SafeLoader):
        """PyYAML's SafeLoader, refusing a mapping that names a key twice."""

    def mapping(loader, node, deep=False):
        seen = {}
        for key_node, _ in node.value:
            key = loader.construct_object(key_node, deep=deep)
            if key in seen:
                raise ParameterError("-f", f"{path}, line {key_node.start_mark.line + 1}",
                                     f"each name once; {key!r} is already given on line {seen[key]}",
                                     code="duplicate-key")
            seen[key] = key_node.start_mark.line + 1
        return loader.construct_mapping(node, deep=deep)

    UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, mapping)
    try:
        loaded = yaml.load(text, Loader=UniqueKeyLoader) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}, line {mark.line + 1}" if mark is not None else str(path)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ParameterError("-f", where, f"valid YAML ({problem})", code="format-error") from None
    if not isinstance(loaded, dict):
        raise ParameterError("-f", str(yaml_file), "a YAML mapping of name: value", code="type-error")
    return loaded


def merge_params(pairs: list, yaml_file: str | os.PathLike | None = None) -> tuple[dict, dict]:
    """Values from -f YAML, then -p pairs (later sources win); also the raw -p text for str parameters.

    Path parameters (:func:`is_path_parameter`) are resolved here, in the caller's working directory:
    ``~`` expanded, relative paths made absolute, so a notebook (which runs in ``notebooks/``) gets the
    file the user meant; a path that names nothing is a ParameterError now, not a notebook failure.
    """
    values: dict = {}
    if yaml_file:
        values.update(read_yaml_params(yaml_file))
    values.update({name: resolve_type(text) for name, text in pairs})
    raw = {name: text for name, text in pairs}
    for name, value in values.items():
        if is_path_parameter(name) and isinstance(value, str) and value != "":
            values[name] = raw[name] = str(resolve_path(name, value))
    return values, raw


# ---------------------------------------------------------------------------- path parameters
PATH_PARAMETERS = {"data_dir": "folder", "weights": "file"}  # and any name ending in _dir, _file, _path


def is_path_parameter(name: str) -> bool:
    """Whether a parameter names a file or folder: ``data_dir``, ``weights``, or a name ending in
    ``_dir`` (a folder), ``_file`` or ``_path`` (a file). ``output_dir`` is the pipeline's own."""
    return name != "output_dir" and (name in PATH_PARAMETERS or name.endswith(("_dir", "_file", "_path")))


def resolve_path(name: str, value: str) -> Path:
    """``value`` with ``~`` expanded, made absolute against the current working directory; it must exist
    (a folder for ``*_dir``, else a file): ParameterError ``missing-file`` / ``missing-folder`` otherwise."""
    path = Path(value).expanduser().resolve()
    folder = PATH_PARAMETERS.get(name) == "folder" or name.endswith("_dir")
    if not (path.is_dir() if folder else path.is_file()):
        kind = "folder" if folder else "file"
        raise ParameterError(name, value, f"an existing {kind} (looked for {path})", code=f"missing-{kind}")
    return path


def path_inputs(params: dict) -> dict[str, str]:
    """sha256 of the content of every file or folder a path parameter names (for the cache key): a file
    a parameter names is an input as much as the data, so editing it re-runs the notebook."""
    import hashlib

    sums = {}
    for name, value in params.items():
        if not (is_path_parameter(name) and isinstance(value, str) and value):
            continue
        path, h = Path(value), hashlib.sha256()
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path] if path.is_file() else []
        for f in files:
            h.update(f.relative_to(path if path.is_dir() else path.parent).as_posix().encode() + b"\0"
                     + hashlib.sha256(f.read_bytes()).digest())
        sums[name] = h.hexdigest() if files else "missing"
    return sums


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


def declared_parameters(notebooks: list[Notebook], cache_dir: Path | None, write: bool = True) -> dict[str, dict]:
    """{notebook: {param: {name, inferred_type_name, default, help}}}, remembered per notebook hash
    so that unchanged notebooks need no papermill import. ``write=False``: do not save what was read
    yet (``reproduce`` saves it with :func:`save_declared` once the run is checked and goes ahead, so
    that a refused run leaves the build folder byte for byte as it was)."""
    store = cache_dir / "inspect.json" if cache_dir else None
    known = json.loads(store.read_text(encoding="utf-8")) if store and store.exists() else {}
    missing = [nb for nb in notebooks if nb.sha not in known]
    for nb in missing:
        known[nb.sha] = _inspect(nb.path)
    if missing and store and write:
        save_declared(cache_dir, {nb.sha: known[nb.sha] for nb in missing})
    return {nb.name: known[nb.sha] for nb in notebooks}


def save_declared(cache_dir: Path, found: dict[str, dict]) -> None:
    """Add ``{notebook sha: declared parameters}`` to ``cache_dir/inspect.json`` (no-op when all known)."""
    from analysis_utils.report.writers import write_text

    store = cache_dir / "inspect.json"
    known = json.loads(store.read_text(encoding="utf-8")) if store.exists() else {}
    if any(sha not in known for sha in found):
        write_text(store, json.dumps({**known, **found}, ensure_ascii=False))


# ---------------------------------------------------------------------------- the check
def _check_type(name: str, value, spec: dict, raw: dict):
    """One declared parameter's value, checked against the annotation on its parameters-cell line."""
    t = (spec.get("inferred_type_name") or "").replace("typing.", "").replace(" ", "")
    base = t.removeprefix("Optional[").removesuffix("]").replace("|None", "").replace("None|", "").split("[")[0]
    if value is None and (base != t or spec.get("default") == "None"):
        return value
    if base == "str" and name in raw:
        return raw[name]  # `-p code 0101` stays '0101' for a str parameter, as with papermill's -r
    if base == "list" and name in raw:
        return parse_list(raw[name])
    expected = _TYPES.get(base)
    if expected and (not isinstance(value, expected) or (base != "bool" and isinstance(value, bool))):
        hint = " (mappings go in a -f YAML file)" if base == "dict" else ""
        raise ParameterError(name, value, f"{type_words(base)}{hint}", code="type-error")
    return float(value) if base == "float" else value


def parse_list(text: str) -> list:
    """A list given on the command line: ``-p peers 南山区,余杭区`` (commas, full-width ``，`` or ``、``
    too) or YAML's ``[南山区, 余杭区]``; an empty text is the empty list. Items are typed by
    :func:`resolve_type`."""
    text = text.strip()
    if text.startswith("[") and text.endswith("]"):
        text = text[1:-1]
    items = [t.strip().strip("'\"") for t in re.split(r"[,，、]", text)]
    return [resolve_type(t) for t in items if t]


def checked_params(declared: dict, values: dict, raw: dict, defaults: dict) -> tuple[dict, list[ParameterError]]:
    """The parameters one notebook receives (those it declares, from the user or the pipeline defaults),
    each checked against its annotation: (the good ones, one ParameterError per bad one). Never raises."""
    chosen = {k: v for k, v in {**defaults, **values}.items() if k in declared}
    checked, problems = {}, []
    for k, v in chosen.items():
        try:
            checked[k] = _check_type(k, v, declared[k], raw)
        except ParameterError as exc:  # go on: every bad value is reported at once
            problems.append(exc)
    return checked, problems


def notebook_params(declared: dict, values: dict, raw: dict, defaults: dict) -> dict:
    """The parameters one notebook receives, checked (:func:`checked_params`); ParameterError for one bad
    value, ParameterErrors listing them for several."""
    checked, problems = checked_params(declared, values, raw, defaults)
    raise_parameter_errors(problems)
    return checked


def check_names(values: dict, declared: dict[str, dict]) -> None:
    """A name no notebook declares is an error, not papermill's warning; ParameterErrors lists every such name."""
    names = sorted({n for params in declared.values() for n in params})
    problems = []
    for name, value in values.items():
        if name in RESERVED:
            problems.append(ParameterError(name, value, "no value: the pipeline sets it per notebook (use --output)",
                                           code="reserved-parameter"))
        elif name not in names:
            problems.append(ParameterError(name, value, "one of the declared parameters: " + ", ".join(names),
                                           code="unknown-parameter"))
    raise_parameter_errors(problems)
