"""What a reader needs to reproduce a page or a workbook: the code's commit, the interpreter, the locked environment.

``environment()`` adds to a run's provenance (parameters, data checksum, package version, time — given by the
pipeline) the git commit of the working tree and whether it had uncommitted changes, the Python version and
the sha256 of ``requirements.lock``. ``reader_parameters`` turns the parameters into text a reader can show:
paths are replaced by their last component (a machine's absolute paths say nothing to a reader and leak it).
"""
from __future__ import annotations

import csv
import functools
import hashlib
import os
import platform
import subprocess
from pathlib import Path

from analysis_utils import paths

LOCK_FILE = "requirements.lock"
ENTITY_PARAMETERS = ("focus", "peers")  # parameters naming entities (data/entities.csv ids, the Chinese names)
# Every parameter a notebook declares, each with a label param.<name> in messages.csv (others show by name).
PARAMETERS = ("focus", "peers", "lang", "year", "target_year", "scenario_growth", "min_coverage", "normalisation",
              "aggregation", "censored", "missing", "n_samples", "seed", "weights", "fig_format", "data_dir",
              "output_dir")


@functools.cache
def environment(root: str | os.PathLike | None = None) -> dict[str, str]:
    """{'git_commit': 40 hex digits or 'unknown', 'git_dirty': 'yes'/'no'/'unknown', 'python': '3.11.7',
    'lock_sha256': sha256 of requirements.lock or 'missing'} for the project at ``root`` (default: the
    folder holding ``data/``). Never raises: git may be absent or the package installed without its repository."""
    root = Path(root) if root else paths.REPO_ROOT
    commit, dirty = "unknown", "unknown"
    try:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True,
                                timeout=10, check=True).stdout.strip() or "unknown"
        status = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=root,
                                capture_output=True, text=True, timeout=10, check=True).stdout
        dirty = "yes" if status.strip() else "no"
    except (OSError, subprocess.SubprocessError):
        pass
    lock = root / LOCK_FILE
    lock_sum = hashlib.sha256(lock.read_bytes()).hexdigest() if lock.is_file() else "missing"
    return {"git_commit": commit, "git_dirty": dirty, "python": platform.python_version(), "lock_sha256": lock_sum}


def reader_parameters(parameters: dict) -> dict[str, str]:
    """The run's parameters as reader-facing text: lists joined by ', ', an empty value as '-', and a
    path parameter (data_dir, output_dir, weights) shown by its last component only ('data', not
    '/home/…/data'). Keys keep their order."""
    out = {}
    for key, value in parameters.items():
        if isinstance(value, (list, tuple)):
            value = ", ".join(str(v) for v in value)
        value = "" if value is None else str(value)
        if (paths.is_path_parameter(key) or key == "output_dir") and value:  # a path of the building machine
            value = Path(value).name or value
        out[key] = value or "-"
    return out


@functools.lru_cache(maxsize=8)
def _entity_names(data_dir: str, lang: str) -> dict[str, str]:
    """Entity id -> name in ``lang`` from ``data_dir``/entities.csv (its name_<lang> column: name_en; the ids
    are the Chinese names, so zh has no column and gives the id); {} when the file cannot be read."""
    from analysis_utils.labels import lang_column

    column = lang_column("name", lang)
    try:
        with (Path(data_dir) / "entities.csv").open(encoding="utf-8-sig", newline="") as fh:
            return {r["entity"]: r.get(column) or r["entity"] for r in csv.DictReader(fh)}
    except (OSError, KeyError, csv.Error):
        return {}


def parameter_items(parameters: dict, lang: str = "zh") -> list[tuple[str, str, list[tuple[str, str]]]]:
    """The run's parameters for a reader in ``lang``: (name, label, values) per parameter, in their order.

    ``label`` is the catalogue's ``param.<name>`` (the name itself for a parameter not in PARAMETERS).
    ``values`` holds (shown, typed) pairs: for an entity parameter (focus, peers) the entity's name in ``lang``
    (data/entities.csv name_en in en; data_dir's copy when the run gave one) and the id to type; for any other
    parameter ('', the value as reader_parameters shows it: a path by its last component, '-' for none).
    Raises ParameterError for a ``lang`` other than 'zh'/'en'."""
    from analysis_utils.labels import check_lang, text

    check_lang(lang)
    shown = reader_parameters(parameters)
    names = _entity_names(str(parameters.get("data_dir") or paths.DATA_DIR), lang)
    items = []
    for key, raw in parameters.items():
        label = text(f"param.{key}", lang) if key in PARAMETERS else key
        if key in ENTITY_PARAMETERS and raw:
            ids = [str(v) for v in raw] if isinstance(raw, (list, tuple)) else [str(raw)]
            values = [(names.get(i, i) if names.get(i, i) != i else "", i) for i in ids]
        else:
            values = [("", shown[key])]
        items.append((key, label, values))
    return items


def parameters_text(parameters: dict, lang: str = "zh") -> str:
    """parameter_items as one line of plain text: 'label (name): shown (typed), …; …' ('-' when none)."""
    def value(shown: str, typed: str) -> str:
        return f"{shown} ({typed})" if shown else typed
    return "; ".join(f"{label} ({key}): " + ", ".join(value(*v) for v in values)
                     for key, label, values in parameter_items(parameters, lang)) or "-"


def full(provenance: dict, lang: str = "zh") -> list[tuple[str, str]]:
    """(label, value) rows of a page's or workbook's provenance, labels in ``lang`` (catalogue provenance.*):
    parameters (parameters_text), data sha256, package version, time, git commit (+ a note when the tree had
    uncommitted changes), Python, lock sha256. Raises ParameterError for a ``lang`` other than 'zh'/'en'."""
    from analysis_utils.labels import check_lang, text

    check_lang(lang)
    env = environment()
    params = parameters_text(provenance.get("parameters") or {}, lang)
    commit = text("provenance.commit_dirty", lang, commit=env["git_commit"]) if env["git_dirty"] == "yes" \
        else env["git_commit"]
    return [(text("provenance.parameters", lang), params),
            (text("provenance.data", lang), str(provenance.get("data_checksum", "") or "-")),
            (text("provenance.version", lang), str(provenance.get("version", "") or "-")),
            (text("provenance.time", lang), str(provenance.get("time", "") or "-")),
            (text("provenance.commit", lang), commit), (text("provenance.python", lang), env["python"]),
            (text("provenance.lock", lang), env["lock_sha256"])]


def notebooks_provenance(runs: list[tuple[str, dict]], lang: str = "zh") -> list[tuple[str, str]]:
    """(label, value) rows of a workbook combining several notebooks' tables (tables.xlsx), labels in ``lang``:
    for each (notebook name, provenance) of ``runs``, in order, the rows of :func:`full` that belong to the run
    which wrote its tables (parameters, data sha256, package version, time), each label prefixed
    '<name>: '; then, once, the build's environment (git commit, Python, lock sha256). No run gives the
    environment rows only. Raises ParameterError for a ``lang`` other than 'zh'/'en'."""
    from analysis_utils.labels import check_lang

    check_lang(lang)
    rows = []
    for name, provenance in runs:
        rows += [(f"{name}: {label}", value) for label, value in full(provenance, lang)[:4]]
    return rows + full({}, lang)[4:]
