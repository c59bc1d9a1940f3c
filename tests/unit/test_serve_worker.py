"""`mkdocs serve`'s documents' process: the bytes the build would write, the files of an unchanged
charter linked rather than rendered again, and whatever it cannot do left to the server."""

from __future__ import annotations

import dataclasses
import time
from pathlib import Path

import pytest

from charte_ia.charter.assembly import assemble
from charte_ia.data.loader import Project
from charte_ia.mkdocs.background import render_documents
from charte_ia.mkdocs.serve_worker import ServeWorker, can_run, charter_digest

KINDS = {"docx": "docx", "markdown": "md", "json": "json", "odt": "odt", "essentials_docx": "docx"}


def paths_in(folder: Path, project: Project) -> list[tuple[str | None, dict[str, Path]]]:
    folder.mkdir(parents=True, exist_ok=True)
    entries = [None, *project.organizations]
    return [
        (entry.slug if entry else None, {kind: folder / f"{i}-{kind}.{suffix}" for kind, suffix in KINDS.items()})
        for i, entry in enumerate(entries)
    ]


def test_the_digest_follows_the_charter(project: Project) -> None:
    entry = project.organizations[0]
    charter = assemble(project, entry)
    assert charter_digest(charter) == charter_digest(assemble(project, entry))
    section = charter.sections[0]
    clause = dataclasses.replace(section.clauses[0], title=section.clauses[0].title + " !")
    changed = dataclasses.replace(charter, sections=[dataclasses.replace(section, clauses=[clause, *section.clauses[1:]]), *charter.sections[1:]])
    assert charter_digest(changed) != charter_digest(charter)
    assert charter_digest(dataclasses.replace(charter, disclaimer=charter.disclaimer + ".")) != charter_digest(charter)


@pytest.mark.skipif(not can_run(), reason="needs a second core")
def test_documents_as_the_build_writes_them_and_unchanged_ones_linked(project: Project, tmp_path: Path) -> None:
    here = paths_in(tmp_path / "here", project)
    by_slug = {entry.slug: entry for entry in project.organizations}
    render_documents(project, [(by_slug[slug] if slug else None, paths) for slug, paths in here])
    worker = ServeWorker()
    try:
        for build in ("one", "two"):
            worker.begin(project.data_dir, True, [])
            jobs = paths_in(tmp_path / build, project)
            for slug, paths in jobs:
                worker.send(slug, paths)
            assert worker.wait() == ([], False)
            for (_, ours), (_, theirs) in zip(here, jobs):
                for kind, path in ours.items():
                    assert path.read_bytes() == theirs[kind].read_bytes(), (build, kind)
            expected = {"rendered": len(jobs), "linked": 0, "taken": 0}
            if build == "two":
                expected |= {"rendered": 0, "linked": len(jobs)}
            assert ServeWorker.last_counts == expected
        # Linked, not copied: the second build's files are the first build's.
        assert (tmp_path / "one" / "0-docx.docx").stat().st_ino == (tmp_path / "two" / "0-docx.docx").stat().st_ino
    finally:
        worker.process.terminate()
        worker.process.join()


@pytest.mark.skipif(not can_run(), reason="needs a second core")
def test_what_the_process_cannot_do_is_left_to_the_server(project: Project, tmp_path: Path) -> None:
    worker = ServeWorker()
    try:
        worker.begin(tmp_path / "no-data", True, [])  # it cannot load this
        jobs = paths_in(tmp_path / "out", project)[:2]
        for slug, paths in jobs:
            worker.send(slug, paths)
        left, libraries = worker.wait()
        assert libraries is True
        assert left == [(slug, {kind: str(path) for kind, path in paths.items()}) for slug, paths in jobs]
        worker.begin(project.data_dir, True, [])
        worker.process.terminate()
        worker.process.join()
        worker.send(None, jobs[0][1])
        assert worker.wait()[0] == [(None, {kind: str(path) for kind, path in jobs[0][1].items()})]
        assert ServeWorker.current is None  # started again at the next build (ServeWorker.get)
    finally:
        worker.process.terminate()
        worker.process.join()


@pytest.mark.skipif(not can_run(), reason="needs a second core")
def test_the_server_takes_the_charters_not_started_and_none_is_rendered_twice(project: Project, tmp_path: Path) -> None:
    """Once its pages are written the server renders, from the end of the list, what the
    process has not started: every document is written once, by one of the two."""
    from charte_ia.mkdocs import site

    by_slug = {entry.slug: entry for entry in project.organizations}
    worker = ServeWorker()
    try:
        worker.begin(project.data_dir, True, [])
        jobs = paths_in(tmp_path / "out", project) * 1
        jobs = [(slug, {kind: path.with_name(f"{n}-{path.name}") for kind, path in paths.items()}) for n in range(20) for slug, paths in jobs]
        for slug, paths in jobs:
            worker.send(slug, paths)
        deadline = time.monotonic() + 120
        while worker.claims.started.value == 0 and time.monotonic() < deadline:  # both at work
            time.sleep(0.05)
        mine = []
        while (job := worker.take_last()) is not None:
            mine.append(job)
            site._render_here(project, [job], [])
        assert worker.wait() == ([], False)
        assert ServeWorker.last_counts["rendered"] + len(mine) == len(jobs)
        assert mine and ServeWorker.last_counts["rendered"] > 0
        here = paths_in(tmp_path / "here", project)
        render_documents(project, [(by_slug[slug] if slug else None, paths) for slug, paths in here])
        for n in range(20):
            for (_, ours), (_, theirs) in zip(here, jobs[n * len(here) : (n + 1) * len(here)]):
                for kind, path in ours.items():
                    assert path.read_bytes() == theirs[kind].read_bytes()
    finally:
        worker.process.terminate()
        worker.process.join()
