"""The builder's names, in Chromium: the download names are the slug `new` would choose
(python-slugify), and two values are the same one when `check` says so (loader.name_key)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from charte_ia.builder.names import RANGES
from charte_ia.data.loader import name_key
from charte_ia.data.slugs import SLUG_MAX, slug_for

from .test_builder import READY, PAGE

pytestmark = pytest.mark.browser

NAMES = [
    "Société Générale",
    "La Boutique d’Élise",
    "L'Œuvre des Cœurs — Æsop & Fils",
    "Straße Müller GmbH",
    "ﬁdèle ﬂeur ﬀ Ǆemal",
    "Ångström Øresund Łódź Đurđevac",
    "Ça coûte 3,5 € « TTC » … ou £10",
    "Crêperie « Ty Breizh » n° 1",
    "Pixel &amp; Plume &eacute;ditions &#233;t&#xE9; &#99999999; &nbsp;fin",
    "Agence    --  multiple   espaces  ’’ '' ",
    "Þórr Ðóttir ẞ ß ĳ Ŋ ŉ",
    "™ ℠ ℡ № ½ ¼ ² ³ ° ± × ÷",
    "1,5 et 2,0 et a,b",
    "x" * 90,
    "mot " * 30,
    "Un nom très long pour une organisation qui dépasse la limite de quatre-vingts caractères du slug",
    "«»",
    "’",
    "",
]

BATCH = """(names) => names.map(n => window.CharteBuilder.slug(n))"""

# Every character the page knows, ASCII included, as names mix them.
_ALPHABET = st.one_of(
    st.characters(min_codepoint=0x20, max_codepoint=0x7E),
    *(st.characters(min_codepoint=a, max_codepoint=b, exclude_categories=("Cs",)) for a, b in RANGES),
)


def test_download_names_are_the_slugs_new_chooses(hosted, visit_factory):
    visit = visit_factory(hosted)
    page = visit.open(PAGE)
    page.wait_for_function(READY)
    got = page.evaluate(BATCH, NAMES)
    assert got == [slug_for(n) for n in NAMES]
    assert all(len(s) <= SLUG_MAX for s in got)

    @settings(max_examples=150, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
    @given(st.lists(st.text(_ALPHABET, min_size=1, max_size=120), min_size=1, max_size=20))
    def same_as_python(names):
        assert page.evaluate(BATCH, names) == [slug_for(n) for n in names]

    same_as_python()
    visit.check_clean()


KEYS = """(names) => names.map(n => window.CharteBuilder.nameKey(n))"""


def test_values_twice_in_a_list_are_found_as_check_finds_them(hosted, visit_factory):
    visit = visit_factory(hosted)
    page = visit.open(PAGE)
    page.wait_for_function(READY)
    fixed = ["Straße", "STRASSE", "ẞ", "ı", "I", "İstanbul", "ﬁn", "ΣΑΣ", "ς", "  Outil\u00a0A ", "outil a", "Ǆ", "ǆ"]
    assert page.evaluate(KEYS, fixed) == [name_key(n) for n in fixed]
    spaces = st.sampled_from(" \t\n\u00a0\u2009\u3000\x85\u2028")

    @settings(max_examples=100, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
    @given(st.lists(st.text(st.one_of(_ALPHABET, spaces), min_size=1, max_size=40), min_size=1, max_size=20))
    def same_as_python(names):
        assert page.evaluate(KEYS, names) == [name_key(n) for n in names]

    same_as_python()
    visit.check_clean()
