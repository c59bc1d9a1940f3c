"""`mkdocs serve`: one process beside the server, for the whole run, that renders the charters'
documents and compiles the builder's library while the server makes and writes the pages.

It is started once (`spawn`: the live-reload server runs threads, which `fork` does not mix
with) and kept: it loads the data itself at each build, the way the server does (the
organisation files that did not change are taken from its previous load, by content), so no
project is pickled, and what it rendered stays warm in its caches (the deflated sections of the
.docx and .odt, the assembled clauses). The server sends it, as it makes them, the charters whose
inputs changed; the process assembles each and renders its documents only when the charter
itself (and what its documents print besides) differs from what it rendered last for that
organisation: otherwise the files it made then are linked under the new names (the server puts
the replaced folders aside only once the build is done). A change to the clause library that
reaches a few charters re-renders their documents, not every one. Once the server has written
every page it renders, from the end of the list, the charters the process has not started.

Each build's request carries its number: a build that failed leaves its answer behind, which the
next one skips. Whatever the process cannot do (it died, it could not load the data) is done by
the server itself, in process, so a build never lacks a document.
"""

from __future__ import annotations

import dataclasses
import gc
import hashlib
import itertools
import logging
import multiprocessing
import os
import queue
import sys
import time
from pathlib import Path
from typing import Any

from charte_ia.charter.assembly import Charter, ClauseView, assemble
from charte_ia.charter.essentials import essentials
from charte_ia.data.loader import OrganizationCache, OrganizationEntry, Project, load_project

log = logging.getLogger("mkdocs.plugins.charte_ia")

# (slug or None for the blank charter, where each document goes by format: background.RENDERERS)
Job = tuple[str | None, dict[str, str]]

# How long the server waits for the process at a time before it checks that it is alive.
_POLL_S = 0.5


def can_run() -> bool:
    return (os.cpu_count() or 1) > 1


# --- in the documents' process ----------------------------------------------------------------


def _view_digest(view: ClauseView) -> bytes:
    """A clause's content, hashed once per clause object: most are shared by many charters."""
    found = view.__dict__.get("_digest")
    if found is None:
        found = hashlib.blake2b(repr(view).encode(), digest_size=16).digest()
        object.__setattr__(view, "_digest", found)
    return found


def charter_digest(charter: Charter) -> bytes:
    """Everything a charter's model holds (every field, its clauses by their digest)."""
    digest = hashlib.blake2b(digest_size=16)
    for item in dataclasses.fields(charter):
        value = getattr(charter, item.name)
        if item.name == "sections":
            for section in value:
                fields = [(f.name, getattr(section, f.name)) for f in dataclasses.fields(section) if f.name != "clauses"]
                digest.update(repr(fields).encode())
                for view in section.clauses:
                    digest.update(_view_digest(view))
        else:
            digest.update(repr((item.name, value)).encode())
    return digest.digest()


def shared_key(project: Project, directory_urls: bool) -> bytes:
    """What every charter's documents print besides the charter."""
    return repr((project.library.labels, project.revision_date, project.sources, project.figures, directory_urls)).encode()


def document_key(project: Project, entry: OrganizationEntry | None, charter: Charter, paths: dict[str, str], shared: bytes) -> str:
    """The digest of everything one charter's documents are rendered from (and of their names)."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update(charter_digest(charter))
    digest.update(repr(essentials(project, entry, charter)).encode())
    digest.update(repr(entry.org).encode() if entry is not None else b"")
    digest.update(shared)
    digest.update(repr(sorted((kind, os.path.basename(path)) for kind, path in paths.items())).encode())
    return digest.hexdigest()


class _Renderer:
    """The documents' process: its data, and what it rendered last for each organisation."""

    def __init__(self) -> None:
        self.organizations: OrganizationCache = {}
        self.project: Project | None = None
        self.entries: dict[str, OrganizationEntry] = {}
        self.shared = b""  # what every charter's documents print besides the charter
        # slug ("" for the blank charter) -> (the digest of what its documents were rendered
        # from, those files by format)
        self.rendered: dict[str, tuple[str, dict[str, str]]] = {}
        self.libraries: dict[str, str] = {}  # path of a compiled builder library -> its key
        self.error: str | None = None
        self.cpu: dict[str, float] = {}
        self.counts = {"rendered": 0, "linked": 0, "taken": 0}

    def begin(self, request: dict[str, Any]) -> None:
        from charte_ia.data.errors import DataErrors

        self.error = None
        self.counts = {"rendered": 0, "linked": 0, "taken": 0}
        started = time.process_time()
        self.cpu = {}
        # The previous build's data goes; the new one lives to the next build, and the cyclic
        # collector need not walk it at each collection while the documents are rendered.
        self.project, self.entries = None, {}
        gc.unfreeze()
        for name, value in request["environ"].items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        try:
            self.project = load_project(Path(request["data_dir"]), self.organizations)
        except DataErrors as exc:
            self.project, self.error = None, exc.report()
            return
        gc.freeze()
        project = self.project
        self.entries = {entry.slug: entry for entry in project.organizations}
        self.shared = shared_key(project, request["directory_urls"])
        from charte_ia.mkdocs.builder import library_script

        for style, path, key in request["libraries"]:
            if self.libraries.get(path) != key or not os.path.isfile(path):
                write_atomic(path, library_script(project, style).encode("utf-8"))
                self.libraries[path] = key
        self.cpu = {"load_cpu_s": time.process_time() - started}

    def render(self, job: Job) -> None:
        from charte_ia.mkdocs.background import render_charter_documents

        if self.project is None:
            raise RuntimeError(self.error or "données non chargées")
        slug, paths = job
        entry = self.entries[slug] if slug is not None else None
        charter = assemble(self.project, entry)
        key = document_key(self.project, entry, charter, paths, self.shared)
        before = self.rendered.get(slug or "")
        if before is not None and before[0] == key and _link_all(before[1], paths):
            self.counts["linked"] += 1
        else:
            for path in paths.values():  # a name linked to another build's file: never written through
                if os.path.lexists(path):
                    os.unlink(path)
            render_charter_documents(self.project, entry, charter, {kind: Path(path) for kind, path in paths.items()})
            self.counts["rendered"] += 1
        self.rendered[slug or ""] = (key, paths)


