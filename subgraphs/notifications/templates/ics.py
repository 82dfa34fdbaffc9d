"""iCalendar entries for appointments: one stable UID per appointment, SEQUENCE per change."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Final

from icalendar import Calendar, Event, vCalAddress, vText

PRODID: Final = "-//Healthbook//Appointments//EN"
METHODS: Final = ("REQUEST", "CANCEL")


@dataclass(frozen=True)
class CalendarEntry:
    """What a calendar needs to know about one version of an appointment."""

    appointment_id: uuid.UUID
    sequence: int
    method: str
    start: datetime
    end: datetime
    summary: str
    location: str
    organizer: str
    attendee: str
    stamp: datetime


def uid(appointment_id: uuid.UUID) -> str:
    """The same UID for every version of the appointment, so calendars update one entry."""
    return f"appointment-{appointment_id}@healthbook"


def build(entry: CalendarEntry) -> str:
    """The `.ics` text (METHOD REQUEST for a new or changed visit, CANCEL to remove it)."""
    return build_many([entry])


def build_many(entries: list[CalendarEntry]) -> str:
    """One `.ics` with a VEVENT per entry (a series' occurrences), all with one METHOD.

    Each occurrence keeps its own UID, so a later change of one occurrence alone updates
    just that entry in the calendar.
    """
    methods = {entry.method for entry in entries}
    if len(methods) != 1 or not methods <= set(METHODS):
        raise ValueError(f"unsupported calendar methods {sorted(methods)}")
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", entries[0].method)
    for entry in entries:
        calendar.add_component(_event(entry))
    text: str = calendar.to_ical().decode()
    return text


def _event(entry: CalendarEntry) -> Event:
    event = Event()
    event.add("uid", uid(entry.appointment_id))
    event.add("sequence", entry.sequence)
    event.add("dtstamp", entry.stamp)
    event.add("dtstart", entry.start)
    event.add("dtend", entry.end)
    event.add("summary", entry.summary)
    if entry.location:
        event.add("location", entry.location)
    event.add("status", "CANCELLED" if entry.method == "CANCEL" else "CONFIRMED")
    organizer = vCalAddress(f"mailto:{entry.organizer}")
    organizer.params["cn"] = vText("Healthbook")
    event["organizer"] = organizer
    attendee = vCalAddress(f"mailto:{entry.attendee}")
    attendee.params["role"] = vText("REQ-PARTICIPANT")
    event.add("attendee", attendee, encode=False)
    return event
