"""Rescheduling the rest of a series (or a dry run of it): thin resolver over
`service/series_moves.py`; where occurrences go is `series/moves.py`."""

from __future__ import annotations

from datetime import datetime

import strawberry

from subgraphs.appointments.schema.context import Info, actor, deps, parse_id
from subgraphs.appointments.schema.series import (
    AppointmentSeriesType,
    SeriesBookingMode,
    SeriesOccurrence,
)
from subgraphs.appointments.series.moves import MAX_SHIFT_DAYS
from subgraphs.appointments.service import series, series_moves


@strawberry.input(
    description="Move a series' occurrences from one on (signed-in patient, its doctor or an "
    "admin): `fromAppointmentId` goes to `start` and each later active occurrence moves the "
    "same way in the doctor's time zone: to the same wall-clock time, and by the same number "
    "of days (weekly) or to the same weekday of the month (monthly)."
)
class RescheduleAppointmentSeriesInput:
    series_id: strawberry.ID
    from_appointment_id: strawberry.ID = strawberry.field(
        description="The first occurrence to move (PENDING or CONFIRMED)."
    )
    start: datetime = strawberry.field(
        description=f"Its new start, ISO 8601 with offset: at most {MAX_SHIFT_DAYS} days from "
        "its current day (weekly), or in the same month (monthly)."
    )
    reason: str | None = strawberry.field(
        default=None, description="Why, recorded in each moved occurrence's history."
    )
    idempotency_key: str = strawberry.field(
        description="Unique per request: a repeat with the same key and request returns the "
        "same report for 24 hours; another request with it is CONFLICT. Not used up by a dry "
        "run."
    )
    mode: SeriesBookingMode = strawberry.field(
        default=SeriesBookingMode.ALL_OR_NOTHING,
        description="ALL_OR_NOTHING: move every occurrence or none; BOOK_AVAILABLE: move "
        "those that can be, leave the others where they are.",
    )
    dry_run: bool = strawberry.field(
        default=False, description="Only check: report each occurrence, move nothing."
    )


@strawberry.type(description="The outcome of rescheduleAppointmentSeries.")
class AppointmentSeriesRescheduling:
    series: AppointmentSeriesType | None = strawberry.field(
        description="The series; null in a dry run."
    )
    dry_run: bool
    occurrences: list[SeriesOccurrence] = strawberry.field(
        description="Each occurrence asked to move, in order: `previousStart` where it was, "
        "`start` where it goes (or would), or the refusal keeping it where it was."
    )


@strawberry.type
class SeriesMoveMutation:
    @strawberry.mutation(
        description="Reschedule the rest of a series: each occurrence obeys every rule of "
        "rescheduleAppointment (availability, no overlap, notice and window; patients: each "
        "one's cut-off and reschedule limit, and the doctor confirms again). ALL_OR_NOTHING "
        "refuses with the first refused occurrence's error (`occurrence`, `occurrenceStart` in "
        "the extensions); BOOK_AVAILABLE moves the rest and reports it; `dryRun` moves "
        "nothing. Errors: BAD_USER_INPUT (field named), SLOT_TAKEN, OUTSIDE_AVAILABILITY, "
        "TOO_LATE, RESCHEDULE_LIMIT_REACHED, CONFLICT, NOT_FOUND, SERVICE_UNAVAILABLE."
    )
    async def reschedule_appointment_series(
        self, info: Info, input: RescheduleAppointmentSeriesInput
    ) -> AppointmentSeriesRescheduling:
        outcome = await series_moves.reschedule_rest(
            deps=deps(info),
            actor=actor(info),
            series_id=parse_id(input.series_id, "seriesId"),
            from_appointment_id=parse_id(input.from_appointment_id, "fromAppointmentId"),
            start=input.start,
            reason=input.reason,
            idempotency_key=input.idempotency_key,
            mode=series.Mode(input.mode.name),
            dry_run=input.dry_run,
        )
        return AppointmentSeriesRescheduling(
            series=AppointmentSeriesType.from_model(outcome.series) if outcome.series else None,
            dry_run=input.dry_run,
            occurrences=[SeriesOccurrence.from_occurrence(o) for o in outcome.occurrences],
        )
