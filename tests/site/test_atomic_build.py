"""A build that fails, at any stage and for any reason, leaves the previous site/ byte for byte;
one that succeeds replaces it whole (files of a removed organisation go)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sitecheck import build

FAST = {"OFFLINE_ZIP": "false"}


def snapshot(site: Path) -> dict[str, tuple[int, bytes]]:
    """Every file and folder of the site: its mode and bytes."""
    out = {}
    for path in sorted(site.rglob("*")):
        out[path.relative_to(site).as_posix()] = (path.stat().st_mode, b"" if path.is_dir() else path.read_bytes())
    return out


def leftovers(root: Path) -> list[str]:
    return sorted(p.name for p in root.iterdir() if p.name.startswith(".site."))


@pytest.fixture
def first_build(project_copy: Path):
    result = build(project_copy, env=FAST)
    assert result.returncode == 0, result.output
    return project_copy, snapshot(project_copy / "site")


def append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


# How to make a build fail after it has started writing: what it writes, then a strict warning
# (MkDocs aborts after every page is written), a macro that raises (mkdocs-macros exits), bad data.
LATE_FAILURES = {
    "strict-warning": (lambda root: append(root / "docs" / "sources.md", "\n[lien](nulle-part.md)\n"), "a échoué"),
    "macro-error": (lambda root: append(root / "docs" / "sources.md", '\n{{ figure("inconnu") }}\n'), "arrêtée"),
    "bad-data": (
        lambda root: (root / "data" / "organizations" / "longue.yml").write_text(
            'name: "Longue"\nversion: "' + "9" * 300 + '"\n', encoding="utf-8"
        ),
        "au plus 20",
    ),
}


@pytest.mark.parametrize("case", list(LATE_FAILURES))
def test_a_failed_build_leaves_the_site_as_it_was(first_build, case: str) -> None:
    root, before = first_build
    breaker, words = LATE_FAILURES[case]
    breaker(root)
    result = build(root, env=FAST)
    assert result.returncode != 0
    assert words in result.output, result.output[-2000:]
    assert snapshot(root / "site") == before
    assert leftovers(root) == []


def test_a_killed_build_leaves_the_site_and_the_next_one_cleans_up(first_build) -> None:
    root, before = first_build
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **FAST}
    proc = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(root / "mkdocs.yml")],
        cwd=root,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while not any((root / name / "index.html").exists() for name in leftovers(root)):
        assert proc.poll() is None, "the build ended before it could be killed"
        assert time.monotonic() < deadline
        time.sleep(0.01)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert snapshot(root / "site") == before
    assert leftovers(root), "the killed build's folder is there"
    (root / "data" / "organizations" / "la-boutique-d-elise.yml").unlink()
    result = build(root, env=FAST)
    assert result.returncode == 0, result.output
    assert leftovers(root) == []  # the killed build's folder was removed
    after = snapshot(root / "site")
    assert "chartes/la-boutique-d-elise/index.html" in before and "chartes/la-boutique-d-elise/index.html" not in after
    assert after["index.html"][0] == before["index.html"][0]  # same modes
