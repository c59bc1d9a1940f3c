"""`mkdocs serve` keeps what each charter made, by the content it was made from: after a change to
one organisation file only that charter is made again, and the site is the one a clean build of
the changed data gives, byte for byte."""

from __future__ import annotations

import filecmp
import json
import os
import subprocess
import sys
from pathlib import Path

from sitecheck import build, copy_project

# Two builds in one process and one folder, as `mkdocs serve` runs them (configuration loaded
# again for each, `on_startup` told "serve"); between them the script applies the change it is
# given. What the second build put aside is deleted before the process ends (aside.py).
SCRIPT = """
import json, sys
from pathlib import Path
from mkdocs.commands.build import build
from mkdocs.config import load_config
from charte_ia.mkdocs import site
from charte_ia.render import html as html_pages

from charte_ia.builder.compile import PROBE_SLUG
from charte_ia.mkdocs.serve_worker import ServeWorker

# Which charters' documents the documents' process renders, not which the server takes once
# its pages are written (that depends on the machine's speed: test_serve_worker.py).
ServeWorker.take_last = lambda self: None

made, written = [], []
charter_page = html_pages.charter_page
def counting(project, charter, *args, **kwargs):
    if charter.slug != PROBE_SLUG:  # the builder's compiler renders probes, not charters
        made.append(charter.slug)
    return charter_page(project, charter, *args, **kwargs)
html_pages.charter_page = counting
of = site.WrittenPage.of
def watching(config, src, path):
    written.append(src)
    return of(config, src, path)
site.WrittenPage.of = watching

config_file, out, target, old, new = sys.argv[1:6]
runs = []
site_dir = Path(out) / "second"
for n in range(2):
    if n == 1:
        path = Path(target)
        path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    config = load_config(config_file, site_dir=str(site_dir), strict=True)
    config.plugins.on_startup(command="serve", dirty=False)
    build(config)
    runs.append({"made": sorted(made), "written": len(written), "written_pages": sorted(written),
                 "documents": dict(ServeWorker.last_counts)})
    ServeWorker.last_counts = {}
    made.clear(); written.clear()
print(json.dumps(runs))
"""


def _serve_twice(root: Path, out: Path, target: Path, old: str, new: str) -> list[dict]:
    proc = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(root / "mkdocs.yml"), str(out), str(target), old, new],
        cwd=root,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _same_tree(a: Path, b: Path) -> list[str]:
    """Files that differ or exist on one side only."""
    diff: list[str] = []

    def walk(cmp: filecmp.dircmp, prefix: str) -> None:
        diff.extend(prefix + n for n in cmp.left_only + cmp.right_only + cmp.funny_files)
        _, mismatch, errors = filecmp.cmpfiles(cmp.left, cmp.right, cmp.common_files, shallow=False)
        diff.extend(prefix + n for n in mismatch + errors)
        for name, sub in cmp.subdirs.items():
            walk(sub, prefix + name + "/")

    walk(filecmp.dircmp(a, b), "")
    return diff


def test_a_changed_organisation_is_the_only_charter_made_again(project_copy: Path, tmp_path: Path) -> None:
    org = project_copy / "data" / "organizations" / "la-boutique-d-elise.yml"
    runs = _serve_twice(project_copy, tmp_path / "serve", org, "name: ", "name: Nouvelle ")
    examples = sorted(path.stem for path in (project_copy / "data" / "organizations").glob("*.yml"))
    assert runs[0]["made"] == sorted([*examples, "modele"])
    assert runs[0]["written"] == 0
    assert runs[1]["made"] == ["la-boutique-d-elise"]
    # Copied as written before: the unchanged organisations' pages and « L’essentiel » pages,
    # and the blank charter's « L’essentiel » (the blank charter itself is indexed from its HTML).
    assert runs[1]["written"] == 2 * (len(examples) - 1) + 1
    clean = build(project_copy, site=tmp_path / "clean", env={"OFFLINE_ZIP": "false"})
    assert clean.returncode == 0, clean.output
    assert "Nouvelle" in clean.page("chartes/la-boutique-d-elise/")
    assert _same_tree(tmp_path / "serve" / "second", tmp_path / "clean") == []


