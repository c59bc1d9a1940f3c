"""Builds of a changed copy of the project: data changes show, bad data stops the build cleanly."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sitecheck import NBSP, build, docx_text, md_unescape, norm, strip_tags

# The offline zip (issue 4) is not what these tests are about: skip it to halve each build.
FAST = {"OFFLINE_ZIP": "false"}


def replace_once(path: Path, old: str, new: str) -> int:
    """Replace the one occurrence of `old` in `path`; return the 1-based line where it stood."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} should occur once in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


def downloads(site: Path, suffix: str) -> list[Path]:
    return sorted((site / "telechargements").glob(f"charte-ia-*{suffix}"))


def test_changing_a_figure_changes_the_pages_and_documents(project_copy: Path, built_site) -> None:
    study = project_copy / "data" / "study.yml"
    text = study.read_text(encoding="utf-8")
    block = re.search(r"  - id: usage-optimiser-texte\n(?:    .*\n)+", text)
    assert block and "    value: 86\n" in block.group(0)
    study.write_text(
        text.replace(block.group(0), block.group(0).replace("value: 86\n", "value: 87\n")), encoding="utf-8"
    )

    result = build(project_copy, env=FAST)
    assert result.returncode == 0, result.output

    def row(page_html: str) -> str:
        match = re.search(r'<tr>(?:(?!</tr>).)*?id="fig-usage-optimiser-texte"(?:(?!</tr>).)*</tr>', page_html, re.S)
        assert match
        return strip_tags(match.group(0))

    assert f"86{NBSP}%" in row(built_site.page("chiffres/"))
    assert f"87{NBSP}%" in row(result.page("chiffres/")) and f"86{NBSP}%" not in row(result.page("chiffres/"))

    # It is a headline figure: the home page follows too.
    home = strip_tags(result.page(""))
    assert f"87{NBSP}%" in home and f"86{NBSP}%" not in home
    assert f"86{NBSP}%" in strip_tags(built_site.page(""))

    # The charters cite the figure (the uses table, the "why" of the clauses): they follow.
    label = "Utilisent l’IA pour optimiser du texte"
    for suffix in (".md", ".docx"):
        before = downloads(built_site.site, suffix)
        after = downloads(result.site, suffix)
        assert [p.name for p in before] == [p.name for p in after]
        for old, new in zip(before, after, strict=True):
            read = docx_text if suffix == ".docx" else (lambda p: md_unescape(p.read_text(encoding="utf-8")))
            old_text, new_text = norm(read(old)), norm(read(new))
            assert f"{label} : 86 %" in old_text, old.name
            assert f"{label} : 87 %" in new_text and f"{label} : 86 %" not in new_text, new.name
    charter = norm(strip_tags(result.page("chartes/modele/")))
    assert f"{label} : 87 %" in charter and f"{label} : 86 %" not in charter


def test_bad_data_fails_and_leaves_the_previous_site(project_copy: Path) -> None:
    site = project_copy / "site"
    first = build(project_copy, site, env=FAST)
    assert first.returncode == 0, first.output
    index = site / "index.html"
    before = index.read_bytes()
    mtime = index.stat().st_mtime_ns
    files_before = sorted(p.relative_to(site) for p in site.rglob("*"))

    (project_copy / "data" / "organizations" / "mauvaise.yml").write_text(
        'name: "Mauvaise"\nsector: "Test"\nuses:\n  images: parfois\n', encoding="utf-8"
    )
    second = build(project_copy, site, env=FAST)
    assert second.returncode != 0
    assert "Traceback" not in second.output
    assert "data/organizations/mauvaise.yml:4 [uses.images]" in second.output, second.output
    assert "parfois" in second.output
    # The site that was there is untouched: nothing removed, nothing half-written for the bad file.
    assert index.read_bytes() == before and index.stat().st_mtime_ns == mtime
    assert sorted(p.relative_to(site) for p in site.rglob("*")) == files_before
    assert not (site / "chartes" / "mauvaise").exists()


def write_org(root: Path, name: str, text: str, line: int) -> int:
    (root / "data" / "organizations" / name).write_text(text, encoding="utf-8")
    return line


def percentage_out_of_range(root: Path) -> int:
    return replace_once(root / "data" / "study.yml", "    value: 52\n", "    value: 152\n")


def unknown_source(root: Path) -> int:
    study = root / "data" / "study.yml"
    text = study.read_text(encoding="utf-8")
    block = re.search(r"  - id: entreprises-charge-travail\n(?:    .*\n)+", text)
    assert block
    old = block.group(0)
    source = next(line for line in old.splitlines() if line.startswith("    source:"))
    study.write_text(text.replace(old, old.replace(source, "    source: nulle-part")), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1 + old.splitlines().index(source)


# case -> (how to break the data, returning the line; where the message points; what it says)
BAD_DATA = {
    "percentage": (percentage_out_of_range, "data/study.yml:{line} [figures[", "entre 0 et 100"),
    "unknown-source": (unknown_source, "data/study.yml:{line} [figures[", "nulle-part"),
    "not-yaml": (
        lambda root: write_org(root, "cassee.yml", 'name: "X"\nsector: "a"\n  bad: x\n', 3),
        "data/organizations/cassee.yml:{line}",
        "YAML invalide",
    ),
    "impossible-date": (
        lambda root: write_org(root, "date.yml", 'name: "X"\nadopted: 2026-02-30\n', 2),
        "data/organizations/date.yml:{line} [adopted]",
        "AAAA-MM-JJ",
    ),
}


@pytest.mark.parametrize("case", list(BAD_DATA))
def test_bad_data_fails_the_build_with_its_message(project_copy: Path, case: str) -> None:
    breaker, where, words = BAD_DATA[case]
    line = breaker(project_copy)
    result = build(project_copy, env=FAST)
    assert result.returncode != 0
    assert "Traceback" not in result.output, result.output
    assert where.format(line=line) in result.output, result.output
    assert words in result.output
    assert not (project_copy / "site").exists() or not any((project_copy / "site").rglob("*.html"))


def test_links_to_a_charter_pages_anchors_are_checked(project_copy: Path) -> None:
    """A written page's links to anchors of an organisation's charter page and of the blank
    charter: the anchor that exists passes, the one that does not stops `--strict` (MkDocs
    checks them after the last page is written; the charter pages keep the anchors that such
    a link waits on, site.release_anchors)."""
    from charte_ia.charter.assembly import assemble
    from charte_ia.data.loader import load_project
    from charte_ia.render.pages import clause_anchor

    project = load_project(project_copy / "data")
    entry = next(e for e in project.organizations if e.slug == "agence-pixel-et-plume")
    real = clause_anchor(assemble(project, entry).sections[-1].clauses[-1].id)
    index = project_copy / "docs" / "index.md"
    index.write_text(
        index.read_text(encoding="utf-8")
        + f"\n\n[Une clause](chartes/agence-pixel-et-plume.md#{real})"
        + f" [Une autre](chartes/modele.md#{real}) [Aucune](chartes/agence-pixel-et-plume.md#clause-absente)\n",
        encoding="utf-8",
    )
    result = build(project_copy, env=FAST)
    assert result.returncode != 0
    warnings = [line for line in result.output.splitlines() if "does not contain an anchor" in line]
    assert len(warnings) == 1 and "'#clause-absente'" in warnings[0], result.output[-3000:]
