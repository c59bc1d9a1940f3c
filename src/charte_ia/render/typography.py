"""French typography and number formatting, shared by the site and every download."""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Sequence
from functools import lru_cache

NBSP = "\u00a0"  # before « : » and « % », and as thousands separator
NNBSP = "\u202f"  # narrow: before ; ! ? and inside « »

# Not after "-": `| --: |` is the alignment row of a Markdown table (a space there breaks it).
_BEFORE_COLON = re.compile(r"(?<=[^\s\u00a0\u202f(\[/:\-])[ \u00a0\u202f]?:(?=\s|$)")
_BEFORE_TIGHT = re.compile(r"(?<=[^\s\u00a0\u202f(\[/!?;])[ \u00a0\u202f]?([;!?])(?=\s|$|[»)\]])")
_BEFORE_PERCENT = re.compile(r"(?<=\d)[ \u00a0\u202f]?%")
# « 37 500 euros »: a space between groups of three digits is a thousands separator.
_DIGIT_GROUP = re.compile(r"(?<=\d) (?=\d{3}(?!\d))")
# A number and its unit stay on one line: « 72 heures », « 4 500 euros », « 30 % ».
_NUMBER_UNIT = re.compile(
    r"(?<=\d) (?=(?:heures?|h|minutes?|jours?|semaines?|mois|ans?|années?|euros?|€|points?|pays)\b|€)"
)
_OPEN_QUOTE = re.compile(r"«[ \u00a0\u202f]?")
_CLOSE_QUOTE = re.compile(r"[ \u00a0\u202f]?»")


def fr_typo(text: str) -> str:
    """Put the non-breaking spaces French asks for; idempotent, leaves URLs and times alone."""
    # The same clause texts and labels come back in every charter: cache those, but not whole
    # documents (render_markdown passes one), which would only fill memory.
    return _fr_typo_cached(text) if len(text) <= 2000 else _fr_typo(text)


# 4,096 texts hold what recurs page after page (the library's); an organisation's own texts
# seldom come back, and a larger cache mostly kept them: at 2,000 organisations 65,536 held
# 35,000 texts (13 MB, growing with N) for 6,300 misses fewer out of 461,000 calls (0.1 s).
@lru_cache(maxsize=1 << 12)
def _fr_typo_cached(text: str) -> str:
    return _fr_typo(text)


# In order, each (expression, replacement template): the builder's page applies the same list
# (charte_ia.builder.compile), so that its documents are typeset as the build's.
FR_TYPO_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (_BEFORE_COLON, NBSP + ":"),
    (_BEFORE_TIGHT, NNBSP + r"\1"),
    (_BEFORE_PERCENT, NBSP + "%"),
    (_DIGIT_GROUP, NBSP),
    (_NUMBER_UNIT, NBSP),
    (_OPEN_QUOTE, "«" + NNBSP),
    (_CLOSE_QUOTE, NNBSP + "»"),
)


def _fr_typo(text: str) -> str:
    for pattern, replacement in FR_TYPO_RULES:
        text = pattern.sub(replacement, text)
    return text


def format_number(value: float, decimals: int = 0) -> str:
    """4281 -> '4 281' (non-breaking space), 1.5 -> '1,5'."""
    text = f"{value:,.{decimals}f}".replace(",", NBSP).replace(".", ",")
    return text


def join_fr(items: Sequence[str], conjunction: str = "et") -> str:
    """['a', 'b', 'c'] -> 'a, b et c'."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {conjunction} " + items[-1]


_INNER_JOINS = re.compile(r",|;| et | ou ")


def join_items(items: Sequence[str], labels: bool = False) -> str:
    """A list of values in a sentence: 'a, b et c'; when an item holds its own comma or « et »,
    'a ; b ; c', which cannot be misread. `labels`: the items are labels of the kit, whose
    capital only began the label, so items after the first lose it ('Créer des textes' ->
    'créer des textes'; 'IA' stays); an organisation's values keep theirs (names)."""
    if labels and items:
        items = [items[0], *(lower_first(item) for item in items[1:])]
    if any(_INNER_JOINS.search(item) for item in items):
        return " ; ".join(items)
    return join_fr(items)


def lower_first(text: str) -> str:
    """'Référent IA' -> 'référent IA'; an acronym or a name in capitals ('IA', 'DPO') is left as is."""
    if len(text) > 1 and text[0].isupper() and not text[1].isupper():
        return text[0].lower() + text[1:]
    return text


def upper_first(text: str) -> str:
    """'maire' -> 'Maire', for a value that opens a table cell; a letter whose capital is two
    letters ('ß' -> 'SS') is left as is."""
    up = text[:1].upper()
    return up + text[1:] if len(up) == 1 else text


def elide_de(text: str) -> str:
    """'de' before a word: 'd’août 2023', 'de mars 2024'."""
    return ("d’" if text[:1].lower() in "aeiouyhâàéèêëîïôöûüœ" else "de ") + text


def de_name(text: str) -> str:
    """'de' before a name as a sentence says it: 'de la Ville…', 'de l’agence…', 'd’Acme', and
    the article contracted: 'du Comité…' ('le Comité…'), 'des Ateliers…' ('Les Ateliers…')."""
    for article, contracted in (("le ", "du "), ("les ", "des ")):
        if text[: len(article)].lower() == article:
            return contracted + text[len(article) :]
    return elide_de(text)


