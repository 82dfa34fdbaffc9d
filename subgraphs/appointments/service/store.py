"""Persistence of the aggregate: rows ↔ domain, overlap guard, history and outbox on save."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import exists, func, or_
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from subgraphs.appointments import events
from subgraphs.appointments.domain import ACTIVE, Appointment, Status
from subgraphs.appointments.errors import SlotTaken
from subgraphs.appointments.models import AppointmentChangeRow, AppointmentRow
from subgraphs.shared import outbox
from subgraphs.shared.errors import NotFound

EXCLUSION_VIOLATION = "23P01"
UNIQUE_VIOLATION = "23505"
DEADLOCK_DETECTED = "40P01"
ACTIVE_VALUES = tuple(status.value for status in ACTIVE)


def to_domain(row: AppointmentRow) -> Appointment:
    return Appointment(
        id=row.id,
        doctor_id=row.doctor_id,
        doctor_user_id=row.doctor_user_id,
        patient_id=row.patient_id,
        start=row.starts_at,
        end=row.ends_at,
        status=Status(row.status),
        time_zone=row.time_zone,
        reason=row.reason,
        status_reason=row.status_reason,
        reschedule_count=row.reschedule_count,
    )


async def load(
    session: AsyncSession, appointment_id: uuid.UUID, *, lock: bool = False
) -> AppointmentRow:
    """The row (NOT_FOUND if none); with `lock`, locked until the transaction ends."""
    statement = select(AppointmentRow).where(col(AppointmentRow.id) == appointment_id)
    if lock:
        statement = statement.with_for_update()
    row = (await session.exec(statement)).first()
    if row is None:
        raise NotFound("No such appointment.", field="id")
    return row


async def load_for_update(session: AsyncSession, appointment_id: uuid.UUID) -> AppointmentRow:
    """The row, locked until the transaction ends (SQLite: writers are serialized anyway)."""
    return await load(session, appointment_id, lock=True)


async def ensure_free(
    session: AsyncSession,
    *,
    doctor_id: uuid.UUID,
    patient_id: uuid.UUID,
    start: datetime,
    end: datetime,
    ignore_id: uuid.UUID | None = None,
) -> None:
    """SLOT_TAKEN when the doctor or the patient already holds an overlapping active time.

    Inside a SQLite write transaction this check and the following write run alone, which
    makes it the guard; on PostgreSQL the exclusion constraints are the guard and this
    check only gives the common case a precise message.
    """
    overlapping = (
        select(AppointmentRow.doctor_id, AppointmentRow.patient_id)
        .where(
            col(AppointmentRow.status).in_(ACTIVE_VALUES),
            col(AppointmentRow.starts_at) < end,
            col(AppointmentRow.ends_at) > start,
            or_(
                col(AppointmentRow.doctor_id) == doctor_id,
                col(AppointmentRow.patient_id) == patient_id,
            ),
        )
        .limit(2)
    )
    if ignore_id is not None:
        overlapping = overlapping.where(col(AppointmentRow.id) != ignore_id)
    rows = (await session.exec(overlapping)).all()
    if any(row[0] == doctor_id for row in rows):
        raise SlotTaken("This time is no longer available.", field="start")
    if rows:
        raise SlotTaken(
            "You already have an appointment at this time.", field="start", whose="patient"
        )


async def lock_doctor_time(session: AsyncSession, doctor_id: uuid.UUID) -> None:
    """Serialize, until the transaction ends, everything that decides who gets the doctor's
    time: a booking or move (checks the time is free and not held, then writes) and a
    waitlist offer (checks the time is free and not offered, then holds it). Without it, on
    PostgreSQL's read committed, a booking and an offer of the same slot each saw the other
    not yet committed and both went through. SQLite needs nothing: every write transaction
    begins IMMEDIATE and already holds the database's one write lock. Re-entrant (a series
    books several occurrences of one doctor in one transaction)."""
    if session.get_bind().dialect.name != "postgresql":
        return
    key = int.from_bytes(doctor_id.bytes[:8], "big", signed=True)
    await session.exec(select(func.pg_advisory_xact_lock(key)))


async def doctor_busy(
    session: AsyncSession, *, doctor_id: uuid.UUID, start: datetime, end: datetime
) -> bool:
    """Whether the doctor holds an active appointment overlapping [start, end)."""
    statement = select(
        exists().where(
            col(AppointmentRow.doctor_id) == doctor_id,
            col(AppointmentRow.status).in_(ACTIVE_VALUES),
            col(AppointmentRow.starts_at) < end,
            col(AppointmentRow.ends_at) > start,
        )
    )
    return bool((await session.exec(statement)).one())


async def save(
    session: AsyncSession,
    appointment: Appointment,
    row: AppointmentRow | None,
    *,
    now: datetime,
    series_id: uuid.UUID | None = None,
    series_event_id: uuid.UUID | None = None,
) -> AppointmentRow:
    """Write the aggregate's state, one history row and one outbox event per recorded change.

    `series_id`: the series a new appointment is an occurrence of (its start is then its rule
    instance, `recurrence_start`); `series_event_id`: the series-wide event this change is
    announced with (see `events.AppointmentEvent`).
    """
    if row is None:
        row = AppointmentRow(
            id=appointment.id,
            doctor_id=appointment.doctor_id,
            doctor_user_id=appointment.doctor_user_id,
            patient_id=appointment.patient_id,
            starts_at=appointment.start,
            ends_at=appointment.end,
            status=appointment.status.value,
            time_zone=appointment.time_zone,
            series_id=series_id,
            recurrence_start=appointment.start if series_id is not None else None,
            created_at=now,
        )
    row.starts_at, row.ends_at = appointment.start, appointment.end
    row.status = appointment.status.value
    row.reason, row.status_reason = appointment.reason, appointment.status_reason
    row.reschedule_count = appointment.reschedule_count
    row.updated_at = now
    session.add(row)
    await session.flush()  # the row first: history rows refer to it
    for change in appointment.changes:
        session.add(
            AppointmentChangeRow(
                appointment_id=appointment.id,
                action=change.action.value,
                at=change.at,
                actor_id=change.actor_id,
                actor_role=change.actor_role.value,
                from_status=change.from_status.value if change.from_status else None,
                to_status=change.to_status.value,
                from_start=change.from_start,
                from_end=change.from_end,
                to_start=change.to_start,
                to_end=change.to_end,
                reason=change.reason,
            )
        )
        event = events.event_for(
            appointment,
            change,
            series_id=row.series_id,
            series_event_id=series_event_id,
            recurrence_start=row.recurrence_start,
        )
        outbox.record(session, event, source=events.SOURCE)
    appointment.changes.clear()
    return row


def sqlstate(error: IntegrityError) -> str | None:
    """The SQLSTATE of a PostgreSQL integrity error (None on SQLite)."""
    return getattr(error.orig, "sqlstate", None)


def is_deadlock(error: DBAPIError) -> bool:
    """Whether PostgreSQL rolled this transaction back to break a deadlock (safe to rerun)."""
    return getattr(error.orig, "sqlstate", None) == DEADLOCK_DETECTED


def raise_if_overlap(error: IntegrityError) -> None:
    """Turn an exclusion-constraint violation into SLOT_TAKEN; leave anything else alone."""
    if sqlstate(error) == EXCLUSION_VIOLATION:
        cause = getattr(error.orig, "__cause__", None)
        constraint = getattr(cause, "constraint_name", "") or ""
        if "patient" in constraint:
            raise SlotTaken(
                "You already have an appointment at this time.", field="start", whose="patient"
            ) from None
        raise SlotTaken("This time is no longer available.", field="start") from None
