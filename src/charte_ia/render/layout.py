"""Page and table layout shared by the office documents (.docx, .odt): A4, French margins, and
column widths worked out from what the columns hold.

Word and LibreOffice both keep the column widths they are given (Word's own autofit is not
applied until a table is edited, and LibreOffice never applies it), so the widths are computed
here, the way a browser lays out a table: no column narrower than its longest word, the rest of
the width shared by how long each column's lines would be. But a column that holds most of the
table's text (a rule beside short names and dates) gets that rest first, up to half the width:
its lines stay long enough to read, and its rows do not take a page each.
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

# Each character's advance in an 11 pt body, in twips rounded up, grouped by width: DejaVu Sans
# and DejaVu Sans Bold (header cells are bold), what LibreOffice shows without Calibri or a
# look-alike. Their letters are wider than Calibri's, Carlito's and Liberation Sans's, so that a
# word measured here is not cut by the word processor. Read with fontTools from DejaVu 2.37
# (tests/unit/test_layout.py reads them again where the fonts are installed); any other
# character counts as an em. And the padding of a cell, both sides.
EM = 220
REGULAR = {
    44: "\u202f\u2009", 61: "'", 62: "ijlìíîïĩīĭįıĵĺļ", 63: "ł", 65: "IJÌÍÎÏĨĪĬĮİĴ", 70: " ,.\xa0·‘’‚",
    75: "/:;\\|¦", 76: "ŀ", 78: "fſ", 80: "-\xad\u2010\u2011", 83: "ľ", 86: "()[]", 87: "tţťŧ", 88: "‹›",
    89: "!¡²³¹", 91: "rŕŗř", 102: "\"", 104: "ªº", 110: "*_`§¨¯°´¸–", 114: "“”„", 115: "sśŝşš", 116: "zźżž",
    117: "?¿", 121: "cçćĉċč", 123: "LĳĹĻĽĿ", 124: "Ł", 127: "F", 128: "kķĸ", 130: "Ĳ•", 131: "vxyýÿŷ",
    133: "P", 134: "Þ", 135: "TYao«»ÝàáâãäåðòóôõöøāăąōŏőŢŤŦŶŸ", 136: "eèéêëēĕėęě", 139: "ß",
    140: "$0123456789ESbdghnpqu{}¢£¤¥µ¶ÈÉÊËñùúûüþďđĒĔĖĘĚĝğġģĥńņňŋŚŜŞŠũūŭůűų€", 145: "KĶ",
    151: "ABVXZÀÁÂÃÄÅĀĂĄŹŻŽ", 153: "RħŔŖŘ", 154: "CÇĆĈĊČ", 162: "UÙÚÛÜŨŪŬŮŰŲ", 165: "NÑŃŅŇŊ", 166: "HĤ",
    170: "DĎ", 171: "GÐĐĜĞĠĢ", 172: "&", 174: "OQÒÓÔÕÖØŌŎŐ", 179: "ŉ", 180: "wŵ", 185: "#+<=>^~¬±×÷−",
    190: "M", 202: "Ħ", 210: "%", 214: "¼½¾", 215: "mÆ", 217: "æ", 218: "WŴ", 220: "@©®—…", 226: "œ",
    236: "Œ",
}  # fmt: skip
BOLD = {
    44: "\u202f\u2009", 68: "'", 76: "ijlìíîïĩīĭįıĵĺļ", 77: " \xa0", 81: "/\\|¦", 82: "IJÌÍÎÏĨĪĬĮİĴł",
    84: ",.·‘’‚", 88: ":;", 91: "‹›", 92: "-\xad\u2010\u2011", 96: "fſ", 97: "²³¹", 101: "!()[]¡",
    106: "tľţťŧ", 109: "rŕŗř", 110: "_`§¨¯°´¸–", 115: "\"", 116: "*", 123: "ŀ", 125: "ªº", 128: "?¿",
    129: "zźżž", 131: "csçćĉċčśŝşš", 140: "¤¶", 141: "LĹĻĽĿ•", 142: "xŁ", 143: "«»", 144: "vyýÿŷ",
    145: "“”„", 147: "kķĸ", 149: "aàáâãäåāăą", 150: "eèéêëēĕėęě", 151: "EFTÈÉÊËĒĔĖĘĚĳŢŤŦ",
    152: "oðòóôõöøōŏő", 154: "$0123456789¢£¥€", 157: "hnu{}ñùúûüĥńņňŋũūŭůűų", 158: "bdgpqþďđĝğġģ",
    159: "SßŚŜŞŠ", 160: "YZÝŶŸŹŻŽ", 162: "CPµÇĆĈĊČ", 163: "Þ", 164: "Ĳ", 168: "B", 170: "RXŔŖŘ",
    171: "AKVÀÁÂÃÄÅĀĂĄĶ", 174: "ħ", 179: "UÙÚÛÜŨŪŬŮŰŲ", 181: "GĜĞĠĢ", 183: "DĎ",
    185: "#+<=>HN^~¬±ÐÑ×÷ĐĤŃŅŇŊ−", 188: "OQÒÓÔÕÖØŌŎŐ", 192: "&", 204: "wŵ", 215: "Ħ", 217: "ŉ", 219: "M",
    220: "@©®—…", 221: "%", 228: "¼½¾", 230: "m", 231: "æ", 239: "Æ", 241: "œ", 243: "WŴ", 257: "Œ",
}  # fmt: skip
_CELL_PADDING = 2 * 108
_ADVANCES = [{c: w for w, chars in table.items() for c in chars} for table in (REGULAR, BOLD)]


def _width(text: str, bold: bool = False) -> int:
    """The width of `text` on one line, in twips."""
    advances = _ADVANCES[bold]
    return sum(advances.get(c, EM) for c in text)


def column_widths(columns: Sequence[Sequence[str]], total: int = TEXT_WIDTH) -> list[int]:
    """Widths (twips, summing to `total`) for columns given as their cells' texts, header first.

    Each column gets at least the width of its longest word (an e-mail address is one word).
    A column holding more than half the cells' text gets the rest first, up to half of `total`
    or its longest line; what is left goes to each column in proportion to its longest line
    beyond what it has, as CSS's automatic table layout does. When even the longest words do
    not fit, they share the width by their length."""
    minimum, natural, amount = [], [], []
    for header, *cells in columns:
        words = [_width(w, True) for w in header.split()] + [_width(w) for c in cells for w in c.split()]
        minimum.append(max(words, default=0) + _CELL_PADDING)
        lines = [_width(header, True), *(_width(c) for c in cells)]
        natural.append(max(max(lines) + _CELL_PADDING, minimum[-1]))
        amount.append(sum(lines[1:]))
    if sum(natural) <= total:
        widths = [n * total / sum(natural) for n in natural]
    elif sum(minimum) >= total:
        widths = [m * total / sum(minimum) for m in minimum]
    else:
        widths = list(minimum)
        spare = total - sum(minimum)
        most = amount.index(max(amount))
        if 2 * amount[most] > sum(amount):
            given = max(0, min(spare, min(natural[most], total // 2) - widths[most]))
            widths[most] += given
            spare -= given
        extra = [n - w for n, w in zip(natural, widths, strict=True)]
        widths = [w + spare * e / sum(extra) for w, e in zip(widths, extra, strict=True)]
    out = [int(w) for w in widths]
    out[-1] += total - sum(out)  # rounding
    return out
