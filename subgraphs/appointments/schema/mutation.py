"""Changing appointments: each mutation is one use case, one transaction."""

from __future__ import annotations

import strawberry

from subgraphs.appointments.schema.calendar_feed import CalendarFeedMutation
from subgraphs.appointments.schema.context import Info, actor, deps, parse_id
from subgraphs.appointments.schema.inputs import (
    BookAppointmentInput,
    CancelAppointmentInput,
    RejectAppointmentInput,
    RescheduleAppointmentInput,
)
from subgraphs.appointments.schema.series import SeriesMutation
from subgraphs.appointments.schema.series_moves import SeriesMoveMutation
from subgraphs.appointments.schema.types import AppointmentType
from subgraphs.appointments.schema.waitlist import WaitlistMutation
from subgraphs.appointments.service import lifecycle as service


@strawberry.type
class Mutation(CalendarFeedMutation, WaitlistMutation, SeriesMutation, SeriesMoveMutation):
    @strawberry.mutation(
        description="Book an offered slot (signed-in patient). PENDING until the doctor confirms "
        "unless the deployment auto-confirms. Errors: SLOT_TAKEN, OUTSIDE_AVAILABILITY, TOO_LATE, "
        "DOCTOR_NOT_BOOKABLE, CONFLICT (idempotency key reused), SERVICE_UNAVAILABLE."
    )
    async def book_appointment(self, info: Info, input: BookAppointmentInput) -> AppointmentType:
        row = await service.book(
            deps=deps(info),
            actor=actor(info),
            doctor_id=parse_id(input.doctor_id, "doctorId"),
            start=input.start,
            reason=input.reason,
            idempotency_key=input.idempotency_key,
        )
        return AppointmentType.from_model(row)

    @strawberry.mutation(
        description="Move a PENDING or CONFIRMED appointment to another offered slot, atomically. "
        "Patients: until the cut-off and at most the configured number of times (TOO_LATE, "
        "RESCHEDULE_LIMIT_REACHED); a patient's move waits for the doctor's confirmation again."
    )
    async def reschedule_appointment(
        self, info: Info, input: RescheduleAppointmentInput
    ) -> AppointmentType:
        row = await service.reschedule(
            deps=deps(info),
            actor=actor(info),
            appointment_id=parse_id(input.id),
            start=input.start,
            reason=input.reason,
        )
        return AppointmentType.from_model(row)

    @strawberry.mutation(
        description="Cancel a PENDING or CONFIRMED appointment: patients until the cut-off "
        "(TOO_LATE), the doctor and admins at any time."
    )
    async def cancel_appointment(
        self, info: Info, input: CancelAppointmentInput
    ) -> AppointmentType:
        row = await service.cancel(
            deps=deps(info),
            actor=actor(info),
            appointment_id=parse_id(input.id),
            reason=input.reason,
        )
        return AppointmentType.from_model(row)

    @strawberry.mutation(description="The doctor (or an admin) accepts a PENDING request.")
    async def confirm_appointment(self, info: Info, id: strawberry.ID) -> AppointmentType:
        row = await service.confirm(deps=deps(info), actor=actor(info), appointment_id=parse_id(id))
        return AppointmentType.from_model(row)

    @strawberry.mutation(description="The doctor (or an admin) declines a PENDING request.")
    async def reject_appointment(
        self, info: Info, input: RejectAppointmentInput
    ) -> AppointmentType:
        row = await service.reject(
            deps=deps(info),
            actor=actor(info),
            appointment_id=parse_id(input.id),
            reason=input.reason,
        )
        return AppointmentType.from_model(row)

    @strawberry.mutation(description="The doctor (or an admin) records a CONFIRMED visit as held.")
    async def complete_appointment(self, info: Info, id: strawberry.ID) -> AppointmentType:
        row = await service.complete(
            deps=deps(info), actor=actor(info), appointment_id=parse_id(id)
        )
        return AppointmentType.from_model(row)

    @strawberry.mutation(
        description="The doctor (or an admin) records that the patient did not come."
    )
    async def mark_no_show(self, info: Info, id: strawberry.ID) -> AppointmentType:
        row = await service.mark_no_show(
            deps=deps(info), actor=actor(info), appointment_id=parse_id(id)
        )
        return AppointmentType.from_model(row)
