"""The documents rendered in a forked process: the same bytes, and failures reported."""

from __future__ import annotations

from pathlib import Path

import pytest
from mkdocs.exceptions import PluginError

from charte_ia.mkdocs.background import DocumentWorker, can_fork, render_documents
from charte_ia.data.loader import Project

pytestmark = pytest.mark.skipif(not can_fork(), reason="needs fork and a second core")


def jobs_in(folder: Path, project: Project) -> list:
    entries = [None, *project.organizations]
    kinds = {"docx": "docx", "markdown": "md", "json": "json", "odt": "odt"}
    return [(entry, {k: folder / f"{i}.{suffix}" for k, suffix in kinds.items()}) for i, entry in enumerate(entries)]


def test_worker_writes_what_the_build_process_would(project: Project, tmp_path: Path) -> None:
    (tmp_path / "here").mkdir()
    (tmp_path / "there").mkdir()
    render_documents(project, jobs_in(tmp_path / "here", project))
    DocumentWorker.start(project, jobs_in(tmp_path / "there", project))
    DocumentWorker.wait()
    here = sorted(p.name for p in (tmp_path / "here").iterdir())
    assert here == sorted(p.name for p in (tmp_path / "there").iterdir())
    assert len(here) == 4 * (len(project.organizations) + 1)
    for name in here:
        assert (tmp_path / "here" / name).read_bytes() == (tmp_path / "there" / name).read_bytes(), name


def test_spawned_worker_writes_the_same_bytes(project: Project, tmp_path: Path) -> None:
    """A worker started afresh (`spawn`) writes the same documents."""
    (tmp_path / "here").mkdir()
    (tmp_path / "there").mkdir()
    render_documents(project, jobs_in(tmp_path / "here", project))
    DocumentWorker.start(project, jobs_in(tmp_path / "there", project), "spawn")
    DocumentWorker.wait()
    for path in (tmp_path / "here").iterdir():
        assert path.read_bytes() == (tmp_path / "there" / path.name).read_bytes(), path.name


def test_worker_failure_stops_the_build_with_a_message(project: Project, tmp_path: Path) -> None:
    DocumentWorker.start(project, jobs_in(tmp_path / "missing-folder", project))
    with pytest.raises(
        PluginError, match="Les documents des chartes .* n’ont pas pu être produits : FileNotFoundError"
    ):
        DocumentWorker.wait()
    DocumentWorker.wait()  # nothing left to wait for


def test_stop_ends_a_running_worker(project: Project, tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    DocumentWorker.start(project, jobs_in(tmp_path / "out", project) * 50)
    worker = DocumentWorker.current
    assert worker is not None
    DocumentWorker.stop()
    assert not worker.process.is_alive()
    assert DocumentWorker.current is None