# What fr_typo_html leaves alone: these elements (with what they hold) and comments.
_SKIPPED = re.compile(
    r"<(script|style|pre|code|kbd|samp|textarea|svg)\b[^>]*(?<!/)>.*?</\1\s*>|<!--.*?-->", re.S | re.I
)
# A text node holding a character fr_typo acts on; `&` too, so that entities are read (`&#58;`
# is a colon).
# Starts with a literal ">" and does not backtrack: three times faster than `(^|>)[^<]*[...]`.
_TYPO_TEXT = re.compile(r">([^<:;!?%«»&]*[:;!?%«»&][^<]*)")
_BLANK_LINES = re.compile(r"\n[ \t\r\n]*")

# A text node that starts with the punctuation that follows an inline tag: `<b>Note</b> : x`.
_AFTER_TAG = re.compile(r"^[ \u00a0\u202f]?([:;!?])(?=\s|$)")


def _nbsp_before(match: re.Match[str]) -> str:
    return (NBSP if match.group(1) == ":" else NNBSP) + match.group(1)


def fr_typo_fragment(text: str) -> str:
    """fr_typo for a piece of text that follows other text (a tag, a value): punctuation at its
    very start gets its non-breaking space too, as in `<b>Note</b> : x` or `{{ value }} : x`."""
    return fr_typo(_AFTER_TAG.sub(_nbsp_before, text))


def fr_typo_html(html_text: str) -> str:
    """Apply fr_typo to the text nodes of an HTML page, never inside code, scripts or styles.

    On the way, a line break and the blanks after it (the theme's indentation) become one line
    break: the browser shows the same page, and a charter page is 8 KB lighter. Only ASCII
    blanks: a non-breaking space is text. Regular expressions over whole stretches of
    the page, not a Python loop over its 2,000 nodes: it runs on every page of every build."""
    out: list[str] = []
    pos = 0
    for skipped in _SKIPPED.finditer(html_text):
        out += (_typeset(html_text[pos : skipped.start()]), skipped.group(0))
        pos = skipped.end()
    out.append(_typeset(html_text[pos:]))
    return "".join(out)


def fr_typo_html_around(page: str, done: str) -> str:
    """fr_typo_html of a page that holds `done`, a part typeset already: only what is around it
    is typeset. The result is the same, as typesetting goes text node by text node and `done`
    opens and closes with a tag (a blank after its last tag goes with what follows it)."""
    core = done.rstrip(" \t\r\n")
    start = page.find(core) if core.startswith("<") and core.endswith(">") else -1
    if start < 0:
        return fr_typo_html(page)
    end = start + len(core)
    return fr_typo_html(page[:start]) + core + fr_typo_html(page[end:])


def _typeset(stretch: str) -> str:
    # The stretch starts after a tag or a skipped element: a ">" in front makes its first text
    # node one like the others (a page's very first character is never text: `<!doctype html>`).
    return _BLANK_LINES.sub("\n", _TYPO_TEXT.sub(_typeset_node, ">" + stretch)[1:])


def _typeset_node(match: re.Match[str]) -> str:
    text = match.group(1)
    return ">" + (_typeset_text(text) if len(text) <= 2000 else _typeset_text.__wrapped__(text))


@lru_cache(maxsize=1 << 12)  # bounded as _fr_typo_cached, for the same reason
def _typeset_text(text: str) -> str:
    # Text that follows a tag, hence fr_typo_fragment. The same nodes (a clause's sentences, the
    # theme's labels) come back on page after page: cached, as fr_typo is.
    return html.escape(fr_typo_fragment(html.unescape(text)), quote=False)


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
    """date(2025, 3, 1) -> '1ᵉʳ mars 2025'; the day and the month on one line."""
    day = "1\u1d49\u02b3" if value.day == 1 else str(value.day)  # « 1ᵉʳ »
    return f"{day}{NBSP}{_MONTHS[value.month - 1]} {value.year}"


def revision_name(revision: str) -> str:
    """How a text names a revision of the clause library: '2026-12' -> 'décembre 2026' (never an
    ISO date in French text); another identifier as it is."""
    return format_month(revision) if re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", revision) else revision


def revision_words(revision: str, published: dt.date) -> str:
    """What follows « révision » when a text names a revision of the clause library: '2026-12' ->
    'de décembre 2026'; another identifier -> its day ('du 3 mars 2027'): a reader never sees
    an identifier, which only the data and the JSON keep."""
    if re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", revision):
        return elide_de(revision_name(revision))
    return f"du {format_date(published)}"


def format_month(value: str) -> str:
    """'2024-07' -> 'juillet 2024', '2024-06-13' -> '13 juin 2024', '2024' -> '2024': never an ISO
    date in French text."""
    parts = [int(p) for p in value.split("-")]
    if len(parts) == 3:
        return format_date(dt.date(*parts))
    if len(parts) == 2:
        return f"{_MONTHS[parts[1] - 1]} {parts[0]}"
    return str(parts[0])
