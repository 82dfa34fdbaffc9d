"""Property: any valid rule set, in any zone, yields slots that never overlap and that each
lie inside one rule in the doctor's local time, with the rule's length."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from subgraphs.doctors.domain.availability import (
    AvailabilityException,
    BookingPolicy,
    WeeklyRule,
    validate_rules,
)
from subgraphs.doctors.domain.slots import Schedule, open_slots
from subgraphs.shared.errors import BadUserInput

ZONES = (
    "UTC",
    "Europe/Berlin",
    "America/New_York",
    "Australia/Lord_Howe",  # a 30-minute daylight-saving shift
    "Asia/Kolkata",
    "America/Santiago",
    "Pacific/Chatham",
)
LENGTHS = (10, 15, 20, 30, 45, 60, 90)


@st.composite
def rules(draw: st.DrawFn) -> WeeklyRule:
    minutes = draw(st.sampled_from(LENGTHS))
    start = draw(st.integers(min_value=0, max_value=(24 * 60 - 1 - minutes) // 5)) * 5
    end = draw(st.integers(min_value=start + minutes, max_value=24 * 60 - 1))
    valid_from = draw(st.none() | st.dates(date(2026, 12, 1), date(2027, 12, 31)))
    valid_until = draw(st.none() | st.dates(valid_from or date(2026, 12, 1), date(2028, 1, 31)))
    return WeeklyRule(
        weekday=draw(st.integers(0, 6)),
        start=time(start // 60, start % 60),
        end=time(end // 60, end % 60),
        slot_minutes=minutes,
        valid_from=valid_from,
        valid_until=valid_until,
    )


@st.composite
def rule_sets(draw: st.DrawFn) -> tuple[WeeklyRule, ...]:
    chosen: list[WeeklyRule] = []
    for candidate in draw(st.lists(rules(), max_size=8)):
        try:
            validate_rules([*chosen, candidate])
        except BadUserInput:
            continue
        chosen.append(candidate)
    return tuple(chosen)


def _inside_a_rule(start: datetime, end: datetime, schedule: Schedule) -> bool:
    local_start, local_end = (
        start.astimezone(schedule.time_zone),
        end.astimezone(schedule.time_zone),
    )
    for rule in schedule.rules:
        if not rule.applies_on(local_start.date()) or local_end.date() != local_start.date():
            continue
        offset = (
            local_start.hour * 60 + local_start.minute - (rule.start.hour * 60 + rule.start.minute)
        )
        if (
            rule.start <= local_start.time()
            and local_end.time() <= rule.end
            and offset % rule.slot_minutes == 0
            and end - start == timedelta(minutes=rule.slot_minutes)
        ):
            return True
    return False


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rule_set=rule_sets(),
    zone=st.sampled_from(ZONES),
    start=st.datetimes(datetime(2027, 1, 1), datetime(2027, 12, 1)),
    days=st.integers(1, 21),
    days_off=st.lists(st.dates(date(2027, 1, 1), date(2027, 12, 31)), max_size=3),
)
def test_generated_rule_sets_never_yield_overlapping_or_out_of_rule_slots(
    rule_set: tuple[WeeklyRule, ...],
    zone: str,
    start: datetime,
    days: int,
    days_off: list[date],
) -> None:
    schedule = Schedule(
        time_zone=ZoneInfo(zone),
        rules=rule_set,
        exceptions=tuple(AvailabilityException(start_date=d, end_date=d) for d in days_off),
        policy=BookingPolicy(minimum_notice_minutes=0, booking_window_days=730),
    )
    begin = start.replace(tzinfo=UTC)
    end = begin + timedelta(days=days)
    slots = open_slots(schedule, begin, end, now=datetime(2026, 12, 1, tzinfo=UTC))
    for earlier, later in itertools.pairwise(slots):
        assert earlier.end <= later.start
    for slot in slots:
        assert begin <= slot.start < end
        assert slot.start.utcoffset() == timedelta(0)
        assert _inside_a_rule(slot.start, slot.end, schedule)
        assert slot.start.astimezone(schedule.time_zone).date() not in days_off
