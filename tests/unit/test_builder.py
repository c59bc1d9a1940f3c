"""The builder's compiler, form and schema, without a browser (the parity with the build is
checked in Chromium: tests/browser/test_builder.py)."""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path

import jsonschema
import pytest
import yaml

from charte_ia.builder.compile import compile_library
from charte_ia.builder.form import SCHEMA_URI, form_description, organisation_schema
from charte_ia.data.errors import DataErrors
from charte_ia.data.loader import load_project
from charte_ia.data.models import Organization
from charte_ia.scaffold import organization_template

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def project():
    return load_project(ROOT / "data")


@pytest.fixture(scope="module")
def library(project):
    return compile_library(project)


def _paths(model, prefix=()):
    for name, info in model.model_fields.items():
        yield (*prefix, name)


def test_the_library_does_not_depend_on_the_organisations(project, library):
    """The page weighs the same with 3 organisations or 1,000: none of them is in it."""
    alone = compile_library(dataclasses.replace(project, organizations=[]))
    assert json.dumps(alone, sort_keys=True) == json.dumps(library, sort_keys=True)
    text = json.dumps(library, ensure_ascii=False)
    for entry in project.organizations:
        assert entry.org.name not in text


def test_every_clause_and_section_is_compiled(project, library):
    clause_ids = [c.id for s in project.library.sections for c in s.clauses]
    assert list(library["clauses"]) == clause_ids
    assert [s["id"] for s in library["sections"]] == [s.id for s in project.library.sections]
    assert {"md", "html", "docx:word/document.xml"} <= set(library["formats"])


def test_every_field_of_the_model_is_in_the_questionnaire(project, library):
    form = form_description(project, library["slots"])
    shown = [f["name"] for step in form["steps"] for f in step["fields"]]
    assert sorted(shown) == sorted(Organization.model_fields)
    assert form["steps"][0]["fields"][0]["name"] == "name" and form["steps"][0]["fields"][0]["required"]
    assert [f["name"] for step in form["steps"] for f in step["fields"] if f["required"]] == ["name"]

    def walk(fields, where):
        for f in fields:
            assert f["title"] and f["help"], f"{where}{f['name']} : libellé ou aide manquant"
            walk(f.get("fields", []), f"{where}{f['name']}.")

    walk([f for step in form["steps"] for f in step["fields"]], "")


def test_the_schema_accepts_the_example_organisations(project):
    validator = jsonschema.Draft202012Validator(organisation_schema())
    for entry in project.organizations:
        data = yaml.safe_load(entry.path.read_text(encoding="utf-8"))
        errors = [e.message for e in validator.iter_errors(json.loads(json.dumps(data, default=str)))]
        assert not errors, f"{entry.path.name} : {errors}"


@pytest.mark.parametrize(
    "text",
    [
        "sector: Sans nom\n",  # the name is required
        'name: "A"\nsecteur: "faute de frappe"\n',  # unknown key
        'name: "A"\nuses:\n  images: peut-etre\n',  # a level that does not exist
        'name: "A"\nclients: "un seul client"\n',  # a list expected
        'name: "A"\ntools:\n  - provider: "sans nom"\n',  # a tool without its name
        'name: "A"\ntools:\n  - name: "x"\n    data_agreement: "oui"\n',  # true or false expected
        'name: "A"\naudience:\n  pays: ["France"]\n',  # unknown key in a group
    ],
)
def test_the_schema_refuses_what_check_refuses(tmp_path, text):
    validator = jsonschema.Draft202012Validator(organisation_schema())
    data = yaml.safe_load(text)
    assert list(validator.iter_errors(data)), "le schéma accepte un fichier que check refuse"
    data_dir = tmp_path / "data"
    shutil.copytree(ROOT / "data", data_dir)
    for path in (data_dir / "organizations").glob("*.yml"):
        path.unlink()
    (data_dir / "organizations" / "essai.yml").write_text(text, encoding="utf-8")
    with pytest.raises(DataErrors):
        load_project(data_dir)


def test_new_points_editors_to_the_schema(project, monkeypatch):
    monkeypatch.delenv("SITE_URL", raising=False)
    first = organization_template(project, "Essai").splitlines()[0]
    assert first == f"# yaml-language-server: $schema=../../site/{SCHEMA_URI}"
    monkeypatch.setenv("SITE_URL", "https://exemple.org/charte/")
    first = organization_template(project, "Essai").splitlines()[0]
    assert first == f"# yaml-language-server: $schema=https://exemple.org/charte/{SCHEMA_URI}"
    # Still a valid organisation file once the name is given.
    assert yaml.safe_load(organization_template(project, "Essai"))["name"] == "Essai"


def test_the_page_script_is_minified_from_the_sources():
    """The build serves the sources minified (names inside functions shortened), the same
    bytes each time; the names the page and the tests call stay."""
    from charte_ia.builder.script import script, source

    out = script()
    assert out == script() and len(out) < 0.7 * len(source())
    for name in ("window.CharteBuilder", "CharteEngine", "CHARTE_LIBRARY", "fzstd"):
        assert name in out


def test_the_word_skeleton_carries_only_what_a_charter_uses(project):
    """No Word 2010 copy of the styles, no empty bibliography, no table style but the grid:
    every .docx, and the builder's page, would carry them."""
    import io
    import zipfile

    import docx

    from charte_ia.charter.assembly import assemble
    from charte_ia.render.docx import render_docx

    data = render_docx(assemble(project, project.organizations[0]), project)
    package = zipfile.ZipFile(io.BytesIO(data))
    names = set(package.namelist())
    assert not {"word/stylesWithEffects.xml", "word/webSettings.xml"} & names
    assert not any(n.startswith("customXml/") for n in names)
    for part in ("[Content_Types].xml", "word/_rels/document.xml.rels"):
        text = package.read(part).decode("utf-8")
        assert "stylesWithEffects" not in text and "customXml" not in text and "webSettings" not in text
    document = docx.Document(io.BytesIO(data))
    tables = [s.name for s in document.styles if s.type == docx.enum.style.WD_STYLE_TYPE.TABLE]
    assert sorted(tables) == ["Normal Table", "Table Grid"]
    assert {"Heading 1", "Heading 2", "Title", "List Bullet", "Intense Quote", "TOC Heading"} <= {s.name for s in document.styles}


def test_the_page_carries_the_messages_its_script_gives():
    """Only the French messages the script names travel with the page; one it names that is
    missing from the list would show as undefined."""
    import re

    from charte_ia.builder.form import PAGE_MESSAGES
    from charte_ia.builder.script import source
    from charte_ia.data.messages import MESSAGES

    # message("kind") or message(condition ? "kind" : "other"), as the script calls it
    calls = re.findall(r'\bmessage\((?:[^,"]*\?\s*)?"([a-z_]+)"(?:\s*:\s*"([a-z_]+)")?', source())
    named = {key for call in calls for key in call if key}
    assert named == set(PAGE_MESSAGES) and named <= set(MESSAGES)
