"""The appointments store: appointments, their history and booking idempotency keys.

The overlap rule lives in the store: on PostgreSQL two exclusion constraints (see the
migration) and on SQLite the serialized check in `service.py` (writers take the lock with
`BEGIN IMMEDIATE`, so check-then-insert runs alone).
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

TABLES = (
    "appointments",
    "appointment_changes",
    "appointment_idempotency_keys",
    "calendar_feeds",
)


def utcnow() -> datetime:
    return datetime.now(UTC)


class AppointmentRow(SQLModel, table=True):
    """A booking: which doctor, which patient, when, and where it stands."""

    __tablename__ = "appointments"
    __table_args__ = (
        Index("ix_appointments_doctor_start", "doctor_id", "starts_at"),
        Index("ix_appointments_doctor_user_start", "doctor_user_id", "starts_at"),
        Index("ix_appointments_patient_start", "patient_id", "starts_at"),
        # Covers what `statistics` reads, so its range scans never visit the table.
        Index(
            "ix_appointments_start_figures",
            "starts_at",
            "status",
            "doctor_id",
            "ends_at",
            "created_at",
        ),
    )

    id: uuid.UUID = Field(primary_key=True)
    doctor_id: uuid.UUID
    doctor_user_id: uuid.UUID
    patient_id: uuid.UUID
    starts_at: datetime
    ends_at: datetime
    status: str = Field(max_length=12)
    time_zone: str = Field(max_length=64)
    reason: str | None = Field(default=None, max_length=500)
    status_reason: str | None = Field(default=None, max_length=500)
    reschedule_count: int = 0
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class AppointmentChangeRow(SQLModel, table=True):
    """One step of an appointment's history: who, when, from → to, and why."""

    __tablename__ = "appointment_changes"

    id: int | None = Field(default=None, primary_key=True)
    appointment_id: uuid.UUID = Field(foreign_key="appointments.id", index=True)
    action: str = Field(max_length=20)
    at: datetime
    actor_id: uuid.UUID
    actor_role: str = Field(max_length=10)
    from_status: str | None = Field(default=None, max_length=12)
    to_status: str = Field(max_length=12)
    from_start: datetime | None = None
    from_end: datetime | None = None
    to_start: datetime
    to_end: datetime
    reason: str | None = Field(default=None, max_length=500)


class IdempotencyKeyRow(SQLModel, table=True):
    """A patient's booking key: the request it came with and the appointment it made."""

    __tablename__ = "appointment_idempotency_keys"

    patient_id: uuid.UUID = Field(primary_key=True)
    key: str = Field(primary_key=True, max_length=200)
    fingerprint: str = Field(max_length=64)
    appointment_id: uuid.UUID
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime = Field(index=True)


class CalendarFeedRow(SQLModel, table=True):
    """A user's calendar feed version: rotating the feed bumps it, revoking older addresses.

    No row means version 1 (a feed nobody rotated yet).
    """

    __tablename__ = "calendar_feeds"

    user_id: uuid.UUID = Field(primary_key=True)
    version: int = 1
    rotated_at: datetime = Field(default_factory=utcnow)
