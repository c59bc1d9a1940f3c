"""Organisation slugs: derived from the file name, safe as a folder name in the built site."""

from __future__ import annotations

import re

from slugify import slugify

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SLUG_MAX = 80  # characters: a slug is a folder name and part of every download's file name
SLUG_RULE = "minuscules sans accents, chiffres et tirets simples (ex. « agence-dupont »)"
# An apostrophe separates words in French: "d’Élise" -> "d-elise", as a person would write it.
SLUG_REPLACEMENTS = (("’", "-"), ("'", "-"))


def is_valid_slug(slug: str) -> bool:
    return bool(SLUG_PATTERN.fullmatch(slug)) and len(slug) <= SLUG_MAX


def slug_for(name: str) -> str:
    """'Société Générale' -> 'societe-generale' (python-slugify handles accents and any Unicode)."""
    return slugify(name, max_length=SLUG_MAX, word_boundary=True, replacements=SLUG_REPLACEMENTS)


# Pages of the kit that live beside the organisations' pages in chartes/, and the catalogue's
# further pages (page-2, page-3, ...: pages.catalogue_src).
RESERVED_SLUGS = frozenset({"index", "modele", "mode-d-emploi", "changements", "creer"})
_CATALOGUE_PAGE = re.compile(r"page-[0-9]+")


def is_reserved_slug(slug: str) -> bool:
    return slug in RESERVED_SLUGS or bool(_CATALOGUE_PAGE.fullmatch(slug))
