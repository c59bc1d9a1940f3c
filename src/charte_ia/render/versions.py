"""The pages of an organisation's released versions, and the diffs between them.

Every released version has a permanent address, chartes/<slug>/versions/<version>/, with its
frozen downloads and its clauses as the charter page shows them; chartes/<slug>/versions/ lists
them and says what the current charter changes to the last one. Each of those pages names the
clauses that changed; the changes word by word are on a page of their own, `changements/`
beside it, with the changelog's entries behind them and the unchanged clauses named, not shown
again; it prints too. Pages are HTML, like the charter pages (render/html.py), their values
escaped by the `html` flavour; diff marks are <del> and <ins>, each labelled « supprimé » or
« ajouté » for screen readers and on paper (by the site's stylesheet on a page, in the text of
the PDF): the change is never told by colour alone. A version is shown from its frozen text
(charter/diff.py, FrozenCharter), never rendered again from the library.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import lru_cache

from markdown.extensions.toc import slugify
from markupsafe import Markup
from mkdocs.utils import get_relative_url

from charte_ia.charter.diff import CharterDiff, ClauseText, FrozenCharter, LineDiff, Piece, words
from charte_ia.charter.releases import LibraryChange, Release, library_between
from charte_ia.data.loader import OrganizationEntry, Project
from charte_ia.render.html import HtmlPage, TocEntry, page_url, plain_title
from charte_ia.render.jinja import html_text, render
from charte_ia.render.pages import charter_src
from charte_ia.render.typography import format_date, fr_typo_html, revision_words

KIND_LABELS = {"added": "Clause ajoutée", "removed": "Clause supprimée", "changed": "Clause modifiée"}


def versions_src(slug: str) -> str:
    return f"chartes/{slug}/versions/index.md"


def version_src(slug: str, release: Release) -> str:
    return f"chartes/{slug}/versions/{release.dir_name}.md"


def changes_src(slug: str, release: Release | None) -> str:
    """The changes word by word that led to `release` from the version before it, or (None)
    from the last version to the current text."""
    if release is None:
        return f"chartes/{slug}/versions/changements.md"
    return f"chartes/{slug}/versions/{release.dir_name}/changements.md"


DOCUMENT_LABELS = {".docx": "Word (.docx)", ".odt": "OpenDocument (.odt)", ".pdf": "PDF"}


@dataclass(frozen=True)
class VersionDownloads:
    markdown: str
    json: str
    organization: str
    documents: tuple[tuple[str, str], ...] = ()  # (download name, file name): the frozen documents

    def all(self) -> tuple[tuple[str, str], ...]:
        """(download name, file name in the release folder)."""
        files = ((self.markdown, "charte.md"), (self.json, "charte.json"), (self.organization, "organisation.yml"))
        return (*files, *self.documents)

    def labelled_documents(self) -> list[tuple[str, str]]:
        """(link, label) of each frozen document."""
        return [(link, DOCUMENT_LABELS.get(name[name.rindex(".") :], name)) for link, name in self.documents]


def changes_download(slug: str, release: Release) -> str:
    """The PDF of what a version changed since the one before it."""
    return f"telechargements/versions/charte-ia-{slug}-{release.dir_name}-changements.pdf"


def current_changes_download(slug: str, last: Release) -> str:
    """The PDF of what the current text changes to the last released version."""
    return f"telechargements/versions/charte-ia-{slug}-changements-depuis-{last.dir_name}.pdf"


def version_downloads(slug: str, release: Release) -> VersionDownloads:
    # In a folder of their own: an organisation's slug can never make these names collide
    # with the current charter's downloads.
    stem = f"telechargements/versions/charte-ia-{slug}-{release.dir_name}"
    documents = tuple((stem + name[name.rindex(".") :], name) for name in release.documents)
    return VersionDownloads(f"{stem}.md", f"{stem}.json", f"{stem}-organisation.yml", documents)


# --- links and diff marks -----------------------------------------------------------------------


@dataclass(frozen=True)
class Links:
    """Links from one page of the versions, as URLs (the page is HTML: nothing rewrites them)."""

    src: str
    directory_urls: bool

    def url(self, to_src: str, anchor: str | None = None) -> str:
        here = page_url(self.src, self.directory_urls)
        target = get_relative_url(page_url(to_src, self.directory_urls), here)
        return html.escape(target + (f"#{anchor}" if anchor else ""), quote=True)

    def download(self, name: str) -> str:
        return html.escape(get_relative_url(name, page_url(self.src, self.directory_urls)), quote=True)


@lru_cache(maxsize=1 << 14)
def _piece(op: str, text: str, labelled: bool) -> str:
    escaped = html_text(text)
    if op == "delete":
        return f'<del><span class="cia-sr">[supprimé : </span>{escaped}<span class="cia-sr">]</span></del>' if labelled else f"<del>{escaped}</del>"
    if op == "insert":
        return f'<ins><span class="cia-sr">[ajouté : </span>{escaped}<span class="cia-sr">]</span></ins>' if labelled else f"<ins>{escaped}</ins>"
    return escaped


def pieces(items: tuple[Piece, ...]) -> Markup:
    """Marked words for print (the PDF): each mark's label in its text."""
    return Markup("".join(_piece(p.op, p.text, True) for p in items))


