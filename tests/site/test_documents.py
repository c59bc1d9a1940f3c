"""Every generated download, read back: .docx with python-docx, .md as text."""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any

import docx
import pytest
from sitecheck import (
    ROOT,
    all_paragraphs,
    docx_text,
    md_unescape,
    norm,
    organisations,
    read_yaml,
    string_leaves,
)

from charte_ia.render import layout

ORGS = organisations()
SLUGS = ["modele", *ORGS]
LIBRARY = read_yaml(ROOT / "data" / "charter" / "library.yml")
LABELS = LIBRARY["labels"]
BLANK_MARK = f"[{LABELS['blank']}"


def download(site: Path, slug: str, suffix: str) -> Path:
    found = sorted((site / "telechargements").glob(f"charte-ia-{slug}-*{suffix}"))
    found = [p for p in found if re.fullmatch(rf"charte-ia-{re.escape(slug)}-[a-z0-9-]+{re.escape(suffix)}", p.name)]
    assert len(found) == 1, f"expected one {suffix} for {slug}: {found}"
    return found[0]


def table_rows(table: Any) -> list[list[str]]:
    return [[norm(cell.text) for cell in row.cells] for row in table.rows]


def find_table(document: Any, header: list[str]) -> Any:
    wanted = [norm(h) for h in header]
    for table in document.tables:
        if table_rows(table)[0] == wanted:
            return table
    raise AssertionError(f"no table with header {wanted}: {[table_rows(t)[0] for t in document.tables]}")


@pytest.fixture(scope="module")
def documents(built_site) -> dict[str, Any]:
    return {slug: docx.Document(str(download(built_site.site, slug, ".docx"))) for slug in SLUGS}


@functools.cache
def expected_charter(slug: str):
    """The assembled charter for `slug`, to know how many sections and clauses to expect."""
    from charte_ia.charter.assembly import assemble
    from charte_ia.data.loader import load_project

    project = load_project(ROOT / "data")
    entry = next((e for e in project.organizations if e.slug == slug), None)
    return assemble(project, entry)


# --- .docx ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("slug", SLUGS)
def test_docx_has_real_headings(documents, slug) -> None:
    document = documents[slug]
    charter = expected_charter(slug)
    h1 = [norm(p.text) for p in document.paragraphs if p.style.name == "Heading 1"]
    h2 = [norm(p.text) for p in document.paragraphs if p.style.name == "Heading 2"]
    assert h1.pop() == norm(LABELS["acknowledgement_title"])  # the sheet to sign, after the charter
    assert len(h1) == len(charter.sections)
    if slug == "modele":  # an organisation's kind and uses drop the sections that do not concern it
        assert len(h1) == len(LIBRARY["sections"])
    assert len(h2) == sum(len(s.clauses) for s in charter.sections)
    for section, text in zip(charter.sections, h1, strict=True):
        assert norm(section.title) in text
    clause_titles = [norm(c.title) for s in charter.sections for c in s.clauses]
    for title, text in zip(clause_titles, h2, strict=True):
        assert title in text
    # The headings are Word's built-in ones (the outline and the table of contents use them).
    assert document.styles["Heading 1"].type is not None


@pytest.mark.parametrize("slug", SLUGS)
def test_docx_uses_table(documents, slug) -> None:
    document = documents[slug]
    table = find_table(document, [LABELS["use"], LABELS["level"]])
    rows = table_rows(table)
    assert [r[0] for r in rows[1:]] == [norm(u["label"]) for u in LIBRARY["uses"]]
    levels = {norm(v) for v in LIBRARY["levels"].values()}
    org_uses = ORGS.get(slug, {}).get("uses", {}) if slug != "modele" else {}
    for use, row in zip(LIBRARY["uses"], rows[1:], strict=True):
        level = org_uses.get(use["id"])
        if level:
            assert row[1] == norm(LIBRARY["levels"][level]), row
        else:
            assert row[1].startswith(BLANK_MARK) and row[1] not in levels, row
        # The study's figures stay out of the rules: only in the reasons, with their status.
        assert len(row) == 2 and "%" not in " ".join(row), row
    # The header row is a real header row (repeated on each page, read as such).
    assert table.rows[0]._tr.trPr is not None and table.rows[0]._tr.trPr.xpath("./w:tblHeader")


