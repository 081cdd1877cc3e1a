"""environment.yml (conda/Binder) lists the same dependencies as pyproject.toml; the lock pins them all; the Makefile's
help aligns its targets, and a .venv of another checkout is refused by every target that uses it."""
from __future__ import annotations

import re
import shutil
import subprocess

import pytest
import tomllib
import yaml

from analysis_utils import paths
from analysis_utils.paths import REPO_ROOT


def _name(spec: str) -> str:
    return re.split(r"[<>=!~ \[;]", spec.strip(), maxsplit=1)[0].lower().replace("_", "-")


def pyproject_dependencies() -> set[str]:
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    deps = set(map(_name, project["dependencies"]))
    for extra in project.get("optional-dependencies", {}).values():
        deps |= set(map(_name, extra))
    return deps


def environment_dependencies() -> set[str]:
    env = yaml.safe_load((REPO_ROOT / "environment.yml").read_text(encoding="utf-8"))
    names = set()
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            names |= {_name(p) for p in dep.get("pip", []) if not p.startswith("-e")}
        else:
            names.add(_name(dep.split("=")[0]))
    return names - {"python", "pip"}


def test_environment_yml_matches_pyproject():
    env, proj = environment_dependencies(), pyproject_dependencies()
    assert env == proj, f"only in environment.yml: {sorted(env - proj)}; only in pyproject.toml: {sorted(proj - env)}"


def test_lock_pins_every_runtime_dependency_exactly():
    lock = {}
    for line in (REPO_ROOT / "requirements.lock").read_text().splitlines():
        if "==" in line:
            name, version = line.split("==")
            lock[_name(name)] = version
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    runtime = set(map(_name, project["dependencies"])) | set(map(_name, project["optional-dependencies"]["test"]))
    assert runtime <= set(lock), f"not pinned in requirements.lock: {sorted(runtime - set(lock))}"


def test_make_help_aligns_every_description():
    """`make help`: one line per documented target, every description starting in the same column, however
    long the target's name ('site-archive' is 12 characters)."""
    import shutil
    import subprocess


    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    out = subprocess.run(["make", "-s", "help"], cwd=REPO_ROOT, capture_output=True, text=True, timeout=60).stdout
    lines = [line for line in out.splitlines() if line.startswith("  make ")]
    names = {line.split()[1] for line in lines}
    assert {"help", "venv", "reproduce", "site-archive", "test"} <= names
    starts = {re.match(r"  make \S+\s+", line).end() for line in lines}
    assert starts == {len("  make site-archive  ")}, out  # the longest name, then two spaces


def test_makefile_refuses_a_venv_of_another_checkout(tmp_path):
    shutil.copy(paths.REPO_ROOT / "Makefile", tmp_path / "Makefile")
    (tmp_path / ".venv").mkdir()
    (tmp_path / ".venv" / ".checkout").write_text("/somewhere/else\n", encoding="utf-8")
    for target in ("test", "reproduce", "venv"):
        proc = subprocess.run(["make", "-C", str(tmp_path), target], capture_output=True, text=True)
        assert proc.returncode != 0 and "belongs to /somewhere/else" in proc.stderr, target
    # help and clean touch no .venv: they work in the copy (clean removes its build/)
    (tmp_path / "build").mkdir()
    for target in ("help", "clean"):
        proc = subprocess.run(["make", "-C", str(tmp_path), target], capture_output=True, text=True)
        assert proc.returncode == 0, (target, proc.stderr)
    assert "make reproduce" in subprocess.run(["make", "-C", str(tmp_path)], capture_output=True, text=True).stdout
    assert not (tmp_path / "build").exists()
