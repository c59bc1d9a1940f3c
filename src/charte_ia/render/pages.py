"""Markdown for the pages that are made from data: charters, catalogue, recommendations."""

from __future__ import annotations

import functools
import html
import posixpath
import unicodedata
from dataclasses import dataclass

import yaml

from charte_ia.charter.assembly import BLANK_SLUG, Charter, CharterSummary, Reference, Value
from charte_ia.render.evidence import (
    FIGURES_PAGE,
    RECOMMENDATIONS_PAGE,
    SOURCES_PAGE,
    Evidence,
    figure_anchor,
    recommendation_anchor,
    source_anchor,
)
from charte_ia.data.loader import Project
from charte_ia.render.escaping import rel_link
from charte_ia.render.jinja import render
from charte_ia.render.typography import format_date, revision_words

CATALOGUE_PAGE = "chartes/index.md"


# The downloads of the whole site (render/ics.py, render/json.py, render/csv.py).
CATALOGUE_CALENDAR = "telechargements/charte-ia-revisions.ics"
CHARTERS_INDEX = "telechargements/charte-ia-chartes.json"
FIGURES_CSV = "telechargements/charte-ia-chiffres.csv"
DATA_PAGE = "donnees.md"


@dataclass(frozen=True)
class DownloadNames:
    docx: str
    markdown: str
    json: str
    calendar: str | None  # only when the organisation's file sets its next review date
    odt: str
    essentials_docx: str  # « L’essentiel en une page »
    pdf: str | None = None  # when the build makes PDFs (PDF_DOWNLOADS=true)
    essentials_pdf: str | None = None

    def documents(self) -> dict[str, str]:
        """The charter's documents that the background worker renders, by format (background.RENDERERS)."""
        kinds = {"docx": self.docx, "markdown": self.markdown, "json": self.json, "odt": self.odt}
        kinds["essentials_docx"] = self.essentials_docx
        if self.pdf and self.essentials_pdf:
            kinds |= {"pdf": self.pdf, "essentials_pdf": self.essentials_pdf}
        return kinds


def download_names(charter: Charter | CharterSummary, pdf: bool = False) -> DownloadNames:
    stem = f"telechargements/charte-ia-{charter.slug}-{charter.version_tag}"
    # Not "charte-ia-<slug>-…": the summary is not one of the charter's own formats.
    summary = f"telechargements/essentiel-ia-{charter.slug}-{charter.version_tag}"
    # The calendar's name has no version in it: an agenda subscribed to it keeps working.
    has_date = not charter.is_blank and isinstance(charter.next_review, Value)
    calendar = f"telechargements/charte-ia-{charter.slug}-revision.ics" if has_date else None
    return DownloadNames(
        docx=f"{stem}.docx",
        markdown=f"{stem}.md",
        json=f"{stem}.json",
        calendar=calendar,
        odt=f"{stem}.odt",
        essentials_docx=f"{summary}.docx",
        pdf=f"{stem}.pdf" if pdf else None,
        essentials_pdf=f"{summary}.pdf" if pdf else None,
    )


def catalogue_formats(names: DownloadNames, slug: str) -> list[tuple[str, str, bool]]:
    """What a catalogue row links, in order: (label, file or page source, is a page). Every
    format of the charter that this build makes, and its one-page summary."""
    out = [("Word", names.docx, False), ("OpenDocument", names.odt, False)]
    if names.pdf:
        out.append(("PDF", names.pdf, False))
    out += [("Markdown", names.markdown, False), ("JSON", names.json, False)]
    if names.calendar:
        out.append(("agenda (.ics)", names.calendar, False))
    out.append(("L’essentiel", essentials_src(slug), True))
    return out


def charter_src(slug: str) -> str:
    return f"chartes/{slug}.md"


def essentials_src(slug: str) -> str:
    """« L’essentiel en une page » of a charter, at chartes/<slug>/essentiel/."""
    return f"chartes/{slug}/essentiel.md"


def clause_anchor(clause_id: str) -> str:
    return f"clause-{clause_id}"


def section_anchor(section_id: str) -> str:
    return f"sec-{section_id}"


