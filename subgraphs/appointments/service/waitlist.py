"""Waitlist entries: a patient joins a doctor's waitlist, sees their place in line, leaves.

Patients only, each their own entries (another patient's entry is NOT_FOUND). An entry is
for one doctor, or for any doctor of a specialization in a city (an area, as the doctors
subgraph names it: `waitlistArea`). Freed and new slots are offered to the entries in the
order they joined, both kinds together (`waitlist_offers`, `waitlist_line`); an entry's
position counts its own line (the doctor's entries, or the area's).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from sqlalchemy import func, or_
from sqlalchemy.exc import IntegrityError
from sqlmodel import and_, col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from subgraphs.appointments.domain import Actor
from subgraphs.appointments.errors import AlreadyWaiting, DoctorNotBookable
from subgraphs.appointments.models import WaitlistEntryRow, WaitlistOfferRow
from subgraphs.appointments.service import waitlist_offers
from subgraphs.appointments.service.lifecycle import Deps
from subgraphs.appointments.waitlist.rules import (
    EntryState,
    OfferState,
    Wish,
    check_wish,
    local_today,
)
from subgraphs.shared.auth import Role
from subgraphs.shared.errors import BadUserInput, Forbidden, NotFound, ServiceUnavailable

MAX_WAITING: Final = 20
"""How many doctors' waitlists one patient may wait on at once."""


@dataclass(frozen=True)
class AreaWish:
    """Any doctor of `specialization` (a code from the specializations query) in `city`."""

    specialization: str
    city: str


@dataclass(frozen=True)
class Place:
    """One of the patient's entries: where it stands in line and the offer open to it."""

    entry: WaitlistEntryRow
    position: int | None
    """1 for the first in line; None once the entry no longer waits."""
    offer: WaitlistOfferRow | None


def _require_patient(actor: Actor) -> None:
    if actor.role is not Role.PATIENT:
        raise Forbidden("Only patients use waitlists.")


def wish_of(entry: WaitlistEntryRow) -> Wish:
    return Wish(
        first_day=entry.first_day,
        last_day=entry.last_day,
        earliest=entry.earliest,
        latest=entry.latest,
    )


async def join(
    *,
    deps: Deps,
    actor: Actor,
    doctor_id: uuid.UUID | None = None,
    area: AreaWish | None = None,
    wish: Wish,
) -> Place:
    """Put the patient in the doctor's line or the area's (one waiting entry per patient
    and doctor, and per patient and area). Exactly one of `doctor_id` and `area`."""
    _require_patient(actor)
    if (doctor_id is None) == (area is None):
        raise BadUserInput(
            "Wait for one doctor (doctorId) or for any doctor of a specialization in a city "
            "(specialization and city), not both.",
            field="doctorId",
        )
    now = deps.clock()
    keys: dict[str, Any]
    if doctor_id is not None:
        doctor = await deps.availability.check(doctor_id=doctor_id, start=now)
        if doctor is None or not doctor.approved:
            raise DoctorNotBookable(
                "This doctor does not exist or does not take bookings.", field="doctorId"
            )
        time_zone, keys = doctor.time_zone, {"doctor_id": doctor_id}
    else:
        assert area is not None
        time_zone, keys = await _area_keys(deps, area)
    check_wish(wish, today=local_today(now, time_zone), horizon=deps.policy.booking_window)
    entry = WaitlistEntryRow(
        id=uuid.uuid4(),
        patient_id=actor.user_id,
        **keys,
        time_zone=time_zone,
        first_day=wish.first_day,
        last_day=wish.last_day,
        earliest=wish.earliest,
        latest=wish.latest,
        state=EntryState.WAITING.value,
        created_at=now,
        updated_at=now,
    )
    try:
        async with deps.db.transaction() as session:
            waiting = await _waiting_of(session, actor.user_id)
            if any(_same_line(row, entry) for row in waiting):
                raise _already()
            if len(waiting) >= MAX_WAITING:
                raise BadUserInput(
                    f"You can wait on at most {MAX_WAITING} waitlists at once.",
                    field="doctorId" if doctor_id is not None else "specialization",
                )
            session.add(entry)
            await session.flush()
            position = await _position(session, entry)
    except IntegrityError:  # a concurrent join of the same patient and doctor won
        raise _already() from None
    return Place(entry=entry, position=position, offer=None)