def line(diff: LineDiff) -> Markup:
    """A line of a clause in a diff: whole when added or removed, word by word when changed."""
    return pieces(diff.pieces)


def marks(items: tuple[Piece, ...]) -> Markup:
    """Marked words on a page: the site's stylesheet gives each <del> and <ins> its label
    (« [supprimé : », generated content that screen readers read and paper shows), which
    written out in each of a long diff's thousand marks weighed a third of its page."""
    return Markup("".join(_piece(p.op, p.text, False) for p in items))


def page_line(diff: LineDiff) -> Markup:
    return marks(diff.pieces)


def text_line(text: str, blank_label: str) -> Markup:
    """A line of a frozen text, its blanks highlighted as on the charter pages."""
    blank = re.compile(r"\[" + re.escape(blank_label) + r"\s:\s[^\]]*\]")
    out, pos = [], 0
    for match in blank.finditer(text):
        out.append(html_text(text[pos : match.start()]))
        out.append(f"<mark>{html_text(match.group(0))}</mark>")
        pos = match.end()
    out.append(html_text(text[pos:]))
    return Markup("".join(out))


def signed_lines(clause: ClauseText, why_labels: tuple[str, ...]) -> tuple[str, ...]:
    """A frozen clause's lines as the charter page shows them: without the justification
    (« Pourquoi cette règle ? … ») and its sources that end it in the frozen text, which the
    version's .md and documents keep (they doubled the weight of a version's page)."""
    starts = tuple(f"{label} " for label in why_labels)
    for i in range(len(clause.lines) - 1, max(len(clause.lines) - 3, -1), -1):
        if clause.lines[i].startswith(starts):
            return clause.lines[:i]
    return clause.lines


def clause_titles(diff: CharterDiff) -> dict[str, str]:
    """Each changed clause's id -> its number and title as the reader knows it (« 12.3 Titre »,
    its change shown at #diff-<id>):
    the changelog names clauses by id, which no reader of the charter has seen."""
    out = {}
    for change in diff.clauses:
        clause = change.new or change.old
        assert clause is not None
        out[clause.id] = f"{clause.number} {clause.title}"
    return out


def diff_anchors(diff: CharterDiff | None) -> set[str]:
    """The ids of a diff's changes on its page (_diff.html.j2)."""
    return {f"diff-{c.id}" for c in diff.clauses} if diff else set()


def has_changes(diff: CharterDiff | None) -> bool:
    """Whether a diff has a changes page (changes_page): a change to a clause or the header."""
    return diff is not None and not diff.empty


def changed_clauses(diff: CharterDiff, page: str) -> list[tuple[str, list[tuple[str, str]]]]:
    """The changed clauses by kind, « 3 clauses modifiées », each (« 12.3 Titre », link to its
    change on the changes page `page`): what a versions page shows instead of the changes."""
    groups = []
    for kind, one, many in _KINDS:
        items = []
        for change in diff.clauses:
            if change.kind == kind:
                clause = change.new or change.old
                assert clause is not None
                items.append((f"{clause.number} {clause.title}", f"{page}#diff-{change.id}"))
        if items:
            groups.append((f"{len(items)} {one if len(items) == 1 else many}", items))
    return groups


_KINDS = (
    ("changed", "clause modifiée", "clauses modifiées"),
    ("added", "clause ajoutée", "clauses ajoutées"),
    ("removed", "clause supprimée", "clauses supprimées"),
)


def summary(diff: CharterDiff) -> str:
    parts = []
    for kind, one, many in _KINDS:
        n = diff.count(kind)
        if n:
            parts.append(f"{n} {one if n == 1 else many}")
    if diff.header:
        parts.append("en-tête : " + ", ".join(h.label.lower() for h in diff.header))
    return " ; ".join(parts) if parts else "aucun changement du texte des clauses (mise en forme seulement)"


