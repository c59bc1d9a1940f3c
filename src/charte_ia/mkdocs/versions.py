"""What the build adds for an organisation's released versions: their pages and downloads.

The downloads are the release's own files (data/releases/<slug>/<version>/), copied as they
are: a released version is never rendered again.
"""

from __future__ import annotations

from collections.abc import Callable

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

from charte_ia.charter.assembly import Charter
from charte_ia.charter.diff import diff_charters
from charte_ia.charter.releases import drift
from charte_ia.data.loader import OrganizationEntry, Project
from charte_ia.render.html import HtmlPage
from charte_ia.render.versions import (
    VersionsInfo,
    version_downloads,
    version_page,
    versions_info,
    versions_page,
)


def add_versions(
    config: MkDocsConfig,
    files: Files,
    add_page: Callable[[HtmlPage], object],
    download_file: type[File],
    project: Project,
    entry: OrganizationEntry,
    charter: Charter,
) -> VersionsInfo | None:
    """Add the pages and downloads of the organisation's versions; None when it has none."""
    releases = project.releases.get(entry.slug)
    if not releases:
        return None
    directory_urls = bool(config.use_directory_urls)
    found = drift(project, entry, charter)
    add_page(
        versions_page(
            project, entry, releases, found.diff if found else None, directory_urls, found.library if found else ()
        )
    )
    for index, release in enumerate(releases):
        diff = diff_charters(releases[index - 1].frozen(), release.frozen()) if index else None
        add_page(version_page(project, entry, releases, index, diff, directory_urls))
        for name, file_name in version_downloads(entry.slug, release).all():
            files.append(download_file.generated(config, name, abs_src_path=str(release.folder / file_name)))
    return versions_info(entry.slug, releases, changed=bool(found and found.version_unchanged))
