"""The documentation a user reads first: two short READMEs (English, Chinese) that link each other and give the
two commands; every relative link of README*.md, CHANGELOG.md and docs/**/*.md reaches a file (and a heading)
inside the repository; the version is the same in pyproject.toml, the package, CITATION.cff and CHANGELOG.md."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import tomllib
import yaml

from analysis_utils import __version__
from analysis_utils.paths import REPO_ROOT

READMES = {"README.md": "README.zh-CN.md", "README.zh-CN.md": "README.md"}
MAX_README_LINES = 150
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
FENCE = re.compile(r"^```.*?^```", re.S | re.M)


def documents() -> list[Path]:
    return [REPO_ROOT / name for name in (*READMES, "CHANGELOG.md")] + sorted((REPO_ROOT / "docs").rglob("*.md"))


def links(path: Path) -> list[str]:
    """The targets of the Markdown links of ``path``, outside fenced code blocks."""
    return LINK.findall(FENCE.sub("", path.read_text(encoding="utf-8")))


def slug(heading: str) -> str:
    """GitHub's anchor of a heading: lower case, punctuation dropped (letters of any script kept), spaces to '-'."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def anchors(path: Path) -> set[str]:
    text = FENCE.sub("", path.read_text(encoding="utf-8"))
    return {slug(m) for m in re.findall(r"^#{1,6}\s+(.+?)\s*$", text, re.M)}


@pytest.mark.parametrize("name", list(READMES))
def test_each_readme_is_short_links_the_other_and_gives_both_commands(name):
    text = (REPO_ROOT / name).read_text(encoding="utf-8")
    lines = text.splitlines()
    assert len(lines) <= MAX_README_LINES, f"{name} has {len(lines)} lines, at most {MAX_README_LINES}"
    top = "\n".join(lines[:5])
    assert f"]({READMES[name]})" in top, f"{name} does not link {READMES[name]} in its first lines"
    for command in ("make reproduce", "make test"):
        assert command in text, f"{name} does not give `{command}`"
    assert "../shared" not in text, f"{name} points at ../shared, outside the repository"


def test_the_documentation_pages_exist():
    docs = REPO_ROOT / "docs"
    user = ["outputs.md", "data.md", "your-own-data.md", "audit.md", "composite-index.md", "batch-and-clusters.md"]
    expected = [docs / n for n in ["README.md", "architecture.md", "development.md", *user]]
    expected += [docs / "zh-CN" / n for n in user]
    missing = [str(p.relative_to(REPO_ROOT)) for p in expected if not p.is_file()]
    assert not missing, f"missing documentation pages: {missing}"


def test_every_relative_link_reaches_a_file_inside_the_repository():
    root = REPO_ROOT.resolve()
    broken = []
    for doc in documents():
        for target in links(doc):
            if re.match(r"[a-z][a-z0-9+.-]*:", target):  # https:, mailto:
                continue
            path, _, anchor = target.partition("#")
            where = (doc.parent / path).resolve() if path else doc.resolve()
            name = f"{doc.relative_to(REPO_ROOT)}: {target}"
            if not where.is_relative_to(root):
                broken.append(f"{name} (outside the repository)")
            elif not where.exists():
                broken.append(f"{name} (no such file)")
            elif anchor and where.suffix == ".md" and anchor not in anchors(where):
                broken.append(f"{name} (no such heading)")
    assert not broken, "broken links:\n" + "\n".join(broken)


def test_no_document_points_outside_the_repository_by_name():
    found = [str(d.relative_to(REPO_ROOT)) for d in documents() if "../shared" in d.read_text(encoding="utf-8")]
    assert not found, f"documents naming ../shared: {found}"


def test_the_version_is_the_same_everywhere():
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    citation = yaml.safe_load((REPO_ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    changelog = (REPO_ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    latest = re.search(r"^## \[(\d+\.\d+\.\d+)\] - (\d{4}-\d{2}-\d{2})$", changelog, re.M)
    assert latest, "CHANGELOG.md has no '## [X.Y.Z] - YYYY-MM-DD' entry"
    assert project["version"] == __version__ == str(citation["version"]) == latest.group(1)
    assert str(citation["date-released"]) == latest.group(2)


def test_citation_cites_the_package_and_the_report():
    citation = yaml.safe_load((REPO_ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert citation["cff-version"] == "1.2.0"
    for key in ("message", "title", "authors", "version", "date-released"):
        assert citation.get(key), f"CITATION.cff lacks {key}"
    [report] = [r for r in citation["references"] if r["type"] == "report"]
    assert report["title"] == "实施创新驱动，促进武昌经济提质增效升级"
    assert (report["year"], report["month"]) == (2016, 8)
    assert report["authors"][0]["name"] == "武汉市武昌区人大常委会"
