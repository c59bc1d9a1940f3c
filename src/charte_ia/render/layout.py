"""Page and table layout shared by the office documents (.docx, .odt): A4, French margins, and
column widths worked out from what the columns hold.

Word and LibreOffice both keep the column widths they are given (Word's own autofit is not
applied until a table is edited, and LibreOffice never applies it), so the widths are computed
here, the way a browser lays out a table: no column narrower than its longest word, the rest of
the width shared by how much text each column holds.
"""

from __future__ import annotations

from collections.abc import Sequence

# A4 in twentieths of a point (twips): 21 × 29.7 cm, 2 cm margins, header and footer at 1 cm.
TWIPS_PER_CM = 567
PAGE_WIDTH = 11906
PAGE_HEIGHT = 16838
MARGIN = 2 * TWIPS_PER_CM
HEADER_DISTANCE = TWIPS_PER_CM
TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN  # 9638

# An average character of an 11 pt sans-serif body, in twips: Calibri's is about 110, DejaVu
# Sans's (what LibreOffice shows without Calibri or Carlito) about 140; header cells are bold,
# wider still. And the padding of a cell, both sides.
_CHAR = 125
_BOLD_CHAR = 155
_CELL_PADDING = 2 * 108


def _width(text: str, char: int) -> int:
    return len(text) * char + _CELL_PADDING


def column_widths(columns: Sequence[Sequence[str]], total: int = TEXT_WIDTH) -> list[int]:
    """Widths (twips, summing to `total`) for columns given as their cells' texts, header first.

    Each column gets at least the width of its longest word (an e-mail address is one word),
    then the rest in proportion to its longest cell beyond that, as CSS's automatic table
    layout does; when even the longest words do not fit, they share the width by their length."""
    minimum, natural = [], []
    for header, *cells in columns:
        words = [_width(w, _BOLD_CHAR) for w in header.split()] + [_width(w, _CHAR) for c in cells for w in c.split()]
        minimum.append(max(words, default=_CELL_PADDING))
        lines = [_width(header, _BOLD_CHAR), *(_width(c, _CHAR) for c in cells)]
        natural.append(max(max(lines), minimum[-1]))
    if sum(natural) <= total:
        widths = [n * total / sum(natural) for n in natural]
    elif sum(minimum) >= total:
        widths = [m * total / sum(minimum) for m in minimum]
    else:
        spare = total - sum(minimum)
        extra = [n - m for n, m in zip(natural, minimum, strict=True)]
        widths = [m + spare * e / sum(extra) for m, e in zip(minimum, extra, strict=True)]
    out = [int(w) for w in widths]
    out[-1] += total - sum(out)  # rounding
    return out