def test_a_change_to_the_clause_library_renders_only_the_charters_it_reaches(project_copy: Path, tmp_path: Path) -> None:
    """A clause that only the blank charter and the city's have: their documents and pages are
    made again, the other charters' documents are the files made before (linked) and their
    pages the pages written before; the served site is the clean build's, new downloads included."""
    library = project_copy / "data" / "charter" / "library.yml"
    text = library.read_text(encoding="utf-8")
    old = '      - id: public-langue\n        title: "'
    assert old in text
    runs = _serve_twice(project_copy, tmp_path / "serve", library, old, old + "Bancdessai ")
    examples = sorted(path.stem for path in (project_copy / "data" / "organizations").glob("*.yml"))
    city = "ville-de-saint-etienne-du-lac"
    assert runs[0]["documents"] == {"rendered": len(examples) + 1, "linked": 0, "taken": 0}
    assert runs[1]["made"] == sorted([*examples, "modele"])  # every charter assembled again...
    assert runs[1]["documents"] == {"rendered": 2, "linked": len(examples) - 1, "taken": 0}  # ...two rendered
    others = [slug for slug in examples if slug != city]
    assert {f"chartes/{slug}.md" for slug in others} <= set(runs[1]["written_pages"])
    assert f"chartes/{city}.md" not in runs[1]["written_pages"]
    clean = build(project_copy, site=tmp_path / "clean", env={"OFFLINE_ZIP": "false"})
    assert clean.returncode == 0, clean.output
    served = tmp_path / "serve" / "second" / "telechargements"
    assert "Bancdessai" in next(served.glob(f"charte-ia-{city}-*.md")).read_text(encoding="utf-8")
    assert "Bancdessai" not in next(served.glob("charte-ia-la-boutique-d-elise-*.md")).read_text(encoding="utf-8")
    assert _same_tree(tmp_path / "serve" / "second", tmp_path / "clean") == []


def test_a_library_edit_that_changes_no_charter_renders_nothing_again(project_copy: Path, tmp_path: Path) -> None:
    """A comment of the clause library: every document and organisation page is kept as made."""
    library = project_copy / "data" / "charter" / "library.yml"
    runs = _serve_twice(project_copy, tmp_path / "serve", library, "# Bibliothèque de clauses", "# La bibliothèque de clauses")
    examples = list((project_copy / "data" / "organizations").glob("*.yml"))
    assert runs[1]["documents"] == {"rendered": 0, "linked": len(examples) + 1, "taken": 0}
    # Every organisation's page and « L’essentiel », and the blank charter's « L’essentiel ».
    assert runs[1]["written"] == 2 * len(examples) + 1
    clean = build(project_copy, site=tmp_path / "clean", env={"OFFLINE_ZIP": "false"})
    assert clean.returncode == 0, clean.output
    assert _same_tree(tmp_path / "serve" / "second", tmp_path / "clean") == []


def test_catalogue_pages_follow_an_edit_in_serve(project_copy: Path, tmp_path: Path) -> None:
    """With more than 100 organisations the catalogue has pages of its own, which serve keeps
    by what they show: the page with the renamed organisation is made again, and the site is
    the clean build's."""
    folder = project_copy / "data" / "organizations"
    for i in range(104):  # 107 with the examples: a second page of 7
        (folder / f"organisation-{i:03d}.yml").write_text(f'name: "Organisation n° {i:03d}"\n', encoding="utf-8")
    target = folder / "organisation-103.yml"
    runs = _serve_twice(project_copy, tmp_path / "serve", target, "n° 103", "n° 103 renommée")
    assert runs[1]["made"] == ["organisation-103"]
    clean = build(project_copy, site=tmp_path / "clean", env={"OFFLINE_ZIP": "false"})
    assert clean.returncode == 0, clean.output
    assert "n° 103 renommée" in (tmp_path / "clean" / "chartes" / "page-2" / "index.html").read_text(encoding="utf-8")
    assert _same_tree(tmp_path / "serve" / "second", tmp_path / "clean") == []



