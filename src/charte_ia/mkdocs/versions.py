"""What the build adds for an organisation's released versions: their pages and downloads.

The downloads are the release's own files (data/releases/<slug>/<version>/), copied as they
are: a released version is never rendered again.
"""

from __future__ import annotations

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files, InclusionLevel

from charte_ia.charter.assembly import Charter
from charte_ia.charter.diff import diff_charters, frozen
from charte_ia.charter.releases import drift
from charte_ia.data.loader import OrganizationEntry, Project
from charte_ia.render.versions import (
    VersionsInfo,
    version_downloads,
    version_page,
    version_src,
    versions_info,
    versions_page,
    versions_src,
)


def add_versions(
    config: MkDocsConfig,
    files: Files,
    write,  # type: ignore[no-untyped-def]  # (name, bytes) -> Path: site._DownloadStore.write
    download_file: type[File],
    project: Project,
    entry: OrganizationEntry,
    charter: Charter,
) -> VersionsInfo | None:
    """Add the pages and downloads of the organisation's versions; None when it has none."""
    releases = project.releases.get(entry.slug)
    if not releases:
        return None
    found = drift(project, entry, charter)
    current = frozen(charter, project.library.labels)
    pages = [(versions_src(entry.slug), versions_page(project, entry, releases, current, found.diff if found else None))]
    for index, release in enumerate(releases):
        diff = diff_charters(releases[index - 1].frozen(), release.frozen()) if index else None
        pages.append((version_src(entry.slug, release), version_page(project, entry, releases, index, diff)))
        for name, file_name in version_downloads(entry.slug, release).all():
            files.append(download_file.generated(config, name, abs_src_path=str(release.folder / file_name)))
    for src, text in pages:
        path = write(src, text.encode("utf-8"))
        files.append(File.generated(config, src, abs_src_path=str(path), inclusion=InclusionLevel.NOT_IN_NAV))
    return versions_info(entry.slug, releases, changed=bool(found and found.version_unchanged))
