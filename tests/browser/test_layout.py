"""Layout at a phone's width and wider, measured in Chromium: the change chart's values never
break inside a word, and wide tables keep their first column (what a row is about) in view and
whole while the others scroll. Words are measured one by one with DOM ranges: a word laid out on
two lines has rectangles on two lines."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

# Words split at ordinary spaces and hyphens only (« Saint-Étienne » may break after its hyphen):
# « +19 points », with a no-break space, is one word.
BROKEN_WORDS = """(selector) => {
  const broken = [];
  for (const el of document.querySelectorAll(selector)) {
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const re = /[^ \\t\\n\\-\\u2010]+/g;
      let m;
      while ((m = re.exec(node.data)) !== null) {
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        const tops = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
        if (tops.size > 1) broken.push(m[0]);
      }
    }
  }
  return broken;
}"""

# The values of the change chart: in view, inside the chart, not cut.
VALUES = """() => [...document.querySelectorAll('#chart-changes .cia-bar__value')].map(el => {
  const box = el.getBoundingClientRect(), chart = el.closest('figure').getBoundingClientRect();
  return {text: el.textContent, inside: box.left >= chart.left - 1 && box.right <= chart.right + 1,
          cut: el.scrollWidth > el.clientWidth + 1};
})"""

# After scrolling each wide table to its right end, the cell at the first column's place is
# still the first column's cell (it sticks), and it is wide enough for its words.
FIRST_COLUMN = """() => {
  const out = [];
  for (const wrap of document.querySelectorAll('.md-typeset__scrollwrap')) {
    if (wrap.scrollWidth <= wrap.clientWidth + 1) continue;  // not a wide table
    wrap.scrollLeft = wrap.scrollWidth;
    for (const row of wrap.querySelectorAll('tbody tr')) {
      const first = row.firstElementChild;
      window.scrollBy(0, first.getBoundingClientRect().top - innerHeight / 4);  // points in view only
      const box = first.getBoundingClientRect();
      const hit = document.elementFromPoint(box.left + 4, box.top + Math.min(box.height / 2, innerHeight / 2));
      out.push({text: first.textContent.trim().slice(0, 40), inView: hit !== null && first.contains(hit),
                width: box.width, height: box.height});
    }
    wrap.scrollLeft = 0;
  }
  return out;
}"""

# Every table in the wrapper Material's script would have put it in, once: the page is written so
# (render/html.py, wrap_tables), and the script leaves it alone.
WRAPPED = """() => [...document.querySelectorAll('article table')].map(t => ({
  wrapped: t.parentElement.matches('.md-typeset__table') && t.parentElement.parentElement.matches('.md-typeset__scrollwrap'),
  twice: t.closest('.md-typeset__scrollwrap').parentElement.closest('.md-typeset__scrollwrap') !== null,
  styled: getComputedStyle(t).borderTopStyle === 'solid' && getComputedStyle(t.querySelector('td, th')).paddingLeft !== '0px',
}))"""

WIDTHS = [280, 320, 360, 390, 414, 600, 768, 960, 1024, 1280, 1920]
TABLE_PAGES = {  # page -> whether it has a table wider than a phone (None: either, by its content)
    "chiffres/": True,
    "chartes/": True,
    "chartes/agence-pixel-et-plume/": None,
    "chartes/modele/": None,
}


def test_change_chart_values_never_break(hosted, visit_factory):
    visit = visit_factory(hosted)
    page = visit.new_page()
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        visit.open("chiffres/", page=page)
        values = page.evaluate(VALUES)
        assert values and all("points" in v["text"] for v in values), values
        assert page.evaluate(BROKEN_WORDS, "#chart-changes .cia-bar__value") == [], f"{width} px"
        assert all(v["inside"] and not v["cut"] for v in values), (width, values)
        # The same figures in the table under the chart.
        assert page.evaluate(BROKEN_WORDS, "article td strong") == [], f"{width} px"
    visit.check_clean()


@pytest.mark.parametrize("kind", list(TABLE_PAGES))
def test_wide_tables_keep_their_first_column_at_390_px(hosted, visit_factory, kind):
    visit = visit_factory(hosted, viewport={"width": 390, "height": 844})
    page = visit.open(kind)
    page.wait_for_selector(".md-typeset__scrollwrap", state="attached")
    tables = page.evaluate(WRAPPED)
    assert tables and all(t["wrapped"] and not t["twice"] and t["styled"] for t in tables), (kind, tables)
    cells = page.evaluate(FIRST_COLUMN)
    if TABLE_PAGES[kind] is not None:
        assert bool(cells) == TABLE_PAGES[kind], f"{kind} : tableaux plus larges que l’écran à 390 px : {len(cells)} lignes"
    # Laid out wide enough to scroll rather than squeezed into rows taller than the screen.
    tall = [(c["text"], round(c["height"])) for c in cells if c["height"] > 600]
    assert not tall, f"{kind} : lignes plus hautes que l’écran à 390 px : {tall[:5]}"
    hidden = [c["text"] for c in cells if not c["inView"]]
    assert not hidden, f"{kind} : première colonne cachée au défilement : {hidden[:5]}"
    # No word of a first column (nor of a header) is cut over two lines.
    broken = page.evaluate(BROKEN_WORDS, "article table tr > :first-child, article table th")
    assert broken == [], f"{kind} : mots coupés à 390 px : {broken[:10]}"
    visit.check_clean()
