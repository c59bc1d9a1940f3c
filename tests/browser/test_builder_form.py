"""The questionnaire of « Créer ma charte » as a person uses it, in Chromium: filled with the
keyboard only, downloads, mistakes announced, a file opened with mistakes, the draft kept and
cleared, every field labelled with its help, axe in both palettes, no request to another host.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import expect

from charte_ia.charter.assembly import assemble
from charte_ia.data.loader import OrganizationEntry, load_project
from charte_ia.data.models import Organization
from charte_ia.data.slugs import slug_for
from charte_ia.mkdocs import offline
from charte_ia.render.docx import render_docx
from charte_ia.render.markdown import render_markdown

from .conftest import ROOT, SCHEMES
from .test_accessibility import AXE_RUN, TAGS, describe

pytestmark = pytest.mark.browser

PAGE = "chartes/creer/"
READY = "() => window.CharteBuilder && window.CharteBuilder.ready === true"


def _open(visit):
    page = visit.open(PAGE)
    page.wait_for_function(READY)
    return page


def _tab_to(page, selector: str, limit: int = 300) -> None:
    """Tab (forwards) until `selector` has the focus: the keyboard's way, never a click."""
    for _ in range(limit):
        if page.evaluate("(s) => !!document.activeElement && document.activeElement.matches(s)", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{selector} n’est pas atteint à la touche Tab")


def _next_step(page) -> None:
    _tab_to(page, ".cia-step:not([hidden]) .cia-step__nav .md-button--primary")
    page.keyboard.press("Enter")
    expect(page.locator(".cia-step:not([hidden]) h2")).to_be_focused()


def _build(raw: dict, monkeypatch) -> tuple[bytes, bytes]:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", offline.DEFAULT_SOURCE_DATE_EPOCH)
    project = load_project(ROOT / "data")
    charter = assemble(project, OrganizationEntry("x", Organization.model_validate(raw), Path("x.yml")))
    document = zipfile.ZipFile(io.BytesIO(render_docx(charter, project))).read("word/document.xml")
    return render_markdown(charter, project), document


def test_questionnaire_filled_with_the_keyboard_only(hosted, visit_factory, monkeypatch):
    visit = visit_factory(hosted, locale="fr-FR")
    page = _open(visit)
    page.keyboard.press("Tab")
    _tab_to(page, "#cia-name")
    page.keyboard.type("Café « Le Zinc » : bar # 1")
    _tab_to(page, "#cia-sector")
    page.keyboard.type("Restauration")
    _next_step(page)  # audience
    _tab_to(page, "#cia-audience-cultures")
    page.keyboard.type("francophones")
    page.keyboard.press("Enter")
    page.keyboard.type("anglophones")
    _next_step(page)  # platforms and tools
    _tab_to(page, "#cia-platforms-0")
    page.keyboard.press("Space")
    _tab_to(page, "#cia-tools button.md-button")
    page.keyboard.press("Enter")  # adds a tool; the focus goes to its first field
    expect(page.locator("#cia-tools-0-name")).to_be_focused()
    page.keyboard.type("Outil <b>X</b>")
    _next_step(page)  # uses
    _tab_to(page, "#cia-uses-images")
    page.keyboard.press("ArrowDown")  # the first choice after « non décidé »: allowed
    expect(page.locator("#cia-uses-images")).to_have_value("allowed")
    for _ in range(len(page.locator(".cia-stepper li").all()) - 4):
        _next_step(page)  # through the other steps to the last
    expect(page.locator(".cia-progress")).to_contain_text("Étape")

    platform = page.locator("#cia-platforms-0").get_attribute("value")
    expected = {
        "name": "Café « Le Zinc » : bar # 1",
        "sector": "Restauration",
        "audience": {"cultures": ["francophones", "anglophones"]},
        "platforms": [platform],
        "tools": [{"name": "Outil <b>X</b>"}],
        "uses": {"images": "allowed"},
    }
    want_md, want_document = _build(expected, monkeypatch)
    for kind in ("md", "docx", "yml"):
        _tab_to(page, f'[data-download="{kind}"]')
        with page.expect_download() as info:
            page.keyboard.press("Enter")
        data = Path(info.value.path()).read_bytes()
        # The names the build would give these files once `new`'s file for this name is added.
        slug = slug_for(expected["name"])
        assert info.value.suggested_filename == (f"{slug}.yml" if kind == "yml" else f"charte-ia-{slug}-brouillon.{kind}")
        if kind == "md":
            assert data == want_md
        elif kind == "docx":
            assert zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml") == want_document
        else:
            text = data.decode("utf-8")
            assert text.startswith("# yaml-language-server: $schema=")
            assert yaml.safe_load(text) == expected
    # The preview shows the charter as its page does, the name included (as text, not markup).
    expect(page.locator("#cia-apercu h2").first).to_contain_text("Café « Le Zinc » : bar # 1")
    assert page.locator("#cia-apercu b").count() == 0
    visit.check_clean()


def test_a_missing_name_is_announced_next_to_the_field(hosted, visit_factory):
    visit = visit_factory(hosted)
    page = _open(visit)
    page.evaluate("() => localStorage.clear()")
    page.reload()
    page.wait_for_function(READY)
    page.locator('[data-download="docx"]').click()
    alert = page.locator(".cia-messages[role=alert]")
    expect(alert).to_be_visible()
    expect(alert).to_contain_text("nom de l’organisation")
    expect(page.locator("#cia-name")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#cia-name")).to_be_focused()
    described = page.locator("#cia-name").get_attribute("aria-describedby").split()
    assert any(page.locator(f"#{i}").inner_text().strip() for i in described if i.endswith("erreur"))
    visit.check_clean()


def test_a_file_with_mistakes_is_opened_with_each_mistake_named(site, visit_factory, tmp_path):
    visit = visit_factory(site)
    page = _open(visit)
    bad = tmp_path / "mon-organisation.yml"
    bad.write_text(
        'name: "Mairie d’Essai"\nsecteur: "Collectivité"\nuses:\n  images: peut-être\nadopted: 2026-13-45\n'
        'audience:\n  cultures: ["francophones", "a\\nb", "Francophones "]\n'
        'tools:\n  - name: "Outil"\n  - name: "outil"\n',
        encoding="utf-8",
    )
    page.locator("#cia-ouvrir").set_input_files(str(bad))
    alert = page.locator(".cia-messages[role=alert]")
    expect(alert).to_contain_text("secteur")
    expect(alert).to_contain_text("uses.images")
    expect(alert).to_contain_text("adopted")
    expect(alert).to_contain_text("audience.cultures.2")
    # Twice in a list, as `check` refuses it: the second one is named and left out.
    expect(alert).to_contain_text("(audience.cultures.3) : « Francophones")
    expect(alert).to_contain_text("(tools.2.name) : « outil » en double dans cette liste (déjà l’entrée 1)")
    expect(page.locator("#cia-name")).to_have_value("Mairie d’Essai")
    expect(page.locator("#cia-apercu")).to_contain_text("Mairie d’Essai")
    # Not YAML at all: said, and nothing taken.
    broken = tmp_path / "casse.yml"
    broken.write_text('name: "x\nsector: [\n', encoding="utf-8")
    page.locator("#cia-ouvrir").set_input_files(str(broken))
    expect(alert).to_contain_text("n’est pas un fichier YAML valide")
    expect(page.locator("#cia-name")).to_have_value("Mairie d’Essai")
    visit.check_clean()


def test_the_draft_is_kept_and_can_be_cleared(site, visit_factory):
    visit = visit_factory(site)
    page = _open(visit)
    page.locator("#cia-name").fill("Brouillon gardé")
    page.wait_for_function("() => (localStorage.getItem('charte-ia-brouillon') || '').includes('Brouillon gardé')")
    page.reload()
    page.wait_for_function(READY)
    expect(page.locator("#cia-name")).to_have_value("Brouillon gardé")
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator(".cia-clear").click()
    expect(page.locator("#cia-name")).to_have_value("")
    assert page.evaluate("() => localStorage.getItem('charte-ia-brouillon')") in (None, '{"version":1,"answers":{}}')
    expect(page.locator(".cia-messages")).to_contain_text("Brouillon effacé")
    visit.check_clean()


def test_every_field_is_labelled_with_its_help(hosted, visit_factory):
    visit = visit_factory(hosted)
    page = _open(visit)
    page.evaluate("() => document.querySelectorAll('.cia-step').forEach(s => s.hidden = false)")
    page.locator("#cia-tools button.md-button").click()  # a tool's fields too
    missing = page.evaluate(
        """() => [...document.querySelectorAll('.cia-form [data-kind]')].flatMap(c => {
          const label = c.type === 'checkbox' ? c.closest('fieldset').querySelector('legend')
                                              : document.querySelector(`label[for="${c.id}"]`);
          const box = c.type === 'checkbox' ? c.closest('fieldset') : c;
          const help = (box.getAttribute('aria-describedby') || '').split(' ')
            .map(i => document.getElementById(i)).filter(n => n && n.id.endsWith('-aide'));
          const out = [];
          if (!label || !label.textContent.trim()) out.push(c.id + ' : sans libellé');
          if (!help.length || !help[0].textContent.trim()) out.push(c.id + ' : sans aide');
          return out;
        })"""
    )
    assert not missing, "\n".join(sorted(set(missing)))


def test_the_preview_is_a_quiet_region(hosted, visit_factory):
    """The preview changes at each keystroke: it is not itself live (a screen reader would read
    the whole charter each time); a polite status says, once typing stops, that it changed."""
    visit = visit_factory(hosted)
    page = _open(visit)
    assert page.locator("#cia-apercu").get_attribute("aria-live") is None
    status = page.locator(".cia-preview-wrap [role=status]")
    expect(status).to_have_attribute("aria-live", "polite")
    page.locator("#cia-name").press_sequentially("Abc")
    expect(status).to_contain_text("Aperçu à jour")
    visit.check_clean()


@pytest.mark.parametrize("palette", list(SCHEMES))
def test_no_axe_violation_on_the_builder(hosted, visit_factory, axe_script, palette):
    visit = visit_factory(hosted, color_scheme=palette)
    page = _open(visit)
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", SCHEMES[palette])
    page.locator('[data-download="md"]').click()  # with its error shown
    page.locator("#cia-name").fill("Organisation « test »")
    page.add_script_tag(path=str(axe_script))
    violations = page.evaluate(AXE_RUN, TAGS)
    assert not violations, f"« Créer ma charte », thème {palette} :\n{describe(violations)}"
    visit.check_clean()


def test_the_print_view_is_the_charter_alone(site, visit_factory):
    """« Imprimer ou enregistrer en PDF »: the print stylesheet keeps the preview, nothing else."""
    visit = visit_factory(site)
    page = _open(visit)
    page.locator("#cia-name").fill("Imprimerie « Test »")
    page.emulate_media(media="print")
    expect(page.locator("#cia-apercu")).to_be_visible()
    expect(page.locator("#cia-apercu")).to_contain_text("Imprimerie « Test »")
    for hidden in (".cia-left", ".md-header", ".cia-preview-wrap > h2"):
        expect(page.locator(hidden).first).to_be_hidden()
    visit.check_clean()


def test_the_preview_is_drawn_when_it_comes_near_the_screen(site, visit_factory):
    """On a phone the preview sits below the questionnaire: it is drawn once it comes near the
    screen, at the first answer, or for printing, not while the page starts; beside the form
    (a wide screen) it is drawn at once."""
    marks = "() => document.querySelectorAll('#cia-apercu mark').length"
    phone = {"width": 390, "height": 844}
    page = _open(visit_factory(site, viewport=phone))
    page.wait_for_timeout(300)
    assert page.evaluate(marks) == 0
    page.locator("#cia-apercu-titre").scroll_into_view_if_needed()
    page.wait_for_function(f"() => ({marks})() > 0")
    page = _open(visit_factory(site, viewport=phone))
    page.locator("#cia-name").fill("Atelier « Aperçu »")
    expect(page.locator("#cia-apercu")).to_contain_text("Atelier « Aperçu »")
    page = _open(visit_factory(site, viewport=phone))
    page.evaluate("() => window.dispatchEvent(new Event('beforeprint'))")
    assert page.evaluate(marks) > 0
    visit = visit_factory(site, viewport={"width": 1350, "height": 900})
    page = _open(visit)
    page.wait_for_function(f"() => ({marks})() > 0")
    visit.check_clean()
