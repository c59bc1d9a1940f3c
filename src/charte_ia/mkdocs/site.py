"""What the MkDocs adapters (hooks.py, macros.py) call: data loading and generated files.

The data is loaded once per build; a change to any data file (mkdocs serve) loads it again.
"""

from __future__ import annotations

import atexit
import dataclasses
import gc
import hashlib
import json
import logging
import os
import pickle
import shutil
import stat
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import overload

from jinja2 import BytecodeCache, Environment
from jinja2.bccache import Bucket
from mkdocs import utils as mkdocs_utils
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

from charte_ia.mkdocs import aside
from charte_ia.mkdocs.background import (
    DocumentWorker,
    Job,
    can_fork,
    render_charter_documents,
    render_documents,
)
from charte_ia.mkdocs.serve_worker import ServeWorker, write_atomic
from charte_ia.mkdocs.versions import version_pages
from charte_ia.charter.assembly import BLANK_SLUG, Charter, CharterSummary, assemble
from charte_ia.charter.essentials import essentials
from charte_ia.data.errors import DataErrors
from charte_ia.data.loader import OrganizationCache, OrganizationEntry, Project, load_organization, load_project
from charte_ia.render import html as html_pages
from charte_ia.render.csv import render_figures_csv
from charte_ia.render.ics import render_catalogue_ics, render_ics
from charte_ia.render.json import dumps, index_data
from charte_ia.render.typography import fr_typo, fr_typo_html, fr_typo_html_around
from charte_ia.render.pages import (
    CATALOGUE_CALENDAR,
    CHARTERS_INDEX,
    FIGURES_CSV,
    DownloadNames,
    charter_src,
    download_names,
)

Stamp = tuple[tuple[str, int, int], ...]


@dataclass
class _Loaded:
    stamp: Stamp
    project: Project
    # The catalogue's rows, kept from the last build; the charters themselves are not kept (at
    # 1,000 organisations they weighed hundreds of MB).
    summaries: list[CharterSummary] | None = None


_cache: dict[Path, _Loaded] = {}


class DownloadFile(File):
    """A generated download. A `.md` download is a file to save, not a page to render."""

    def is_documentation_page(self) -> bool:
        return False

    def is_static_page(self) -> bool:
        return False

    def copy_file(self, dirty: bool = False) -> None:
        """While the documents' process still writes, the copy waits (documents_ready, at
        on_post_build): MkDocs copies the files before it writes the pages, and this process
        writes its pages meanwhile instead of waiting idle."""
        if DocumentWorker.current is not None or ServeWorker.busy():
            _deferred.append((self, dirty))
            return
        self._copy(dirty)

    def _copy(self, dirty: bool) -> None:
        """A hard link to the document waiting on disk rather than a copy: at 1,000
        organisations 7,000 files (a third of a serve rebuild's time when copied). The link
        outlives the temporary folder; a copy is made where a link cannot be (another disk).
        A build, whose temporary folder goes once the site is written, moves the file instead
        (one system call, and none to remove it after)."""
        if dirty or self._content is not None or self.abs_src_path is None:
            super().copy_file(dirty)
            return
        _place(self.abs_src_path, self.abs_dest_path)


def _place(source: str, output: str) -> None:
    """A waiting file into site/: moved or linked (DownloadFile._copy says why), else copied;
    nothing when serve's kept site has it in place already (_KeptSite)."""
    if output in _kept_site.in_place:
        return
    folder = os.path.dirname(output)
    if folder not in _made_folders:
        os.makedirs(folder, exist_ok=True)
        _made_folders.add(folder)
    if _state["command"] != "serve" and _DownloadStore.holds(source):
        try:
            os.replace(source, output)
            return
        except OSError:
            pass
    try:
        os.link(source, output)
    except FileExistsError:
        os.unlink(output)
        os.link(source, output)
    except OSError:
        shutil.copyfile(source, output)


class _Downloads:
    """The charters' downloads of this build (7.5 an organisation), by their path in the site:
    not MkDocs Files, which weighed 0.6 KB each (21 MB at 5,000 organisations) for a copy and
    a look-up. They are placed into site/ once the pages and documents are written
    (place_downloads); CharterPage checks the generated links to them, and SiteFiles finds
    them for a written page's link, as MkDocs finds any file."""

    def __init__(self) -> None:
        # Where each waits, None for the store's own folder under the same name (most of them:
        # one string fewer each).
        self.source: dict[str, str | None] = {}
        self.store = ""
        self.site_dir = ""

    def start(self, store: Path, site_dir: str) -> None:
        self.source.clear()
        self.store, self.site_dir = str(store) + os.sep, site_dir

    def add(self, name: str, path: Path) -> None:
        waiting = str(path)
        self.source[name] = None if waiting == self.store + name else waiting

    def __contains__(self, name: str) -> bool:
        return name in self.source

    def place(self) -> None:
        for name, waiting in self.source.items():
            _place(waiting or self.store + name, os.path.join(self.site_dir, name))
        self.source.clear()


_downloads = _Downloads()


class SiteFiles(Files):
    """MkDocs' files, which find the charters' downloads too (_Downloads): a written page's link
    to one resolves and is checked as a link to any file."""

    def __init__(self, files: Files, config: MkDocsConfig):
        super().__init__(files)
        self.config = config

    def get_file_from_path(self, path: str) -> File | None:
        file = super().get_file_from_path(path)
        if file is None and path in _downloads:
            file = DownloadFile.generated(self.config, path, abs_src_path=_downloads.source[path] or _downloads.store + path)
        return file


def with_downloads(files: Files, config: MkDocsConfig) -> Files:
    """hooks.py, at the end of on_files: the files MkDocs goes on with (SiteFiles)."""
    return SiteFiles(files, config)


class WrittenPage(DownloadFile):
    """mkdocs serve: an organisation's page that nothing it is made from has changed since the
    previous build wrote it. That page is linked into site/ as a file, with the page's address
    (links to it resolve as to the page), and MkDocs builds nothing for it."""

    # A page's address by (source, directory URLs): the same 2,000 at each rebuild.
    addresses: dict[tuple[str, bool], tuple[str, str]] = {}

    @classmethod
    def of(cls, config: MkDocsConfig, src: str, written: Path) -> WrittenPage:
        address = cls.addresses.get((src, config.use_directory_urls))
        if address is None:
            as_page = File.generated(config, src, content="")
            address = cls.addresses[(src, config.use_directory_urls)] = (as_page.dest_uri, as_page.url)
        file = cls.generated(config, src, abs_src_path=str(written))
        file.dest_uri, file.url = address  # type: ignore[misc]  (cached_property: set on the instance)
        return file

    @classmethod
    def kept(cls, config: MkDocsConfig, src: str, written: Path | None) -> WrittenPage | None:
        """The written page, when its file is there: in serve's kept site already, or on disk."""
        if written is None:
            return None
        file = cls.of(config, src, written)
        return file if _kept_site.previous.get(file.abs_dest_path) == str(written) or written.is_file() else None


# Folders of site/ made by DownloadFile.copy_file in this build (one makedirs each, not one a file).
_made_folders: set[str] = set()
# The downloads whose copy waits for the documents' process (DownloadFile.copy_file).
_deferred: list[tuple[DownloadFile, bool]] = []


log = logging.getLogger("mkdocs.plugins.charte_ia")


