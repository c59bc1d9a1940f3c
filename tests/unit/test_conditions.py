"""The rules of issue-free charters: conditions by kind, use, platform and filled field (on
clauses and sections), undecided conditions, the small-business fallback, the designation, adopted
against draft charters, « Règles vérifiées le … », and what `check` warns about."""

from __future__ import annotations

import dataclasses
import re
import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml

from charte_ia.charter.assembly import Blank, Charter, ClauseView, Value, assemble
from charte_ia.charter.checks import stale_facts, unfinished_adoptions, warnings
from charte_ia.data.errors import DataErrors
from charte_ia.data.loader import OrganizationEntry, Project, load_project
from charte_ia.data.models import Clause, Section, When
from charte_ia.render.typography import format_month, join_items, lower_first, revision_name, upper_first

ISO = re.compile(r"\d{4}-\d{2}")

NBSPS = str.maketrans({"\u00a0": " ", "\u202f": " "})


def entry(slug: str = "essai", **fields: Any) -> OrganizationEntry:
    from charte_ia.data.models import Organization

    return OrganizationEntry(slug, Organization.model_validate({"name": "Organisation d’essai", **fields}), Path(f"{slug}.yml"))


def with_clause(project: Project, when: dict[str, Any], text: str = "Texte d’essai.", section_when: dict | None = None) -> Project:
    """The project with one more section holding one clause `essai` under `when`."""
    clause = Clause(id="essai", title="Essai", text=text, when=When.model_validate(when) if when else None, why={"note": "Parce que."})
    section = Section(
        id="essai", title="Essai", clauses=[clause], when=When.model_validate(section_when) if section_when else None
    )
    library = project.library.model_copy(update={"sections": [*project.library.sections, section]})
    return dataclasses.replace(project, library=library)


def clause(charter: Charter, clause_id: str = "essai") -> ClauseView | None:
    return next((c for s in charter.sections for c in s.clauses if c.id == clause_id), None)


def outcome(found: ClauseView | None) -> str:
    """What a condition made of a clause: « dropped », « applies » or « undecided » (kept, marked)."""
    if found is None:
        return "dropped"
    return "applies" if found.condition is None else "undecided"


def plain(text: str | None) -> str:
    return (text or "").translate(NBSPS)


# --- conditions ----------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["agency", "company", "public_body", "small_business", "association"])
def test_kind_condition(project: Project, kind: str) -> None:
    p = with_clause(project, {"kinds": ["agency", "public_body"]})
    found = clause(assemble(p, entry(kind=kind)))
    if kind in ("agency", "public_body"):
        assert found is not None and found.condition is None
    else:
        assert found is None


def test_undecided_kind_keeps_the_clause_marked(project: Project) -> None:
    p = with_clause(project, {"kinds": ["agency", "public_body"]})
    for charter in (assemble(p, entry()), assemble(p)):
        found = clause(charter)
        assert found is not None
        condition = plain(found.condition)
        assert condition.startswith("Clause à conserver ou à supprimer : ")
        assert "une agence ou un organisme public" in condition


def test_undecided_conditions_are_joined_by_et(project: Project) -> None:
    p = with_clause(project, {"kinds": ["company"], "use": "video", "levels": ["allowed"], "platform": "tiktok"})
    condition = plain(clause(assemble(p)).condition)
    assert condition == (
        "Clause à conserver ou à supprimer : elle s’applique si l’organisation est une entreprise "
        "et l’usage « Générer ou monter des vidéos » est autorisé, relu par l’auteur "
        "et l’organisation publie sur TikTok."
    ).replace("autorisé, relu par l’auteur", project.library.levels.allowed[0].lower() + project.library.levels.allowed[1:])
    # A decided key is left out of the note; a failed one drops the clause.
    decided = plain(clause(assemble(p, entry(kind="company", platforms=["tiktok"]))).condition)
    assert "entreprise" not in decided and "TikTok" not in decided and "vidéos" in decided
    assert clause(assemble(p, entry(kind="company", platforms=["meta"]))) is None
    assert clause(assemble(p, entry(kind="company", platforms=["tiktok"], uses={"video": "allowed"}))).condition is None