# --- pages ------------------------------------------------------------------------------------


def release_revision(project: Project, revision: str) -> str | None:
    """What follows « révision » for the revision of the clause library a release was made with
    (« de décembre 2026 »); None for one the changelog does not name: releases made before
    revisions had names keep a hash of the library, for machines only, and read « une révision
    antérieure »."""
    for rev in project.changelog.revisions:
        if rev.revision == revision:
            return revision_words(rev.revision, rev.date)
    return None


def library_list(library: tuple[LibraryChange, ...], titles: dict[str, str]) -> list[tuple[LibraryChange, str, list[tuple[str, str]]]]:
    """Each changelog entry behind a change, with its revision in words and the changed clauses
    it names (id, « 12.3 Titre »)."""
    return [(c, revision_words(c.revision, c.date), [(i, titles[i]) for i in c.clauses if i in titles]) for c in library]


@dataclass(frozen=True)
class VersionRow:
    release: Release
    src: str
    page: str  # link
    downloads: VersionDownloads  # links
    released: str  # in French
    revision: str | None  # the library's revision it was made with (release_revision)


def _rows(project: Project, slug: str, releases: list[Release], links: Links, cited: dict[str, set[str]]) -> list[VersionRow]:
    out = []
    for release in releases:
        names = version_downloads(slug, release)
        src = version_src(slug, release)
        cited.setdefault(src, set()).add("")
        for name, _ in names.all():
            cited[name] = {""}
        out.append(
            VersionRow(
                release,
                src,
                links.url(src),
                VersionDownloads(
                    links.download(names.markdown),
                    links.download(names.json),
                    links.download(names.organization),
                    tuple((links.download(n), f) for n, f in names.documents),
                ),
                format_date(release.released),
                release_revision(project, release.revision),
            )
        )
    return out


def _page(src: str, title: str, description: str, content: str, h1: str, sections: list[tuple[str, str]], anchors: set[str], cited: dict[str, set[str]]) -> HtmlPage:
    h1_id = slugify(h1, "-") or "_1"
    heading = f'<h1 id="{h1_id}">{html_text(h1)}<a class="headerlink" href="#{h1_id}" title="Lien vers cette section">¶</a></h1>\n'
    toc = [TocEntry(1, h1_id, html_text(h1), [TocEntry(2, anchor, html_text(name)) for anchor, name in sections])]
    return HtmlPage(
        src=src,
        title=plain_title(title),
        description=plain_title(description),
        content=heading + content,
        toc=toc,
        anchors=frozenset({h1_id, *anchors}),
        links=cited,
    )


def versions_page(
    project: Project,
    entry: OrganizationEntry,
    releases: list[Release],
    drift: CharterDiff | None,
    directory_urls: bool,
    library: tuple[LibraryChange, ...] = (),
    changes_pdfs: dict[str, str] | None = None,
) -> HtmlPage:
    """chartes/<slug>/versions/: every released version, and what the current text changes;
    `changes_pdfs`: the PDFs of the changes the build made (changes_pdf_names)."""
    src = versions_src(entry.slug)
    links = Links(src, directory_urls)
    cited: dict[str, set[str]] = {charter_src(entry.slug): {""}}
    rows = _rows(project, entry.slug, releases, links, cited)
    pdfs = changes_pdfs or {}
    for name in pdfs.values():
        cited[name] = {""}
    for row in rows[1:]:
        cited[row.src].add("changements")
    last = releases[-1]
    titles = clause_titles(drift) if drift else {}
    changes = changes_src(entry.slug, None)
    if has_changes(drift):
        cited[changes] = {""} | diff_anchors(drift)
    content = render(
        "versions.html.j2",
        "html",
        rows=rows,
        last=last,
        current_version=entry.org.version,
        diff=drift,
        summary=summary(drift) if drift else "",
        changes_page=links.url(changes) if has_changes(drift) else None,
        changed=changed_clauses(drift, links.url(changes)) if has_changes(drift) else [],
        library=library_list(library, titles),
        charter=links.url(charter_src(entry.slug)),
        kinds=KIND_LABELS,
        line=page_line,
        pieces=marks,
        words=words,
        changes_pdfs={key: links.download(name) for key, name in pdfs.items()},
    )
    name = entry.org.name
    return _page(
        src,
        f"Versions de la charte IA : {name}",
        f"{name} : les versions publiées de la charte d’utilisation de l’IA et leurs changements.",
        content,
        f"Versions de la charte : {name}",
        [("actuelle", f"Charte actuelle et version {last.version}")],
        {"actuelle"},
        cited,
    )