class CharterPage(Page):
    """A page whose HTML is made from the model (render.html), never from Markdown: MkDocs calls
    `read_source` and `render`, which take what the model gave instead of converting Markdown.
    The HTML waits on disk until the theme needs it (`load_content`, from hooks.py's
    `on_page_context`), and is dropped once the page is written (`release_content`): at 1,000
    organisations, 35 MB that no step reads again."""

    def __init__(self, title: str | None, file: File, config: MkDocsConfig, page: html_pages.HtmlPage, stored: Path):
        super().__init__(title, file, config)
        self.stored = stored
        self.page_meta = {"title": page.title, "description": page.description, "render_macros": False}
        if title is None:
            self.title = page.title
        self.toc_entries = page.toc
        self.anchor_ids = page.anchors
        self.cited = page.links
        self.content_typeset = page.typeset  # typography done (Material reads a page's `typeset`)
        self.search_text: str | None = None  # an organisation's search entry (search_entry)
        self.indexed = file.src_uri == charter_src(BLANK_SLUG)  # by the search plugin, from its HTML

    made: _Made | None = None  # serve: what this charter made, kept for the next build
    slot = "output"  # which of `made`'s written pages this page is ("output", "summary_output")

    def read_source(self, config: MkDocsConfig) -> None:
        self.markdown, self.meta = "", dict(self.page_meta)

    def render(self, config: MkDocsConfig, files: Files) -> None:
        # Only the blank charter is indexed from its HTML (the clause library, once); an
        # organisation has an entry made from the model (search_entry), and the catalogue's
        # pages none (their rows are the organisations' names again). Their HTML is read when
        # the theme writes the page (load_content), after the search plugin has seen it.
        # The table of contents likewise: MkDocs renders every page before it writes any, and
        # 2,000 pages' tables held meanwhile grow the build's memory with N.
        self.content = self.stored.read_text(encoding="utf-8") if self.indexed else ""
        if not self.indexed:
            self.meta["search"] = {"exclude": True}
        self.toc = get_toc([entry.token() for entry in self.toc_entries] if self.indexed else [])  # type: ignore[arg-type]
        self.present_anchor_ids = self.anchor_ids  # type: ignore[assignment]  (MkDocs only asks `in`)
        self.links_to_anchors = self._check_links(config, files)
        self.cited = {}  # checked: nothing reads the links again

    def _check_links(self, config: MkDocsConfig, files: Files) -> dict[File, dict[str, str]]:
        """What `--strict` checks of a Markdown page's links, for the links the model made: each
        target exists (here), each anchor on it (by MkDocs, after every page is rendered)."""
        anchors: dict[File, dict[str, str]] = {}
        for src, targets in self.cited.items():
            if src in _downloads:  # a file, no anchors
                continue
            target = files.get_file_from_path(src)
            if target is None:
                log.log(
                    config.validation.links.not_found,
                    f"Doc file '{self.file.src_uri}' contains a link to '{src}', which is not found.",
                )
                continue
            present = target.page.present_anchor_ids if target.page is not None else None
            if present is not None and isinstance(targets, html_pages.AnchorBits):
                targets = targets.outside(present)  # type: ignore[assignment]
            for anchor in targets:
                if not anchor:
                    continue
                if present is None:  # not rendered yet: MkDocs checks it after every page
                    anchors.setdefault(target, {})[anchor] = f"{src}#{anchor}"
                elif anchor not in present:
                    log.log(
                        config.validation.links.anchors,
                        f"Doc file '{self.file.src_uri}' contains a link '{src}#{anchor}', but the doc "
                        f"'{src}' does not contain an anchor '#{anchor}'.",
                    )
        return anchors

    def load_content(self) -> None:
        if not self.indexed:  # the indexed one was read already (render)
            self.content = self.stored.read_text(encoding="utf-8")
            self.toc = get_toc([entry.token() for entry in self.toc_entries])  # type: ignore[arg-type]

    def release_content(self) -> None:
        self.content = None
        self.toc = get_toc([])  # type: ignore[assignment]  (written: nothing reads it again)
        self.toc_entries = []


_NO_ANCHORS: frozenset[str] = frozenset()


def release_anchors(files: Files) -> None:
    """Once every page is rendered (hooks.py, on_env): a charter page's anchors are kept only
    while a link waits on them, MkDocs' check of the links to anchors that it makes after the
    last page is written. Most charter pages have none waiting (links to a page rendered
    already are checked at once: CharterPage._check_links), and at 1,000 organisations their
    anchors weighed about 12 KB a page."""
    pages = [file.page for file in files.documentation_pages() if file.page is not None]
    waited = {id(target) for page in pages if page.links_to_anchors for target in page.links_to_anchors}
    for page in pages:
        if isinstance(page, CharterPage) and id(page.file) not in waited:
            page.anchor_ids = page.present_anchor_ids = _NO_ANCHORS  # type: ignore[assignment]


def _nav_title(items: object, src: str) -> str | None:
    """The title mkdocs.yml's `nav` gives the page `src` (MkDocs takes it from there only for the
    pages it creates itself)."""
    if isinstance(items, list):
        for item in items:
            found = _nav_title(item, src)
            if found:
                return found
    elif isinstance(items, dict):
        for title, value in items.items():
            if value == src:
                return str(title)
            found = _nav_title(value, src)
            if found:
                return found
    return None


def data_dir(config: MkDocsConfig) -> Path:
    return Path(config.config_file_path).resolve().parent / "data"


def _fingerprint(folder: Path) -> Stamp:
    stats = []
    for path in sorted(folder.rglob("*")):
        try:
            st = path.stat()  # one call a file, where is_file() and stat() made two
        except OSError:
            continue
        if stat.S_ISREG(st.st_mode):
            stats.append((str(path), st.st_mtime_ns, st.st_size))
    return tuple(stats)


# mkdocs serve: the organisation files as the previous build loaded them, by content (loader.py).
_organization_cache: OrganizationCache = {}

# The project of the build under way, by its configuration: MkDocs makes one configuration a build
# (serve too, for each rebuild), and the data is looked at once a build, not at every call (1,000
# files stated each time).
_this_build: list[tuple[MkDocsConfig, _Loaded]] = []


def _loaded(config: MkDocsConfig) -> _Loaded:
    if _this_build and _this_build[0][0] is config:
        return _this_build[0][1]
    folder = data_dir(config)
    stamp = _fingerprint(folder)
    cached = _cache.get(folder)
    if cached and cached.stamp == stamp:
        _this_build[:] = [(config, cached)]
        return cached
    try:
        project = load_project(folder, _organization_cache if _state["command"] == "serve" else None)
    except DataErrors as exc:
        # PluginError: MkDocs prints the message without a traceback and exits 1, before it
        # cleans site/, so a bad file never leaves a half-built site behind.
        raise PluginError(exc.report()) from None
    if _state["command"] == "build":
        project = dataclasses.replace(project, organizations=PackedOrganizations(project.organizations))  # type: ignore[arg-type]
        give_back_memory()  # the models, in reference cycles, and what loading them took
    _cache[folder] = _Loaded(stamp, project)
    _this_build[:] = [(config, _cache[folder])]
    return _cache[folder]