@pytest.mark.parametrize("slug", SLUGS)
def test_docx_blanks_are_highlighted(documents, slug) -> None:
    document = documents[slug]
    blank_runs = [run for p in all_paragraphs(document) for run in p.runs if BLANK_MARK in run.text]
    if slug == "modele":
        assert len(blank_runs) > 10, slug
    for run in blank_runs:
        assert run.font.highlight_color is not None, f"{slug}: blank not highlighted: {run.text!r}"
    # A blank is never split over runs (so the whole blank is highlighted).
    for paragraph in all_paragraphs(document):
        if BLANK_MARK in paragraph.text:
            assert any(BLANK_MARK in run.text for run in paragraph.runs), paragraph.text


@pytest.mark.parametrize("slug", SLUGS)
def test_docx_name_disclaimer_and_signature(documents, slug) -> None:
    document = documents[slug]
    text = norm(docx_text_of(document))
    if slug == "modele":
        assert BLANK_MARK in text
    else:
        assert norm(ORGS[slug]["name"]) in text
        subtitle = [p.text for p in document.paragraphs if p.style.name in ("Title", "Subtitle")]
        assert any(norm(ORGS[slug]["name"]) in norm(t) for t in subtitle), subtitle
    charter = expected_charter(slug)
    # A draft keeps the disclaimer; an adopted charter says which model it was drawn up from instead.
    assert ("avis juridique" in text) != charter.is_adopted
    if charter.is_adopted:
        assert norm(LIBRARY["adopted_notice"].split(",")[0]) in text
    signature = find_table(document, LABELS["signature_fields"])
    assert len(signature.rows) >= 2


@pytest.mark.parametrize("slug", SLUGS)
def test_docx_footer_has_version_and_dates(documents, slug) -> None:
    document = documents[slug]
    footer = norm(" ".join(p.text for s in document.sections for p in s.footer.paragraphs))
    header = norm(" ".join(p.text for s in document.sections for p in s.header.paragraphs))
    both = footer + " " + header
    for label in (LABELS["version"], LABELS["adopted"], LABELS["next_review"]):
        assert norm(label) in both, (label, both)
    org = ORGS.get(slug)
    if org and org.get("version"):
        assert f": {org['version']}" in both, both
    if org and org.get("adopted"):
        from charte_ia.render.typography import format_date

        assert norm(format_date(org["adopted"])) in both
        assert norm(format_date(org["next_review"])) in both
    if not org or not org.get("version"):
        assert BLANK_MARK in both


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def w(element: Any, path: str) -> list[Any]:
    from lxml import etree

    return etree._Element.xpath(element, path, namespaces={"w": W[1:-1]})


@pytest.mark.parametrize("slug", SLUGS)
def test_docx_is_a_french_a4_document(documents, slug) -> None:
    document = documents[slug]
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert {round(m.cm, 1) for m in (section.left_margin, section.right_margin, section.top_margin)} == {2.0}
    styles = document.styles.element
    langs = w(styles, "./w:docDefaults/w:rPrDefault/w:rPr/w:lang")
    assert langs and langs[0].get(f"{W}val") == "fr-FR", "runs' default language"
    assert not [e for e in styles.iter(f"{W}lang") if e.get(f"{W}val") == "en-US"]
    assert document.core_properties.language == "fr-FR"
    settings = document.settings.element
    assert w(settings, "./w:themeFontLang")[0].get(f"{W}val") == "fr-FR"
    assert w(settings, "./w:decimalSymbol")[0].get(f"{W}val") == ","
    # Not the same title for every organisation, nor python-docx's description.
    props = document.core_properties
    assert "python-docx" not in (props.comments or "") + (props.author or "")
    if slug != "modele":
        assert norm(ORGS[slug]["name"]) in norm(props.title)


@pytest.mark.parametrize("slug", SLUGS)
def test_docx_footer_counts_pages(documents, slug) -> None:
    footer = documents[slug].sections[0].footer._element
    instructions = " ".join(t.text for t in footer.iter(f"{W}instrText"))
    assert instructions.split() == ["PAGE", "NUMPAGES"]
    text = norm("".join(t.text or "" for t in footer.iter(f"{W}t")))
    assert "Page 1 sur 1" in text  # the fields' last values, which the word processor replaces


