"""The study's figures as CSV (RFC 4180: commas, CRLF, UTF-8), each with its status and source.

A text cell that a spreadsheet would take for a formula (=, +, -, @, tab or carriage return
first) is written with a leading apostrophe, so that opening the file never runs anything.
Values are numbers with a decimal point, for programs; `valeur_affichee` is the French form.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from charte_ia.data.loader import Project
from charte_ia.render.evidence import STATUS_LABELS, format_value

FIGURES_HEADER = (
    "id",
    "groupe",
    "libelle",
    "valeur",
    "unite",
    "valeur_affichee",
    "population",
    "enquete",
    "statut",
    "statut_libelle",
    "par_rapport_a",
    "precision",
    "note",
    "source",
    "source_titre",
    "source_editeur",
    "source_date",
    "source_url",
)

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(value: Any) -> Any:
    """A cell as written: numbers as they are, text made inert for spreadsheets, None empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        # Every digit, never an exponent: « :g » kept six digits (1234567 -> 1.23457e+06).
        return (int(value) if value.is_integer() else repr(value)) if isinstance(value, float) else value
    text = " ".join(str(value).split()) if "\n" in str(value) else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def render_figures_csv(project: Project) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, dialect="excel", lineterminator="\r\n")
    writer.writerow(FIGURES_HEADER)
    groups = {g.id: g.title for g in project.study.groups}
    for fig in project.study.figures:
        source = project.sources.get(fig.source)
        writer.writerow(
            cell(v)
            for v in (
                fig.id,
                groups.get(fig.group, fig.group),
                fig.label,
                fig.value,
                fig.unit,
                format_value(fig),
                fig.population,
                project.study.study.survey_period,
                fig.status,
                STATUS_LABELS.get(fig.status, fig.status),
                fig.of,
                fig.qualifier,
                fig.note,
                fig.source,
                source.title if source else None,
                source.publisher if source else None,
                source.date if source else None,
                source.url if source else None,
            )
        )
    return out.getvalue().encode("utf-8")