def test_use_list_is_any_of_the_uses(project: Project) -> None:
    p = with_clause(project, {"use": ["images", "video"], "levels": ["allowed", "review"]})
    assert clause(assemble(p, entry(uses={"images": "forbidden", "video": "review"}))).condition is None
    assert clause(assemble(p, entry(uses={"images": "forbidden", "video": "forbidden"}))) is None
    undecided = clause(assemble(p, entry(uses={"images": "forbidden"})))
    assert "si l’un des usages « Générer des images » ou « Générer ou monter des vidéos » est autorisé" in plain(
        undecided.condition
    )
    three = with_clause(project, {"use": ["images", "video", "voice"], "levels": ["allowed", "review"]})
    condition = plain(clause(assemble(three)).condition)
    assert "l’un des usages « Générer des images », « Générer ou monter des vidéos » ou « Générer ou transformer" in condition
    assert " » ou « Générer ou monter" not in condition
    one = with_clause(project, {"use": "images", "levels": ["allowed", "review"]})
    assert "si l’usage « Générer des images » est autorisé" in plain(clause(assemble(one)).condition)


@pytest.mark.parametrize(
    ("uses", "expected"),
    [
        ({"images": "forbidden", "video": "forbidden", "voice": "forbidden"}, "applies"),
        ({"images": "forbidden", "video": "review", "voice": "forbidden"}, "dropped"),
        # One decided use outside the levels settles it, even while another is undecided.
        ({"images": "allowed"}, "dropped"),
        ({"images": "forbidden", "voice": "forbidden"}, "undecided"),
        ({}, "undecided"),
    ],
)
def test_match_all_needs_every_use_at_the_levels(project: Project, uses: dict, expected: str) -> None:
    p = with_clause(project, {"use": ["images", "video", "voice"], "levels": ["forbidden"], "match": "all"})
    found = clause(assemble(p, entry(uses=uses)))
    assert outcome(found) == expected
    if expected == "undecided":
        assert (
            "si chacun des usages « Générer des images », « Générer ou monter des vidéos » et « Générer ou "
            "transformer des voix et de l’audio » est interdit."
        ) in plain(found.condition)


def test_any_and_all_of_the_same_uses_never_both_apply(project: Project) -> None:
    # The two deepfake clauses of the library: one keeps the consent exception, the other has none.
    levels = ("allowed", "review", "forbidden")
    for images in levels:
        for video in levels:
            for voice in levels:
                charter = assemble(project, entry(uses={"images": images, "video": video, "voice": voice}))
                found = {c.id for s in charter.sections for c in s.clauses}
                assert len(found & {"interdit-hypertrucage", "interdit-hypertrucage-absolu"}) == 1
                assert ("interdit-hypertrucage-absolu" in found) == (images == video == voice == "forbidden")
    blank = {c.id: c for s in assemble(project).sections for c in s.clauses}
    assert blank["interdit-hypertrucage"].condition and blank["interdit-hypertrucage-absolu"].condition


def test_match_is_only_for_uses() -> None:
    with pytest.raises(ValueError):
        When.model_validate({"kinds": ["agency"], "match": "all"})
    with pytest.raises(ValueError):
        When.model_validate({"use": ["images"], "levels": ["allowed"], "match": "some"})


@pytest.mark.parametrize(
    ("fields", "expected"),
    [({"clients": ["Client A"]}, True), ({"clients": []}, False), ({}, False)],
)
def test_filled_list(project: Project, fields: dict, expected: bool) -> None:
    p = with_clause(project, {"filled": "clients"})
    found = clause(assemble(p, entry(**fields)))
    assert (found is not None and found.condition is None) if expected else found is None


