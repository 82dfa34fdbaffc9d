"""Availability input is refused when inverted or overlapping, with a message saying why."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from subgraphs.doctors.domain.availability import (
    AdHocSlot,
    AvailabilityException,
    BookingPolicy,
    ExceptionKind,
    WeeklyRule,
    validate_adhoc_slot,
    validate_exception,
    validate_policy,
    validate_rules,
)
from subgraphs.shared.errors import BadUserInput


def rule(weekday: int, start: str, end: str, **extra: object) -> WeeklyRule:
    return WeeklyRule(
        weekday=weekday,
        start=time.fromisoformat(start),
        end=time.fromisoformat(end),
        slot_minutes=int(extra.pop("slot_minutes", 30)),  # type: ignore[call-overload]
        **extra,  # type: ignore[arg-type]
    )


def test_several_rules_per_day_are_fine_when_they_do_not_overlap() -> None:
    validate_rules(
        [rule(0, "09:00", "12:00"), rule(0, "13:00", "17:00"), rule(1, "09:00", "12:00")]
    )


def test_overlapping_rules_on_the_same_day_are_refused() -> None:
    with pytest.raises(BadUserInput, match="overlaps rule 1"):
        validate_rules([rule(0, "09:00", "12:00"), rule(0, "11:30", "14:00")])


def test_overlapping_hours_in_disjoint_date_ranges_are_fine() -> None:
    validate_rules(
        [
            rule(0, "09:00", "12:00", valid_until=date(2027, 1, 31)),
            rule(0, "10:00", "13:00", valid_from=date(2027, 2, 1)),
        ]
    )


def test_inverted_hours_and_dates_are_refused() -> None:
    with pytest.raises(BadUserInput, match="must be after the start"):
        validate_rules([rule(0, "12:00", "09:00")])
    with pytest.raises(BadUserInput, match="before"):
        validate_rules(
            [rule(0, "09:00", "12:00", valid_from=date(2027, 2, 1), valid_until=date(2027, 1, 1))]
        )


def test_hours_shorter_than_one_slot_are_refused() -> None:
    with pytest.raises(BadUserInput, match="shorter than one"):
        validate_rules([rule(0, "09:00", "09:20", slot_minutes=30)])


def test_exceptions_must_not_be_inverted_or_overlap() -> None:
    first = AvailabilityException(start_date=date(2027, 1, 1), end_date=date(2027, 1, 5))
    with pytest.raises(BadUserInput, match="ends"):
        validate_exception(
            AvailabilityException(start_date=date(2027, 1, 5), end_date=date(2027, 1, 1)), []
        )
    with pytest.raises(BadUserInput, match="overlaps"):
        validate_exception(
            AvailabilityException(start_date=date(2027, 1, 5), end_date=date(2027, 1, 6)), [first]
        )
    with pytest.raises(BadUserInput, match="Changed hours need"):
        validate_exception(
            AvailabilityException(
                start_date=date(2027, 2, 1),
                end_date=date(2027, 2, 1),
                kind=ExceptionKind.CHANGED_HOURS,
            ),
            [],
        )


def test_adhoc_slots_must_be_aware_ordered_and_disjoint() -> None:
    start = datetime(2027, 1, 4, 9, tzinfo=UTC)
    end = datetime(2027, 1, 4, 10, tzinfo=UTC)
    with pytest.raises(BadUserInput, match="offset"):
        validate_adhoc_slot(AdHocSlot(start=start.replace(tzinfo=None), end=end), [])
    with pytest.raises(BadUserInput, match="end after"):
        validate_adhoc_slot(AdHocSlot(start=end, end=start), [])
    with pytest.raises(BadUserInput, match="overlaps"):
        validate_adhoc_slot(AdHocSlot(start=start, end=end), [AdHocSlot(start=start, end=end)])


def test_policy_bounds() -> None:
    validate_policy(BookingPolicy())
    with pytest.raises(BadUserInput, match="bookingWindowDays"):
        validate_policy(BookingPolicy(booking_window_days=0))
    with pytest.raises(BadUserInput, match="bufferAfterMinutes"):
        validate_policy(BookingPolicy(buffer_after_minutes=-5))
