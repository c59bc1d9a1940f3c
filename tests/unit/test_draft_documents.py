"""A dated draft (a version and an adoption date, blanks left) says « Projet » in the document
itself, in every format, not only in the catalogue; an adopted charter does not."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import docx
import pytest

from charte_ia.charter.assembly import Charter, assemble
from charte_ia.data.loader import OrganizationEntry, Project
from charte_ia.mkdocs.site import download_names
from charte_ia.render import pdf
from charte_ia.render.docx import render_docx
from charte_ia.render.html import charter_page
from charte_ia.render.markdown import render_markdown
from charte_ia.render.odt import render_odt

SPACES = str.maketrans({"\u00a0": " ", "\u202f": " "})


def dated_draft(project: Project) -> OrganizationEntry:
    """The shop, given a version and an adoption date while blanks remain in its charter."""
    shop = next(e for e in project.organizations if e.org.kind == "small_business")
    org = shop.org.model_copy(update={"version": "1.0", "adopted": dt.date(2026, 11, 20), "training": None})
    return OrganizationEntry(shop.slug, org, shop.path)


def texts(charter: Charter, project: Project) -> dict[str, str]:
    """What each format prints, as text (tags left in: only words are looked for)."""
    package = zipfile.ZipFile(io.BytesIO(render_docx(charter, project)))
    odt = zipfile.ZipFile(io.BytesIO(render_odt(charter, project)))
    out = {
        "md": render_markdown(charter, project).decode("utf-8"),
        "page": charter_page(project, charter, download_names(charter), True).content,
        "docx body": "\n".join(p.text for p in docx.Document(io.BytesIO(render_docx(charter, project))).paragraphs),
        "docx header": package.read("word/header1.xml").decode("utf-8"),
        "docx footer": package.read("word/footer1.xml").decode("utf-8"),
        "odt body": odt.read("content.xml").decode("utf-8"),
        "odt footer": odt.read("styles.xml").decode("utf-8"),
    }
    if pdf.available():
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(pdf.render_pdf(charter, project)))
        out["pdf first page"] = reader.pages[0].extract_text()
        out["pdf running header"] = reader.pages[2].extract_text()
    return {k: v.translate(SPACES) for k, v in out.items()}


def test_a_dated_draft_says_projet_everywhere(project: Project) -> None:
    charter = assemble(project, dated_draft(project))
    assert charter.declares_adoption and charter.blanks() and charter.is_draft
    labels = project.library.labels
    notice = labels.draft_notice.translate(SPACES)
    for fmt, text in texts(charter, project).items():
        if fmt in ("docx header", "docx footer", "odt footer", "pdf running header"):
            assert labels.draft in text, fmt
        else:
            assert notice in text, fmt


@pytest.mark.parametrize("adopted", [True, False])
def test_an_adopted_charter_or_the_blank_one_says_no_projet(project: Project, adopted: bool) -> None:
    entry = next(e for e in project.organizations if e.org.version and e.org.adopted) if adopted else None
    charter = assemble(project, entry)
    assert not charter.is_draft
    notice = project.library.labels.draft_notice.translate(SPACES)
    for fmt, text in texts(charter, project).items():
        assert notice not in text and f"— {project.library.labels.draft}" not in text, fmt
