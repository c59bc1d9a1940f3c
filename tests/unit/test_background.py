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


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_process_forked_before_the_data_reads_each_organisation_file_and_writes_the_same_bytes(
    project: Project, tmp_path: Path
) -> None:
    """`mkdocs build`: the documents' process starts at on_config (site.start_documents), holding
    no organisation, and is handed their files once the build has loaded them: it writes the
    same builder libraries and documents, under the same names, as the build process would."""
    from charte_ia.mkdocs import site

    styles = ("directory", site.OFFLINE_LIBRARY)
    site._document_jobs(project, site._DownloadStore(tmp_path / "here"), False, styles)
    DocumentWorker.start_fed(lambda feed: site._streamed_documents(project.data_dir, styles, feed))
    files = [(entry.slug, str(entry.path)) for entry in project.organizations]
    assert DocumentWorker.hand_over((str(tmp_path / "there"), False, styles, files))
    assert not DocumentWorker.hand_over(("elsewhere", False, styles, files))  # handed once
    DocumentWorker.wait()
    here = _tree(tmp_path / "here")
    assert len(here) == 2 + 5 * (len(project.organizations) + 1)
    assert _tree(tmp_path / "there") == here


def test_process_forked_before_the_data_reports_a_failure_and_stops_when_never_fed(
    project: Project, tmp_path: Path
) -> None:
    from charte_ia.mkdocs import site

    DocumentWorker.start_fed(lambda feed: site._streamed_documents(project.data_dir, (), feed))
    DocumentWorker.hand_over((str(tmp_path), False, (), [("absente", str(tmp_path / "absente.yml"))]))
    with pytest.raises(PluginError, match="n’ont pas pu être produits : DataErrors (?s:.*)absente.yml: fichier manquant"):
        DocumentWorker.wait()
    DocumentWorker.start_fed(lambda feed: site._streamed_documents(project.data_dir, (), feed))
    DocumentWorker.wait()  # the build never handed it anything: it ends, and nothing fails


def test_documents_process_starts_early_only_in_a_build(monkeypatch: pytest.MonkeyPatch) -> None:
    from charte_ia.mkdocs import site

    started: list[object] = []
    monkeypatch.setattr(DocumentWorker, "start_fed", classmethod(lambda cls, work: started.append(work)))
    config = type("Config", (), {"config_file_path": "mkdocs.yml", "use_directory_urls": True})()
    monkeypatch.setitem(site._state, "command", "serve")
    site.start_documents(config)  # type: ignore[arg-type]
    assert started == []
    monkeypatch.setitem(site._state, "command", "build")
    site.start_documents(config)  # type: ignore[arg-type]
    assert len(started) == 1
