"""Charter pages as HTML, straight from the Charter model: no Markdown in between.

A charter page was Markdown that Python-Markdown turned into HTML: at 1,000 organisations that
conversion was 60 % of a build. This module writes the same HTML (headings, anchors, tables,
admonitions) from the model, with its table of contents, the ids a link may point to, the links
it makes (so that the build can check them as `--strict` checks Markdown links) and the text a
person types to find the page (its search entry). Values are escaped by the Jinja environment
(`html` flavour); French typography is the site's, applied to every page after the theme
(hooks.py, `on_post_page`).
"""

from __future__ import annotations

import html
import posixpath
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from markdown.extensions.toc import slugify
from markupsafe import Markup
from mkdocs.utils import get_relative_url

from charte_ia.charter.assembly import BLANK_SLUG, Blank, Charter, CharterSummary, Reference
from charte_ia.charter.essentials import Essentials
from charte_ia.data.loader import Project
from charte_ia.render.evidence import (
    FIGURES_PAGE,
    RECOMMENDATIONS_PAGE,
    SOURCES_PAGE,
    figure_anchor,
    recommendation_anchor,
    source_anchor,
)
from charte_ia.render.jinja import html_text, render, render_section
from charte_ia.render.typography import fr_typo, fr_typo_html
from charte_ia.render.pages import (
    CATALOGUE_CALENDAR,
    CATALOGUE_PAGE,
    CHARTERS_INDEX,
    DATA_PAGE,
    CATALOGUE_PAGE_SIZE,
    DownloadNames,
    catalogue_formats,
    catalogue_order,
    catalogue_pager,
    catalogue_src,
    charter_src,
    clause_anchor,
    download_names,
    essentials_src,
    section_anchor,
)

HOW_TO_PAGE = "chartes/mode-d-emploi.md"

if TYPE_CHECKING:
    from charte_ia.render.versions import VersionsInfo


def page_url(src: str, directory_urls: bool) -> str:
    """The URL MkDocs gives the file `src` (relative to docs/): `chartes/x/` or `chartes/x.html`
    for a page, the path itself for any other file (mkdocs.structure.files.File.url)."""
    if not src.endswith(".md"):
        return src
    stem = src[:-3]
    if not directory_urls:
        return stem + ".html"
    if stem == "index":
        return ""
    return stem.removesuffix("index") if stem.endswith("/index") else stem + "/"


@dataclass(frozen=True)
class PageLinks:
    """Links from the pages of one folder to the pages and anchors they cite, as URLs relative to
    any page of that folder (all are one level deep). A value, the same for every page of the
    folder: it is part of the key under which a clause is rendered once (render.render_part)."""

    folder: str
    directory_urls: bool

    @property
    def base(self) -> str:
        """The URL of any page of the folder: links are relative to it."""
        return page_url(posixpath.join(self.folder, "_.md"), self.directory_urls)

    def url(self, to_src: str, anchor: str | None = None) -> str:
        """A link to the page `to_src` (a Markdown source, or a page made from the model)."""
        target = get_relative_url(page_url(to_src, self.directory_urls), self.base)
        return html.escape(target + (f"#{anchor}" if anchor else ""), quote=True)

    def download(self, name: str) -> str:
        """A link to a file copied as it is (a .docx, or a .md that is a download, not a page)."""
        return html.escape(get_relative_url(name, self.base), quote=True)

    def anchor(self, clause_id: str) -> str:
        return html.escape(clause_anchor(clause_id), quote=True)

    def section(self, section_id: str) -> str:
        return html.escape(section_anchor(section_id), quote=True)

    def reference(self, ref: Reference) -> str:
        page, anchor = reference_target(ref)
        return self.url(page, anchor)

    def why(self, clause_id: str | None = None) -> str:
        return self.url(charter_src(BLANK_SLUG), clause_anchor(clause_id) if clause_id else None)


_REFERENCE_TARGETS = {
    "recommendation": (RECOMMENDATIONS_PAGE, recommendation_anchor),
    "figure": (FIGURES_PAGE, figure_anchor),
    "source": (SOURCES_PAGE, source_anchor),
}


def reference_target(ref: Reference) -> tuple[str, str]:
    """The page (source path) and the anchor that a clause's reference points to."""
    page, anchor = _REFERENCE_TARGETS[ref.kind]
    return page, anchor(ref.id)


