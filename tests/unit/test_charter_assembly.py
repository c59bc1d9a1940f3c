"""Assembly: which clauses apply, what becomes a value and what stays a blank."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from charte_ia.charter.assembly import Blank, Charter, ClauseView, Plain, Value, assemble
from charte_ia.data.loader import OrganizationEntry, Project
from charte_ia.data.models import USE_IDS, Organization
from charte_ia.render.pages import download_names

LEVELS = ("allowed", "review", "forbidden")


def entry(slug: str = "essai", **fields: Any) -> OrganizationEntry:
    org = Organization.model_validate({"name": "Organisation d’essai", **fields})
    return OrganizationEntry(slug, org, Path(f"{slug}.yml"))


def clauses(charter: Charter) -> dict[str, ClauseView]:
    return {c.id: c for s in charter.sections for c in s.clauses}


def library_clauses(project: Project) -> list[Any]:
    return [c for s in project.library.sections for c in s.clauses]


def use_conditioned(project: Project) -> list[tuple[str, str, tuple[str, ...]]]:
    """(clause id, use, levels) of the clauses whose only condition is one use."""
    return [
        (c.id, c.when.use[0], tuple(c.when.levels))
        for c in library_clauses(project)
        if c.when is not None
        and c.when.use is not None
        and len(c.when.use) == 1
        and c.when.model_fields_set == {"use", "levels"}
    ]


def segments(charter: Charter) -> list[Any]:
    """Every Value or Blank the charter holds: header, paragraphs and blocks."""
    out: list[Any] = [charter.name, charter.sector, charter.version, charter.adopted, charter.next_review]
    for clause in clauses(charter).values():
        out += [seg for para in clause.paragraphs for seg in para]
        block = clause.block
        if block is None:
            continue
        out += [block.tools_blank]
        out += [row.level for row in block.uses]
        out += [cell for row in block.tools for cell in (row.provider, row.uses, row.data_agreement)]
        out += [value for _, value in block.audience]
        out += [cell for row in block.people for cell in (row.name, row.contact)]
    return [s for s in out if s is not None]


# --- conditions ----------------------------------------------------------------------------------


def test_library_has_use_and_platform_conditions(project: Project) -> None:
    assert len(use_conditioned(project)) >= 5
    assert any(c.when and c.when.platform for c in library_clauses(project))


@pytest.mark.parametrize("level", LEVELS)
def test_use_condition_applies_only_for_listed_levels(project: Project, level: str) -> None:
    for clause_id, use, levels in use_conditioned(project):
        charter = assemble(project, entry(uses={use: level}))
        found = clauses(charter).get(clause_id)
        if level in levels:
            assert found is not None, f"{clause_id} should apply when {use} is {level}"
            assert found.condition is None, f"{clause_id}: decided, so no condition text"
        else:
            assert found is None, f"{clause_id} should be omitted when {use} is {level}"


def test_use_condition_kept_with_condition_text_when_level_unset(project: Project) -> None:
    charter = assemble(project, entry())
    found = clauses(charter)
    for clause_id, use, levels in use_conditioned(project):
        assert clause_id in found, f"{clause_id} must be kept while {use} is undecided"
        condition = found[clause_id].condition
        assert condition, f"{clause_id} must say under which condition it applies"
        use_label = next(u.label for u in project.library.uses if u.id == use)
        assert use_label in condition.replace("\u202f", " ").replace("\u00a0", " ")
        if set(levels) == {"allowed", "review"}:
            assert project.library.labels.any_allowed in condition
        for level in levels if set(levels) != {"allowed", "review"} else ():
            assert getattr(project.library.levels, level).lower() in condition.lower()
        assert condition.startswith("Clause à conserver ou à supprimer")


def test_images_forbidden_swaps_the_image_clauses(project: Project) -> None:
    forbidden = clauses(assemble(project, entry(uses={"images": "forbidden"})))
    allowed = clauses(assemble(project, entry(uses={"images": "allowed"})))
    assert "usages-images-interdit" in forbidden and "usages-images" not in forbidden
    assert "usages-images" in allowed and "usages-images-interdit" not in allowed


def test_platform_condition(project: Project) -> None:
    # Clauses whose only condition is the platform: a platform clause that also depends on a use
    # is covered by the tests of combined conditions.
    platform_clauses = {
        c.id: c.when.platform
        for c in library_clauses(project)
        if c.when and c.when.platform and not (c.when.use or c.when.kinds or c.when.filled)
    }
    assert platform_clauses, "every platform has at least one clause of its own"
    for clause_id, platform in platform_clauses.items():
        other = next(p for p in project.platforms if p != platform)
        with_it = clauses(assemble(project, entry(platforms=[platform])))
        without = clauses(assemble(project, entry(platforms=[other])))
        undecided = clauses(assemble(project, entry()))
        assert clause_id in with_it and with_it[clause_id].condition is None
        assert clause_id not in without
        assert clause_id in undecided and undecided[clause_id].condition
        assert project.platforms[platform].name in undecided[clause_id].condition


def test_clause_numbers_have_no_gaps(project: Project) -> None:
    charter = assemble(project, entry(uses={u: "forbidden" for u in USE_IDS}))
    for s_index, section in enumerate(charter.sections, start=1):
        assert section.number == str(s_index)
        assert [c.number for c in section.clauses] == [f"{s_index}.{i}" for i in range(1, len(section.clauses) + 1)]


# --- values and blanks ---------------------------------------------------------------------------


def test_missing_values_are_blanks_with_what_to_fill(project: Project) -> None:
    charter = assemble(project, entry())
    assert charter.name == Value("Organisation d’essai")
    for field in (charter.sector, charter.version, charter.adopted, charter.next_review):
        assert isinstance(field, Blank) and field.what.strip()
    assert isinstance(charter.sector, Blank) and charter.sector.what == project.library.placeholders_label("sector")
    whats = {b.what for b in charter.blanks()}
    present = set(clauses(charter))
    used = {
        name
        for clause in library_clauses(project)
        if clause.id in present
        for name in re.findall(r"\{([a-z][a-z0-9_]*)\}", clause.text)
    }
    assert len(used) > 10
    # Every placeholder in the text whose field is unset is a blank asking for that placeholder.
    for name in used:
        placeholder = project.library.placeholders[name]
        if placeholder.field != "name" and placeholder.fallback is None:  # a fallback fills it from the name
            assert placeholder.label in whats, f"{{{name}}} should be a blank « {placeholder.label} »"


def test_placeholders_in_text_become_values(project: Project) -> None:
    charter = assemble(
        project,
        entry(
            sector="Boulangerie",
            brand_voice="chaleureux et simple",
            clients=["Client A", "Client B", "Client C"],
            disclosure={"wording": "Créé avec l’aide de l’IA"},
            people={"ai_referent": {"name": "Alex Martin"}},
        ),
    )
    values = {s.text for s in segments(charter) if isinstance(s, Value)}
    assert "Organisation d’essai" in values
    assert "chaleureux et simple" in values
    assert "Client A, Client B et Client C" in values
    assert "Créé avec l’aide de l’IA" in values
    assert "Alex Martin" in values
    whats = {s.what for s in segments(charter) if isinstance(s, Blank)}
    assert project.library.placeholders["ton_de_marque"].label not in whats
    assert project.library.placeholders["referent_ia"].label not in whats


def test_dates_and_version_are_values(project: Project) -> None:
    charter = assemble(project, entry(version="2.1", adopted="2026-03-01", next_review="2027-03-01"))
    assert charter.version == Value("2.1")
    assert charter.adopted == Value("1ᵉʳ\u00a0mars 2026")
    assert charter.next_review == Value("1ᵉʳ\u00a0mars 2027")


def test_values_get_french_typography(project: Project) -> None:
    charter = assemble(project, entry(brand_voice="direct : sans jargon"))
    values = {s.text for s in segments(charter) if isinstance(s, Value)}
    assert "direct\u00a0: sans jargon" in values


def test_uses_table(project: Project) -> None:
    charter = assemble(project, entry(uses={"optimise_text": "allowed", "images": "forbidden"}))
    block = next(c.block for c in clauses(charter).values() if c.block and c.block.kind == "uses_table")
    assert [row.label for row in block.uses] == [u.label for u in project.library.uses]
    levels = {row.label: row for row in block.uses}
    labels = {u.id: u.label for u in project.library.uses}
    assert levels[labels["optimise_text"]].level == Value(project.library.levels.allowed)
    assert levels[labels["images"]].level == Value(project.library.levels.forbidden)
    assert levels[labels["images"]].forbidden
    for use in ("create_text", "ideas", "replies", "video", "voice", "built_in"):
        assert isinstance(levels[labels[use]].level, Blank), use
    # The blank offers the three levels as the filled tables word them, capitals included.
    names = [project.library.levels.allowed, project.library.levels.review, project.library.levels.forbidden]
    assert levels[labels["ideas"]].level == Blank(" / ".join(names))


def test_nothing_is_invented(project: Project) -> None:
    """An organisation that says only its name gets no Value but its name."""
    charter = assemble(project, entry())
    values = [s for s in segments(charter) if isinstance(s, Value)]
    assert values and all(v.text == "Organisation d’essai" for v in values)


def test_example_organisations_assemble(project: Project) -> None:
    for org_entry in project.organizations:
        charter = assemble(project, org_entry)
        assert charter.name == Value(org_entry.org.name.strip())
        assert not charter.is_blank
        assert charter.slug == org_entry.slug


# --- the blank charter ---------------------------------------------------------------------------


def test_blank_charter_is_all_blanks(project: Project) -> None:
    charter = assemble(project)
    assert charter.is_blank
    assert charter.slug == "modele"
    segs = segments(charter)
    assert not [s for s in segs if isinstance(s, Value)], "the blank charter holds no organisation value"
    assert all(isinstance(s, (Plain, Blank)) for s in segs)
    assert isinstance(charter.name, Blank)
    assert len(charter.blanks()) >= len(project.library.placeholders)


def test_blank_charter_keeps_every_clause_with_conditions(project: Project) -> None:
    charter = assemble(project)
    found = clauses(charter)
    assert set(found) == {c.id for c in library_clauses(project)}
    for clause in library_clauses(project):
        if clause.when is not None:
            assert found[clause.id].condition, clause.id
        else:
            assert found[clause.id].condition is None, clause.id


def test_blank_charter_owes_nothing_to_the_organisations(project: Project) -> None:
    """Assembling the blank charter gives the same result whatever organisations exist."""
    import dataclasses

    alone = dataclasses.replace(project, organizations=[])
    assert assemble(alone) == assemble(project)


# --- version tag and download names --------------------------------------------------------------


@pytest.mark.parametrize(
    ("version", "tag"),
    [("1.2", "v1-2"), ("1.0", "v1-0"), ("2", "v2"), ("3 RC", "v3-rc"), ("../../etc", "vetc")],
)
def test_version_tag(project: Project, version: str, tag: str) -> None:
    charter = assemble(project, entry(version=version))
    assert charter.version_tag == tag
    assert re.fullmatch(r"v[a-z0-9]+(-[a-z0-9]+)*", charter.version_tag)


def test_version_tag_without_version(project: Project) -> None:
    assert assemble(project, entry()).version_tag == "brouillon"
    assert assemble(project).version_tag == "vierge"


def test_download_names_carry_slug_and_version(project: Project) -> None:
    names = download_names(assemble(project, entry("agence-dupont", version="1.2")))
    assert names.docx == "telechargements/charte-ia-agence-dupont-v1-2.docx"
    assert names.markdown == "telechargements/charte-ia-agence-dupont-v1-2.md"
    blank = download_names(assemble(project))
    assert blank.docx == "telechargements/charte-ia-modele-vierge.docx"
    assert blank.markdown == "telechargements/charte-ia-modele-vierge.md"


def test_equal_clauses_are_one_object_and_hash_as_values(project: Project) -> None:
    """Two charters that read a clause the same share one object (every renderer's cache then
    hits at once); its cached hash is the hash of its fields, as for any equal value."""
    import dataclasses
    import pickle

    first = clauses(assemble(project, entry("une")))
    second = clauses(assemble(project, entry("deux")))
    shared = [cid for cid in first if cid in second and first[cid] == second[cid]]
    assert shared, "the two organisations share no clause"
    for cid in shared:
        assert first[cid] is second[cid]
        copy = dataclasses.replace(first[cid])
        assert copy is not first[cid] and copy == first[cid] and hash(copy) == hash(first[cid])
    back = pickle.loads(pickle.dumps(first[shared[0]]))
    assert back == first[shared[0]] and "_hash" not in back.__dict__
