"""Markdown for the pages that are made from data: charters, catalogue, recommendations."""

from __future__ import annotations

import html
from dataclasses import dataclass

import yaml

from .charter import BLANK_SLUG, Charter, CharterSummary
from .evidence import (
    FIGURES_PAGE,
    RECOMMENDATIONS_PAGE,
    SOURCES_PAGE,
    Evidence,
    figure_anchor,
    recommendation_anchor,
    source_anchor,
)
from .loader import Project
from .markdown import rel_link
from .render import render

CATALOGUE_PAGE = "chartes/index.md"


@dataclass(frozen=True)
class DownloadNames:
    docx: str
    markdown: str


def download_names(charter: Charter | CharterSummary) -> DownloadNames:
    stem = f"telechargements/charte-ia-{charter.slug}-{charter.version_tag}"
    return DownloadNames(docx=f"{stem}.docx", markdown=f"{stem}.md")


def charter_src(slug: str) -> str:
    return f"chartes/{slug}.md"


def clause_anchor(clause_id: str) -> str:
    return f"clause-{clause_id}"


def _front_matter(meta: dict[str, object]) -> str:
    return "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1000) + "---\n"


def _plain_title(text: str) -> str:
    """A title for the theme, which prints it unescaped, and in <title> through `striptags`
    (which unescapes entities): so escape it, and turn angle brackets into look-alikes that
    no unescaping can make into a tag."""
    return html.escape(text.replace("<", "‹").replace(">", "›"), quote=True)


def charter_page(project: Project, charter: Charter, names: DownloadNames, src: str) -> str:
    """The charter as a page. Macros do not render it: organisation values are never templates."""
    name = charter.name.text if not charter.is_blank and hasattr(charter.name, "text") else "Charte vierge"
    meta = {
        "title": _plain_title(f"Charte IA : {name}"),
        "description": _plain_title(
            f"{name} : charte d’utilisation de l’IA générative (règles, mentions et responsabilités)."
            if not charter.is_blank
            else "Charte d’utilisation de l’IA générative vierge, à remplir, en Word et Markdown."
        ),
        "render_macros": False,
    }

    def link(to_src: str, anchor: str | None = None) -> str:
        return rel_link(src, to_src, anchor)

    ref_links = {
        "recommendation": lambda ref_id: link(RECOMMENDATIONS_PAGE, recommendation_anchor(ref_id)),
        "figure": lambda ref_id: link(FIGURES_PAGE, figure_anchor(ref_id)),
        "source": lambda ref_id: link(SOURCES_PAGE, source_anchor(ref_id)),
    }
    body = render(
        "charter_page.md.j2",
        charter=charter,
        labels=project.library.labels,
        docx=link(names.docx),
        markdown=link(names.markdown),
        catalogue=link(CATALOGUE_PAGE),
        ref_link=lambda ref: ref_links[ref.kind](ref.id),
        clause_anchor=clause_anchor,
    )
    return _front_matter(meta) + body


def catalogue(charters: list[CharterSummary], page_src: str) -> str:
    """The table of every organisation's charter, the blank charter last."""
    rows, blank = [], None
    for charter in charters:
        names = download_names(charter)
        links = (
            rel_link(page_src, charter_src(charter.slug)),
            rel_link(page_src, names.docx),
            rel_link(page_src, names.markdown),
        )
        if charter.is_blank:
            blank = links
        else:
            rows.append((charter, *links))
    return render("catalogue.md.j2", rows=rows, blank=blank)


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