@dataclass
class TocEntry:
    """One heading of the page's table of contents (mkdocs.structure.toc's token)."""

    level: int
    id: str
    name: str  # HTML
    children: tuple[TocEntry, ...] = ()

    def token(self) -> dict[str, object]:
        return {"level": self.level, "id": self.id, "name": self.name, "children": [c.token() for c in self.children]}


@dataclass
class HtmlPage:
    """A page rendered from the model, and what MkDocs needs to know of it without parsing it."""

    src: str
    title: str  # for the theme and <title>, HTML-escaped
    description: str
    content: str
    toc: list[TocEntry]
    anchors: AnchorSet | frozenset[str]  # ids on the page (links to it are checked against them)
    links: dict[str, frozenset[str] | AnchorBits]  # source path -> anchors linked on it ("" for the page itself)
    typeset: bool = False  # the content has its French typography already (fr_typo_html)


# Every section and clause anchor a page may have is numbered once for the process, and a page's
# anchors are a number whose bits say which: a few dozen bytes a page, where a frozenset of its
# 160 strings weighed 8 KB and grew the build's memory with N (organisations rarely share a set).
_ANCHOR_BIT: dict[str, int] = {}
_ANCHORS: list[str] = []


def _mask(anchor: str) -> int:
    bit = _ANCHOR_BIT.get(anchor)
    if bit is None:
        bit = _ANCHOR_BIT[anchor] = len(_ANCHORS)
        _ANCHORS.append(anchor)
    return 1 << bit


class AnchorBits:
    """A set of numbered anchors (_ANCHOR_BIT), as MkDocs and the link check ask it: `in`,
    iteration (in the order they were numbered), `outside`."""

    __slots__ = ("bits",)

    def __init__(self, bits: int):
        self.bits = bits

    @classmethod
    def of(cls, anchors: Iterable[str]) -> AnchorBits:
        bits = 0
        for anchor in anchors:
            bits |= _mask(anchor)
        return cls(bits)

    def __contains__(self, anchor: object) -> bool:
        bit = _ANCHOR_BIT.get(anchor) if isinstance(anchor, str) else None
        return bit is not None and bool(self.bits >> bit & 1)

    def __iter__(self) -> Iterator[str]:
        return _named(self.bits)

    def __len__(self) -> int:
        return self.bits.bit_count()

    def outside(self, present: object) -> Iterator[str]:
        """Those of these anchors that `present` does not hold: bits against bits when it is
        numbered too (a page's links to the blank charter, 80 a page, in one operation)."""
        if isinstance(present, AnchorSet):
            return _named(self.bits & ~present.bits.bits)
        return (anchor for anchor in self if anchor not in present)  # type: ignore[operator]


def _named(bits: int) -> Iterator[str]:
    while bits:
        low = bits & -bits
        yield _ANCHORS[low.bit_length() - 1]
        bits ^= low


_WHOLE = frozenset({""})  # a link to the page itself, no anchor
_WHOLE_BITS = AnchorBits.of(_WHOLE)


@lru_cache(maxsize=256)
def _page_anchors(section_ids: tuple[str, ...], clause_ids: tuple[str, ...]) -> AnchorBits:
    return AnchorBits.of([*map(section_anchor, section_ids), *map(clause_anchor, clause_ids)])


@lru_cache(maxsize=256)
def _why_anchors(clause_ids: tuple[str, ...]) -> AnchorBits:
    return AnchorBits(_WHOLE_BITS.bits | AnchorBits.of(map(clause_anchor, clause_ids)).bits)


# Most organisations' pages have the same sections: their table of contents is made once and
# shared, not held once a page until the end of the build.
@lru_cache(maxsize=256)
def _section_entries(sections: tuple[tuple[str, str, str], ...]) -> tuple[TocEntry, ...]:
    return tuple(TocEntry(2, section_anchor(sid), html_text(f"{number}. {title}")) for sid, number, title in sections)


class AnchorSet:
    """The ids of a page: its heading's own, and those it shares with pages of the same clauses."""

    __slots__ = ("own", "bits")

    def __init__(self, own: str, bits: AnchorBits):
        self.own, self.bits = own, bits

    def __contains__(self, anchor: object) -> bool:
        return anchor == self.own or anchor in self.bits

    def __iter__(self) -> Iterator[str]:
        yield self.own
        yield from (anchor for anchor in self.bits if anchor != self.own)

    def __len__(self) -> int:
        return len(self.bits) + (self.own not in self.bits)


