"""Every charter's OpenDocument text, read back with odfpy (an independent reader)."""

from __future__ import annotations

import struct
import zipfile
from pathlib import Path
from typing import Any

import pytest
from odf import opendocument, style, table, teletype, text
from odf.namespaces import FONS, STYLENS, TABLENS, TEXTNS
from sitecheck import norm
from test_documents import BLANK_MARK, LABELS, LIBRARY, ORGS, SLUGS, download, expected_charter

MIMETYPE = b"application/vnd.oasis.opendocument.text"


def odt_text(path: Path) -> str:
    """All the text of an .odt: body, then the header and footer of its page style."""
    document = opendocument.load(str(path))
    parts = [teletype.extractText(p) for p in document.text.getElementsByType(text.P)]
    parts += [teletype.extractText(h) for h in document.text.getElementsByType(text.H)]
    parts += [teletype.extractText(p) for p in document.masterstyles.getElementsByType(text.P)]
    return "\n".join(parts)


@pytest.fixture(scope="module")
def documents(built_site) -> dict[str, Any]:
    return {slug: opendocument.load(str(download(built_site.site, slug, ".odt"))) for slug in SLUGS}


def attr(element: Any, ns: str, name: str) -> str | None:
    return element.attributes.get((ns, name))


def rows_of(tbl: Any) -> list[list[str]]:
    return [
        [norm(teletype.extractText(c)) for c in row.getElementsByType(table.TableCell)]
        for row in tbl.getElementsByType(table.TableRow)
    ]


@pytest.mark.parametrize("slug", SLUGS)
def test_odt_zip_follows_the_odf_rules(built_site, slug) -> None:
    """`mimetype` first, stored (not compressed), with no extra field: the way ODF readers
    recognise the format from the file's first bytes."""
    path = download(built_site.site, slug, ".odt")
    raw = path.read_bytes()
    assert raw[:4] == b"PK\x03\x04"
    method, = struct.unpack("<H", raw[8:10])
    name_length, extra_length = struct.unpack("<HH", raw[26:30])
    assert method == 0 and extra_length == 0
    assert raw[30 : 30 + name_length] == b"mimetype"
    assert raw[30 + name_length : 30 + name_length + len(MIMETYPE)] == MIMETYPE
    with zipfile.ZipFile(path) as odt:
        assert odt.testzip() is None
        assert odt.namelist()[0] == "mimetype"
        assert {"content.xml", "styles.xml", "meta.xml", "META-INF/manifest.xml"} <= set(odt.namelist())


@pytest.mark.parametrize("slug", SLUGS)
def test_odt_headings_are_the_outline(documents, slug) -> None:
    document = documents[slug]
    charter = expected_charter(slug)
    headings = document.text.getElementsByType(text.H)
    h1 = [h for h in headings if attr(h, TEXTNS, "outline-level") == "1"]
    h2 = [h for h in headings if attr(h, TEXTNS, "outline-level") == "2"]
    sheet = h1.pop()
    assert norm(teletype.extractText(sheet)) == norm(LABELS["acknowledgement_title"])
    assert attr(sheet, TEXTNS, "is-list-header") == "true"  # not numbered
    assert [norm(teletype.extractText(h)) for h in h1] == [norm(s.title) for s in charter.sections]
    assert [norm(teletype.extractText(h)) for h in h2] == [norm(c.title) for s in charter.sections for c in s.clauses]
    # Numbered by the outline (1., 1.1), not by typed numbers.
    outline = document.styles.getElementsByType(text.OutlineStyle)[0]
    levels = {attr(lv, TEXTNS, "level"): lv for lv in outline.getElementsByType(text.OutlineLevelStyle)}
    assert attr(levels["1"], STYLENS, "num-format") == "1" and attr(levels["1"], STYLENS, "num-suffix") == "."
    assert attr(levels["2"], STYLENS, "num-format") == "1" and attr(levels["2"], TEXTNS, "display-levels") == "2"


