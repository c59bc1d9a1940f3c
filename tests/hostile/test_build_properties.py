"""Generated organisation files in real strict builds (few: each costs a build): the build
succeeds and shows every value literally, or fails with a French message naming the file and
leaves the previous site byte for byte."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sitecheck import build, copy_project, html_pages, parse
from test_markup_every_file import markup_from_values
from test_properties import CLEAN_VALUES, ENGLISH, records, squeeze, yaml_text

from charte_ia.data.models import Organization
from charte_ia.render.typography import fr_typo

FAST = {"OFFLINE_ZIP": "false"}


def snapshot(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, bytes]]:
    root = copy_project(tmp_path_factory.mktemp("generated") / "project")
    result = build(root, env=FAST)
    assert result.returncode == 0, result.output
    return root, snapshot(root / "site")


@settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.lists(st.one_of(records(Organization, CLEAN_VALUES), records(Organization)), min_size=1, max_size=3))
def test_generated_files_build_or_fail_cleanly(built, files: list[dict]) -> None:
    root, before = built
    folder = root / "data" / "organizations"
    paths = [folder / f"zz-genere-{i}.yml" for i in range(len(files))]
    try:
        for path, record in zip(paths, files, strict=True):
            path.write_text(yaml_text(record), encoding="utf-8")
        result = build(root, env=FAST)
        assert "Traceback" not in result.output
        if result.returncode != 0:
            errors = [line for line in result.output.splitlines() if line.startswith("  - data/")]
            assert errors, result.output[-2000:]
            for line in errors:
                assert re.match(r"  - data/organizations/zz-genere-\d\.yml:\d+", line), line
                assert not ENGLISH.search(line), line
            assert snapshot(root / "site") == before
            return
        shown = "".join(
            squeeze(" ".join(parse(page).texts))
            for page in html_pages(root / "site")
            if "zz-genere" in page.as_posix()
        )
        for page in html_pages(root / "site"):
            raw = page.read_text(encoding="utf-8")
            assert not markup_from_values(raw), page
        for record in files:
            name = squeeze(fr_typo(" ".join(record["name"].split())))
            assert name in shown, name
    finally:
        for path in paths:
            path.unlink(missing_ok=True)
        result = build(root, env=FAST)  # the next example starts from the project's own site
        assert result.returncode == 0, result.output
