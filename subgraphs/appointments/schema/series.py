"""Recurring series: booking one (or a dry run of it), reading it, cancelling the rest.

Patients book; the series' patient and doctor read it; they and admins cancel the rest of
it. One occurrence is moved or cancelled with the usual appointment mutations. Resolvers
are thin: the rules are in `series/rules.py`, the use cases in `service/series*.py`.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import Enum
from typing import Self

import strawberry

from subgraphs.appointments.models import SeriesRow
from subgraphs.appointments.schema.context import Info, actor, deps, maybe_actor, parse_id
from subgraphs.appointments.schema.types import AppointmentType
from subgraphs.appointments.series.rules import MAX_INTERVAL, MAX_OCCURRENCES, Frequency, SeriesRule
from subgraphs.appointments.service import series, series_changes, series_report


@strawberry.enum(name="SeriesFrequency", description="How a series repeats.")
class SeriesFrequencyType(Enum):
    WEEKLY = strawberry.enum_value("WEEKLY", description="On the first start's weekday.")
    MONTHLY = strawberry.enum_value(
        "MONTHLY",
        description="On the first start's weekday of the month (the 2nd Tuesday); a 5th "
        "weekday repeats on the month's last.",
    )


@strawberry.enum(description="What to do when some occurrences cannot be booked.")
class SeriesBookingMode(Enum):
    ALL_OR_NOTHING = strawberry.enum_value(
        "ALL_OR_NOTHING", description="Book every occurrence or none (the error names the first)."
    )
    BOOK_AVAILABLE = strawberry.enum_value(
        "BOOK_AVAILABLE", description="Book those that can be; report the others."
    )


@strawberry.input(
    description="When a series repeats, in the doctor's time zone (09:00 stays 09:00 local "
    "across daylight-saving changes); give exactly one of `count` and `until`."
)
class SeriesRuleInput:
    frequency: SeriesFrequencyType
    interval: int = strawberry.field(
        default=1, description=f"Every 1 to {MAX_INTERVAL} weeks or months."
    )
    count: int | None = strawberry.field(
        default=None,
        description=f"How many occurrences, the first included: 2 to {MAX_OCCURRENCES}.",
    )
    until: date | None = strawberry.field(
        default=None,
        description=f"The last day (doctor's zone) an occurrence may be on; at most "
        f"{MAX_OCCURRENCES} occurrences.",
    )


@strawberry.input(description="A recurring booking request by the signed-in patient.")
class BookAppointmentSeriesInput:
    doctor_id: strawberry.ID
    start: datetime = strawberry.field(
        description="The first occurrence's start, ISO 8601 with offset, as offered by the doctor."
    )
    rule: SeriesRuleInput
    reason: str | None = strawberry.field(
        default=None, description="Why the patient comes; the same for every occurrence."
    )
    idempotency_key: str = strawberry.field(
        description="Unique per series request: a repeat with the same key and request returns "
        "the same series and report for 24 hours; another request with it is CONFLICT. Not "
        "used up by a dry run."
    )
    mode: SeriesBookingMode = SeriesBookingMode.ALL_OR_NOTHING
    dry_run: bool = strawberry.field(
        default=False, description="Only check: report each occurrence, write nothing."
    )


@strawberry.type(description="One start a series asks for: booked (or bookable) or refused.")
class SeriesOccurrence:
    start: datetime
    end: datetime | None = strawberry.field(description="Null when refused.")
    bookable: bool = strawberry.field(description="Booked, or in a dry run: would be booked.")
    refusal: str | None = strawberry.field(
        description="Why not, as an error code: SLOT_TAKEN, OUTSIDE_AVAILABILITY or TOO_LATE."
    )
    message: str | None
    appointment: AppointmentType | None = strawberry.field(
        description="The booked (or moved) appointment (null in a dry run and when refused)."
    )
    previous_start: datetime | None = strawberry.field(
        default=None,
        description="rescheduleAppointmentSeries: where the occurrence was (it stays there "
        "when refused); null when booking.",
    )

    @classmethod
    def from_occurrence(cls, occurrence: series_report.Occurrence) -> Self:
        row = occurrence.appointment
        return cls(
            start=occurrence.start,
            end=occurrence.end,
            bookable=occurrence.refusal is None,
            refusal=occurrence.refusal,
            message=occurrence.message,
            appointment=AppointmentType.from_model(row) if row else None,
            previous_start=occurrence.previous_start,
        )


@strawberry.type(
    name="AppointmentSeries",
    description="Recurring visits of a patient with a doctor; each occurrence is an "
    "Appointment. Readable by its patient, its doctor and admins.",
)
class AppointmentSeriesType:
    id: strawberry.ID
    rule: str = strawberry.field(
        description="The RFC 5545 RRULE, for a DTSTART of `firstStart` in `timeZone`."
    )
    time_zone: str = strawberry.field(description="The doctor's IANA zone the rule is read in.")
    first_start: datetime
    created_at: datetime

    @classmethod
    def from_model(cls, row: SeriesRow) -> Self:
        return cls(
            id=strawberry.ID(str(row.id)),
            rule=row.rule,
            time_zone=row.time_zone,
            first_start=row.first_start,
            created_at=row.created_at,
        )

    @strawberry.field(description="Every occurrence booked, soonest first, whatever its status.")
    async def occurrences(self, info: Info) -> list[AppointmentType]:
        rows = await series_changes.appointments(db=deps(info).db, series_id=uuid.UUID(self.id))
        return [AppointmentType.from_model(row) for row in rows]


async def series_of(info: Info, series_id: uuid.UUID) -> AppointmentSeriesType | None:
    """`Appointment.series`: the series if the caller is its patient or doctor."""
    row = await series_changes.get(db=deps(info).db, actor=maybe_actor(info), series_id=series_id)
    return AppointmentSeriesType.from_model(row) if row else None


@strawberry.type(description="The outcome of bookAppointmentSeries: the series and its report.")
class AppointmentSeriesBooking:
    series: AppointmentSeriesType | None = strawberry.field(
        description="The series written; null in a dry run."
    )
    dry_run: bool
    occurrences: list[SeriesOccurrence] = strawberry.field(
        description="Every start the rule asks for, in order, each booked or refused."
    )


@strawberry.type
class SeriesMutation:
    @strawberry.mutation(
        description="Book a recurring series (signed-in patient): each occurrence obeys every "
        "booking rule. ALL_OR_NOTHING refuses with the first refused occurrence's error (its "
        "`occurrence` number and `occurrenceStart` in the extensions); BOOK_AVAILABLE books "
        "the rest and reports it; `dryRun` writes nothing. Errors: BAD_USER_INPUT (field "
        "named), SLOT_TAKEN, OUTSIDE_AVAILABILITY, TOO_LATE, DOCTOR_NOT_BOOKABLE, CONFLICT, "
        "FORBIDDEN, SERVICE_UNAVAILABLE."
    )
    async def book_appointment_series(
        self, info: Info, input: BookAppointmentSeriesInput
    ) -> AppointmentSeriesBooking:
        booking = await series.book_series(
            deps=deps(info),
            actor=actor(info),
            doctor_id=parse_id(input.doctor_id, "doctorId"),
            start=input.start,
            rule=SeriesRule(
                frequency=Frequency(input.rule.frequency.name),
                interval=input.rule.interval,
                count=input.rule.count,
                until=input.rule.until,
            ),
            reason=input.reason,
            idempotency_key=input.idempotency_key,
            mode=series.Mode(input.mode.name),
            dry_run=input.dry_run,
        )
        return AppointmentSeriesBooking(
            series=AppointmentSeriesType.from_model(booking.series) if booking.series else None,
            dry_run=input.dry_run,
            occurrences=[SeriesOccurrence.from_occurrence(o) for o in booking.occurrences],
        )

    @strawberry.mutation(
        description="Cancel the rest of a series: its PENDING and CONFIRMED occurrences from "
        "`fromAppointmentId` on, or all future ones; each like cancelAppointment (patients "
        "until each one's cut-off: TOO_LATE cancels none). Returns those cancelled. Not "
        "yours: NOT_FOUND."
    )
    async def cancel_appointment_series(
        self,
        info: Info,
        series_id: strawberry.ID,
        from_appointment_id: strawberry.ID | None = None,
        reason: str | None = None,
    ) -> list[AppointmentType]:
        rows = await series_changes.cancel_rest(
            deps=deps(info),
            actor=actor(info),
            series_id=parse_id(series_id, "seriesId"),
            from_appointment_id=(
                parse_id(from_appointment_id, "fromAppointmentId") if from_appointment_id else None
            ),
            reason=reason,
        )
        return [AppointmentType.from_model(row) for row in rows]
