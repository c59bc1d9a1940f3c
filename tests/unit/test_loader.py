"""The loader: valid data loads; each bad input is a DataErrors naming file, field path and line.

Every case works on a copy of data/ (fixture `data_copy`), so that error paths read "data/…".
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

from charte_ia.data.errors import DataError, DataErrors
from charte_ia.data.loader import load_project

ORGS = "data/organizations"


# --- helpers -----------------------------------------------------------------------------------


def load_errors(data: Path) -> DataErrors:
    with pytest.raises(DataErrors) as info:
        load_project(data)
    return info.value


def single_error(data: Path, file: str) -> tuple[DataError, str]:
    """The one error reported for `file` (a path as shown, e.g. "data/study.yml"), and the report."""
    exc = load_errors(data)
    mine = [e for e in exc.errors if Path(e.file).as_posix() == file]
    assert len(mine) == 1, f"expected one error for {file}, got:\n{exc.report()}"
    assert len(exc.errors) == 1, f"unexpected extra errors:\n{exc.report()}"
    return mine[0], exc.report()


def assert_error(data: Path, file: str, field: str, line: int | None, *expected: str) -> DataError:
    """One error for `file`, on `field` at `line`, whose message (and the report) says `expected`."""
    error, report = single_error(data, file)
    assert error.field == field, report
    assert error.line == line, report
    where = f"{file}:{line}" if line is not None else file
    assert where in report, report
    if field:
        assert f"[{field}]" in report, report
    for words in expected:
        assert words in error.message, report
    return error


def write_org(data: Path, name: str, text: str) -> str:
    (data / "organizations" / name).write_text(text, encoding="utf-8")
    return f"{ORGS}/{name}"


def figure_index(data: Path, fig_id: str) -> int:
    figures = yaml.safe_load((data / "study.yml").read_text(encoding="utf-8"))["figures"]
    return next(i for i, f in enumerate(figures) if f["id"] == fig_id)


def set_figure_field(data: Path, fig_id: str, field: str, value: str) -> int:
    """Rewrite one field of one figure in study.yml; return the 1-based line it stands on."""
    path = data / "study.yml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.strip() == f"- id: {fig_id}")
    for i in range(start + 1, len(lines)):
        stripped = lines[i].strip()
        if stripped.startswith("- id:") or not lines[i].startswith(" "):
            break
        if stripped.startswith(f"{field}:"):
            indent = lines[i][: len(lines[i]) - len(lines[i].lstrip())]
            lines[i] = f"{indent}{field}: {value}\n"
            path.write_text("".join(lines), encoding="utf-8")
            return i + 1
    raise AssertionError(f"figure {fig_id} has no field {field} in study.yml")


# --- valid data --------------------------------------------------------------------------------


def test_repository_data_loads(data_copy: Path) -> None:
    project = load_project(data_copy)
    study = yaml.safe_load((data_copy / "study.yml").read_text(encoding="utf-8"))
    assert [f.id for f in project.study.figures] == [f["id"] for f in study["figures"]]
    assert set(project.figures) == {f["id"] for f in study["figures"]}
    slugs = sorted(p.stem for p in (data_copy / "organizations").glob("*.yml"))
    assert sorted(e.slug for e in project.organizations) == slugs
    assert len(project.organizations) >= 3
    assert len(project.recommendations) == 3
    assert project.library.sections


def test_organisation_with_only_a_name_loads(data_copy: Path) -> None:
    write_org(data_copy, "societe-minimale.yml", 'name: "Société minimale"\n')
    project = load_project(data_copy)
    entry = next(e for e in project.organizations if e.slug == "societe-minimale")
    assert entry.org.name == "Société minimale"
    assert entry.org.sector is None and entry.org.version is None
    assert entry.org.uses.images is None


def test_yaml_extension_and_unicode_name_load(data_copy: Path) -> None:
    write_org(data_copy, "ecole-d-ete.yaml", 'name: "École d’été 日本 🌞"\nuses: {images: forbidden}\n')
    project = load_project(data_copy)
    entry = next(e for e in project.organizations if e.slug == "ecole-d-ete")
    assert entry.org.name == "École d’été 日本 🌞"


# --- bad organisation files ---------------------------------------------------------------------


def test_not_yaml(data_copy: Path) -> None:
    file = write_org(data_copy, "cassee.yml", 'name: "X"\nsector: "a"\n  bad: indent\n')
    assert_error(data_copy, file, "", 3, "YAML invalide")


def test_top_level_not_a_mapping(data_copy: Path) -> None:
    file = write_org(data_copy, "liste.yml", "- name: X\n- sector: Y\n")
    assert_error(data_copy, file, "", 1, "dictionnaire")


def test_empty_file(data_copy: Path) -> None:
    file = write_org(data_copy, "vide.yml", "")
    error, report = single_error(data_copy, file)
    assert "dictionnaire" in error.message and "vide" in error.message, report


def test_unknown_key(data_copy: Path) -> None:
    file = write_org(data_copy, "faute.yml", 'name: "X"\nsector: "a"\nsectr: "b"\n')
    assert_error(data_copy, file, "sectr", 3, "clé inconnue", "sectr")


def test_unknown_nested_key(data_copy: Path) -> None:
    file = write_org(data_copy, "faute.yml", 'name: "X"\npeople:\n  dpo:\n    nom: "Y"\n')
    assert_error(data_copy, file, "people.dpo.nom", 4, "clé inconnue", "nom")


def test_wrong_type_list_expected(data_copy: Path) -> None:
    file = write_org(data_copy, "type.yml", 'name: "X"\nplatforms: "meta"\n')
    assert_error(data_copy, file, "platforms", 2, "liste attendue")


def test_wrong_type_text_expected(data_copy: Path) -> None:
    file = write_org(data_copy, "type.yml", 'name: "X"\nsector: "a"\nversion: 1.0\n')
    assert_error(data_copy, file, "version", 3, "texte attendu")


def test_missing_name(data_copy: Path) -> None:
    file = write_org(data_copy, "sans-nom.yml", 'sector: "Commerce"\nversion: "1"\n')
    assert_error(data_copy, file, "name", 1, "obligatoire")


def test_use_level_outside_the_three(data_copy: Path) -> None:
    file = write_org(data_copy, "niveau.yml", 'name: "X"\nuses:\n  images: sometimes\n')
    assert_error(data_copy, file, "uses.images", 3, "sometimes", "allowed", "review", "forbidden")


def test_use_level_message_is_in_french(data_copy: Path) -> None:
    """The list of possible values is French ("a, b ou c"): pydantic's English "or" must not leak."""
    file = write_org(data_copy, "niveau.yml", 'name: "X"\nuses:\n  images: sometimes\n')
    error, report = single_error(data_copy, file)
    assert " or " not in error.message, report
    assert "review ou forbidden" in error.message, report