def version_page(
    project: Project,
    entry: OrganizationEntry,
    releases: list[Release],
    index: int,
    diff: CharterDiff | None,
    directory_urls: bool,
    changes_pdf: str | None = None,
) -> HtmlPage:
    """chartes/<slug>/versions/<version>/: the frozen text of one version, its downloads and
    what changed since the version before it (and its PDF, when the build made it)."""
    release = releases[index]
    src = version_src(entry.slug, release)
    links = Links(src, directory_urls)
    cited: dict[str, set[str]] = {charter_src(entry.slug): {""}, versions_src(entry.slug): {""}}
    if changes_pdf:
        cited[changes_pdf] = {""}
    text = release.frozen()
    changes = changes_src(entry.slug, release)
    if has_changes(diff):
        cited[changes] = {""} | diff_anchors(diff)
    (row,) = _rows(project, entry.slug, [release], links, cited)
    previous = _rows(project, entry.slug, [releases[index - 1]], links, cited)[0] if index > 0 else None
    later = _rows(project, entry.slug, [releases[-1]], links, cited)[0] if index < len(releases) - 1 else None
    behind = library_between(project, releases[index - 1], release, diff.clause_ids()) if index > 0 and diff else ()
    labels = project.library.labels
    content = render(
        "version_page.html.j2",
        "html",
        release=release,
        row=row,
        released=format_date(release.released),
        previous=previous,
        later=later,
        text=text,
        diff=diff,
        summary=summary(diff) if diff else "",
        changes_page=links.url(changes) if has_changes(diff) else None,
        changed=changed_clauses(diff, links.url(changes)) if has_changes(diff) else [],
        library=bool(behind),
        versions=links.url(versions_src(entry.slug)),
        charter=links.url(charter_src(entry.slug)),
        text_line=lambda t: text_line(t, labels.blank),
        signed_lines=lambda c: signed_lines(c, (labels.why, labels.why_definition)),
        changes_pdf=links.download(changes_pdf) if changes_pdf else None,
    )
    name = entry.org.name
    anchors = {"changements", "texte"} | {f"sec-{s.id}" for s in text.sections}
    anchors |= {f"clause-{c.id}" for c in text.clauses()}
    return _page(
        src,
        f"Charte IA : {name}, version {release.version}",
        f"{name} : la version {release.version} de la charte d’utilisation de l’IA, publiée le {format_date(release.released)}.",
        content,
        f"{text.title} : {name}, version {release.version}",
        [("changements", "Changements depuis la version précédente"), ("texte", f"Texte de la version {release.version}")],
        anchors,
        cited,
    )


def unchanged_clauses(text: FrozenCharter, diff: CharterDiff) -> list[tuple[str, list[tuple[str, str]]]]:
    """The clauses of `text` that `diff` leaves as they were, by section (« 1. Objet »), each
    (its number, its id): a changes page names them, linked to the page of that text, instead
    of showing them again."""
    changed = {c.id for c in diff.clauses}
    out = []
    for section in text.sections:
        items = [(c.number, c.id) for c in section.clauses if c.id not in changed]
        if items:
            out.append((f"{section.number}. {section.title}", items))
    return out


