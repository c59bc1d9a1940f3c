"""French typography and number formatting, shared by the site and every download."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from functools import lru_cache

NBSP = "\u00a0"  # before « : » and « % », and as thousands separator
NNBSP = "\u202f"  # narrow: before ; ! ? and inside « »

_BEFORE_COLON = re.compile(r"(?<=[^\s\u00a0\u202f(\[/:])[ \u00a0\u202f]?:(?=\s|$)")
_BEFORE_TIGHT = re.compile(r"(?<=[^\s\u00a0\u202f(\[/!?;])[ \u00a0\u202f]?([;!?])(?=\s|$|[»)\]])")
_BEFORE_PERCENT = re.compile(r"(?<=\d)[ \u00a0\u202f]?%")
_OPEN_QUOTE = re.compile(r"«[ \u00a0\u202f]?")
_CLOSE_QUOTE = re.compile(r"[ \u00a0\u202f]?»")


def fr_typo(text: str) -> str:
    """Put the non-breaking spaces French asks for; idempotent, leaves URLs and times alone."""
    # The same clause texts and labels come back in every charter: cache those, but not whole
    # documents (render_markdown passes one), which would only fill memory.
    return _fr_typo_cached(text) if len(text) <= 2000 else _fr_typo(text)


@lru_cache(maxsize=1 << 16)
def _fr_typo_cached(text: str) -> str:
    return _fr_typo(text)


def _fr_typo(text: str) -> str:
    text = _BEFORE_COLON.sub(NBSP + ":", text)
    text = _BEFORE_TIGHT.sub(lambda m: NNBSP + m.group(1), text)
    text = _BEFORE_PERCENT.sub(NBSP + "%", text)
    text = _OPEN_QUOTE.sub("«" + NNBSP, text)
    return _CLOSE_QUOTE.sub(NNBSP + "»", text)


def format_number(value: float, decimals: int = 0) -> str:
    """4281 -> '4 281' (non-breaking space), 1.5 -> '1,5'."""
    text = f"{value:,.{decimals}f}".replace(",", NBSP).replace(".", ",")
    return text


def join_fr(items: Sequence[str], conjunction: str = "et") -> str:
    """['a', 'b', 'c'] -> 'a, b et c'."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {conjunction} " + items[-1]


_TAG_OR_TEXT = re.compile(r"(<!--.*?-->|<[^>]*>)", re.DOTALL)
_SKIP_TAGS = {"script", "style", "pre", "code", "kbd", "samp", "textarea", "svg"}
_TAG_NAME = re.compile(r"<\s*(/?)\s*([a-zA-Z0-9]+)")


# A text node that starts with the punctuation that follows an inline tag: `<b>Note</b> : x`.
_AFTER_TAG = re.compile(r"^[ \u00a0\u202f]?([:;!?])(?=\s|$)")


def _nbsp_before(match: re.Match[str]) -> str:
    return (NBSP if match.group(1) == ":" else NNBSP) + match.group(1)


def fr_typo_html(html_text: str) -> str:
    """Apply fr_typo to the text nodes of an HTML page, never inside code, scripts or styles."""
    import html as _html

    out: list[str] = []
    skip: list[str] = []
    for part in _TAG_OR_TEXT.split(html_text):
        if not part:
            continue
        if part.startswith("<"):
            match = _TAG_NAME.match(part)
            if match and match.group(2).lower() in _SKIP_TAGS and not part.endswith("/>"):
                name = match.group(2).lower()
                if match.group(1):
                    if name in skip:
                        del skip[len(skip) - 1 - skip[::-1].index(name)]
                else:
                    skip.append(name)
            out.append(part)
        elif skip or not part.strip():
            out.append(part)
        else:
            text = _AFTER_TAG.sub(_nbsp_before, _html.unescape(part)) if out else _html.unescape(part)
            out.append(_html.escape(fr_typo(text), quote=False))
    return "".join(out)


_MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)


def format_date(value: dt.date) -> str:
    """date(2025, 3, 1) -> '1er mars 2025'."""
    day = "1er" if value.day == 1 else str(value.day)
    return f"{day} {_MONTHS[value.month - 1]} {value.year}"