def test_tool_use_outside_the_five(data_copy: Path) -> None:
    file = write_org(data_copy, "outil.yml", 'name: "X"\ntools:\n  - name: "A"\n    uses: [dance]\n')
    assert_error(data_copy, file, "tools[0].uses[0]", 4, "dance", "optimise_text")


def test_date_that_is_not_a_date(data_copy: Path) -> None:
    file = write_org(data_copy, "date.yml", 'name: "X"\nadopted: "demain"\n')
    assert_error(data_copy, file, "adopted", 2, "AAAA-MM-JJ", "demain")


def test_impossible_calendar_date(data_copy: Path) -> None:
    """2026-02-30 looks like a date to YAML but is none: a data error, never a crash."""
    file = write_org(data_copy, "date.yml", 'name: "X"\nadopted: 2026-02-30\n')
    assert_error(data_copy, file, "adopted", 2, "AAAA-MM-JJ")


def test_next_review_before_adoption(data_copy: Path) -> None:
    file = write_org(data_copy, "revision.yml", 'name: "X"\nadopted: 2026-01-15\nnext_review: 2025-06-01\n')
    assert_error(data_copy, file, "next_review", 3, "2025-06-01", "2026-01-15")


def test_next_review_on_adoption_day(data_copy: Path) -> None:
    file = write_org(data_copy, "revision.yml", 'name: "X"\nadopted: 2026-01-15\nnext_review: 2026-01-15\n')
    assert_error(data_copy, file, "next_review", 3, "postérieure")