def changes_page(
    entry: OrganizationEntry,
    releases: list[Release],
    index: int | None,
    diff: CharterDiff,
    directory_urls: bool,
    changes_pdf: str | None = None,
    text: FrozenCharter | None = None,
    library: tuple[LibraryChange, ...] = (),
) -> HtmlPage:
    """The changes word by word that led to the version `releases[index]` from the one before
    it, or (`index` None) from the last version to the current text (`text`, its clauses on the
    charter page): each change named in words, its deleted and inserted words marked and
    labelled, the changelog's entries behind them (`library`), the clauses left as they were
    named and linked; printable (charte-ia.css)."""
    new = releases[index] if index is not None else None
    old = releases[index - 1] if index is not None else releases[-1]
    src = changes_src(entry.slug, new)
    links = Links(src, directory_urls)
    back = version_src(entry.slug, new) if new is not None else versions_src(entry.slug)
    cited: dict[str, set[str]] = {back: {""}, version_src(entry.slug, old): {""}, versions_src(entry.slug): {""}}
    cited[charter_src(entry.slug)] = {""}
    if changes_pdf:
        cited[changes_pdf] = {""}
    name = entry.org.name
    compared = f"la version {new.version}" if new is not None else "la charte actuelle"
    shown = new.frozen() if new is not None else text
    where = version_src(entry.slug, new) if new is not None else charter_src(entry.slug)
    unchanged = unchanged_clauses(shown, diff) if shown is not None else []
    cited.setdefault(where, set()).update(f"clause-{i}" for _, items in unchanged for _, i in items)
    content = render(
        "changes_page.html.j2",
        "html",
        new=new,
        old=old,
        old_page=links.url(version_src(entry.slug, old)),
        back=links.url(back),
        charter=links.url(charter_src(entry.slug)),
        versions=links.url(versions_src(entry.slug)),
        where=links.url(where),
        diff=diff,
        summary=summary(diff),
        library=library_list(library, clause_titles(diff)),
        unchanged=unchanged,
        unchanged_count=sum(len(items) for _, items in unchanged),
        kinds=KIND_LABELS,
        line=page_line,
        pieces=marks,
        words=words,
        changes_pdf=links.download(changes_pdf) if changes_pdf else None,
    )
    heading = f"Changements de {compared} depuis la version {old.version}"
    sections = [("clauses", "Les changements, clause par clause")]
    if library:
        sections.insert(0, ("modele", "Ce qui a changé dans le modèle de charte"))
    if unchanged:
        sections.append(("inchangees", "Clauses inchangées"))
    return _page(
        src,
        f"Charte IA : {name}, changements de {compared} depuis la version {old.version}",
        f"{name} : ce qui a changé, mot à mot, de la version {old.version} à {compared} de la charte d’utilisation de l’IA.",
        content,
        f"{heading} : {name}",
        sections,
        {anchor for anchor, _ in sections} | diff_anchors(diff),
        cited,
    )


# --- what changed, as a PDF to file ---------------------------------------------------------


CURRENT = ""  # changes_pdf_names' key of the current text's changes


def changes_pdf_names(
    slug: str, releases: list[Release], diffs: list[CharterDiff | None], drift: CharterDiff | None
) -> dict[str, str]:
    """The PDFs of the changes an organisation's versions pages link, by the version they lead
    to (its folder name; CURRENT for the current text): one per version that changed the text
    of the one before (`diffs`, None for the first), and one when the current text differs
    from the last version."""
    out = {}
    for release, diff in zip(releases, diffs, strict=True):
        if diff is not None and not diff.empty:
            out[release.dir_name] = changes_download(slug, release)
    if drift is not None and not drift.empty:
        out[CURRENT] = current_changes_download(slug, releases[-1])
    return out


def _release_label(release: Release) -> str:
    return f"version {release.version}, publiée le {format_date(release.released)}"


def changes_print(
    entry: OrganizationEntry,
    diff: CharterDiff,
    old: Release,
    new: Release | None,
    library: tuple[LibraryChange, ...] = (),
) -> str:
    """The print HTML of what changed from the version `old` to `new` (None: the current text),
    for render/pdf.py: what a DPO files beside the signed versions."""
    from charte_ia.render import pdf

    if new is not None:
        new_label = _release_label(new)
    elif entry.org.version == old.version:
        new_label = f"texte actuel de la charte, toujours numéroté {old.version}, non publié"
    else:
        new_label = "texte actuel de la charte" + (f" (version {entry.org.version}, non publiée)" if entry.org.version else ", non publié")
    heading = "Changements de la charte d’utilisation de l’IA"
    titles = clause_titles(diff)
    page = render(
        "print_changes.html.j2",
        "html",
        title=f"{heading} — {entry.org.name}",
        heading=heading,
        name=entry.org.name,
        old=_release_label(old),
        new=new_label,
        summary=summary(diff),
        library=library_list(library, titles),
        diff=diff,
        kinds=KIND_LABELS,
        line=line,
        pieces=pieces,
        words=words,
        css=pdf.print_css(),
        date=pdf.print_date(new.released if new is not None else None),
    )
    return fr_typo_html(page)


# --- on the charter page and in the catalogue -------------------------------------------------


@dataclass(frozen=True)
class VersionLink:
    version: str
    released: str  # in French
    src: str  # the version's page


@dataclass(frozen=True)
class VersionsInfo:
    versions: tuple[VersionLink, ...]
    index: str  # chartes/<slug>/versions/index.md
    changed: bool  # the current text differs from the last release under the same number
    differs: bool = True  # the current text differs from the last release at all

    @property
    def last(self) -> str:
        return self.versions[-1].version


def versions_info(slug: str, releases: list[Release], changed: bool, differs: bool = True) -> VersionsInfo:
    links = tuple(VersionLink(r.version, format_date(r.released), version_src(slug, r)) for r in releases)
    return VersionsInfo(links, versions_src(slug), changed, differs)