class PackedOrganizations(Sequence[OrganizationEntry]):
    """A build's organisations, each kept pickled (about 2 KB) and read back when it is read
    (40 µs): a build reads them one at a time, and their models, all kept, weighed 18 KB an
    organisation of the build's memory (90 MB at 5,000). `mkdocs serve` keeps the models, which
    its rebuilds read again."""

    def __init__(self, entries: Iterable[OrganizationEntry]):
        self._packed = [pickle.dumps(entry, pickle.HIGHEST_PROTOCOL) for entry in entries]

    def __len__(self) -> int:
        return len(self._packed)

    @overload
    def __getitem__(self, index: int) -> OrganizationEntry: ...
    @overload
    def __getitem__(self, index: slice) -> list[OrganizationEntry]: ...

    def __getitem__(self, index: int | slice) -> OrganizationEntry | list[OrganizationEntry]:
        if isinstance(index, slice):
            return [pickle.loads(packed) for packed in self._packed[index]]
        return pickle.loads(self._packed[index])

    def __iter__(self) -> Iterator[OrganizationEntry]:
        return (pickle.loads(packed) for packed in self._packed)


def _with_blank(organizations: Iterable[OrganizationEntry]) -> Iterator[OrganizationEntry | None]:
    """None (the blank charter), then each organisation as it is read: a build's are unpacked
    one at a time (PackedOrganizations), never all at once, as `[None, *organizations]` would."""
    yield None
    yield from organizations


def project_for(config: MkDocsConfig) -> Project:
    """The validated project for this site, loaded once until a data file changes."""
    return _loaded(config).project


def charters(project: Project) -> Iterator[tuple[OrganizationEntry | None, Charter]]:
    """The blank charter first (entry None), then one per organisation, assembled one at a time."""
    for entry in _with_blank(project.organizations):
        yield entry, assemble(project, entry)


def summaries_for(config: MkDocsConfig) -> list[CharterSummary]:
    """The catalogue's rows: from this build's on_files, or assembled when asked before it."""
    loaded = _loaded(config)
    if loaded.summaries is None:
        loaded.summaries = [charter.summary() for _, charter in charters(loaded.project)]
    return loaded.summaries


@dataclass
class _Made:
    """What one charter gave a build: its catalogue row, page, search entry and downloads. In
    `mkdocs serve` it is kept, under the key of what it was made from (_charter_key), for the
    next build of the run."""

    key: str
    summary: CharterSummary
    page: html_pages.HtmlPage  # its content on disk (stored), not in memory
    stored: Path
    summary_page: html_pages.HtmlPage  # « L’essentiel en une page », the same way
    summary_stored: Path
    search_text: str | None
    downloads: list[tuple[str, Path]]
    index_links: dict[str, str | None]
    output: Path | None = None  # the page as the theme wrote it (serve), for `output_key`
    output_key: str | None = None
    # The pages of the organisation's released versions (mkdocs/versions.py), content on disk.
    version_pages: list[tuple[html_pages.HtmlPage, Path]] = field(default_factory=list)
    summary_output: Path | None = None  # the same for « L’essentiel »
    summary_output_key: str | None = None
    # What the page and « L’essentiel » were made from as the theme sees it (_page_digest): a
    # charter made again with the same pages keeps the pages as they were written.
    page_digest: bytes = b""
    summary_digest: bytes = b""


# mkdocs serve: slug -> what its charter made in the previous build of this run. Empty in a
# `mkdocs build`, which is a process of its own: a clean build takes nothing from another.
_made: dict[str, _Made] = {}


def _digest(*parts: bytes) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(len(part).to_bytes(8, "big"))
        h.update(part)
    return h.hexdigest()


def _library_key(folder: Path) -> str:
    """The content of every data file a charter is made from but organisations' own files."""
    organizations = folder / "organizations"
    files = sorted(p for p in folder.rglob("*") if organizations not in p.parents and p.is_file())
    return _digest(*(part for p in files for part in (str(p.relative_to(folder)).encode(), p.read_bytes())))