def test_duplicate_yaml_key(data_copy: Path) -> None:
    file = write_org(data_copy, "double.yml", 'name: "X"\nsector: "a"\nsector: "b"\n')
    assert_error(data_copy, file, "sector", 3, "en double", "ligne 2")


def test_unknown_platform(data_copy: Path) -> None:
    file = write_org(data_copy, "reseau.yml", 'name: "X"\nplatforms: [meta, myspace]\n')
    assert_error(data_copy, file, "platforms[1]", 2, "myspace", "meta", "tiktok")


@pytest.mark.parametrize("stem", ["Bad_Name", "UPPER", "société", "deux--tirets", "-tiret", "avec espace"])
def test_invalid_slug_file_name(data_copy: Path, stem: str) -> None:
    file = write_org(data_copy, f"{stem}.yml", 'name: "X"\n')
    error = assert_error(data_copy, file, "", None, stem, "minuscules")
    assert "tirets" in error.message


@pytest.mark.parametrize("stem", ["modele", "index", "mode-d-emploi"])
def test_reserved_slug(data_copy: Path, stem: str) -> None:
    file = write_org(data_copy, f"{stem}.yml", 'name: "X"\n')
    assert_error(data_copy, file, "", None, stem, "réservé")


def test_duplicate_slug(data_copy: Path) -> None:
    write_org(data_copy, "x.yml", 'name: "X"\n')
    write_org(data_copy, "x.yaml", 'name: "Y"\n')
    exc = load_errors(data_copy)
    assert len(exc.errors) == 1, exc.report()
    report = exc.report()
    assert f"{ORGS}/x.yml" in report and f"{ORGS}/x.yaml" in report, report
    assert "double" in report, report


def test_symlink_outside_the_folder(data_copy: Path, tmp_path: Path) -> None:
    outside = tmp_path / "ailleurs.yml"
    outside.write_text('name: "Venue d’ailleurs"\n', encoding="utf-8")
    link = data_copy / "organizations" / "intrus.yml"
    try:
        os.symlink(outside, link)
    except OSError:  # pragma: no cover - platforms without symlinks
        pytest.skip("no symlinks here")
    error = assert_error(data_copy, f"{ORGS}/intrus.yml", "", None, "lien symbolique")
    assert "Venue d’ailleurs" not in error.message


def test_every_bad_file_is_reported_at_once(data_copy: Path) -> None:
    write_org(data_copy, "un.yml", 'name: "X"\nuses:\n  ideas: parfois\n')
    write_org(data_copy, "deux.yml", 'name: "Y"\nsectr: "b"\n')
    exc = load_errors(data_copy)
    files = sorted(Path(e.file).as_posix() for e in exc.errors)
    assert files == [f"{ORGS}/deux.yml", f"{ORGS}/un.yml"], exc.report()
    assert exc.report().startswith("2 erreurs")


# --- bad study data ------------------------------------------------------------------------------


def test_study_not_a_mapping(data_copy: Path) -> None:
    (data_copy / "study.yml").write_text("- 1\n- 2\n", encoding="utf-8")
    assert_error(data_copy, "data/study.yml", "", 1, "dictionnaire")


def test_duplicate_figure_id(data_copy: Path) -> None:
    path = data_copy / "study.yml"
    text = path.read_text(encoding="utf-8")
    first_line = text.splitlines().index("  - id: usage-idees") + 1
    copy = (
        "  - id: usage-idees\n"
        "    group: uses\n"
        '    label: "Copie"\n'
        "    value: 10\n"
        "    unit: percent\n"
        '    population: "professionnels interrogés"\n'
        "    source: blog-du-moderateur-2023\n"
        "    status: reported\n"
    )
    # Put the copy at the end of `figures`: before the next top-level key and its comments.
    lines = text.splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.startswith("headline:"))
    while at > 0 and (lines[at - 1].startswith("#") or not lines[at - 1].strip()):
        at -= 1
    new_text = "".join(lines[:at]) + copy + "".join(lines[at:])
    path.write_text(new_text, encoding="utf-8")
    dup_line = at + 1
    index = len(yaml.safe_load(new_text)["figures"]) - 1
    assert_error(
        data_copy, "data/study.yml", f"figures[{index}].id", dup_line, "usage-idees", "en double", f"ligne {first_line}"
    )