@pytest.mark.parametrize(("influence", "expected"), [(True, "applies"), (False, "dropped"), (None, "undecided")])
def test_filled_yes_no(project: Project, influence: bool | None, expected: str) -> None:
    p = with_clause(project, {"filled": "influence"})
    found = clause(assemble(p, entry(influence=influence)))
    assert outcome(found) == expected
    if expected == "undecided":
        assert project.library.filled_conditions["influence"] in found.condition.translate(NBSPS).replace(" ", " ")


def test_blank_charter_keeps_a_filled_clause_marked(project: Project) -> None:
    p = with_clause(project, {"filled": "moderation_tools"})
    assert "modération" in clause(assemble(p)).condition


def test_section_condition(project: Project) -> None:
    p = with_clause(project, {}, section_when={"kinds": ["public_body"]})
    city, shop, blank = assemble(p, entry(kind="public_body")), assemble(p, entry(kind="small_business")), assemble(p)
    assert [s.condition for s in city.sections if s.id == "essai"] == [None]
    assert all(s.id != "essai" for s in shop.sections)
    # Only the test section, and the library's own sections for public bodies, tell them apart.
    public_only = {
        s.id for s in p.library.sections if s.when and s.when.kinds and "small_business" not in s.when.kinds
        and "public_body" in s.when.kinds
    }
    assert {s.id for s in city.sections} - {s.id for s in shop.sections} == public_only
    marked = next(s for s in blank.sections if s.id == "essai")
    assert "un organisme public" in plain(marked.condition)


def test_a_condition_needs_a_key_and_use_needs_levels() -> None:
    for bad in ({}, {"use": "images"}, {"levels": ["allowed"]}):
        with pytest.raises(ValueError):
            When.model_validate(bad)


def test_filled_condition_must_name_a_field_and_have_words(data_copy: Path) -> None:
    path = data_copy / "charter" / "library.yml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("        when: {platform: meta}", "        when: {filled: people.adopter}", 1), encoding="utf-8"
    )
    with pytest.raises(DataErrors) as exc:
        load_project(data_copy)
    assert "filled_conditions" in exc.value.report()
    path.write_text(text.replace("        when: {platform: meta}", "        when: {filled: nowhere}", 1), encoding="utf-8")
    with pytest.raises(DataErrors) as exc:
        load_project(data_copy)
    assert "« nowhere » absent du modèle d’organisation" in exc.value.report()


# --- the organisation's people and name ----------------------------------------------------------


def people_roles(charter: Charter) -> list[str]:
    block = next(c.block for s in charter.sections for c in s.clauses if c.block and c.block.kind == "people")
    return [row.role for row in block.people]


def test_small_business_names_a_data_contact_not_a_dpo(project: Project) -> None:
    labels = project.library.labels
    shop = assemble(
        project,
        entry(kind="small_business", people={"data_contact": {"name": "Élise Morel", "contact": "elise@example.fr"}}),
    )
    assert labels.dpo not in people_roles(shop) and labels.data_contact in people_roles(shop)
    company = assemble(project, entry(kind="company"))
    assert labels.dpo in people_roles(company) and labels.data_contact not in people_roles(company)
    # The blank charter offers both, each marked as one or the other.
    assert {f"{labels.dpo} {labels.one_or_other}", f"{labels.data_contact} {labels.one_or_other}"} <= set(
        people_roles(assemble(project))
    )
    values = {seg.text for c in (cl for s in shop.sections for cl in s.clauses) for p in c.paragraphs for seg in p if isinstance(seg, Value)}
    assert "Élise Morel" in values


def test_designation_falls_back_to_the_name(project: Project) -> None:
    p = with_clause(project, {}, text="La présente charte est adoptée par {designation}.")
    with_designation = clause(assemble(p, entry(designation="l’agence Essai"))).paragraphs[0]
    assert Value("l’agence Essai") in with_designation
    assert Value("Organisation d’essai") in clause(assemble(p, entry())).paragraphs[0]
    assert any(isinstance(seg, Blank) for seg in clause(assemble(p)).paragraphs[0])


