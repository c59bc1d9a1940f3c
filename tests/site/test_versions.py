"""Released versions on the built site: permanent pages, frozen downloads, readable diffs, and
a library that moves on without changing them."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from extra_orgs import HOSTILE_NAME, HOSTILE_SLUG
from sitecheck import ROOT, broken_links, norm, page_file, parse, strip_tags

from charte_ia.render.typography import elide_de, format_month

AGENCY = "agence-pixel-et-plume"
RELEASES = ROOT / "data" / "releases" / AGENCY
MOVED_TITLE = "Alerte sans délai"  # tests/conftest.py, library_moved


def text_of(site: Path, url: str) -> str:
    return norm(" ".join(parse(page_file(site, url)).texts))


def test_the_agency_keeps_its_first_three_released_versions(built_site) -> None:
    assert {"1.0", "1.1", "1.2"} <= {p.name for p in RELEASES.iterdir()}
    versions = built_site.page(f"chartes/{AGENCY}/versions/")
    for version in ("1.0", "1.1", "1.2"):
        assert f'href="{version}/"' in versions
        page = built_site.page(f"chartes/{AGENCY}/versions/{version}/")
        assert f"version {version}" in norm(strip_tags(page))
        for suffix, name in ((".md", "charte.md"), (".json", "charte.json"), ("-organisation.yml", "organisation.yml")):
            download = built_site.site / "telechargements" / "versions" / f"charte-ia-{AGENCY}-{version}{suffix}"
            assert download.read_bytes() == (RELEASES / version / name).read_bytes()
    charter = text_of(built_site.site, f"chartes/{AGENCY}/")
    from charte_ia.render.typography import format_date

    dates = [format_date(dt.date(2025, 1, 15)), format_date(dt.date(2025, 7, 1))]
    assert norm(f"version 1.0 (le {dates[0]}) · version 1.1 (le {dates[1]}) · version 1.2") in charter


def test_versions_really_differ_and_the_diff_says_so_in_words(built_site) -> None:
    """A version's page says what changed and names the changed clauses, each a link to its
    change on the version's changes page, where the words are marked."""
    version = built_site.page(f"chartes/{AGENCY}/versions/1.1/")
    text = text_of(built_site.site, f"chartes/{AGENCY}/versions/1.1/")
    assert "Changements depuis la version précédente" in text
    assert re.search(r"\d+ clauses? modifiées?", text)
    assert "<del>" not in version  # the changes word by word are on a page of their own
    page = built_site.page(f"chartes/{AGENCY}/versions/1.1/changements/")
    listed = re.findall(r'<li><a href="changements/#(diff-[a-z0-9.-]+)">', version)
    assert listed and all(f'id="{anchor}"' in page for anchor in listed), listed
    text = text_of(built_site.site, f"chartes/{AGENCY}/versions/1.1/changements/")
    for kind in ("Clause modifiée", "Clause ajoutée", "Clause supprimée"):
        assert kind in text, kind
    # Each mark has its words: <del>/<ins>, their labels for screen readers and paper given by
    # the stylesheet (tests/browser/test_versions_print.py reads them).
    dels = re.findall(r"<del>(.*?)</del>", page, re.S)
    inss = re.findall(r"<ins>(.*?)</ins>", page, re.S)
    assert dels and inss and all(d.strip() for d in dels + inss)
    assert "cia-sr" not in page
    # The clauses left as they were are named, each a link to it in the version's text.
    version_text = built_site.page(f"chartes/{AGENCY}/versions/1.1/")
    unchanged = re.findall(r'<a href="\.\./#(clause-[a-z0-9-]+)">[\d.]+</a>', page)
    assert unchanged and all(f'id="{anchor}"' in version_text for anchor in unchanged), unchanged[:3]
    assert not {f"diff-{a.removeprefix('clause-')}" for a in unchanged} & set(re.findall(r'id="(diff-[^"]+)"', page))
    later = text_of(built_site.site, f"chartes/{AGENCY}/versions/1.2/")
    assert "Par rapport à la version 1.1" in later and "Par rapport à la version 1.0" not in later
    assert "C’est la première version publiée." in text_of(built_site.site, f"chartes/{AGENCY}/versions/1.0/")


