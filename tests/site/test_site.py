"""The site as built from the repository's data (one shared strict build, read only)."""

from __future__ import annotations

import html
import re
import zipfile
from pathlib import Path

import pytest
from sitecheck import (
    NBSP,
    ROOT,
    broken_links,
    expected_value,
    figures,
    foreign_assets,
    hrefs,
    html_pages,
    is_external,
    links_to,
    norm,
    organisations,
    page_file,
    parse,
    read_yaml,
    resolve,
    strip_tags,
)

FIGURES = figures()
ORGS = organisations()
CHANGES = [f for f in FIGURES if f.get("of")]
LIBRARY = read_yaml(ROOT / "data" / "charter" / "library.yml")


def row_of(page_html: str, anchor: str) -> str:
    """The table row that holds the element with id `anchor`."""
    match = re.search(rf'<tr>(?:(?!</tr>).)*?id="{re.escape(anchor)}"(?:(?!</tr>).)*</tr>', page_html, re.S)
    assert match, f"no table row with id {anchor!r}"
    return match.group(0)


# --- the figures page ----------------------------------------------------------------------------


def test_study_has_the_figures_of_the_article() -> None:
    values = {f["id"]: f["value"] for f in FIGURES}
    assert {86, 85, 82, 52, 46, 61, 4281}.issubset(set(values.values()))
    assert len(CHANGES) == 3


@pytest.mark.parametrize("figure", FIGURES, ids=[f["id"] for f in FIGURES])
def test_every_figure_on_the_figures_page(built_site, figure) -> None:
    page = built_site.page("chiffres/")
    row = row_of(page, f"fig-{figure['id']}")
    text = strip_tags(row)
    # A value that is only a lower bound is shown as the source words it, never as a number.
    if figure.get("floor"):
        assert norm(figure["qualifier"]) in norm(text) and expected_value(figure) not in text, text
    else:
        assert expected_value(figure) in text, f"{expected_value(figure)!r} not in {text!r}"
    assert norm(figure["label"]) in norm(text)
    sources = [h for h in re.findall(r'href="([^"]+)"', row) if f"#src-{figure['source']}" in h]
    assert sources, f"no link to the source {figure['source']} in the row of {figure['id']}"
    assert all(h.split("#")[0] in ("../sources/", "../sources/index.html") for h in sources), sources
    status = {"verified": "vérifié", "reported": "rapporté"}[figure["status"]]
    assert status in text


def test_french_number_formats(built_site) -> None:
    page = built_site.page("chiffres/")
    assert f"4{NBSP}281" in page
    assert f"86{NBSP}%" in page
    assert re.search(rf"\+19[ {NBSP}]points", page)
    assert "4281" not in strip_tags(page) and "4,281" not in page


@pytest.mark.parametrize("change", CHANGES, ids=[f["id"] for f in CHANGES])
def test_derived_previous_values_are_marked(built_site, change) -> None:
    page = built_site.page("chiffres/")
    current = next(f for f in FIGURES if f["id"] == change["of"])
    previous = int(current["value"] - change["value"])
    row = row_of(page, f"fig-{change['id']}")
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
    derived = [c for c in cells if f"{previous}{NBSP}%" in strip_tags(c)]
    assert derived, f"previous value {previous} % not in the row of {change['id']}"
    assert all("dérivé" in strip_tags(c) and "cia-status--derived" in c for c in derived)
    # The sourced change itself is not marked as derived.
    assert "dérivé" not in strip_tags(next(c for c in cells if expected_value(change) in strip_tags(c)))


# --- recommendations -----------------------------------------------------------------------------


def test_recommendations_link_to_figures_and_clauses(built_site) -> None:
    recs = read_yaml(ROOT / "data" / "recommendations.yml")["recommendations"]
    library = read_yaml(ROOT / "data" / "charter" / "library.yml")
    page = built_site.page("recommandations/")
    path = page_file(built_site.site, "recommandations/")
    for i, rec in enumerate(recs):
        start = page.index(f'id="rec-{rec["id"]}"')
        nxt = [page.index(f'id="rec-{r["id"]}"') for r in recs[i + 1 :]]
        section = page[start : min(nxt) if nxt else len(page)]
        links = re.findall(r'href="([^"]+)"', section)
        for fig_id in rec["figures"]:
            assert f"../chiffres/#fig-{fig_id}" in links, f"{rec['id']}: no link to figure {fig_id}"
        clause_ids = [
            c["id"]
            for s in library["sections"]
            for c in s["clauses"]
            if rec["id"] in c.get("why", {}).get("recommendations", [])
        ]
        assert clause_ids, f"no clause of the library applies {rec['id']}"
        for clause_id in clause_ids:
            assert f"../chartes/modele/#clause-{clause_id}" in links, f"{rec['id']}: no link to clause {clause_id}"
        for link in links:
            if not is_external(link):
                target, fragment = resolve(built_site.site.resolve(), path.resolve(), link)
                assert target.is_file(), link
                if fragment:
                    assert fragment in parse(target).ids, link