def _text(segment: object) -> str:
    return "" if isinstance(segment, Blank) else getattr(segment, "text", "")


def h1_text(charter: Charter) -> str:
    return f"{charter.title} : " + ("modèle vierge" if charter.is_blank else _text(charter.name) or "")


def _h1(charter: Charter, labels: object) -> tuple[Markup, str]:
    """The heading's HTML and its id, as Python-Markdown's toc extension made it."""
    if charter.is_blank or not isinstance(charter.name, Blank):
        text = h1_text(charter)
        heading = html_text(text)
    else:
        text = f"{charter.title} : [{labels.blank} : {charter.name.what}]"  # type: ignore[attr-defined]
        heading = (
            f"{html_text(charter.title)} : <mark>[{html_text(labels.blank)}\u00a0: "  # type: ignore[attr-defined]
            f"{html_text(charter.name.what)}]</mark>"
        )
    return Markup(heading), slugify(text, "-") or "_1"


def plain_title(text: str) -> str:
    """A title for the theme, which prints it unescaped, and in <title> through `striptags`
    (which unescapes entities): so escape it, and turn angle brackets into look-alikes that
    no unescaping can make into a tag."""
    return html.escape(fr_typo(text).replace("<", "‹").replace(">", "›"), quote=True)


def charter_page(
    project: Project,
    charter: Charter,
    names: DownloadNames,
    directory_urls: bool,
    versions: VersionsInfo | None = None,
) -> HtmlPage:
    """The charter as a page: its HTML, table of contents, anchors and links; `versions`, its
    released versions (render/versions.py)."""
    src = charter_src(charter.slug)
    labels = project.library.labels
    links = PageLinks(posixpath.dirname(src), directory_urls)
    name = "Charte vierge" if charter.is_blank else (_text(charter.name) or "Charte sans nom")
    h1, h1_id = _h1(charter, labels)
    head = render(
        "charter_page.html.j2",
        "html",
        charter=charter,
        labels=labels,
        h1=h1,
        h1_id=h1_id,
        docx=links.download(names.docx),
        odt=links.download(names.odt),
        pdf=links.download(names.pdf) if names.pdf else None,
        markdown=links.download(names.markdown),
        json=links.download(names.json),
        calendar=links.download(names.calendar) if names.calendar else None,
        essentials=links.url(essentials_src(charter.slug)),
        catalogue=links.url(CATALOGUE_PAGE),
        how_to=links.url(HOW_TO_PAGE),
        links=links,
        versions=versions,
        version_links=[(v, links.url(v.src)) for v in versions.versions] if versions else [],
        versions_index=links.url(versions.index) if versions else None,
    )
    # An organisation's page is typeset here, each section once for all the pages that have it;
    # the written page's own pass (typography.fr_typo_html_around) leaves this part alone. Not
    # the blank charter's: the search plugin indexes its HTML as it was before typography.
    typeset = not charter.is_blank
    content = (fr_typo_html(head) if typeset else head) + "".join(
        render_section("_section_page.html.j2", "html", section, typeset, labels=labels, blank=charter.is_blank, links=links)
        for section in charter.sections
    )
    section_ids = tuple(s.id for s in charter.sections)
    clause_ids = tuple(c.id for s in charter.sections for c in s.clauses)
    sections = _section_entries(tuple((s.id, s.number, s.title) for s in charter.sections))
    anchors = AnchorSet(h1_id, _page_anchors(section_ids, clause_ids))
    cited: dict[str, frozenset[str]] = {name: _WHOLE for name in (names.docx, names.odt, names.markdown, names.json)}
    cited[essentials_src(charter.slug)] = _WHOLE
    for download in (names.calendar, names.pdf):
        if download:
            cited[download] = _WHOLE
    if versions:
        cited.update({v.src: _WHOLE for v in versions.versions} | {versions.index: _WHOLE})
    if charter.is_blank:
        cited[HOW_TO_PAGE] = _WHOLE
        refs: dict[str, set[str]] = {}
        for section in charter.sections:
            for clause in section.clauses:
                for ref in clause.references:
                    page, anchor = reference_target(ref)
                    refs.setdefault(page, set()).add(anchor)
        cited.update({page: frozenset(targets) for page, targets in refs.items()})
    else:
        cited[CATALOGUE_PAGE] = _WHOLE
        cited[charter_src(BLANK_SLUG)] = _why_anchors(clause_ids)
    return HtmlPage(
        src=src,
        # The site's name follows in <title>: « Charte d’utilisation de l’IA : X – Charte IA ».
        title=plain_title(name if charter.is_blank else f"Charte d’utilisation de l’IA : {name}"),
        description=plain_title(
            f"{name} : charte d’utilisation de l’IA générative (règles, mentions et responsabilités)."
            if not charter.is_blank
            else "Charte d’utilisation de l’IA générative vierge, à remplir, en Word et Markdown."
        ),
        content=content,
        typeset=typeset,
        toc=[TocEntry(1, h1_id, h1, sections)],
        anchors=anchors,
        links=cited,
    )


