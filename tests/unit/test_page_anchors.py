"""A charter page's anchors and the anchors its links point to, held as numbered bits
(render/html.py): the same answers as the sets of strings they replace."""

from __future__ import annotations

from charte_ia.render.html import AnchorBits, AnchorSet, _page_anchors, _why_anchors


def test_a_pages_anchors_answer_as_a_set_of_strings() -> None:
    anchors = AnchorSet("charte-x", _page_anchors(("usages",), ("outils", "donnees")))
    assert set(anchors) == {"charte-x", "sec-usages", "clause-outils", "clause-donnees"}
    assert len(anchors) == 4
    for present in ("charte-x", "sec-usages", "clause-outils", "clause-donnees"):
        assert present in anchors
    for absent in ("clause-usages", "sec-outils", "clause-", "", "charte-y", None, 3):
        assert absent not in anchors


def test_the_anchors_a_link_waits_on_that_a_page_lacks() -> None:
    page = AnchorSet("charte-vierge", _page_anchors(("usages",), ("outils", "donnees")))
    cited = _why_anchors(("donnees", "outils", "retiree"))
    assert "" in cited  # the page itself
    assert set(cited.outside(page)) == {"", "clause-retiree"}
    # Against anchors that are not numbered (a plain set), the same answer.
    assert set(cited.outside(set(page))) == {"", "clause-retiree"}
    assert list(AnchorBits.of(["clause-outils"]).outside(page)) == []
