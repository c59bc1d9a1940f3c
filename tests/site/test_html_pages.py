"""Charter pages are HTML made from the Charter model (render.html), not Markdown that MkDocs
converts: same headings and anchors as the model says, a table of contents in the phone's
drawer, links checked like `--strict` checks Markdown links, search entries from the model."""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import yaml
from hypothesis import given
from hypothesis import strategies as st
from sitecheck import build, copy_project, page_file

from charte_ia.charter.assembly import assemble
from charte_ia.data.loader import load_project
from charte_ia.render.html import PageLinks, page_url
from charte_ia.render.jinja import html_text
from charte_ia.render.pages import clause_anchor, section_anchor

ROOT = Path(__file__).resolve().parents[2]
ORGS = ("agence-pixel-et-plume", "la-boutique-d-elise", "ville-de-saint-etienne-du-lac")


def _project():
    return load_project(ROOT / "data")


def test_headings_and_anchors_come_from_the_model(built_site) -> None:
    project = _project()
    for entry in [None, *project.organizations]:
        charter = assemble(project, entry)
        text = built_site.page(f"chartes/{charter.slug}/")
        article = text.split('<article class="md-content__inner md-typeset">', 1)[1].split("</article>", 1)[0]
        assert article.count("<h1 ") == 1
        h2 = re.findall(r'<h2 class="cia-section" id="([^"]+)">', article)
        assert h2 == [section_anchor(s.id) for s in charter.sections]
        h3 = re.findall(r'<h3 id="([^"]+)"', article)
        assert h3 == [clause_anchor(c.id) for s in charter.sections for c in s.clauses]
        # The sidebar's table of contents lists the sections, in order.
        toc = text.split('class="md-nav md-nav--secondary"', 1)[1].split("</nav>", 1)[0]
        assert re.findall(r'href="#(sec-[^"]+)"', toc) == h2


def test_organisation_pages_have_the_phone_table_of_contents(built_site) -> None:
    """Below 960 px the drawer is the table of contents: the page is an item of the primary nav,
    with the `__toc` toggle its label points to (the Nu checker flagged a dangling label)."""
    for slug in ORGS:
        text = built_site.page(f"chartes/{slug}/")
        primary = text.split('class="md-nav md-nav--primary', 1)[1].split('<div class="md-content"', 1)[0]
        assert 'id="__toc"' in primary, slug
        assert len(re.findall(r'href="#sec-[^"]+"', primary)) >= 15, slug
        ids = set(re.findall(r'\bid="([^"]+)"', text))
        for target in re.findall(r'<label[^>]* for="([^"]+)"', text):
            assert target in ids, (slug, target)


def test_no_markdown_is_converted_for_charter_pages(tmp_path: Path) -> None:
    """A build counts Python-Markdown's conversions: one per hand-written page, none for the
    charters (an organisation is added so that there are more charters than pages in docs/)."""
    root = tmp_path / "project"
    copy_project(root)
    for k in range(5):
        (root / "data" / "organizations" / f"ajout-{k}.yml").write_text(f'name: "Ajout {k}"\n', encoding="utf-8")
    script = """
import sys, markdown
from mkdocs.commands.build import build
from mkdocs.config import load_config
calls = []
convert = markdown.Markdown.convert
def counting(self, source):
    calls.append(1)
    return convert(self, source)
markdown.Markdown.convert = counting
build(load_config(sys.argv[1], site_dir=sys.argv[2], strict=True))
print(len(calls))
"""
    proc = subprocess.run(
        [sys.executable, "-c", script, str(root / "mkdocs.yml"), str(tmp_path / "site")],
        cwd=root,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "OFFLINE_ZIP": "false"},
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    hand_written = len([p for p in (root / "docs").rglob("*.md")])
    assert int(proc.stdout.strip().splitlines()[-1]) == hand_written
    assert (tmp_path / "site" / "chartes" / "ajout-3" / "index.html").is_file()