def test_the_library_moving_on_leaves_releases_as_they_were(library_moved) -> None:
    """A clause changed in the library after the agency released its current text, and a hostile
    organisation released: the versions and their downloads stay byte for byte, the current
    text's diff and the catalogue say it changed."""
    before, after, last = library_moved.before, library_moved.after, library_moved.released
    assert last not in {p.name for p in RELEASES.iterdir()}  # released in the copy only
    for version in library_moved.versions:
        for suffix in (".md", ".json", "-organisation.yml"):
            name = f"telechargements/versions/charte-ia-{AGENCY}-{version}{suffix}"
            assert (before.site / name).read_bytes() == (after.site / name).read_bytes(), name
        url = f"chartes/{AGENCY}/versions/{version}/"
        # Only the second build makes the PDFs of the changes, and links them.
        assert text_of(before.site, url) == text_of(after.site, url).replace(" Ces changements en PDF, à imprimer ou à classer", "")
        assert MOVED_TITLE not in text_of(after.site, url)

    current = text_of(after.site, f"chartes/{AGENCY}/versions/")
    assert "La charte a changé sans nouveau numéro de version" in current
    changes = text_of(after.site, f"chartes/{AGENCY}/versions/changements/")
    diff = after.page(f"chartes/{AGENCY}/versions/changements/")
    assert re.search(r"Clause modifiée\s*:\s*[\d.]+ <del>\W*Signalement\W*</del>\W*<ins>\W*Alerte sans délai", diff), changes[:3000]
    assert re.search(r"1 clause modifiée\s*:\s*[\d.]+ Alerte sans délai", current), current[:3000]
    unchanged = text_of(before.site, f"chartes/{AGENCY}/versions/")
    assert f"La charte actuelle est la version {last}, publiée le" in unchanged and "rien à comparer" in unchanged
    assert "Clause modifiée" not in unchanged and "Ces changements en PDF" not in unchanged
    charter = text_of(before.site, f"chartes/{AGENCY}/")
    assert f"Le texte ci-dessous est celui de la version {last}, mot pour mot." in charter
    assert "voir ce qui a changé" not in charter
    # Other examples may already differ from their own release; the changed clause flags more rows.
    flagged = "modifiée depuis sa publication"
    assert text_of(after.site, "chartes/").count(flagged) > text_of(before.site, "chartes/").count(flagged)
    assert f"n’est plus celui de la version {last}" in text_of(after.site, f"chartes/{AGENCY}/")

    # The hostile organisation's version page: its values are text.
    page = after.page(f"chartes/{HOSTILE_SLUG}/versions/1.0/")
    tags = re.findall(r"<[a-zA-Z][^<>]*>", page)  # real tags, not escaped text
    active = [t for t in tags if re.search(r"""\b(?:href|src|action)\s*=\s*["']?\s*javascript:|\bon[a-z]+\s*=""", t, re.I)]
    assert "<script>alert" not in page and not active, active
    assert norm(HOSTILE_NAME) in text_of(after.site, f"chartes/{HOSTILE_SLUG}/versions/1.0/")
    assert not broken_links(after.site)


def test_a_version_released_with_its_word_document_offers_it(built_site) -> None:
    """The city's version 2.0 was released with its Word document: the version page offers that
    file, byte for byte the one frozen that day."""
    folder = ROOT / "data" / "releases" / "ville-de-saint-etienne-du-lac" / "2.0"
    for suffix in (".docx", ".odt", ".pdf"):
        download = built_site.site / "telechargements" / "versions" / f"charte-ia-ville-de-saint-etienne-du-lac-2.0{suffix}"
        assert download.read_bytes() == (folder / f"charte{suffix}").read_bytes()
    page = built_site.page("chartes/ville-de-saint-etienne-du-lac/versions/2.0/")
    assert "charte-ia-ville-de-saint-etienne-du-lac-2.0.docx" in page and "Word (.docx)" in page
    assert "charte-ia-ville-de-saint-etienne-du-lac-2.0.odt" in page and "OpenDocument (.odt)" in page


def test_the_versions_page_names_the_clauses_behind_each_library_change(library_moved) -> None:
    """The changelog names clauses by id; the page shows their numbers and titles, each a link
    to its change on the changes page, and each revision by its month, never by its identifier."""
    page = library_moved.after.page(f"chartes/{AGENCY}/versions/")
    diff = library_moved.after.page(f"chartes/{AGENCY}/versions/changements/")
    start = page.index("Ce qui, dans le modèle de charte, a changé")
    changes = page[start : page.index("</ul>", start)]
    links = re.findall(r'<a href="changements/#(diff-[a-z0-9.-]+)">([^<]+)</a>', changes)
    assert links, changes[:500]
    for anchor, title in links:
        assert f'id="{anchor}"' in diff, anchor
        assert re.match(r"\d+\.\d+ \S", title) and anchor.removeprefix("diff-") not in title, title
    assert not re.search(r"clauses? [a-z]+-[a-z-]+", strip_tags(changes)), "a raw clause id"
    assert f"{MOVED_TITLE}</a>" in changes and library_moved.revision not in strip_tags(changes)
    assert norm(f"révision {elide_de(format_month(library_moved.revision))} :") in norm(strip_tags(changes))


def test_versions_without_frozen_documents_say_the_text_is_authoritative(built_site) -> None:
    for version in ("1.0", "1.1", "1.2"):
        assert not list((RELEASES / version).glob("charte.docx"))
        text = text_of(built_site.site, f"chartes/{AGENCY}/versions/{version}/")
        assert "Documents non conservés pour cette version : le texte ci-dessous fait foi." in text
    city = text_of(built_site.site, "chartes/ville-de-saint-etienne-du-lac/versions/2.0/")
    assert "Documents non conservés" not in city
    assert "documents non conservés" in text_of(built_site.site, f"chartes/{AGENCY}/versions/")