def _page_digest(page: html_pages.HtmlPage, content: bytes) -> bytes:
    """What the theme makes a charter's page from, besides what every page shares (_output_key)."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update(repr((page.src, page.title, page.description, page.toc, page.typeset)).encode())
    digest.update(content)
    return digest.digest()


def _charter_key(library: str, entry: OrganizationEntry | None, directory_urls: bool, texts: dict[int, str] | None = None) -> str:
    """What a charter is made from: the library's key and the organisation's file, as the loader
    read it (`texts`, by the organisation model's id: serve's loader keeps it) or read here."""
    text = texts.get(id(entry.org)) if entry is not None and texts else None
    content = text.encode("utf-8") if text is not None else entry.path.read_bytes() if entry is not None else b""
    own = (entry.slug.encode(), content) if entry is not None else (b"",)
    return _digest(library.encode(), str(directory_urls).encode(), *own)


def generated_files(config: MkDocsConfig, files: Files) -> None:
    """Add each charter's page and downloads to the build (nothing is written into docs/).

    Pages are HTML made from the model (render.html, CharterPage); pages and documents go to a
    temporary folder, not into memory: MkDocs copies the documents into site/ like any other
    file (at 1,000 organisations, 120 MB). In `mkdocs serve` what a charter made is kept by the
    content it was made from, and made again only when that changes."""
    loaded = _loaded(config)
    project = loaded.project
    _made_folders.clear()
    serving = _state["command"] == "serve"
    store = _DownloadStore.start(keep=serving)
    _downloads.start(store.folder, config.site_dir)
    directory_urls = bool(config.use_directory_urls)
    library = _library_key(data_dir(config)) if serving else ""
    _state["output_key"] = _output_key(config) if serving else None
    if serving:
        _kept_site.restore(Path(config.site_dir), _state["output_key"])
    _search_entries.clear()
    hand_written = {f.src_uri: f for f in files if f.src_uri.startswith("chartes/")}
    summaries = []
    index_rows: list[str] = []  # the index of charters' rows as JSON (_index_row)
    jobs: list[Job] = []  # the documents to render
    pdf = pdf_downloads()
    if pdf:
        pdf_cache(config, serving)
    made_now: dict[str, _Made] = {}
    early = _state["command"] == "build" and can_fork()
    if _state["command"] == "build":
        # What is alive now (the project) lives to the end of the build: the cyclic collector
        # need not walk it again at every collection. Not in serve, whose builds follow one
        # another in one process.
        gc.freeze()
    _libraries.clear()
    worker = ServeWorker.get() if serving else None
    if worker is not None:
        worker.directory_urls = directory_urls
        # The builder's library and the documents go to the process kept for the run, which
        # starts on them while this one makes the pages; the few documents of an edit that
        # leaves the library as it was are rendered here (the process would load the data first).
        style = library_style(config)
        _libraries.append(style)
        path = builder_library(style)
        assert path is not None
        compiled = (style, str(path), library)  # what builder.library_key reads, read once
        if _compiled_library.get(compiled[1]) != compiled[2] or not path.is_file():
            _compiled_library[compiled[1]] = compiled[2]
            worker.begin(data_dir(config), directory_urls, [compiled])
            _serve_build[:] = [project]
    if early:
        # The documents' process waits since on_config (start_documents); the organisations are
        # handed to it by their files, which it reads one at a time. Where it was not started,
        # one starts now, before this process makes its files and pages (it shares less memory
        # with it), and lists the documents by the rule `_make` follows. Either compiles the
        # builder's library too (56 MB that this process then never holds), for this site and,
        # when this build makes the offline zip, for its addresses.
        styles = _library_styles(config)
        _libraries.extend(styles)
        files_of = [(entry.slug, str(entry.path)) for entry in project.organizations]
        if not DocumentWorker.hand_over((str(store.folder), pdf, styles, files_of)):
            DocumentWorker.start(project, lambda: _document_jobs(project, store, pdf, styles))
    # serve: each organisation file's text as the loader read it this build (not read again).
    texts = {id(org): doc.text for doc, org in _organization_cache.values()} if serving else None
    for entry in _with_blank(project.organizations):
        slug = entry.slug if entry is not None else BLANK_SLUG
        key = _charter_key(library, entry, directory_urls, texts) if serving else ""
        made = _made.get(slug)
        if made is None or made.key != key or not serving:
            made = _make(project, entry, key, store, jobs, serving, directory_urls, pdf)
            if worker is not None and (worker.pending() or len(jobs) > SERVE_IN_PROCESS_MAX):
                if not worker.pending():
                    worker.begin(data_dir(config), directory_urls, [])
                    _serve_build[:] = [project]
                for job_entry, paths in jobs:
                    worker.send(job_entry.slug if job_entry is not None else None, paths)
                jobs.clear()
        if serving:  # kept for the next build; a build drops it with the charter
            made_now[slug] = made
        elif early:  # the documents' process lists its own
            jobs.clear()
        summaries.append(made.summary)
        src = made.page.src
        # A hand-written page of the same name gives way (one look-up per charter: MkDocs
        # rebuilds its index of files after each append, so look-ups inside the loop cost O(N²)).
        if src in hand_written:
            files.remove(hand_written[src])
        inclusion = InclusionLevel.INCLUDED if slug == BLANK_SLUG else InclusionLevel.NOT_IN_NAV
        key_now = _state["output_key"]
        if made.search_text is not None:
            _search_entries.append((made.page.src, made.page.title, made.search_text))
        fresh = serving and key_now is not None
        written = WrittenPage.kept(config, src, made.output) if fresh and made.output_key == key_now else None
        if written is not None:
            files.append(written)  # as the previous build wrote it
        else:
            added = _add_page(config, files, made.page, made.stored, inclusion)
            added.search_text = made.search_text
            if serving:
                added.made, added.slot = made, "output"
        # « L’essentiel » is not in the search index: the charter's own entry finds the organisation.
        written = WrittenPage.kept(config, made.summary_page.src, made.summary_output) if fresh and made.summary_output_key == key_now else None
        if written is not None:
            files.append(written)
        else:
            summary = _add_page(config, files, made.summary_page, made.summary_stored, InclusionLevel.NOT_IN_NAV)
            summary.page_meta["search"] = {"exclude": True}
            if serving:
                summary.made, summary.slot = made, "summary_output"
        for name, path in made.downloads:
            _downloads.add(name, path)
        for page, stored in made.version_pages:
            _unsearched(_add_page(config, files, page, stored, InclusionLevel.NOT_IN_NAV))
        index_rows += map(_index_row, index_data([(made.summary, entry, made.index_links)])["charters"])  # not the entry: read once
        bound_url_cache()
    if serving:
        for slug in set(_made) - set(made_now):  # an organisation file removed
            store.forget(_made[slug].key)
        _made.clear()
        _made.update(made_now)
    for name, content in _site_downloads(project, index_rows):
        files.append(DownloadFile.generated(config, name, abs_src_path=str(store.write(name, content))))
    count = html_pages.catalogue_page_count(len(summaries) - 1)
    for number in range(2, count + 1):  # more than 100 organisations
        page, stored = _catalogue_page(store, summaries, number, count, directory_urls, pdf, serving)
        _add_page(config, files, page, stored, InclusionLevel.NOT_IN_NAV)
    if serving:
        for number in [n for n in _catalogue if n > count]:
            del _catalogue[number]
    loaded.summaries = summaries
    if not serving:
        # The charters' transient work and the site-wide downloads (the index of charters: 10 MB
        # of text at 5,000) leave free memory that the pages' phase does not reuse: given back.
        give_back_memory()
    if early or (worker is not None and worker.pending()):
        pass  # on the second core, while MkDocs makes and writes the pages
    elif worker is not None:
        _serve_documents(project, jobs)
    else:
        render_documents(project, jobs)


# mkdocs serve: the project of the build whose documents the serve worker renders.
_serve_build: list[Project] = []
# mkdocs serve: the builder's library file of each URL style, by the key it was compiled for.
_compiled_library: dict[str, str] = {}
# mkdocs serve: up to this many charters' documents are rendered in the server (a few tenths of
# a second), where the documents' process would load the data first.
SERVE_IN_PROCESS_MAX = 16


# mkdocs serve: each catalogue page (2 and up) as the previous build made it, by its key.
_catalogue: dict[int, tuple[tuple[object, ...], html_pages.HtmlPage, Path]] = {}


def _catalogue_page(
    store: _DownloadStore,
    summaries: list[CharterSummary],
    number: int,
    count: int,
    directory_urls: bool,
    pdf: bool,
    serving: bool,
) -> tuple[html_pages.HtmlPage, Path]:
    """A catalogue page and where its HTML waits; in serve, made again only when one of its
    rows (or what every page shows) has changed: an edit changes one page of ten."""
    key = html_pages.catalogue_page_key(summaries, number, count, directory_urls, pdf) if serving else None
    kept = _catalogue.get(number) if serving else None
    if kept is not None and kept[0] == key and kept[2].is_file():
        return kept[1], kept[2]
    page = html_pages.catalogue_page(summaries, number, count, directory_urls, pdf)
    # Not under chartes/ in serve's folder, which each build empties (_DownloadStore.start).
    stored = store.write(("catalogue/" if serving else "") + page.src + ".html", page.content.encode("utf-8"))
    page.content = ""
    if serving:
        _catalogue[number] = (key, page, stored)  # type: ignore[assignment]
    return page, stored


# The builder's library links to pages: with directory URLs ("directory"), to .html files
# ("file", use_directory_urls: false), or to each folder's index.html (the offline zip's).
OFFLINE_LIBRARY = "offline"


def library_style(config: MkDocsConfig) -> str:
    return "directory" if config.use_directory_urls else "file"


def _library_name(style: str) -> str:
    """Where the builder's compiled library for one URL style waits, in a build's folder."""
    return f"_builder/library-{style}-urls.js"


def builder_library(style: str) -> Path | None:
    """The builder's compiled library, when this build's document process makes it
    (mkdocs/builder.py, mkdocs/offline.py); None: compile it here."""
    if style in _libraries and _DownloadStore.current is not None:
        return _DownloadStore(_DownloadStore.current).path(_library_name(style))
    return None


def _library_styles(config: MkDocsConfig) -> tuple[str, ...]:
    """The URL styles of the builder's libraries this build makes: the site's, and the offline
    zip's when it makes one."""
    from charte_ia.mkdocs import offline

    return (library_style(config), *((OFFLINE_LIBRARY,) if offline.makes_zip(config) else ()))


