"""The pages of an organisation's released versions, and the diffs between them.

Every released version has a permanent address, chartes/<slug>/versions/<version>/, with its
frozen downloads; chartes/<slug>/versions/ lists them and shows what the current charter
changes to the last one. Pages are Markdown whose values are escaped (the `site` flavour) and
whose diff marks are <del> and <ins>, each with a visually hidden label (« supprimé »,
« ajouté »), shown when printed: the change is never told by colour alone. A version is shown
from its frozen text (charter/diff.py, FrozenCharter), never rendered again from the library.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from markupsafe import Markup

from charte_ia.charter.diff import CharterDiff, FrozenCharter, LineDiff, Piece, words
from charte_ia.charter.releases import Release
from charte_ia.data.loader import OrganizationEntry, Project
from charte_ia.render.escaping import md_escape, rel_link
from charte_ia.render.jinja import render
from charte_ia.render.pages import _front_matter, _plain_title, charter_src
from charte_ia.render.typography import format_date

KIND_LABELS = {"added": "Clause ajoutée", "removed": "Clause supprimée", "changed": "Clause modifiée"}


def versions_src(slug: str) -> str:
    return f"chartes/{slug}/versions/index.md"


def version_src(slug: str, release: Release) -> str:
    return f"chartes/{slug}/versions/{release.dir_name}.md"


@dataclass(frozen=True)
class VersionDownloads:
    markdown: str
    json: str
    organization: str

    def all(self) -> tuple[tuple[str, str], ...]:
        """(download name, file name in the release folder)."""
        return ((self.markdown, "charte.md"), (self.json, "charte.json"), (self.organization, "organisation.yml"))


def version_downloads(slug: str, release: Release) -> VersionDownloads:
    # In a folder of their own: an organisation's slug can never make these names collide
    # with the current charter's downloads.
    stem = f"telechargements/versions/charte-ia-{slug}-{release.dir_name}"
    return VersionDownloads(f"{stem}.md", f"{stem}.json", f"{stem}-organisation.yml")


# --- diff marks -------------------------------------------------------------------------------


@lru_cache(maxsize=1 << 14)
def _piece(op: str, text: str) -> str:
    escaped = md_escape(text)
    if op == "delete":
        return f'<del><span class="cia-sr">[supprimé : </span>{escaped}<span class="cia-sr">]</span></del>'
    if op == "insert":
        return f'<ins><span class="cia-sr">[ajouté : </span>{escaped}<span class="cia-sr">]</span></ins>'
    return escaped


def pieces(items: tuple[Piece, ...]) -> Markup:
    return Markup("".join(_piece(p.op, p.text) for p in items))


def line(diff: LineDiff) -> Markup:
    """A line of a clause in a diff: whole when added or removed, word by word when changed."""
    return pieces(diff.pieces)


def text_line(text: str, blank_label: str) -> Markup:
    """A line of a frozen text, its blanks highlighted as on the charter pages."""
    blank = re.compile(r"\[" + re.escape(blank_label) + r"\s:\s[^\]]*\]")
    out, pos = [], 0
    for match in blank.finditer(text):
        out.append(md_escape(text[pos : match.start()]))
        out.append(f"<mark>{md_escape(match.group(0))}</mark>")
        pos = match.end()
    out.append(md_escape(text[pos:]))
    return Markup("".join(out))


def summary(diff: CharterDiff) -> str:
    parts = []
    for kind, one, many in (
        ("changed", "clause modifiée", "clauses modifiées"),
        ("added", "clause ajoutée", "clauses ajoutées"),
        ("removed", "clause supprimée", "clauses supprimées"),
    ):
        n = diff.count(kind)
        if n:
            parts.append(f"{n} {one if n == 1 else many}")
    if diff.header:
        parts.append("en-tête : " + ", ".join(h.label.lower() for h in diff.header))
    return " ; ".join(parts) if parts else "aucun changement du texte des clauses (mise en forme seulement)"


# --- pages ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class VersionRow:
    release: Release
    page: str
    downloads: VersionDownloads
    released: str  # in French


def _rows(slug: str, releases: list[Release], from_src: str) -> list[VersionRow]:
    out = []
    for release in releases:
        names = version_downloads(slug, release)
        out.append(
            VersionRow(
                release,
                rel_link(from_src, version_src(slug, release)),
                VersionDownloads(*(rel_link(from_src, n) for n, _ in names.all())),
                format_date(release.released),
            )
        )
    return out


def _name(entry: OrganizationEntry) -> str:
    return entry.org.name


def versions_page(
    project: Project,
    entry: OrganizationEntry,
    releases: list[Release],
    current: FrozenCharter,
    drift: CharterDiff | None,
) -> str:
    """chartes/<slug>/versions/: every released version, and what the current text changes."""
    src = versions_src(entry.slug)
    last = releases[-1]
    meta = {
        "title": _plain_title(f"Versions de la charte IA : {_name(entry)}"),
        "description": _plain_title(f"{_name(entry)} : les versions publiées de la charte d’utilisation de l’IA et leurs changements."),
        "render_macros": False,
        "search": {"exclude": True},  # the library's clauses are indexed once, on the blank charter
    }
    body = render(
        "versions.md.j2",
        name=_name(entry),
        rows=_rows(entry.slug, releases, src),
        last=last,
        current_version=entry.org.version,
        diff=drift,
        summary=summary(drift) if drift else "",
        charter=rel_link(src, charter_src(entry.slug)),
        kinds=KIND_LABELS,
        line=line,
        pieces=pieces,
        words=words,
    )
    return _front_matter(meta) + body


def version_page(project: Project, entry: OrganizationEntry, releases: list[Release], index: int, diff: CharterDiff | None) -> str:
    """chartes/<slug>/versions/<version>/: the frozen text of one version, its downloads and
    what changed since the version before it."""
    release = releases[index]
    src = version_src(entry.slug, release)
    text = release.frozen()
    previous = releases[index - 1] if index > 0 else None
    meta = {
        "title": _plain_title(f"Charte IA : {_name(entry)}, version {release.version}"),
        "description": _plain_title(
            f"{_name(entry)} : la version {release.version} de la charte d’utilisation de l’IA, publiée le {format_date(release.released)}."
        ),
        "render_macros": False,
        "search": {"exclude": True},
    }
    later = releases[-1] if index < len(releases) - 1 else None
    body = render(
        "version_page.md.j2",
        name=_name(entry),
        release=release,
        row=_rows(entry.slug, [release], src)[0],
        released=format_date(release.released),
        previous=_rows(entry.slug, [previous], src)[0] if previous else None,
        later=_rows(entry.slug, [later], src)[0] if later else None,
        text=text,
        diff=diff,
        summary=summary(diff) if diff else "",
        versions=rel_link(src, versions_src(entry.slug)),
        charter=rel_link(src, charter_src(entry.slug)),
        kinds=KIND_LABELS,
        line=line,
        pieces=pieces,
        words=words,
        text_line=lambda t: text_line(t, project.library.labels.blank),
    )
    return _front_matter(meta) + body


# --- on the charter page and in the catalogue -------------------------------------------------


@dataclass(frozen=True)
class VersionLink:
    version: str
    released: str  # in French
    page: str  # link from the charter page


@dataclass(frozen=True)
class VersionsInfo:
    versions: tuple[VersionLink, ...]
    index: str  # link from the charter page to chartes/<slug>/versions/
    changed: bool  # the current text differs from the last release under the same number

    @property
    def last(self) -> str:
        return self.versions[-1].version


def versions_info(slug: str, releases: list[Release], changed: bool) -> VersionsInfo:
    src = charter_src(slug)
    links = tuple(
        VersionLink(r.version, format_date(r.released), rel_link(src, version_src(slug, r))) for r in releases
    )
    return VersionsInfo(links, rel_link(src, versions_src(slug)), changed)
