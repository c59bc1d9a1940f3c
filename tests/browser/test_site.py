"""The hosted site (served on 127.0.0.1) and the offline zip (opened from file://), in Chromium.

Every test records every request (none may go to another host) and every console error (none).
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from urllib.parse import unquote

import pytest
from playwright.sync_api import expect

from .conftest import SEARCH_READY, root_conftest

pytestmark = pytest.mark.browser

# The pages a reader must reach by following links from the home page.
PAGES = (
    "",
    "chiffres/",
    "recommandations/",
    "chartes/",
    "chartes/mode-d-emploi/",
    "chartes/modele/",
    "chartes/agence-pixel-et-plume/",
    "chartes/la-boutique-d-elise/",
    "chartes/ville-de-saint-etienne-du-lac/",
    "sources/",
    "mentions/",
)
PALETTE_TOGGLE = "form[data-cia-palette] label:not([hidden])"


def test_every_link_works_and_nothing_leaves(site, visit_factory):
    """Crawl from the home page: each page loads cleanly, each local link reaches a non-empty
    file, each #anchor exists, and no request goes to another host."""
    visit = visit_factory(site)
    page = visit.new_page()
    ids: dict[str, set[str]] = {}
    links: list[tuple[str, str, str]] = []  # (from page, target, fragment)
    todo = [site.url("")]
    while todo:
        url = todo.pop()
        if url in ids:
            continue
        response = page.goto(url, wait_until="load")
        assert response is not None and response.ok, f"{url} : {response and response.status}"
        # Ids and links read in one script run: the builder adds its preview (sections and the
        # links to them) in a later task, and two reads could fall on either side of it.
        found = page.evaluate(
            "() => [[...document.querySelectorAll('[id]')].map(e => e.id),"
            " [...document.querySelectorAll('a[href]')].map(e => e.href)]"
        )
        ids[url] = set(found[0])
        for href in found[1]:
            if not href.startswith(site.base):
                continue  # another site: a link to follow by hand, never a request here
            target, _, fragment = href.partition("#")
            target = target.split("?")[0]
            links.append((url, target, unquote(fragment)))
            if target.endswith((".html", "/")):
                todo.append(target)

    assert {site.url(p) for p in PAGES} <= set(ids), "pages jamais atteintes par un lien"
    broken = []
    for origin, target, fragment in links:
        path = site.path_of(target)
        if path is None or not path.is_file() or path.stat().st_size == 0:
            broken.append(f"{origin} -> {target}")
        elif fragment and target in ids and fragment not in ids[target]:
            broken.append(f"{origin} -> {target}#{fragment} (ancre absente)")
    assert not broken, "liens cassés :\n" + "\n".join(sorted(set(broken)))
    visit.check_clean()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Pixel", "chartes/agence-pixel-et-plume"),
        ("optimiser", "chiffres"),
        # French elisions split words: « Élise » in « La Boutique d’Élise ».
        ("Élise", "chartes/la-boutique-d-elise"),
    ],
    ids=["organisation", "figure", "elision"],
)
def test_search_finds(site, visit_factory, query, expected):
    visit = visit_factory(site)
    page = visit.open("")
    box = page.locator(".md-search__input")
    box.click()
    page.wait_for_function(SEARCH_READY)
    box.press_sequentially(query)
    result = page.locator(f'.md-search-result__item a[href*="{expected}"]').first
    expect(result).to_be_visible()
    result.click()
    page.wait_for_url(lambda url: expected in url)
    assert page.locator("h1").count() == 1
    visit.check_clean()


def _search(page, query: str) -> int:
    """Type `query` in the search box; the number of documents Material says it found."""
    box = page.locator(".md-search__input")
    box.click()
    page.wait_for_function(SEARCH_READY)
    box.press_sequentially(query)
    meta = page.locator(".md-search-result__meta")
    expect(meta).not_to_have_text("Taper pour démarrer la recherche", timeout=5000)
    page.wait_for_timeout(300)  # the worker answers each key; let the last answer land
    text = meta.inner_text()
    digits = "".join(ch for ch in text if ch.isdigit())
    return int(digits) if digits else 0


def test_search_splits_french_elisions(hosted, visit_factory):
    """« IA » is in « l’IA », « d’IA » in most sections: with the apostrophe as a separator it is
    found in tens of them (3 when « l’IA » was one word)."""
    visit = visit_factory(hosted)
    page = visit.open("")
    assert _search(page, "IA") >= 5
    visit.check_clean()


def test_the_search_index_comes_when_the_search_opens(hosted, visit_factory):
    """The index is fetched once the search box has the focus, not while the page starts; a
    query typed before it is ready is still searched, and a page opened from a result (`?h=`)
    fetches it at once to highlight the words."""
    fetched = lambda visit: any("search/search_index.json" in url for url in visit.requests)  # noqa: E731
    visit = visit_factory(hosted)
    page = visit.open("chiffres/")
    page.wait_for_timeout(500)
    assert not fetched(visit)
    page.locator(".md-search__input").click()
    page.keyboard.type("Élise")
    expect(page.locator('.md-search-result__item a[href*="chartes/la-boutique-d-elise"]').first).to_be_visible()
    assert fetched(visit)
    phone = visit_factory(hosted, viewport={"width": 390, "height": 844})
    page = phone.open("")
    page.wait_for_timeout(300)
    assert not fetched(phone)
    page.locator("label.md-header__button[for=__search]").click()
    page.wait_for_function(SEARCH_READY)
    highlighted = visit_factory(hosted)
    highlighted.open("chartes/la-boutique-d-elise/?h=boutique")
    assert fetched(highlighted)
    for v in (visit, phone, highlighted):
        v.check_clean()


