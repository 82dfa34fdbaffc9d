"""How long a computed next free slot stays right with nothing changed."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from subgraphs.doctors.domain.availability import BookingPolicy, WeeklyRule
from subgraphs.doctors.domain.next_free import HORIZON_STEP, next_free
from subgraphs.doctors.domain.slots import Busy, Schedule

NOW = datetime(2027, 1, 4, 6, 0, tzinfo=UTC)  # a Monday


def schedule(weekdays: tuple[int, ...], *, window_days: int = 90) -> Schedule:
    return Schedule(
        time_zone=ZoneInfo("UTC"),
        rules=tuple(WeeklyRule(d, time(9), time(10), 30) for d in weekdays),
        policy=BookingPolicy(minimum_notice_minutes=60, booking_window_days=window_days),
    )


def test_a_found_slot_stays_right_until_it_can_no_longer_be_booked() -> None:
    found = next_free(schedule((0,)), now=NOW)
    assert found.slot is not None
    assert found.slot.start == datetime(2027, 1, 4, 9, 0, tzinfo=UTC)
    assert found.valid_until == found.slot.start - timedelta(minutes=60)


def test_nothing_in_the_window_stays_right_until_a_slot_enters_it() -> None:
    # Window of 1 day from Monday 06:00: the Tuesday 09:00 slot enters it Monday 09:00.
    found = next_free(schedule((1,), window_days=1), now=NOW)
    assert found.slot is None
    assert found.valid_until == datetime(2027, 1, 4, 9, 0, tzinfo=UTC)


def test_nothing_even_beyond_the_window_is_checked_again_a_step_later() -> None:
    found = next_free(schedule((), window_days=1), now=NOW)
    assert (found.slot, found.valid_until) == (None, NOW + HORIZON_STEP)


def test_a_hold_on_the_next_slot_keeps_the_answer_right_only_until_the_hold_ends() -> None:
    nine = datetime(2027, 1, 4, 9, 0, tzinfo=UTC)
    ends = NOW + timedelta(minutes=15)
    held = dataclasses.replace(
        schedule((0,)), busy=(Busy(nine, nine + timedelta(minutes=30), until=ends),)
    )
    found = next_free(held, now=NOW)
    assert found.slot is not None
    assert (found.slot.start, found.valid_until) == (nine + timedelta(minutes=30), ends)
    after = next_free(held, now=ends)
    assert after.slot is not None
    assert after.slot.start == nine
