"""Adding one YAML file adds a charter page and its documents; its values are text, never code.

`extended_site` (conftest.py) is one build of the project with two organisation files added.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import docx
import pytest
from extra_orgs import HOSTILE_NAME, HOSTILE_SLUG, NEW_NAME, NEW_SLUG
from sitecheck import broken_links, docx_text, hrefs, links_to, md_unescape, norm, page_file, parse, resolve

# `{{ 7*7 }}` rendered would print 49; the clause texts cite « loi n° 2024-449 », so a bare 49 only.
EVALUATED = re.compile(r"(?<![\d-])49(?!\d)")


def downloads_of(site: Path, slug: str) -> dict[str, Path]:
    found = {
        p.suffix: p
        for p in (site / "telechargements").glob(f"charte-ia-{slug}-*")
        if p.suffix in (".docx", ".odt", ".md")
    }
    assert set(found) == {".docx", ".odt", ".md"}, sorted((site / "telechargements").iterdir())
    return found


# --- a new organisation --------------------------------------------------------------------------


def test_new_organisation_has_its_page(extended_site) -> None:
    page = extended_site.page(f"chartes/{NEW_SLUG}/")
    text = norm(" ".join(parse(page_file(extended_site.site, f"chartes/{NEW_SLUG}/")).texts))
    assert NEW_NAME in text
    assert "Restauration" in text
    assert "Inès Lambert, gérante" in text
    assert "1ᵉʳ avril 2026" in text and "1ᵉʳ octobre 2026" in text
    assert "avis juridique" in page
    # Images are forbidden for this organisation: the "images forbidden" clause, not the other.
    assert 'id="clause-usages-images-interdit"' in page
    assert 'id="clause-usages-images"' not in page


def test_new_organisation_has_its_documents(extended_site) -> None:
    site = extended_site.site.resolve()
    found = downloads_of(site, NEW_SLUG)
    assert found[".docx"].name == f"charte-ia-{NEW_SLUG}-v0-3.docx"
    assert found[".md"].name == f"charte-ia-{NEW_SLUG}-v0-3.md"
    page = page_file(site, f"chartes/{NEW_SLUG}/")
    for path in found.values():
        assert path.stat().st_size > 0
        assert links_to(site, page, path), path.name
    assert NEW_NAME in norm(docx_text(found[".docx"]))
    assert NEW_NAME in norm(md_unescape(found[".md"].read_text(encoding="utf-8")))
    document = docx.Document(str(found[".docx"]))
    assert any(p.style.name == "Heading 1" for p in document.paragraphs)


def test_new_organisation_is_in_the_catalogue_not_the_nav(extended_site) -> None:
    site = extended_site.site.resolve()
    catalogue = page_file(site, "chartes/")
    target = page_file(site, f"chartes/{NEW_SLUG}/")
    assert links_to(site, catalogue, target)
    assert NEW_NAME in norm(" ".join(parse(catalogue).texts))
    assert not links_to(site, page_file(site, ""), target)
    assert not links_to(site, page_file(site, "chiffres/"), target)


def test_extended_site_links_resolve(extended_site) -> None:
    problems = broken_links(extended_site.site)
    assert not problems, "\n".join(problems)


# --- hostile values ------------------------------------------------------------------------------

LITERALS = ["{{ 7*7 }}", "{% if true %}x{% endif %}", "[x](javascript:alert(1))", "<script>alert(1)</script>"]


def active_markup(page_html: str) -> list[str]:
    """Markup that a value could have smuggled in: script bodies, javascript: URLs, handlers, tags."""
    found = [body for body in re.findall(r"<script[^>]*>(.*?)</script>", page_html, re.S) if "alert(" in body]
    for tag in re.findall(r"<[a-zA-Z][^<>]*>", page_html):  # real tags only, not &lt;escaped&gt; text
        if re.search(r"""\b(?:href|src|action)\s*=\s*["']?\s*javascript:""", tag, re.I):
            found.append(tag)
        if re.search(r"\bon[a-z]+\s*=", tag, re.I) or re.match(r"<img\b[^>]*\bsrc=[\"']?x\b", tag):
            found.append(tag)
    found += re.findall(r"<b>gras</b>|<a\b[^>]*>lien</a>|<em>emphase</em>", page_html)
    return found


def test_active_markup_detector() -> None:
    """The detector above finds what it looks for, and not escaped text."""
    assert active_markup('<p><a href="javascript:alert(1)">x</a></p>')
    assert active_markup("<script>alert(1)</script>")
    assert active_markup("<img src=x onerror=alert(2)>")
    assert active_markup("<p><b>gras</b></p>")
    assert not active_markup('<p>&lt;a href="javascript:alert(1)"&gt; &lt;script&gt;alert(1)&lt;/script&gt;</p>')


def test_hostile_values_are_inert_on_the_page(extended_site) -> None:
    page_html = extended_site.page(f"chartes/{HOSTILE_SLUG}/")
    assert not active_markup(page_html), active_markup(page_html)
    assert "<script>alert" not in page_html
    text = norm(" ".join(parse(page_file(extended_site.site, f"chartes/{HOSTILE_SLUG}/")).texts))
    assert norm(HOSTILE_NAME) in text, "the name must come out literally"
    for literal in LITERALS:
        assert literal in text, literal
    assert "{% raw %}brut{% endraw %}" in text
    assert "*emphase*" in text  # emphasis not applied
    assert "<em>emphase</em>" not in page_html
    assert not EVALUATED.search(text), "a value was rendered as a template"


