"""The library's architecture and dependencies, checked by the tools that own those rules.

- import-linter: the layer contract in pyproject.toml (run > report > composite > audit | analysis > data >
  base), no import circles inside a sub-package, a base that imports nothing above it.
- deptry: every imported distribution is declared in pyproject.toml and every declared one is imported
  (or listed, with its reason, under [tool.deptry.per_rule_ignores]).
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from analysis_utils.paths import REPO_ROOT

BIN = Path(sys.executable).parent


def test_import_contracts_are_kept():
    proc = subprocess.run([str(BIN / "lint-imports"), "--no-cache"], cwd=REPO_ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
    assert "0 broken" in proc.stdout


def test_declared_dependencies_match_the_imports():
    proc = subprocess.run([str(BIN / "deptry"), "src", "tests", "benchmarks"], cwd=REPO_ROOT, capture_output=True,
                          text=True)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]


def test_the_domain_takes_no_language():
    """Codes inside, words at the edge: no function of data/, audit/, analysis/ or composite/ has a parameter
    named lang (the import contract above keeps the catalogue out of them too)."""
    import ast

    found = []
    for package in ("data", "audit", "analysis", "composite"):
        for path in sorted((REPO_ROOT / "src" / "analysis_utils" / package).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    args = node.args.posonlyargs + node.args.args + node.args.kwonlyargs
                    found += [f"{path.name}:{node.name}" for a in args if a.arg == "lang"]
    assert found == []
