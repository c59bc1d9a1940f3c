"""What the MkDocs adapters (hooks.py, macros.py) call: data loading and generated files.

The data is loaded once per build; a change to any data file (mkdocs serve) loads it again.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files, InclusionLevel

from .charter import BLANK_SLUG, Charter, assemble
from .downloads import render_docx, render_markdown
from .errors import DataErrors
from .loader import Project, load_project
from .pages import charter_page, charter_src, download_names

Stamp = tuple[tuple[str, int, int], ...]


@dataclass
class _Loaded:
    stamp: Stamp
    project: Project
    charters: list[Charter] | None = None  # assembled on first use, then shared by every page


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


def charters_for(config: MkDocsConfig) -> list[Charter]:
    """The blank charter first, then one per organisation; assembled once per data change."""
    loaded = _loaded(config)
    if loaded.charters is None:
        project = loaded.project
        loaded.charters = [assemble(project), *(assemble(project, entry) for entry in project.organizations)]
    return loaded.charters


def generated_files(config: MkDocsConfig, files: Files) -> None:
    """Add each charter's page and downloads to the build (nothing is written into docs/)."""
    project = project_for(config)
    hand_written = {f.src_uri: f for f in files if f.src_uri.startswith("chartes/")}
    for charter in charters_for(config):
        names = download_names(charter)
        src = charter_src(charter.slug)
        # A hand-written page of the same name gives way (one look-up per charter: MkDocs
        # rebuilds its index of files after each append, so look-ups inside the loop cost O(N²)).
        if src in hand_written:
            files.remove(hand_written[src])
        inclusion = InclusionLevel.INCLUDED if charter.slug == BLANK_SLUG else InclusionLevel.NOT_IN_NAV
        files.append(
            File.generated(config, src, content=charter_page(project, charter, names, src), inclusion=inclusion)
        )
        for name, renderer in ((names.docx, render_docx), (names.markdown, render_markdown)):
            content = _prebuilt(name) or renderer(charter, project)
            files.append(DownloadFile.generated(config, name, content=content))


# The hosted build runs the offline build in a subprocess (charte_ia.offline) and hands it the
# documents it has just rendered, in this folder, so that they are not rendered twice.
PREBUILT_DOWNLOADS_ENV = "CHARTE_IA_PREBUILT_DOWNLOADS"


def _prebuilt(name: str) -> bytes | None:
    folder = os.environ.get(PREBUILT_DOWNLOADS_ENV)
    path = Path(folder, name) if folder else None
    return path.read_bytes() if path and path.is_file() else None


def write_downloads(files: Files, folder: Path) -> None:
    """Write this build's generated downloads into `folder`, for the offline build to reuse."""
    for file in files:
        if isinstance(file, DownloadFile):
            target = folder / file.src_uri
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(file.content_bytes)
