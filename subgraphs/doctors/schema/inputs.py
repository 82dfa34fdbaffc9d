"""Input types of the doctors subgraph and their translation to domain values."""

from __future__ import annotations

from datetime import date, time
from decimal import Decimal

import strawberry

from subgraphs.doctors.domain.availability import (
    DEFAULT_NOTICE_MINUTES,
    DEFAULT_WINDOW_DAYS,
    AvailabilityException,
    BookingPolicy,
    ExceptionKind,
    WeeklyRule,
)
from subgraphs.doctors.domain.search import SearchFilter, SortKey
from subgraphs.doctors.schema.types import ExceptionKindEnum, Weekday
from subgraphs.doctors.service.profiles import ProfileChanges

DoctorSortEnum = strawberry.enum(SortKey, name="DoctorSort", description="Search order.")


@strawberry.input(description="Profile fields to change; omitted fields stay as they are.")
class DoctorProfileInput:
    name: str | None = None
    specializations: list[str] | None = strawberry.field(
        default=None, description="Codes from the `specializations` query."
    )
    city: str | None = None
    clinic_address: str | None = None
    clinic_phone: str | None = None
    languages: list[str] | None = None
    bio: str | None = None
    consultation_minutes: int | None = None
    fee: Decimal | None = None
    currency: str | None = None
    accepted_insurance: list[str] | None = None
    photo_url: str | None = None
    time_zone: str | None = None
    accepting_new_patients: bool | None = None

    def to_changes(self) -> ProfileChanges:
        return ProfileChanges(**{name: getattr(self, name) for name in _PROFILE_FIELDS})


_PROFILE_FIELDS = tuple(ProfileChanges.__dataclass_fields__)


@strawberry.input(description="Weekly hours in the doctor's local time.")
class WeeklyRuleInput:
    weekday: Weekday
    start: time
    end: time
    slot_minutes: int
    valid_from: date | None = None
    valid_until: date | None = None

    def to_rule(self) -> WeeklyRule:
        return WeeklyRule(
            weekday=self.weekday.value,
            start=self.start,
            end=self.end,
            slot_minutes=self.slot_minutes,
            valid_from=self.valid_from,
            valid_until=self.valid_until,
        )


@strawberry.input(description="Dates off (no times: whole days) or changed hours.")
class AvailabilityExceptionInput:
    start_date: date
    end_date: date
    kind: ExceptionKindEnum = ExceptionKind.UNAVAILABLE  # type: ignore[valid-type]
    start_time: time | None = None
    end_time: time | None = None
    slot_minutes: int | None = None
    reason: str | None = None

    def to_exception(self) -> AvailabilityException:
        return AvailabilityException(
            start_date=self.start_date,
            end_date=self.end_date,
            kind=ExceptionKind(self.kind),
            start=self.start_time,
            end=self.end_time,
            slot_minutes=self.slot_minutes,
            reason=self.reason,
        )


@strawberry.input(description="Buffers around visits, minimum notice, booking window.")
class BookingPolicyInput:
    buffer_before_minutes: int = 0
    buffer_after_minutes: int = 0
    minimum_notice_minutes: int = DEFAULT_NOTICE_MINUTES
    booking_window_days: int = DEFAULT_WINDOW_DAYS

    def to_policy(self) -> BookingPolicy:
        return BookingPolicy(
            buffer_before_minutes=self.buffer_before_minutes,
            buffer_after_minutes=self.buffer_after_minutes,
            minimum_notice_minutes=self.minimum_notice_minutes,
            booking_window_days=self.booking_window_days,
        )


@strawberry.input(description="Search criteria, combined with AND; dates are local dates.")
class DoctorFilter:
    specialization: str | None = strawberry.field(default=None, description="A code.")
    city: str | None = None
    text: str | None = strawberry.field(default=None, description="Part of the name.")
    language: str | None = None
    insurance: str | None = None
    available_on: date | None = None
    available_from: date | None = None
    available_to: date | None = None
    available_within_days: int | None = None
    accepting_new_patients: bool | None = None

    def to_filter(self) -> SearchFilter:
        return SearchFilter(
            specialization=self.specialization,
            city=self.city,
            text=self.text,
            language=self.language,
            insurance=self.insurance,
            available_from=self.available_on or self.available_from,
            available_to=self.available_on or self.available_to,
            available_within_days=self.available_within_days,
            accepting_new_patients=self.accepting_new_patients,
        )


@strawberry.input(description="`first` results after a cursor (`after`) or an `offset`.")
class PageInput:
    first: int | None = None
    after: str | None = None
    offset: int | None = None
