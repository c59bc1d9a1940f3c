"""The PDF of what changed between two versions, as a DPO files it: each mark's label reads
« [supprimé : mot] », « [ajouté : mot] », a space after its colon as everywhere in French."""

from __future__ import annotations

import re

import pytest

from charte_ia.charter.diff import diff_charters
from charte_ia.data.loader import Project
from charte_ia.render import pdf
from charte_ia.render.versions import changes_print

pytestmark = pytest.mark.skipif(not pdf.available(), reason="WeasyPrint ne trouve pas Pango")


def test_each_label_of_a_change_is_followed_by_a_space(project: Project) -> None:
    import io

    import pypdf

    slug, releases = next((s, r) for s, r in project.releases.items() if len(r) >= 3)
    entry = next(e for e in project.organizations if e.slug == slug)
    old, new = releases[1], releases[2]
    html = changes_print(entry, diff_charters(old.frozen(), new.frozen()), old, new)
    reader = pypdf.PdfReader(io.BytesIO(pdf.render_changes_pdf(html, "essai-libelles")))
    text = " ".join(page.extract_text() for page in reader.pages)
    labels = re.findall(r"\[(?:supprimé|ajouté)[\s\u00a0\u202f]?:(.)", text)
    assert len(labels) > 4
    assert all(after.isspace() or after == "\u2026" for after in labels), labels
