"""A recurring series in the feed: one master (RRULE, EXDATE) and RECURRENCE-ID overrides."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr
from icalendar import Calendar

from router.calendar.ics import render

BERLIN = ZoneInfo("Europe/Berlin")  # summer time from Sunday 2030-03-31
SERIES = "0b7e3a52-0000-4000-8000-00000000000a"
UID = f"series-{SERIES}@healthbook"
RULE = "FREQ=WEEKLY;COUNT=4;BYDAY=TU"


def local(day: int, month: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2030, month, day, hour, minute, tzinfo=BERLIN)


def occurrence(number: int, start: datetime, instance: datetime, status: str) -> dict[str, Any]:
    return {
        "id": f"6f1d2c1e-0000-4000-8000-00000000000{number}",
        "start": start.astimezone(UTC).isoformat(),
        "end": start.replace(minute=30).astimezone(UTC).isoformat(),
        "status": status,
        "timeZone": "Europe/Berlin",
        "updatedAt": "2030-03-01T10:00:00+00:00",
        "role": "PATIENT",
        "doctor": {"name": "Dr. Silva"},
        "seriesId": SERIES,
        "recurrenceStart": instance.astimezone(UTC).isoformat(),
    }


# Weekly on Tuesdays at 09:00 Berlin, 4 times across the change to summer time: the first
# moved to Wednesday 10:00, the second refused when booked, the third cancelled.
ENTRIES = [
    occurrence(1, local(20, 3, 10), local(19, 3, 9), "CONFIRMED"),
    occurrence(3, local(2, 4, 9), local(2, 4, 9), "CANCELLED"),
    occurrence(4, local(9, 4, 9), local(9, 4, 9), "PENDING"),
    {
        **occurrence(5, local(3, 4, 11), local(3, 4, 11), "CONFIRMED"),
        "seriesId": None,
        "recurrenceStart": None,
    },
]
SERIES_INFO = {
    "id": SERIES,
    "rule": RULE,
    "firstStart": local(19, 3, 9).astimezone(UTC).isoformat(),
    "timeZone": "Europe/Berlin",
    "refusedStarts": [local(26, 3, 9).astimezone(UTC).isoformat()],
}


def events() -> list[Any]:
    calendar = Calendar.from_ical(render(ENTRIES, [SERIES_INFO]))
    return list(calendar.walk("VEVENT"))


def series_events() -> tuple[Any, list[Any]]:
    mine = [event for event in events() if str(event["uid"]) == UID]
    masters = [event for event in mine if "recurrence-id" not in event]
    assert len(masters) == 1
    return masters[0], [event for event in mine if "recurrence-id" in event]


def test_a_series_is_one_master_with_its_rule_and_the_refused_instance_excluded() -> None:
    master, _ = series_events()
    assert master.decoded("dtstart") == local(19, 3, 9)
    assert master["dtstart"].params["TZID"] == "Europe/Berlin"
    assert master.decoded("dtend") == local(19, 3, 9, 30)
    assert master["rrule"].to_ical().decode() == RULE
    exdates = [moment.dt for moment in master["exdate"].dts]
    assert exdates == [local(26, 3, 9)]


def test_each_occurrence_overrides_its_original_instance_with_its_own_time_and_status() -> None:
    _, overrides = series_events()
    found = {
        override.decoded("recurrence-id"): (
            override.decoded("dtstart"),
            override.decoded("dtend"),
            str(override["status"]),
        )
        for override in overrides
    }
    assert found == {
        local(19, 3, 9): (local(20, 3, 10), local(20, 3, 10, 30), "CONFIRMED"),  # moved
        local(2, 4, 9): (local(2, 4, 9), local(2, 4, 9, 30), "CANCELLED"),
        local(9, 4, 9): (local(9, 4, 9), local(9, 4, 9, 30), "TENTATIVE"),
    }
    for override in overrides:
        assert override["recurrence-id"].params["TZID"] == "Europe/Berlin"
        assert str(override["summary"]) == "Appointment with Dr. Silva"
        assert "sequence" in override
        assert "description" not in override


def test_the_expanded_rule_less_its_exceptions_is_exactly_the_overridden_instances() -> None:
    master, overrides = series_events()
    instances = list(rrulestr(RULE, dtstart=master.decoded("dtstart")))
    # 09:00 local on both sides of the change: 08:00 UTC before it, 07:00 UTC after.
    assert [moment.astimezone(UTC).hour for moment in instances] == [8, 8, 7, 7]
    excluded = {moment.dt for moment in master["exdate"].dts}
    assert {m for m in instances if m not in excluded} == {
        override.decoded("recurrence-id") for override in overrides
    }


def test_an_appointment_outside_a_series_stays_an_event_of_its_own() -> None:
    alone = [event for event in events() if str(event["uid"]) != UID]
    assert [str(event["uid"]) for event in alone] == [
        "appointment-6f1d2c1e-0000-4000-8000-000000000005@healthbook"
    ]
    assert "rrule" not in alone[0]
    assert "recurrence-id" not in alone[0]


def test_an_instance_missing_from_the_feed_is_excluded_too() -> None:
    """An occurrence past the feed's window adds no phantom event at its original time."""
    without_last = [entry for entry in ENTRIES if not entry["id"].endswith("4")]
    calendar = Calendar.from_ical(render(without_last, [SERIES_INFO]))
    masters: list[Any] = [e for e in calendar.walk("VEVENT") if "rrule" in e]
    assert len(masters) == 1
    assert [moment.dt for moment in masters[0]["exdate"].dts] == [local(26, 3, 9), local(9, 4, 9)]
