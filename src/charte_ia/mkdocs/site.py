"""What the MkDocs adapters (hooks.py, macros.py) call: data loading and generated files.

The data is loaded once per build; a change to any data file (mkdocs serve) loads it again.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page

from charte_ia.mkdocs.background import DocumentWorker, Job, can_fork, render_documents
from charte_ia.mkdocs.versions import add_versions
from charte_ia.charter.assembly import BLANK_SLUG, Charter, CharterSummary, assemble
from charte_ia.data.errors import DataErrors
from charte_ia.data.loader import OrganizationEntry, Project, load_project
from charte_ia.render.csv import render_figures_csv
from charte_ia.render.ics import render_catalogue_ics, render_ics
from charte_ia.render.json import dumps, index_data
from charte_ia.render.pages import (
    CATALOGUE_CALENDAR,
    CHARTERS_INDEX,
    FIGURES_CSV,
    DownloadNames,
    catalogue_pages,
    charter_page,
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


def data_dir(config: MkDocsConfig) -> Path:
    return Path(config.config_file_path).resolve().parent / "data"


def _fingerprint(folder: Path) -> Stamp:
    stats = []
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            st = path.stat()
            stats.append((str(path), st.st_mtime_ns, st.st_size))
    return tuple(stats)


def _loaded(config: MkDocsConfig) -> _Loaded:
    folder = data_dir(config)
    stamp = _fingerprint(folder)
    cached = _cache.get(folder)
    if cached and cached.stamp == stamp:
        return cached
    try:
        project = load_project(folder)
    except DataErrors as exc:
        # PluginError: MkDocs prints the message without a traceback and exits 1, before it
        # cleans site/, so a bad file never leaves a half-built site behind.
        raise PluginError(exc.report()) from None
    _cache[folder] = _Loaded(stamp, project)
    return _cache[folder]


def project_for(config: MkDocsConfig) -> Project:
    """The validated project for this site, loaded once until a data file changes."""
    return _loaded(config).project


def charters(project: Project) -> Iterator[tuple[OrganizationEntry | None, Charter]]:
    """The blank charter first (entry None), then one per organisation, assembled one at a time."""
    for entry in [None, *project.organizations]:
        yield entry, assemble(project, entry)


def summaries_for(config: MkDocsConfig) -> list[CharterSummary]:
    """The catalogue's rows: from this build's on_files, or assembled when asked before it."""
    loaded = _loaded(config)
    if loaded.summaries is None:
        loaded.summaries = [charter.summary() for _, charter in charters(loaded.project)]
    return loaded.summaries


def generated_files(config: MkDocsConfig, files: Files) -> None:
    """Add each charter's page and downloads to the build (nothing is written into docs/).

    Pages and documents go to a temporary folder, not into memory: MkDocs reads the pages and
    copies the documents into site/ like any other file (at 1,000 organisations, 120 MB)."""
    loaded = _loaded(config)
    project = loaded.project
    store = _DownloadStore.start()
    hand_written = {f.src_uri: f for f in files if f.src_uri.startswith("chartes/")}
    summaries = []
    index_rows: list[tuple[CharterSummary, OrganizationEntry | None, dict[str, str | None]]] = []
    jobs: list[Job] = []  # the documents to render
    for entry, charter in charters(project):
        versions = add_versions(config, files, store.write, DownloadFile, project, entry, charter) if entry else None
        summary = charter.summary()
        if versions is not None:
            summary = dataclasses.replace(summary, released=versions.last, changed=versions.changed)
        summaries.append(summary)
        names = download_names(charter)
        src = charter_src(charter.slug)
        # A hand-written page of the same name gives way (one look-up per charter: MkDocs
        # rebuilds its index of files after each append, so look-ups inside the loop cost O(N²)).
        if src in hand_written:
            files.remove(hand_written[src])
        inclusion = InclusionLevel.INCLUDED if charter.slug == BLANK_SLUG else InclusionLevel.NOT_IN_NAV
        # On disk too, not in the File: MkDocs keeps every File until the build ends.
        page = store.write(src, charter_page(project, charter, names, src, versions).encode("utf-8"))
        files.append(File.generated(config, src, abs_src_path=str(page), inclusion=inclusion))
        docx, markdown, json = _prebuilt(names.docx), _prebuilt(names.markdown), _prebuilt(names.json)
        if docx is None or markdown is None or json is None:
            docx, markdown, json = store.path(names.docx), store.path(names.markdown), store.path(names.json)
            jobs.append((entry, docx, markdown, json))
        for name, path in ((names.docx, docx), (names.markdown, markdown), (names.json, json)):
            files.append(DownloadFile.generated(config, name, abs_src_path=str(path)))
        if entry is not None and names.calendar:
            calendar = render_ics(entry)
            if calendar is not None:
                files.append(DownloadFile.generated(config, names.calendar, abs_src_path=str(store.write(names.calendar, calendar))))
        index_rows.append((summary, entry, _index_links(names, src, config.use_directory_urls)))
    for name, content in _site_downloads(project, index_rows):
        files.append(DownloadFile.generated(config, name, abs_src_path=str(store.write(name, content))))
    for src, content in catalogue_pages(summaries):  # more than 100 organisations
        files.append(File.generated(config, src, content=content, inclusion=InclusionLevel.NOT_IN_NAV))
    loaded.summaries = summaries
    if _state["command"] == "build" and can_fork():
        DocumentWorker.start(project, jobs)  # on the second core, while MkDocs converts pages
    else:
        render_documents(project, jobs)


def _index_links(names: DownloadNames, src: str, directory_urls: bool) -> dict[str, str | None]:
    """A charter's addresses in the index, relative to the site's root (the offline site has
    no directory URLs: its pages end in .html)."""
    return {
        "page": src.removesuffix(".md") + ("/" if directory_urls else ".html"),
        "docx": names.docx,
        "markdown": names.markdown,
        "json": names.json,
        "calendar": names.calendar,
    }


def _site_downloads(
    project: Project, index_rows: list[tuple[CharterSummary, OrganizationEntry | None, dict[str, str | None]]]
) -> list[tuple[str, bytes]]:
    """The downloads of the whole site: every review date, the index of charters, the figures."""
    out = [(CHARTERS_INDEX, dumps(index_data(index_rows))), (FIGURES_CSV, render_figures_csv(project))]
    calendar = render_catalogue_ics(project.organizations)
    if calendar is not None:
        out.append((CATALOGUE_CALENDAR, calendar))
    return out


def documents_ready() -> None:
    """Before MkDocs copies the downloads into site/ (hooks.py, on_env)."""
    DocumentWorker.wait()


_state = {"command": "build"}


def on_startup(command: str) -> None:
    _state["command"] = command


class _DownloadStore:
    """The folder where this build's charter pages and documents wait for MkDocs to read them."""

    current: Path | None = None

    def __init__(self, folder: Path):
        self.folder = folder
        self.made: set[Path] = set()  # folders made already: two per build, not one per file

    @classmethod
    def start(cls) -> _DownloadStore:
        cls.finish()
        cls.current = Path(tempfile.mkdtemp(prefix="charte-ia-downloads-"))
        return cls(cls.current)

    @classmethod
    def finish(cls) -> None:
        """Remove the folder (after the build, or when it failed)."""
        if cls.current is not None:
            shutil.rmtree(cls.current, ignore_errors=True)
            cls.current = None

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


