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
