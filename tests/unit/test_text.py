"""The text types of data/text.py: what each kind of field refuses, and what it normalises."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter, ValidationError

from charte_ia.data import text
from charte_ia.data.messages import MESSAGES

LINE = TypeAdapter(text.Line)
PROSE = TypeAdapter(text.Prose)
PARAGRAPHS = TypeAdapter(text.Paragraphs)
URL = TypeAdapter(text.Url)
ID = TypeAdapter(text.Id)
VERSION = TypeAdapter(text.Version)


def error_type(adapter: TypeAdapter, value: str) -> str:
    with pytest.raises(ValidationError) as info:
        adapter.validate_python(value)
    (error,) = info.value.errors()
    return error["type"]


@pytest.mark.parametrize(
    "value, kind",
    [
        ("Agence\nDupont", "text_line_break"),
        ("Agence\rDupont", "text_line_break"),
        ("Agence\u2028Dupont", "text_line_break"),
        ("Agence\x85Dupont", "text_line_break"),
        ("Agence\tDupont", "text_control"),
        ("Agence\x00Dupont", "text_control"),
        ("Agence\x1b[31mDupont", "text_control"),
        ("", "text_empty"),
        ("   ", "text_empty"),
        ("\u200b\u200d\u2060\ufeff", "text_invisible"),
        ("\u3164\u00a0\u2800", "text_invisible"),
        ("\u0301", "text_invisible"),
        ("x" * (text.LINE_MAX + 1), "text_too_long"),
        ("a\ud800b", "text_unwritable"),
        ("a\uffffb", "text_unwritable"),
    ],
)
def test_a_line_refuses(value: str, kind: str) -> None:
    assert error_type(LINE, value) == kind


def test_a_line_keeps_what_prints() -> None:
    assert LINE.validate_python("  Café d’Élise 🍰 ‎שלום  ") == "Café d’Élise 🍰 ‎שלום"
    assert LINE.validate_python("<script>alert(1)</script>") == "<script>alert(1)</script>"


def test_prose_folds_breaks_and_drops_controls() -> None:
    assert PROSE.validate_python("Une règle\r\nsur deux\rlignes\n\n\tet\x07 plus\u2028.") == (
        "Une règle sur deux lignes et plus ."
    )
    assert PROSE.validate_python("a\u00a0:\u202fb") == "a\u00a0:\u202fb"  # typed spaces stay
    assert error_type(PROSE, "\x07\r\n\t") == "text_empty"


def test_paragraphs_keep_paragraphs_only() -> None:
    assert PARAGRAPHS.validate_python("Un.\r\n\r\nDeux\rtrois\x0c\tquatre\u2029Cinq") == (
        "Un.\n\nDeux\ntrois quatre\n\nCinq"
    )


@pytest.mark.parametrize(
    "value, kind",
    [
        ("http://www.cnil.fr/", "url_https"),
        ("javascript:alert(1)", "url_https"),
        ('https://example.org/" onmouseover="alert(1)', "url_character"),
        ("https://example.org/><script>alert(1)</script>", "url_character"),
        ("https://example.org/a b", "url_character"),
        ("https://example.org/a\nb", "url_character"),
        ("https://example.org/\u202eevil", "url_character"),
        ("https://", "url_host"),
        ("https://localhost/", "url_host"),
        ("https://user:pw@example.org/", "url_host"),
        ("https://example.org:port/", "url_host"),
        ("https://" + "a" * 2000 + ".fr", "text_too_long"),
    ],
)
def test_an_address_refuses(value: str, kind: str) -> None:
    assert error_type(URL, value) == kind


def test_an_address_is_kept_as_written() -> None:
    url = "https://eur-lex.europa.eu/eli/reg/2024/1689/oj?locale=fr#art_4"
    assert URL.validate_python(url) == url


def test_ids_and_versions_state_their_limit() -> None:
    assert error_type(ID, "a" * (text.ID_MAX + 1)) == "id_too_long"
    assert error_type(ID, "Agence_Dupont") == "id_invalid"
    assert error_type(VERSION, "1." * 40) == "version_too_long"
    with pytest.raises(ValidationError) as info:
        VERSION.validate_python("1" * 300)
    assert f"au plus {text.VERSION_MAX} " in str(info.value)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec=None), max_size=60))
def test_any_text_is_either_clean_or_refused_in_french(value: str) -> None:
    """Every Unicode category: a one-line field holds no control or break; prose none either;
    paragraphs only \\n; or the value is refused with a message of the table."""
    for adapter, allowed in ((LINE, ""), (PROSE, ""), (PARAGRAPHS, "\n")):
        try:
            out = adapter.validate_python(value)
        except ValidationError as exc:
            for error in exc.errors():
                assert error["type"] in MESSAGES
                assert error["msg"] == MESSAGES[error["type"]].format(**(error.get("ctx") or {}))
            continue
        assert out == out.strip()
        for char in out:
            if char in allowed:
                continue
            assert unicodedata.category(char) != "Cc", (adapter, value, out)
            assert char not in "\u2028\u2029", (adapter, value, out)
