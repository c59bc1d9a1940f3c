"""« L’essentiel en une page » read against its own charter, for the blank charter and each
example organisation: both rendered (the summary's page and Word document, the charter's .md),
then compared as a reader would. The summary never says what its charter does not."""

from __future__ import annotations

import html
import io
import re
from pathlib import Path

import docx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from charte_ia.charter.assembly import assemble
from charte_ia.charter.checks import located_blanks
from charte_ia.charter.essentials import essentials
from charte_ia.data.loader import OrganizationEntry, Project
from charte_ia.data.models import FORBIDDEN_SECTION, KIND_IDS, USE_IDS, Organization
from charte_ia.mkdocs.site import download_names
from charte_ia.render.docx import render_essentials_docx
from charte_ia.render.html import essentials_page
from charte_ia.render.markdown import render_markdown

SPACES = str.maketrans({"\u00a0": " ", "\u202f": " "})
BLANK = re.compile(r"\[À compléter : [^\]]*\]")


def norm(text: str) -> str:
    return " ".join(html.unescape(text).translate(SPACES).replace("**", "").split())


def slugs(project: Project) -> list[str]:
    return ["modele", *(e.slug for e in project.organizations)]


def entry_of(project: Project, slug: str):
    return next((e for e in project.organizations if e.slug == slug), None)


class Read:
    """One organisation's summary (page and .docx) and charter (.md), as text."""

    def __init__(self, project: Project, slug: str):
        self.entry = entry_of(project, slug)
        self.charter = assemble(project, self.entry)
        self.summary = essentials(project, self.entry, self.charter)
        self.page_html = essentials_page(project, self.summary, download_names(self.charter), True).content
        self.page = norm(re.sub(r"<[^>]+>", " ", self.page_html))
        document = docx.Document(io.BytesIO(render_essentials_docx(self.summary, project)))
        self.document = document
        self.docx = norm(" ".join(p.text for p in document.paragraphs))
        self.md = render_markdown(self.charter, project).decode("utf-8")
        self.charter_text = norm(self.md)

    def page_levels(self) -> dict[str, str]:
        """Each use, by the level the summary's page lists it under."""
        out = {}
        for label, items in re.findall(r"<p><strong>([^<]*)</strong></p>\s*<ul>(.*?)</ul>", self.page_html, re.S):
            for use in re.findall(r"<li>(.*?)</li>", items, re.S):
                out[norm(use)] = norm(label)
        return out

    def docx_levels(self) -> dict[str, str]:
        """The same from the Word document: a table of the levels, or one paragraph when all
        uses share one level (« À décider : … ; … »)."""
        if len(self.summary.groups) == 1:
            label = norm(self.summary.groups[0].label)
            line = next(norm(p.text) for p in self.document.paragraphs if norm(p.text).startswith(f"{label} :"))
            return {use.strip(): label for use in line[len(label) + 2 :].rstrip(".").split(" ; ")}
        table = self.document.tables[0]
        header, cells = table.rows[0].cells, table.rows[1].cells
        return {norm(p.text): norm(h.text) for h, c in zip(header, cells) for p in c.paragraphs if p.text.strip()}

    def charter_levels(self) -> dict[str, str]:
        """Each use and its level, from the uses table of the charter's .md."""
        out = {}
        for line in self.md.splitlines():
            cells = [norm(c) for c in line.strip().strip("|").split(" | ")]
            if len(cells) == 2 and cells[0] in self.uses:
                out[cells[0]] = cells[1]
        return out

    uses: set[str] = set()


@pytest.fixture(scope="module", params=["modele", "agence-pixel-et-plume", "la-boutique-d-elise", "les-ateliers-du-fil-rouge", "ville-de-saint-etienne-du-lac"])
def read(request, project: Project) -> Read:
    Read.uses = {norm(u.label) for u in project.library.uses}
    return Read(project, request.param)


def test_the_four_examples_and_the_blank_are_read(project: Project) -> None:
    assert len(project.organizations) == 4 and sorted(slugs(project)) == sorted(
        ["modele", "agence-pixel-et-plume", "la-boutique-d-elise", "les-ateliers-du-fil-rouge", "ville-de-saint-etienne-du-lac"]
    )


def test_each_use_has_the_level_its_charter_gives(read: Read, project: Project) -> None:
    charter = read.charter_levels()
    assert len(charter) == len(project.library.uses)
    undecided = norm(project.library.labels.essentials.undecided)
    for levels in (read.page_levels(), read.docx_levels()):
        assert set(levels) == set(charter)
        for use, level in levels.items():
            if BLANK.search(charter[use]):
                assert level == undecided, use
            else:
                assert level == charter[use], use  # the charter's own words for the level


def test_prohibited_uses_keep_their_exceptions(read: Read, project: Project) -> None:
    section = next(s for s in project.library.sections if s.id == FORBIDDEN_SECTION)
    assert "en toutes circonstances" not in norm(section.title)
    in_charter = {c.id for s in read.charter.sections for c in s.clauses}
    for text in (read.page, read.docx):
        assert "en toutes circonstances" not in text
        for clause in section.clauses:
            if clause.id in in_charter:
                assert norm(clause.summary) in text
            assert norm(clause.title) not in text, clause.title
    # Where the charter allows a consented deepfake, its summary says so; where it forbids every
    # realistic medium, neither says so.
    deepfake = next(c for c in section.clauses if c.id == "interdit-hypertrucage")
    if "interdit-hypertrucage" in in_charter:
        assert "consentement" in deepfake.summary and "consenti" in read.charter_text
    else:
        assert "interdit-hypertrucage-absolu" in in_charter
        assert norm(deepfake.summary) not in read.page and "y a consenti" not in read.charter_text


