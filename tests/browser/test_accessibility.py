"""axe-core (npm, pinned in package-lock.json) on every kind of page, in both palettes.

Zero violations of WCAG 2.0, 2.1 and 2.2 A and AA, and of axe's best practices. Faults are fixed
where they come from (overrides/, docs/assets/charte-ia.css), never by turning rules off.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .conftest import SCHEMES, SEARCH_READY, root_conftest, served

pytestmark = pytest.mark.browser

KINDS = {
    "accueil": "",
    "chiffres": "chiffres/",
    "recommandations": "recommandations/",
    "catalogue": "chartes/",
    "charte": "chartes/agence-pixel-et-plume/",
    "charte-vierge": "chartes/modele/",
    "versions": "chartes/agence-pixel-et-plume/versions/",
    "version": "chartes/agence-pixel-et-plume/versions/1.1/",
    "changements": "chartes/agence-pixel-et-plume/versions/1.1/changements/",
    "essentiel": "chartes/agence-pixel-et-plume/essentiel/",
    "404": "404.html",
    # The other pages too: they are few, and each has its own content.
    "mode-d-emploi": "chartes/mode-d-emploi/",
    "sources": "sources/",
    "mentions": "mentions/",
    "donnees": "donnees/",
}
# Pages that exist only while a current text differs from its last release: read on a copy whose
# library moved on after it (tests/conftest.py), since the examples' texts may all be released.
CHANGED_KINDS = {"changements-actuels": "chartes/agence-pixel-et-plume/versions/changements/"}
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
AXE_RUN = """(tags) => axe.run(document, {
  runOnly: {type: 'tag', values: tags},
  resultTypes: ['violations'],
}).then(r => r.violations.map(v => ({
  id: v.id, impact: v.impact, help: v.help,
  nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' : ' + n.failureSummary.replace(/\\s+/g, ' ')),
  count: v.nodes.length,
})))"""


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"- {v['id']} ({v['impact']}, {v['count']} éléments) : {v['help']}")
        lines.extend(f"    {node}" for node in v["nodes"])
    return "\n".join(lines)


@pytest.mark.parametrize("palette", list(SCHEMES))
@pytest.mark.parametrize("kind", list(KINDS))
def test_no_axe_violation(hosted, visit_factory, axe_script, kind, palette):
    _no_violation(visit_factory(hosted, color_scheme=palette), axe_script, KINDS[kind], kind, palette)


@pytest.fixture(scope="module")
def changed_site(library_moved):
    with served(library_moved.after.site) as site:
        yield site


@pytest.mark.parametrize("palette", list(SCHEMES))
@pytest.mark.parametrize("kind", list(CHANGED_KINDS))
def test_no_axe_violation_on_the_changes_of_a_current_text(changed_site, visit_factory, axe_script, kind, palette):
    _no_violation(visit_factory(changed_site, color_scheme=palette), axe_script, CHANGED_KINDS[kind], kind, palette)


def _no_violation(visit, axe_script, path: str, kind: str, palette: str) -> None:
    page = visit.open(path)
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", SCHEMES[palette])
    page.add_script_tag(path=str(axe_script))
    violations = page.evaluate(AXE_RUN, TAGS)
    assert not violations, f"{kind}, thème {palette} :\n{describe(violations)}"
    visit.check_clean()


@pytest.mark.parametrize("palette", list(SCHEMES))
def test_no_axe_violation_in_search_results(hosted, visit_factory, axe_script, palette):
    """The search dialog, open on results with highlighted words."""
    visit = visit_factory(hosted, color_scheme=palette)
    page = visit.open("")
    box = page.locator(".md-search__input")
    box.click()
    page.wait_for_function(SEARCH_READY)
    box.press_sequentially("charte")
    expect(page.locator(".md-search-result__item mark").first).to_be_visible()
    # The dialog and its results fade in: colours measured mid-transition are blends (axe saw
    # 3.6:1 and 4.3:1 for text that reads 4.6:1 and more once shown), so wait for the end.
    page.evaluate("() => Promise.all(document.getAnimations().map(a => a.finished))")
    page.add_script_tag(path=str(axe_script))
    violations = page.evaluate(AXE_RUN, TAGS)
    assert not violations, f"recherche, thème {palette} :\n{describe(violations)}"
    visit.check_clean()


@pytest.fixture(scope="module")
def paged_catalogue(tmp_path_factory):
    """A site of 120 organisations: the catalogue has a second page and links between pages."""
    helpers = root_conftest()
    root = helpers.copy_project(tmp_path_factory.mktemp("paged") / "project")
    for i in range(117):
        (root / "data" / "organizations" / f"org-{i:03d}.yml").write_text(f'name: "Org {i:03d}"\n', encoding="utf-8")
    result = helpers.build(root)
    assert result.returncode == 0, result.output
    with served(result.site) as site:
        yield site


@pytest.mark.parametrize("palette", list(SCHEMES))
@pytest.mark.parametrize("path", ["chartes/", "chartes/page-2/"])
def test_no_axe_violation_on_catalogue_pages(paged_catalogue, visit_factory, axe_script, path, palette):
    visit = visit_factory(paged_catalogue, color_scheme=palette)
    page = visit.open(path)
    expect(page.locator('.cia-pager a[aria-current="page"]').first).to_be_visible()
    page.add_script_tag(path=str(axe_script))
    violations = page.evaluate(AXE_RUN, TAGS)
    assert not violations, f"{path}, thème {palette} :\n{describe(violations)}"
    visit.check_clean()