@pytest.mark.parametrize("slug", SLUGS)
def test_docx_table_of_contents_shows_its_entries(documents, slug) -> None:
    """The TOC field's result is written in: one linked entry per section, numbered as the
    headings are, so that Word and LibreOffice show it before any field is updated."""
    document = documents[slug]
    charter = expected_charter(slug)
    body = document.element.body
    instr = [t.text for t in body.iter(f"{W}instrText") if "TOC" in t.text]
    assert len(instr) == 1 and '\\o "1-1"' in instr[0] and "\\h" in instr[0]
    entries = [p for p in document.paragraphs if p.style.name == "toc 1"]
    expected = [f"{s.number}. {norm(s.title)}" for s in charter.sections] + [norm(LABELS["acknowledgement_title"])]
    assert [norm(p.text) for p in entries] == expected
    bookmarks = {b.get(f"{W}name") for b in body.iter(f"{W}bookmarkStart")}
    for p in entries:
        links = w(p._p, "./w:hyperlink")
        assert links and links[0].get(f"{W}anchor") in bookmarks
    # Shown as written, with no prompt: Word asks before updating fields when `updateFields` is
    # set or a field is marked dirty, and the entries hold no page number that could be wrong.
    assert not document.settings.element.xpath("./w:updateFields")
    assert not [f for f in body.iter(f"{W}fldChar") if f.get(f"{W}dirty") in ("true", "1")]
    assert not [t for t in body.iter(f"{W}instrText") if "PAGEREF" in t.text]


@pytest.mark.parametrize("slug", SLUGS)
def test_docx_numbering_is_the_heading_styles_list(documents, slug) -> None:
    """No typed number: Heading 1 and 2 are bound to one multilevel list, so deleting a clause
    renumbers the others."""
    document = documents[slug]
    styles = document.styles
    numbering = document.part.numbering_part.element
    ids = []
    for name, level in (("Heading 1", "0"), ("Heading 2", "1")):
        num_pr = w(styles[name].element, "./w:pPr/w:numPr")[0]
        assert w(num_pr, "./w:ilvl")[0].get(f"{W}val") == level
        ids.append(w(num_pr, "./w:numId")[0].get(f"{W}val"))
    assert ids[0] == ids[1]
    abstract = w(numbering, f"./w:num[@w:numId='{ids[0]}']/w:abstractNumId")[0].get(f"{W}val")
    levels = w(numbering, f"./w:abstractNum[@w:abstractNumId='{abstract}']/w:lvl")
    bound = {w(lv, "./w:pStyle")[0].get(f"{W}val"): w(lv, "./w:lvlText")[0].get(f"{W}val") for lv in levels[:2]}
    assert bound == {"Heading1": "%1.", "Heading2": "%1.%2"}
    for p in document.paragraphs:
        if p.style.name in ("Heading 1", "Heading 2"):
            assert not re.match(r"\d+(\.\d+)*\.? ", p.text), f"typed number: {p.text!r}"


@pytest.mark.parametrize("slug", SLUGS)
def test_docx_tables_are_laid_out_for_their_content(documents, slug) -> None:
    document = documents[slug]
    for table in document.tables:
        widths = [int(c.get(f"{W}w")) for c in w(table._tbl, "./w:tblGrid/w:gridCol")]
        assert sum(widths) == 9638, "the width of an A4 page's text"
        rows = table.rows
        assert w(rows[0]._tr, "./w:trPr/w:tblHeader")
        for row in rows:
            assert w(row._tr, "./w:trPr/w:cantSplit"), "a row split across two pages"
        # No word is wider than its column, in DejaVu Sans (bold in the header), a wide font.
        for r, row in enumerate(table_rows(table)):
            for width, cell in zip(widths, row, strict=True):
                longest = max((layout._width(word, r == 0) for word in cell.split()), default=0)
                assert longest + 216 <= width, (cell, width)
    people = find_table(document, [LABELS["role"], LABELS["person"], LABELS["contact"]])
    widths = [int(c.get(f"{W}w")) for c in w(people._tbl, "./w:tblGrid/w:gridCol")]
    assert len(set(widths)) > 1, "columns sized by what they hold"


@pytest.mark.parametrize("slug", SLUGS)
def test_docx_sections_follow_one_another(documents, slug) -> None:
    """Only the first section (after the cover and contents) and the acknowledgement sheet
    start a page."""
    document = documents[slug]
    breaks = [p.text for p in document.paragraphs if w(p._p, "./w:pPr/w:pageBreakBefore")]
    first = expected_charter(slug).sections[0].title
    assert [norm(t) for t in breaks] == [norm(first), norm(LABELS["acknowledgement_title"])]


