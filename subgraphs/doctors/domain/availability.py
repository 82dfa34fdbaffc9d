"""Availability as the doctor defines it: weekly rules, exceptions, ad-hoc slots and policy.

Rules and exceptions are in the doctor's local wall time; ad-hoc slots and busy time are
concrete UTC ranges. Everything here validates input and raises BAD_USER_INPUT with a
message that says what is wrong.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum

from subgraphs.shared import booking_rules
from subgraphs.shared.errors import BadUserInput

WEEKDAYS = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")
SLOT_MINUTES_MIN = 5
SLOT_MINUTES_MAX = 480
BUFFER_MINUTES_MAX = 240
NOTICE_MINUTES_MAX = 60 * 24 * 60
WINDOW_DAYS_MIN = 1
WINDOW_DAYS_MAX = 730
ADHOC_SLOT_MAX = timedelta(hours=12)
DEFAULT_NOTICE_MINUTES = booking_rules.MINIMUM_NOTICE_MINUTES
DEFAULT_WINDOW_DAYS = booking_rules.BOOKING_WINDOW_DAYS


class ExceptionKind(StrEnum):
    """UNAVAILABLE: time off (whole days, or the given hours each day); CHANGED_HOURS: on
    these dates the doctor works only the given hours, instead of the weekly rules."""

    UNAVAILABLE = "UNAVAILABLE"
    CHANGED_HOURS = "CHANGED_HOURS"


@dataclass(frozen=True)
class WeeklyRule:
    """Every `weekday` (0 = Monday) from `start` to `end` local time, slots of `slot_minutes`,
    between `valid_from` and `valid_until` (inclusive, open when None)."""

    weekday: int
    start: time
    end: time
    slot_minutes: int
    valid_from: date | None = None
    valid_until: date | None = None
    id: uuid.UUID | None = field(default=None, compare=False)  # None until stored

    def applies_on(self, day: date) -> bool:
        if day.weekday() != self.weekday:
            return False
        if self.valid_from is not None and day < self.valid_from:
            return False
        return self.valid_until is None or day <= self.valid_until


@dataclass(frozen=True)
class AvailabilityException:
    """Dates `start_date`..`end_date` (inclusive) off, or with changed hours."""

    start_date: date
    end_date: date
    kind: ExceptionKind = ExceptionKind.UNAVAILABLE
    start: time | None = None
    end: time | None = None
    slot_minutes: int | None = None
    reason: str | None = None
    id: uuid.UUID = field(default_factory=uuid.uuid4, compare=False)

    def covers(self, day: date) -> bool:
        return self.start_date <= day <= self.end_date


@dataclass(frozen=True)
class AdHocSlot:
    """A one-off bookable range in UTC."""

    start: datetime
    end: datetime
    id: uuid.UUID = field(default_factory=uuid.uuid4, compare=False)


@dataclass(frozen=True)
class BookingPolicy:
    """Buffers around visits, the minimum notice and the booking window of one doctor."""

    buffer_before_minutes: int = 0
    buffer_after_minutes: int = 0
    minimum_notice_minutes: int = DEFAULT_NOTICE_MINUTES
    booking_window_days: int = DEFAULT_WINDOW_DAYS

    @property
    def buffer_before(self) -> timedelta:
        return timedelta(minutes=self.buffer_before_minutes)

    @property
    def buffer_after(self) -> timedelta:
        return timedelta(minutes=self.buffer_after_minutes)

    @property
    def notice(self) -> timedelta:
        return timedelta(minutes=self.minimum_notice_minutes)

    @property
    def window(self) -> timedelta:
        return timedelta(days=self.booking_window_days)


def _minutes(value: time) -> int:
    return value.hour * 60 + value.minute


def _check_slot_minutes(minutes: int, field_name: str) -> None:
    if not SLOT_MINUTES_MIN <= minutes <= SLOT_MINUTES_MAX:
        raise BadUserInput(
            f"The slot length must be {SLOT_MINUTES_MIN} to {SLOT_MINUTES_MAX} minutes, "
            f"got {minutes}.",
            field=field_name,
        )


def _check_hours(start: time, end: time, slot_minutes: int, what: str) -> None:
    if start.second or end.second or start.microsecond or end.microsecond:
        raise BadUserInput(f"{what}: times are whole minutes.", field="start")
    if end <= start:
        raise BadUserInput(
            f"{what}: the end ({end:%H:%M}) must be after the start ({start:%H:%M}).",
            field="end",
        )
    if _minutes(end) - _minutes(start) < slot_minutes:
        raise BadUserInput(
            f"{what}: {start:%H:%M}-{end:%H:%M} is shorter than one {slot_minutes}-minute slot.",
            field="slotMinutes",
        )


def _ranges_overlap(a_from: date | None, a_until: date | None, b: WeeklyRule) -> bool:
    lo = max(a_from or date.min, b.valid_from or date.min)
    hi = min(a_until or date.max, b.valid_until or date.max)
    return lo <= hi


def validate_rules(rules: Sequence[WeeklyRule]) -> None:
    """Refuse inverted or overlapping weekly rules (same weekday, intersecting hours and dates)."""
    for index, rule in enumerate(rules):
        what = f"Rule {index + 1} ({WEEKDAYS[rule.weekday] if 0 <= rule.weekday < 7 else '?'})"
        if not 0 <= rule.weekday <= 6:
            raise BadUserInput(f"Rule {index + 1}: unknown weekday.", field="weekday")
        _check_slot_minutes(rule.slot_minutes, "slotMinutes")
        _check_hours(rule.start, rule.end, rule.slot_minutes, what)
        if rule.valid_from and rule.valid_until and rule.valid_until < rule.valid_from:
            raise BadUserInput(
                f"{what}: effective until {rule.valid_until} is before {rule.valid_from}.",
                field="validUntil",
            )
        for other_index, other in enumerate(rules[:index]):
            if (
                other.weekday == rule.weekday
                and rule.start < other.end
                and other.start < rule.end
                and _ranges_overlap(rule.valid_from, rule.valid_until, other)
            ):
                raise BadUserInput(
                    f"{what} {rule.start:%H:%M}-{rule.end:%H:%M} overlaps rule {other_index + 1} "
                    f"{other.start:%H:%M}-{other.end:%H:%M} on the same day.",
                    field="rules",
                )


def validate_exception(
    exception: AvailabilityException, existing: Sequence[AvailabilityException]
) -> None:
    """Refuse inverted ranges, half-given hours and overlaps with existing exceptions."""
    if exception.end_date < exception.start_date:
        raise BadUserInput(
            f"The exception ends ({exception.end_date}) before it starts ({exception.start_date}).",
            field="endDate",
        )
    if (exception.start is None) != (exception.end is None):
        raise BadUserInput("Give both a start and an end time, or neither.", field="startTime")
    if exception.kind is ExceptionKind.CHANGED_HOURS and exception.start is None:
        raise BadUserInput("Changed hours need a start and an end time.", field="startTime")
    if exception.start is not None and exception.end is not None:
        slot = exception.slot_minutes or SLOT_MINUTES_MIN
        _check_slot_minutes(slot, "slotMinutes")
        _check_hours(exception.start, exception.end, slot, "The exception")
    if exception.reason is not None and len(exception.reason) > 500:
        raise BadUserInput("The reason is at most 500 characters.", field="reason")
    for other in existing:
        if other.id != exception.id and (
            exception.start_date <= other.end_date and other.start_date <= exception.end_date
        ):
            raise BadUserInput(
                f"The exception {exception.start_date}..{exception.end_date} overlaps the "
                f"existing one {other.start_date}..{other.end_date}.",
                field="startDate",
            )


def validate_adhoc_slot(slot: AdHocSlot, existing: Sequence[AdHocSlot]) -> None:
    """Refuse naive, inverted, too long or overlapping ad-hoc slots."""
    if slot.start.tzinfo is None or slot.end.tzinfo is None:
        raise BadUserInput("Give times with a UTC offset (ISO 8601).", field="start")
    if slot.end <= slot.start:
        raise BadUserInput("The slot must end after it starts.", field="end")
    if slot.end - slot.start > ADHOC_SLOT_MAX:
        raise BadUserInput("A slot is at most 12 hours long.", field="end")
    if slot.end - slot.start < timedelta(minutes=SLOT_MINUTES_MIN):
        raise BadUserInput(f"A slot is at least {SLOT_MINUTES_MIN} minutes long.", field="end")
    for other in existing:
        if other.id != slot.id and slot.start < other.end and other.start < slot.end:
            raise BadUserInput(
                f"The slot overlaps the existing slot {other.start.isoformat()}"
                f" to {other.end.isoformat()}.",
                field="start",
            )


def validate_policy(policy: BookingPolicy) -> None:
    """Refuse negative or absurd buffers, notice and window."""
    for name, value, maximum in (
        ("bufferBeforeMinutes", policy.buffer_before_minutes, BUFFER_MINUTES_MAX),
        ("bufferAfterMinutes", policy.buffer_after_minutes, BUFFER_MINUTES_MAX),
        ("minimumNoticeMinutes", policy.minimum_notice_minutes, NOTICE_MINUTES_MAX),
    ):
        if not 0 <= value <= maximum:
            raise BadUserInput(f"{name} must be 0 to {maximum}, got {value}.", field=name)
    if not WINDOW_DAYS_MIN <= policy.booking_window_days <= WINDOW_DAYS_MAX:
        raise BadUserInput(
            f"bookingWindowDays must be {WINDOW_DAYS_MIN} to {WINDOW_DAYS_MAX}, "
            f"got {policy.booking_window_days}.",
            field="bookingWindowDays",
        )
