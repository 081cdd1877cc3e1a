"""A YAML file a user writes (a ``-f`` parameters file, a weights file), read so that no bad file gets through:
every failure is one ParameterError naming the file and, where there is one, the line."""
from __future__ import annotations

from pathlib import Path

import yaml

from analysis_utils.errors import ParameterError


def read_yaml(path: str | Path, name: str):
    """What the YAML file ``path`` holds (UTF-8, a BOM allowed; None when empty; the caller checks its shape).
    ParameterError for ``name`` (the parameter or option
    that named the file: "-f", "weights") when the file is missing (``missing-file``), not UTF-8, e.g. saved as GBK
    (``encoding-error``), malformed (``format-error``), names a key twice at any depth, which YAML would silently
    keep the last of (``duplicate-key``)."""
    path = Path(path)
    if not path.is_file():
        raise ParameterError(name, str(path), "an existing YAML file", code="missing-file")
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise ParameterError(name, f"{path}, line {line}", "UTF-8 text (the file looks saved in another encoding, "
                             "e.g. GBK: save it as UTF-8)", code="encoding-error") from None

    class UniqueKeys(yaml.SafeLoader):
        """SafeLoader refusing a mapping that names a key twice."""

    def mapping(loader, node, deep=False):
        seen: dict = {}
        for key_node, _ in node.value:
            key = loader.construct_object(key_node, deep=deep)
            if key in seen:
                raise ParameterError(name, f"{path}, line {key_node.start_mark.line + 1}",
                                     f"each name once; {key!r} is already given on line {seen[key]}", "duplicate-key")
            seen[key] = key_node.start_mark.line + 1
        return loader.construct_mapping(node, deep=deep)

    UniqueKeys.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, mapping)
    try:
        loaded = yaml.load(text, Loader=UniqueKeys)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}, line {mark.line + 1}" if mark is not None else str(path)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ParameterError(name, where, f"valid YAML ({problem})", code="format-error") from None
    return loaded
