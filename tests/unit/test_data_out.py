"""JSON, iCalendar and CSV from the one model, each read back by an independent reader."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import icalendar
import pytest

from charte_ia.charter.assembly import Blank, Value, assemble
from charte_ia.data.loader import OrganizationEntry, Project
from charte_ia.data.models import Organization
from charte_ia.render.csv import FIGURES_HEADER, render_figures_csv
from charte_ia.render.ics import month_before, render_catalogue_ics, render_ics, review_uid
from charte_ia.render.json import CHARTER_FORMAT, ModelDataError, charter_from_data, render_json
from charte_ia.render.typography import NBSP, de_name

HOSTILE = (
    "Hostile <script>alert(1)</script> [x](javascript:alert(1)) {{ 7*7 }} ;,\\ \"q\" =cmd|' /C calc'!A0"
    "\nEND:VEVENT\nBEGIN:VEVENT\nUID:x"
)


def hostile_entry(project: Project, **extra: object) -> OrganizationEntry:
    # The model refuses a line break in a name (data/text.py): the value is put in place
    # without validation, so that the renderers' own escaping is tested too.
    org = Organization.model_validate(
        {
            "name": "Hostile",
            "sector": "=HYPERLINK(\"http://x\")",
            "version": "1.0",
            "adopted": "2026-03-31",
            "next_review": "2027-03-31",
            **extra,
        }
    ).model_copy(update={"name": HOSTILE})
    return OrganizationEntry("hostile", org, project.data_dir / "organizations" / "hostile.yml")


def entries(project: Project) -> list[OrganizationEntry | None]:
    return [None, *project.organizations, hostile_entry(project)]


@pytest.mark.parametrize("index", range(5))
def test_json_reads_back_into_the_same_charter(project: Project, index: int) -> None:
    entry = entries(project)[index % len(entries(project))]
    charter = assemble(project, entry)
    data = json.loads(render_json(charter, project, entry))
    assert data["format"] == CHARTER_FORMAT and data["format_version"] == 1
    assert charter_from_data(data) == charter
    clause_ids = [c["id"] for s in data["sections"] for c in s["clauses"]]
    assert clause_ids == [c.id for s in charter.sections for c in s.clauses]
    blanks = [b["what"] for b in data["blanks"]]
    assert sorted(blanks) == sorted(b.what for b in charter.blanks())
    for section in data["sections"]:
        for clause in section["clauses"]:
            assert len(clause["text"]) == len(clause["paragraphs"])
            for ref in (r for group in clause.get("reasons", []) for r in group["references"]):
                assert ref["kind"] in ("recommendation", "figure", "source")
                if ref["kind"] == "source":
                    assert ref["url"] is None or ref["url"].startswith("https://")


def test_every_charter_json_has_the_same_keys(project: Project) -> None:
    """A program reads `is_adopted` or `status` of a draft and of the blank charter as of an
    adopted one (docs/donnees.md lists them): a key is never left out for being false or empty."""
    keys = {tuple(json.loads(render_json(assemble(project, e), project, e))) for e in entries(project)}
    assert len(keys) == 1, keys
    assert {"is_blank", "is_adopted", "status", "designation", "declares_adoption", "adopted_iso"} <= set(*keys)


def test_platform_rows_carry_their_sources_once(project: Project) -> None:
    """A platform row gives its sources' names and their label, not the names twice (once more
    inside « Sources : … », which the page prints); a JSON written with that older key still reads."""
    data = json.loads(render_json(assemble(project), project))
    (block,) = [c["block"] for s in data["sections"] for c in s["clauses"] if (c["block"] or {}).get("kind") == "platform_labels"]
    for row in block["platforms"]:
        assert sorted(row) == ["name", "note", "rule", "since", "sources", "sources_label", "status"], sorted(row)
        assert row["sources_label"] == ("Sources" if " ; " in row["sources"].replace("\u202f", " ") else "Source")
        assert row["sources"] not in json.dumps([v for k, v in row.items() if k != "sources"], ensure_ascii=False)
    charter = charter_from_data(data)
    for row in block["platforms"]:
        row["cited"] = f"{row.pop('sources_label')}\u00a0: {row['sources']}"
    assert charter_from_data(data) == charter


def test_json_keeps_hostile_values_as_text(project: Project) -> None:
    entry = hostile_entry(project)
    raw = render_json(assemble(project, entry), project, entry)
    data = json.loads(raw)
    assert data["organization"]["name"] == HOSTILE
    assert data["name"] == {"value": HOSTILE}
    assert data["dates"] == {"adopted": "2026-03-31", "next_review": "2027-03-31"}
    assert raw == render_json(assemble(project, entry), project, entry)


def test_json_that_does_not_fit_the_model_is_refused(project: Project) -> None:
    data = json.loads(render_json(assemble(project), project))
    data["sections"][0]["clauses"][0]["paragraphs"][0][0] = {"html": "<b>"}
    with pytest.raises(ModelDataError, match="segment attendu"):
        charter_from_data(data)
    with pytest.raises(ModelDataError, match="format"):
        charter_from_data({"sections": []})


def test_calendar_is_valid_and_stable(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01
    entry = hostile_entry(project)
    raw = render_ics(entry)
    assert raw is not None and raw == render_ics(entry)
    cal = icalendar.Calendar.from_ical(raw)
    assert cal["VERSION"] == "2.0" and cal["PRODID"]
    (event,) = cal.walk("VEVENT")
    assert str(event["UID"]) == review_uid("hostile")
    assert event.decoded("DTSTART") == dt.date(2027, 3, 31)
    assert event.decoded("DTSTAMP") == dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    one_line = " ".join(HOSTILE.split())
    assert one_line in str(event["SUMMARY"]) and one_line in str(event["DESCRIPTION"])
    (alarm,) = event.walk("VALARM")
    # A month before 31 March is the last day of February.
    assert event.decoded("DTSTART") + alarm.decoded("TRIGGER") == dt.date(2027, 2, 28)
    # Each line is folded at 75 octets, ends in CRLF, and no line of the hostile text breaks out.
    lines = raw.split(b"\r\n")
    assert all(len(line) <= 75 for line in lines)
    assert lines.count(b"BEGIN:VEVENT") == 1 and lines.count(b"END:VEVENT") == 1


def test_calendar_names_the_organisation_as_a_sentence_does(project: Project) -> None:
    """« de l’agence Pixel & Plume », « des Ateliers » (never « de Les Ateliers », « de Agence »),
    and a version not adopted yet is not said to be in force."""
    agency, *_ = [e for e in project.organizations if e.org.designation and e.org.adopted]
    event = icalendar.Calendar.from_ical(render_ics(agency)).walk("VEVENT")[0]
    of = f"de {agency.org.designation}"  # « l’agence Pixel & Plume »
    assert of in str(event["DESCRIPTION"]) and of in str(event.walk("VALARM")[0]["DESCRIPTION"])
    assert f"Version en vigueur{NBSP}: {agency.org.version}" in str(event["DESCRIPTION"])
    org = agency.org.model_copy(update={"name": "Les Ateliers", "designation": None, "adopted": None})
    draft = OrganizationEntry("ateliers", org, agency.path)
    event = icalendar.Calendar.from_ical(render_ics(draft)).walk("VEVENT")[0]
    description = str(event["DESCRIPTION"])
    assert "générative des Ateliers." in description and "de Les" not in description
    assert "en vigueur" not in description and f"Version {org.version} en projet" in description
    catalogue = icalendar.Calendar.from_ical(render_catalogue_ics([draft])).walk("VEVENT")[0]
    assert str(catalogue["DESCRIPTION"]) == description


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("la Ville de Saint-Étienne-du-Lac", "de la Ville de Saint-Étienne-du-Lac"),
        ("l’agence Pixel & Plume", "de l’agence Pixel & Plume"),
        ("Agence Pixel & Plume", "d’Agence Pixel & Plume"),
        ("Les Ateliers du Fil Rouge", "des Ateliers du Fil Rouge"),
        ("le Comité des fêtes", "du Comité des fêtes"),
        ("Lepage et fils", "de Lepage et fils"),
        ("Élise", "d’Élise"),
    ],
)
def test_de_name(name: str, expected: str) -> None:
    assert de_name(name) == expected


def test_no_calendar_without_a_review_date(project: Project) -> None:
    entry = hostile_entry(project, next_review=None)
    assert render_ics(entry) is None
    assert render_catalogue_ics([entry]) is None


def test_catalogue_calendar_has_one_event_per_dated_organisation(project: Project) -> None:
    dated = [e for e in project.organizations if e.org.next_review]
    cal = icalendar.Calendar.from_ical(render_catalogue_ics(project.organizations))
    uids = [str(e["UID"]) for e in cal.walk("VEVENT")]
    assert uids == [review_uid(e.slug) for e in dated] and len(set(uids)) == len(uids)


@pytest.mark.parametrize(
    ("day", "expected"),
    [((2027, 1, 15), (2026, 12, 15)), ((2027, 3, 31), (2027, 2, 28)), ((2028, 3, 30), (2028, 2, 29))],
)
def test_month_before(day: tuple[int, int, int], expected: tuple[int, int, int]) -> None:
    assert month_before(dt.date(*day)) == dt.date(*expected)


def test_figures_csv_reads_back_with_status_and_source(project: Project) -> None:
    raw = render_figures_csv(project)
    assert raw == render_figures_csv(project) and b"\r\n" in raw and not raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8"), newline="")))
    assert tuple(rows[0]) == FIGURES_HEADER
    assert [r["id"] for r in rows] == [f.id for f in project.study.figures]
    for row, figure in zip(rows, project.study.figures, strict=True):
        assert float(row["valeur"]) == figure.value
        assert row["statut"] == figure.status and row["source"] == figure.source
        assert row["source_titre"] == project.sources[figure.source].title


def test_figures_csv_writes_every_digit(project: Project) -> None:
    """A value as a program reads it back: no digit lost, no exponent (« 1e+06 »)."""
    figures = project.study.figures
    values = [1234567.0, 1234.5678, 1000000.0, 52.5]
    changed = [f.model_copy(update={"value": v}) for f, v in zip(figures, values, strict=False)]
    study = project.study.model_copy(update={"figures": changed + figures[len(changed) :]})
    moved = Project(**{**project.__dict__, "study": study})
    rows = list(csv.DictReader(io.StringIO(render_figures_csv(moved).decode("utf-8"), newline="")))
    assert [r["valeur"] for r in rows[: len(values)]] == ["1234567", "1234.5678", "1000000", "52.5"]


def test_figures_csv_makes_formulas_inert(project: Project) -> None:
    figure = project.study.figures[0]
    bad = figure.model_copy(update={"label": "=1+1", "note": "@SUM(A1)\nline", "population": '-2, "x"'})
    study = project.study.model_copy(update={"figures": [bad, *project.study.figures[1:]]})
    hostile = Project(**{**project.__dict__, "study": study})
    row = next(csv.DictReader(io.StringIO(render_figures_csv(hostile).decode("utf-8"), newline="")))
    assert row["libelle"] == "'=1+1" and row["note"] == "'@SUM(A1) line" and row["population"] == "'-2, \"x\""


def test_segments_of_the_header(project: Project) -> None:
    entry = project.organizations[0]
    data = json.loads(render_json(assemble(project, entry), project, entry))
    charter = assemble(project, entry)
    for key in ("name", "version"):
        seg = getattr(charter, key)
        assert data[key] == ({"value": seg.text} if isinstance(seg, Value) else {"blank": seg.what})
    blank = json.loads(render_json(assemble(project), project))
    assert blank["organization"] is None and blank["is_blank"] is True
    assert any(b["field"] == "name" for b in blank["blanks"] if "field" in b)
    assert isinstance(assemble(project).name, Blank)