def essentials_page(project: Project, summary: Essentials, names: DownloadNames, directory_urls: bool) -> HtmlPage:
    """« L’essentiel en une page » as a page (chartes/<slug>/essentiel/), with its one-page documents."""
    src = essentials_src(summary.slug)
    labels = project.library.labels
    words = labels.essentials
    links = PageLinks(posixpath.dirname(src), directory_urls)
    blank = summary.slug == BLANK_SLUG
    name = "modèle vierge" if blank else (_text(summary.name) or "charte sans nom")
    title = f"{words.title} : {name}"
    h1_id = slugify(title, "-")
    content = render(
        "essentials_page.html.j2",
        "html",
        e=summary,
        labels=labels,
        words=words,
        h1=Markup(html_text(title)),
        h1_id=h1_id,
        docx=links.download(names.essentials_docx),
        pdf=links.download(names.essentials_pdf) if names.essentials_pdf else None,
        charter=links.url(charter_src(summary.slug)),
    )
    toc = _essentials_entries((words.uses, words.mention, words.data, words.before, words.who))
    cited = {names.essentials_docx: _WHOLE, charter_src(summary.slug): _WHOLE}
    if names.essentials_pdf:
        cited[names.essentials_pdf] = _WHOLE
    return HtmlPage(
        src=src,
        title=plain_title(title),
        description=plain_title(f"{name} : {words.intro}"),
        content=content,
        toc=[TocEntry(1, h1_id, Markup(html_text(title)), toc)],
        anchors=AnchorSet(h1_id, AnchorBits.of(t.id for t in toc)),
        links=cited,
    )


@lru_cache(maxsize=16)
def _essentials_entries(headings: tuple[str, ...]) -> tuple[TocEntry, ...]:
    """The headings of « L’essentiel », the same on every organisation's page: made once."""
    return tuple(TocEntry(2, f"essentiel-{i}", html_text(h)) for i, h in enumerate(headings, start=1))


def search_text(charter: Charter) -> str:
    """What a person types to find an organisation's charter: its name, sector, tools and their
    providers, people and platforms; values only, never the clause library (the blank charter
    indexes it once). About 300 bytes an organisation in the search index."""
    words: list[str] = [_text(charter.name), _text(charter.sector)]
    for section in charter.sections:
        for clause in section.clauses:
            block = clause.block
            if block is None:
                continue
            for tool in block.tools:
                words += [tool.name, _text(tool.provider)]
            for person in block.people:
                words += [_text(person.name)]
            for platform in block.platforms:
                words.append(platform.name)
    seen: dict[str, None] = {}
    for word in words:
        if word and word not in seen:
            seen[word] = None
    return "<p>" + html_text(" · ".join(seen)) + "</p>"  # HTML, as Material's entries are


# Material's script wraps each table that has no class in two <div>s once the page has loaded,
# so that it scrolls sideways on a phone: the table is taken out and put back, and the page is
# laid out again (at 100 rows, the catalogue's main thread was blocked for 0.7 s on a phone).
# Every page is written with the wrapper already, and a class that the script leaves alone;
# charte-ia.css gives `.cia-table` Material's table style.
TABLE_OPEN = '<div class="md-typeset__scrollwrap"><div class="md-typeset__table"><table class="cia-table">'
TABLE_CLOSE = "</table></div></div>"


