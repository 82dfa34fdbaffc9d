"""The doctors subgraph's object types (built from views and domain values, never rows)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime, time
from enum import Enum
from typing import Self
from zoneinfo import ZoneInfo

import strawberry

from subgraphs.doctors.domain.availability import (
    WEEKDAYS,
    AdHocSlot,
    AvailabilityException,
    ExceptionKind,
    WeeklyRule,
)
from subgraphs.doctors.domain.onboarding import DoctorStatus
from subgraphs.doctors.domain.slots import Slot
from subgraphs.doctors.models import DoctorStatusChange, Specialization

DoctorStatusEnum = strawberry.enum(
    DoctorStatus, name="DoctorStatus", description="Where a doctor is in onboarding."
)
ExceptionKindEnum = strawberry.enum(
    ExceptionKind,
    name="AvailabilityExceptionKind",
    description="UNAVAILABLE: time off; CHANGED_HOURS: only these hours on these dates.",
)


@strawberry.enum(description="A day of the week.")
class Weekday(Enum):
    MONDAY = 0
    TUESDAY = 1
    WEDNESDAY = 2
    THURSDAY = 3
    FRIDAY = 4
    SATURDAY = 5
    SUNDAY = 6


assert [d.name for d in Weekday] == list(WEEKDAYS)


@strawberry.type(name="Specialization", description="An entry of the managed list.")
class SpecializationType:
    code: str
    name: str

    @classmethod
    def from_model(cls, row: Specialization) -> Self:
        return cls(code=row.code, name=row.name)


@strawberry.type(name="Slot", description="A bookable range; times in UTC (ISO 8601).")
class SlotType:
    start: datetime
    end: datetime
    local_start: datetime = strawberry.field(
        description="The start in the doctor's time zone, with its offset."
    )
    local_end: datetime = strawberry.field(description="The end in the doctor's time zone.")

    @classmethod
    def of(cls, slot: Slot, zone: str) -> Self:
        tz = ZoneInfo(zone)
        return cls(
            start=slot.start,
            end=slot.end,
            local_start=slot.start.astimezone(tz),
            local_end=slot.end.astimezone(tz),
        )

    @classmethod
    def many(cls, slots: Sequence[Slot], zone: str) -> list[Self]:
        return [cls.of(slot, zone) for slot in slots]


@strawberry.type(name="WeeklyRule", description="Weekly working hours in the doctor's zone.")
class WeeklyRuleType:
    id: strawberry.ID
    weekday: Weekday
    start: time
    end: time
    slot_minutes: int
    valid_from: date | None
    valid_until: date | None

    @classmethod
    def of(cls, rule: WeeklyRule) -> Self:
        return cls(
            id=strawberry.ID(str(rule.id or "")),
            weekday=Weekday(rule.weekday),
            start=rule.start,
            end=rule.end,
            slot_minutes=rule.slot_minutes,
            valid_from=rule.valid_from,
            valid_until=rule.valid_until,
        )


@strawberry.type(name="AvailabilityException", description="Dates off or with changed hours.")
class AvailabilityExceptionType:
    id: strawberry.ID
    start_date: date
    end_date: date
    kind: ExceptionKindEnum  # type: ignore[valid-type]
    start_time: time | None
    end_time: time | None
    slot_minutes: int | None
    reason: str | None

    @classmethod
    def of(cls, exception: AvailabilityException) -> Self:
        return cls(
            id=strawberry.ID(str(exception.id)),
            start_date=exception.start_date,
            end_date=exception.end_date,
            kind=exception.kind,
            start_time=exception.start,
            end_time=exception.end,
            slot_minutes=exception.slot_minutes,
            reason=exception.reason,
        )


@strawberry.type(name="AdHocSlot", description="A one-off slot the doctor added (UTC).")
class AdHocSlotType:
    id: strawberry.ID
    start: datetime
    end: datetime

    @classmethod
    def of(cls, slot: AdHocSlot) -> Self:
        return cls(id=strawberry.ID(str(slot.id)), start=slot.start, end=slot.end)


@strawberry.type(name="Availability", description="How a doctor defined their availability.")
class AvailabilityType:
    rules: list[WeeklyRuleType]
    exceptions: list[AvailabilityExceptionType]
    slots: list[AdHocSlotType]


@strawberry.type(name="BookingPolicy", description="Buffers, minimum notice, booking window.")
class BookingPolicyType:
    buffer_before_minutes: int
    buffer_after_minutes: int
    minimum_notice_minutes: int
    booking_window_days: int


@strawberry.type(name="DoctorStatusChange", description="One audited onboarding transition.")
class DoctorStatusChangeType:
    from_status: DoctorStatusEnum | None  # type: ignore[valid-type]
    to_status: DoctorStatusEnum  # type: ignore[valid-type]
    reason: str | None
    changed_by: strawberry.ID | None = strawberry.field(
        description="The admin's user id; null when the system made the change."
    )
    changed_at: datetime

    @classmethod
    def from_model(cls, row: DoctorStatusChange) -> Self:
        return cls(
            from_status=row.from_status,
            to_status=row.to_status,
            reason=row.reason,
            changed_by=strawberry.ID(str(row.changed_by)) if row.changed_by else None,
            changed_at=row.changed_at,
        )


def id_of(value: uuid.UUID) -> strawberry.ID:
    return strawberry.ID(str(value))