def _link_all(sources: dict[str, str], targets: dict[str, str]) -> bool:
    """Hard links to the files `sources` names, under the names `targets` gives; False when a
    file is missing or cannot be linked (then nothing is taken from `sources`)."""
    if sorted(sources) != sorted(targets):
        return False
    try:
        for kind, target in targets.items():
            if os.path.lexists(target):
                os.unlink(target)
            os.link(sources[kind], target)
    except OSError:
        return False
    return True


def write_atomic(path: str, data: bytes) -> None:
    """A new file in place of the old one: a page being served keeps the old one (its own link)."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    part = f"{path}.{os.getpid()}.part"
    with open(part, "wb") as out:
        out.write(data)
    os.replace(part, path)


def _serve(requests: Any, replies: Any, claims: Any) -> None:
    renderer = _Renderer()
    server = os.getppid()
    while True:
        try:
            message = requests.get(timeout=_POLL_S)
        except queue.Empty:
            if os.getppid() != server:  # the server is gone (killed: it could not say stop)
                break
            continue
        kind = message[0]
        try:
            if kind == "begin":
                renderer.begin(message[2])
            elif kind == "rendered":  # by the server (ServeWorker.record)
                slug, paths = message[2]
                renderer.rendered[slug or ""] = (message[3], paths)
            elif kind == "job" and not claims.start(message[1], message[2]):
                renderer.counts["taken"] += 1  # by the server (ServeWorker.take_last)
            elif kind == "job":
                started = time.process_time()
                renderer.render(message[3])
                renderer.cpu["documents_cpu_s"] = renderer.cpu.get("documents_cpu_s", 0.0) + time.process_time() - started
        except Exception as exc:  # reported to the server, which renders that charter itself
            replies.put(("failed", message[1], message[3] if kind == "job" else None, f"{type(exc).__name__} : {exc}"))
        if kind == "end":
            replies.put(("done", message[1], renderer.error, dict(renderer.counts), dict(renderer.cpu)))


class _Claims:
    """Which of a build's charters each process renders: the documents' process takes them in
    the order sent, the server (once its pages are written) from the end, in shared memory under
    a lock, so that none is rendered twice or left out."""

    NONE = 1 << 62

    def __init__(self, context: Any) -> None:
        self.lock = context.Lock()
        self.build = context.RawValue("q", 0)
        self.started = context.RawValue("q", 0)  # the documents' process's next charter
        self.limit = context.RawValue("q", self.NONE)  # from this one on, the server's

    def open(self, build: int) -> None:
        with self.lock:
            self.build.value, self.started.value, self.limit.value = build, 0, self.NONE

    def start(self, build: int, index: int) -> bool:
        """The documents' process: whether charter `index` is still its own (then it is started)."""
        with self.lock:
            if build != self.build.value or index >= self.limit.value:
                return False
            self.started.value = index + 1
            return True

    def take_last(self, sent: int) -> int | None:
        """The server: the last charter not started yet, now its own; None when there is none."""
        with self.lock:
            limit = min(self.limit.value, sent)
            if limit <= self.started.value:
                self.limit.value = limit
                return None
            self.limit.value = limit - 1
            return limit - 1


# --- in the server --------------------------------------------------------------------------