def start_documents(config: MkDocsConfig) -> None:
    """hooks.py, on_config, before the data is loaded: in a build with a second core, the
    documents' process is forked now, while this process holds no organisation. It loads every
    data file but the organisations' and compiles the builder's library while this process loads
    the organisations; then, handed the organisation files (generated_files), it reads each when
    it renders its documents. Its memory does not grow with the number of organisations."""
    if _state["command"] != "build" or not can_fork():
        return
    folder, styles = data_dir(config), _library_styles(config)
    DocumentWorker.start_fed(lambda feed: _streamed_documents(folder, styles, feed))


def _streamed_documents(folder: Path, styles: tuple[str, ...], feed: Connection) -> None:
    """In the process start_documents forks: the builder's libraries compiled while the build
    loads the data, the memory that took given back, then each organisation file read, its
    charter assembled and its documents rendered where `_make` expects them, one at a time."""
    from charte_ia.mkdocs.builder import library_script

    project = load_project(folder, organizations=False)
    scripts = [(style, library_script(project, style).encode("utf-8")) for style in styles]
    give_back_memory()
    store_folder, pdf, handed_styles, organizations = feed.recv()
    if tuple(handed_styles) != styles:
        raise RuntimeError(f"bibliothèques attendues {handed_styles}, compilées {styles}")
    store = _DownloadStore(Path(store_folder))
    for style, script in scripts:
        store.write(_library_name(style), script)
    del scripts
    for item in [None, *organizations]:
        entry = None if item is None else load_organization(folder, Path(item[1]))
        if entry is not None and entry.slug != item[0]:
            raise RuntimeError(f"organisation {item[0]} lue sous le nom {entry.slug}")
        charter = assemble(project, entry)
        documents = download_names(charter, pdf=pdf).documents()
        render_charter_documents(project, entry, charter, {kind: store.path(name) for kind, name in documents.items()})


def give_back_memory() -> None:
    """Collect what is garbage and hand the free memory of the C allocator back to the system
    (glibc's malloc_trim; nothing where there is none): after a step whose memory the steps
    that follow do not reuse, the resident set falls to what is alive."""
    gc.collect()
    try:
        import ctypes

        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):
        pass


def _document_jobs(project: Project, store: _DownloadStore, pdf: bool, libraries: tuple[str, ...] = ()) -> list[Job]:
    """In the forked process: the builder's library for each URL style in `libraries`, first
    (its memory is then reused for the documents), then the documents where `_make` expects
    them, each charter assembled once. Returns what is left to render: nothing."""
    from charte_ia.mkdocs.builder import library_script

    for style in libraries:
        store.write(_library_name(style), library_script(project, style).encode("utf-8"))
    for entry in _with_blank(project.organizations):
        charter = assemble(project, entry)
        documents = download_names(charter, pdf=pdf).documents()
        render_charter_documents(project, entry, charter, {kind: store.path(name) for kind, name in documents.items()})
    return []


PDF_SWITCH = "PDF_DOWNLOADS"


def pdf_downloads() -> bool:
    """Whether this build makes the PDFs (PDF_DOWNLOADS=true: `make build` and the Pages
    workflow ask for them; a plain `mkdocs build` does not, since a PDF costs about as much as
    the rest of a charter's build: bench/README.md). Without Pango the build stops and says
    what to install."""
    if os.environ.get(PDF_SWITCH, "").lower() != "true":
        return False
    from charte_ia.render import pdf

    if not pdf.available():
        raise PluginError(pdf.MISSING_PANGO)
    return True


PDF_CACHE = Path(".cache") / "charte-ia" / "pdf"  # beside mkdocs.yml, as Material's plugins keep theirs


def pdf_cache(config: MkDocsConfig, serving: bool) -> None:
    """`mkdocs serve` keeps its PDFs from one build to the next (render/pdf.py, use_cache); a
    build starts from nothing, so that it stays reproducible whatever ran before it."""
    from charte_ia.render import pdf

    pdf.use_cache(Path(config.config_file_path).parent / PDF_CACHE if serving else None)


def _make(
    project: Project,
    entry: OrganizationEntry | None,
    key: str,
    store: _DownloadStore,
    jobs: list[Job],
    serving: bool,
    directory_urls: bool,
    pdf: bool = False,
) -> _Made:
    """Assemble one charter and render its page; queue its documents."""
    charter = assemble(project, entry)
    names = download_names(charter, pdf=pdf)
    # In serve, each version of a charter has a folder of its own (by key): a page being served
    # never has its files rewritten under it, and the folder of a replaced version is removed.
    folder = key[:24] + "/" if serving else ""

    def stored_as(name: str) -> str:
        # serve: the version's files side by side in its folder, no folder of their own (at a
        # change to the clause library, three folders fewer to make for each charter).
        return folder + name.replace("/", "~") if serving else name

    write = (lambda name, data: store.write(stored_as(name), data)) if pdf else None
    versions, pages, version_downloads = version_pages(project, entry, charter, directory_urls, write)
    page = html_pages.charter_page(project, charter, names, directory_urls, versions)
    summary_page = html_pages.essentials_page(project, essentials(project, entry, charter), names, directory_urls)
    content, summary_content = page.content.encode("utf-8"), summary_page.content.encode("utf-8")
    stored = store.write(stored_as(page.src + ".html"), content)
    summary_stored = store.write(stored_as(summary_page.src + ".html"), summary_content)
    digests = (_page_digest(page, content), _page_digest(summary_page, summary_content)) if serving else (b"", b"")
    page.content = summary_page.content = ""
    documents = names.documents()
    paths = {kind: store.path(stored_as(name)) for kind, name in documents.items()}
    jobs.append((entry, paths))
    downloads = [(name, paths[kind]) for kind, name in documents.items()]
    downloads += version_downloads
    stored_versions = []
    for version_page in pages:
        stored_versions.append((version_page, store.write(stored_as(version_page.src + ".html"), version_page.content.encode("utf-8"))))
        version_page.content = ""
    summary = charter.summary()
    if versions is not None:
        summary = dataclasses.replace(summary, released=versions.last, changed=versions.changed)
    if entry is not None and names.calendar:
        calendar = render_ics(entry)
        if calendar is not None:
            downloads.append((names.calendar, store.write(stored_as(names.calendar), calendar)))
    made = _Made(
        key=key,
        summary=summary,
        page=page,
        stored=stored,
        summary_page=summary_page,
        summary_stored=summary_stored,
        search_text=None if charter.is_blank else html_pages.search_text(charter),  # the blank: its HTML, once
        downloads=downloads,
        index_links=_index_links(names, page.src, summary_page.src, directory_urls, versions.index if versions else None),
        version_pages=stored_versions,
        page_digest=digests[0],
        summary_digest=digests[1],
    )
    previous = _made.get(charter.slug)
    if serving and previous is not None and previous.key != key:
        _keep_written(previous, made)
        store.forget(previous.key)
    return made


def _keep_written(previous: _Made, made: _Made) -> None:
    """serve: the pages of a charter made again that read as before (a change to the clause
    library that does not reach them) keep the pages the theme wrote, linked into the new
    folder before the old one goes."""
    for slot, digest in (("output", "page_digest"), ("summary_output", "summary_digest")):
        written: Path | None = getattr(previous, slot)
        if written is None or not getattr(previous, digest) or getattr(previous, digest) != getattr(made, digest):
            continue
        stored = made.stored if slot == "output" else made.summary_stored
        target = stored.with_suffix(".written")
        try:
            os.link(written, target)
        except OSError:
            continue
        setattr(made, slot, target)
        setattr(made, slot + "_key", getattr(previous, slot + "_key"))


