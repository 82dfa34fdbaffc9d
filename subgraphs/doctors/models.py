"""The doctors store's tables (names prefixed: SQLModel has one metadata for every subgraph)."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time

from sqlalchemy import JSON, Column, Index, Text
from sqlmodel import Field, SQLModel

from subgraphs.doctors.domain.availability import ExceptionKind
from subgraphs.doctors.domain.onboarding import DoctorStatus
from subgraphs.shared import booking_rules

TABLES = (
    "doctors",
    "specializations",
    "doctor_tags",
    "doctor_status_changes",
    "doctor_availability_rules",
    "doctor_availability_exceptions",
    "doctor_adhoc_slots",
    "doctor_busy_times",
    "doctor_slot_holds",
)


def utcnow() -> datetime:
    return datetime.now(UTC)


class Specialization(SQLModel, table=True):
    """The managed list of specializations doctors choose from."""

    __tablename__ = "specializations"

    code: str = Field(primary_key=True, max_length=50)
    name: str = Field(max_length=100)


class Doctor(SQLModel, table=True):
    """A doctor's public profile, onboarding status and booking policy."""

    __tablename__ = "doctors"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    user_id: uuid.UUID = Field(unique=True, index=True)
    name: str = Field(max_length=200, index=True)
    name_key: str = Field(max_length=200, index=True)
    city: str = Field(default="", max_length=100)
    city_key: str = Field(default="", max_length=100, index=True)
    clinic_address: str = Field(default="", max_length=300)
    clinic_phone: str | None = Field(default=None, max_length=40)
    bio: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    specializations: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    languages: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    accepted_insurance: list[str] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    consultation_minutes: int = 30
    fee_cents: int = Field(default=0, index=True)
    currency: str = Field(default="EUR", max_length=3)
    photo_url: str | None = Field(default=None, max_length=500)
    time_zone: str = Field(default="UTC", max_length=64)
    accepting_new_patients: bool = True
    status: DoctorStatus = Field(default=DoctorStatus.PENDING, max_length=10, index=True)
    status_reason: str | None = Field(default=None, max_length=500)
    buffer_before_minutes: int = 0
    buffer_after_minutes: int = 0
    minimum_notice_minutes: int = booking_rules.MINIMUM_NOTICE_MINUTES
    booking_window_days: int = booking_rules.BOOKING_WINDOW_DAYS
    created_at: datetime = Field(default_factory=utcnow, index=True)
    updated_at: datetime = Field(default_factory=utcnow)
    # The next bookable slot, stored so that search sorts and filters by it in SQL
    # (`service.next_free`): right while now < next_free_valid_until (None: to be worked
    # out); every change that can move it adds one to next_free_epoch.
    next_free_start: datetime | None = Field(default=None, index=True)
    next_free_end: datetime | None = None
    next_free_valid_until: datetime | None = Field(default=None, index=True)
    next_free_epoch: int = 0


class DoctorTag(SQLModel, table=True):
    """One searchable list value of a doctor (specialization, language, insurance), folded."""

    __tablename__ = "doctor_tags"
    __table_args__ = (Index("ix_doctor_tags_kind_value", "kind", "value", "doctor_id"),)

    doctor_id: uuid.UUID = Field(foreign_key="doctors.id", primary_key=True, ondelete="CASCADE")
    kind: str = Field(primary_key=True, max_length=20)
    value: str = Field(primary_key=True, max_length=100)


class DoctorStatusChange(SQLModel, table=True):
    """The audit trail of onboarding: who moved a doctor from what to what, when and why."""

    __tablename__ = "doctor_status_changes"
    __table_args__ = (  # serves `statistics` (service/statistics.py)
        Index(
            "ix_doctor_status_changes_figures",
            "changed_at", "to_status", "from_status", "doctor_id",
        ),
    )  # fmt: skip

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    doctor_id: uuid.UUID = Field(foreign_key="doctors.id", index=True, ondelete="CASCADE")
    from_status: DoctorStatus | None = Field(default=None, max_length=10)
    to_status: DoctorStatus = Field(max_length=10)
    reason: str | None = Field(default=None, max_length=500)
    changed_by: uuid.UUID | None = None
    changed_at: datetime = Field(default_factory=utcnow)


class AvailabilityRuleRow(SQLModel, table=True):
    """A weekly rule in the doctor's local time."""

    __tablename__ = "doctor_availability_rules"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    doctor_id: uuid.UUID = Field(foreign_key="doctors.id", index=True, ondelete="CASCADE")
    weekday: int
    start_time: time
    end_time: time
    slot_minutes: int
    valid_from: date | None = None
    valid_until: date | None = None


class AvailabilityExceptionRow(SQLModel, table=True):
    """Dates off, or with changed hours, in the doctor's local time."""

    __tablename__ = "doctor_availability_exceptions"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    doctor_id: uuid.UUID = Field(foreign_key="doctors.id", index=True, ondelete="CASCADE")
    start_date: date
    end_date: date
    kind: ExceptionKind = Field(max_length=20)
    start_time: time | None = None
    end_time: time | None = None
    slot_minutes: int | None = None
    reason: str | None = Field(default=None, max_length=500)


class AdHocSlotRow(SQLModel, table=True):
    """A one-off bookable range (UTC)."""

    __tablename__ = "doctor_adhoc_slots"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    doctor_id: uuid.UUID = Field(foreign_key="doctors.id", index=True, ondelete="CASCADE")
    start: datetime = Field(index=True)
    end: datetime


class BusyTime(SQLModel, table=True):
    """Time an appointment takes, projected from the appointments subgraph's events.

    `active` is False once the appointment is cancelled or rejected; `event_time` is the
    time of the newest event applied, so that a late, older event changes nothing.
    """

    __tablename__ = "doctor_busy_times"
    __table_args__ = (Index("ix_doctor_busy_times_doctor", "doctor_id", "active", "end"),)

    appointment_id: uuid.UUID = Field(primary_key=True)
    doctor_id: uuid.UUID
    start: datetime
    end: datetime
    active: bool = True
    event_time: datetime


class SlotHold(SQLModel, table=True):
    """A slot the appointments subgraph holds for a waiting patient's offer, projected from
    its `WaitlistOfferMade` / `WaitlistOfferClosed` events.

    Busy for search and open slots while `active` and before `held_until` (the offer's
    expiry: a hold ends by itself even if its closing event comes late). Once closed
    (`active` False) it never opens again: an offer is made once.
    """

    __tablename__ = "doctor_slot_holds"
    __table_args__ = (Index("ix_doctor_slot_holds_doctor", "doctor_id", "active", "held_until"),)

    offer_id: uuid.UUID = Field(primary_key=True)
    doctor_id: uuid.UUID
    start: datetime
    end: datetime
    held_until: datetime
    active: bool = True
