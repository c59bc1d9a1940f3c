"""Weight of the built pages, in bytes of the files as written (facts, not timings).

An organisation's charter is mostly its clauses' text, which grows with the clause library; what
must not grow is what the page adds around it: the theme (head, header, navigation and table of
contents, footer, scripts) and the markup of each clause (heading, paragraphs, the « Pourquoi ? »
link). bench/lighthouse.py prints the whole page against its 60 KB budget.
"""

from __future__ import annotations

import re
from pathlib import Path

import lxml.html

from charte_ia.data.loader import load_project
from charte_ia.render.html import TABLE_OPEN

ROOT = Path(__file__).resolve().parents[2]
THEME_BUDGET = 16 * 1024  # everything outside <article>: 13.5 KB on the agency's page
CLAUSE_MARKUP_BUDGET = 180  # tags and attributes of the article, per clause: 166 on the agency's page


def _organisation_pages(built_site) -> dict[str, bytes]:
    slugs = [entry.slug for entry in load_project(ROOT / "data").organizations]
    assert slugs
    return {slug: (built_site.site / "chartes" / slug / "index.html").read_bytes() for slug in slugs}


def test_organisation_pages_add_little_to_their_text(built_site) -> None:
    for slug, raw in _organisation_pages(built_site).items():
        page = lxml.html.fromstring(raw)
        (article,) = page.xpath("//article")
        article_bytes = len(lxml.html.tostring(article, encoding="utf-8", with_tail=False))
        theme = len(raw) - article_bytes
        assert theme <= THEME_BUDGET, f"{slug} : le thème pèse {theme} octets hors du texte (budget {THEME_BUDGET})"
        clauses = len(article.xpath(".//h3"))
        markup = article_bytes - len(article.text_content().encode("utf-8"))
        assert clauses > 10, slug
        per_clause = markup / clauses
        assert per_clause <= CLAUSE_MARKUP_BUDGET, (
            f"{slug} : {per_clause:.0f} octets de balisage par clause (budget {CLAUSE_MARKUP_BUDGET})"
        )


def test_one_table_of_contents_and_no_inline_icon_paths(built_site) -> None:
    """Material writes a page's table of contents twice unless it is integrated in the
    navigation, and its icons as inline paths unless the stylesheet paints them."""
    pages = sorted(built_site.site.rglob("*.html"))
    assert len(pages) > 20
    for path in pages:
        text = path.read_text(encoding="utf-8")
        if 'data-md-component="container"' not in text:
            continue  # not a page of the theme (a printable form, a redirect)
        where = path.relative_to(built_site.site)
        assert text.count('data-md-component="toc"') <= 1, where
        assert "md-sidebar--secondary" not in text, where
        assert "<path" not in text.split('<article class="md-content__inner md-typeset">', 1)[0], where


def test_tables_are_written_wrapped_as_the_theme_would_wrap_them(built_site) -> None:
    """Material's script takes each table without a class out of the page and puts it back in two
    <div>s once the page has loaded, which lays a long table out twice on a phone: every table is
    written in those <div>s, with a class that the script leaves alone."""
    seen = 0
    for path in sorted(built_site.site.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        if 'data-md-component="container"' not in text:
            continue  # not a page of the theme
        tables = re.findall(r"<table[^>]*>", text)
        where = path.relative_to(built_site.site)
        assert all(t == '<table class="cia-table">' for t in tables), (where, set(tables))
        assert text.count(TABLE_OPEN) == len(tables), where
        seen += len(tables)
    assert seen > 20


def test_a_version_page_weighs_no_more_than_the_charter_page_of_its_text(built_site) -> None:
    """A version's page shows its clauses as the charter page does, their justifications and
    sources staying in its .md: where the current charter is that version word for word, the
    version's page (with what changed since the version before) is no heavier."""
    releases = ROOT / "data" / "releases"
    compared = 0
    for slug, raw in _organisation_pages(built_site).items():
        versions = sorted((p.name for p in (releases / slug).iterdir()), key=lambda v: [int(x) for x in v.split(".")]) if (releases / slug).is_dir() else []
        if not versions or "mot pour mot" not in raw.decode("utf-8"):
            continue
        page = (built_site.site / "chartes" / slug / "versions" / versions[-1] / "index.html").read_bytes()
        assert b"<p>Pourquoi cette r" not in page, slug
        assert len(page) <= len(raw), f"{slug} {versions[-1]} : {len(page)} octets, la charte {len(raw)}"
        compared += 1
    assert compared, "no organisation whose current text is its last version"
