"""What a build keeps of its organisations: packed, read back one at a time as they were loaded."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from charte_ia.data.loader import Project
from charte_ia.mkdocs import site

ROOT = Path(__file__).resolve().parents[2]


def test_packed_organisations_read_back_as_loaded(project: Project) -> None:
    entries = project.organizations
    packed = site.PackedOrganizations(entries)
    assert len(packed) == len(entries) > 1
    assert list(packed) == entries and [None, *packed][1:] == entries
    assert packed[0] == entries[0] and packed[-1] == entries[-1] and packed[1:] == entries[1:]
    assert next(iter(packed)) is not entries[0]  # a copy, dropped once read


def test_a_build_keeps_its_organisations_packed_and_serve_keeps_them_loaded(monkeypatch: pytest.MonkeyPatch) -> None:
    config = SimpleNamespace(config_file_path=str(ROOT / "mkdocs.yml"))
    for command, kind in (("build", site.PackedOrganizations), ("serve", list)):
        monkeypatch.setattr(site, "_cache", {})
        monkeypatch.setattr(site, "_this_build", [])
        monkeypatch.setattr(site, "_organization_cache", {})
        monkeypatch.setitem(site._state, "command", command)
        organizations = site.project_for(config).organizations  # type: ignore[arg-type]
        assert isinstance(organizations, kind), command
        assert [e.slug for e in organizations] == sorted(p.stem for p in (ROOT / "data" / "organizations").glob("*.yml"))
