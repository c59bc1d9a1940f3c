"""Shared fixtures: a copy of the project in a temporary folder, and real strict builds of it."""

from __future__ import annotations

import os
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
