"""The office documents as a word processor lays them out: LibreOffice (headless) turns each
.docx and .odt into a PDF, read back with pypdf.

LibreOffice is a system package (.ci/run installs it: `apt-get install libreoffice-writer-nogui`);
without it these tests skip locally and fail in CI.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from sitecheck import norm
from test_documents import LABELS, ORGS, SLUGS, download, expected_charter

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
OFFICE_SUFFIXES = (".docx", ".odt")


def office_or_skip() -> str:
    if SOFFICE is None:
        message = "LibreOffice introuvable : apt-get install libreoffice-writer-nogui"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return SOFFICE


@pytest.fixture(scope="module")
def office() -> str:
    return office_or_skip()


def to_pdf(soffice: str, document: Path, out: Path) -> Path:
    """LibreOffice's own PDF of `document`, with a profile of its own (two at once share none)."""
    profile = out / "profile"
    subprocess.run(
        [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf", "--outdir", str(out), str(document)],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = out / (document.stem + ".pdf")
    assert pdf.is_file(), f"LibreOffice made no PDF of {document.name}"
    return pdf


@pytest.fixture(scope="module")
def office_pdfs(office, built_site, tmp_path_factory) -> dict[tuple[str, str], Path]:
    """LibreOffice's PDF of each charter's .docx and .odt."""
    out = {}
    for suffix in OFFICE_SUFFIXES:
        folder = tmp_path_factory.mktemp(suffix[1:])
        for slug in SLUGS:
            out[(slug, suffix)] = to_pdf(office, download(built_site.site, slug, suffix), folder)
    return out


@pytest.fixture(scope="module")
def laid_out(office_pdfs) -> dict[tuple[str, str], list[str]]:
    """Each page's text of each charter's .docx and .odt, as LibreOffice lays them out."""
    import pypdf

    out = {}
    for key, path in office_pdfs.items():
        reader = pypdf.PdfReader(path)
        box = reader.pages[0].mediabox
        assert (round(float(box.width)), round(float(box.height))) == (595, 842), "A4"
        out[key] = [page.extract_text() for page in reader.pages]
    return out


@pytest.mark.parametrize("suffix", OFFICE_SUFFIXES)
@pytest.mark.parametrize("slug", SLUGS)
def test_office_contents_entries_are_links(office_pdfs, laid_out, slug, suffix) -> None:
    """Opened as it was written (no field updated, no index refreshed), the contents lists
    every section and the acknowledgement sheet, each a link to its page inside the document."""
    import pypdf

    reader = pypdf.PdfReader(office_pdfs[(slug, suffix)])
    charter = expected_charter(slug)
    first = norm(" ".join(laid_out[(slug, suffix)][:2]))
    contents = first[first.index("Sommaire") :]
    for section in charter.sections:
        assert f"{section.number}. {norm(section.title)}"[:40] in contents, section.title
    assert norm(LABELS["acknowledgement_title"]) in contents
    links = []
    for page in reader.pages[:2]:
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            if annotation.get("/Subtype") == "/Link":
                links.append(annotation)
    internal = [a for a in links if "/Dest" in a or (a.get("/A") or {}).get("/S") == "/GoTo"]
    assert len(internal) >= len(charter.sections) + 1, f"{len(internal)} links in the contents"


@pytest.mark.parametrize("suffix", OFFICE_SUFFIXES)
@pytest.mark.parametrize("slug", SLUGS)
def test_office_layout(laid_out, slug, suffix) -> None:
    pages = laid_out[(slug, suffix)]
    count = len(pages)
    # The sections follow one another, so pages are full: when each section started a page,
    # 45,000 characters took 23 pages (1,950 a page); now 2,600 to 2,900 a page (measured on the
    # blank and the agency's charters). The cover, the contents' end and the last two pages
    # (the signatures' end and the acknowledgement sheet) are left out of the average.
    body = [len(text) for text in pages[2:-2]]
    assert body and sum(body) / len(body) >= 2_300, f"{count} pages, {sum(body) // max(1, len(body))} characters a page"
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} sur {count}" in norm(text), (number, norm(text)[-200:])
        # Something between the running header (first line) and the footer (from « Version »):
        # no page left blank by a break that follows a full page.
        lines = text.split("\n")[1:]
        footer = max((i for i, line in enumerate(lines) if norm(line).startswith(LABELS["version"])), default=len(lines))
        assert "".join(lines[:footer]).strip(), f"page {number} of {count} is empty"
    first = norm(" ".join(pages[:2]))  # two dozen sections: the contents may end on page 2
    charter = expected_charter(slug)
    # The table of contents shows its entries as soon as the document is opened.
    for section in charter.sections:
        assert f"{section.number}." in first and norm(section.title)[:30] in first, section.title
    # The headings are numbered by the word processor (their text carries no number).
    body = norm(" ".join(pages[1:]))
    for section in charter.sections:
        assert f"{section.number}. {norm(section.title)}" in body or f"{section.number}.{norm(section.title)}" in body
    # The acknowledgement sheet is the last page.
    assert norm(LABELS["acknowledgement_title"]) in norm(pages[-1])


@pytest.mark.parametrize("suffix", OFFICE_SUFFIXES)
def test_office_tables_keep_addresses_whole(laid_out, suffix) -> None:
    org = ORGS["agence-pixel-et-plume"]
    text = " ".join(laid_out[("agence-pixel-et-plume", suffix)])
    for person in org["people"].values():
        if "contact" not in person:  # the adopter signs: name and role only
            continue
        assert person["contact"] in text, f"{person['contact']} cut in the people table"
