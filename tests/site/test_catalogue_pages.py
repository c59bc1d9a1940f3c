"""Issue 5: past 100 organisations the catalogue is split into pages (one page of 1,000 rows
scored 74 for performance in Lighthouse). One strict build with 230 organisations added."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sitecheck import broken_links, build, copy_project, hrefs, links_to, page_file, parse, resolve

from charte_ia.data.slugs import RESERVED_SLUGS

ADDED = 230
EXAMPLES = len(list((Path(__file__).resolve().parents[2] / "data" / "organizations").glob("*.yml")))
TOTAL = ADDED + EXAMPLES  # and the example organisations shipped in data/


@pytest.fixture(scope="module")
def big_site(tmp_path_factory: pytest.TempPathFactory):
    root = copy_project(tmp_path_factory.mktemp("catalogue") / "project")
    folder = root / "data" / "organizations"
    for i in range(ADDED):
        (folder / f"organisation-{i:03d}.yml").write_text(f'name: "Organisation n° {i:03d}"\n', encoding="utf-8")
    result = build(root, env={"OFFLINE_ZIP": ""})  # a plain `mkdocs build`
    assert result.returncode == 0, result.output
    return result


def catalogue_pages(site: Path) -> list[Path]:
    return [page_file(site, "chartes/"), page_file(site, "chartes/page-2/"), page_file(site, "chartes/page-3/")]


def test_catalogue_is_split_into_pages_of_100(big_site) -> None:
    site = big_site.site.resolve()
    pages = catalogue_pages(site)
    assert all(page.is_file() for page in pages)
    assert not page_file(site, "chartes/page-4/").exists()
    seen: list[str] = []
    for page in pages:
        targets = [resolve(site, page, link)[0] for link in hrefs(page) if not link.startswith(("http", "#"))]
        organisations = [
            target.parent.name
            for target in targets
            if target.name == "index.html"
            and target.parent.parent == site / "chartes"
            and target.parent.name not in RESERVED_SLUGS
            and not target.parent.name.startswith("page-")
        ]
        assert len(organisations) <= 100, page
        assert links_to(site, page, page_file(site, "chartes/modele/")), page  # on every page
        seen += organisations
    assert len(seen) == TOTAL and len(set(seen)) == TOTAL
    for i in (0, 99, 229):
        assert f"organisation-{i:03d}" in seen


def test_each_catalogue_page_links_the_others(big_site) -> None:
    site = big_site.site.resolve()
    pages = catalogue_pages(site)
    for page in pages:
        text = page.read_text(encoding="utf-8")
        navs = re.findall(r'<nav ([^>]*class="cia-pager"[^>]*)>(.*?)</nav>', text, re.S)
        assert len(navs) == 2, page  # above and below the table
        labels = [re.search(r'aria-label="([^"]+)"', attrs).group(1) for attrs, _ in navs]
        assert labels == ["Pages du catalogue", "Pages du catalogue, bas de liste"]
        nav = navs[0]
        targets = [resolve(site, page, link)[0] for link in re.findall(r'href="([^"]+)"', nav[1])]
        assert targets == pages
        current = re.findall(r'<a aria-current="page" href="([^"]+)"|<a href="([^"]+)" aria-current="page"', text)
        assert len({resolve(site, page, a or b)[0] for a, b in current}) == 1
        assert resolve(site, page, next(a or b for a, b in current))[0] == page
        # Each page is named by the range of names it holds, as a dictionary's guide words.
        names = [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", n)) for n in re.findall(r"<li><a[^>]*>(.*?)</a></li>", nav[1])]
        assert names == [
            "A – Organisation n° 096",  # then the three example organisations before the added ones
            "Organisation n° 097 – Organisation n° 196",
            "Organisation n° 197 – V",  # and the example city, last
        ], names
    second = " ".join(parse(pages[1]).texts)
    assert f"Organisations 101 à 200 sur {TOTAL}" in second.replace("\u00a0", " ")
    assert "<title>Les chartes, page 2 sur 3" in pages[1].read_text(encoding="utf-8")


def test_catalogue_pages_have_no_broken_link(big_site) -> None:
    problems = broken_links(big_site.site)
    assert not problems, "\n".join(problems[:20])


def test_catalogue_pages_are_not_in_the_sidebar(big_site) -> None:
    home = page_file(big_site.site, "").read_text(encoding="utf-8")
    assert "page-2/" not in home


def test_plain_build_has_no_offline_zip_nor_its_link(big_site) -> None:
    """Only `make build` (OFFLINE_ZIP=true) pays for the offline zip."""
    assert not (big_site.site / "telechargements" / "charte-ia-hors-ligne.zip").exists()
    assert "hors-ligne.zip" not in page_file(big_site.site, "").read_text(encoding="utf-8")


def test_plain_build_has_no_pdf_nor_its_links(big_site) -> None:
    """PDFs cost about a second a charter: only `make build` (PDF_DOWNLOADS=true) makes them."""
    assert not list((big_site.site / "telechargements").glob("*.pdf"))
    page = page_file(big_site.site, "chartes/modele/").read_text(encoding="utf-8")
    assert ".pdf" not in page and "essentiel/" in page  # the one-page summary is there, in Word