def test_blank_wording_is_the_same_wherever_a_field_is_asked(project: Project) -> None:
    charter = assemble(project, entry())
    whats = {b.what for b in charter.blanks()}
    assert project.library.placeholders["version"].label in whats
    assert not [w for w in whats if " : " in w.translate(NBSPS) and w.count(":") > 1]
    assert not [w for w in whats if w.startswith("contact")]
    assert not [w for w in whats if re.search(r"\b(ia|dpo)\b", w)]


# --- adopted or draft ----------------------------------------------------------------------------

ADOPTED = {"version": "1.0", "adopted": "2026-09-01"}


def complete_org(project: Project, **extra: Any) -> OrganizationEntry:
    """An organisation that fills every blank of its charter: the agency's file, completed."""
    agency = next(e for e in project.organizations if e.slug == "agence-pixel-et-plume")
    data = agency.org.model_dump(exclude_none=True)
    data["uses"] = {use: data["uses"].get(use, "review") for use in type(agency.org.uses).model_fields}
    data.update(extra)
    return entry("complete", **data)


def test_adopted_needs_version_adoption_date_and_no_blank(project: Project) -> None:
    full = complete_org(project, **ADOPTED)
    charter = assemble(project, full)
    assert charter.blanks() == []
    assert charter.is_adopted and charter.status == project.library.labels.adopted_status
    # The notice replaces the disclaimer: revision and date of the checks, no « modèle ».
    assert revision_name(project.revision) in charter.disclaimer and "vérifiées le" in charter.disclaimer
    assert not ISO.search(charter.disclaimer)
    assert charter.disclaimer != project.library.disclaimer
    draft = assemble(project, complete_org(project, version=None, adopted=None, next_review=None))
    assert not draft.is_adopted and draft.status == project.library.labels.draft
    with_blank = assemble(project, complete_org(project, brand_voice=None, **ADOPTED))
    assert with_blank.declares_adoption and not with_blank.is_adopted
    assert with_blank.status == project.library.labels.draft
    assert "modèle" in with_blank.disclaimer
    assert assemble(project).status == "" and not assemble(project).is_adopted


def test_check_names_each_blank_of_an_adopted_charter(project: Project) -> None:
    org = complete_org(project, brand_voice=None, training=None, **ADOPTED)
    p = dataclasses.replace(project, organizations=[org])
    lines = list(unfinished_adoptions(p))
    assert len(lines) == 1
    line = plain(lines[0])
    assert "complete.yml" in line and "2 blancs" in line
    assert f"« {project.library.placeholders['ton_de_marque'].label} »" in line
    assert f"« {project.library.placeholders['formation'].label} »" in line
    done = dataclasses.replace(project, organizations=[complete_org(project, **ADOPTED)])
    assert list(unfinished_adoptions(done)) == []


def test_check_agrees_with_the_number_of_blanks(project: Project) -> None:
    one = dataclasses.replace(project, organizations=[complete_org(project, brand_voice=None, **ADOPTED)])
    line = plain(next(unfinished_adoptions(one)))
    assert "encore 1 blanc :" in line and line.endswith("Elle reste un projet tant qu’il n’est pas rempli.")
    two = dataclasses.replace(project, organizations=[complete_org(project, brand_voice=None, training=None, **ADOPTED)])
    assert plain(next(unfinished_adoptions(two))).endswith("tant qu’ils ne sont pas remplis.")


# --- facts that stay true ------------------------------------------------------------------------


def test_every_charter_says_when_its_rules_were_checked(project: Project) -> None:
    cited = [s.checked for s in project.sources.values() if s.checked] + [p.checked for p in project.platforms.values()]
    for charter in (assemble(project), *(assemble(project, e) for e in project.organizations)):
        assert charter.checked and plain(charter.checked).startswith("Règles vérifiées le ")
    # The oldest date among the facts a charter cites.
    old = dt.date(2025, 3, 1)
    platforms = dict(project.platforms)
    platforms["tiktok"] = platforms["tiktok"].model_copy(update={"checked": old})
    older = dataclasses.replace(project, platforms=platforms)
    assert plain(assemble(older, entry(platforms=["tiktok"])).checked) == "Règles vérifiées le 1ᵉʳ mars 2025"
    assert plain(assemble(older, entry(platforms=["meta"])).checked) != "Règles vérifiées le 1ᵉʳ mars 2025"
    assert min(cited) <= dt.date(2026, 12, 1)