def test_search_highlight_is_not_a_blank(hosted, visit_factory):
    """On a charter a yellow <mark> is a blank to fill; a search highlight must look otherwise."""
    visit = visit_factory(hosted)
    page = visit.open("chartes/la-boutique-d-elise/?h=boutique")
    highlight = page.locator("mark[data-md-highlight]").first
    expect(highlight).to_be_visible()
    blank = page.locator(".md-content mark:not([data-md-highlight])").first
    style = "el => getComputedStyle(el).backgroundColor"
    assert highlight.evaluate(style) != blank.evaluate(style)
    assert highlight.evaluate(style) in ("rgba(0, 0, 0, 0)", "transparent")
    visit.check_clean()


def test_palette_toggle(site, visit_factory):
    visit = visit_factory(site, color_scheme="light")
    page = visit.open("")
    body = page.locator("body")
    expect(body).to_have_attribute("data-md-color-scheme", "default")
    page.locator(PALETTE_TOGGLE).click()
    expect(body).to_have_attribute("data-md-color-scheme", "slate")
    visit.open("chiffres/", page=page)  # the choice is kept from page to page
    expect(body).to_have_attribute("data-md-color-scheme", "slate")
    page.locator(PALETTE_TOGGLE).click()
    expect(body).to_have_attribute("data-md-color-scheme", "default")
    visit.check_clean()


def _check_download(name: str, data: bytes) -> None:
    assert data, f"{name} est vide"
    if name.endswith(".docx"):
        with zipfile.ZipFile(io.BytesIO(data)) as docx:
            assert "word/document.xml" in docx.namelist()
    elif name.endswith(".pdf"):
        assert data.startswith(b"%PDF-")
    elif name.endswith(".odt"):
        with zipfile.ZipFile(io.BytesIO(data)) as odt:
            assert odt.read("mimetype") == b"application/vnd.oasis.opendocument.text"
    elif name.endswith(".json"):
        assert json.loads(data)["format"] == "charte-ia/charte"
    elif name.endswith(".ics"):
        assert data.startswith(b"BEGIN:VCALENDAR\r\n") and b"BEGIN:VEVENT" in data
    else:
        text = data.decode("utf-8")  # a draft warns; an adopted charter names the model it comes from
        assert "avis juridique" in text or "Établie à partir du modèle" in text


@pytest.mark.parametrize("charter", ["chartes/agence-pixel-et-plume/", "chartes/modele/"])
def test_charter_downloads(site, visit_factory, charter):
    visit = visit_factory(site)
    page = visit.open(charter)
    links = page.locator(".cia-downloads a[href]")
    hrefs = links.evaluate_all("els => els.map(e => e.href)")
    expected = [".docx", ".ics", ".json", ".md", ".odt", ".pdf"]
    if root_conftest().PDF_DOWNLOADS != "true":  # no Pango here (CI installs it)
        expected.remove(".pdf")
    if charter == "chartes/modele/":
        expected.remove(".ics")
    assert sorted(Path(h).suffix for h in hrefs) == expected
    for href in hrefs:
        if site.name == "hosted":
            response = visit.context.request.get(href)
            assert response.ok, f"{href} : {response.status}"
            data = response.body()
        else:
            path = site.path_of(href)
            assert path is not None and path.is_file(), href
            data = path.read_bytes()
        _check_download(href, data)
    # A reader's click on the Word link downloads the file.
    with page.expect_download() as info:
        page.locator('.cia-downloads a[href$=".docx"]').click()
    download = info.value
    assert download.suggested_filename.endswith(".docx")
    _check_download(download.suggested_filename, Path(download.path()).read_bytes())
    visit.check_clean()


def test_missing_page_gets_the_french_404(hosted, visit_factory):
    """A static host answers a missing path with 404.html: in French, styled, with a way home."""
    visit = visit_factory(hosted)
    page = visit.new_page()
    response = page.goto(hosted.base + "chartes/pas-de-charte/", wait_until="load")
    assert response is not None and response.status == 404
    expect(page).to_have_title("Page introuvable – Charte IA")
    expect(page.locator("h1")).to_have_text("Page introuvable (erreur 404)")
    # Its stylesheets and scripts load from the site root, whatever the depth of the URL.
    expect(page.locator("html")).not_to_have_class("no-js")
    page.get_by_role("link", name="Retour à l’accueil").click()
    page.wait_for_url(hosted.base)
    # The only error is the browser's note that the missing page answered 404.
    visit.errors = [e for e in visit.errors if "status of 404" not in e]
    visit.check_clean()