def wrap_tables(page: str) -> str:
    """A written page with its tables as Material's script would wrap them (see TABLE_OPEN).
    Left as it is when a table has attributes (the script then wraps it, as before)."""
    count = page.count("<table>")
    if not count or page.count("<table") != count or page.count("</table>") != count:
        return page
    return page.replace("<table>", TABLE_OPEN).replace("</table>", TABLE_CLOSE)


# --- The catalogue's pages after the first ---------------------------------------------------


def catalogue_page_count(organisations: int) -> int:
    return max(1, -(-organisations // CATALOGUE_PAGE_SIZE))


def catalogue_page_key(
    charters: list[CharterSummary], number: int, count: int, directory_urls: bool, pdf: bool = False
) -> tuple[object, ...]:
    """Everything `catalogue_page` reads, as a value: equal keys give the same page (mkdocs
    serve keeps a page whose key has not changed, mkdocs/site.py)."""
    organisations = catalogue_order(charters)
    start = (number - 1) * CATALOGUE_PAGE_SIZE
    calendar = any(download_names(c).calendar for c in organisations)
    blank = next(c for c in charters if c.is_blank)
    shown = tuple(organisations[start : start + CATALOGUE_PAGE_SIZE])
    # The pager names every page by its first and last names, so a rename elsewhere changes it.
    ranges = tuple(catalogue_pager(organisations))
    return (number, count, directory_urls, pdf, calendar, len(organisations), blank, shown, ranges)


def catalogue_page(
    charters: list[CharterSummary], number: int, count: int, directory_urls: bool, pdf: bool = False
) -> HtmlPage:
    """Page `number` (2 and up) of the table of organisations' charters, as HTML; `pdf`: the
    build makes the PDFs."""
    src = catalogue_src(number)
    links = PageLinks(posixpath.dirname(src), directory_urls)
    organisations = catalogue_order(charters)
    blank = next(c for c in charters if c.is_blank)
    start = (number - 1) * CATALOGUE_PAGE_SIZE
    shown = organisations[start : start + CATALOGUE_PAGE_SIZE]
    cited: dict[str, frozenset[str]] = {CATALOGUE_PAGE: _WHOLE}

    def row(charter: CharterSummary) -> tuple[CharterSummary, str, list[tuple[str, str]], str | None]:
        names = download_names(charter, pdf=pdf)
        page = charter_src(charter.slug)
        versions = f"chartes/{charter.slug}/versions/index.md" if charter.released else None  # versions_src
        formats = catalogue_formats(names, charter.slug)
        for target in (page, *(t for _, t, _ in formats), *([versions] if versions else [])):
            cited[target] = _WHOLE
        return (
            charter,
            links.url(page),
            [(label, links.url(t) if is_page else links.download(t)) for label, t, is_page in formats],
            links.url(versions) if versions else None,
        )

    calendar = any(download_names(c).calendar for c in organisations)
    cited.update({CHARTERS_INDEX: _WHOLE, DATA_PAGE: _WHOLE} | ({CATALOGUE_CALENDAR: _WHOLE} if calendar else {}))
    ranges = catalogue_pager(organisations)
    pager = [(k, links.url(catalogue_src(k)), ranges[k - 1]) for k in range(1, count + 1)]
    for k in range(1, count + 1):
        cited[catalogue_src(k)] = _WHOLE
    title = f"Les chartes, page {number} sur {count}"
    h1_id = slugify(title, "-")
    content = render(
        "catalogue.html.j2",
        "html",
        title=title,
        h1_id=h1_id,
        first_page=links.url(CATALOGUE_PAGE),
        rows=[row(c) for c in shown],
        blank=row(blank),
        pager=pager,
        number=number,
        calendar=links.download(CATALOGUE_CALENDAR) if calendar else None,
        index=links.download(CHARTERS_INDEX),
        data_page=links.url(DATA_PAGE),
        first=start + 1,
        last=start + len(shown),
        total=len(organisations),
    )
    return HtmlPage(
        src=src,
        title=title,
        description=f"Les chartes d’utilisation de l’IA des organisations, page {number} sur {count}.",
        content=content,
        toc=[TocEntry(1, h1_id, html_text(title))],
        anchors=frozenset({h1_id}),
        links=cited,
    )
