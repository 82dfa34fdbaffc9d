"""Open-slot computation: rules in local time, daylight-saving changes, exceptions, busy time."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from subgraphs.doctors.domain.availability import (
    AdHocSlot,
    AvailabilityException,
    BookingPolicy,
    ExceptionKind,
    WeeklyRule,
)
from subgraphs.doctors.domain.slots import (
    Busy,
    Schedule,
    Slot,
    check_slot,
    next_open_slot,
    offered_slots,
    open_on_date,
    open_slots,
)

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
TOKYO = ZoneInfo("Asia/Tokyo")
LONG_AGO = datetime(2020, 1, 1, tzinfo=UTC)
NEW_YEAR = datetime(2027, 1, 1, tzinfo=UTC)


def every_day(start: time, end: time, minutes: int = 30) -> tuple[WeeklyRule, ...]:
    return tuple(
        WeeklyRule(weekday=d, start=start, end=end, slot_minutes=minutes) for d in range(7)
    )


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def test_rule_hours_stay_at_local_nine_across_berlin_spring_forward() -> None:
    schedule = Schedule(time_zone=BERLIN, rules=every_day(time(9), time(10)))
    slots = offered_slots(schedule, utc(2027, 3, 27), utc(2027, 3, 30))
    assert [s.start for s in slots] == [
        utc(2027, 3, 27, 8, 0),  # Saturday, CET (+01:00)
        utc(2027, 3, 27, 8, 30),
        utc(2027, 3, 28, 7, 0),  # Sunday 28 March: CEST (+02:00) from 02:00
        utc(2027, 3, 28, 7, 30),
        utc(2027, 3, 29, 7, 0),
        utc(2027, 3, 29, 7, 30),
    ]
    assert {s.start.astimezone(BERLIN).time() for s in slots} == {time(9), time(9, 30)}


def test_rule_hours_stay_at_local_nine_across_berlin_fall_back() -> None:
    schedule = Schedule(time_zone=BERLIN, rules=every_day(time(9), time(9, 30)))
    slots = offered_slots(schedule, utc(2027, 10, 30), utc(2027, 11, 2))
    assert [s.start for s in slots] == [
        utc(2027, 10, 30, 7, 0),  # CEST
        utc(2027, 10, 31, 8, 0),  # Sunday 31 October: CET
        utc(2027, 11, 1, 8, 0),
    ]


def test_skipped_hour_yields_no_slot_and_no_stretched_slot() -> None:
    rule = WeeklyRule(weekday=6, start=time(1, 30), end=time(3, 30), slot_minutes=30)
    schedule = Schedule(time_zone=BERLIN, rules=(rule,))
    slots = offered_slots(schedule, utc(2027, 3, 27), utc(2027, 3, 29))
    # 01:30-02:00 ends in the gap, 02:00 and 02:30 do not exist: only 03:00 local remains.
    assert slots == [Slot(utc(2027, 3, 28, 1, 0), utc(2027, 3, 28, 1, 30))]


def test_repeated_hour_is_offered_once_and_slots_never_overlap() -> None:
    rule = WeeklyRule(weekday=6, start=time(1, 30), end=time(3, 30), slot_minutes=30)
    schedule = Schedule(time_zone=BERLIN, rules=(rule,))
    slots = offered_slots(schedule, utc(2027, 10, 30), utc(2027, 11, 1))
    assert slots == [
        Slot(utc(2027, 10, 30, 23, 30), utc(2027, 10, 31, 0, 0)),  # 01:30 CEST
        Slot(utc(2027, 10, 31, 0, 0), utc(2027, 10, 31, 0, 30)),  # 02:00 CEST (first pass)
        Slot(utc(2027, 10, 31, 2, 0), utc(2027, 10, 31, 2, 30)),  # 03:00 CET
    ]
    assert all(s.end - s.start == timedelta(minutes=30) for s in slots)


def test_new_york_doctor_seen_by_a_tokyo_patient_across_the_march_change() -> None:
    monday_to_friday = tuple(
        WeeklyRule(weekday=d, start=time(9), end=time(10), slot_minutes=60) for d in range(5)
    )
    schedule = Schedule(time_zone=NEW_YORK, rules=monday_to_friday)
    # The patient asks in their own zone: Friday 12 March 2027 00:00 to Wednesday 17 March.
    start = datetime(2027, 3, 12, 0, 0, tzinfo=TOKYO)
    end = datetime(2027, 3, 17, 23, 0, tzinfo=TOKYO)
    slots = open_slots(schedule, start, end, now=utc(2027, 3, 1))
    assert [s.start for s in slots] == [
        utc(2027, 3, 12, 14, 0),  # Friday 09:00 EST (-05:00)
        utc(2027, 3, 15, 13, 0),  # Monday 09:00 EDT (-04:00), after 14 March
        utc(2027, 3, 16, 13, 0),
        utc(2027, 3, 17, 13, 0),  # Wednesday 22:00 in Tokyo, before the range ends
    ]


def test_weekly_rule_applies_only_inside_its_effective_dates() -> None:
    rule = WeeklyRule(
        weekday=0,
        start=time(9),
        end=time(10),
        slot_minutes=60,
        valid_from=date(2027, 1, 11),
        valid_until=date(2027, 1, 18),
    )
    schedule = Schedule(time_zone=ZoneInfo("UTC"), rules=(rule,))
    slots = offered_slots(schedule, utc(2027, 1, 1), utc(2027, 2, 1))
    assert [s.start.date() for s in slots] == [date(2027, 1, 11), date(2027, 1, 18)]


def test_days_off_and_hours_off_remove_rule_and_adhoc_slots() -> None:
    schedule = Schedule(
        time_zone=BERLIN,
        rules=every_day(time(9), time(11), 60),
        exceptions=(
            AvailabilityException(start_date=date(2027, 2, 1), end_date=date(2027, 2, 2)),
            AvailabilityException(
                start_date=date(2027, 2, 3),
                end_date=date(2027, 2, 3),
                start=time(10),
                end=time(12),
            ),
        ),
        adhoc=(AdHocSlot(start=utc(2027, 2, 1, 16), end=utc(2027, 2, 1, 17)),),
    )
    slots = offered_slots(schedule, utc(2027, 2, 1), utc(2027, 2, 4))
    assert [s.start.astimezone(BERLIN).replace(tzinfo=None) for s in slots] == [
        datetime(2027, 2, 3, 9, 0)
    ]


def test_changed_hours_replace_the_weekly_rules_on_that_date() -> None:
    schedule = Schedule(
        time_zone=BERLIN,
        rules=every_day(time(9), time(11), 60),
        exceptions=(
            AvailabilityException(
                start_date=date(2027, 2, 3),
                end_date=date(2027, 2, 3),
                kind=ExceptionKind.CHANGED_HOURS,
                start=time(14),
                end=time(15),
                slot_minutes=30,
            ),
        ),
    )
    slots = offered_slots(schedule, utc(2027, 2, 3), utc(2027, 2, 4))
    local = [s.start.astimezone(BERLIN).time() for s in slots]
    assert local == [time(14), time(14, 30)]


def test_busy_time_widened_by_buffers_blocks_neighbouring_slots() -> None:
    schedule = Schedule(
        time_zone=ZoneInfo("UTC"),
        rules=every_day(time(9), time(12), 30),
        busy=(Busy(utc(2027, 1, 4, 10), utc(2027, 1, 4, 10, 30), "a1"),),
        policy=BookingPolicy(buffer_before_minutes=0, buffer_after_minutes=15),
    )
    slots = open_slots(schedule, utc(2027, 1, 4), utc(2027, 1, 5), now=NEW_YEAR)
    starts = [s.start.time() for s in slots]
    assert starts == [time(9), time(9, 30), time(11), time(11, 30)]
    ignoring = open_slots(
        schedule, utc(2027, 1, 4), utc(2027, 1, 5), now=NEW_YEAR, ignore_appointment="a1"
    )
    assert len(ignoring) == 6


def test_a_held_slot_is_not_open_until_its_hold_ends_but_still_passes_the_booking_check() -> None:
    ends = utc(2027, 1, 4, 8, 15)
    schedule = Schedule(
        time_zone=ZoneInfo("UTC"),
        rules=every_day(time(9), time(10), 30),
        busy=(Busy(utc(2027, 1, 4, 9), utc(2027, 1, 4, 9, 30), until=ends),),
        policy=BookingPolicy(minimum_notice_minutes=0),
    )
    day = (utc(2027, 1, 4), utc(2027, 1, 5))
    held = open_slots(schedule, *day, now=utc(2027, 1, 4, 6))
    assert [s.start.time() for s in held] == [time(9, 30)]
    assert len(open_slots(schedule, *day, now=ends)) == 2
    # The appointments subgraph enforces its holds itself (the patient offered it books it).
    verdict = check_slot(schedule, utc(2027, 1, 4, 9), None, now=utc(2027, 1, 4, 6))
    assert verdict.available


def test_minimum_notice_and_booking_window_bound_the_open_slots() -> None:
    schedule = Schedule(
        time_zone=ZoneInfo("UTC"),
        rules=every_day(time(9), time(17), 60),
        policy=BookingPolicy(minimum_notice_minutes=120, booking_window_days=2),
    )
    now = utc(2027, 1, 4, 9, 30)
    slots = open_slots(schedule, utc(2027, 1, 1), utc(2027, 2, 1), now=now)
    assert slots[0].start == utc(2027, 1, 4, 12)  # 11:30 earliest → 12:00
    assert slots[-1].start == utc(2027, 1, 6, 9)  # window ends 6 January 09:30
    assert next_open_slot(schedule, now=now) == slots[0]


def test_no_rules_means_no_next_slot() -> None:
    assert next_open_slot(Schedule(time_zone=BERLIN), now=LONG_AGO) is None


def test_open_on_a_local_date_uses_the_doctors_calendar_day() -> None:
    schedule = Schedule(
        time_zone=TOKYO,
        rules=(WeeklyRule(weekday=0, start=time(8), end=time(9), slot_minutes=60),),
    )
    # Monday 08:00 in Tokyo is Sunday 23:00 UTC.
    assert open_on_date(schedule, date(2027, 1, 4), now=NEW_YEAR)
    assert not open_on_date(schedule, date(2027, 1, 3), now=NEW_YEAR)


def test_check_slot_explains_each_refusal() -> None:
    schedule = Schedule(
        time_zone=ZoneInfo("UTC"),
        rules=every_day(time(9), time(12), 60),
        busy=(Busy(utc(2027, 1, 5, 10), utc(2027, 1, 5, 11), str(uuid.uuid4())),),
    )
    now = utc(2027, 1, 4, 8)
    assert check_slot(schedule, utc(2027, 1, 5, 9), utc(2027, 1, 5, 10), now=now).available
    assert check_slot(
        schedule, utc(2027, 1, 5, 9, 30), utc(2027, 1, 5, 10, 30), now=now
    ).reason == ("OUTSIDE_AVAILABILITY")
    assert check_slot(schedule, utc(2027, 1, 5, 10), utc(2027, 1, 5, 11), now=now).reason == (
        "SLOT_TAKEN"
    )
    assert check_slot(schedule, utc(2027, 1, 4, 9), utc(2027, 1, 4, 10), now=now).reason == (
        "TOO_LATE"
    )
    assert check_slot(schedule, utc(2027, 6, 1, 9), utc(2027, 6, 1, 10), now=now).reason == (
        "TOO_FAR_AHEAD"
    )


def test_adhoc_slot_is_offered_and_an_overlapping_rule_slot_is_dropped() -> None:
    schedule = Schedule(
        time_zone=ZoneInfo("UTC"),
        rules=every_day(time(9), time(10), 60),
        adhoc=(AdHocSlot(start=utc(2027, 1, 4, 8, 30), end=utc(2027, 1, 4, 9, 15)),),
    )
    slots = offered_slots(schedule, utc(2027, 1, 4), utc(2027, 1, 5))
    assert slots == [Slot(utc(2027, 1, 4, 8, 30), utc(2027, 1, 4, 9, 15))]
