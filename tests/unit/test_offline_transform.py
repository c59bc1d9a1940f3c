"""The pass that makes the hosted site's files work from file:// (render/offline.py)."""

from __future__ import annotations

import json

import pytest

from charte_ia.mkdocs import offline as adapter
from charte_ia.render.offline import file_url, offline_charters_index, offline_html, offline_search_index


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("../chiffres/", "../chiffres/index.html"),
        ("../sources/#src-a", "../sources/index.html#src-a"),
        ("..", "../index.html"),
        ("../..", "../../index.html"),
        (".", "index.html"),
        ("./", "index.html"),
        ("./#top", "index.html#top"),
        ("chartes/", "chartes/index.html"),
        ("../x/?q=1#a", "../x/index.html?q=1#a"),
        # Kept: a file, an anchor on the page, another host, an absolute path, nothing.
        ("../assets/site.css", "../assets/site.css"),
        ("../telechargements/charte.docx", "../telechargements/charte.docx"),
        ("#sec-objet", "#sec-objet"),
        ("https://example.org/", "https://example.org/"),
        ("mailto:dpo@example.org", "mailto:dpo@example.org"),
        ("data:image/svg+xml,<svg/>", "data:image/svg+xml,<svg/>"),
        ("//cdn.example.org/x/", "//cdn.example.org/x/"),
        ("/charte-ia/", "/charte-ia/"),
        ("", ""),
    ],
)
def test_file_url(url: str, expected: str) -> None:
    assert file_url(url) == expected


def test_links_in_attributes_are_rewritten_and_nothing_else_moves() -> None:
    page = (
        '<!doctype html>\n<html><head><link rel="stylesheet" href="../assets/a.css">'
        '<link rel="prev" href=".."><script src="../assets/b.js"></script></head>\n'
        '<body><a href="../chiffres/" class="x" title="a > b">Chiffres</a>'
        "<A HREF='../sources/#s' data-x=\"../y/\">S</A>"
        '<a href=../mentions/>M</a><a class="k" href="../a/?q=1&amp;r=2">Q</a>'
        "<p>Du texte ../pas/un/lien/ et href=\"../non/\"</p></body></html>"
    )
    assert offline_html(page) == (
        '<!doctype html>\n<html><head><link rel="stylesheet" href="../assets/a.css">'
        '<link rel="prev" href="../index.html"><script src="../assets/b.js"></script></head>\n'
        '<body><a href="../chiffres/index.html" class="x" title="a > b">Chiffres</a>'
        "<A HREF='../sources/index.html#s' data-x=\"../y/\">S</A>"
        '<a href=../mentions/index.html>M</a><a class="k" href="../a/index.html?q=1&amp;r=2">Q</a>'
        "<p>Du texte ../pas/un/lien/ et href=\"../non/\"</p></body></html>"
    )


def test_no_markup_is_read_in_comments_scripts_styles_and_titles() -> None:
    page = (
        '<title>Un <a href="../a/"> titre</title>'
        '<!-- <a href="../b/"> -->'
        '<script>const t = \'<a href="../c/">\'; if (a < b) {}</script>'
        '<style>a[href="../d/"]::after{content:"<a href=\'../e/\'>"}</style>'
        '<textarea><a href="../f/"></textarea>'
        '<a href="../g/">g</a>'
    )
    out = offline_html(page)
    for kept in ("../a/\"", "../b/\"", "../c/\"", "../d/\"", "../e/'", "../f/\""):
        assert kept in out, kept
    assert '<a href="../g/index.html">g</a>' in out


def test_a_greater_than_sign_in_an_earlier_attribute_hides_no_link() -> None:
    """A quoted value may hold « > »: the tag ends at the first « > » outside quotes."""
    assert offline_html('<a title="1 > 0" data-t=\'<x>\' href="../a/">a</a>') == (
        '<a title="1 > 0" data-t=\'<x>\' href="../a/index.html">a</a>'
    )


