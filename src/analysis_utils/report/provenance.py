"""What a reader needs to reproduce a page or a workbook: the run's parameters as a reader reads them (a path by its
last component), the data's sha256, the package version, the time, and the environment (paths.environment)."""
from __future__ import annotations

from pathlib import Path

from analysis_utils import paths
from analysis_utils.labels import catalogue, check_lang, text
from analysis_utils.report.names import entity_names_in

ENTITY_PARAMETERS = ("focus", "peers")  # parameters naming entities (data/entities.csv ids, the Chinese names)


def parameter_items(parameters: dict, lang: str = "zh") -> list[tuple[str, str, list[tuple[str, str]]]]:
    """The run's parameters for a reader in ``lang``: (name, label, values) each, in order. ``label``: catalogue
    ``param.<name>``, else the name (a user's own notebook's). ``values``: (shown, typed) pairs; for focus and peers
    each entity's name in ``lang`` as the pages name it ('示例区†' for a user's district; '' when it is the id) and
    the id to type; for another parameter ('', its value: a list joined by ', ', a path by its last component, '-' for
    none). ParameterError for a bad ``lang``."""
    check_lang(lang)
    names = entity_names_in(parameters.get("data_dir") or None, lang)
    items = []
    for key, raw in parameters.items():
        label = text(f"param.{key}", lang) if f"param.{key}" in catalogue() else key
        if key in ENTITY_PARAMETERS and raw:
            ids = [str(v) for v in raw] if isinstance(raw, (list, tuple)) else [str(raw)]
            items.append((key, label, [("" if names.get(i, i) == i else names[i], i) for i in ids]))
            continue
        value = ", ".join(map(str, raw)) if isinstance(raw, (list, tuple)) else "" if raw is None else str(raw)
        if (paths.is_path_parameter(key) or key == "output_dir") and value:  # a path of the building machine
            value = Path(value).name or value
        items.append((key, label, [("", value or "-")]))
    return items


def full(provenance: dict, lang: str = "zh") -> list[tuple[str, str]]:
    """(label, value) rows of a page's or workbook's provenance, labels in ``lang`` (catalogue provenance.*):
    parameters ('label (name): shown (typed), …; …'), data sha256, package version, time, git commit (noting
    uncommitted changes), Python, lock sha256; '-' for what is not known. ParameterError for a bad ``lang``."""
    check_lang(lang)
    env = paths.environment()
    params = "; ".join(f"{label} ({key}): " + ", ".join(f"{shown} ({typed})" if shown else typed for shown, typed in vs)
                       for key, label, vs in parameter_items(provenance.get("parameters") or {}, lang))
    commit = text("provenance.commit_dirty", lang, commit=env["git_commit"]) if env["git_dirty"] == "yes" \
        else env["git_commit"]
    return [(text(key, lang), str(value or "-")) for key, value in (
        ("provenance.parameters", params), ("provenance.data", provenance.get("data_checksum")),
        ("provenance.version", provenance.get("version")), ("provenance.time", provenance.get("time")),
        ("provenance.commit", commit), ("provenance.python", env["python"]), ("provenance.lock", env["lock_sha256"]))]
