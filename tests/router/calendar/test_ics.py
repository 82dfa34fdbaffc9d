"""The feed's iCalendar text, parsed back with `icalendar`."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from icalendar import Calendar

from router.calendar.ics import render


def entry(status: str = "CONFIRMED", role: str = "PATIENT", **extra: Any) -> dict[str, Any]:
    return {
        "id": "6f1d2c1e-0000-4000-8000-000000000001",
        "start": "2030-03-31T08:00:00+00:00",
        "end": "2030-03-31T08:30:00+00:00",
        "status": status,
        "timeZone": "Europe/Berlin",
        "updatedAt": "2030-03-01T10:00:00+00:00",
        "role": role,
        "doctor": {"name": "Dr. Silva"},
        **extra,
    }


def parse(entries: list[dict[str, Any]]) -> Calendar:
    return Calendar.from_ical(render(entries))


def test_each_appointment_is_an_event_in_the_doctor_s_zone_with_a_stable_uid() -> None:
    calendar = parse([entry()])
    [event] = calendar.walk("VEVENT")
    assert str(event["uid"]) == "appointment-6f1d2c1e-0000-4000-8000-000000000001@healthbook"
    start = event.decoded("dtstart")
    assert start.tzinfo == ZoneInfo("Europe/Berlin") or str(start.tzinfo) == "Europe/Berlin"
    assert start == datetime(2030, 3, 31, 8, tzinfo=UTC)
    assert start.hour == 10, "Berlin is on summer time after 31 March 2030's change"
    assert event["dtstart"].params["TZID"] == "Europe/Berlin"
    assert [str(tz["tzid"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Berlin"]
    assert event.decoded("dtstamp") == datetime(2030, 3, 1, 10, tzinfo=UTC)
    assert str(event["summary"]) == "Appointment with Dr. Silva"
    assert render([entry()]) == render([entry()]), "the same data gives the same bytes (ETag)"


def test_states_map_to_icalendar_status() -> None:
    expected = {
        "PENDING": "TENTATIVE",
        "CONFIRMED": "CONFIRMED",
        "COMPLETED": "CONFIRMED",
        "NO_SHOW": "CONFIRMED",
        "CANCELLED": "CANCELLED",
        "REJECTED": "CANCELLED",
    }
    for ours, theirs in expected.items():
        [event] = parse([entry(ours)]).walk("VEVENT")
        assert str(event["status"]) == theirs, ours


def test_a_doctor_s_feed_names_no_patient_and_a_missing_doctor_name_is_generic() -> None:
    [doctors] = parse([entry(role="DOCTOR")]).walk("VEVENT")
    assert str(doctors["summary"]) == "Patient appointment"
    [unnamed] = parse([entry(doctor=None)]).walk("VEVENT")
    assert str(unnamed["summary"]) == "Healthbook appointment"
    assert parse([]).walk("VEVENT") == []


def test_an_occurrence_without_a_known_instance_is_its_own_event_related_to_the_series() -> None:
    series = "0b7e3a52-0000-4000-8000-00000000000a"
    second = entry(
        id="6f1d2c1e-0000-4000-8000-000000000002",
        start="2030-04-07T08:00:00+00:00",
        end="2030-04-07T08:30:00+00:00",
        seriesId=series,
    )
    calendar = parse([entry(seriesId=series), second, entry(id="alone")])
    first, then, alone = calendar.walk("VEVENT")
    assert str(first["related-to"]) == str(then["related-to"]) == f"series-{series}@healthbook"
    assert first["uid"] != then["uid"]
    assert "rrule" not in first, "no series master without the series and instances"
    assert "rrule" not in then
    assert "related-to" not in alone
    assert then.decoded("dtstart").hour == first.decoded("dtstart").hour == 10  # both CEST
