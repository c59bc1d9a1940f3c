"""French typography: non-breaking spaces where French wants them, never in code, URLs or times."""

from __future__ import annotations

import datetime as dt

import pytest

from charte_ia.render.typography import format_date, format_number, fr_typo, fr_typo_html, join_fr

NBSP = "\u00a0"
NNBSP = "\u202f"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Note : voir plus bas", f"Note{NBSP}: voir plus bas"),
        ("Note: voir plus bas", f"Note{NBSP}: voir plus bas"),
        ("Liste :", f"Liste{NBSP}:"),
        ("86 %", f"86{NBSP}%"),
        ("86%", f"86{NBSP}%"),
        ("Pourquoi ?", f"Pourquoi{NNBSP}?"),
        ("Pourquoi?", f"Pourquoi{NNBSP}?"),
        ("Attention !", f"Attention{NNBSP}!"),
        ("un ; deux", f"un{NNBSP}; deux"),
        ("un; deux", f"un{NNBSP}; deux"),
        ("« bonjour »", f"«{NNBSP}bonjour{NNBSP}»"),
        ("«bonjour»", f"«{NNBSP}bonjour{NNBSP}»"),
        ("dit « oui ! »", f"dit «{NNBSP}oui{NNBSP}!{NNBSP}»"),
    ],
)
def test_spaces_french_wants(text: str, expected: str) -> None:
    assert fr_typo(text) == expected


def test_existing_nbsp_are_normalised() -> None:
    assert fr_typo(f"Note{NNBSP}: x") == f"Note{NBSP}: x"
    assert fr_typo(f"Quoi{NBSP}?") == f"Quoi{NNBSP}?"


@pytest.mark.parametrize(
    "text",
    [
        "https://www.example.org/page?x=1&y=2#ancre",
        "Voir https://example.org/a:b et http://x.fr",
        "mailto:dpo@example.fr",
        "Rendez-vous à 10:30 ou 9:05:59.",
        "Le ratio 3:2 et l’heure 14:00",
        "C:\\Dossier\\fichier.docx",
        "| --- | :-: | --: |",  # a Markdown table's alignment row: a space there breaks the table
        "",
        "Aucune ponctuation ici",
    ],
)
def test_urls_times_and_plain_text_untouched(text: str) -> None:
    assert fr_typo(text) == text


@pytest.mark.parametrize(
    "text",
    [
        "Note : voir 86 % ; « oui » ! Pourquoi ?",
        "Note: 86%; «oui»! Pourquoi?",
        "a : b : c",
        "https://example.org/?q=1 : lien",
        f"déjà{NBSP}: fait{NNBSP}; ok",
    ],
)
def test_idempotent(text: str) -> None:
    once = fr_typo(text)
    assert fr_typo(once) == once
    html = f"<p>{text}</p>"
    assert fr_typo_html(fr_typo_html(html)) == fr_typo_html(html)


def test_numbers_in_french() -> None:
    assert format_number(4281) == f"4{NBSP}281"
    assert format_number(1000000) == f"1{NBSP}000{NBSP}000"
    assert format_number(86) == "86"
    assert format_number(1.5, 1) == "1,5"
    assert format_number(15557.25, 2) == f"15{NBSP}557,25"


def test_dates_in_french() -> None:
    # The day stays with its month; « 1ᵉʳ » with superscript letters, as French sets it.
    assert format_date(dt.date(2026, 1, 15)) == f"15{NBSP}janvier 2026"
    assert format_date(dt.date(2025, 3, 1)) == f"1ᵉʳ{NBSP}mars 2025"
    assert format_date(dt.date(2027, 8, 31)) == f"31{NBSP}août 2027"


def test_numbers_in_prose_stay_whole() -> None:
    assert fr_typo("une amende de 37 500 euros") == f"une amende de 37{NBSP}500{NBSP}euros"
    assert fr_typo("dans les 72 heures, 1 an") == f"dans les 72{NBSP}heures, 1{NBSP}an"
    assert fr_typo("entre 2023 et 2024, 12 articles") == "entre 2023 et 2024, 12 articles"
    assert fr_typo(fr_typo("37 500 euros")) == fr_typo("37 500 euros")


