"""The acknowledgement sheet of a charter: one page that staff sign, naming the version they read.

Every document format prints it from this one model, after the charter.
"""

from __future__ import annotations

import re
from typing import Any
from dataclasses import dataclass

from charte_ia.charter.assembly import Charter, Paragraph, Plain
from charte_ia.data.models import Labels
from charte_ia.render.typography import fr_typo

# Rows to sign on one A4 page under the statement, at 1.3 cm a row.
ACKNOWLEDGEMENT_ROWS = 14


@dataclass(frozen=True)
class Acknowledgement:
    title: str
    statement: Paragraph  # the organisation's name, version and adoption date are its values or blanks
    fields: tuple[str, ...]  # the columns to fill in: name, role, date, signature
    rows: int


def acknowledgement(charter: Charter, labels: Labels) -> Acknowledgement:
    values = {
        "name": charter.name,
        "designation": charter.designation or charter.name,
        "version": charter.version,
        "adopted": charter.adopted,
    }
    statement: list = []
    for piece in re.split(r"(\{\w+\})", fr_typo(labels.acknowledgement_statement)):
        key = piece[1:-1]
        if piece.startswith("{") and key in values:
            statement.append(values[key])
        elif piece:
            statement.append(Plain(piece))
    return Acknowledgement(fr_typo(labels.acknowledgement_title), tuple(statement), labels.signature_fields, ACKNOWLEDGEMENT_ROWS)


NOT_LEGAL_ADVICE = "Ceci n’est pas un avis juridique."


def footer_notice(charter: Charter, labels: Labels) -> str:
    """What the foot of each page says: an adopted charter's notice, else that it is not legal
    advice, after « Projet » in an organisation's draft."""
    if charter.is_adopted:
        return charter.disclaimer
    return f"{labels.draft} · {NOT_LEGAL_ADVICE}" if charter.is_draft else NOT_LEGAL_ADVICE


def header_rows(charter: Charter, labels: Labels) -> list[tuple[str, Any]]:
    """The document header's rows (organisation, sector, version and dates), one list for the
    .docx, the .odt and the PDF."""
    return [
        ("Organisation", charter.name),
        ("Secteur", charter.sector),
        (labels.version, charter.version),
        (labels.adopted, charter.adopted),
        (labels.next_review, charter.next_review),
    ]
