"""Reading appointments, always through the caller's rights (patients: own; doctors: theirs)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Final

from sqlalchemy import ColumnElement, false, func, true
from sqlmodel import col, select
from sqlmodel.sql.expression import SelectOfScalar

from subgraphs.appointments.domain import Actor, Status
from subgraphs.appointments.models import AppointmentChangeRow, AppointmentRow
from subgraphs.shared.audit import capture
from subgraphs.shared.auth import Role
from subgraphs.shared.database import Database
from subgraphs.shared.errors import BadUserInput, Forbidden, NotFound

PAGE_MAX: Final = 100
CALENDAR_MAX: Final = timedelta(days=92)


@dataclass(frozen=True)
class Page:
    items: Sequence[AppointmentRow]
    total: int
    offset: int
    limit: int


@dataclass(frozen=True)
class Filter:
    """An admin's search: any combination; times select appointments overlapping [start, end)."""

    doctor_id: uuid.UUID | None = None
    patient_id: uuid.UUID | None = None
    statuses: tuple[Status, ...] = ()
    start: datetime | None = None
    end: datetime | None = None


def visible_to(actor: Actor | None) -> ColumnElement[bool]:
    """The rows `actor` may read: admins all, patients their own, doctors theirs."""
    if actor is None:
        return false()
    if actor.role is Role.ADMIN:
        return true()
    if actor.role is Role.DOCTOR:
        return col(AppointmentRow.doctor_user_id) == actor.user_id
    return col(AppointmentRow.patient_id) == actor.user_id


def check_page(offset: int, limit: int) -> None:
    if offset < 0 or not 1 <= limit <= PAGE_MAX:
        raise BadUserInput(f"Pages start at offset 0 and hold 1 to {PAGE_MAX} items.", field="page")


async def get(*, db: Database, actor: Actor, appointment_id: uuid.UUID) -> AppointmentRow:
    """One appointment the caller may see (NOT_FOUND otherwise, whether or not it exists)."""
    statement = select(AppointmentRow).where(
        col(AppointmentRow.id) == appointment_id, visible_to(actor)
    )
    async with db.session() as session:
        row = (await session.exec(statement)).first()
    if row is None:
        raise NotFound("No such appointment.", field="id")
    await capture.read(  # its reason is patient data: recorded when not the patient's own read
        db,
        component="appointments",
        action="AppointmentRead",
        subject_type="Appointment",
        subject_id=row.id,
        patients=[row.patient_id],
    )
    return row


async def _listed(db: Database, rows: Sequence[AppointmentRow]) -> None:
    """Record a list of appointments (their reasons are patient data): one entry per patient
    concerned other than the caller, before the list is returned; an empty list records none."""
    await capture.read(
        db,
        component="appointments",
        action="AppointmentsListed",
        subject_type="Appointment",
        patients=[row.patient_id for row in rows],
    )


async def by_ids(db: Database, ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, AppointmentRow]:
    """Rows by id, unfiltered: callers apply the reader's rights (entity resolution)."""
    wanted = list(set(ids))
    if not wanted:
        return {}
    async with db.session() as session:
        rows = (
            await session.exec(select(AppointmentRow).where(col(AppointmentRow.id).in_(wanted)))
        ).all()
    return {row.id: row for row in rows}


async def mine(
    *, db: Database, actor: Actor, upcoming: bool, now: datetime, offset: int, limit: int
) -> Page:
    """The caller's appointments: upcoming (not yet ended, soonest first) or past (latest first)."""
    if upcoming:
        return await _page(
            db, [visible_to(actor), col(AppointmentRow.ends_at) > now], True, offset, limit
        )
    return await _page(
        db, [visible_to(actor), col(AppointmentRow.ends_at) <= now], False, offset, limit
    )