def _add_page(
    config: MkDocsConfig, files: Files, page: html_pages.HtmlPage, stored: Path, inclusion: InclusionLevel
) -> CharterPage:
    file = File.generated(config, page.src, content="", inclusion=inclusion)
    files.append(file)
    return CharterPage(_nav_title(config.nav, page.src), file, config, page, stored)


def _unsearched(page: CharterPage) -> CharterPage:
    """A version's page stays out of the search index: it repeats the library's clauses, which
    the blank charter indexes once."""
    page.page_meta["search"] = {"exclude": True}
    return page


# This build's organisations' search entries: (page source, title, text), in the files' order.
_search_entries: list[tuple[str, str, str]] = []


def add_search_entries(config: MkDocsConfig, files: Files) -> None:
    """The organisations' search entries, made from the model (hooks.py, on_env): the search
    plugin skips their pages (`search.exclude`) instead of parsing their HTML. They come before
    the entries the plugin makes as it writes the other pages, in every build alike."""
    plugin = config.plugins.get("material/search")
    index = getattr(plugin, "search_index", None)
    if index is not None and plugin.config.enabled:  # type: ignore[union-attr]
        for src, title, text in _search_entries:
            file = files.get_file_from_path(src)
            if file is not None:
                index.entries.append({"location": file.url if file.url != "./" else "", "title": title, "text": text})
    _search_entries.clear()
    if _state["command"] != "serve":
        give_back_memory()  # what MkDocs' navigation took to make, before the pages are written


def _index_links(
    names: DownloadNames, src: str, summary_src: str, directory_urls: bool, versions: str | None = None
) -> dict[str, str | None]:
    """A charter's addresses in the index, relative to the site's root (the offline site has
    no directory URLs: its pages end in .html); None for what this build does not make (the
    PDFs without PDF_DOWNLOADS, the calendar without a review date, the versions page without
    a released version). docs/donnees.md documents them."""

    def page(source: str | None) -> str | None:
        return html_pages.page_url(source, directory_urls) if source else None

    return {
        "page": page(src),
        "docx": names.docx,
        "odt": names.odt,
        "pdf": names.pdf,
        "markdown": names.markdown,
        "json": names.json,
        "calendar": names.calendar,
        "essentials_page": page(summary_src),
        "essentials_docx": names.essentials_docx,
        "essentials_pdf": names.essentials_pdf,
        "versions": page(versions),
    }


def _index_row(row: dict[str, object]) -> str:
    """One row of the index of charters as `dumps` writes it inside the index's list: about
    0.9 KB kept to the end of on_files, where the row's dict and strings weighed twice that."""
    return json.dumps(row, ensure_ascii=False, indent=2).replace("\n", "\n" + _ROW_INDENT)


_ROW_INDENT = " " * 4  # a row's depth in the index: {"charters": [ {…} ]}
_ROWS_HERE = "\u0000rows"  # where the rows go in the index written without them


def _index_bytes(rows: list[str]) -> bytes:
    """The index of charters, as `dumps({**index_data([]), "charters": [rows…]})` writes it."""
    text = json.dumps({**index_data([]), "charters": [_ROWS_HERE]}, ensure_ascii=False, indent=2)
    place = json.dumps(_ROWS_HERE, ensure_ascii=False)
    if not rows or text.count(place) != 1:
        raise RuntimeError("index des chartes : aucune ligne, ou la place des lignes introuvable")
    return (text.replace(place, (",\n" + _ROW_INDENT).join(rows)) + "\n").encode("utf-8")


def _site_downloads(
    project: Project, index_rows: list[str]
) -> list[tuple[str, bytes]]:
    """The downloads of the whole site: every review date, the index of charters (its rows made
    one charter at a time), the figures."""
    out = [(CHARTERS_INDEX, _index_bytes(index_rows)), (FIGURES_CSV, render_figures_csv(project))]
    calendar = render_catalogue_ics(project.organizations)
    if calendar is not None:
        out.append((CATALOGUE_CALENDAR, calendar))
    return out


def render_once(env: Environment) -> None:
    """`charte_ia_once(*key)` for the theme's templates (hooks.py, on_env): a call block whose
    content is rendered once per key and build. The key names everything the content depends
    on; the partial that uses it says what (overrides/partials/nav.html)."""
    done: dict[tuple[object, ...], str] = {}

    def once(*key: object, caller: Callable[[], str]) -> str:
        if key not in done:
            done[key] = caller()
        return done[key]

    env.globals["charte_ia_once"] = once


class _CompiledTemplates(BytecodeCache):
    """mkdocs serve: the theme's templates compiled once for the whole run, not at each
    rebuild (MkDocs makes a new environment for each). Jinja checks each template's source
    against what was compiled (its bucket's checksum), so an edited template is compiled again."""

    def __init__(self) -> None:
        self.code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self.code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.code[bucket.key] = bucket.bytecode_to_string()


# By what shapes the compiled code besides the source: the environment's extensions and syntax.
_compiled: dict[tuple[object, ...], _CompiledTemplates] = {}


def reuse_compiled_templates(env: Environment) -> None:
    """hooks.py, on_env: in mkdocs serve, the theme's compiled templates of the previous builds."""
    if _state["command"] != "serve":
        return
    shape = (
        tuple(sorted(env.extensions)),
        env.autoescape if isinstance(env.autoescape, bool) else id(env.autoescape),
        env.finalize is None,
        env.block_start_string, env.block_end_string, env.variable_start_string, env.variable_end_string,
        env.comment_start_string, env.comment_end_string, env.line_statement_prefix, env.line_comment_prefix,
        env.trim_blocks, env.lstrip_blocks, env.newline_sequence, env.keep_trailing_newline, env.optimized,
    )
    env.bytecode_cache = _compiled.setdefault(shape, _CompiledTemplates())


def documents_ready() -> None:
    """Once every page is written (hooks.py, on_post_build), before the offline zip reads the
    site: wait for the documents' process, then copy what waited for it."""
    DocumentWorker.wait()
    worker = ServeWorker.current
    project = _serve_build[0] if _serve_build else None
    if worker is not None and worker.pending() and project is not None:
        # Every page is written: this process takes the charters the other has not started yet.
        while (job := worker.take_last()) is not None:
            _render_here(project, [job], [])
        left, libraries = worker.wait()
        if left or libraries:
            _render_here(project, left, worker.libraries if libraries else [])
    _serve_build.clear()
    keep_written_pages()
    waiting = list(_deferred)
    _deferred.clear()
    for file, dirty in waiting:
        file._copy(dirty)


def _render_here(project: Project, jobs: list[tuple[str | None, dict[str, str]]], libraries: list[tuple[str, str, str]]) -> None:
    """What the serve worker could not do, done in this process."""
    from charte_ia.mkdocs.builder import library_script

    entries = {entry.slug: entry for entry in project.organizations}
    _serve_documents(project, [(entries[slug] if slug is not None else None, {kind: Path(path) for kind, path in paths.items()}) for slug, paths in jobs])
    for style, path, _ in libraries:
        write_atomic(path, library_script(project, style).encode("utf-8"))