@dataclass(frozen=True)
class CharterLinks:
    """Links from the charter pages of a folder to what their clauses cite. A value, not a
    closure, and the same for every page of the folder: it is part of the key under which a
    clause is rendered once (render.render_part)."""

    folder: str

    @property
    def src(self) -> str:
        return posixpath.join(self.folder, "index.md")  # any page of the folder: links are relative

    def anchor(self, clause_id: str) -> str:
        return clause_anchor(clause_id)

    def reference(self, ref: Reference) -> str:
        page, anchor = {
            "recommendation": (RECOMMENDATIONS_PAGE, recommendation_anchor),
            "figure": (FIGURES_PAGE, figure_anchor),
            "source": (SOURCES_PAGE, source_anchor),
        }[ref.kind]
        return rel_link(self.src, page, anchor(ref.id))

    def section(self, section_id: str) -> str:
        return section_anchor(section_id)

    def why(self, clause_id: str | None = None) -> str:
        """The blank charter, where each clause's reason and evidence are shown (at `clause_id`)."""
        return rel_link(self.src, charter_src(BLANK_SLUG), clause_anchor(clause_id) if clause_id else None)


def _front_matter(meta: dict[str, object]) -> str:
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # the C emitter: one per page
    return "---\n" + yaml.dump(meta, Dumper=dumper, allow_unicode=True, sort_keys=False, width=1000) + "---\n"


def _plain_title(text: str) -> str:
    """A title for the theme, which prints it unescaped, and in <title> through `striptags`
    (which unescapes entities): so escape it, and turn angle brackets into look-alikes that
    no unescaping can make into a tag."""
    return html.escape(text.replace("<", "‹").replace(">", "›"), quote=True)


def charter_page(project: Project, charter: Charter, names: DownloadNames, src: str) -> str:
    """The charter as a page. Macros do not render it: organisation values are never templates."""
    name = charter.name.text if not charter.is_blank and hasattr(charter.name, "text") else "Charte vierge"
    meta = {
        "title": _plain_title(f"Charte d’utilisation de l’IA : {name}" if not charter.is_blank else "Charte vierge"),
        "description": _plain_title(
            f"{name} : charte d’utilisation de l’IA générative (règles, mentions et responsabilités)."
            if not charter.is_blank
            else "Charte d’utilisation de l’IA générative vierge, à remplir, en Word et Markdown."
        ),
        "render_macros": False,
    }

    def link(to_src: str) -> str:
        return rel_link(src, to_src)

    body = render(
        "charter_page.md.j2",
        charter=charter,
        labels=project.library.labels,
        docx=link(names.docx),
        markdown=link(names.markdown),
        json=link(names.json),
        calendar=link(names.calendar) if names.calendar else None,
        data_page=link(DATA_PAGE),
        catalogue=link(CATALOGUE_PAGE),
        links=CharterLinks(posixpath.dirname(src)),
    )
    return _front_matter(meta) + body


# Rows per catalogue page: at 1,000 organisations one page of 1,000 rows (9,000 elements)
# scored 74 for performance in Lighthouse; 100 rows stay light.
CATALOGUE_PAGE_SIZE = 100


def catalogue_src(number: int) -> str:
    """Page 1 is chartes/index.md (hand-written, with the macro); then chartes/page-2.md, ..."""
    return CATALOGUE_PAGE if number == 1 else f"chartes/page-{number}.md"