def test_join_fr() -> None:
    assert join_fr([]) == ""
    assert join_fr(["a"]) == "a"
    assert join_fr(["a", "b"]) == "a et b"
    assert join_fr(["a", "b", "c"]) == "a, b et c"


# --- fr_typo_html --------------------------------------------------------------------------------


def test_html_text_nodes_get_typography() -> None:
    assert fr_typo_html("<p>Note : 86 % ; ok !</p>") == f"<p>Note{NBSP}: 86{NBSP}%{NNBSP}; ok{NNBSP}!</p>"


@pytest.mark.parametrize(
    "fragment",
    [
        "<code>a : b ; c ? d !</code>",
        "<pre>x = y ? 1 : 2 ; 86 %</pre>",
        "<pre><code>dict = {a : 1} ; ok ?</code></pre>",
        "<script>var a = b ? c : d; if (x !== y) {}</script>",
        '<script type="application/json">{"a" : "b ; c ?"}</script>',
        "<style>a:hover { color : red ; }</style>",
        "<kbd>Ctrl : C</kbd>",
        "<textarea>a : b</textarea>",
        "<!-- commentaire : rien ; à faire ? -->",
    ],
)
def test_html_code_scripts_styles_untouched(fragment: str) -> None:
    assert fr_typo_html(fragment) == fragment
    wrapped = f"<p>avant {fragment} après</p>"
    assert fr_typo_html(wrapped) == wrapped


def test_html_code_inside_text_only_text_changes() -> None:
    html = "<p>Tapez <code>a : b</code> puis validez : fini</p>"
    assert fr_typo_html(html) == f"<p>Tapez <code>a : b</code> puis validez{NBSP}: fini</p>"


def test_html_attributes_untouched() -> None:
    html = '<a href="https://x.fr/?a=1&amp;b=2" title="Note : ceci ; cela ?">lien</a>'
    assert fr_typo_html(html) == html
    html = '<span class="a" data-x="86 %" aria-label="Pourquoi ?"></span>'
    assert fr_typo_html(html) == html


def test_html_entities_stay_escaped() -> None:
    assert fr_typo_html("<p>A &amp; B</p>") == "<p>A &amp; B</p>"
    # An escaped tag in text must stay escaped: typography must never turn text into markup.
    assert (
        fr_typo_html("<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>") == "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"
    )
    assert fr_typo_html("<p>Pixel &amp; Plume : ok</p>") == f"<p>Pixel &amp; Plume{NBSP}: ok</p>"


def test_html_after_inline_tag() -> None:
    """A colon right after an inline element (`<strong>Mot</strong> : suite`) gets its NBSP too."""
    html = "<li><strong>Cultures</strong> : francophone</li>"
    assert fr_typo_html(html) == f"<li><strong>Cultures</strong>{NBSP}: francophone</li>"


def test_html_indentation_collapses_outside_preformatted_text() -> None:
    """The theme's indentation goes (a line break stays), never inside <pre> or
    <textarea>, and a non-breaking space is text, not indentation."""
    html = "<ul>\n      <li>\n        Accueil\n      </li>\n</ul>"
    assert fr_typo_html(html) == "<ul>\n<li>\nAccueil\n</li>\n</ul>"
    for kept in ("<pre>a\n    b</pre>", "<textarea>a\n    b</textarea>", "<pre><code>a\n    b</code></pre>"):
        assert fr_typo_html(f"<div>\n  {kept}\n  </div>") == f"<div>\n{kept}\n</div>"
    assert fr_typo_html(f"<p>a\n{NBSP}b</p>") == f"<p>a\n{NBSP}b</p>"


def test_html_skipped_element_with_attributes_and_self_closing_svg() -> None:
    html = '<p>x : y <code class="c">a : b</code> : z <svg viewBox="0 0 1 1"/> ok ?</p>'
    expected = f'<p>x{NBSP}: y <code class="c">a : b</code>{NBSP}: z <svg viewBox="0 0 1 1"/> ok{NNBSP}?</p>'
    assert fr_typo_html(html) == expected
