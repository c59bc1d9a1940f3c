"""The search index must not grow with a copy of the clause library per organisation."""

from __future__ import annotations

import json


def test_clauses_are_indexed_once_and_organisations_by_name(built_site) -> None:
    docs = json.loads((built_site.site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    clause_sentence = "pour fixer les règles d’utilisation de l’intelligence artificielle générative"
    with_clause = {doc["location"].split("#")[0] for doc in docs if clause_sentence in doc["text"]}
    assert with_clause == {"chartes/modele/"}, with_clause
    for name, page in (
        ("Pixel", "chartes/agence-pixel-et-plume/"),
        ("Saint-Étienne-du-Lac", "chartes/ville-de-saint-etienne-du-lac/"),
    ):
        assert any(doc["location"].startswith(page) and name in doc["text"] + doc["title"] for doc in docs), name
