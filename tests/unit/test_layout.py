"""Column widths of the office documents' tables: from what each column holds, the same in the
package (render/layout.py) and in the builder's script (engine.js, which sizes the .docx it makes
in the browser), compared on tables Hypothesis makes up."""

from __future__ import annotations

import json
import math
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from charte_ia.render import layout
from charte_ia.render.layout import TEXT_WIDTH, column_widths

ENGINE = Path(layout.__file__).parents[1] / "builder" / "assets" / "engine.js"
FONTS = Path("/usr/share/fonts/truetype/dejavu")


def test_widths_fill_the_page_and_keep_the_longest_word() -> None:
    columns = [
        ["Rôle", "Référent·e IA", "Contact en cas d’incident"],
        ["Nom et fonction", "Camille Roussel, responsable éditoriale, qui relit tout ce qui part"],
        ["Contact", "camille.roussel@example.fr"],
    ]
    widths = column_widths(columns)
    assert sum(widths) == TEXT_WIDTH
    assert widths[2] >= layout._width("camille.roussel@example.fr") + 216  # one word: never cut
    assert widths[1] > widths[0]  # the most text, the most room


def test_short_columns_share_the_width_by_their_length() -> None:
    widths = column_widths([["Usage", "Optimiser des textes"], ["Règle", "Autorisé"]])
    assert sum(widths) == TEXT_WIDTH and widths[0] > widths[1]


def test_words_too_long_for_the_page_share_it() -> None:
    widths = column_widths([["x" * 80], ["y" * 40]], total=6000)
    assert sum(widths) == 6000 and widths[0] > widths[1] > 0


def test_the_column_with_most_of_the_text_gets_the_rest_first() -> None:
    """The platforms' table of the blank charter: short names under a long header, rules of
    300 to 600 characters, a date, a status, two sources. The rules' column gets all the width
    the others' longest words leave (before: 3,006 twips, 5.3 cm, a row a page in LibreOffice)."""
    rule = "Meta affiche une étiquette d’IA sur les contenus repérés comme générés ou modifiés par l’IA, " * 5
    columns = [
        ["Réseau social (ligne à supprimer si l’organisation n’y publie pas)", "Meta (Facebook, Instagram, Threads)", "X"],
        ["Étiquetage des contenus générés par l’IA", rule, rule[:300]],
        ["Depuis", "juillet 2024", "mars 2026"],
        ["Statut", "à vérifier", "rapporté"],
        ["Sources", "Meta, étiquetage des contenus d’IA ; C2PA", "X, médias manipulés"],
    ]
    widths = column_widths(columns)
    longest = [max(layout._width(w, True) for w in c[0].split()) for c in columns]
    longest = [max(h, *(layout._width(w) for cell in c[1:] for w in cell.split())) + 216 for h, c in zip(longest, columns)]
    assert widths[1] == TEXT_WIDTH - sum(longest) + longest[1] >= 3_900, widths
    assert [w for i, w in enumerate(widths) if i != 1] == [m for i, m in enumerate(longest) if i != 1]
    # Up to half the page first; beyond it, the rest is shared by the lines' lengths again.
    widths = column_widths([["Nom", "Meta"], ["Règle", "mot " * 300], ["Note", "un mot " * 40]])
    assert widths[1] > TEXT_WIDTH // 2 and widths[2] > 2 * (layout._width("mot") + 216)


def test_a_column_with_less_than_half_the_text_is_not_favoured() -> None:
    columns = [["Rôle", "a " * 60], ["Nom", "b " * 50], ["Contact", "c " * 55]]
    widths = column_widths(columns)
    assert max(widths) < TEXT_WIDTH // 2


@pytest.mark.skipif(not (FONTS / "DejaVuSans.ttf").is_file(), reason="DejaVu introuvable")
def test_advances_are_the_fonts() -> None:
    """The table of advances is DejaVu's, read again from the fonts installed here."""
    from fontTools.ttLib import TTFont

    for name, table in (("DejaVuSans", layout.REGULAR), ("DejaVuSans-Bold", layout.BOLD)):
        font = TTFont(FONTS / f"{name}.ttf")
        cmap, metrics, em = font.getBestCmap(), font["hmtx"], font["head"].unitsPerEm
        for width, chars in table.items():
            for c in chars:
                assert math.ceil(metrics[cmap[ord(c)]][0] * layout.EM / em) == width, (name, c)