class ServeWorker:
    """The server's side: one process for the run, restarted if it has died."""

    current: ServeWorker | None = None
    _builds = itertools.count(1)
    # What the last build's process did: charters whose documents it rendered, and linked as
    # they were (tests, and the log).
    last_counts: dict[str, int] = {}
    last_cpu: dict[str, float] = {}  # its CPU time: loading the data (and the library), documents

    def __init__(self) -> None:
        context = multiprocessing.get_context("spawn")
        self.requests = context.Queue()
        self.replies = context.Queue()
        self.claims = _Claims(context)
        sys.stdout.flush()
        sys.stderr.flush()
        self.process = context.Process(target=_serve, args=(self.requests, self.replies, self.claims), daemon=True, name="charte-ia-documents")
        self.process.start()
        self.build: int | None = None
        self.jobs: list[Job] = []  # this build's, rendered in process if the worker fails
        self.taken: set[int] = set()  # those the server rendered itself (take_last)
        self.libraries: list[tuple[str, str, str]] = []
        self.directory_urls = True  # this build's (record)
        self._shared: tuple[Project, bytes] | None = None  # shared_key of the project last recorded

    @classmethod
    def get(cls) -> ServeWorker | None:
        """The running process (started on the first call); None where none can run."""
        if not can_run():
            return None
        worker = cls.current
        if worker is None or not worker.process.is_alive():
            try:
                cls.current = worker = cls()
            except (OSError, RuntimeError, AttributeError) as exc:  # multiprocessing's start-up errors
                log.debug(f"Documents rendered in process: {exc}")
                cls.current = None
                return None
        return worker

    def begin(self, data_dir: Path, directory_urls: bool, libraries: list[tuple[str, str, str]]) -> None:
        """A build starts: the process loads the data (and compiles the builder's library for
        each (style, path, key) whose key changed)."""
        self.build = next(self._builds)
        self.jobs, self.taken = [], set()
        self.claims.open(self.build)
        self.libraries = libraries
        from charte_ia.render.pdf import CACHE_ENV

        environ = {name: os.environ.get(name) for name in ("SOURCE_DATE_EPOCH", CACHE_ENV, "PDF_DOWNLOADS")}
        request = {
            "data_dir": str(data_dir),
            "directory_urls": directory_urls,
            "libraries": libraries,
            "environ": environ,
        }
        self.requests.put(("begin", self.build, request))

    def pending(self) -> bool:
        return self.build is not None

    @classmethod
    def busy(cls) -> bool:
        """Whether a build's documents are under way (their copy into site/ waits)."""
        return cls.current is not None and cls.current.pending()

    def send(self, slug: str | None, paths: dict[str, Path]) -> None:
        job: Job = (slug, {kind: str(path) for kind, path in paths.items()})
        self.jobs.append(job)
        self.requests.put(("job", self.build, len(self.jobs) - 1, job))

    def record(self, project: Project, entry: OrganizationEntry | None, charter: Charter, paths: dict[str, Path]) -> None:
        """Documents the server rendered itself: the process keeps them as it keeps its own, so
        that a later build whose charter is the same links them instead of rendering them again."""
        job: Job = (entry.slug if entry is not None else None, {kind: str(path) for kind, path in paths.items()})
        if self._shared is None or self._shared[0] is not project:
            self._shared = (project, shared_key(project, self.directory_urls))
        self.requests.put(("rendered", self.build, job, document_key(project, entry, charter, job[1], self._shared[1])))

    def take_last(self) -> Job | None:
        """Once the pages are written: a charter the process has not started, for the server to
        render itself; None when the process has started them all."""
        if self.build is None:
            return None
        index = self.claims.take_last(len(self.jobs))
        if index is None:
            return None
        self.taken.add(index)
        return self.jobs[index]

    def cancel(self) -> None:
        """A build that failed: its answer, when it comes, is skipped by the next build's wait."""
        if self.build is not None:
            self.requests.put(("end", self.build))
        self.build = None

    def wait(self) -> tuple[list[Job], bool]:
        """Once the server has sent this build's charters: wait until the process has written
        them. Returns what the server must render itself (failed jobs, or all of them when the
        process died or could not load the data) and whether the builder's libraries are to
        be compiled here too."""
        build, taken = self.build, self.taken
        jobs = [job for i, job in enumerate(self.jobs) if i not in taken]  # the process's share
        self.build, self.jobs, self.taken = None, [], set()
        if build is None:
            return [], False
        self.requests.put(("end", build))
        failed: list[Job] = []
        while True:
            try:
                reply = self.replies.get(timeout=_POLL_S)
            except queue.Empty:
                if not self.process.is_alive():
                    log.warning("Le processus des documents s’est arrêté : les documents de cette construction sont produits ici.")
                    ServeWorker.current = None
                    return jobs, True
                continue
            if reply[1] != build:
                continue  # a failed build's
            if reply[0] == "failed":
                log.debug(f"Documents rendered in process: {reply[3]}")
                if reply[2] is None:
                    return jobs, True
                failed.append(tuple(reply[2]))  # type: ignore[arg-type]
                continue
            _, _, error, counts, cpu = reply
            ServeWorker.last_counts, ServeWorker.last_cpu = counts, cpu
            if error is not None:
                log.debug(f"Documents rendered in process: {error}")
                return jobs, True
            log.debug(
                f"Documents: {counts['rendered']} charters rendered, {counts['linked']} unchanged; CPU "
                + ", ".join(f"{name} {seconds:.2f}" for name, seconds in cpu.items())
            )
            return failed, False
