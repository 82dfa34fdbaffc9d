"""Calendar entries: one UID per appointment, SEQUENCE as given, REQUEST or CANCEL."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from icalendar import Calendar

from subgraphs.notifications.templates import ics

START = datetime(2027, 3, 4, 9, 0, tzinfo=UTC)


def entry(method: str, sequence: int, appointment_id: uuid.UUID) -> ics.CalendarEntry:
    return ics.CalendarEntry(
        appointment_id=appointment_id,
        sequence=sequence,
        method=method,
        start=START,
        end=START + timedelta(minutes=30),
        summary="Appointment with Dr. Who",
        location="Hauptstr. 1",
        organizer="calendar@healthbook.test",
        attendee="pat@example.test",
        stamp=START - timedelta(days=3),
    )


def test_request_and_cancel_share_the_uid_and_increase_the_sequence() -> None:
    appointment = uuid.uuid4()
    booked = Calendar.from_ical(ics.build(entry("REQUEST", 0, appointment)))
    cancelled = Calendar.from_ical(ics.build(entry("CANCEL", 2, appointment)))
    first, last = booked.walk("VEVENT")[0], cancelled.walk("VEVENT")[0]
    assert str(booked["METHOD"]) == "REQUEST"
    assert str(cancelled["METHOD"]) == "CANCEL"
    assert str(first["UID"]) == str(last["UID"]) == f"appointment-{appointment}@healthbook"
    assert first.decoded("SEQUENCE") == 0
    assert last.decoded("SEQUENCE") == 2
    assert str(last["STATUS"]) == "CANCELLED"
    assert first.decoded("DTSTART") == START
