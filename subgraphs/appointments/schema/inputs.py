"""Mutation and filter inputs."""

from __future__ import annotations

from datetime import datetime

import strawberry

from subgraphs.appointments.schema.types import AppointmentStatus


@strawberry.input(description="A booking request by the signed-in patient.")
class BookAppointmentInput:
    doctor_id: strawberry.ID
    start: datetime = strawberry.field(
        description="The slot's start, ISO 8601 with offset, as offered by the doctor."
    )
    reason: str | None = strawberry.field(
        default=None, description="Why the patient comes; seen only by them, the doctor, admins."
    )
    idempotency_key: str = strawberry.field(
        description="Unique per booking attempt (e.g. a UUID): retries with the same key and "
        "request return the first result for 24 hours; another request with it is CONFLICT."
    )


@strawberry.input(description="Move an appointment to another offered slot.")
class RescheduleAppointmentInput:
    id: strawberry.ID
    start: datetime
    reason: str | None = None


@strawberry.input(description="Call an appointment off.")
class CancelAppointmentInput:
    id: strawberry.ID
    reason: str | None = None


@strawberry.input(description="Decline a pending request; the reason is required.")
class RejectAppointmentInput:
    id: strawberry.ID
    reason: str


@strawberry.input(description="An admin's search; times select appointments overlapping them.")
class AppointmentFilter:
    doctor_id: strawberry.ID | None = None
    patient_id: strawberry.ID | None = None
    statuses: list[AppointmentStatus] | None = None
    from_: datetime | None = strawberry.field(default=None, name="from")
    to: datetime | None = None
