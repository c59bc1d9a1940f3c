"""« Créer ma charte » in Chromium, hosted and from the offline zip.

Parity: for the example organisations and for generated ones (filled, half blank, hostile), the
page's .md is the build's byte for byte, its .docx has the build's word/document.xml (and header,
footer, properties) and opens in python-docx, and the YAML it writes passes `check` and rebuilds
the same charter. Then the questionnaire itself: filled with the keyboard only, downloads, files
opened with mistakes, the draft, and no request to any other host.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import random
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx as python_docx
import pytest
import yaml
from playwright.sync_api import expect

from charte_ia import cli
from charte_ia.builder.compile import _REFERENCES, _Field, _fields
from charte_ia.charter.assembly import assemble
from charte_ia.data.loader import OrganizationEntry, load_project, name_key
from charte_ia.data.models import Organization
from charte_ia.render.docx import render_docx
from charte_ia.mkdocs import offline
from charte_ia.render.markdown import render_markdown
from charte_ia.render.typography import fr_typo

from .conftest import ROOT, SCHEMES, missing, root_conftest
from .test_accessibility import AXE_RUN, TAGS, describe

pytestmark = pytest.mark.browser

PAGE = "chartes/creer/"
READY = "() => window.CharteBuilder && window.CharteBuilder.ready === true"
DOCX_PARTS = ("word/document.xml", "word/header1.xml", "word/footer1.xml", "docProps/core.xml")

# Values that must stay text in every format: markup, links, templates, Markdown, controls.
HOSTILE = [
    "<script>alert('x')</script>",
    "[cliquez](javascript:alert(1))",
    "<a href=\"javascript:alert(1)\">lien</a>",
    "{{ config }} {% raw %} {# x #}",
    "**gras** _penché_ `code` # titre",
    "# Titre\n- liste\n> citation",
    "1. premier | colonne | ~barré~",
    "a\x01b\x07c\x1fd\x7fe",
    "guillemet \" apostrophe ' deux-points : dièse # fin",
    "Nom : valeur ; vraiment ? oui ! 100 % « cité »",
    "ligne\nsuivante\u2028séparateur",
    "  espaces autour  ",
    "emoji 🎉 et \u00a0insécable",
    "\\ antislash \\\\ & esperluette &amp; &lt;",
    "=== souligné",
    "+ plus",
]


def _project():
    return load_project(ROOT / "data")


def _valid(raw: dict) -> bool:
    try:
        Organization.model_validate(raw)
        return True
    except ValueError:
        return False


def _raw_orgs(project) -> list[tuple[str, dict]]:
    """Example organisations as their files say, then generated ones (seeded: the same each run)."""
    out = []
    for entry in project.organizations:
        out.append((entry.slug, yaml.load(entry.path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)))
    rng = random.Random(12)
    names = [h for h in HOSTILE if _valid({"name": h})]  # a name the model refuses leaves no charter
    benign = ["Agence Exemple", "la directrice de la communication", "24 heures", "contact@example.org", "1.0"]

    hostile = [True]

    def value(field: _Field, fill: float):
        kind, domain = field.kind, field.domain
        pool = HOSTILE if hostile[0] and rng.random() < 0.5 else benign
        if kind == "text":
            return rng.choice(pool)
        if kind == "list:text" and ".".join(map(str, field.path)) in _REFERENCES:
            return rng.sample(list(project.platforms), rng.randint(1, len(project.platforms)))
        if kind == "list:text":
            return rng.sample(pool, rng.randint(1, 3))
        if kind in ("enum", "bool"):
            return rng.choice(list(domain))
        if kind == "list:enum":
            return rng.sample(list(domain), rng.randint(1, min(3, len(domain))))
        if kind == "model":
            return record(domain, field.path, fill)
        if kind == "list:model":
            return [record(domain, (*field.path, i), fill) for i in range(rng.randint(1, 3))]
        return None  # dates: below, in order

    def record(model, prefix, fill: float) -> dict:
        out = {}
        for field in _fields(model, prefix):
            if field.kind == "date" or (not field.required and rng.random() >= fill):
                continue
            v = value(field, fill)
            if v is not None:
                out[field.path[-1]] = v
        return out

    # Every field of the model, so that a field added later is tested without a change here.
    for n in range(15):
        fill = [1.0, 0.5, 0.15][n % 3]  # filled, half blank, mostly blank
        data = record(Organization, (), fill)
        data["name"] = rng.choice(names) if n % 2 else f"Organisation {n} « test »"
        if fill == 1.0 or rng.random() < fill:
            data["adopted"] = "2026-0%d-0%d" % (rng.randint(1, 9), rng.randint(1, 9))
            data["next_review"] = "2027-01-01"
        out.append((f"genere-{n}", _unique(data)))
    # Every field filled, a version and an adoption date: an adopted charter, no blank left.
    hostile[0] = False
    data = record(Organization, (), 1.0)
    data.update(name="Organisation adoptée « test »", version="2.0", adopted="2026-03-02", next_review="2027-03-02")
    out.append((ADOPTED, _unique(data)))
    return out


ADOPTED = "genere-adoptee"


def _unique(value):
    """Lists without a second equal value, which `check` refuses (loader.duplicates): the
    generated organisations are meant to pass it; the page's refusal is tested on its own."""
    if isinstance(value, dict):
        return {k: _unique(v) for k, v in value.items()}
    if isinstance(value, list):
        out, seen = [], set()
        for item in value:
            key = item.get("id", item.get("name")) if isinstance(item, dict) else item
            if isinstance(key, str):
                if name_key(key) in seen:
                    continue
                seen.add(name_key(key))
            out.append(_unique(item))
        return out
    return value