# --- charters and downloads ----------------------------------------------------------------------


@pytest.mark.parametrize("slug", ["modele", *ORGS])
def test_charter_page_links_its_downloads(built_site, slug) -> None:
    site = built_site.site.resolve()
    page = page_file(site, f"chartes/{slug}/")
    assert page.is_file()
    downloads = {}
    for link in hrefs(page):
        if link.endswith((".docx", ".odt", ".md")) and "telechargements/" in link:
            target, _ = resolve(site, page, link)
            downloads[target.suffix] = target
    assert set(downloads) == {".docx", ".odt", ".md"}, hrefs(page)
    for target in downloads.values():
        assert target.parent == site / "telechargements"
        assert target.name.startswith(f"charte-ia-{slug}-"), target.name
        assert target.is_file() and target.stat().st_size > 0, target
    assert zipfile.is_zipfile(downloads[".docx"]) and zipfile.is_zipfile(downloads[".odt"])
    assert downloads[".md"].read_text(encoding="utf-8").startswith("# ")


@pytest.mark.parametrize("slug", ORGS)
def test_organisation_page_links_each_clause_to_its_reason(built_site, slug) -> None:
    """Issue 5: an organisation's page does not repeat the library's "why" notes (a quarter of
    its weight); each clause links to the same clause of the blank charter, which has them."""
    site = built_site.site.resolve()
    page = page_file(site, f"chartes/{slug}/")
    text = page.read_text(encoding="utf-8")
    model = page_file(site, "chartes/modele/")
    model_text = model.read_text(encoding="utf-8")
    assert 'class="cia-why"' not in text
    assert model_text.count('class="cia-why"') == sum(len(s["clauses"]) for s in LIBRARY["sections"])
    clauses = re.findall(r'<h3 id="(clause-[^"]+)"', text)
    assert len(clauses) > 40
    links = re.findall(r'<p><a href="([^"]+#clause-[^"]+)">Pourquoi', text)
    assert [resolve(site, page, link) for link in links] == [(model, clause) for clause in clauses]
    for clause in clauses:  # the clause's reason follows it in the model, before the next clause
        after = model_text.split(f'id="{clause}"', 1)[1]
        assert 'class="cia-why"' in after.split("<h3", 1)[0], clause
    # Clause headings keep their anchor but not the ¶ permalink (the model keeps both).
    assert re.search(r'<h3 id="clause-[^"]+">[^<]+</h3>', text)
    assert not re.search(r"<h3[^>]*>(?:(?!</h3>).)*headerlink", text, re.S)
    assert re.search(r'<h3[^>]*id="clause-[^"]+"[^>]*>(?:(?!</h3>).)*headerlink', model_text, re.S)


def test_charter_pages_show_the_disclaimer(built_site) -> None:
    for slug in ["modele", *ORGS]:
        assert "avis juridique" in built_site.page(f"chartes/{slug}/"), slug


def test_catalogue_lists_every_organisation(built_site) -> None:
    site = built_site.site.resolve()
    catalogue = page_file(site, "chartes/")
    text = norm(" ".join(parse(catalogue).texts))
    for slug, org in ORGS.items():
        assert norm(org["name"]) in text, org["name"]
        assert links_to(site, catalogue, page_file(site, f"chartes/{slug}/")), slug
        names = [h for h in hrefs(catalogue) if f"charte-ia-{slug}-" in h]
        assert {Path(h).suffix for h in names} == {".docx", ".md"}, (slug, names)
    assert links_to(site, catalogue, page_file(site, "chartes/modele/"))


# --- links and hosts -----------------------------------------------------------------------------