def _serve_documents(project: Project, jobs: list[tuple[OrganizationEntry | None, dict[str, Path]]]) -> None:
    """serve: charters' documents rendered in this process, and told to the documents' process,
    which keeps them as if it had rendered them (ServeWorker.record)."""
    worker = ServeWorker.current
    for entry, paths in jobs:
        charter = assemble(project, entry)
        render_charter_documents(project, entry, charter, paths)
        if worker is not None:
            worker.record(project, entry, charter, paths)


def place_downloads() -> None:
    """Once every page is written and the documents are (hooks.py, on_post_build, before the
    offline zip is made from site/): the charters' downloads into site/ (_Downloads)."""
    _downloads.place()


_state: dict[str, str | None] = {"command": "build", "output_key": None}
# The URL styles whose builder library this build's document process compiles.
_libraries: list[str] = []


def on_startup(command: str) -> None:
    _state["command"] = command


class _DownloadStore:
    """The folder where this build's charter pages and documents wait for MkDocs to read them."""

    current: Path | None = None

    def __init__(self, folder: Path):
        self.folder = folder
        self.made: set[Path] = set()  # folders made already: two per build, not one per file

    # mkdocs serve: one folder for the whole run, kept from build to build (what is in it is
    # named by content); removed when the server stops.
    kept: Path | None = None

    @classmethod
    def start(cls, keep: bool = False) -> _DownloadStore:
        cls.finish()
        if keep:
            if cls.kept is None or not cls.kept.is_dir():
                cls.kept = Path(tempfile.mkdtemp(prefix="charte-ia-serve-"))
                atexit.register(shutil.rmtree, cls.kept, True)
            cls.current = cls.kept
            store = cls(cls.current)
            aside.put_aside(cls.current / "telechargements")  # this build's own
            aside.put_aside(cls.current / "chartes")
            return store
        cls.current = Path(tempfile.mkdtemp(prefix="charte-ia-downloads-"))
        return cls(cls.current)

    @classmethod
    def finish(cls) -> None:
        """Remove the folder (after the build, or when it failed); serve's stays for the next."""
        if cls.current is not None and cls.current != cls.kept:
            shutil.rmtree(cls.current, ignore_errors=True)
        cls.current = None

    @classmethod
    def holds(cls, path: str) -> bool:
        """Whether `path` is in this build's own folder (serve's, kept, is never emptied)."""
        folder = cls.current
        return folder is not None and folder != cls.kept and path.startswith(str(folder) + os.sep)

    def forget(self, key: str) -> None:
        """Remove what a replaced version of a charter made (serve), once the build is done:
        until then the documents' process may link its files, unchanged, under the new names."""
        _forgotten.append(self.folder / key[:24])

    def path(self, name: str) -> Path:
        """Where the file `name` goes (its folder made)."""
        path = self.folder / name
        if path.parent not in self.made:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.made.add(path.parent)
        return path

    def write(self, name: str, data: bytes) -> Path:
        path = self.path(name)
        path.write_bytes(data)
        return path


# serve: the folders of replaced charters, put aside once the build is done (_DownloadStore.forget).
_forgotten: list[Path] = []


def store_path(name: str) -> Path:
    """Where a generated download of this build waits on disk to be copied into site/."""
    if _DownloadStore.current is None:
        raise RuntimeError("store_path() outside a build")
    return _DownloadStore(_DownloadStore.current).path(name)


def load_content(page: Page) -> None:
    """Before the theme writes a charter page (hooks.py, on_page_context)."""
    if isinstance(page, CharterPage):
        page.load_content()


def post_page(output: str, page: Page) -> str:
    """The page as the theme made it, with French typography and its tables wrapped as Material's
    script would (html.wrap_tables) (hooks.py, on_post_page). A charter
    page's HTML is dropped now (nothing reads it again); in serve the written page is kept for
    the next build, under the key of everything else it is made from (_output_key): linked
    from site/ once MkDocs has written it (keep_written_pages)."""
    bound_url_cache()
    if not isinstance(page, CharterPage):
        return html_pages.wrap_tables(fr_typo_html(output))
    content = page.content
    page.release_content()
    output = fr_typo_html_around(output, content) if page.content_typeset and content else fr_typo_html(output)
    output = html_pages.wrap_tables(output)
    made, key = page.made, _state.get("output_key")
    if made is not None and key and (page.search_text is not None or page.slot != "output"):
        _written_now.append((made, page.slot, key, page.stored.with_suffix(".written"), page.file.abs_dest_path))
    return output


# serve: the charter pages this build writes, to keep for the next (post_page).
_written_now: list[tuple[_Made, str, str, Path, str]] = []


def keep_written_pages() -> None:
    """serve, once every page is written (documents_ready): each charter page kept for the next
    build, a hard link to the file in site/ (a copy where no link can be made), not a second
    write of the same bytes."""
    for made, slot, key, written, output in _written_now:
        try:
            if os.path.lexists(written):
                os.unlink(written)
            try:
                os.link(output, written)
            except OSError:
                shutil.copyfile(output, written)
        except OSError:
            continue
        setattr(made, slot, written)
        setattr(made, slot + "_key", key)
        _kept_site.written(output, written)
    _written_now.clear()


# MkDocs keeps every URL it has made relative (mkdocs.utils._norm_parts, a cache without bound):
# each page's address and each download's, 35 an organisation, 5 MB at 2,000 organisations.
_URL_CACHE_BOUND = 4096


def bound_url_cache() -> None:
    """Empty MkDocs' cache of URL parts once it holds more than the site's shared addresses."""
    cached = getattr(mkdocs_utils, "_norm_parts", None)
    info = getattr(cached, "cache_info", None)
    if info is not None and info().currsize > _URL_CACHE_BOUND:
        cached.cache_clear()  # type: ignore[union-attr]


def _output_key(config: MkDocsConfig) -> str:
    """The key of what an organisation's page, as the theme writes it, is made from besides its
    charter: configuration (and so the nav), theme, overrides and the hand-written pages (whose
    titles the nav may show). Only in serve; a build writes every page."""
    import material

    root = Path(config.config_file_path).resolve().parent
    parts = [
        Path(config.config_file_path).read_bytes(),
        json.dumps(config.extra, sort_keys=True, default=str).encode(),
        str(config.site_url).encode(),
        str(config.use_directory_urls).encode(),
        str(getattr(material, "__version__", "")).encode(),
    ]
    for folder in (root / "overrides", Path(config.docs_dir)):
        for path in sorted(folder.rglob("*")):
            if path.is_file() and (folder.name == "overrides" or path.suffix == ".md"):
                parts += [str(path).encode(), path.read_bytes()]
    return _digest(*parts)


def release_source(page: Page) -> None:
    """Forget a page's Markdown once it is HTML. MkDocs renders every page before it writes any,
    and keeps each page's Markdown meanwhile: at 1,000 charters, 70 MB that nothing reads again
    (neither the theme nor the search plugin, which read the HTML)."""
    page.markdown = None


def finish_build(failed: bool = False) -> None:
    if _state["command"] == "serve":
        _kept_site.finish(failed)
    DocumentWorker.stop()  # a failed build's worker; after a good one it has finished already
    if ServeWorker.current is not None:
        ServeWorker.current.cancel()  # a failed build's documents: nothing waits for them
    _serve_build.clear()
    _written_now.clear()
    _deferred.clear()
    _downloads.source.clear()
    _DownloadStore.finish()
    for folder in _forgotten:
        aside.put_aside(folder)
    _forgotten.clear()
    aside.delete_later()
    if _state["command"] == "serve":
        timer = threading.Timer(_IDLE_COLLECTION_DELAY, _collect_while_idle)
        timer.daemon = True
        timer.start()