# --- the same widths in the builder's script ------------------------------------------------------

# Node runs engine.js as the page does (the script needs no browser to size a table); .ci/run
# installs it with npm.
_SERVER = """
const readline = require('readline');
require(process.argv[1]);
let engine = null;
readline.createInterface({input: process.stdin}).on('line', line => {
  const message = JSON.parse(line);
  if (message.rules) { engine = globalThis.CharteEngine({text: message.rules}); return; }
  process.stdout.write(JSON.stringify(message.tables.map(t => engine.columnWidths(t.columns, t.total))) + '\\n');
});
"""


@pytest.fixture(scope="module")
def script_widths() -> Iterator:
    node = shutil.which("node")
    if node is None:
        message = "node introuvable : apt-get install nodejs (ou npm)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from charte_ia.builder.compile import _text_rules

    process = subprocess.Popen(
        [node, "-e", _SERVER, str(ENGINE)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, encoding="utf-8"
    )
    assert process.stdin is not None and process.stdout is not None
    process.stdin.write(json.dumps({"rules": _text_rules()}) + "\n")

    def widths(tables: list[tuple[list[list[str]], int]]) -> list[list[int]]:
        assert process.stdin is not None and process.stdout is not None
        process.stdin.write(json.dumps({"tables": [{"columns": c, "total": t} for c, t in tables]}) + "\n")
        process.stdin.flush()
        return json.loads(process.stdout.readline())

    yield widths
    process.stdin.close()
    process.wait(timeout=10)


# Words as the charters have them, and anything else a value may hold: every space the split
# knows, marks, controls, letters no table lists, emoji. Not the two private-use characters
# the script puts in place of a character XML forbids (it sizes them as that character).
WORDS = ["l’organisation", "camille.roussel@example.fr", "Saint-Étienne-du-Lac", "à", "vérifier", "C2PA ;", "«", "»", "24\u00a0heures", "https://exemple.fr/a/b"]
TEXT = st.lists(
    st.one_of(st.sampled_from(WORDS), st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\ue00e\ue00f"), max_size=30)),
    max_size=40,
).map(" ".join)
COLUMNS = st.lists(st.lists(TEXT, min_size=1, max_size=8), min_size=1, max_size=6)
TABLE = st.tuples(COLUMNS, st.sampled_from([TEXT_WIDTH, TEXT_WIDTH // 2, 2_000, 100]))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.lists(TABLE, min_size=1, max_size=10))
@example([([["Réseau social (ligne à supprimer si l’organisation n’y publie pas)", "Meta"], ["Règle", "mot " * 150], ["Depuis", "mars 2024"]], TEXT_WIDTH)])
@example([([[""], ["", ""]], TEXT_WIDTH), ([["a\tb\nc", "\x01\x1f\u2028"], ["🎉 字", "\u00ad"]], TEXT_WIDTH)])
def test_the_script_lays_tables_out_as_the_package(script_widths, tables) -> None:
    got = script_widths(tables)
    for (columns, total), widths in zip(tables, got, strict=True):
        assert widths == column_widths(columns, total), columns
        assert sum(widths) == total


@settings(max_examples=200, deadline=None)
@given(COLUMNS)
def test_no_column_is_narrower_than_its_longest_word_when_the_words_fit(columns) -> None:
    widths = column_widths(columns)
    longest = [
        max([layout._width(w, True) for w in c[0].split()] + [layout._width(w) for cell in c[1:] for w in cell.split()], default=0) + 216
        for c in columns
    ]
    assert sum(widths) == TEXT_WIDTH
    if sum(longest) <= TEXT_WIDTH:
        assert all(w >= m - 1 for w, m in zip(widths, longest)), (widths, longest)