def test_every_internal_link_resolves(built_site) -> None:
    problems = broken_links(built_site.site)
    assert not problems, "\n".join(problems)


def test_link_checker_finds_broken_links(tmp_path: Path) -> None:
    """The checker above can fail: a missing file, a missing anchor and a javascript: URL."""
    (tmp_path / "a").mkdir()
    (tmp_path / "index.html").write_text(
        '<p id="here"><a href="a/">ok</a> <a href="#here">ok</a> <a href="a/#nope">bad</a>'
        ' <a href="missing.html">bad</a> <img src="a/x.png"> <a href="javascript:alert(1)">bad</a></p>',
        encoding="utf-8",
    )
    (tmp_path / "a" / "index.html").write_text('<p id="there">x</p>', encoding="utf-8")
    problems = broken_links(tmp_path)
    assert len(problems) == 4, problems


def test_nothing_is_loaded_from_another_host(built_site) -> None:
    problems = foreign_assets(built_site.site)
    assert not problems, "\n".join(problems)


def test_foreign_asset_checker_finds_them(tmp_path: Path) -> None:
    """The checker above can fail: scripts, styles, fonts and images from elsewhere."""
    (tmp_path / "index.html").write_text(
        '<link rel="stylesheet" href="https://fonts.googleapis.com/css?family=Roboto">'
        '<script src="//cdn.example/x.js"></script><img src="http://example.org/a.png">'
        '<p style="background: url(https://example.org/b.png)"><a href="https://example.org/">ok</a></p>',
        encoding="utf-8",
    )
    (tmp_path / "x.css").write_text(
        '@import "https://example.org/c.css"; a { src: url(https://x.org/f.woff2) }', encoding="utf-8"
    )
    assert len(foreign_assets(tmp_path)) == 6, foreign_assets(tmp_path)


# --- French typography ---------------------------------------------------------------------------

ORDINARY_SPACE = re.compile(r"\S? [:;!?»]|« |\d %")


def typography_faults(path: Path) -> list[str]:
    faults = []
    for text in parse(path).texts:
        for match in ORDINARY_SPACE.finditer(text):
            start = max(0, match.start() - 25)
            faults.append(repr(text[start : match.end() + 25]))
    return faults


def test_french_typography_on_the_figures_page(built_site) -> None:
    """No ordinary space before : ; ! ? % » (or after «) in the text of chiffres/."""
    faults = typography_faults(page_file(built_site.site, "chiffres/"))
    assert not faults, "\n".join(faults)


def test_french_typography_on_every_page(built_site) -> None:
    faults = []
    for path in html_pages(built_site.site):
        faults += [f"{path.relative_to(built_site.site)}: {f}" for f in typography_faults(path)]
    assert not faults, f"{len(faults)} faults:\n" + "\n".join(faults[:60])


# --- page size: generated pages stay out of the navigation ---------------------------------------


def test_home_page_does_not_link_every_organisation(built_site) -> None:
    site = built_site.site.resolve()
    home = page_file(site, "")
    for slug in ORGS:
        assert not links_to(site, home, page_file(site, f"chartes/{slug}/")), slug


def test_organisation_pages_are_not_in_any_sidebar(built_site) -> None:
    site = built_site.site.resolve()
    catalogue = page_file(site, "chartes/")
    problems = []
    for slug in ORGS:
        target = page_file(site, f"chartes/{slug}/")
        for path in html_pages(site):
            # The catalogue links it, and its own pages below it (« L’essentiel ») link back.
            if path == catalogue or path.is_relative_to(target.parent):
                continue
            if links_to(site, path, target):
                problems.append(f"{path.relative_to(site)} links to chartes/{slug}/")
    assert not problems, "\n".join(problems)


def test_blank_charter_is_in_the_nav(built_site) -> None:
    site = built_site.site.resolve()
    assert links_to(site, page_file(site, ""), page_file(site, "chartes/modele/"))


# --- titles --------------------------------------------------------------------------------------


@pytest.mark.parametrize("slug", list(ORGS))
def test_page_title_keeps_the_organisation_name(built_site, slug) -> None:
    """The browser tab (<title>) shows the organisation's name as written, "&" included."""
    title = html.unescape(parse(page_file(built_site.site, f"chartes/{slug}/")).title)
    assert norm(ORGS[slug]["name"]) in norm(title), title