def _without_refused(raw: dict) -> tuple[dict, set[tuple]]:
    """What the model keeps of `raw`, and where it refused a value: the page must refuse the same
    values (and say so) and make the charter of the rest."""
    import copy

    from pydantic import ValidationError

    kept, refused = copy.deepcopy(raw), None
    while True:
        try:
            Organization.model_validate(kept)
            return kept, refused or set()
        except ValidationError as exc:
            locs = [tuple(e["loc"]) for e in exc.errors()]
            refused = set(locs) if refused is None else refused
            for loc in sorted(locs, key=lambda loc: [str(p) for p in loc], reverse=True):
                if exc.errors()[locs.index(loc)]["type"] == "missing":
                    loc = loc[:-1]  # a record without its required field goes
                node = kept
                for part in loc[:-1]:
                    node = node[part]
                del node[loc[-1]]


def _build_outputs(project, raw: dict) -> dict[str, bytes]:
    entry = OrganizationEntry("x", Organization.model_validate(raw), Path("x.yml"))
    charter = assemble(project, entry)
    package = zipfile.ZipFile(io.BytesIO(render_docx(charter, project)))
    out = {"md": render_markdown(charter, project), "adopted": charter.is_adopted}
    out.update({part: package.read(part) for part in DOCX_PARTS})
    return out


def _same(got: bytes, want: bytes, what: str) -> None:
    if got != want:
        at = next((i for i, (a, b) in enumerate(zip(got, want)) if a != b), min(len(got), len(want)))
        pytest.fail(f"{what} diffère de la construction à l’octet {at} :\n  page : {got[at - 120 : at + 80]!r}"
                    f"\n  build : {want[at - 120 : at + 80]!r}")


def _open_builder(visit):
    page = visit.open(PAGE)
    page.wait_for_function(READY)
    return page


BROWSER_OUTPUTS = """async ([text]) => {
  const B = window.CharteBuilder;
  const errors = B.load(text, 'organisation.yml');
  const org = B.organisation();
  const blob = B.engine.docx(org);
  const bytes = new Uint8Array(await blob.arrayBuffer());
  let bin = ''; for (const b of bytes) bin += String.fromCharCode(b);
  return {errors: errors === false ? [['yaml']] : errors.map(e => e.path), md: B.engine.render('md', org),
          docx: btoa(bin), yaml: B.toYaml(org)};
}"""


