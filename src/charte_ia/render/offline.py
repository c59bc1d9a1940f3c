"""The hosted site's files made to work from file://, as the offline zip holds them.

A server answers a folder's address (`../chiffres/`, `..`, `./`) with the folder's index.html;
file:// shows a listing instead. The offline copy keeps the hosted site's folders and names
each folder's index.html in every local link (`../chiffres/index.html`), in the pages' `href`
and `src` attributes, in the search index's locations and in the index of charters. It drops
what only the host has a use for: the elements marked `data-hosted-only` (the footer's link to
the zip itself), the canonical address and `og:url` (SITE_URL's).

The pages are our own (the theme's templates and render/html.py), so a small tokenizer that
follows the HTML syntax is enough and exact: comments, doctype, start and end tags with quoted
or bare attribute values, and the raw text of <script>, <style>, <textarea> and <title>, where
a `<` opens no tag. Everything it does not change is kept byte for byte.
"""

from __future__ import annotations

import html
import json
import re

HOSTED_ONLY = "data-hosted-only"  # an element the offline copy leaves out (overrides/partials/copyright.html)
URL_ATTRIBUTES = frozenset({"href", "src"})  # the only ones with addresses in our pages
# Addresses on the host (site_url): the offline copy has none.
_HOST_ADDRESSES = {("link", "rel", "canonical"), ("meta", "property", "og:url")}
_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
)
# The index of charters (render/json.py index_data): the keys that hold a page's address.
INDEX_PAGE_KEYS = frozenset({"page", "essentials_page", "versions"})

_ATTRS = r"""((?:[^>"']|"[^"]*"|'[^']*')*)"""  # a start tag's attributes, quoted values whole
_RAW = r"(?i:script|style|textarea|title)"  # elements whose text holds no markup
# The attribute names that bring a start tag to the pass; any other tag is skipped in the
# regex engine, never in Python (a page has a thousand tags and a hundred links).
_WATCHED = r"(?i:href|src|rel|property|" + HOSTED_ONLY + r")\b"
_UNWATCHED_TAG = (
    rf"<(?!{_RAW}[\s/>])[a-zA-Z][^\s/>]*"
    rf"""(?:\s+(?!{_WATCHED})[^\s/>="']+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>"']+))?|\s*/)*\s*>"""
)
# One token the pass looks at, after (possessively) all the text and markup it has no use for.
_MARKUP = re.compile(
    rf"(?:[^<]+|</[^>]*>|<(?![a-zA-Z!?/])|{_UNWATCHED_TAG})*+"
    r"(?:<!--.*?-->"  # a comment
    r"|<[!?][^>]*>"  # doctype, or what HTML reads as a comment
    rf"|<({_RAW})(?=[\s/>]){_ATTRS}>.*?(?=</(?i:\1)[\s/>]|\Z)"  # 1, 2: an element of raw text
    rf"|<([a-zA-Z][^\s/>]*){_ATTRS}>"  # 3, 4: a start tag
    r"|\Z)",
    re.S,
)
# Every tag, for the end of a dropped element (1: an end tag's name, 2: a start tag's).
_TAGS = re.compile(rf"<!--.*?-->|<[!?][^>]*>|</([a-zA-Z][^\s/>]*)[^>]*>|<([a-zA-Z][^\s/>]*){_ATTRS}>", re.S)
_ATTRIBUTE = re.compile(r"""([^\s/>=][^\s/>=]*)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s>]+))?""")
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def file_url(url: str) -> str:
    """A relative address of the hosted site as the offline copy writes it: a folder's address
    names its index.html (`../a/#b` -> `../a/index.html#b`, `..` -> `../index.html`, `./` ->
    `index.html`). Absolute, external and same-page addresses are kept."""
    if not url or url.startswith(("#", "/", "?")) or _SCHEME.match(url):
        return url
    cut = min((i for i in (url.find("?"), url.find("#")) if i >= 0), default=len(url))
    path, rest = url[:cut], url[cut:]
    if path.endswith("/"):
        path += "index.html"
    elif path in (".", "..") or path.endswith(("/.", "/..")):
        path += "/index.html"
    else:
        return url
    return path.removeprefix("./") + rest


def _attributes(raw: str) -> list[tuple[str, str | None, int, int]]:
    """(lower-case name, value or None, value's start and end in `raw`) of each attribute."""
    out = []
    for m in _ATTRIBUTE.finditer(raw):
        value = m.group(2)
        if value is None:
            out.append((m.group(1).lower(), None, m.end(), m.end()))
        else:
            quoted = value[0] in "\"'"
            start, end = (m.start(2) + 1, m.end(2) - 1) if quoted else (m.start(2), m.end(2))
            out.append((m.group(1).lower(), html.unescape(raw[start:end]), start, end))
    return out


