"""iCalendar entries for appointments: one stable UID per appointment, SEQUENCE per change.

An occurrence of a recurring series whose rule instance is known is part of RFC 5545's
recurring event instead, as the calendar feed renders it (router/calendar/ics.py): UID
`series-<id>@healthbook`, RECURRENCE-ID its instance (the start it was booked at) in the
series' zone. A series e-mail carries the master (DTSTART the first instance, RRULE, EXDATE
for each instance without an occurrence in it) and one override per occurrence; a later
change of one occurrence carries that override alone, so calendars update it in the series.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from icalendar import Calendar, Event, vCalAddress, vRecur, vText

from subgraphs.shared.recurrence import instances as rule_instances

PRODID: Final = "-//Healthbook//Appointments//EN"
METHODS: Final = ("REQUEST", "CANCEL")
CANCELLED_STATES: Final = frozenset({"CANCELLED", "REJECTED"})


@dataclass(frozen=True)
class Recurrence:
    """Where an occurrence sits in its series: the series and its rule instance."""

    series_id: uuid.UUID
    start: datetime
    time_zone: str


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
    recurrence: Recurrence | None = None
    """Set for an occurrence of a series whose instance is known (an override in it)."""
    cancelled: bool = False
    """The appointment is cancelled though the message is a REQUEST (a series' override)."""


@dataclass(frozen=True)
class SeriesRule:
    """What the master of a series needs: its rule from its first start, in its zone."""

    series_id: uuid.UUID
    rule: str
    first_start: datetime
    time_zone: str
    refused_starts: tuple[datetime, ...] = ()


def uid(appointment_id: uuid.UUID) -> str:
    """The same UID for every version of the appointment, so calendars update one entry."""
    return f"appointment-{appointment_id}@healthbook"


def series_uid(series_id: uuid.UUID) -> str:
    """The UID of a series' recurring event (the calendar feed's too)."""
    return f"series-{series_id}@healthbook"


def build(entry: CalendarEntry) -> str:
    """The `.ics` text (METHOD REQUEST for a new or changed visit, CANCEL to remove it)."""
    return build_many([entry])


def build_many(entries: list[CalendarEntry], series: SeriesRule | None = None) -> str:
    """One `.ics` with a VEVENT per entry, all with one METHOD.

    With `series` and a REQUEST, the series' master comes first; the entries with a
    `recurrence` are its overrides (a CANCEL names just the instances it cancels).
    """
    methods = {entry.method for entry in entries}
    if len(methods) != 1 or not methods <= set(METHODS):
        raise ValueError(f"unsupported calendar methods {sorted(methods)}")
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", entries[0].method)
    overrides = [entry for entry in entries if entry.recurrence is not None]
    if series is not None and overrides and entries[0].method == "REQUEST":
        calendar.add_component(_master(series, overrides))
    for entry in entries:
        calendar.add_component(_event(entry))
    calendar.add_missing_timezones()
    text: str = calendar.to_ical().decode()
    return text


def _local(moment: datetime, zone: str) -> datetime:
    try:
        return moment.astimezone(ZoneInfo(zone))
    except (ZoneInfoNotFoundError, ValueError):
        return moment  # an unknown zone: the UTC time as stored


def _people(event: Event, entry: CalendarEntry) -> None:
    event.add("summary", entry.summary)
    if entry.location:
        event.add("location", entry.location)
    organizer = vCalAddress(f"mailto:{entry.organizer}")
    organizer.params["cn"] = vText("Healthbook")
    event["organizer"] = organizer
    attendee = vCalAddress(f"mailto:{entry.attendee}")
    attendee.params["role"] = vText("REQ-PARTICIPANT")
    event.add("attendee", attendee, encode=False)


def _event(entry: CalendarEntry) -> Event:
    event = Event()
    recurrence = entry.recurrence
    if recurrence is None:
        event.add("uid", uid(entry.appointment_id))
        start, end = entry.start, entry.end
    else:
        zone = recurrence.time_zone
        event.add("uid", series_uid(recurrence.series_id))
        event.add("recurrence-id", _local(recurrence.start, zone))
        start, end = _local(entry.start, zone), _local(entry.end, zone)
    event.add("sequence", entry.sequence)
    event.add("dtstamp", entry.stamp)
    event.add("dtstart", start)
    event.add("dtend", end)
    cancelled = entry.method == "CANCEL" or entry.cancelled
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    _people(event, entry)
    return event


def _master(series: SeriesRule, overrides: list[CalendarEntry]) -> Event:
    """DTSTART the first instance in the zone, RRULE, EXDATE every instance not overridden
    here (so the master adds nothing the message lacks), SEQUENCE the highest override's."""
    zone = series.time_zone
    first = _local(series.first_start, zone)
    booked = {entry.recurrence.start.astimezone(UTC) for entry in overrides if entry.recurrence}
    instances = {moment.astimezone(UTC) for moment in rule_instances(series.rule, first)}
    refused = {moment.astimezone(UTC) for moment in series.refused_starts}
    earliest = min(
        overrides, key=lambda entry: entry.recurrence.start if entry.recurrence else first
    )
    master = Event()
    master.add("uid", series_uid(series.series_id))
    master.add("sequence", max(entry.sequence for entry in overrides))
    master.add("dtstamp", earliest.stamp)
    master.add("dtstart", first)
    master.add("dtend", first + (earliest.end - earliest.start))
    master.add("rrule", vRecur.from_ical(series.rule))
    skipped = sorted((instances | refused) - booked)
    if skipped:
        master.add("exdate", [_local(moment, zone) for moment in skipped])
    master.add("status", "CONFIRMED")
    _people(master, earliest)
    return master
