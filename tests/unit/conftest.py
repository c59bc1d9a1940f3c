"""Fixtures for the unit tests: the project's data as loaded, and a copy of data/ to break."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from charte_ia.data.loader import Project, load_project

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"


@pytest.fixture(scope="session")
def project() -> Project:
    """The repository's data, loaded once (read-only)."""
    return load_project(DATA)


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A copy of data/ in tmp_path (so error paths read "data/…"), free to change."""
    dest = tmp_path / "data"
    shutil.copytree(DATA, dest)
    return dest