@pytest.mark.parametrize("slug", SLUGS)
def test_docx_acknowledgement_sheet_names_the_version(documents, slug) -> None:
    document = documents[slug]
    paragraphs = document.paragraphs
    start = next(i for i, p in enumerate(paragraphs) if p.style.name == "Heading 1" and norm(p.text) == norm(LABELS["acknowledgement_title"]))
    statement = norm(paragraphs[start + 1].text)
    org = ORGS.get(slug)
    if org and org.get("version"):
        assert f"version {org['version']}" in statement
        assert norm(org.get("designation", org["name"])) in statement  # « adoptée par {designation} »
    else:
        assert BLANK_MARK in statement
    sheets = [t for t in document.tables if table_rows(t)[0] == [norm(f) for f in LABELS["signature_fields"]]]
    assert len(sheets[-1].rows) >= 11  # a page of names to collect


def docx_text_of(document: Any) -> str:
    return "\n".join(p.text for p in all_paragraphs(document))


# --- the blank charter ---------------------------------------------------------------------------


def organisation_values() -> dict[str, str]:
    """Distinctive strings of the example organisations (not also in the library or the study)."""
    shared = " ".join(
        (ROOT / "data" / name).read_text(encoding="utf-8")
        for name in ("charter/library.yml", "charter/platforms.yml", "study.yml", "sources.yml", "recommendations.yml")
    )
    out = {}
    for slug, org in ORGS.items():
        for value in string_leaves(org):
            if len(value) >= 6 and value not in shared:
                out[value] = slug
    return out


def test_blank_charter_has_no_organisation_value(built_site) -> None:
    values = organisation_values()
    names = [org["name"] for org in ORGS.values()]
    assert len(names) >= 3 and all(n in values for n in names)
    docx_path = download(built_site.site, "modele", ".docx")
    md_path = download(built_site.site, "modele", ".md")
    for label, text in (
        (docx_path.name, norm(docx_text(docx_path))),
        (md_path.name, norm(md_unescape(md_path.read_text(encoding="utf-8")))),
        ("chartes/modele/", norm(built_site.page("chartes/modele/"))),
    ):
        leaked = [f"{v!r} ({slug})" for v, slug in values.items() if norm(v) in text]
        assert not leaked, f"{label} holds organisation values: {leaked}"
        assert text.count(BLANK_MARK) >= 20, label


def test_blank_charter_docx_has_only_blanks_in_its_uses_table(documents) -> None:
    table = find_table(documents["modele"], [LABELS["use"], LABELS["level"]])
    assert all(row[1].startswith(BLANK_MARK) for row in table_rows(table)[1:])


# --- .md -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("slug", SLUGS)
def test_md_download_is_plain_markdown(built_site, slug) -> None:
    text = download(built_site.site, slug, ".md").read_text(encoding="utf-8")
    lines = text.splitlines()
    assert lines[0].startswith("# ")
    h2 = [line for line in lines if line.startswith("## ")]
    h3 = [line for line in lines if line.startswith("### ")]
    charter = expected_charter(slug)
    assert len(h2) == len(charter.sections)
    if slug == "modele":
        assert len(h2) == len(LIBRARY["sections"])
    assert len(h3) == sum(len(s.clauses) for s in charter.sections)
    tags = re.findall(r"(?<!\\)<(/?[a-zA-Z][a-zA-Z0-9]*)[\s>/]", text)
    assert not tags, f"HTML tags in {slug}.md: {sorted(set(tags))}"
    assert ("avis juridique" in text) != charter.is_adopted
    if slug != "modele":
        assert norm(ORGS[slug]["name"]) in norm(md_unescape(text))
    else:
        assert text.count(BLANK_MARK) >= 20


@pytest.mark.parametrize("slug", SLUGS)
def test_md_download_tables_are_tables(built_site, slug) -> None:
    """Each table's second row is a valid delimiter row (GFM): typography must not touch it."""
    lines = download(built_site.site, slug, ".md").read_text(encoding="utf-8").splitlines()
    rows = [i for i, line in enumerate(lines) if line.startswith("|") and not lines[i - 1].startswith("|")]
    assert rows, "no table"
    for i in rows:
        cells = lines[i].strip("|").split("|")
        delimiter = lines[i + 1].strip("|").split("|")
        assert len(delimiter) == len(cells), lines[i : i + 2]
        assert all(re.fullmatch(r" ?:?-+:? ?", cell) for cell in delimiter), lines[i + 1]


@pytest.mark.parametrize("slug", SLUGS)
def test_md_download_reads_as_plain_text(built_site, slug) -> None:
    """Prose is not littered with backslashes: "vérifiez-les." not "vérifiez\\-les\\."."""
    text = download(built_site.site, slug, ".md").read_text(encoding="utf-8")
    noisy = re.findall(r"\w\\[.\-()]|\\[.\-()]\w", text)
    assert len(noisy) <= 5, f"{len(noisy)} needless escapes, e.g. {noisy[:10]}"
