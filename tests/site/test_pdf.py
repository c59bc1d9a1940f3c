"""The PDFs (PDF_DOWNLOADS=true): the charter and its one-page summary, read back with pypdf.

Tagged and accessible (PDF/UA-1): structure tree, document language and title shown, an outline
from the headings, fonts embedded, text in reading order; nothing fetched from another host.
"""

from __future__ import annotations

import re
from pathlib import Path

import pypdf
import pytest
from sitecheck import norm
from sitecheck import PDF_DOWNLOADS
from test_documents import BLANK_MARK, LABELS, ORGS, SLUGS, expected_charter

pytestmark = pytest.mark.skipif(
    PDF_DOWNLOADS != "true",
    reason="WeasyPrint ne trouve pas Pango : apt-get install libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core",
)


def pdf_of(site: Path, slug: str, prefix: str = "charte-ia") -> Path:
    found = [
        p
        for p in (site / "telechargements").glob(f"{prefix}-{slug}-*.pdf")
        if re.fullmatch(rf"{prefix}-{re.escape(slug)}-[a-z0-9-]+\.pdf", p.name)
    ]
    assert len(found) == 1, found
    return found[0]


def outline_titles(outline: list) -> list[str]:
    out = []
    for item in outline:
        if isinstance(item, list):
            out += outline_titles(item)
        else:
            out.append(norm(item.title))
    return out


def check_accessible(reader: pypdf.PdfReader, title_part: str) -> None:
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"]), "tagged"
    assert "/StructTreeRoot" in root
    assert str(root["/Lang"]).lower().startswith("fr")
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    assert title_part in norm(reader.metadata.title)
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            descriptor = descendant["/FontDescriptor"].get_object()
            assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), font["/BaseFont"]
        for annotation in page.get("/Annots", []) or []:
            action = annotation.get_object().get("/A")
            assert not (action and "/URI" in action and str(action["/URI"]).startswith(("http", "//"))), action


@pytest.mark.parametrize("slug", SLUGS)
def test_charter_pdf_is_tagged_and_reads_in_order(built_site, slug) -> None:
    reader = pypdf.PdfReader(pdf_of(built_site.site, slug))
    charter = expected_charter(slug)
    org = ORGS.get(slug)
    check_accessible(reader, norm(org["name"]) if org else norm(charter.title))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842), "A4"
    pages = [norm(p.extract_text()) for p in reader.pages]
    count = len(pages)
    # Sections follow one another, so pages are full: 3,200 to 3,300 characters a page measured
    # (cover, the contents' end and the last two pages left out), not a page count that the
    # clause library would outgrow.
    body_lengths = [len(text) for text in pages[2:-2]]
    assert body_lengths and sum(body_lengths) / len(body_lengths) >= 2_600, (count, body_lengths)
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} sur {count}" in text
    # The outline is the headings: every section, every clause, the acknowledgement sheet.
    titles = outline_titles(reader.outline)
    sections = [f"{s.number}. {norm(s.title)}" for s in charter.sections]
    assert [t for t in titles if t in sections] == sections
    clauses = [f"{c.number} {norm(c.title)}" for s in charter.sections for c in s.clauses]
    assert [t for t in titles if t in clauses] == clauses
    assert norm(LABELS["acknowledgement_title"]) in titles
    # The text is selectable, in reading order; the contents give each section's page.
    body = " ".join(pages[1:])
    positions = [body.find(s) for s in sections]
    assert -1 not in positions and positions == sorted(positions), positions
    for section in charter.sections:
        assert re.search(rf"{section.number}\. {re.escape(norm(section.title))}\s*\.*\s*\d+", pages[0]), section.title
    assert norm(LABELS["acknowledgement_title"]) in pages[-1]
    if org and org.get("version"):
        assert f"version {org['version']}" in pages[-1]
    else:
        assert BLANK_MARK in pages[-1]


@pytest.mark.parametrize("slug", SLUGS)
def test_essentials_pdf_is_one_tagged_page(built_site, slug) -> None:
    reader = pypdf.PdfReader(pdf_of(built_site.site, slug, prefix="essentiel-ia"))
    org = ORGS.get(slug)
    check_accessible(reader, norm(org["name"]) if org else "L’essentiel")
    assert len(reader.pages) == 1
    text = norm(reader.pages[0].extract_text())
    assert "Page 1 sur 1" in text
    for heading in ("uses", "mention", "data", "before", "who"):
        assert norm(LABELS["essentials"][heading]) in text
    referent = ((org or {}).get("people") or {}).get("ai_referent") or {}
    if referent.get("name"):
        assert norm(referent["name"].split(",")[0]) in text