def test_a_link_to_a_missing_page_fails_the_strict_build(project_copy: Path) -> None:
    """The charter pages' links are checked as MkDocs checks a Markdown page's links: here the
    how-to page that the blank charter links to is gone."""
    (project_copy / "docs" / "chartes" / "mode-d-emploi.md").unlink()
    config = (project_copy / "mkdocs.yml").read_text(encoding="utf-8")
    (project_copy / "mkdocs.yml").write_text(config.replace("      - Mode d'emploi: chartes/mode-d-emploi.md\n", ""), encoding="utf-8")
    (project_copy / "docs" / "chartes" / "index.md").write_text(
        (project_copy / "docs" / "chartes" / "index.md").read_text(encoding="utf-8").replace("(mode-d-emploi.md)", ""),
        encoding="utf-8",
    )
    result = build(project_copy, env={"OFFLINE_ZIP": "false"})
    assert result.returncode != 0
    assert "contains a link to 'chartes/mode-d-emploi.md', which is not found" in result.output


def test_links_follow_the_url_style() -> None:
    hosted, offline = PageLinks("chartes", True), PageLinks("chartes", False)
    assert hosted.url("chartes/modele.md", "clause-x") == "../modele/#clause-x"
    assert offline.url("chartes/modele.md", "clause-x") == "modele.html#clause-x"
    assert hosted.url("chartes/index.md") == "../"
    assert offline.url("chartes/index.md") == "index.html"
    assert hosted.url("chiffres.md", "fig-a") == "../../chiffres/#fig-a"
    assert offline.url("chiffres.md", "fig-a") == "../chiffres.html#fig-a"
    assert hosted.download("telechargements/a.md") == "../../telechargements/a.md"
    assert offline.download("telechargements/a.md") == "../telechargements/a.md"
    assert page_url("index.md", True) == "" and page_url("chartes/page-2.md", True) == "chartes/page-2/"


@given(st.text())
def test_html_text_is_inert(value: str) -> None:
    """Any value reads back as itself and makes no tag nor entity of its own."""
    out = html_text(value)
    assert "<" not in out and ">" not in out
    assert html.unescape(out) == value.replace("\n", " ")


def test_search_entries_come_from_the_model(built_site) -> None:
    docs = json.loads((built_site.site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    by_page: dict[str, list[dict]] = {}
    for doc in docs:
        by_page.setdefault(doc["location"].split("#")[0], []).append(doc)
    agency = by_page["chartes/agence-pixel-et-plume/"]
    assert len(agency) == 1  # one entry, not one a section
    text = agency[0]["title"] + agency[0]["text"]
    for word in ("Pixel", "ChatGPT", "Firefly", "Camille Roussel", "LinkedIn", "Agence de communication"):
        assert word in text, word
    assert "adopte la présente charte" not in text  # the clause library is the blank charter's
    assert len(json.dumps(agency[0], ensure_ascii=False).encode()) < 1000
    # The blank charter is indexed by section, from its HTML: the clause library, once.
    assert len(by_page["chartes/modele/"]) > 15


def test_search_separator_splits_french_elisions() -> None:
    """The separator of mkdocs.yml, as lunr applies it (a JavaScript RegExp; the same in Python)."""
    config = yaml.safe_load(
        re.sub(r"!ENV \[[^\]]*\]", "''", (ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    )
    search = next(p["search"] for p in config["plugins"] if isinstance(p, dict) and "search" in p)
    split = lambda text: [w for w in re.split(search["separator"], text) if w]  # noqa: E731
    assert split("La Boutique d’Élise") == ["La", "Boutique", "d", "Élise"]
    assert split("l'IA générative") == ["l", "IA", "générative"]
    assert split("Saint-Étienne-du-Lac") == ["Saint", "Étienne", "du", "Lac"]


def test_charter_page_is_the_page_file(built_site) -> None:
    """Nothing of Markdown's is left in a charter page: no backslash escape, no stray syntax."""
    for slug in ORGS:
        text = page_file(built_site.site, f"chartes/{slug}/").read_text(encoding="utf-8")
        article = text.split('<article class="md-content__inner md-typeset">', 1)[1].split("</article>", 1)[0]
        assert "\\" not in article and "{ #" not in article and "](" not in article, slug