def test_check_warns_about_facts_older_than_a_year(project: Project) -> None:
    newest = max([s.checked for s in project.sources.values() if s.checked] + [p.checked for p in project.platforms.values()])
    assert list(stale_facts(project, newest + dt.timedelta(days=365))) == []
    later = list(stale_facts(project, newest + dt.timedelta(days=366)))
    assert len(later) == len([s for s in project.sources.values() if s.checked]) + len(project.platforms)
    assert all(line.startswith("Attention") and "il y a plus d’un an" in line for line in later)
    assert any("platforms.yml" in line for line in later) and any("sources.yml" in line for line in later)


def test_check_prints_warnings_and_exits_0(data_copy: Path, capsys) -> None:
    from charte_ia.cli import main

    code = main(["check", "--data", str(data_copy)], today=dt.date(2030, 1, 1))
    out = capsys.readouterr().out
    assert code == 0
    assert "Données valides" in out
    assert out.count("il y a plus d’un an") >= 2
    assert list(warnings(load_project(data_copy), dt.date(2030, 1, 1)))


def test_a_law_source_needs_checked_and_status(data_copy: Path) -> None:
    path = data_copy / "sources.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    law = next(s for s in data["sources"] if s["kind"] == "law")
    del law["checked"]
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(DataErrors) as exc:
        load_project(data_copy)
    assert "`checked`" in exc.value.report() and "sources.yml" in exc.value.report()


def test_a_platform_needs_checked_status_and_labelling(project: Project) -> None:
    assert all(p.checked and p.status for p in project.platforms.values())
    assert project.platforms["linkedin"].labelling is False


# --- changelog -----------------------------------------------------------------------------------


def write_changelog(data_copy: Path, revisions: list[dict]) -> None:
    (data_copy / "changelog.yml").write_text(yaml.safe_dump({"revisions": revisions}, allow_unicode=True), encoding="utf-8")


def test_changelog_clauses_must_exist(data_copy: Path) -> None:
    write_changelog(
        data_copy, [{"revision": "2026-12", "date": dt.date(2026, 12, 1), "summary": "S", "changes": [{"clauses": ["nulle-part"], "text": "T"}]}]
    )
    with pytest.raises(DataErrors) as exc:
        load_project(data_copy)
    assert "clause « nulle-part » inconnu" in exc.value.report()


def test_changelog_is_newest_first(data_copy: Path) -> None:
    change = [{"clauses": [], "text": "T"}]
    write_changelog(
        data_copy,
        [
            {"revision": "2026-06", "date": dt.date(2026, 6, 1), "summary": "S", "changes": change},
            {"revision": "2026-12", "date": dt.date(2026, 12, 1), "summary": "S", "changes": change},
        ],
    )
    with pytest.raises(DataErrors) as exc:
        load_project(data_copy)
    assert "plus récente" in exc.value.report()


def test_changelog_is_required(data_copy: Path) -> None:
    (data_copy / "changelog.yml").unlink()
    with pytest.raises(DataErrors) as exc:
        load_project(data_copy)
    assert "changelog.yml" in exc.value.report()


def test_revision_is_the_newest(project: Project) -> None:
    assert project.revision == project.changelog.revisions[0].revision


# --- lists, months, capitals ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("items", "labels", "expected"),
    [
        (["a"], False, "a"),
        (["a", "b"], False, "a et b"),
        (["a", "b", "c"], False, "a, b et c"),
        (["France", "Belgique et Suisse romande"], False, "France ; Belgique et Suisse romande"),
        (["santé, beauté", "sport"], False, "santé, beauté ; sport"),
        (["Client A", "Client B"], False, "Client A et Client B"),
        (["Optimiser des textes", "Créer des textes"], True, "Optimiser des textes et créer des textes"),
        (["Optimiser (a, b)", "Images IA"], True, "Optimiser (a, b) ; images IA"),
    ],
)
def test_join_items(items: list[str], labels: bool, expected: str) -> None:
    assert join_items(items, labels=labels) == expected


