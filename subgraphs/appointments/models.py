"""The appointments store: appointments, their history, booking idempotency keys, calendar
feeds, the waitlist (entries and the offers of freed slots) and recurring series.

The overlap rule lives in the store: on PostgreSQL two exclusion constraints (see the
migration) and on SQLite the serialized check in `service.py` (writers take the lock with
`BEGIN IMMEDIATE`, so check-then-insert runs alone).
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import JSON, Column, Index, text
from sqlmodel import Field, SQLModel

TABLES = (
    "appointments",
    "appointment_changes",
    "appointment_idempotency_keys",
    "calendar_feeds",
    "waitlist_entries",
    "waitlist_offers",
    "appointment_series",
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
    series_id: uuid.UUID | None = Field(default=None, index=True)
    """The recurring series this appointment is an occurrence of, if any."""
    recurrence_start: datetime | None = None
    """A series occurrence's rule instance (UTC): the start it was booked at, which moves
    never change (its RECURRENCE-ID in an `.ics`). None outside a series."""
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


class WaitlistEntryRow(SQLModel, table=True):
    """A patient waiting for a freed or new slot: which days, which hours (doctor's zone).

    For one doctor (`doctor_id`), or for any doctor of a specialization in a city (an area:
    `specialization` and `city_key`, no doctor). At most one WAITING entry per patient and
    doctor, and per patient and area (partial unique indexes).
    """

    __tablename__ = "waitlist_entries"
    __table_args__ = (
        Index("ix_waitlist_entries_doctor_line", "doctor_id", "state", "created_at"),
        Index("ix_waitlist_entries_area_line", "specialization", "city_key", "state", "created_at"),
        Index(
            "ux_waitlist_entries_waiting",
            "patient_id",
            "doctor_id",
            unique=True,
            sqlite_where=text("state = 'WAITING'"),
            postgresql_where=text("state = 'WAITING'"),
        ),
        Index(
            "ux_waitlist_entries_area_waiting",
            "patient_id",
            "specialization",
            "city_key",
            unique=True,
            sqlite_where=text("state = 'WAITING'"),
            postgresql_where=text("state = 'WAITING'"),
        ),
    )

    id: uuid.UUID = Field(primary_key=True)
    patient_id: uuid.UUID = Field(index=True)
    doctor_id: uuid.UUID | None = None
    """The doctor waited for; None for an area entry."""
    specialization: str | None = Field(default=None, max_length=50)
    """An area entry's specialization code (as the doctors subgraph folds it)."""
    city: str | None = Field(default=None, max_length=100)
    """An area entry's city, as the area's doctors write it."""
    city_key: str | None = Field(default=None, max_length=100)
    """An area entry's city, folded by the doctors subgraph: what doctors are matched by."""
    time_zone: str = Field(max_length=64)
    """The doctor's IANA zone when the patient joined (an area's: most of its doctors'): the
    days are read in it; each slot's hours are read in its own doctor's zone."""
    first_day: date
    last_day: date
    earliest: time
    latest: time | None = None
    """The end of the daily window; None: the end of the day."""
    state: str = Field(max_length=10)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class WaitlistOfferRow(SQLModel, table=True):
    """A freed slot offered to one waiting patient until `expires_at`.

    At most one OFFERED offer per doctor and slot start (a partial unique index).
    """

    __tablename__ = "waitlist_offers"
    __table_args__ = (
        Index("ix_waitlist_offers_doctor_slot", "doctor_id", "slot_start"),
        Index("ix_waitlist_offers_state_expiry", "state", "expires_at"),
        Index(
            "ux_waitlist_offers_open_slot",
            "doctor_id",
            "slot_start",
            unique=True,
            sqlite_where=text("state = 'OFFERED'"),
            postgresql_where=text("state = 'OFFERED'"),
        ),
    )

    id: uuid.UUID = Field(primary_key=True)
    entry_id: uuid.UUID = Field(foreign_key="waitlist_entries.id", index=True)
    patient_id: uuid.UUID = Field(index=True)
    doctor_id: uuid.UUID
    slot_start: datetime
    slot_end: datetime
    time_zone: str = Field(max_length=64)
    freed_appointment_id: uuid.UUID | None = None
    """The appointment whose cancellation, rejection or move freed the slot."""
    state: str = Field(max_length=10)
    expires_at: datetime
    appointment_id: uuid.UUID | None = None
    """The booking an accepted offer made."""
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class SeriesRow(SQLModel, table=True):
    """A patient's recurring visits with one doctor: the RFC 5545 rule its occurrences follow.

    Its occurrences are appointments with its `series_id`; the occurrences asked for but not
    booked (BOOK_AVAILABLE) are kept in `refused`, so a repeated request reports them again.
    """

    __tablename__ = "appointment_series"

    id: uuid.UUID = Field(primary_key=True)
    patient_id: uuid.UUID = Field(index=True)
    doctor_id: uuid.UUID
    doctor_user_id: uuid.UUID
    rule: str = Field(max_length=200)
    """The RRULE text, for a DTSTART at `first_start` in `time_zone`."""
    time_zone: str = Field(max_length=64)
    first_start: datetime
    refused: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    """Each occurrence not booked: its start (ISO 8601) and the refusal's code; and each
    occurrence a move of the rest left where it was (its `moved` names the request)."""
    created_at: datetime = Field(default_factory=utcnow)