def test_hosted_only_elements_and_host_addresses_are_left_out() -> None:
    page = (
        "<head>\n"
        '  <link rel="canonical" href="https://example.org/charte-ia/chiffres/">\n'
        '  <meta property="og:url" content="https://example.org/charte-ia/chiffres/">\n'
        '  <meta property="og:title" content="Chiffres">\n'
        "</head><body>\n"
        '<div class="md-copyright">\n'
        "  <div>Licence</div>\n"
        '  <div class="md-copyright__offline" data-hosted-only>\n'
        '    <a href="../telechargements/charte-ia-hors-ligne.zip" download>Télécharger</a>\n'
        "    <div>(zip, 2,4\u00a0Mo)</div>\n"
        "  </div>\n"
        "</div>\n"
        "</body>"
    )
    assert offline_html(page) == (
        "<head>\n"
        '  <meta property="og:title" content="Chiffres">\n'
        "</head><body>\n"
        '<div class="md-copyright">\n'
        "  <div>Licence</div>\n"
        "</div>\n"
        "</body>"
    )


def test_a_page_without_links_comes_out_as_it_went_in() -> None:
    page = "<p>Rien à <em>changer</em> ici.</p>\n<img alt=\"\" src=\"data:,\">"
    assert offline_html(page) == page


def test_search_index_becomes_a_script_with_file_locations() -> None:
    index = {
        "config": {"lang": ["fr"], "separator": "[\\s\\-’']+"},
        "docs": [
            {"location": "", "title": "Accueil", "text": "x"},
            {"location": "chiffres/#a", "title": "Chiffres", "text": "« href=\"../x/\" »"},
            {"location": "chartes/modele/", "title": "Charte", "text": ""},
        ],
    }
    script = offline_search_index(json.dumps(index, separators=(",", ":")))
    assert script.startswith("var __index = {")
    docs = json.loads(script.removeprefix("var __index = "))["docs"]
    assert [d["location"] for d in docs] == ["index.html", "chiffres/index.html#a", "chartes/modele/index.html"]
    assert docs[1]["text"] == index["docs"][1]["text"]


def test_index_of_charters_names_page_files() -> None:
    from charte_ia.render.json import dumps

    data = {"charters": [{"slug": "a/", "name": "AC/DC/ « page »", "page": "chartes/a/", "docx": "telechargements/a.docx",
                          "essentials_page": "chartes/a/essentiel/", "versions": None}]}  # fmt: skip
    out = offline_charters_index(dumps(data).decode("utf-8"))
    expected = dict(data["charters"][0], page="chartes/a/index.html", essentials_page="chartes/a/essentiel/index.html")
    assert out == dumps({"charters": [expected]}).decode("utf-8")


def test_the_size_goes_into_its_slot_in_place(tmp_path) -> None:
    page = tmp_path / "index.html"
    before = f"<p>é</p>\n<div data-hosted-only>Zip {adapter.SIZE_SLOT}\n</div>\n"
    page.write_bytes(before.encode("utf-8"))
    adapter._slots.clear()
    adapter.note_written(before, str(page))
    adapter.fill_size(adapter.human_size(2_400_000))
    after = page.read_text(encoding="utf-8")
    assert len(after.encode("utf-8")) == len(before.encode("utf-8"))
    assert after.startswith("<p>é</p>\n<div data-hosted-only>Zip (zip, 2,4\u00a0Mo)   ")
    assert after.endswith(" \n</div>\n")


def test_a_moved_slot_stops_the_build(tmp_path) -> None:
    from mkdocs.exceptions import PluginError

    page = tmp_path / "index.html"
    text = f"<p>{adapter.SIZE_SLOT}</p>"
    adapter._slots.clear()
    adapter.note_written(text, str(page))
    page.write_text("<p>autre chose, plus longue que l’emplacement attendu</p>", encoding="utf-8")
    with pytest.raises(PluginError):
        adapter.fill_size("1\u00a0ko")
    adapter._slots.clear()


def test_a_tag_left_open_is_an_error_not_a_page_half_done() -> None:
    with pytest.raises(ValueError, match="balise non fermée"):
        offline_html('<p><a href="../a/">a</a></p><a href="../b/"')