# Seconds after a serve build, when the server waits for the next edit.
_IDLE_COLLECTION_DELAY = 0.5


def _collect_while_idle() -> None:
    """mkdocs serve: the cyclic collector's full pass over the whole heap (the project, what
    each charter made: 0.3 s at 1,000 organisations) runs between two rebuilds, and what is
    alive then is frozen, so that the collections during the next rebuild walk only what it
    makes. What the next rebuild drops is collected after it, here again."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()


def before_build(config: MkDocsConfig) -> None:
    """mkdocs serve (hooks.py, on_pre_build): the previous build's site is put aside before
    MkDocs empties the folder, and deleted after this build (aside.py); the charters' folders
    are kept out of MkDocs' way, for this build to take up again (_KeptSite)."""
    if _state["command"] == "serve":
        _kept_site.hide(Path(config.site_dir))
        aside.empty_folder(Path(config.site_dir))


class _KeptSite:
    """mkdocs serve: the served site's charter folders (chartes/, telechargements/), kept from
    one build to the next instead of emptied and made again. At 1,000 organisations they are
    2,000 folders and 9,500 files, which an edit made again and then deleted: a third of its
    system calls. Only what the last build, which went to its end, put there is known: each
    file's source (the store's file it links, "" for one MkDocs wrote). A file linked to the
    same source in a charter's folder (never rewritten: each version has its own) stays in
    place; every other is removed before anything is written, so that nothing is written
    through a link into the store; what the build no longer makes goes, with its emptied
    folders. A build that failed, or a change to what every page is made from (_output_key),
    leaves nothing kept: the next one starts from an empty site, as MkDocs' own serve does."""

    FOLDERS = ("chartes", "telechargements")
    HIDDEN = ".charte-ia-garde-"  # a dot: MkDocs' emptying of site/ skips it

    def __init__(self) -> None:
        # The last good build's: its site folder, output key, and each kept file's source.
        self.site_dir: str | None = None
        self.output_key: str | None = None
        self.placed: dict[str, str] | None = None
        self.previous: dict[str, str] = {}  # this build's start: what the site holds
        self.now: dict[str, str] = {}  # what this build puts there
        self.in_place: set[str] = set()  # this build's files that are there already
        self.prepared = False  # whether this build's files are known (prepare)

    def hide(self, site_dir: Path) -> None:
        """Before MkDocs empties site/: the kept folders renamed out of its way."""
        self.previous, self.now, self.in_place, self.prepared = {}, {}, set(), False
        placed, self.placed = self.placed, None  # valid again only once this build has ended well
        keep = placed is not None and self.site_dir == os.path.normpath(site_dir)
        for name in self.FOLDERS:
            hidden = site_dir / (self.HIDDEN + name)
            aside.put_aside(hidden)  # left by a build that stopped between hide and restore
            if keep:
                try:
                    os.replace(site_dir / name, hidden)
                except OSError:
                    keep = False
        if keep and placed is not None:
            self.previous = placed

    def restore(self, site_dir: Path, output_key: str | None) -> None:
        """generated_files, once MkDocs has emptied site/: the kept folders back, when what
        every page is made from has not changed; else put aside."""
        folders = [(site_dir / (self.HIDDEN + name), site_dir / name) for name in self.FOLDERS]
        keep = bool(self.previous) and output_key is not None and output_key == self.output_key
        keep = keep and all(hidden.is_dir() for hidden, _ in folders)
        if keep:
            try:
                for hidden, folder in folders:
                    os.replace(hidden, folder)
            except OSError:
                keep = False
        if not keep:
            for hidden, folder in folders:
                aside.put_aside(hidden)
                if self.previous:  # taken back before a rename failed
                    aside.put_aside(folder)
            self.previous = {}
        self.site_dir, self.output_key = os.path.normpath(site_dir), output_key

    def prepare(self, files: Files, config: MkDocsConfig, unchanging: Callable[[str], bool]) -> None:
        """hooks.py, on_env, before MkDocs writes anything: this build's files in the kept
        folders, by source; those in place already are left, every other file there removed."""
        if _state["command"] != "serve" or self.site_dir is None:
            return
        prefixes = tuple(os.path.join(self.site_dir, name) + os.sep for name in self.FOLDERS)
        now: dict[str, str] = {}
        for file in files:
            dest = file.abs_dest_path
            if dest.startswith(prefixes):
                linked = isinstance(file, DownloadFile) and file._content is None and file.abs_src_path
                now[dest] = str(file.abs_src_path) if linked else ""
        for name, waiting in _downloads.source.items():  # where _Downloads.place puts them
            now[os.path.join(_downloads.site_dir, name)] = waiting or _downloads.store + name
        self.in_place = {dest for dest, source in self.previous.items() if source and now.get(dest) == source and unchanging(source)}
        if len(self.in_place) * 2 < len(self.previous):
            # Most of it made again (a change to the clause library): the folders go aside whole,
            # one rename each, rather than a file at a time, and are made again.
            for name in self.FOLDERS:
                aside.put_aside(Path(self.site_dir) / name)
            self.previous, self.in_place = {}, set()
        for dest in self.previous.keys() - self.in_place:
            try:
                os.unlink(dest)
            except OSError:
                pass
        self.now, self.prepared = now, True

    def written(self, output: str, kept: Path) -> None:
        """A page MkDocs wrote, now linked as `kept` for the next build (keep_written_pages)."""
        if output in self.now:
            self.now[output] = str(kept)

    def finish(self, failed: bool) -> None:
        """After the build: the folders of what it no longer makes removed once empty; what it
        placed is known to the next build only when it went to its end."""
        if self.site_dir is None:
            return
        roots = {os.path.join(self.site_dir, name) for name in self.FOLDERS}
        for dest in set(self.previous) - set(self.now) if self.prepared else ():
            folder = os.path.dirname(dest)
            while folder not in roots and folder.startswith(self.site_dir + os.sep):
                try:
                    os.rmdir(folder)
                except OSError:
                    break
                folder = os.path.dirname(folder)
        self.placed = None if failed or not self.prepared else self.now
        self.previous, self.now, self.in_place, self.prepared = {}, {}, set(), False


_kept_site = _KeptSite()


def prepare_kept_site(files: Files, config: MkDocsConfig) -> None:
    """hooks.py, on_env: serve's kept charter folders made ready for this build (_KeptSite)."""
    store = _DownloadStore.kept
    if store is None:
        return
    root = str(store) + os.sep
    folders = {made.key[:24] for made in _made.values()}

    def unchanging(source: str) -> bool:
        # In the folder of a charter version this build uses: made once, never rewritten.
        return source.startswith(root) and source[len(root) :].split(os.sep, 1)[0] in folders

    _kept_site.prepare(files, config, unchanging)


def typeset_meta(page: Page) -> None:
    """French typography on the title and description a written page's front matter gives:
    the theme prints them in <title> and <meta>, which the pass over the page's text never
    sees. Generated pages (charters) get theirs typeset where they are made."""
    if page.file.generated_by is not None or not page.meta:
        return
    for key in ("title", "description"):
        value = page.meta.get(key)
        if isinstance(value, str):
            page.meta[key] = fr_typo(value)