async def calendar(
    *, db: Database, actor: Actor, start: datetime, end: datetime
) -> Sequence[AppointmentRow]:
    """The signed-in doctor's appointments overlapping [start, end), in time order."""
    if actor.role is not Role.DOCTOR:
        raise Forbidden("Only doctors have a calendar.")
    if start.tzinfo is None or end.tzinfo is None:
        raise BadUserInput("Times need a UTC offset (ISO 8601).", field="from")
    if not start < end <= start + CALENDAR_MAX:
        raise BadUserInput("A calendar range is positive and at most 92 days.", field="to")
    statement = (
        select(AppointmentRow)
        .where(
            col(AppointmentRow.doctor_user_id) == actor.user_id,
            col(AppointmentRow.starts_at) < end,
            col(AppointmentRow.ends_at) > start,
        )
        .order_by(col(AppointmentRow.starts_at))
    )
    async with db.session() as session:
        rows = (await session.exec(statement)).all()
    await _listed(db, rows)
    return rows


async def pending(*, db: Database, actor: Actor, now: datetime, offset: int, limit: int) -> Page:
    """Requests waiting for the signed-in doctor's answer, soonest first."""
    if actor.role is not Role.DOCTOR:
        raise Forbidden("Only doctors answer appointment requests.")
    conditions = [
        col(AppointmentRow.doctor_user_id) == actor.user_id,
        col(AppointmentRow.status) == Status.PENDING.value,
        col(AppointmentRow.starts_at) > now,
    ]
    return await _page(db, conditions, True, offset, limit)


async def search(*, db: Database, actor: Actor, filter: Filter, offset: int, limit: int) -> Page:
    """Admins: any appointments matching the filter, latest first."""
    if actor.role is not Role.ADMIN:
        raise Forbidden("Only admins search all appointments.")
    conditions: list[Any] = []
    if filter.doctor_id is not None:
        conditions.append(col(AppointmentRow.doctor_id) == filter.doctor_id)
    if filter.patient_id is not None:
        conditions.append(col(AppointmentRow.patient_id) == filter.patient_id)
    if filter.statuses:
        conditions.append(col(AppointmentRow.status).in_([s.value for s in filter.statuses]))
    if filter.end is not None:
        conditions.append(col(AppointmentRow.starts_at) < filter.end)
    if filter.start is not None:
        conditions.append(col(AppointmentRow.ends_at) > filter.start)
    return await _page(db, conditions, False, offset, limit)


async def of_entity(
    *,
    db: Database,
    actor: Actor | None,
    doctor_id: uuid.UUID | None = None,
    patient_id: uuid.UUID | None = None,
    after: datetime | None = None,
    offset: int,
    limit: int,
) -> Page:
    """A doctor's or a user's appointments as far as the caller may see them."""
    conditions: list[Any] = [visible_to(actor)]
    if doctor_id is not None:
        conditions.append(col(AppointmentRow.doctor_id) == doctor_id)
    if patient_id is not None:
        conditions.append(col(AppointmentRow.patient_id) == patient_id)
    if after is not None:
        conditions.append(col(AppointmentRow.ends_at) > after)
    return await _page(db, conditions, after is not None, offset, limit)


async def history(*, db: Database, appointment_id: uuid.UUID) -> Sequence[AppointmentChangeRow]:
    statement = (
        select(AppointmentChangeRow)
        .where(col(AppointmentChangeRow.appointment_id) == appointment_id)
        .order_by(col(AppointmentChangeRow.at), col(AppointmentChangeRow.id))
    )
    async with db.session() as session:
        return (await session.exec(statement)).all()


async def _page(
    db: Database, conditions: Sequence[Any], ascending: bool, offset: int, limit: int
) -> Page:
    check_page(offset, limit)
    order = col(AppointmentRow.starts_at)
    statement: SelectOfScalar[AppointmentRow] = (
        select(AppointmentRow)
        .where(*conditions)
        .order_by(order if ascending else order.desc(), col(AppointmentRow.id))
        .offset(offset)
        .limit(limit)
    )
    counting = select(func.count()).select_from(AppointmentRow).where(*conditions)
    async with db.session() as session:
        items = (await session.exec(statement)).all()
        total = (await session.exec(counting)).one()
    await _listed(db, items)
    return Page(items=items, total=int(total), offset=offset, limit=limit)