def test_parity_with_the_build(site, visit_factory, tmp_path, monkeypatch):
    """Every organisation through the page (opened as a file, as a user would) against the build."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", offline.DEFAULT_SOURCE_DATE_EPOCH)  # as the build sets it
    project = _project()
    visit = visit_factory(site)
    page = _open_builder(visit)
    helpers = root_conftest()
    documents = {}
    for slug, raw in _raw_orgs(project):
        # Non-ASCII escaped: PyYAML (YAML 1.1) takes U+2028 and U+0085 for line breaks in plain
        # text, where js-yaml (YAML 1.2) does not; escaped, both read the same string.
        text = yaml.safe_dump(raw, allow_unicode=False, sort_keys=False)
        kept, refused = _without_refused(yaml.safe_load(text))
        want = _build_outputs(project, kept)
        got = page.evaluate(BROWSER_OUTPUTS, [text])
        assert {tuple(path) for path in got["errors"]} == refused, f"{slug} : refus différents de ceux du modèle"
        _same(got["md"].encode("utf-8"), want["md"], f"{slug} : le .md")
        package = zipfile.ZipFile(io.BytesIO(base64.b64decode(got["docx"])))
        assert package.testzip() is None
        for part in DOCX_PARTS:
            _same(package.read(part), want[part], f"{slug} : {part}")
        python_docx.Document(io.BytesIO(base64.b64decode(got["docx"])))  # opens in python-docx
        # The YAML the page writes: valid for `check`, and the same charter again.
        again = yaml.safe_load(got["yaml"])
        assert _build_outputs(project, again)["md"] == want["md"], f"{slug} : le YAML écrit ne redonne pas la charte"
        documents[slug] = (got, want)
    got, want = documents[ADOPTED]
    assert want["adopted"], "l’organisation entièrement remplie n’a pas une charte adoptée"
    assert "[À compléter" not in got["md"]
    # The adopted one through `check` and the real loader, as an agency would add it to data/.
    root = helpers.copy_project(tmp_path / "project")
    (root / "data" / "organizations" / "du-navigateur.yml").write_text(got["yaml"], encoding="utf-8")
    assert cli.main(["--data", str(root / "data"), "check"]) == 0
    loaded = load_project(root / "data")
    assert any(e.slug == "du-navigateur" for e in loaded.organizations)
    # The examples' and the adopted charter's .docx as the browser made them, in LibreOffice.
    if site.name == "hosted":
        office = _office()
        folder = tmp_path / "office"
        folder.mkdir()
        names = {}
        for entry in project.organizations:
            names[entry.slug] = entry.org.name
        names[ADOPTED] = "Organisation adoptée « test »"
        paths = []
        for slug in names:
            path = folder / f"{slug}.docx"
            path.write_bytes(base64.b64decode(documents[slug][0]["docx"]))
            paths.append(str(path))
        subprocess.run(
            [office, f"-env:UserInstallation=file://{folder}/profile", "--headless", "--convert-to", "txt:Text (encoded):UTF8",
             "--outdir", str(folder), *paths],
            check=True, capture_output=True, timeout=300,
        )
        for slug, name in names.items():
            text = (folder / f"{slug}.txt").read_text(encoding="utf-8-sig")
            assert fr_typo(name) in text and "Objet et champ d’application" in text, f"{slug} : LibreOffice ne lit pas le .docx"
    visit.check_clean()


def _office() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        missing("LibreOffice introuvable", "apt-get install libreoffice-writer-nogui")
    return found


@pytest.mark.parametrize(("name", "file"), [("js-yaml", "js-yaml-reader.min.js"), ("fzstd", "fzstd.min.js")])
def test_vendored_libraries_are_the_packages(site, tmp_path, name, file):
    """Each vendored file is the one its provenance names: fzstd's own browser build; js-yaml's
    reader as `npm run vendor` bundles it (checked again when esbuild is installed)."""
    folder = ROOT / "docs" / "assets" / "vendor" / name
    digest = hashlib.sha256((folder / file).read_bytes()).hexdigest()
    assert digest in (folder / "PROVENANCE.txt").read_text(encoding="utf-8")
    if name == "fzstd" and (ROOT / "node_modules" / "fzstd").exists():
        assert (ROOT / "node_modules" / "fzstd" / "umd" / "index.js").read_bytes() == (folder / file).read_bytes()
    esbuild = ROOT / "node_modules" / ".bin" / "esbuild"
    if name == "js-yaml" and esbuild.exists():
        command = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))["scripts"]["vendor"]
        out = tmp_path / file
        command = command.replace(f"--outfile=docs/assets/vendor/js-yaml/{file}", f"--outfile={out}")
        subprocess.run(command, shell=True, cwd=ROOT, check=True, capture_output=True,
                       env={**os.environ, "PATH": f"{esbuild.parent}:{os.environ['PATH']}"})
        assert out.read_bytes() == (folder / file).read_bytes(), "js-yaml-reader.min.js n’est pas ce que `npm run vendor` donne"
    assert (site.root / "assets" / "vendor" / name / "LICENSE.txt").exists()


def test_the_page_unpacks_the_library_the_build_compiled(hosted, visit_factory):
    """What the page's engine reads, once library.js is decompressed and unpacked, is the
    compiled library as `pack.view` gives it: the packing loses nothing."""
    from charte_ia.builder.pack import view
    from charte_ia.mkdocs.builder import library_data

    want = view(library_data(_project(), "directory"))
    visit = visit_factory(hosted)
    page = _open_builder(visit)
    got = page.evaluate("() => window.CharteBuilder.engine.library")
    for key in sorted(set(want) | set(got)):
        assert got.get(key) == want.get(key), f"la bibliothèque dépaquetée diffère en « {key} »"
    visit.check_clean()
