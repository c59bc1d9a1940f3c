"""Data values as inert Markdown text, and links between pages by their source paths."""

from __future__ import annotations

import html
import posixpath
import re
from functools import lru_cache

# Python-Markdown's backslash escapes (and `|` for tables): each of these can start syntax.
_SITE_SPECIALS = re.compile(r"([\\`*_{}\[\]()>#+\-.!|])")
# In a download, escape only what would really become syntax, and the few characters that
# matter at the start of a line, so that the file stays pleasant to read as plain text
# (« Pixel & Plume », « d_un » stay as they are): a backslash before punctuation, a backtick,
# an asterisk, brackets, a table's bar; an underscore that is not inside a word; `<` before
# what makes a tag or an autolink; `&` that starts an entity; `~~`. At the end of a value, what
# follows is the template's text: a backslash, `<` or `~` there is escaped too.
_COMMONMARK_ANYWHERE = re.compile(
    r"(\\(?=[!-/:-@\[-`{-~]|$)|[`*\[\]|]|(?<![0-9A-Za-zÀ-ÿ])_|_(?![0-9A-Za-zÀ-ÿ])|<(?=[A-Za-z/!?]|$)|&(?=#?\w+;)|~(?=~|$))"
)
_COMMONMARK_LINE_START = re.compile(r"^(\s*|\s*\d+)(#{1,6}(?=\s|$)|>|[-+](?=\s|$)|=+\s*$|(?<=\d)[.)](?=\s|$))")


# The same texts come back in every charter; 4,096 hold those, and more kept only the
# organisations' own, which grew the documents' process with N.
@lru_cache(maxsize=1 << 12)
def md_escape(text: str) -> str:
    """Text for a page of this site: no HTML, no link, no emphasis can come out of it."""
    return _SITE_SPECIALS.sub(r"\\\1", html.escape(text, quote=False)).replace("\n", " ")


@lru_cache(maxsize=1 << 12)  # bounded as md_escape, for the same reason
def md_escape_plain(text: str) -> str:
    """Text for a downloadable .md file: escaped for any CommonMark reader, still readable."""
    text = _COMMONMARK_ANYWHERE.sub(r"\\\1", text.replace("\n", " "))
    return _COMMONMARK_LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), text)


@lru_cache(maxsize=1 << 12)  # posixpath.relpath is slow, and charter pages ask the same links
def rel_link(from_src: str, to_src: str, anchor: str | None = None) -> str:
    """Link from the page whose source is `from_src` to `to_src` (both relative to docs/).

    Markdown links to .md files are checked by `mkdocs build --strict` and rewritten by MkDocs
    for directory URLs or for the offline build's .html files.
    """
    target = posixpath.relpath(to_src, posixpath.dirname(from_src) or ".")
    return target + (f"#{anchor}" if anchor else "")
