"""The study's figures as page fragments: tables, charts, headline cards, sources.

Python computes (formatted values, derived previous values, links); templates present.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from charte_ia.data.loader import Project
from charte_ia.render.escaping import md_escape, rel_link
from charte_ia.data.models import Figure
from charte_ia.render.jinja import render
from charte_ia.render.typography import (
    NBSP,
    elide_de,
    format_date,
    format_month,
    format_number,
    fr_typo,
    join_items,
    lower_first,
)

FIGURES_PAGE = "chiffres.md"
SOURCES_PAGE = "sources.md"
RECOMMENDATIONS_PAGE = "recommandations.md"

STATUS_LABELS = {"verified": "vérifié", "reported": "rapporté", "derived": "dérivé", "to_check": "à vérifier"}
STATUS_HELP = {
    "verified": "vu dans la source primaire (le rapport de Hootsuite, le texte de loi)",
    "reported": "vu seulement dans une source secondaire (l’article de Blog du Modérateur ou la presse)",
    "derived": "calculé par nous à partir de chiffres sourcés ; ce n’est pas un chiffre publié",
    "to_check": "règle connue avec une confiance faible ou moyenne : la clause qui la cite est écrite pour "
    "rester vraie dans les deux cas, et la note dit ce qu’il faut vérifier",
}


def format_value(figure: Figure) -> str:
    if figure.unit == "percent":
        return f"{format_number(figure.value)}{NBSP}%"
    if figure.unit == "points":
        sign = "+" if figure.value > 0 else ("−" if figure.value < 0 else "")
        return f"{sign}{format_number(abs(figure.value))}{NBSP}points"
    return format_number(figure.value)


def figure_anchor(figure_id: str) -> str:
    return f"fig-{figure_id}"


def source_anchor(source_id: str) -> str:
    return f"src-{source_id}"


def recommendation_anchor(rec_id: str) -> str:
    return f"rec-{rec_id}"


class PageText:
    """A record's fields for a page that prints them with `{{ record.field }}` (mkdocs-macros
    renders pages without escaping): each field comes out as inert, typeset Markdown text."""

    def __init__(self, record: object):
        self._record = record

    def __getattr__(self, name: str) -> Markup:
        value = getattr(self._record, name)
        return Markup(md_escape(fr_typo(str(value))))


def status_badge(status: str) -> Markup:
    return Markup(
        f'<span class="cia-status cia-status--{status}" title="{fr_typo(STATUS_HELP[status])}">{STATUS_LABELS[status]}</span>'
    )


@dataclass(frozen=True)
class FigureRow:
    figure: Figure
    value: str
    anchor: str
    source_name: str
    source_link: str
    status: Markup


@dataclass(frozen=True)
class ChangeRow:
    change: FigureRow
    current: FigureRow
    previous: str  # derived: current value minus the change in points
    formula: str


class Evidence:
    """Page fragments for one page (links are relative to that page's source path)."""

    def __init__(self, project: Project, page_src: str):
        self.project = project
        self.page_src = page_src

    def link(self, to_src: str, anchor: str | None = None) -> str:
        return rel_link(self.page_src, to_src, anchor)

    def row(self, figure_id: str) -> FigureRow:
        figure = self.project.figures[figure_id]
        source = self.project.sources[figure.source]
        return FigureRow(
            figure=figure,
            value=format_value(figure),
            anchor=figure_anchor(figure.id),
            source_name=source.short,  # the bibliography has the rest
            source_link=self.link(SOURCES_PAGE, source_anchor(source.id)),
            status=status_badge(figure.status),
        )

    def group(self, group_id: str) -> list[FigureRow]:
        return [self.row(f.id) for f in self.project.study.figures if f.group == group_id]

    def group_title(self, group_id: str) -> str:
        return next(g.title for g in self.project.study.groups if g.id == group_id)

    def changes(self) -> list[ChangeRow]:
        rows = []
        for change in self.group("changes"):
            assert change.figure.of is not None
            current = self.row(change.figure.of)
            previous = current.figure.value - change.figure.value
            rows.append(
                ChangeRow(
                    change=change,
                    current=current,
                    previous=f"{format_number(previous)}{NBSP}%",
                    formula=f"{format_number(current.figure.value)} − {format_number(change.figure.value)}",
                )
            )
        return rows

    # --- fragments used by the pages (through macros.py) -----------------------------------

    def value(self, figure_id: str) -> str:
        return format_value(self.project.figures[figure_id])

    def table(self, group_id: str) -> str:
        return render("figures_table.md.j2", rows=self.group(group_id), anchors=True)

    def changes_table(self) -> str:
        return render("changes_table.md.j2", rows=self.changes(), derived=status_badge("derived"))

    def chart(self, group_id: str) -> str:
        rows = self.group(group_id)
        units = {row.figure.unit for row in rows}
        if len(units) != 1:  # never mix percentages and points in one chart
            raise ValueError(f"le groupe « {group_id} » mélange des unités : {sorted(units)}")
        top = 100.0 if units == {"percent"} else max(abs(row.figure.value) for row in rows)
        bars = [(row, round(100 * abs(row.figure.value) / top, 1)) for row in rows]
        title = self.group_title(group_id)
        label = fr_typo(f"Graphique en barres. {title} : " + " ; ".join(f"{r.figure.label} : {r.value}" for r in rows))
        return render("bar_chart.html.j2", title=title, label=label, bars=bars, id=f"chart-{group_id}")

    def headline(self) -> str:
        period = elide_de(self.project.study.study.survey_period)
        return render("headline.md.j2", rows=[self.row(i) for i in self.project.study.headline], ev=self, period=period)

    def method(self) -> str:
        study = self.project.study.study
        samples = []
        for i, fig_id in enumerate(study.surveys):
            figure = self.project.figures[fig_id]
            where = f" dans {format_number(study.countries)} pays" if i == 0 else ""
            samples.append(f"{format_value(figure)} {lower_first(figure.label)}{where}")
        counts = {1: "une enquête menée", 2: "deux enquêtes menées", 3: "trois enquêtes menées"}
        return render(
            "method.md.j2",
            study=study,
            samples=join_items(samples),
            surveys=counts.get(len(samples), f"{len(samples)} enquêtes menées"),
            rows=self.group("method"),
            source=self.project.sources[study.source],
            summary=self.project.sources[study.summary_source],
            source_link=self.link(SOURCES_PAGE, source_anchor(study.source)),
            summary_link=self.link(SOURCES_PAGE, source_anchor(study.summary_source)),
        )

    def sources(self) -> str:
        rows = [
            (
                source,
                format_month(source.date),
                format_date(source.checked) if source.checked else None,
                status_badge(source.status) if source.status else None,
            )
            for source in self.project.sources.values()
        ]
        return render("sources.md.j2", rows=rows, anchor=source_anchor)

    def status_legend(self) -> str:
        return render("status_legend.md.j2", statuses=[(status_badge(s), STATUS_HELP[s]) for s in STATUS_LABELS])