def test_every_value_and_blank_comes_from_the_charter(read: Read) -> None:
    summary = read.summary
    # The charter asks for its tools with a table of empty rows, not a bracketed blank.
    tools = {norm(f"[À compléter : {summary.tools_blank.what}]")} if summary.tools_blank else set()
    if tools:
        assert any(c.block and c.block.tools_blank == summary.tools_blank for s in read.charter.sections for c in s.clauses)
    for text in (read.page, read.docx):
        assert set(BLANK.findall(text)) - tools <= set(BLANK.findall(read.charter_text))
    titles = {c.title for s in read.charter.sections for c in s.clauses}
    # A clause's summary (a title, then the library's words) aside, each value is one the charter prints.
    rows = [(label, v) for label, v in (*summary.mention_rows, *summary.data, *summary.before) if label not in titles]
    assert rows
    for value in [summary.mention, summary.incident_delay, *(v for _, v in rows)]:
        if value is None:
            continue
        shown = norm(f"[À compléter : {value.what}]" if hasattr(value, "what") else value.text)
        assert shown in read.page and shown in read.docx
        assert shown in read.charter_text, shown


def test_the_summary_has_no_blank_its_charter_lacks(read: Read) -> None:
    """So `check`, which names the charter's blanks, names the summary's too."""
    charter = {what for _, what in located_blanks(read.charter)}
    assert {b.what for b in read.summary.blanks()} <= charter


def test_review_follows_the_kind_and_the_replies(read: Read, project: Project) -> None:
    words = project.library.labels.essentials
    org = read.entry.org if read.entry else None
    reviewer, delay, replies, approver = (
        f"{norm(w)} :" for w in (words.reviewer, words.delay, words.replies, words.approver)
    )
    for text in (read.page, read.docx):
        if org is not None and org.kind == "small_business":
            # Its charter names an approver for sensitive topics only, not for every publication.
            assert reviewer not in text and delay not in text and approver not in text
            assert "seconde relecture]" not in text and "délai de transmission" not in text
            assert norm(next(c.title for s in read.charter.sections for c in s.clauses if c.id == "relecture-petite-structure")) in text
        else:
            assert reviewer in text and delay in text and approver in text
        # The delay is a publication's; replies have their own circuit, whenever they are allowed.
        assert "publications" in norm(words.delay)
        allowed = org is None or org.uses.replies in (None, "allowed", "review")
        assert (replies in text) == allowed
        if org is not None and org.review.replies and allowed:
            assert norm(org.review.replies) in text and norm(org.review.replies) in read.charter_text


def test_rules_checked_and_draft_as_the_charter_says(read: Read, project: Project) -> None:
    # « Règles vérifiées le … » as a sentence of its own; « règles vérifiées le … » in a notice.
    checked = norm(read.charter.checked)
    assert checked.lower() in read.charter_text.lower()
    assert checked in read.page and checked in read.docx
    draft = norm(project.library.labels.draft)
    if read.charter.is_draft:
        assert norm(project.library.labels.draft_notice) in read.charter_text
        assert f"· {draft}" in read.page and f"· {draft}" in read.docx
    else:
        assert norm(project.library.labels.draft_notice) not in read.charter_text
        assert f"· {draft}" not in read.page


def test_personal_data_heading_matches_its_lines(read: Read, project: Project) -> None:
    words = project.library.labels.essentials
    assert "Ne jamais saisir" not in read.page
    assert norm(words.data) in read.page
    assert f"{norm(words.personal_data)} :" in read.page and f"{norm(words.confidential)} :" in read.page


# --- any organisation ---------------------------------------------------------------------------

# Fields an organisation may leave out, each a blank somewhere in its charter.
OPTIONAL = (
    "sector", "version", "adopted", "next_review", "designation", "disclosure", "data", "review",
    "people", "incident_delay", "training", "brand_voice", "sensitive_topics", "tools", "platforms",
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    kind=st.sampled_from([None, *KIND_IDS]),
    levels=st.lists(st.sampled_from([None, "allowed", "review", "forbidden"]), min_size=len(USE_IDS), max_size=len(USE_IDS)),
    left_out=st.sets(st.sampled_from(OPTIONAL)),
)
def test_no_organisation_gets_a_blank_its_charter_lacks(project: Project, kind, levels, left_out) -> None:
    """Whatever the kind, the levels and the fields left out: the summary asks for nothing its
    charter does not, so a charter without blanks has a summary without blanks."""
    base = project.organizations[0].org.model_dump(exclude_none=True)
    data = {k: v for k, v in base.items() if k not in left_out}
    data["kind"] = kind
    data["uses"] = {u: lv for u, lv in zip(USE_IDS, levels) if lv}
    entry = OrganizationEntry("essai", Organization.model_validate(data), Path("essai.yml"))
    charter = assemble(project, entry)
    summary = essentials(project, entry, charter)
    assert {b.what for b in summary.blanks()} <= {what for _, what in located_blanks(charter)}
    if not charter.blanks():
        assert not summary.blanks()