def _catalogue_page_count(organisations: int) -> int:
    return max(1, -(-organisations // CATALOGUE_PAGE_SIZE))


def _name(charter: CharterSummary) -> str:
    return charter.name.text if isinstance(charter.name, Value) else ""


@functools.lru_cache(maxsize=8192)  # the catalogue sorts the same names for each of its pages
def _fold(text: str) -> str:
    """A name as a reader sorts it: case and accents aside (« Élise » with « elise »)."""
    return "".join(c for c in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(c))


def catalogue_order(charters: list[CharterSummary]) -> list[CharterSummary]:
    """The organisations in the catalogue's order: by name, case and accents aside, then by slug
    (a file's name need not follow its organisation's)."""
    return sorted((c for c in charters if not c.is_blank), key=lambda c: (_fold(_name(c)), c.slug))


def _guide(name: str, neighbour: str) -> str:
    """The shortest start of `name` that tells it from `neighbour`, as a dictionary's guide words
    do: « Ch » after a page that ends with « Ca… »; a start never ends inside a space."""
    other = _fold(neighbour)
    for end in range(1, len(name) + 1):
        start = name[:end]
        if start[-1].isalnum() and not other.startswith(_fold(start)):
            return start
    return name


def catalogue_pager(organisations: list[CharterSummary], size: int | None = None) -> list[str]:
    """Each catalogue page's range of names, « A – Ch », « Ci – F », … (organisations in the
    catalogue's order, `size` a page): a reader who looks for one name knows which page holds it."""
    size = size or CATALOGUE_PAGE_SIZE
    names = [_name(c) for c in organisations]
    pages = [names[k : k + size] for k in range(0, len(names), size)] or [[""]]
    labels = []
    for k, page in enumerate(pages):
        first = _guide(page[0], pages[k - 1][-1] if k else "")
        last = _guide(page[-1], pages[k + 1][0] if k + 1 < len(pages) else "")
        labels.append(first if _fold(first) == _fold(last) else f"{first}\u00a0– {last}")
    return labels


def catalogue(charters: list[CharterSummary], page_src: str, number: int = 1, pdf: bool = False) -> str:
    """One page of the table of organisations' charters (the blank charter on every page), with
    links to the other pages when there are more than CATALOGUE_PAGE_SIZE organisations; `pdf`:
    the build makes the PDFs."""
    organisations = catalogue_order(charters)
    blank = next(c for c in charters if c.is_blank)

    def links(charter: CharterSummary) -> tuple[str, list[tuple[str, str]], str | None]:
        names = download_names(charter, pdf=pdf)
        versions = f"chartes/{charter.slug}/versions/index.md"  # render/versions.py, versions_src
        return (
            rel_link(page_src, charter_src(charter.slug)),
            [(label, rel_link(page_src, target)) for label, target, _ in catalogue_formats(names, charter.slug)],
            rel_link(page_src, versions) if charter.released else None,
        )

    start = (number - 1) * CATALOGUE_PAGE_SIZE
    shown = organisations[start : start + CATALOGUE_PAGE_SIZE]
    count = _catalogue_page_count(len(organisations))
    ranges = catalogue_pager(organisations)
    pager = [(k, rel_link(page_src, catalogue_src(k)), ranges[k - 1]) for k in range(1, count + 1)] if count > 1 else []
    return render(
        "catalogue.md.j2",
        rows=[(charter, *links(charter)) for charter in shown],
        blank=links(blank),
        pager=pager,
        number=number,
        calendar=rel_link(page_src, CATALOGUE_CALENDAR) if any(download_names(c).calendar for c in organisations) else None,
        index=rel_link(page_src, CHARTERS_INDEX),
        data_page=rel_link(page_src, DATA_PAGE),
        first=start + 1,
        last=start + len(shown),
        total=len(organisations),
    )


def catalogue_pages(charters: list[CharterSummary]) -> list[tuple[str, str]]:
    """(source path, Markdown) of the catalogue's pages after the first, which docs/ holds."""
    count = _catalogue_page_count(sum(1 for c in charters if not c.is_blank))
    out = []
    for number in range(2, count + 1):
        src = catalogue_src(number)
        title = f"Les chartes, page {number} sur {count}"
        meta = {
            "title": title,
            "description": f"Les chartes d’utilisation de l’IA des organisations, page {number} sur {count}.",
            "render_macros": False,
        }
        body = render("catalogue_page.md.j2", title=title, first_page=rel_link(src, CATALOGUE_PAGE))
        out.append((src, _front_matter(meta) + body + catalogue(charters, src, number)))
    return out


def recommendations(project: Project, page_src: str) -> str:
    evidence = Evidence(project, page_src)
    clauses = {c.id: c for s in project.library.sections for c in s.clauses}
    by_rec = project.clauses_by_recommendation()
    blank = rel_link(page_src, charter_src(BLANK_SLUG))
    items = []
    for rec in project.recommendations:
        items.append(
            (
                rec,
                recommendation_anchor(rec.id),
                [evidence.row(fig_id) for fig_id in rec.figures],
                [(clauses[cid].title, f"{blank}#{clause_anchor(cid)}") for cid in by_rec[rec.id]],
            )
        )
    return render("recommendations.md.j2", items=items, figures_page=rel_link(page_src, FIGURES_PAGE))


CHANGELOG_PAGE = "chartes/changements.md"


def revision_anchor(revision: str) -> str:
    return "revision-" + revision.replace(".", "-")


def changelog(project: Project, page_src: str) -> str:
    """The page « Ce qui a changé »: each revision of the clause library, dated, with what
    changed and why, and links to the clauses concerned in the blank charter."""
    clauses = {c.id: c for s in project.library.sections for c in s.clauses}
    blank = rel_link(page_src, charter_src(BLANK_SLUG))
    revisions = []
    for rev in project.changelog.revisions:
        changes = [
            (change, [(clauses[cid].title, f"{blank}#{clause_anchor(cid)}") for cid in change.clauses])
            for change in rev.changes
        ]
        revisions.append((rev, revision_words(rev.revision, rev.date), format_date(rev.date), changes))
    return render("changelog.md.j2", revisions=revisions, anchor=revision_anchor)