@pytest.mark.parametrize("slug", SLUGS)
def test_odt_table_of_contents_shows_its_entries(documents, slug) -> None:
    document = documents[slug]
    charter = expected_charter(slug)
    tocs = document.text.getElementsByType(text.TableOfContent)
    assert len(tocs) == 1
    body = tocs[0].getElementsByType(text.IndexBody)[0]
    entries = [norm(teletype.extractText(p)) for p in body.getElementsByType(text.P)]
    expected = [f"{s.number}. {norm(s.title)}" for s in charter.sections] + [norm(LABELS["acknowledgement_title"])]
    assert entries[1:] == expected  # after the contents' own title
    bookmarks = {attr(b, TEXTNS, "name") for b in document.text.getElementsByType(text.Bookmark)}
    for link in body.getElementsByType(text.A):
        assert link.getAttribute("href")[1:] in bookmarks


@pytest.mark.parametrize("slug", SLUGS)
def test_odt_uses_table_and_layout(documents, slug) -> None:
    document = documents[slug]
    tables = document.text.getElementsByType(table.Table)
    header = [norm(LABELS["use"]), norm(LABELS["level"])]
    uses = next(t for t in tables if rows_of(t)[0] == header)
    rows = rows_of(uses)[1:]
    assert [r[0] for r in rows] == [norm(u["label"]) for u in LIBRARY["uses"]]
    org_uses = ORGS.get(slug, {}).get("uses", {})
    for use, row in zip(LIBRARY["uses"], rows, strict=True):
        level = org_uses.get(use["id"])
        assert row[1] == norm(LIBRARY["levels"][level]) if level else row[1].startswith(BLANK_MARK)
    styles = {attr(s, STYLENS, "name"): s for s in document.automaticstyles.getElementsByType(style.Style)}
    for tbl in tables:
        # A repeated header row; rows kept on one page; columns as wide as the text.
        assert tbl.getElementsByType(table.TableHeaderRows)
        for row in tbl.getElementsByType(table.TableRow):
            props = styles[attr(row, TABLENS, "style-name")].childNodes[0]
            assert attr(props, FONS, "keep-together") == "always"
        widths = [
            float(attr(styles[attr(c, TABLENS, "style-name")].childNodes[0], STYLENS, "column-width").removesuffix("cm"))
            for c in tbl.getElementsByType(table.TableColumn)
        ]
        assert abs(sum(widths) - 17.0) < 0.01, widths


@pytest.mark.parametrize("slug", SLUGS)
def test_odt_blanks_language_footer_and_sheet(documents, built_site, slug) -> None:
    document = documents[slug]
    blanks = [s for s in document.text.getElementsByType(text.Span) if attr(s, TEXTNS, "style-name") == "Blank"]
    if slug == "modele":
        assert len(blanks) > 10
    assert all(teletype.extractText(s).startswith(BLANK_MARK) for s in blanks)
    blank_style = next(s for s in document.styles.childNodes if attr(s, STYLENS, "name") == "Blank")
    assert attr(blank_style.childNodes[0], FONS, "background-color") == "#ffff00"
    default = document.styles.getElementsByType(style.DefaultStyle)[0]
    props = default.getElementsByType(style.TextProperties)[0]
    assert (attr(props, FONS, "language"), attr(props, FONS, "country")) == ("fr", "FR")
    footer = document.masterstyles.getElementsByType(style.Footer)[0]
    assert footer.getElementsByType(text.PageNumber) and footer.getElementsByType(text.PageCount)
    footer_text = norm(teletype.extractText(footer))
    for label in (LABELS["version"], LABELS["adopted"], LABELS["next_review"]):
        assert norm(label) in footer_text
    org = ORGS.get(slug)
    paragraphs = [norm(teletype.extractText(p)) for p in document.text.getElementsByType(text.P)]
    statement = next(p for p in paragraphs if p.startswith(norm(LABELS["acknowledgement_statement"])[:20]))
    if org and org.get("version"):
        assert f": {org['version']}" in footer_text and f"version {org['version']}" in statement
    else:
        assert BLANK_MARK in footer_text and BLANK_MARK in statement
    with zipfile.ZipFile(download(built_site.site, slug, ".odt")) as odt:
        assert b"<dc:language>fr-FR</dc:language>" in odt.read("meta.xml")