def test_what_changed_is_a_pdf_to_file(library_moved) -> None:
    """With the PDFs, each version that changed the text of the one before, and the current
    text against the last version, have their changes as a tagged PDF, linked from the pages,
    whose text names each change and labels every deletion and insertion in words."""
    import io
    import unicodedata

    import pypdf
    from sitecheck import PDF_DOWNLOADS

    built_site, last = library_moved.after, library_moved.released
    folder = built_site.site / "telechargements" / "versions"
    names = {
        f"chartes/{AGENCY}/versions/1.1/": f"charte-ia-{AGENCY}-1.1-changements.pdf",
        f"chartes/{AGENCY}/versions/1.2/": f"charte-ia-{AGENCY}-1.2-changements.pdf",
        f"chartes/{AGENCY}/versions/": f"charte-ia-{AGENCY}-changements-depuis-{last}.pdf",
    }
    if PDF_DOWNLOADS != "true":
        assert not list(folder.glob("*-changements*.pdf"))
        assert "changements.pdf" not in built_site.page(f"chartes/{AGENCY}/versions/1.1/")
        return
    assert not (folder / f"charte-ia-{AGENCY}-1.0-changements.pdf").exists()  # the first version
    for url, name in names.items():
        assert name in built_site.page(url), (url, name)
        reader = pypdf.PdfReader(io.BytesIO((folder / name).read_bytes()))
        root = reader.trailer["/Root"]
        assert root["/Lang"] == "fr" and "/StructTreeRoot" in root
        text = unicodedata.normalize("NFC", norm(" ".join(p.extract_text() for p in reader.pages)))
        assert "Changements de la charte d’utilisation de l’IA" in text and "Agence Pixel & Plume" in text
        assert re.search(r"\[supprimé\s?:", text) and re.search(r"\[ajouté\s?:", text)
        assert "Clause modifiée" in text and "Par rapport à" in text
        assert re.search(r"Page 1 sur \d+", text)
    current = norm(" ".join(pypdf.PdfReader(folder / names[f"chartes/{AGENCY}/versions/"]).pages[0].extract_text().split()))
    assert "texte actuel de la charte" in current and f"version {last}, publiée le" in current
    assert library_moved.revision not in current and "contenu-" not in current


def test_revisions_are_named_in_words_never_by_identifier(built_site) -> None:
    """A reader is told « la révision de décembre 2026 » or « une révision antérieure » of the
    model, never a revision's identifier or the hash an early release kept: those stay in the
    release files and the JSON."""
    import yaml

    from charte_ia.data.loader import load_project

    project = load_project(ROOT / "data")
    for slug, releases in project.releases.items():
        ids = {r.revision for r in releases} | {r.revision for r in project.changelog.revisions}
        index = text_of(built_site.site, f"chartes/{slug}/versions/")
        for release in releases:
            page = text_of(built_site.site, f"chartes/{slug}/versions/{release.dir_name}/")
            found = [i for i in ids if i in page.split("Texte de la version")[0] or i in index]
            assert not found, (slug, release.version, found)
            meta = yaml.safe_load((release.folder / "release.yml").read_text(encoding="utf-8"))
            assert meta["revision"] == release.revision  # the identifier is kept for machines
            named = release.revision in {r.revision for r in project.changelog.revisions}
            expected = "Il a été établi avec la révision d" if named else "Il a été établi avec une révision antérieure du modèle"
            assert expected in page, (slug, release.version)
    assert "révision antérieure" in text_of(built_site.site, f"chartes/{AGENCY}/versions/")


def test_a_version_page_names_the_library_changes_behind_it(built_site) -> None:
    """A version made with a newer revision of the model than the version before it has that
    revision's changelog entries for its changed clauses on its changes page, each clause a link
    to its change there, and says so; a version made with the same revision as the one before
    lists none."""
    releases = sorted((p for p in RELEASES.iterdir() if (p / "release.yml").exists()), key=lambda p: [int(x) for x in p.name.split(".")])
    lead = "a changé entre ces deux versions"
    for before, after in zip(releases, releases[1:]):
        rev = lambda p: re.search(r"^revision: (.+)$", (p / "release.yml").read_text(encoding="utf-8"), re.M).group(1)
        page = built_site.page(f"chartes/{AGENCY}/versions/{after.name}/")
        diff = built_site.page(f"chartes/{AGENCY}/versions/{after.name}/changements/")
        if rev(before) == rev(after) or not rev(after)[:4].isdigit():
            assert lead not in page and 'id="modele"' not in diff, after.name
            continue
        assert re.search(lead + r' est sur <a href="changements/#modele">', page), after.name
        start = diff.index('id="modele"')
        changes = diff[start : diff.index("</ul>", start)]
        links = re.findall(r'<a href="#(diff-[a-z0-9.-]+)">([\d.]+)</a>', changes)
        assert links, changes[:500]
        for anchor, _number in links:
            assert f'id="{anchor}"' in diff, anchor
        assert norm("révision de décembre 2026 :") in norm(strip_tags(changes))
