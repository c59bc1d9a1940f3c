"""What a text value of a data file may hold, decided once for every output format.

Each text field of the models has one of these types, so that the page, the `.md`, the `.docx`
and any later format receive the same characters:

- `Line`: a name, a title, a label, a contact. One line: a line break or a control character
  is refused (it would cut a heading, a table row, a search entry).
- `Prose`: a sentence or a short paragraph (a rule, a note, a summary). Line breaks, tabs and
  runs of blanks become one space; other control characters are removed.
- `Paragraphs`: a clause's text. Line endings become `\\n` (a blank line separates
  paragraphs); tabs become spaces; other control characters are removed.
- `Url`: a well-formed `https://` address, with no quote, angle bracket, space or control
  character, so that no output can be broken out of by its address.
- `Id`, `Version` and `RevisionId`: values that become part of an address or a file name, with
  their limits.

Every type refuses a value made only of blanks or invisible characters, a value longer than its
limit (stated in the message), and characters that no UTF-8 file can hold (lone surrogates,
non-characters). Errors are pydantic custom errors whose type names the rule; the loader
translates every error by its type (loader.MESSAGES).
"""

from __future__ import annotations

import re
import unicodedata
from typing import Annotated
from urllib.parse import urlsplit

from pydantic import AfterValidator
from pydantic_core import PydanticCustomError

from charte_ia.data.messages import MESSAGES

LINE_MAX = 300
PROSE_MAX = 3_000
PARAGRAPHS_MAX = 20_000
URL_MAX = 2_000
ID_MAX = 64
VERSION_MAX = 20

# Characters a one-line field refuses: C0 and C1 controls (line breaks, tabulation, NUL, ESC...),
# DEL, and the Unicode line and paragraph separators.
_LINE_FORBIDDEN = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
# Blanks that a Prose value folds into one space (ASCII blanks, line breaks, NEL, separators).
_PROSE_BLANKS = re.compile("[ \t\n\r\x0b\x0c\x1c-\x1f\x85\u2028\u2029]+")
_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f]")
_LINE_ENDINGS = re.compile("\r\n?|[\x85\u2028]")
# No UTF-8 file can hold a lone surrogate; U+FFFE and U+FFFF are not characters (XML refuses them).
_UNWRITABLE = re.compile("[\ud800-\udfff\ufffe\uffff]")
# Letters and symbols that print as nothing: Hangul fillers, the braille blank.
_BLANK_GLYPHS = frozenset("\u115f\u1160\u3164\uffa0\u2800")
_VISIBLE_CATEGORIES = frozenset("LNPS")

ID_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
ID_RULE = "minuscules sans accents, chiffres et tirets simples (ex. « agence-dupont »)"
# In an address: no quote, angle bracket, backslash, blank, control character or backtick.
_URL_FORBIDDEN = re.compile(r"[\x00-\x20\x7f-\x9f\"'<>\\`{}|^\u00a0\u2028\u2029\ufeff\u200b-\u200f\u202a-\u202e]")
_HOST = re.compile(r"(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}", re.I)


def _error(kind: str, ctx: dict[str, object] | None = None) -> PydanticCustomError:
    return PydanticCustomError(kind, MESSAGES[kind], ctx)


_NAMES = {
    "\n": "saut de ligne",
    "\r": "retour chariot",
    "\t": "tabulation",
    "\x00": "caractère nul",
    "\x1b": "échappement",
    "\x85": "saut de ligne",
    "\u2028": "séparateur de ligne",
    "\u2029": "séparateur de paragraphe",
    " ": "espace",
    "\u00a0": "espace insécable",
    '"': "guillemet",
    "'": "apostrophe",
    "<": "chevron",
    ">": "chevron",
    "\\": "barre oblique inversée",
    "`": "accent grave",
}


def _code(char: str) -> str:
    name = _NAMES.get(char)
    return f"U+{ord(char):04X}" + (f", {name}" if name else "")


def _common(value: str, limit: int) -> None:
    if len(value) > limit:
        raise _error("text_too_long", {"length": len(value), "limit": limit})
    bad = _UNWRITABLE.search(value)
    if bad:
        raise _error("text_unwritable", {"char": _code(bad.group())})


def _visible(value: str) -> str:
    if not value:
        raise _error("text_empty")
    for char in value:
        if unicodedata.category(char)[0] in _VISIBLE_CATEGORIES and char not in _BLANK_GLYPHS:
            return value
    raise _error("text_invisible")


def clean_line(value: str, limit: int = LINE_MAX) -> str:
    _common(value, limit)
    value = value.strip()
    bad = _LINE_FORBIDDEN.search(value)
    if bad:
        char = bad.group()
        kind = "text_line_break" if char in "\r\n\x85\u2028\u2029\x0b\x0c" else "text_control"
        raise _error(kind, {"char": _code(char)})
    return _visible(value)


def clean_prose(value: str) -> str:
    _common(value, PROSE_MAX)
    value = _CONTROLS.sub("", _PROSE_BLANKS.sub(" ", value)).strip()
    return _visible(value)


def clean_paragraphs(value: str) -> str:
    _common(value, PARAGRAPHS_MAX)
    value = _LINE_ENDINGS.sub("\n", value).replace("\u2029", "\n\n").replace("\t", " ")
    value = _CONTROLS.sub(lambda m: m.group() if m.group() == "\n" else "", value).strip()
    return _visible(value)


def clean_url(value: str) -> str:
    _common(value, URL_MAX)
    if not value.startswith("https://"):
        raise _error("url_https", {"start": value[:40]})
    bad = _URL_FORBIDDEN.search(value)
    if bad:
        raise _error("url_character", {"char": _code(bad.group())})
    parts = urlsplit(value)
    try:
        parts.port  # noqa: B018 - raises on a port that is not a number
    except ValueError:
        raise _error("url_host") from None
    if not parts.hostname or not _HOST.fullmatch(parts.hostname) or parts.username or parts.password:
        raise _error("url_host")
    return value


def clean_id(value: str) -> str:
    if len(value) > ID_MAX:
        raise _error("id_too_long", {"length": len(value), "limit": ID_MAX})
    if not ID_PATTERN.fullmatch(value):
        raise _error("id_invalid", {"value": value[:80], "rule": ID_RULE})
    return value


REVISION_PATTERN = re.compile(r"[0-9a-z]+(?:[.-][0-9a-z]+)*")
REVISION_MAX = 20
REVISION_RULE = "minuscules sans accents et chiffres, séparés par un point ou un tiret (ex. « 2026-12 »)"


def clean_revision(value: str) -> str:
    """A revision of the clause library: part of the addresses of its frozen releases."""
    if len(value) > REVISION_MAX:
        raise _error("revision_too_long", {"length": len(value), "limit": REVISION_MAX})
    if not REVISION_PATTERN.fullmatch(value):
        raise _error("revision_invalid", {"value": value[:80], "rule": REVISION_RULE})
    return value


def clean_version(value: str) -> str:
    if len(value.strip()) > VERSION_MAX:
        raise _error("version_too_long", {"length": len(value.strip()), "limit": VERSION_MAX})
    return clean_line(value)


Line = Annotated[str, AfterValidator(clean_line)]
Prose = Annotated[str, AfterValidator(clean_prose)]
Paragraphs = Annotated[str, AfterValidator(clean_paragraphs)]
Url = Annotated[str, AfterValidator(clean_url)]
Id = Annotated[str, AfterValidator(clean_id)]
Version = Annotated[str, AfterValidator(clean_version)]
RevisionId = Annotated[str, AfterValidator(clean_revision)]
