"""Column widths of the office documents' tables: from what each column holds."""

from __future__ import annotations

from charte_ia.render.layout import TEXT_WIDTH, column_widths


def test_widths_fill_the_page_and_keep_the_longest_word() -> None:
    columns = [
        ["Rôle", "Référent·e IA", "Contact en cas d’incident"],
        ["Nom et fonction", "Camille Roussel, responsable éditoriale, qui relit tout ce qui part"],
        ["Contact", "camille.roussel@example.fr"],
    ]
    widths = column_widths(columns)
    assert sum(widths) == TEXT_WIDTH
    assert widths[2] >= len("camille.roussel@example.fr") * 125  # the address is one word: never cut
    assert widths[1] > widths[0]  # the most text, the most room


def test_short_columns_share_the_width_by_their_length() -> None:
    widths = column_widths([["Usage", "Optimiser des textes"], ["Règle", "Autorisé"]])
    assert sum(widths) == TEXT_WIDTH and widths[0] > widths[1]


def test_words_too_long_for_the_page_share_it() -> None:
    widths = column_widths([["x" * 80], ["y" * 40]], total=6000)
    assert sum(widths) == 6000 and widths[0] > widths[1] > 0
