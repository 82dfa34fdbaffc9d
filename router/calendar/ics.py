"""A calendar feed as iCalendar text (RFC 5545), stable UIDs.

An appointment outside a series is one VEVENT (UID `appointment-<id>@healthbook`). A
recurring series is RFC 5545's recurring event, all under UID `series-<id>@healthbook`: a
master VEVENT (DTSTART the first instance in the series' zone, the first occurrence's
length, the series' RRULE, EXDATE for each instance without an occurrence in the feed) and
one override VEVENT per occurrence, RECURRENCE-ID its rule instance (the start it was
booked at, unchanged by moves) with its own time, status and summary. An occurrence whose
instance is unknown stays a VEVENT of its own, RELATED-TO its series.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from icalendar import Calendar, Event, vRecur

from subgraphs.shared.recurrence import instances as rule_instances

PRODID: Final = "-//Healthbook//Calendar feed//EN"
NAME: Final = "Healthbook appointments"
# Our states → iCalendar STATUS (RFC 5545 3.8.1.11).
STATUS: Final = {
    "PENDING": "TENTATIVE",
    "CONFIRMED": "CONFIRMED",
    "COMPLETED": "CONFIRMED",
    "NO_SHOW": "CONFIRMED",
    "CANCELLED": "CANCELLED",
    "REJECTED": "CANCELLED",
}
DOCTOR_SUMMARY: Final = "Patient appointment"
PATIENT_SUMMARY: Final = "Appointment with {name}"
FALLBACK_SUMMARY: Final = "Healthbook appointment"


def uid(appointment_id: str) -> str:
    """The same UID as the appointment's e-mailed invitations, so it stays one entry."""
    return f"appointment-{appointment_id}@healthbook"


def series_uid(series_id: str) -> str:
    """What an occurrence's RELATED-TO names: its series, the same for every occurrence."""
    return f"series-{series_id}@healthbook"


def summary(entry: dict[str, Any]) -> str:
    """What the entry is called: no patient data at all; the doctor's name for a patient."""
    if entry["role"] == "DOCTOR":
        return DOCTOR_SUMMARY
    name = (entry.get("doctor") or {}).get("name")
    return PATIENT_SUMMARY.format(name=name) if name else FALLBACK_SUMMARY


def _local(moment: str, zone: str) -> datetime:
    value = datetime.fromisoformat(moment)
    try:
        return value.astimezone(ZoneInfo(zone))
    except (ZoneInfoNotFoundError, ValueError):
        return value  # an unknown zone: the UTC time as stored


def render(entries: list[dict[str, Any]], series: list[dict[str, Any]] | None = None) -> bytes:
    """The feed: times in the doctor's zone (TZID + VTIMEZONE), stamps in UTC."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", NAME)
    known = {item["id"]: item for item in series or []}
    overrides: dict[str, list[dict[str, Any]]] = {}
    for entry in entries:
        if entry.get("seriesId") in known and entry.get("recurrenceStart"):
            overrides.setdefault(entry["seriesId"], []).append(entry)
        else:
            calendar.add_component(_single(entry))
    for series_id, occurrences in overrides.items():
        for event in recurring(known[series_id], occurrences):
            calendar.add_component(event)
    calendar.add_missing_timezones()
    data: bytes = calendar.to_ical()
    return data


def _stamped(event: Event, entry: dict[str, Any]) -> Event:
    """The entry's times, summary, status and stamps (everything but its identity)."""
    stamp = datetime.fromisoformat(entry["updatedAt"])
    event.add("dtstamp", stamp)
    event.add("last-modified", stamp)
    event.add("dtstart", _local(entry["start"], entry["timeZone"]))
    event.add("dtend", _local(entry["end"], entry["timeZone"]))
    event.add("summary", summary(entry))
    event.add("status", STATUS.get(entry["status"], "TENTATIVE"))
    return event


def _single(entry: dict[str, Any]) -> Event:
    """An appointment outside a series (or an occurrence whose instance is unknown)."""
    event = Event()
    event.add("uid", uid(entry["id"]))
    _stamped(event, entry)
    if entry.get("seriesId"):
        event.add("related-to", series_uid(entry["seriesId"]))
    return event


def recurring(series: dict[str, Any], occurrences: list[dict[str, Any]]) -> list[Event]:
    """The series' master (RRULE, EXDATE) and one override per occurrence, all one UID.

    EXDATE names every rule instance without an occurrence here: refused when the series
    was booked, or outside the feed's window, so the master adds nothing the feed lacks.
    """
    zone = series["timeZone"]
    first = _local(series["firstStart"], zone)
    instances = {moment.astimezone(UTC) for moment in rule_instances(series["rule"], first)}
    booked = {datetime.fromisoformat(entry["recurrenceStart"]) for entry in occurrences}
    refused = {datetime.fromisoformat(moment) for moment in series.get("refusedStarts") or []}
    earliest = min(occurrences, key=lambda entry: datetime.fromisoformat(entry["recurrenceStart"]))
    length = datetime.fromisoformat(earliest["end"]) - datetime.fromisoformat(earliest["start"])
    master = Event()
    master.add("uid", series_uid(series["id"]))
    stamp = max(datetime.fromisoformat(entry["updatedAt"]) for entry in occurrences)
    master.add("dtstamp", stamp)
    master.add("last-modified", stamp)
    master.add("dtstart", first)
    master.add("dtend", first + length)
    master.add("summary", summary(earliest))
    master.add("sequence", 0)
    master.add("rrule", vRecur.from_ical(series["rule"]))
    skipped = sorted((instances | refused) - booked)
    if skipped:
        master.add("exdate", [_local(moment.isoformat(), zone) for moment in skipped])
    events = [master]
    for entry in occurrences:
        override = Event()
        override.add("uid", series_uid(series["id"]))
        override.add("recurrence-id", _local(entry["recurrenceStart"], zone))
        override.add("sequence", 0)
        events.append(_stamped(override, entry))
    return events
