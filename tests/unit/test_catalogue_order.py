"""The catalogue's order and the names of its pages (render/pages.py): by name as a reader sorts
it, and each page named by the range of names it holds, like a dictionary's guide words."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from charte_ia.charter.assembly import CharterSummary, Value
from charte_ia.render import pages


def summary(slug: str, name: str) -> CharterSummary:
    return CharterSummary(
        slug=slug, name=Value(name), sector=Value("x"), version=Value("1.0"), next_review=Value("x"),
        is_blank=False, version_tag="v1-0",
    )


def test_order_is_by_name_case_and_accents_aside() -> None:
    charters = [summary("z", "Élise et Cie"), summary("a", "Ville de Lyon"), summary("m", "atelier Œuvre"), summary("b", "Elise")]
    assert [c.name.text for c in pages.catalogue_order(charters)] == ["atelier Œuvre", "Elise", "Élise et Cie", "Ville de Lyon"]


def test_pages_are_named_by_the_shortest_starts_that_tell_them_apart() -> None:
    names = ["Agence Bleue", "Agence Rouge", "Agence Verte", "Boulangerie", "Café", "Zoo"]
    charters = pages.catalogue_order([summary(str(i), n) for i, n in enumerate(names)])
    assert pages.catalogue_pager(charters, 2) == ["A\u00a0– Agence R", "Agence V\u00a0– B", "C\u00a0– Z"]
    assert pages.catalogue_pager(charters) == ["A\u00a0– Z"]  # one page: first letter to last
    assert pages.catalogue_pager(charters[:1]) == ["A"]


@given(st.lists(st.text(alphabet="aAbéÉ œ-1", min_size=1, max_size=8), min_size=1, max_size=30), st.integers(1, 7))
def test_each_page_is_named_by_starts_of_its_first_and_last_names(names: list[str], size: int) -> None:
    """Whatever the names, a page's range is a start of its first name and a start of its last,
    each one that the neighbouring page's name does not share."""
    charters = pages.catalogue_order([summary(f"s{i}", n) for i, n in enumerate(names)])
    labels = pages.catalogue_pager(charters, size)
    assert len(labels) == -(-len(names) // size)
    fold = pages._fold
    for k, label in enumerate(labels):
        held = [c.name.text for c in charters[k * size : (k + 1) * size]]
        first, _, last = label.partition("\u00a0– ")
        assert held[0].startswith(first), (label, held)
        assert held[-1].startswith(last) if last else fold(held[-1]).startswith(fold(first)), (label, held)
        if k and first != held[0]:
            assert not fold(charters[k * size - 1].name.text).startswith(fold(first)), (label, held)
