"""Review reminders as iCalendar files (RFC 5545), made with the icalendar library.

One calendar per organisation (its next review date, with an alert a month before) and one for
the whole catalogue, for an agency that keeps many charters. The bytes depend only on the data:
DTSTAMP comes from SOURCE_DATE_EPOCH (docx.build_date), and each event's UID is made from the
organisation's slug, so that a calendar subscribed to or imported again updates its event
instead of adding a second one.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from functools import lru_cache

from icalendar import Alarm, Calendar, Event, vText

from charte_ia.data.loader import OrganizationEntry
from charte_ia.render.docx import build_date
from charte_ia.render.typography import de_name, format_date, fr_typo

PRODID = "-//Charte IA//Rappels de révision des chartes//FR"
UID_DOMAIN = "charte-ia.invalid"  # a name of no host (RFC 2606): UIDs only need to be unique


def month_before(day: dt.date) -> dt.date:
    """The same day a month earlier, or the month's last day (31 March -> 28 or 29 February)."""
    year, month = (day.year, day.month - 1) if day.month > 1 else (day.year - 1, 12)
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _text(text: str) -> vText:
    """One line of typeset text: an unknown property such as X-WR-CALNAME is not escaped by
    the library, and a value is a name or a sentence, never a paragraph."""
    return vText(fr_typo(" ".join(text.split())))


def review_uid(slug: str) -> str:
    return f"revision-{slug}@{UID_DOMAIN}"


def _event(entry: OrganizationEntry, stamp: dt.datetime) -> Event | None:
    org = entry.org
    if org.next_review is None:
        return None
    return _review_event(entry.slug, org.name, org.designation, org.version, org.adopted, org.next_review, stamp)


def _review_event(
    slug: str,
    name: str,
    designation: str | None,
    version: str | None,
    adopted: dt.date | None,
    day: dt.date,
    stamp: dt.datetime,
) -> Event:
    """The review day; a version without an adoption date is a draft, not the one in force."""
    of = de_name(designation or name)
    event = Event()
    event.add("uid", review_uid(slug))
    event.add("dtstamp", stamp)
    event.add("dtstart", day)
    event.add("dtend", day + dt.timedelta(days=1))  # an all-day event
    event.add("summary", _text(f"Révision de la charte IA : {name}"))
    details = [f"Réviser la charte d’utilisation de l’IA générative {of}."]
    if version and adopted:
        details.append(f"Version en vigueur : {version}, adoptée le {format_date(adopted)}.")
    elif version:
        details.append(f"Version {version} en projet, pas encore adoptée.")
    elif adopted:
        details.append(f"Adoptée le {format_date(adopted)}.")
    details.append(f"Révision prévue le {format_date(day)}.")
    event.add("description", _text(" ".join(details)))
    event.add("categories", ["Charte IA"])
    event.add("transp", "TRANSPARENT")  # a reminder, not a meeting: the day stays free
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", _text(f"Dans un mois : révision de la charte IA {of}"))
    alarm.add("trigger", month_before(day) - day)  # relative to the start: -P28D to -P31D
    event.add_component(alarm)
    return event


@lru_cache(maxsize=1 << 13)
def _review_event_ical(
    slug: str,
    name: str,
    designation: str | None,
    version: str | None,
    adopted: dt.date | None,
    day: dt.date,
    stamp: dt.datetime,
) -> bytes:
    """One event's lines, as the calendar that holds it writes them: the same for every build
    of a `mkdocs serve` run until the organisation's file changes."""
    return _review_event(slug, name, designation, version, adopted, day, stamp).to_ical()


def _calendar(name: str, events: Iterable[Event]) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", _text(name))
    for event in events:
        cal.add_component(event)
    return cal


def render_ics(entry: OrganizationEntry) -> bytes | None:
    """The organisation's calendar, or None when its file sets no review date (a calendar holds
    at least one event, RFC 5545 section 3.6)."""
    event = _event(entry, build_date().replace(tzinfo=dt.UTC))
    if event is None:
        return None
    return _calendar(f"Révision de la charte IA : {entry.org.name}", [event]).to_ical()


_END = b"END:VCALENDAR\r\n"


def render_catalogue_ics(entries: Iterable[OrganizationEntry]) -> bytes | None:
    """Every organisation's review date in one calendar, in the catalogue's order. A calendar's
    text is its own lines with each event's lines in between: the events are written one by one
    (and kept), then set between the calendar's lines."""
    stamp = build_date().replace(tzinfo=dt.UTC)
    events = [
        _review_event_ical(entry.slug, org.name, org.designation, org.version, org.adopted, org.next_review, stamp)
        for entry in entries
        if (org := entry.org).next_review is not None
    ]
    if not events:
        return None
    empty = _calendar("Révisions des chartes IA", []).to_ical()
    if not empty.endswith(_END):  # not the layout this relies on: the library's own way
        return _calendar("Révisions des chartes IA", [e for entry in entries if (e := _event(entry, stamp))]).to_ical()
    return empty[: -len(_END)] + b"".join(events) + _END
