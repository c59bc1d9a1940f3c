"""The changes' pages on paper (a version's changes since the one before, the current text's
since the last version): Chromium prints them (print stylesheet), and what changed
reads in black and white: each deletion struck through and labelled « [supprimé : … ] », each
insertion underlined and labelled « [ajouté : … ] », the site's chrome left out."""

from __future__ import annotations

import io
import re
import unicodedata

import pytest

from .conftest import served

AGENCY = "chartes/agence-pixel-et-plume/versions/"


# A version's changes since the one before, on the project as it is; the current text's changes
# since the last release, on a copy whose library moved on after it (tests/conftest.py), since
# the examples' current texts may read exactly as their last releases.
@pytest.mark.parametrize("path", [f"{AGENCY}1.1/changements/", f"{AGENCY}changements/"])
def test_a_diff_prints_legibly_without_colour(request, visit_factory, path):
    import pypdf

    if path == f"{AGENCY}changements/":
        with served(request.getfixturevalue("library_moved").after.site) as site:
            _prints_legibly(visit_factory(site), path, pypdf)
    else:
        _prints_legibly(visit_factory(request.getfixturevalue("hosted")), path, pypdf)


def _prints_legibly(visit, path, pypdf) -> None:
    page = visit.open(path)
    # On screen the labels are hidden, but in what a screen reader reads (Chromium's tree).
    nodes = page.context.new_cdp_session(page).send("Accessibility.getFullAXTree")["nodes"]
    spoken = " ".join(str(n.get("name", {}).get("value", "")) for n in nodes)
    assert re.search(r"\[supprimé\s?:", spoken) and re.search(r"\[ajouté\s?:", spoken), spoken[:500]
    page.emulate_media(media="print")
    # Each mark's label is the stylesheet's generated content: shown on paper, not decorated.
    marks = page.evaluate(
        """() => [...document.querySelectorAll('.md-content del, .md-content ins')].slice(0, 40).map(el => {
            const style = getComputedStyle(el), before = getComputedStyle(el, '::before');
            return {tag: el.tagName, line: style.textDecorationLine, label: before.content,
                    shown: before.position === 'static' && before.display === 'inline-block',
                    labelLine: before.textDecorationLine, end: getComputedStyle(el, '::after').content};
        })"""
    )
    assert marks
    for mark in marks:
        expected = "line-through" if mark["tag"] == "DEL" else "underline"
        assert expected in mark["line"], mark
        assert mark["shown"] and mark["labelLine"] == "none" and mark["end"] == '"]"', mark
        assert mark["label"].startswith('"[supprimé' if mark["tag"] == "DEL" else '"[ajouté'), mark
    hidden = page.evaluate(
        "() => ['.md-header', '.md-sidebar--primary', '.md-footer'].map(s => document.querySelector(s))"
        ".filter(el => el && getComputedStyle(el).display !== 'none').length"
    )
    assert hidden == 0
    # Chromium's own PDF of the page (what « Imprimer » makes), read back as text.
    text = " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(page.pdf(format="A4"))).pages)
    text = re.sub(r"\s+", " ", unicodedata.normalize("NFC", text))
    # The space after each label's colon survives on paper (an inline-block drops a trailing space
    # that white-space: normal collapses).
    assert re.search(r"\[supprimé\s?:\s\S", text), text[:500]
    assert re.search(r"\[ajouté\s?:\s\S", text), [text[m.start() - 10 : m.start() + 30] for m in re.finditer(r"\[aj", text)][:5]
    assert "Clause modifiée" in text
    visit.check_clean()


def test_the_blank_charter_is_laid_out_whole_on_paper(hosted, visit_factory):
    """On screen the blank charter's blocks far from view wait to be laid out; on paper every
    block is, headings and tables as on screen."""
    visit = visit_factory(hosted)
    page = visit.open("chartes/modele/")
    waiting = "() => [...document.querySelectorAll('article > *')].filter(e => getComputedStyle(e).contentVisibility !== 'visible').length"
    assert page.evaluate(waiting) > 100
    page.emulate_media(media="print")
    assert page.evaluate(waiting) == 0
    visit.check_clean()
