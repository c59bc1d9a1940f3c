"""What the build makes for an organisation's released versions: their pages and downloads.

The downloads are the release's own files (data/releases/<slug>/<version>/), copied as they
are: a released version is never rendered again. When the build makes PDFs, what each version
changed, and what the current text changes, is a PDF too (render/versions.py, changes_print).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from charte_ia.charter.assembly import Charter
from charte_ia.charter.diff import diff_charters, frozen
from charte_ia.charter.releases import drift, library_between
from charte_ia.data.loader import OrganizationEntry, Project
from charte_ia.render.html import HtmlPage
from charte_ia.render.versions import (
    CURRENT,
    VersionsInfo,
    changes_page,
    changes_pdf_names,
    changes_print,
    has_changes,
    version_downloads,
    version_page,
    versions_info,
    versions_page,
)


def version_pages(
    project: Project,
    entry: OrganizationEntry | None,
    charter: Charter,
    directory_urls: bool,
    write: Callable[[str, bytes], Path] | None = None,
) -> tuple[VersionsInfo | None, list[HtmlPage], list[tuple[str, Path]]]:
    """What the charter page says of the versions, their pages and their downloads (name, file);
    nothing for an organisation with no released version, or the blank charter. With `write`
    (the build makes PDFs: it stores a download and returns its file), the PDFs of the changes."""
    releases = project.releases.get(entry.slug) if entry is not None else None
    if entry is None or not releases:
        return None, [], []
    found = drift(project, entry, charter)
    current = found.diff if found else None
    diffs = [diff_charters(releases[i - 1].frozen(), r.frozen()) if i else None for i, r in enumerate(releases)]
    pdfs = changes_pdf_names(entry.slug, releases, diffs, current) if write is not None else {}
    downloads: list[tuple[str, Path]] = []
    if write is not None:
        from charte_ia.render.pdf import render_changes_pdf  # WeasyPrint, only when PDFs are asked for

        for index, (release, diff) in enumerate(zip(releases, diffs, strict=True)):
            if release.dir_name in pdfs and diff is not None:
                html = changes_print(entry, diff, releases[index - 1], release)
                name = pdfs[release.dir_name]
                downloads.append((name, write(name, render_changes_pdf(html, name))))
        if CURRENT in pdfs and found is not None:
            html = changes_print(entry, found.diff, releases[-1], None, found.library)
            downloads.append((pdfs[CURRENT], write(pdfs[CURRENT], render_changes_pdf(html, pdfs[CURRENT]))))
    pages = [
        versions_page(
            project, entry, releases, current, directory_urls, found.library if found else (), changes_pdfs=pdfs
        )
    ]
    if has_changes(current) and found is not None:
        text = frozen(charter, project.library.labels)
        pages.append(changes_page(entry, releases, None, found.diff, directory_urls, pdfs.get(CURRENT), text, found.library))
    for index, release in enumerate(releases):
        diff = diffs[index]
        pages.append(version_page(project, entry, releases, index, diff, directory_urls, pdfs.get(release.dir_name)))
        if has_changes(diff) and diff is not None:
            behind = library_between(project, releases[index - 1], release, diff.clause_ids())
            pages.append(changes_page(entry, releases, index, diff, directory_urls, pdfs.get(release.dir_name), library=behind))
        downloads += [(name, release.folder / file_name) for name, file_name in version_downloads(entry.slug, release).all()]
    info = versions_info(entry.slug, releases, changed=bool(found and found.version_unchanged), differs=found is not None)
    return info, pages, downloads
