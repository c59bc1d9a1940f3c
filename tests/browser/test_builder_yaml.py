"""Hand-written organisation files, read by the page as the build reads them (PyYAML: YAML 1.1,
where js-yaml reads 1.2): bare yes/no/on/off, NEL, LS and PS, numbers of YAML 1.1. Each file
goes through the real loader too; the page must make the same charter of the files it accepts
and refuse the others with the message `check` gives."""

from __future__ import annotations

import shutil

import pytest

from charte_ia.charter.assembly import assemble
from charte_ia.data.errors import DataErrors
from charte_ia.data.loader import load_project
from charte_ia.render.markdown import render_markdown

from .conftest import ROOT
from .test_builder import PAGE, READY

pytestmark = pytest.mark.browser

SLUG = "zz-a-la-main"

# Files `check` accepts, each read differently by YAML 1.2.
ACCEPTED = {
    "booléens de YAML 1.1": 'name: "Essai"\ninfluence: yes\ntools:\n  - name: "Outil A"\n    data_agreement: on\n'
    '  - name: "Outil B"\n    data_agreement: Off\n',
    "NEL dans une valeur": "name: Mairie\x85  d’Essai\nsector: Culture\n",
    "NEL dans une liste": 'name: "Essai"\nclients:\n  - Client\x85    un\n  - Client deux\n',
    "LS dans un texte": 'name: "Essai"\nbrand_voice: Chaleureuse\u2028  et directe\n',
    "PS entre guillemets": 'name: "Essai"\nbrand_voice: "Sobre\u2029  et claire"\n',
    "LS après un commentaire": 'name: "Essai" # un commentaire\u2028sector: "Culture"\n',
    "LS en fin de valeur": "name: Essai\u2028sector: Culture\n",
    "NEL en fin de valeur": "name: Essai\x85sector: Culture\x85",
    "du texte pour YAML 1.1": 'name: "Essai"\nsector: 0o17\ndesignation: 1e3\n',
    "booléen en majuscules": 'name: "Essai"\ninfluence: NO\n',
}

# Files `check` refuses: the page names the same field with the same words.
REFUSED = {
    "yes pour un texte": 'name: "Essai"\nsector: yes\n',
    "nombre octal de YAML 1.1": 'name: "Essai"\nversion: 010\n',
    "nombre à virgule": 'name: "Essai"\nversion: 1.10\n',
    "nombre sexagésimal": 'name: "Essai"\nsector: 1:30\n',
    "LS dans un nom": "name: Essai\u2028  cassé\n",
    "oui n’est pas un booléen": 'name: "Essai"\ninfluence: oui\n',
}

OPEN = """([text]) => {
  const B = window.CharteBuilder, errors = B.load(text, 'organisation.yml');
  return {errors: errors === false ? null : errors.map(e => [e.path.join('.'), e.message]),
          md: B.engine.render('md', B.organisation())};
}"""


@pytest.fixture(scope="module")
def data_copy(tmp_path_factory):
    folder = tmp_path_factory.mktemp("donnees") / "data"
    shutil.copytree(ROOT / "data", folder)
    return folder


def _check(data, text: str):
    """What the build makes of the file: the charter's .md, or the errors `check` gives."""
    path = data / "organizations" / f"{SLUG}.yml"
    path.write_text(text, encoding="utf-8")
    try:
        project = load_project(data)
    except DataErrors as exc:
        return None, [(e.field, e.message) for e in exc.errors]
    finally:
        path.unlink()
    entry = next(e for e in project.organizations if e.slug == SLUG)
    return render_markdown(assemble(project, entry), project).decode("utf-8"), []


def test_hand_written_files_read_as_the_build_reads_them(hosted, visit_factory, data_copy):
    visit = visit_factory(hosted)
    page = visit.open(PAGE)
    page.wait_for_function(READY)
    for what, text in ACCEPTED.items():
        want, errors = _check(data_copy, text)
        assert not errors, f"{what} : `check` refuse le fichier : {errors}"
        got = page.evaluate(OPEN, [text])
        assert got["errors"] == [], f"{what} : la page refuse {got['errors']}"
        assert got["md"] == want, f"{what} : la charte de la page n’est pas celle de la construction"
    for what, text in REFUSED.items():
        want, errors = _check(data_copy, text)
        assert want is None and errors, f"{what} : `check` accepte le fichier"
        got = page.evaluate(OPEN, [text])
        assert got["errors"], f"{what} : la page accepte le fichier"
        for field, message in errors:
            shown = [m for path, m in got["errors"] if path == field]
            assert shown == [message], f"{what} : {field} : page {got['errors']}, check {message!r}"
    visit.check_clean()
