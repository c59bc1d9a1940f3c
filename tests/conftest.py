"""Shared fixtures: a copy of the project in a temporary folder, and real strict builds of it."""

from __future__ import annotations

import datetime as dt
import importlib.util
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# What a site build needs; everything else (tests, .venv, site/) stays out of the copies.
PROJECT_PARTS = ("mkdocs.yml", "docs", "data", "overrides", "macros.py", "hooks.py")


@dataclass
class Build:
    root: Path
    site: Path
    returncode: int
    output: str  # stdout and stderr together

    def page(self, url_path: str) -> str:
        """HTML of a page by its URL path, e.g. "chiffres/" or "chartes/modele/"."""
        path = self.site / url_path
        if url_path == "" or url_path.endswith("/"):
            path = path / "index.html"
        return path.read_text(encoding="utf-8")


def copy_project(dest: Path) -> Path:
    dest.mkdir(parents=True, exist_ok=True)
    for part in PROJECT_PARTS:
        src = ROOT / part
        if src.is_dir():
            shutil.copytree(src, dest / part)
        elif src.exists():
            shutil.copy2(src, dest / part)
    return dest


def build(root: Path, site: Path | None = None, env: dict[str, str] | None = None, engine: str = "mkdocs") -> Build:
    """`mkdocs build --strict` of the project at `root`, for real, in a subprocess (`engine`:
    "properdocs" for the maintained fork of MkDocs 1.x)."""
    site = site or root / "site"
    full_env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})}
    proc = subprocess.run(
        [sys.executable, "-m", engine, "build", "--strict", "-f", str(root / "mkdocs.yml"), "-d", str(site)],
        cwd=root,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    return Build(root, site, proc.returncode, proc.stdout + proc.stderr)


@pytest.fixture
def project_copy(tmp_path: Path) -> Path:
    """A fresh copy of the project that a test may change."""
    return copy_project(tmp_path / "project")


def _pdf_downloads() -> str:
    """The builds of the tests make the PDFs where WeasyPrint can (Pango installed) and in CI,
    where .ci/run installs it; elsewhere the PDF tests skip and say what to install."""
    if os.environ.get("CI"):
        return "true"
    from charte_ia.render import pdf

    return "true" if pdf.available() else "false"


PDF_DOWNLOADS = _pdf_downloads()


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """One strict build of the project as it is deployed (`make build`: with the offline zip),
    shared by the tests that only read it."""
    root = copy_project(tmp_path_factory.mktemp("built") / "project")
    result = build(root, env={"OFFLINE_ZIP": "true", "PDF_DOWNLOADS": PDF_DOWNLOADS})
    assert result.returncode == 0, result.output
    return result


# --- The clause library moving on after a release --------------------------------------------

AGENCY = "agence-pixel-et-plume"
MOVED_CLAUSE = "incidents-signalement"  # retitled when the library moves on
MOVED_TITLE = "Alerte sans délai"


@dataclass
class LibraryMoved:
    """A copy of the project in which the agency has just released its current text (and a hostile
    organisation its first version), built before and after the clause library moved on (one
    clause retitled, a changelog revision naming it): the agency's current text then differs from
    its last release under the same number, whatever the examples' own releases are."""

    before: Build  # without PDFs
    after: Build  # with the PDFs where this machine makes them
    released: str  # the agency's version released in the copy
    versions: list[str]  # every version of the agency in the copy, oldest first
    revision: str  # the changelog revision added in the copy


def _extra_orgs():  # type: ignore[no-untyped-def]
    """tests/site/extra_orgs.py (the hostile organisation), loaded by path."""
    spec = importlib.util.spec_from_file_location("charte_tests_extra_orgs", ROOT / "tests" / "site" / "extra_orgs.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def move_library(data: Path) -> str:
    """Retitle MOVED_CLAUSE in data/charter/library.yml and add the newest changelog revision,
    which names it; returns that revision."""
    library = data / "charter" / "library.yml"
    source = library.read_text(encoding="utf-8")
    at = source.index(f"- id: {MOVED_CLAUSE}\n")
    title = re.compile(r"^(\s+)title: .*$", re.M).search(source, at)
    assert title
    library.write_text(source[: title.start()] + f"{title.group(1)}title: {MOVED_TITLE}" + source[title.end() :], encoding="utf-8")
    changelog = data / "changelog.yml"
    text = changelog.read_text(encoding="utf-8")
    newest = dt.date.fromisoformat(re.search(r"(?m)^    date: (\S+)$", text).group(1))
    day = newest + dt.timedelta(days=40)
    revision = f"{day.year}-{day.month:02d}"
    entry = (
        f'  - revision: "{revision}"\n    date: {day.isoformat()}\n    summary: "Signalement des incidents renommé."\n'
        f"    changes:\n      - clauses: [{MOVED_CLAUSE}]\n"
        '        text: "Le signalement des incidents devient une alerte, à donner sans délai."\n'
    )
    changelog.write_text(text.replace("revisions:\n", "revisions:\n" + entry, 1), encoding="utf-8")
    return revision


@pytest.fixture(scope="session")
def library_moved(tmp_path_factory: pytest.TempPathFactory) -> LibraryMoved:
    from charte_ia.charter.releases import release, suggest_next
    from charte_ia.data.loader import load_project

    extra = _extra_orgs()
    root = copy_project(tmp_path_factory.mktemp("moved") / "project")
    data = root / "data"
    (data / "organizations" / f"{extra.HOSTILE_SLUG}.yml").write_text(extra.HOSTILE_ORG, encoding="utf-8")
    project = load_project(data)
    assert release(project, extra.HOSTILE_SLUG, dt.date(2026, 5, 1)).created
    last = project.releases[AGENCY][-1]
    version = suggest_next(last.version)
    agency = data / "organizations" / f"{AGENCY}.yml"
    agency.write_text(re.sub(r"(?m)^version: .*$", f'version: "{version}"', agency.read_text(encoding="utf-8")), encoding="utf-8")
    assert release(load_project(data), AGENCY, last.released + dt.timedelta(days=14)).created
    versions = [r.version for r in load_project(data).releases[AGENCY]]
    before = build(root, root / "before", env={"OFFLINE_ZIP": "false", "PDF_DOWNLOADS": "false"})
    assert before.returncode == 0, before.output
    revision = move_library(data)
    after = build(root, root / "after", env={"OFFLINE_ZIP": "false", "PDF_DOWNLOADS": PDF_DOWNLOADS})
    assert after.returncode == 0, after.output
    return LibraryMoved(before, after, version, versions, revision)
