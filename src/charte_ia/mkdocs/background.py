"""The charters' documents (and the builder's library), rendered on the second core while MkDocs
makes and writes the pages.

No page needs a document: a forked process renders them meanwhile, and their copy into site/
waits for it (site.DownloadFile), until every page is written; `wait()` runs then (hooks.py,
`on_post_build`). A build forks it before the data is loaded (`start_fed`), and hands it the
organisation files once they are validated (`hand_over`): it reads each when it renders its
documents, and never holds them all.
Without a second core or without `fork` they are rendered in the build's own process.
`mkdocs serve`, whose live-reload server runs threads (which `fork` does not mix with), keeps one
process of its own for the whole run instead (serve_worker.py).
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path

from mkdocs.exceptions import PluginError

from charte_ia.charter.assembly import Charter, assemble
from charte_ia.data.loader import OrganizationEntry, Project
from charte_ia.render.docx import render_docx
from charte_ia.render.json import render_json
from charte_ia.render.markdown import render_markdown
from charte_ia.charter.essentials import essentials
from charte_ia.render.docx import render_essentials_docx
from charte_ia.render.odt import render_odt

# An organisation (None: the blank charter) and where each of its documents goes, by format
# (the keys of RENDERERS).
Job = tuple[OrganizationEntry | None, dict[str, Path]]

Renderer = Callable[[Charter, Project, OrganizationEntry | None], bytes]
RENDERERS: dict[str, Renderer] = {
    "docx": lambda charter, project, entry: render_docx(charter, project),
    "markdown": lambda charter, project, entry: render_markdown(charter, project),
    "json": render_json,
    "odt": lambda charter, project, entry: render_odt(charter, project),
    "essentials_docx": lambda charter, project, entry: render_essentials_docx(
        essentials(project, entry, charter), project
    ),
}


def _pdf(charter: Charter, project: Project, entry: OrganizationEntry | None) -> bytes:
    from charte_ia.render.pdf import render_pdf  # WeasyPrint, only when PDFs are asked for

    return render_pdf(charter, project)


def _essentials_pdf(charter: Charter, project: Project, entry: OrganizationEntry | None) -> bytes:
    from charte_ia.render.pdf import render_essentials_pdf

    return render_essentials_pdf(essentials(project, entry, charter), project)


RENDERERS |= {"pdf": _pdf, "essentials_pdf": _essentials_pdf}


def can_fork() -> bool:
    return (os.cpu_count() or 1) > 1 and "fork" in multiprocessing.get_all_start_methods()


def render_documents(project: Project, jobs: list[Job]) -> None:
    # A job names the organisation, not its charter: the forked process assembles it again (1 ms,
    # on the other core) rather than receive 60 clauses pickled through a pipe.
    for entry, paths in jobs:
        render_charter_documents(project, entry, assemble(project, entry), paths)


def render_charter_documents(
    project: Project, entry: OrganizationEntry | None, charter: Charter, paths: dict[str, Path]
) -> None:
    for kind, path in paths.items():
        path.write_bytes(RENDERERS[kind](charter, project, entry))


def _child(project: Project, jobs: list[Job] | Callable[[], list[Job]], errors: Connection) -> None:
    try:
        render_documents(project, jobs() if callable(jobs) else jobs)
    except BaseException as exc:  # reported by the parent, as a build error
        errors.send(f"{type(exc).__name__} : {exc}")
        sys.exit(1)


def _fed_child(work: Callable[[Connection], None], feed: Connection, parent_end: Connection, errors: Connection) -> None:
    parent_end.close()  # so that the feed ends (EOFError) if the build stops before it hands over
    try:
        work(feed)
    except EOFError:  # the build stopped before it handed the documents over: nothing to do
        return
    except BaseException as exc:
        errors.send(f"{type(exc).__name__} : {exc}")
        sys.exit(1)


class DocumentWorker:
    """One forked process that renders the documents of this build."""

    current: DocumentWorker | None = None

    def __init__(
        self,
        project: Project | None,
        jobs: list[Job] | Callable[[], list[Job]],
        method: str = "fork",
        work: Callable[[Connection], None] | None = None,
    ):
        context = multiprocessing.get_context(method)
        self.errors, child_end = context.Pipe(duplex=False)
        self.feed: Connection | None = None
        if work is None:
            target, args = _child, (project, jobs, child_end)
        else:
            feed, self.feed = context.Pipe(duplex=False)
            target, args = _fed_child, (work, feed, self.feed, child_end)
        sys.stdout.flush()  # what the parent has buffered must not be written twice
        sys.stderr.flush()
        self.process = context.Process(target=target, args=args, daemon=True)
        self.process.start()
        child_end.close()
        if work is not None:
            feed.close()

    @classmethod
    def start(cls, project: Project, jobs: list[Job] | Callable[[], list[Job]], method: str = "fork") -> None:
        """`jobs` may be a function that the process calls to list them (fork only): then it
        starts before the build process has made its files and pages, and shares less of it."""
        cls.stop()
        if jobs:
            cls.current = cls(project, jobs, method)

    @classmethod
    def start_fed(cls, work: Callable[[Connection], None]) -> None:
        """A process forked now that runs `work`, which waits for what the build hands it
        (hand_over) on the connection it is given: it can start before the data is loaded."""
        cls.stop()
        cls.current = cls(None, [], "fork", work)

    @classmethod
    def hand_over(cls, message: object) -> bool:
        """Send the waiting process (start_fed) its jobs; False when no process waits."""
        worker = cls.current
        if worker is None or worker.feed is None:
            return False
        try:
            worker.feed.send(message)
        except OSError:  # it has stopped: the caller renders the documents another way
            cls.stop()
            return False
        worker.feed.close()
        worker.feed = None
        return True

    @classmethod
    def wait(cls) -> None:
        """Return once every document is written; a failure stops the build (PluginError)."""
        worker, cls.current = cls.current, None
        if worker is None:
            return
        if worker.feed is not None:  # never handed anything: it stops
            worker.feed.close()
        worker.process.join()
        if worker.process.exitcode != 0:
            detail = worker.errors.recv() if worker.errors.poll() else f"code de sortie {worker.process.exitcode}"
            raise PluginError(f"Les documents des chartes (.docx, .odt, .pdf, .md, .json) n’ont pas pu être produits : {detail}")

    @classmethod
    def stop(cls) -> None:
        """Stop a worker whose build failed."""
        worker, cls.current = cls.current, None
        if worker is not None and worker.feed is not None:
            worker.feed.close()
        if worker is not None and worker.process.is_alive():
            worker.process.terminate()
            worker.process.join()
