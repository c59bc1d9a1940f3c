"""« L’essentiel en une page »: the staff's summary of each charter, as a page of the site and
as a one-page Word document (its PDF: test_pdf.py)."""

from __future__ import annotations

import docx
import pytest
from sitecheck import links_to, norm, page_file, strip_tags
from test_documents import BLANK_MARK, LABELS, LIBRARY, ORGS, SLUGS

WORDS = LABELS["essentials"]


def summary_docx(site, slug: str):
    found = sorted((site / "telechargements").glob(f"essentiel-ia-{slug}-*.docx"))
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize("slug", SLUGS)
def test_essentials_page(built_site, slug) -> None:
    page = page_file(built_site.site, f"chartes/{slug}/essentiel/")
    html = page.read_text(encoding="utf-8")
    text = norm(strip_tags(html))
    for key in ("uses", "mention", "data", "before", "who", "full_charter"):
        assert norm(WORDS[key]) in text, key
    org = ORGS.get(slug)
    if org:
        assert norm(org["name"]) in text
        for use in LIBRARY["uses"]:
            assert norm(use["label"]) in text
        for level in set((org.get("uses") or {}).values()):
            assert norm(LIBRARY["levels"][level]) in text  # the charter's own names
        wording = (org.get("disclosure") or {}).get("wording")
        assert norm(wording) in text if wording else BLANK_MARK in text
        for person in (org.get("people") or {}).values():
            if person.get("contact"):
                assert person["contact"] in text
    else:
        assert text.count(BLANK_MARK) >= 8
    # Linked from the charter page, and back; its Word document from it.
    site = built_site.site.resolve()
    assert links_to(site, page_file(site, f"chartes/{slug}/"), page_file(site, f"chartes/{slug}/essentiel/"))
    assert links_to(site, page_file(site, f"chartes/{slug}/essentiel/"), page_file(site, f"chartes/{slug}/"))
    assert summary_docx(built_site.site, slug).name in html


@pytest.mark.parametrize("slug", SLUGS)
def test_essentials_docx(built_site, slug) -> None:
    document = docx.Document(str(summary_docx(built_site.site, slug)))
    text = norm("\n".join(p.text for p in document.paragraphs))
    for key in ("uses", "mention", "data", "before", "who"):
        assert norm(WORDS[key]) in text, key
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    people = document.tables[-1]
    assert [norm(c.text) for c in people.rows[0].cells] == [norm(LABELS[k]) for k in ("role", "person", "contact")]


def test_essentials_docx_is_one_page(laid_out_summaries) -> None:
    for slug, pages in laid_out_summaries.items():
        assert len(pages) == 1, f"{slug}: {len(pages)} pages"
        assert "Page 1 sur 1" in norm(pages[0])


@pytest.fixture(scope="module")
def laid_out_summaries(built_site, tmp_path_factory):
    import pypdf
    from test_office import office_or_skip, to_pdf

    soffice = office_or_skip()
    folder = tmp_path_factory.mktemp("summaries")
    return {
        slug: [p.extract_text() for p in pypdf.PdfReader(to_pdf(soffice, summary_docx(built_site.site, slug), folder)).pages]
        for slug in SLUGS
    }
