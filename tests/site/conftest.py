"""Fixtures for the build tests; `built_site` and `project_copy` come from tests/conftest.py."""

from __future__ import annotations

import pytest
from extra_orgs import HOSTILE_ORG, HOSTILE_SLUG, NEW_ORG, NEW_SLUG
from sitecheck import PDF_DOWNLOADS, build, copy_project


@pytest.fixture(scope="session")
def extended_site(tmp_path_factory: pytest.TempPathFactory):
    """One strict build of the project with two organisation files added: a new one, a hostile one."""
    root = copy_project(tmp_path_factory.mktemp("extended") / "project")
    folder = root / "data" / "organizations"
    (folder / f"{NEW_SLUG}.yml").write_text(NEW_ORG, encoding="utf-8")
    (folder / f"{HOSTILE_SLUG}.yml").write_text(HOSTILE_ORG, encoding="utf-8")
    result = build(root, env={"OFFLINE_ZIP": "false", "PDF_DOWNLOADS": PDF_DOWNLOADS})  # the offline zip is tested elsewhere
    assert result.returncode == 0, result.output
    return result
