"""Hostile values in the PDFs (the charter, its one-page summary, the changes between two
versions): each prints as the text it is, and nothing in it becomes an element, a link, a
fetched resource or a rendered template."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest

from charte_ia.charter.assembly import assemble
from charte_ia.charter.diff import diff_charters, frozen
from charte_ia.charter.essentials import essentials
from charte_ia.charter.releases import Release
from charte_ia.data.loader import OrganizationEntry, Project
from charte_ia.data.models import Organization
from charte_ia.render import pdf
from charte_ia.render.versions import changes_print

pytestmark = pytest.mark.skipif(not pdf.available(), reason="WeasyPrint ne trouve pas Pango")

PAYLOAD = "Q{n}Q <script>alert({n})</script> <img src=https://evil.example/{n}.png> <b>gras</b> {{{{ 7*7 }}}} &amp;x ]]>"
FIELDS = {
    "name": ("name",),
    "designation": ("designation",),
    "sector": ("sector",),
    "wording": ("disclosure", "wording"),
    "reviewer": ("review", "reviewer"),
    "referent": ("people", "ai_referent", "name"),
}


def hostile(project: Project, version: str, extra: str = "") -> OrganizationEntry:
    city = next(e for e in project.organizations if e.org.kind == "public_body")
    data = city.org.model_dump(mode="json", exclude_defaults=True)
    for n, path in enumerate(FIELDS.values(), start=1):
        target = data
        for key in path[:-1]:
            target = target.setdefault(key, {})
        target[path[-1]] = PAYLOAD.format(n=n) + extra
    data.update(version=version, adopted="2026-12-01")
    return OrganizationEntry("hostile", Organization.model_validate(data), city.path)


def text_of(data: bytes) -> str:
    import pypdf

    reader = pypdf.PdfReader(io.BytesIO(data))
    assert not any(p.get("/Resources", {}).get("/XObject") for p in reader.pages), "an image was fetched or drawn"
    return re.sub(r"\s+", "", " ".join(p.extract_text() for p in reader.pages))


def literal(text: str, n: int) -> bool:
    return re.sub(r"\s+", "", PAYLOAD.format(n=n)) in text


def test_hostile_values_are_text_in_every_pdf(project: Project) -> None:
    entry = hostile(project, "1.0")
    charter = assemble(project, entry)
    documents = {
        "charter": text_of(pdf.render_pdf(charter, project)),
        "essentials": text_of(pdf.render_essentials_pdf(essentials(project, entry, charter), project)),
    }
    later = hostile(project, "1.1", extra=" modifiée")
    old = Release("hostile", "1.0", dt.date(2026, 12, 1), "2026-12", entry.path.parent)
    new = Release("hostile", "1.1", dt.date(2026, 12, 2), "2026-12", entry.path.parent)
    labels = project.library.labels
    diff = diff_charters(frozen(charter, labels), frozen(assemble(project, later), labels))
    documents["changes"] = text_of(pdf.render_changes_pdf(changes_print(later, diff, old, new), "hostile"))
    for name, text in documents.items():

        shown = [n for n in range(1, len(FIELDS) + 1) if f"Q{n}Q" in text]
        assert shown, name
        for n in shown:
            assert literal(text, n), (name, n, text[text.index(f"Q{n}Q") :][:120])