async def _area_keys(deps: Deps, area: AreaWish) -> tuple[str, dict[str, Any]]:
    """The area's zone and its keys as the doctors subgraph folds them, or BAD_USER_INPUT."""
    if not area.specialization.strip():
        raise BadUserInput("Name the specialization.", field="specialization")
    if not area.city.strip():
        raise BadUserInput("Name the city.", field="city")
    if deps.openings is None:
        raise ServiceUnavailable("Waiting for any doctor is not available.", service="doctors")
    found = await deps.openings.area(specialization=area.specialization, city=area.city)
    if found.doctors == 0 or found.time_zone is None:
        raise BadUserInput(
            f"No doctor of this specialization takes bookings in {found.city}.", field="city"
        )
    keys = {
        "specialization": found.specialization,
        "city": found.city,
        "city_key": found.city_key,
    }
    return found.time_zone, keys


def _same_line(row: WaitlistEntryRow, entry: WaitlistEntryRow) -> bool:
    if entry.doctor_id is not None:
        return row.doctor_id == entry.doctor_id
    return (
        row.doctor_id is None
        and row.specialization == entry.specialization
        and row.city_key == entry.city_key
    )


def _already() -> AlreadyWaiting:
    return AlreadyWaiting(
        "You are already on this waitlist; leave it to change your wish.",
        field="doctorId",
    )


async def leave(*, deps: Deps, actor: Actor, entry_id: uuid.UUID) -> Place:
    """Take the entry out of line (again: the same answer); its open offer passes on."""
    _require_patient(actor)
    now = deps.clock()
    declined: WaitlistOfferRow | None = None
    async with deps.db.transaction() as session:
        entry = await _own_entry(session, actor, entry_id, lock=True)
        if entry.state == EntryState.WAITING.value:
            entry.state, entry.updated_at = EntryState.LEFT.value, now
            session.add(entry)
            declined = await waitlist_offers.close_open_offer(
                session, entry_id=entry.id, state=OfferState.DECLINED, now=now
            )
    if declined is not None:
        await waitlist_offers.pass_on(deps, declined)
    return Place(entry=entry, position=None, offer=None)


async def mine(*, deps: Deps, actor: Actor) -> list[Place]:
    """The patient's waiting entries, oldest first, with their place and open offer.

    An offer past its hold is not shown even before the sweep records it as expired.
    """
    _require_patient(actor)
    now = deps.clock()
    async with deps.db.session() as session:
        entries = await _waiting_of(session, actor.user_id)
        offers = await _open_offers(session, [entry.id for entry in entries], now=now)
        return [
            Place(entry=entry, position=await _position(session, entry), offer=offers.get(entry.id))
            for entry in entries
        ]


async def _own_entry(
    session: AsyncSession, actor: Actor, entry_id: uuid.UUID, *, lock: bool = False
) -> WaitlistEntryRow:
    statement = select(WaitlistEntryRow).where(col(WaitlistEntryRow.id) == entry_id)
    if lock:
        statement = statement.with_for_update()
    entry = (await session.exec(statement)).first()
    if entry is None or entry.patient_id != actor.user_id:
        raise NotFound("No such waitlist entry.", field="id")
    return entry


async def _waiting_of(session: AsyncSession, patient_id: uuid.UUID) -> list[WaitlistEntryRow]:
    statement = (
        select(WaitlistEntryRow)
        .where(
            col(WaitlistEntryRow.patient_id) == patient_id,
            col(WaitlistEntryRow.state) == EntryState.WAITING.value,
        )
        .order_by(col(WaitlistEntryRow.created_at), col(WaitlistEntryRow.id))
    )
    return list((await session.exec(statement)).all())


async def _position(session: AsyncSession, entry: WaitlistEntryRow) -> int:
    """1 + how many waiting entries of its line (the doctor's, or the area's) joined before."""
    same_line = (
        col(WaitlistEntryRow.doctor_id) == entry.doctor_id
        if entry.doctor_id is not None
        else and_(
            col(WaitlistEntryRow.doctor_id).is_(None),
            col(WaitlistEntryRow.specialization) == entry.specialization,
            col(WaitlistEntryRow.city_key) == entry.city_key,
        )
    )
    ahead = select(func.count()).where(
        same_line,
        col(WaitlistEntryRow.state) == EntryState.WAITING.value,
        or_(
            col(WaitlistEntryRow.created_at) < entry.created_at,
            and_(
                col(WaitlistEntryRow.created_at) == entry.created_at,
                col(WaitlistEntryRow.id) < entry.id,
            ),
        ),
    )
    return 1 + int((await session.exec(ahead)).one())


async def _open_offers(
    session: AsyncSession, entry_ids: list[uuid.UUID], *, now: datetime
) -> dict[uuid.UUID, WaitlistOfferRow]:
    if not entry_ids:
        return {}
    statement = select(WaitlistOfferRow).where(
        col(WaitlistOfferRow.entry_id).in_(entry_ids),
        col(WaitlistOfferRow.state) == OfferState.OFFERED.value,
        col(WaitlistOfferRow.expires_at) > now,
    )
    return {offer.entry_id: offer for offer in (await session.exec(statement)).all()}