def test_figure_with_unknown_source(data_copy: Path) -> None:
    line = set_figure_field(data_copy, "usage-idees", "source", "source-inconnue")
    index = figure_index(data_copy, "usage-idees")
    assert_error(
        data_copy, "data/study.yml", f"figures[{index}].source", line, "source-inconnue", "blog-du-moderateur-2023"
    )


@pytest.mark.parametrize("value", ["101", "-1", "186.5"])
def test_percentage_outside_0_100(data_copy: Path, value: str) -> None:
    line = set_figure_field(data_copy, "usage-idees", "value", value)
    index = figure_index(data_copy, "usage-idees")
    assert_error(data_copy, "data/study.yml", f"figures[{index}].value", line, "entre 0 et 100")


@pytest.mark.parametrize("value", ["0", "100"])
def test_percentage_bounds_are_allowed(data_copy: Path, value: str) -> None:
    set_figure_field(data_copy, "usage-idees", "value", value)
    assert load_project(data_copy).figures["usage-idees"].value == float(value)


def test_figure_wrong_type(data_copy: Path) -> None:
    line = set_figure_field(data_copy, "usage-idees", "value", '"beaucoup"')
    index = figure_index(data_copy, "usage-idees")
    assert_error(data_copy, "data/study.yml", f"figures[{index}].value", line, "nombre")


def test_figure_unknown_key(data_copy: Path) -> None:
    line = set_figure_field(data_copy, "usage-idees", "status", "reported\n    statut: reported")
    index = figure_index(data_copy, "usage-idees")
    assert_error(data_copy, "data/study.yml", f"figures[{index}].statut", line + 1, "clé inconnue")


# --- mkdocs serve: organisation files kept by content -------------------------------------------


def test_the_serve_cache_reloads_only_a_changed_organisation(data_copy: Path) -> None:
    cache: dict = {}
    first = load_project(data_copy, cache)
    changed = data_copy / "organizations" / "la-boutique-d-elise.yml"
    text = changed.read_text(encoding="utf-8")
    changed.write_text(text.replace("name: ", "name: Nouvelle ", 1), encoding="utf-8")
    second = load_project(data_copy, cache)
    before = {e.slug: e.org for e in first.organizations}
    after = {e.slug: e.org for e in second.organizations}
    assert after["la-boutique-d-elise"].name.startswith("Nouvelle ")
    assert all(after[slug] is before[slug] for slug in before if slug != "la-boutique-d-elise")
    assert len(cache) == len(after)
    # A file that turns bad is reported as without the cache, and leaves it.
    changed.write_text(text.replace("name: ", "name:\n  - liste\nx: ", 1), encoding="utf-8")
    with pytest.raises(DataErrors) as info:
        load_project(data_copy, cache)
    assert info.value.report() == load_errors(data_copy).report()
    assert len(cache) == len(after) - 1
    (data_copy / "organizations" / "la-boutique-d-elise.yml").unlink()
    assert {e.slug for e in load_project(data_copy, cache).organizations} == set(after) - {"la-boutique-d-elise"}


# --- one organisation at a time (the documents' process: mkdocs/background.py) -----------------


def test_library_without_organizations_then_each_file_as_the_whole_load_reads_it(project, data_copy: Path) -> None:
    from charte_ia.data.loader import load_organization

    library = load_project(data_copy, organizations=False)
    assert library.organizations == [] and library.releases == {}
    assert library.library == project.library and library.platforms == project.platforms
    assert project.organizations
    for entry in project.organizations:
        one = load_organization(data_copy, data_copy / "organizations" / entry.path.name)
        assert (one.slug, one.org) == (entry.slug, entry.org)


def test_one_organization_file_reports_its_errors_as_the_whole_load(data_copy: Path) -> None:
    from charte_ia.data.loader import load_organization

    file = write_org(data_copy, "faute.yml", 'name: "X"\nsector: "a"\nsectr: "b"\n')
    whole = assert_error(data_copy, file, "sectr", 3, "clé inconnue", "sectr")
    with pytest.raises(DataErrors) as info:
        load_organization(data_copy, data_copy / "organizations" / "faute.yml")
    assert info.value.errors == [whole]
    assert load_project(data_copy, organizations=False).organizations == []  # not read at all
