"""What the build makes for an organisation's released versions: their pages and downloads.

The downloads are the release's own files (data/releases/<slug>/<version>/), copied as they
are: a released version is never rendered again.
"""

from __future__ import annotations

from pathlib import Path

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


def version_pages(
    project: Project, entry: OrganizationEntry | None, charter: Charter, directory_urls: bool
) -> tuple[VersionsInfo | None, list[HtmlPage], list[tuple[str, Path]]]:
    """What the charter page says of the versions, their pages and their downloads (name, file);
    nothing for an organisation with no released version, or the blank charter."""
    releases = project.releases.get(entry.slug) if entry is not None else None
    if entry is None or not releases:
        return None, [], []
    found = drift(project, entry, charter)
    pages = [
        versions_page(project, entry, releases, found.diff if found else None, directory_urls, found.library if found else ())
    ]
    downloads: list[tuple[str, Path]] = []
    for index, release in enumerate(releases):
        diff = diff_charters(releases[index - 1].frozen(), release.frozen()) if index else None
        pages.append(version_page(project, entry, releases, index, diff, directory_urls))
        downloads += [(name, release.folder / file_name) for name, file_name in version_downloads(entry.slug, release).all()]
    return versions_info(entry.slug, releases, changed=bool(found and found.version_unchanged)), pages, downloads