# Builds in one process as `mkdocs serve` runs them, one after each step (a replacement in a file,
# or a file removed); for each build, the work it did: the charters assembled, the organisation
# files parsed, the charter pages the theme rendered, the folders made and files linked in the
# served site's charter folders, the charters whose documents the server rendered.
STEPS_SCRIPT = """
import json, os, sys
from pathlib import Path
from mkdocs.commands.build import build
from mkdocs.config import load_config
from charte_ia.builder.compile import PROBE_SLUG
from charte_ia.data import loader
from charte_ia.mkdocs import site
from charte_ia.mkdocs.serve_worker import ServeWorker
from charte_ia.render import html as html_pages

ServeWorker.take_last = lambda self: None  # as SCRIPT above

config_file, out, steps = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
site_dir = Path(out) / "served"
kept = tuple(str(site_dir / name) + os.sep for name in ("chartes", "telechargements"))
count = {}

def counting(name, what, call):
    def wrapper(*args, **kwargs):
        item = what(*args)
        result = call(*args, **kwargs)  # what raises (a folder there already) is not counted
        if item is not None:
            count.setdefault(name, []).append(item)
        return result
    return wrapper

html_pages.charter_page = counting("made", lambda p, c, *a: c.slug if c.slug != PROBE_SLUG else None, html_pages.charter_page)
loader.load_yaml = counting("parsed", lambda path, *a: str(path) if "organizations" in Path(path).parts else None, loader.load_yaml)
site.post_page = counting("rendered", lambda output, page: page.file.src_uri if isinstance(page, site.CharterPage) else None, site.post_page)
os.mkdir = counting("folders", lambda path, *a: str(path) if str(path).startswith(kept) else None, os.mkdir)
os.link = counting("linked", lambda source, target, *a: str(target) if str(target).startswith(kept) else None, os.link)
site.render_charter_documents = counting("documents", lambda project, entry, *a: entry.slug if entry else "", site.render_charter_documents)
runs = []
for n, step in enumerate([None, *steps]):
    if step is not None and step[0] == "remove":
        Path(step[1]).unlink()
    elif step is not None:
        path = Path(step[1])
        path.write_text(path.read_text(encoding="utf-8").replace(step[2], step[3], 1), encoding="utf-8")
    config = load_config(config_file, site_dir=str(site_dir), strict=True)
    if n == 0:
        config.plugins.on_startup(command="serve", dirty=False)
    count.clear()
    build(config)
    runs.append({name: sorted(items) for name, items in count.items()} | {"worker": dict(ServeWorker.last_counts)})
    ServeWorker.last_counts = {}
print(json.dumps(runs))
"""


def _serve_steps(root: Path, out: Path, steps: list[list[str]]) -> list[dict[str, list[str]]]:
    proc = subprocess.run(
        [sys.executable, "-c", STEPS_SCRIPT, str(root / "mkdocs.yml"), str(out), json.dumps(steps)],
        cwd=root,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        timeout=900,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_an_organisation_edit_does_the_work_of_one_charter(project_copy: Path, tmp_path: Path) -> None:
    """What an organisation edit costs does not grow with the number of organisations: one file
    parsed, one charter assembled, its two pages (and the blank charter's, which the search
    index reads) rendered, its documents rendered in the server, and in the served site's charter
    folders no folder made and none of the other charters' files linked again: they stay as
    they are. The documents' process knows of those the server rendered: a
    library edit that changes no charter renders none again. Removing a file removes its pages
    and their folders."""
    folder = project_copy / "data" / "organizations"
    for i in range(40):
        (folder / f"organisation-{i:03d}.yml").write_text(f'name: "Organisation n° {i:03d}"\n', encoding="utf-8")
    organisations = len(list(folder.glob("*.yml")))
    target = folder / "la-boutique-d-elise.yml"
    runs = _serve_steps(
        project_copy,
        tmp_path,
        [
            ["edit", str(target), "name: ", "name: Nouvelle "],
            ["edit", str(project_copy / "data" / "charter" / "library.yml"), "# Bibliothèque de clauses", "# La bibliothèque de clauses"],
            ["remove", str(folder / "organisation-007.yml")],
        ],
    )
    first, edit, library, removal = runs
    assert len(first["parsed"]) == organisations
    assert len(first["folders"]) >= 2 * organisations  # each charter's page and « L’essentiel »
    assert edit["made"] == ["la-boutique-d-elise"]
    assert len(edit["parsed"]) == 1
    # The released versions' pages are made again at every build (a few, whatever the number of
    # organisations); of the charters' own pages, the edited one's only.
    rendered = [src for src in edit["rendered"] if "/versions/" not in src]
    assert rendered == ["chartes/la-boutique-d-elise.md", "chartes/la-boutique-d-elise/essentiel.md", "chartes/modele.md"]
    assert edit.get("folders", []) == []
    # Linked again: the edited charter's downloads, the site's own, and the released versions'
    # files (data/releases/, which may change in place); none of the other organisations'.
    linked = [Path(name).name for name in edit["linked"]]
    assert "charte-ia-chartes.json" in linked and any("la-boutique-d-elise" in name for name in linked)
    assert not [name for name in linked if "organisation-" in name]
    assert edit["documents"] == ["la-boutique-d-elise"]
    assert library["worker"] == {"rendered": 0, "linked": organisations + 1, "taken": 0}
    assert removal.get("made", []) == [] and removal.get("folders", []) == []
    assert not (tmp_path / "served" / "chartes" / "organisation-007").exists()
    (folder / "organisation-007.yml").unlink(missing_ok=True)
    clean = build(project_copy, site=tmp_path / "clean", env={"OFFLINE_ZIP": "false"})
    assert clean.returncode == 0, clean.output
    assert "Nouvelle" in clean.page("chartes/la-boutique-d-elise/")
    assert _same_tree(tmp_path / "served", tmp_path / "clean") == []
