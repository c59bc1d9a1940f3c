"""The page's download names: the organisation's slug as `new` chooses it (data/slugs.py).

python-slugify transliterates with text-unidecode, whose table spans all of Unicode and would
outweigh the page. The page gets the part of it that names written in French use: Latin letters
(ligatures, ß, accents), combining accents, punctuation, currency and letter-like symbols, each
character's output read from python-slugify's own transliteration, and the HTML entities it
decodes. The script follows python-slugify's steps with them; a character outside these ranges
(Greek, Cyrillic, CJK...) is left out of the page's name, where `new` would transliterate it.
"""

from __future__ import annotations

import re
import unicodedata
from html.entities import name2codepoint
from typing import Any

from slugify._legacy import _transliterate

from charte_ia.data.slugs import SLUG_MAX, SLUG_REPLACEMENTS

RANGES = (
    (0x0080, 0x024F),  # Latin-1 and Latin Extended-A and B
    (0x0300, 0x036F),  # combining accents
    (0x1E00, 0x1EFF),  # Latin Extended Additional
    (0x2000, 0x206F),  # general punctuation
    (0x20A0, 0x20CF),  # currency symbols
    (0x2100, 0x214F),  # letter-like symbols
)

# What the later steps tell apart in a transliteration: letters (case matters to the entities
# decoded next), digits, and what takes part in an entity, a number or a quote; any other run
# becomes one dash, as it would.
_OTHER = re.compile(r"[^A-Za-z0-9&;#,']+")


def slug_rules() -> dict[str, Any]:
    """For the script: each transliteration with the characters that give it, and the named
    entities python-slugify decodes."""
    # What a name of these ranges holds once decomposed, as the script and python-slugify do
    # first (µ becomes Greek μ), and what gives nothing left out (the script drops a character
    # it does not find).
    found = {c for first, last in RANGES for code in range(first, last + 1) for c in unicodedata.normalize("NFKD", chr(code))}
    chars: dict[str, list[str]] = {}
    for char in sorted(found):
        out = _transliterate(char, "auto")
        if not char.isascii() and out:
            chars.setdefault(_OTHER.sub("-", out), []).append(char)
    # The entities in the order of their characters, each with the step from the one before
    # when it is not 1: "quot:34 amp:4 lt:22 gt:2 nbsp:98 iexcl cent..."
    entities, previous = [], 0
    for name, code in sorted(name2codepoint.items(), key=lambda item: item[1]):
        entities.append(name if code - previous == 1 else f"{name}:{code - previous}")
        previous = code
    return {
        "max": SLUG_MAX,
        "replacements": [list(r) for r in SLUG_REPLACEMENTS],
        "chars": {out: "".join(group) for out, group in chars.items()},
        "entities": " ".join(entities),
    }