def test_lower_first_keeps_acronyms() -> None:
    assert lower_first("Référent IA") == "référent IA"
    assert lower_first("IA générative") == "IA générative"
    assert lower_first("DPO") == "DPO"


@pytest.mark.parametrize(
    ("value", "expected"), [("2024-07", "juillet 2024"), ("2024-06-13", "13\u00a0juin 2024"), ("2024", "2024"), ("2026-03-01", "1ᵉʳ\u00a0mars 2026")]
)
def test_format_month(value: str, expected: str) -> None:
    assert format_month(value) == expected


def test_platform_dates_are_french(project: Project) -> None:
    charter = assemble(project)
    block = next(c.block for s in charter.sections for c in s.clauses if c.block and c.block.kind == "platform_labels")
    assert block.platforms_undecided and len(block.platforms) == len(project.platforms)
    assert any(row.since for row in block.platforms)
    for row in block.platforms:
        assert row.since is None or re.fullmatch(r"[a-zéû]+ \d{4}", row.since), row.since


def test_tools_table_to_fill_in_the_blank_charter(project: Project) -> None:
    block = next(c.block for s in assemble(project).sections for c in s.clauses if c.block and c.block.kind == "tools_list")
    assert block.tools == () and isinstance(block.tools_blank, Blank)


def test_definitions_have_their_own_why_label(project: Project) -> None:
    charter = assemble(project)
    definitions = next(s for s in charter.sections if s.id == "definitions")
    assert {c.why_label for c in definitions.clauses} == {project.library.labels.why_definition}
    other = next(s for s in charter.sections if s.id == "principes")
    assert {c.why_label for c in other.clauses} == {project.library.labels.why}


def test_reasons_are_labelled_and_figures_dated(project: Project) -> None:
    charter = assemble(project)
    for section in charter.sections:
        for c in section.clauses:
            for group in c.reasons:
                kind = group.references[0].kind
                singular, plural = getattr(project.library.labels, f"{kind}s")
                assert group.label == (singular if len(group.references) == 1 else plural)
                if kind == "figure":
                    for ref in group.references:
                        assert "enquête d’août 2023" in ref.text and ("rapporté" in ref.text or "vérifié" in ref.text)


def test_signature_part_quotes_the_acknowledgement_sentence(project: Project) -> None:
    """The sentence staff sign is the one the clause above the signature block states, word
    for word, and the block names who adopts the charter for the organisation."""
    charter = assemble(project)
    clause_view = next(c for s in charter.sections for c in s.clauses if c.block and c.block.kind == "signature")
    text = " ".join(seg.text for para in clause_view.paragraphs for seg in para if hasattr(seg, "text"))
    assert plain(project.library.labels.signature_intro) in plain(text).replace("\u202f", " ")
    adopter = complete_org(project, people={"adopter": {"name": "Alex Martin", "role": "gérant"}}, **ADOPTED)
    block = next(c.block for s in assemble(project, adopter).sections for c in s.clauses if c.block and c.block.kind == "signature")
    # The function opens its cell with a capital; the sentence that names it keeps it lower-case.
    assert [v.text if v else None for v in block.adopter] == ["Alex Martin", "Gérant", "1ᵉʳ\u00a0septembre 2026"]
    adopted = assemble(project, adopter)
    assert any("Alex Martin (gérant)" in "".join(seg.text for seg in p if hasattr(seg, "text")) for s in adopted.sections for c in s.clauses for p in c.paragraphs)


@pytest.mark.parametrize(("text", "expected"), [("maire", "Maire"), ("élue", "Élue"), ("Gérante", "Gérante"), ("", ""), ("ßeta", "ßeta"), ("1er adjoint", "1er adjoint")])
def test_upper_first(text: str, expected: str) -> None:
    assert upper_first(text) == expected