def store_path(name: str) -> Path:
    """Where a generated download of this build waits on disk to be copied into site/."""
    if _DownloadStore.current is None:
        raise RuntimeError("store_path() outside a build")
    return _DownloadStore(_DownloadStore.current).path(name)


def downloads_folder() -> Path | None:
    """This build's documents, laid out as in site/ (the offline build reuses them)."""
    return _DownloadStore.current


def release_source(page: Page) -> None:
    """Forget a page's Markdown once it is HTML. MkDocs renders every page before it writes any,
    and keeps each page's Markdown meanwhile: at 1,000 charters, 70 MB that nothing reads again
    (neither the theme nor the search plugin, which read the HTML)."""
    page.markdown = None


def finish_build() -> None:
    DocumentWorker.stop()  # a failed build's worker; after a good one it has finished already
    _DownloadStore.finish()


# The hosted build runs the offline build in a subprocess (charte_ia.mkdocs.offline) and hands it the
# documents it has just rendered, in this folder, so that they are not rendered twice.
PREBUILT_DOWNLOADS_ENV = "CHARTE_IA_PREBUILT_DOWNLOADS"


def _prebuilt(name: str) -> Path | None:
    folder = os.environ.get(PREBUILT_DOWNLOADS_ENV)
    path = Path(folder, name) if folder else None
    return path if path and path.is_file() else None
