"""A calendar feed as iCalendar text (RFC 5545): one VEVENT per appointment, stable UIDs.

An occurrence of a recurring series is a VEVENT of its own (its own UID, time and status),
RELATED-TO its series (`series-<id>@healthbook`, RELTYPE PARENT by default), and carries no
RRULE: an RRULE on each occurrence would make a calendar app expand every one of them into
the whole series, and one VEVENT with the series' RRULE could not show an occurrence that
was moved or cancelled on its own without RECURRENCE-ID overrides. The series' rule is
`Appointment.series.rule` in the API.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from icalendar import Calendar, Event

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


def render(entries: list[dict[str, Any]]) -> bytes:
    """The feed: times in the doctor's zone (TZID + VTIMEZONE), stamps in UTC."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", NAME)
    for entry in entries:
        event = Event()
        stamp = datetime.fromisoformat(entry["updatedAt"])
        event.add("uid", uid(entry["id"]))
        event.add("dtstamp", stamp)
        event.add("last-modified", stamp)
        event.add("dtstart", _local(entry["start"], entry["timeZone"]))
        event.add("dtend", _local(entry["end"], entry["timeZone"]))
        event.add("summary", summary(entry))
        event.add("status", STATUS.get(entry["status"], "TENTATIVE"))
        if entry.get("seriesId"):
            event.add("related-to", series_uid(entry["seriesId"]))
        calendar.add_component(event)
    calendar.add_missing_timezones()
    data: bytes = calendar.to_ical()
    return data
