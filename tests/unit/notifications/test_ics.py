"""Calendar entries: one UID per appointment, SEQUENCE as given, REQUEST or CANCEL."""

from __future__ import annotations

import dataclasses
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

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


SERIES = uuid.uuid4()
BERLIN = "Europe/Berlin"


def occurrence(
    method: str, n: int, *, known: bool = True, cancelled: bool = False
) -> ics.CalendarEntry:
    instance = START + timedelta(weeks=n)
    recurrence = ics.Recurrence(series_id=SERIES, start=instance, time_zone=BERLIN)
    return dataclasses.replace(
        entry(method, n, uuid.uuid4()),
        start=instance,
        end=instance + timedelta(minutes=30),
        recurrence=recurrence if known else None,
        cancelled=cancelled,
    )


RULE = ics.SeriesRule(
    series_id=SERIES, rule="FREQ=WEEKLY;COUNT=3;BYDAY=TH", first_start=START, time_zone=BERLIN
)


def test_a_series_request_is_a_master_and_its_overrides_under_one_uid() -> None:
    entries = [occurrence("REQUEST", 0), occurrence("REQUEST", 2, cancelled=True)]
    calendar = Calendar.from_ical(ics.build_many(entries, RULE))
    events: list[Any] = calendar.walk("VEVENT")  # icalendar's property types are a union
    master, first, third = events
    assert {str(e["UID"]) for e in (master, first, third)} == {f"series-{SERIES}@healthbook"}
    assert master.decoded("SEQUENCE") == 2  # the highest of its overrides
    assert master.decoded("DTEND") - master.decoded("DTSTART") == timedelta(minutes=30)
    # The second instance has no occurrence in it: excluded, not left to the rule.
    assert [moment.dt for moment in master["EXDATE"].dts] == [START + timedelta(weeks=1)]
    assert [e.decoded("RECURRENCE-ID") for e in (first, third)] == [
        START,
        START + timedelta(weeks=2),
    ]
    assert [str(e["STATUS"]) for e in (first, third)] == ["CONFIRMED", "CANCELLED"]


def test_a_series_cancel_names_only_its_instances() -> None:
    calendar = Calendar.from_ical(ics.build_many([occurrence("CANCEL", 1)], RULE))
    [event] = calendar.walk("VEVENT")
    assert "RRULE" not in event
    assert event.decoded("RECURRENCE-ID") == START + timedelta(weeks=1)
    assert str(event["STATUS"]) == "CANCELLED"


def test_an_occurrence_whose_instance_is_unknown_keeps_its_own_entry() -> None:
    alone = occurrence("REQUEST", 0, known=False)
    calendar = Calendar.from_ical(ics.build_many([alone], RULE))
    [event] = calendar.walk("VEVENT")  # no master without an override to go with it
    assert str(event["UID"]) == f"appointment-{alone.appointment_id}@healthbook"
    assert "RECURRENCE-ID" not in event
