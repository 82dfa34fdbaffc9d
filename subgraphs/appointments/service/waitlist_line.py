"""The line for a doctor's slot: who waits for it, in joining order, and who gets it next.

A doctor's slot suits the entries for that doctor and the area entries ("any doctor of a
specialization in a city") whose specialization the doctor has, in the doctor's city. The
line is both kinds together, in the order they joined. The doctor's specializations and
city key come from the doctors subgraph (`DoctorArea`); without them, only the doctor's
own entries are in line.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, or_
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from subgraphs.appointments.domain import ACTIVE
from subgraphs.appointments.models import AppointmentRow, WaitlistEntryRow, WaitlistOfferRow
from subgraphs.appointments.waitlist.rules import EntryState, OfferState, Wish, ended, suits


@dataclass(frozen=True)
class DoctorArea:
    """The areas a doctor is in: their specialization codes, in their city."""

    specializations: frozenset[str]
    city_key: str


def wish_of(entry: WaitlistEntryRow) -> Wish:
    return Wish(entry.first_day, entry.last_day, entry.earliest, entry.latest)


def in_line(doctor_id: uuid.UUID, area: DoctorArea | None) -> Any:
    """The SQL condition for the entries a slot of the doctor suits (state aside)."""
    own = col(WaitlistEntryRow.doctor_id) == doctor_id
    if area is None or not area.specializations or not area.city_key:
        return own
    return or_(
        own,
        and_(
            col(WaitlistEntryRow.doctor_id).is_(None),
            col(WaitlistEntryRow.specialization).in_(sorted(area.specializations)),
            col(WaitlistEntryRow.city_key) == area.city_key,
        ),
    )


async def who_waits(session: AsyncSession, doctor_id: uuid.UUID) -> tuple[bool, bool]:
    """Whether anyone waits for this doctor, and whether anyone waits for any area at all
    (then the doctor's area is worth asking for)."""
    waiting = col(WaitlistEntryRow.state) == EntryState.WAITING.value
    own = select(WaitlistEntryRow.id).where(col(WaitlistEntryRow.doctor_id) == doctor_id, waiting)
    areas = select(WaitlistEntryRow.id).where(col(WaitlistEntryRow.doctor_id).is_(None), waiting)
    return (
        (await session.exec(own.limit(1))).first() is not None,
        (await session.exec(areas.limit(1))).first() is not None,
    )


async def waiting_without_offer(
    session: AsyncSession, doctor_id: uuid.UUID, area: DoctorArea | None, *, now: datetime
) -> list[WaitlistEntryRow]:
    """The line's waiting entries that hold no open offer, in joining order."""
    open_offer = select(WaitlistOfferRow.entry_id).where(
        col(WaitlistOfferRow.state) == OfferState.OFFERED.value,
        col(WaitlistOfferRow.expires_at) > now,
    )
    statement = (
        select(WaitlistEntryRow)
        .where(
            in_line(doctor_id, area),
            col(WaitlistEntryRow.state) == EntryState.WAITING.value,
            col(WaitlistEntryRow.id).not_in(open_offer),
        )
        .order_by(col(WaitlistEntryRow.created_at), col(WaitlistEntryRow.id))
    )
    return list((await session.exec(statement)).all())


async def next_in_line(
    session: AsyncSession,
    *,
    doctor_id: uuid.UUID,
    area: DoctorArea | None,
    start: datetime,
    end: datetime,
    zone: str,
    now: datetime,
    let_go_by: uuid.UUID | None = None,
    passed_over: set[uuid.UUID] | None = None,
) -> WaitlistEntryRow | None:
    """The first waiting entry (in joining order) the slot suits and that may have it; not
    the patient who just let go of the slot (`let_go_by`), nor those `passed_over`.

    Skipped: entries that already had an offer of this slot, entries holding another open
    offer, patients busy then; entries whose days are over end (ENDED). The slot's hours
    are read in its doctor's `zone`.
    """
    line = (
        await session.exec(
            select(WaitlistEntryRow)
            .where(
                in_line(doctor_id, area),
                col(WaitlistEntryRow.state) == EntryState.WAITING.value,
            )
            .order_by(col(WaitlistEntryRow.created_at), col(WaitlistEntryRow.id))
        )
    ).all()
    if not line:
        return None
    ids = [entry.id for entry in line]
    had_it = set(
        (
            await session.exec(
                select(WaitlistOfferRow.entry_id).where(
                    col(WaitlistOfferRow.entry_id).in_(ids),
                    col(WaitlistOfferRow.doctor_id) == doctor_id,
                    col(WaitlistOfferRow.slot_start) == start,
                )
            )
        ).all()
    )
    holding = set(
        (
            await session.exec(
                select(WaitlistOfferRow.entry_id).where(
                    col(WaitlistOfferRow.entry_id).in_(ids),
                    col(WaitlistOfferRow.state) == OfferState.OFFERED.value,
                    col(WaitlistOfferRow.expires_at) > now,
                )
            )
        ).all()
    )
    for entry in line:
        wish = wish_of(entry)
        if ended(wish, now=now, time_zone=entry.time_zone):
            entry.state, entry.updated_at = EntryState.ENDED.value, now
            session.add(entry)
            continue
        if entry.id in had_it or entry.id in holding or entry.patient_id == let_go_by:
            continue
        if passed_over and entry.id in passed_over:
            continue
        if not suits(wish, start=start, end=end, time_zone=zone):
            continue
        if await _patient_busy(session, entry.patient_id, start=start, end=end):
            continue
        return entry
    return None


async def claim(session: AsyncSession, entry_id: uuid.UUID, *, now: datetime) -> bool:
    """Lock the chosen entry and make sure it still waits without an open offer.

    Two offers of different slots made at once (replicas, a freed slot and new availability,
    two doctors of one area) may choose the same entry; the second waits for the first's
    lock here (PostgreSQL; SQLite writes one at a time) and then sees its offer: one open
    offer per entry at a time.
    """
    statement = (
        select(WaitlistEntryRow)
        .where(col(WaitlistEntryRow.id) == entry_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    entry = (await session.exec(statement)).first()
    if entry is None or entry.state != EntryState.WAITING.value:
        return False
    holding = select(WaitlistOfferRow.id).where(
        col(WaitlistOfferRow.entry_id) == entry_id,
        col(WaitlistOfferRow.state) == OfferState.OFFERED.value,
        col(WaitlistOfferRow.expires_at) > now,
    )
    return (await session.exec(holding.limit(1))).first() is None


async def _patient_busy(
    session: AsyncSession, patient_id: uuid.UUID, *, start: datetime, end: datetime
) -> bool:
    statement = (
        select(AppointmentRow.id)
        .where(
            col(AppointmentRow.patient_id) == patient_id,
            col(AppointmentRow.status).in_([status.value for status in ACTIVE]),
            col(AppointmentRow.starts_at) < end,
            col(AppointmentRow.ends_at) > start,
        )
        .limit(1)
    )
    return (await session.exec(statement)).first() is not None