def _dropped(name: str, attrs: list[tuple[str, str | None, int, int]]) -> bool:
    found = {a: v for a, v, _, _ in attrs}
    if HOSTED_ONLY in found:
        return True
    return any(name == tag and (found.get(attr) or "").lower() == value for tag, attr, value in _HOST_ADDRESSES)


def _start_of_line(text: str, at: int, floor: int) -> int:
    """Where the blank run before `at` begins, its line break included (a dropped element
    takes its own line with it), or `at` when text precedes it on its line."""
    i = at
    while i > floor and text[i - 1] in " \t":
        i -= 1
    if i > floor and text[i - 1] == "\n":
        return i - 1
    return at if i > floor else i


def _end_of(text: str, name: str, pos: int) -> int:
    """The end of the element `name` whose start tag ends at `pos` (its matching end tag)."""
    depth = 1
    for m in _TAGS.finditer(text, pos):
        if (m.group(2) or "").lower() == name:
            depth += 1
        elif (m.group(1) or "").lower() == name:
            depth -= 1
            if depth == 0:
                return m.end()
    raise ValueError(f"<{name} {HOSTED_ONLY}> sans balise de fin")


# A start tag's attributes as the offline copy writes them ("" when unchanged, None for an
# element left out), by their text: the nav and the links to the blank charter's clauses repeat
# from page to page.
_seen: dict[tuple[str, str], str | None] = {}
_SEEN_LIMIT = 1 << 12  # a few hundred kilobytes


def _rewritten(name: str, raw: str) -> str | None:
    """A start tag's attributes with their addresses rewritten ("" if none changes), or None
    for an element left out."""
    attrs = _attributes(raw)
    if _dropped(name, attrs):
        return None
    out: list[str] = []
    cursor = 0
    for attr, value, start, end in attrs:
        if attr in URL_ATTRIBUTES and value is not None:
            new = file_url(value)
            if new != value:
                out += (raw[cursor:start], html.escape(new, quote=True))
                cursor = end
    return "".join(out) + raw[cursor:] if out else ""


def offline_html(text: str) -> str:
    """A page of the hosted site as the offline copy holds it (module docstring)."""
    out: list[str] = []
    done = 0  # text[:done] is in `out` or dropped
    pos = 0
    while pos < len(text):
        m = _MARKUP.match(text, pos)
        if m is None:  # a tag left open at the end: no page of ours has one
            raise ValueError(f"balise non fermée : {text[pos : pos + 80]!r}")
        pos = m.end()
        group = 4 if m.group(3) else 2 if m.group(1) else 0
        if not group:
            continue
        raw = m.group(group)
        name = m.group(group - 1).lower()
        key = (name, raw)
        if key in _seen:
            new = _seen[key]
        else:
            if len(_seen) >= _SEEN_LIMIT:
                _seen.clear()
            new = _seen[key] = _rewritten(name, raw)
        if new is None:
            out.append(text[done : _start_of_line(text, m.start(group - 1) - 1, done)])
            end = m.end(group) + 1  # after the start tag's ">"
            done = pos = end if name in _VOID or raw.rstrip().endswith("/") else _end_of(text, name, end)
        elif new:
            out += (text[done : m.start(group)], new)
            done = m.end(group)
    out.append(text[done:])
    return "".join(out)


_JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"')
_COLON = re.compile(r"\s*:\s*")


def _json_addresses(data: str, keys: frozenset[str], ensure_ascii: bool) -> str:
    """JSON text with the string values of `keys` passed through file_url, everything else as it
    was. The JSON is read as its sequence of strings, not loaded: outside its strings JSON has no
    quote, so the strings come one after the other, and one followed by a colon is a key (the
    search index weighs 7 MB at 5,000 organisations, more than four times that as objects)."""
    out = []
    done = 0
    value_at = -1  # where the value of one of `keys` starts
    quoted = {json.dumps(key) for key in keys}  # as json.dumps writes a key
    for m in _JSON_STRING.finditer(data):
        if m.start() == value_at:
            out += (data[done : m.start()], json.dumps(file_url(json.loads(m.group()) or "./"), ensure_ascii=ensure_ascii))
            done = m.end()
        elif m.group() in quoted and (colon := _COLON.match(data, m.end())):
            value_at = colon.end()
    out.append(data[done:])
    return "".join(out)


def offline_search_index(data: str) -> str:
    """Material's search index (search/search_index.json) as the script the theme loads from
    file:// (search/search_index.js, what Material's offline plugin writes), each entry's
    location naming a file."""
    return "var __index = " + _json_addresses(data, frozenset({"location"}), ensure_ascii=True)


def offline_charters_index(data: str) -> str:
    """The index of charters (telechargements/charte-ia-chartes.json, render/json.py dumps) with
    its pages' addresses naming files."""
    return _json_addresses(data, INDEX_PAGE_KEYS, ensure_ascii=False)