def test_hostile_title_has_no_markup(extended_site) -> None:
    page_html = extended_site.page(f"chartes/{HOSTILE_SLUG}/")
    title = re.search(r"<title>(.*?)</title>", page_html, re.S)
    assert title
    assert "<script" not in title.group(1) and "<" not in title.group(1)
    for meta in re.findall(r'<meta[^>]+content="([^"]*)"', page_html):
        assert "<script" not in meta


def test_hostile_values_are_inert_in_the_catalogue(extended_site) -> None:
    page_html = extended_site.page("chartes/")
    assert not active_markup(page_html), active_markup(page_html)
    text = norm(" ".join(parse(page_file(extended_site.site, "chartes/")).texts))
    assert norm(HOSTILE_NAME) in text
    assert not EVALUATED.search(text), "a value was rendered as a template"


def test_hostile_values_are_literal_in_the_md(extended_site) -> None:
    path = downloads_of(extended_site.site, HOSTILE_SLUG)[".md"]
    raw = path.read_text(encoding="utf-8")
    # No live HTML, no live link: "<" and "[" are escaped.
    assert not re.search(r"(?<!\\)<(?:script|img|b|a)\b", raw), raw[:2000]
    assert not re.search(r"(?<!\\)\[[^\]\n]*(?<!\\)\]\(javascript:", raw)
    text = norm(md_unescape(raw))
    assert norm(HOSTILE_NAME) in text
    for literal in LITERALS:
        assert literal in text, literal
    assert "{% raw %}brut{% endraw %}" in text
    assert not EVALUATED.search(text), "a value was rendered as a template"


def test_hostile_values_are_literal_in_the_docx(extended_site) -> None:
    path = downloads_of(extended_site.site, HOSTILE_SLUG)[".docx"]
    text = norm(docx_text(path))
    assert norm(HOSTILE_NAME) in text
    for literal in LITERALS:
        assert literal in text, literal
    assert "<b>gras</b>" in text
    assert not EVALUATED.search(text), "a value was rendered as a template"


def test_hostile_values_are_literal_in_the_odt(extended_site) -> None:
    from test_odt import odt_text

    text = norm(odt_text(downloads_of(extended_site.site, HOSTILE_SLUG)[".odt"]))
    assert norm(HOSTILE_NAME) in text
    for literal in LITERALS:
        assert literal in text, literal
    assert "<b>gras</b>" in text
    assert not EVALUATED.search(text)


def test_hostile_values_are_literal_in_the_pdfs(extended_site) -> None:
    import pypdf
    from sitecheck import PDF_DOWNLOADS

    if PDF_DOWNLOADS != "true":
        pytest.skip("WeasyPrint ne trouve pas Pango : apt-get install libpango-1.0-0 libpangoft2-1.0-0")

    folder = extended_site.site / "telechargements"
    for pattern in (f"charte-ia-{HOSTILE_SLUG}-*.pdf", f"essentiel-ia-{HOSTILE_SLUG}-*.pdf"):
        (path,) = folder.glob(pattern)
        reader = pypdf.PdfReader(path)
        text = norm(" ".join(p.extract_text() for p in reader.pages))
        assert "<script>alert(1)</script>" in text and "{{ 7*7 }}" in text, path.name
        assert HOSTILE_NAME.split(" <")[0] in norm(reader.metadata.title)
        for page in reader.pages:  # no link the values could have made
            for annotation in page.get("/Annots", []) or []:
                action = annotation.get_object().get("/A") or {}
                assert "javascript" not in str(action.get("/URI", "")), action


def test_hostile_values_are_inert_in_the_essentials(extended_site) -> None:
    page_html = extended_site.page(f"chartes/{HOSTILE_SLUG}/essentiel/")
    assert not active_markup(page_html), active_markup(page_html)
    text = norm(" ".join(parse(page_file(extended_site.site, f"chartes/{HOSTILE_SLUG}/essentiel/")).texts))
    assert norm(HOSTILE_NAME) in text
    assert "<script>alert(7)</script>" in text and not EVALUATED.search(text)
    (path,) = (extended_site.site / "telechargements").glob(f"essentiel-ia-{HOSTILE_SLUG}-*.docx")
    words = norm(docx_text(path))
    assert norm(HOSTILE_NAME) in words and "<script>alert(7)</script>" in words


def test_hostile_download_names_are_safe(extended_site) -> None:
    site = extended_site.site.resolve()
    page = page_file(site, f"chartes/{HOSTILE_SLUG}/")
    for link in hrefs(page):
        if "telechargements/" in link:
            target, _ = resolve(site, page, link)
            assert target.parent == site / "telechargements"
            assert re.fullmatch(r"charte-ia-[a-z0-9-]+\.(docx|odt|pdf|md|zip|json|ics)", target.name), target.name
    assert html.escape("<script>") not in " ".join(p.name for p in (site / "telechargements").iterdir())
