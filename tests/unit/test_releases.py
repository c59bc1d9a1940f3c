"""Released versions: frozen by `release`, refused when the text changed under the same number,
checked at load, and compared with the current charter."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
from pathlib import Path

import pytest

from charte_ia.charter.assembly import assemble
from charte_ia.charter.diff import diff_charters, frozen as freeze, words
from charte_ia.charter.releases import (
    ReleaseError,
    drift,
    release,
    suggest_next,
    version_dir,
    version_key,
)
from charte_ia.data.errors import DataErrors
from charte_ia.data.loader import load_project
from charte_ia.render.docx import render_docx
from charte_ia.render.markdown import render_markdown
from charte_ia.render.typography import format_date

SLUG = "agence-pixel-et-plume"
DAY = dt.date(2026, 3, 1)


@pytest.fixture
def data_copy(data_copy: Path) -> Path:
    """The data without its released versions, the agency at version 1.2: each test releases
    its own."""
    shutil.rmtree(data_copy / "releases", ignore_errors=True)
    set_version(data_copy, "1.2")
    return data_copy


def org_file(data: Path) -> Path:
    return data / "organizations" / f"{SLUG}.yml"


def set_version(data: Path, version: str) -> None:
    path = org_file(data)
    lines = [f'version: "{version}"' if line.startswith("version:") else line for line in path.read_text("utf-8").splitlines()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_release_freezes_the_charter_and_is_a_no_op_when_repeated(data_copy: Path) -> None:
    project = load_project(data_copy)
    entry = next(e for e in project.organizations if e.slug == SLUG)
    outcome = release(project, SLUG, DAY)
    assert outcome.created
    folder = data_copy / "releases" / SLUG / version_dir(entry.org.version or "")
    from charte_ia.render import pdf

    expected = ["charte.docx", "charte.json", "charte.md", "charte.odt", "organisation.yml", "release.yml", "texte.json"]
    assert sorted(p.name for p in folder.iterdir()) == sorted(expected + (["charte.pdf"] if pdf.available() else []))
    assert (folder / "organisation.yml").read_bytes() == org_file(data_copy).read_bytes()
    assert (folder / "charte.md").read_bytes() == render_markdown(assemble(project, entry), project)
    assert (folder / "charte.docx").read_bytes() == render_docx(assemble(project, entry), project)
    umask = os.umask(0)
    os.umask(umask)
    assert folder.stat().st_mode & 0o777 == 0o777 & ~umask  # readable as any folder of the repository

    again = load_project(data_copy)
    (frozen,) = again.releases[SLUG]
    assert frozen.version == entry.org.version and frozen.released == DAY
    assert frozen.frozen() == freeze(assemble(again, entry), again.library.labels)
    assert not release(again, SLUG, dt.date(2026, 4, 1)).created  # same text: nothing written
    assert drift(again, entry) is None


def test_same_version_with_another_text_is_refused(data_copy: Path) -> None:
    release(load_project(data_copy), SLUG, DAY)
    edit(org_file(data_copy), 'incident_delay: "24 heures"', 'incident_delay: "12 heures"')
    project = load_project(data_copy)
    with pytest.raises(ReleaseError, match=r"déjà publiée.*changez le numéro de version.*« 1\.3 »") as refused:
        release(project, SLUG, DAY)
    entry = next(e for e in project.organizations if e.slug == SLUG)
    # The organisation and the clauses are named as their readers know them, not by identifier.
    changed = next(c.new for c in drift(project, entry).diff.clauses if c.kind == "changed")
    assert f"« {entry.org.name} »" in str(refused.value) and f"{changed.number} {changed.title}" in str(refused.value)
    assert changed.id not in str(refused.value)
    found = drift(project, entry)
    assert found is not None and found.version_unchanged
    assert found.diff.count("changed") >= 1
    set_version(data_copy, "1.3")
    assert release(load_project(data_copy), SLUG, DAY).created
    assert [r.version for r in load_project(data_copy).releases[SLUG]] == ["1.2", "1.3"]


def test_an_earlier_number_than_the_last_release_is_refused(data_copy: Path) -> None:
    release(load_project(data_copy), SLUG, DAY)
    set_version(data_copy, "1.1")
    edit(org_file(data_copy), 'incident_delay: "24 heures"', 'incident_delay: "12 heures"')
    with pytest.raises(ReleaseError, match="précède la dernière version publiée"):
        release(load_project(data_copy), SLUG, DAY)


def test_no_version_no_release(data_copy: Path) -> None:
    with pytest.raises(ReleaseError, match="ne donne pas de version"):
        release(load_project(data_copy), "la-boutique-d-elise", DAY)
    with pytest.raises(ReleaseError, match="aucune organisation « inconnue »"):
        release(load_project(data_copy), "inconnue", DAY)


def test_the_library_moving_on_does_not_change_a_release(data_copy: Path) -> None:
    project = load_project(data_copy)
    release(project, SLUG, DAY)
    frozen = load_project(data_copy).releases[SLUG][0]
    text, model = frozen.text(), frozen.model()
    library = data_copy / "charter" / "library.yml"
    entry = next(e for e in project.organizations if e.slug == SLUG)
    clause = assemble(project, entry).sections[1].clauses[0]
    source = library.read_text(encoding="utf-8")
    at = source.index(f"- id: {clause.id}\n")
    title = re.compile(r"^(\s+)title: .*$", re.M).search(source, at)
    assert title is not None
    library.write_text(source[: title.start()] + f'{title.group(1)}title: "Titre révisé"' + source[title.end() :], encoding="utf-8")
    moved = load_project(data_copy)
    (still,) = moved.releases[SLUG]
    assert still.text() == text and still.model() == model
    assert still.revision == frozen.revision
    entry = next(e for e in moved.organizations if e.slug == SLUG)
    found = drift(moved, entry)
    assert found is not None and clause.id in found.diff.clause_ids()


def test_a_hand_edited_release_is_an_error_naming_the_file(data_copy: Path) -> None:
    release(load_project(data_copy), SLUG, DAY)
    text = data_copy / "releases" / SLUG / "1.2" / "charte.md"
    text.write_bytes(text.read_bytes().replace(b"Pixel", b"Pixels", 1))
    with pytest.raises(DataErrors) as info:
        load_project(data_copy)
    report = info.value.report()
    assert f"data/releases/{SLUG}/1.2/charte.md" in report and "une version publiée ne change pas" in report


def test_a_bad_release_file_names_its_line(data_copy: Path) -> None:
    release(load_project(data_copy), SLUG, DAY)
    meta = data_copy / "releases" / SLUG / "1.2" / "release.yml"
    meta.write_text(meta.read_text("utf-8") + "signed_by: quelqu’un\n", encoding="utf-8")
    with pytest.raises(DataErrors) as info:
        load_project(data_copy)
    lines = meta.read_text("utf-8").splitlines()
    assert f"data/releases/{SLUG}/1.2/release.yml:{len(lines)}" in info.value.report()
    assert "signed_by" in info.value.report()


def test_releases_of_an_unknown_organisation_are_an_error(data_copy: Path) -> None:
    (data_copy / "releases" / "disparue" / "1.0").mkdir(parents=True)
    with pytest.raises(DataErrors, match="aucune organisation « disparue »"):
        load_project(data_copy)


def test_a_missing_file_is_an_error(data_copy: Path) -> None:
    release(load_project(data_copy), SLUG, DAY)
    (data_copy / "releases" / SLUG / "1.2" / "charte.json").unlink()
    with pytest.raises(DataErrors, match=r"1\.2/charte\.json.*fichier manquant"):
        load_project(data_copy)


@pytest.mark.parametrize(("version", "folder"), [("1.2", "1.2"), ("V2 (finale)", "v2-finale"), ("2026-01", "2026-01")])
def test_version_dir(version: str, folder: str) -> None:
    assert version_dir(version) == folder


def test_version_order_and_suggestion() -> None:
    assert sorted(["1.10", "1.9", "1.2", "2.0"], key=version_key) == ["1.2", "1.9", "1.10", "2.0"]
    assert suggest_next("1.2") == "1.3" and suggest_next("2026-09") == "2026-10" and suggest_next("v") == "v.1"


def test_word_diff_marks_what_changed() -> None:
    pieces = words("Relire sous 24 heures avant publication.", "Relire sous 12 heures avant toute publication.")
    assert [(p.op, p.text) for p in pieces if p.op != "equal"] == [("delete", "24"), ("insert", "12"), ("insert", "toute ")]
    assert "".join(p.text for p in pieces if p.op != "insert") == "Relire sous 24 heures avant publication."
    assert "".join(p.text for p in pieces if p.op != "delete") == "Relire sous 12 heures avant toute publication."


def test_charter_diff_finds_added_removed_and_changed_clauses(project) -> None:
    labels = project.library.labels
    blank, agency = freeze(assemble(project), labels), freeze(assemble(project, project.organizations[0]), labels)
    assert diff_charters(agency, agency).empty
    diff = diff_charters(blank, agency)
    kinds = {c.kind for c in diff.clauses}
    assert "changed" in kinds
    blank_ids = {c.id for c in blank.clauses()}
    agency_ids = {c.id for c in agency.clauses()}
    assert {c.id for c in diff.clauses if c.kind == "removed"} == blank_ids - agency_ids
    assert {c.id for c in diff.clauses if c.kind == "added"} == agency_ids - blank_ids
    assert any(h.label == "Organisation" for h in diff.header)


def test_release_and_check_commands(data_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from charte_ia.cli import main

    args = ["--data", str(data_copy)]
    assert main([*args, "release", SLUG, "--date", "2026-03-01"]) == 0
    assert "publiée dans" in capsys.readouterr().out
    assert main([*args, "release", SLUG]) == 0
    assert "rien à faire" in capsys.readouterr().out
    edit(org_file(data_copy), 'incident_delay: "24 heures"', 'incident_delay: "12 heures"')
    assert main([*args, "release", SLUG]) == 1
    err = capsys.readouterr().err
    assert "Erreur : la version 1.2" in err and "Traceback" not in err
    assert main([*args, "check"]) == 0
    out = capsys.readouterr().out
    assert "1 version publiée." in out
    assert f"a changé depuis sa version publiée 1.2 (le {format_date(DAY)})" in out
    assert "clause modifiée" in out and "(incidents-signalement)" in out
    set_version(data_copy, "1.3")
    assert main([*args, "check"]) == 0
    assert "a changé" not in capsys.readouterr().out  # a new number, not yet released: not a drift


def test_a_release_without_a_document_format_is_still_valid(data_copy: Path) -> None:
    """A release made before a format existed has none of it: it loads, and has no such download."""
    import yaml

    release(load_project(data_copy), SLUG, DAY)
    folder = data_copy / "releases" / SLUG / "1.2"
    (folder / "charte.docx").unlink()
    meta = folder / "release.yml"
    data = yaml.safe_load(meta.read_text("utf-8"))
    del data["sha256"]["charte.docx"]
    del data["sha256"]["charte.odt"]
    (folder / "charte.odt").unlink()
    if data["sha256"].pop("charte.pdf", None):
        (folder / "charte.pdf").unlink()
    meta.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    (frozen,) = load_project(data_copy).releases[SLUG]
    assert frozen.documents == ()
    data["sha256"]["charte.rtf"] = "0" * 64
    meta.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.raises(DataErrors, match="fichier « charte.rtf » inconnu"):
        load_project(data_copy)


def test_a_revision_is_named_in_words(data_copy: Path) -> None:
    """« révision de décembre 2026 », « révision du 3 mars 2027 »; a revision the changelog does not
    name (an early release's hash of the library) has no words: the pages say « antérieure »."""
    from charte_ia.render.typography import revision_words
    from charte_ia.render.versions import release_revision

    project = load_project(data_copy)
    newest = project.changelog.revisions[0]
    assert release_revision(project, newest.revision) == revision_words(newest.revision, newest.date)
    assert release_revision(project, "contenu-abe322e23bfc") is None
    assert revision_words("2026-12", dt.date(2026, 12, 1)) == "de décembre 2026"
    assert revision_words("2026-08", dt.date(2026, 8, 3)) == "d’août 2026"
    assert revision_words("2027-03-b", dt.date(2027, 3, 3)) == "du 3\u00a0mars 2027"


def test_a_version_page_shows_each_clause_without_its_justification() -> None:
    """signed_lines keeps a frozen clause's condition, paragraphs and rows, and leaves out the
    justification and its sources that end it; a line that only begins like one stays."""
    from charte_ia.charter.diff import ClauseText
    from charte_ia.render.versions import signed_lines

    labels = ("Pourquoi cette règle ?", "Pourquoi cette définition ?")
    body = ("Clause à conserver ou à supprimer : elle s’applique si…", "Le texte.", "Meta · une étiquette")
    for tail in ((), ("Sources : CNIL",)):
        clause = ClauseText("x", "1.1", "Titre", "Section", (*body, "Pourquoi cette règle ? Parce que.", *tail))
        assert signed_lines(clause, labels) == body
    definition = ClauseText("d", "2.1", "Titre", "Section", ("Le sens.", "Pourquoi cette définition ? Pour.", "Sources : X"))
    assert signed_lines(definition, labels) == ("Le sens.",)
    early = ClauseText("e", "3.1", "Titre", "Section", ("Pourquoi cette règle ? dit la première ligne.", "Deux.", "Trois.", "Quatre."))
    assert signed_lines(early, labels) == early.lines


def test_check_names_the_files_of_the_folder_it_reads(data_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """With `--data` elsewhere, the drift report names that folder's files (and the command to
    run there), never data/…; `--strict` turns the warning into a failure."""
    from charte_ia.cli import main

    other = tmp_path / "ailleurs" / "donnees-agence"
    other.parent.mkdir()
    data_copy.rename(other)
    args = ["--data", str(other)]
    today = dt.date(2026, 12, 1)
    assert main([*args, "release", SLUG, "--date", "2026-03-01"]) == 0
    assert main([*args, "check", "--strict"], today=today) == 0  # nothing to say: no failure either
    edit(other / "charter" / "library.yml", 'title: "Finalité de la charte"', 'title: "Finalité de cette charte"')
    capsys.readouterr()
    assert main([*args, "check"], today=today) == 0
    out = capsys.readouterr().out
    assert f"(donnees-agence/organizations/{SLUG}.yml) a changé depuis sa version publiée 1.2" in out, out
    assert f"python -m charte_ia --data {other} release {SLUG}" in out
    assert "data/" not in out.replace("donnees-agence/", "")
    assert main([*args, "check", "--strict"], today=today) == 1
    assert "a changé depuis" in capsys.readouterr().out
    with pytest.raises(ReleaseError, match="donnees-agence/organizations/"):
        release(load_project(other), "inconnue", DAY)
