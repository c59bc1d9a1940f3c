"""The built site's data downloads (JSON, iCalendar, CSV), read back by independent readers."""

from __future__ import annotations

import csv
import io
import json

import icalendar
from extra_orgs import HOSTILE_NAME, HOSTILE_SLUG, NEW_SLUG


FORMATS = ("docx", "odt", "pdf", "markdown", "json", "calendar", "essentials_docx", "essentials_pdf")
PAGES = ("page", "essentials_page", "versions")


def test_index_lists_every_charter_and_its_files(extended_site) -> None:
    import posixpath
    import re

    from sitecheck import PDF_DOWNLOADS

    site = extended_site.site
    index = json.loads((site / "telechargements" / "charte-ia-chartes.json").read_text(encoding="utf-8"))
    assert index["format"] == "charte-ia/index"
    slugs = [c["slug"] for c in index["charters"]]
    assert slugs[0] == "modele" and {NEW_SLUG, HOSTILE_SLUG} <= set(slugs)
    catalogue = extended_site.page("chartes/")
    rows = {m.group(1): m.group(0) for m in re.finditer(r'<tr>\s*<td><a href="([^"/]+)/">.*?</tr>', catalogue, re.S)}
    for item in index["charters"]:
        keys = {"slug", "blank", "name", "sector", "version", "adopted", "next_review", *FORMATS, *PAGES}
        assert set(item) == keys, set(item) ^ keys
        for key in PAGES:
            if item[key] is not None:
                assert (site / item[key] / "index.html").is_file(), item[key]
        for key in FORMATS:
            if item[key] is not None:
                assert (site / item[key]).is_file(), item[key]
        assert (item["pdf"] is not None) == (PDF_DOWNLOADS == "true") == (item["essentials_pdf"] is not None)
        assert item["odt"] and item["essentials_docx"] and item["essentials_page"]
        charter = json.loads((site / item["json"]).read_text(encoding="utf-8"))
        assert charter["slug"] == item["slug"]
        # The catalogue's row links the same files and the one-page summary's page (which links its own).
        row = rows[item["slug"]]
        for key in ("docx", "odt", "pdf", "markdown", "json", "calendar", "essentials_page"):
            if item[key] is not None:
                href = posixpath.relpath(item[key], "chartes") + ("/" if key == "essentials_page" else "")
                assert f'href="{href}"' in row, (item["slug"], key, row)
    hostile = next(c for c in index["charters"] if c["slug"] == HOSTILE_SLUG)
    assert hostile["name"] == HOSTILE_NAME and hostile["calendar"] is None  # no review date
    agency = next(c for c in index["charters"] if c["slug"] == "agence-pixel-et-plume")
    assert agency["versions"] == "chartes/agence-pixel-et-plume/versions/"
    assert hostile["versions"] is None


def test_hostile_values_are_literal_in_the_json(extended_site) -> None:
    (path,) = (extended_site.site / "telechargements").glob(f"charte-ia-{HOSTILE_SLUG}-*.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["name"] == {"value": HOSTILE_NAME}
    assert data["organization"]["tools"][0]["name"] == "<script>alert(4)</script>"


def test_calendars_parse_and_link_from_the_pages(extended_site) -> None:
    site = extended_site.site
    catalogue = icalendar.Calendar.from_ical((site / "telechargements" / "charte-ia-revisions.ics").read_bytes())
    uids = {str(e["UID"]) for e in catalogue.walk("VEVENT")}
    one = site / "telechargements" / f"charte-ia-{NEW_SLUG}-revision.ics"
    (event,) = icalendar.Calendar.from_ical(one.read_bytes()).walk("VEVENT")
    assert str(event["UID"]) in uids
    assert f"charte-ia-{NEW_SLUG}-revision.ics" in extended_site.page(f"chartes/{NEW_SLUG}/")
    assert "charte-ia-revisions.ics" in extended_site.page("chartes/")


def test_figures_csv_is_linked_and_reads_back(extended_site) -> None:
    raw = (extended_site.site / "telechargements" / "charte-ia-chiffres.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(raw, newline="")))
    assert rows and all(r["statut"] in ("verified", "reported") and r["source"] for r in rows)
    assert "charte-ia-chiffres.csv" in extended_site.page("donnees/")
