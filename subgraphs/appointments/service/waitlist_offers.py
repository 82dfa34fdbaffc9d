"""Offers of freed slots: made to the first waiting patient they suit, held, accepted or passed on
(new availability is offered the same way: `waitlist_openings`).

- A slot frees when an appointment is cancelled, rejected or moved away (this subgraph's own
  events, see `consumers.py`). If the doctors subgraph still offers it (asked with the freed
  appointment's busy time ignored, since its projection may lag) and nothing of ours holds
  it, the first WAITING entry of the slot's line (the doctor's entries and the area entries
  the doctor matches, in joining order: `waitlist_line`) whose days and hours it suits
  gets ONE offer, held for `Policy.offer_hold` (WAITLIST_OFFER_MINUTES): others cannot book
  it meanwhile (`waitlist_holds`). A `WaitlistOfferMade` event goes out through the outbox;
  notifications sends it by the patient's channels.
- Skipped in line: entries that already had an offer of this slot, entries with another
  open offer (one at a time per entry), patients busy at that time, the patient whose
  appointment freed the slot, entries whose days are over (they end).
- Accepting books through the booking path itself (`lifecycle.book`, every rule), with the
  idempotency key `waitlist-offer:<offer id>`: a repeated or concurrent accept answers the
  same appointment. The offer is marked ACCEPTED in the booking's own transaction.
- An offer expires by itself: past its hold it no longer holds nor shows; `expire_due`
  records it EXPIRED and passes the slot on. It runs before every offer is made and on a
  timer in every appointments subgraph process (`run_sweeper`, every SWEEP_SECONDS;
  replicas skip each other's locked rows), which also ends the entries whose last day is
  over. A declined offer (or the entry left) passes on at once; a slot found gone on accept
  closes its offer.
- Every offer made and closed is an event (`WaitlistOfferMade`, `WaitlistOfferClosed`): the
  doctors subgraph shows the held slot as busy in search and open slots for exactly the hold.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from datetime import datetime
from typing import Final

from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from subgraphs.appointments import events
from subgraphs.appointments.domain import Actor, check_bookable_time
from subgraphs.appointments.errors import (
    DoctorNotBookable,
    OfferClosed,
    OfferExpired,
    OutsideAvailability,
    SlotTaken,
    TooLate,
)
from subgraphs.appointments.models import AppointmentRow, WaitlistEntryRow, WaitlistOfferRow
from subgraphs.appointments.service import lifecycle, store, waitlist_line
from subgraphs.appointments.service.lifecycle import Deps
from subgraphs.appointments.service.waitlist_line import DoctorArea, wish_of
from subgraphs.appointments.waitlist.rules import EntryState, OfferState, ended
from subgraphs.shared import outbox
from subgraphs.shared.auth import Role
from subgraphs.shared.errors import DomainError, Forbidden, NotFound
from subgraphs.shared.inbox import first_delivery

log = logging.getLogger(__name__)

CONSUMER = "appointments.waitlist"
KEY_PREFIX = "waitlist-offer:"
SWEEP_SECONDS: Final = 30.0
"""How often each appointments process records expired offers and passes their slots on."""


async def offer_slot(
    deps: Deps,
    *,
    doctor_id: uuid.UUID,
    start: datetime,
    freed_appointment_id: uuid.UUID | None,
    delivery: tuple[uuid.UUID, str] | None = None,
    area: DoctorArea | None = None,
) -> WaitlistOfferRow | None:
    """Offer the freed slot starting at `start` to the first patient in line it suits.

    None when nobody waits for it, it is no longer offered or free, or it is already
    offered. `delivery` (event id, type): made at most once per event. The line holds the
    doctor's area entries too (`waitlist_line`); `area` is the doctor's, if known.
    """
    now = deps.clock()
    try:
        check_bookable_time(start, now=now, policy=deps.policy)
    except DomainError:
        return None
    async with deps.db.session() as session:
        for_doctor, for_areas = await waitlist_line.who_waits(session, doctor_id)
    if not for_doctor and not (for_areas and deps.openings is not None):
        return None
    slot = await deps.availability.check(
        doctor_id=doctor_id, start=start, ignore_appointment_id=freed_appointment_id
    )
    if slot is None or not slot.approved or not slot.offered or slot.slot_end is None:
        return None
    end = slot.slot_end
    if area is None and for_areas:
        area = await doctor_area(deps, doctor_id)
    try:
        async with deps.db.transaction() as session:
            await store.lock_doctor_time(session, doctor_id)  # against a booking of the slot
            if delivery is not None and not await first_delivery(
                session, event_id=delivery[0], event_type=delivery[1], consumer=CONSUMER
            ):
                return None
            if await _slot_offered(session, doctor_id=doctor_id, start=start, now=now):
                return None
            if await store.doctor_busy(session, doctor_id=doctor_id, start=start, end=end):
                return None
            freed = (
                await session.get(AppointmentRow, freed_appointment_id)
                if freed_appointment_id is not None
                else None
            )
            passed_over: set[uuid.UUID] = set()
            while True:
                entry = await waitlist_line.next_in_line(
                    session,
                    doctor_id=doctor_id,
                    area=area,
                    start=start,
                    end=end,
                    zone=slot.time_zone,
                    now=now,
                    let_go_by=freed.patient_id if freed is not None else None,
                    passed_over=passed_over,
                )
                if entry is None:
                    return None
                if await waitlist_line.claim(session, entry.id, now=now):
                    break
                passed_over.add(entry.id)  # offered another slot meanwhile: the next one
            offer = WaitlistOfferRow(
                id=uuid.uuid4(),
                entry_id=entry.id,
                patient_id=entry.patient_id,
                doctor_id=doctor_id,
                slot_start=start,
                slot_end=end,
                time_zone=slot.time_zone,
                freed_appointment_id=freed_appointment_id,
                state=OfferState.OFFERED.value,
                expires_at=now + deps.policy.offer_hold,
                created_at=now,
                updated_at=now,
            )
            session.add(offer)
            await session.flush()
            outbox.record(session, _made(offer, now), source=events.SOURCE)
    except IntegrityError:  # a concurrent offer of the same slot won (one open per slot)
        return None
    return offer


async def doctor_area(deps: Deps, doctor_id: uuid.UUID) -> DoctorArea | None:
    """The doctor's specializations and city, from the doctors subgraph (None: unknown)."""
    if deps.openings is None:
        return None
    facts = await deps.openings.openings(doctor_id=doctor_id, ranges=())
    if facts is None:
        return None
    return DoctorArea(specializations=facts.specializations, city_key=facts.city_key)


def _made(offer: WaitlistOfferRow, now: datetime) -> events.WaitlistOfferMade:
    return events.WaitlistOfferMade(
        occurred_at=now,
        offer_id=offer.id,
        entry_id=offer.entry_id,
        patient_id=offer.patient_id,
        doctor_id=offer.doctor_id,
        start=offer.slot_start,
        end=offer.slot_end,
        time_zone=offer.time_zone,
        expires_at=offer.expires_at,
    )


async def pass_on(deps: Deps, closed: WaitlistOfferRow) -> WaitlistOfferRow | None:
    """Offer a closed offer's slot to the next in line (if it is still to be had)."""
    return await offer_slot(
        deps,
        doctor_id=closed.doctor_id,
        start=closed.slot_start,
        freed_appointment_id=closed.freed_appointment_id,
    )


async def expire_due(deps: Deps) -> list[WaitlistOfferRow]:
    """Record the offers past their hold as EXPIRED and pass each slot on; the new offers."""
    now = deps.clock()
    async with deps.db.transaction() as session:
        statement = (
            select(WaitlistOfferRow)
            .where(
                col(WaitlistOfferRow.state) == OfferState.OFFERED.value,
                col(WaitlistOfferRow.expires_at) <= now,
            )
            .order_by(col(WaitlistOfferRow.expires_at), col(WaitlistOfferRow.id))
            .limit(500)
            .with_for_update(skip_locked=True)
        )
        expired = list((await session.exec(statement)).all())
        for offer in expired:
            close(session, offer, OfferState.EXPIRED, now)
        await _end_past_entries(session, now)
    made: list[WaitlistOfferRow] = []
    for offer in expired:
        following = await pass_on(deps, offer)
        if following is not None:
            made.append(following)
    return made


async def _end_past_entries(session: AsyncSession, now: datetime) -> None:
    """Entries whose last day is over (in the doctor's zone) stop waiting: ENDED."""
    statement = (
        select(WaitlistEntryRow)
        .where(
            col(WaitlistEntryRow.state) == EntryState.WAITING.value,
            # A pre-filter (no zone is more than a day ahead of UTC); `ended` decides.
            col(WaitlistEntryRow.last_day) <= now.date(),
        )
        .limit(500)
        .with_for_update(skip_locked=True)
    )
    for entry in (await session.exec(statement)).all():
        if ended(wish_of(entry), now=now, time_zone=entry.time_zone):
            entry.state, entry.updated_at = EntryState.ENDED.value, now
            session.add(entry)


async def slot_freed(
    deps: Deps,
    *,
    doctor_id: uuid.UUID,
    start: datetime,
    appointment_id: uuid.UUID,
    delivery: tuple[uuid.UUID, str] | None = None,
) -> WaitlistOfferRow | None:
    """An appointment let go of the slot at `start`: expire what is due, then offer it."""
    await expire_due(deps)
    return await offer_slot(
        deps,
        doctor_id=doctor_id,
        start=start,
        freed_appointment_id=appointment_id,
        delivery=delivery,
    )


async def accept(*, deps: Deps, actor: Actor, offer_id: uuid.UUID) -> AppointmentRow:
    """Book the offered slot for the patient it is held for (again: the same appointment)."""
    if actor.role is not Role.PATIENT:
        raise Forbidden("Only patients accept waitlist offers.")
    now = deps.clock()
    async with deps.db.session() as session:
        offer = await _own_offer(session, actor, offer_id)
        if offer.state == OfferState.ACCEPTED.value and offer.appointment_id is not None:
            return await store.load(session, offer.appointment_id)
    _require_open(offer, now)

    async def take(session: AsyncSession, booked: AppointmentRow, at: datetime) -> None:
        locked = await _own_offer(session, actor, offer_id, lock=True)
        _require_open(locked, at)
        locked.appointment_id = booked.id
        close(session, locked, OfferState.ACCEPTED, at)
        entry = await session.get(WaitlistEntryRow, locked.entry_id)
        if entry is not None and entry.state == EntryState.WAITING.value:
            entry.state, entry.updated_at = EntryState.BOOKED.value, at
            session.add(entry)

    try:
        return await lifecycle.book(
            deps=deps,
            actor=actor,
            doctor_id=offer.doctor_id,
            start=offer.slot_start,
            reason=None,
            idempotency_key=f"{KEY_PREFIX}{offer.id}",
            ignore_appointment_id=offer.freed_appointment_id,
            within=take,
        )
    except (SlotTaken, OutsideAvailability, DoctorNotBookable, TooLate) as error:
        if isinstance(error, SlotTaken) and error.details.get("whose") == "patient":
            raise  # the patient's own other visit is in the way: the offer stays theirs
        await _close_gone(deps, actor, offer_id)
        raise


async def decline(*, deps: Deps, actor: Actor, offer_id: uuid.UUID) -> WaitlistOfferRow:
    """Let the held slot go to the next in line; the patient keeps their place for others."""
    if actor.role is not Role.PATIENT:
        raise Forbidden("Only patients decline waitlist offers.")
    now = deps.clock()
    async with deps.db.transaction() as session:
        offer = await _own_offer(session, actor, offer_id, lock=True)
        if offer.state == OfferState.DECLINED.value:
            return offer
        _require_open(offer, now)
        close(session, offer, OfferState.DECLINED, now)
    await pass_on(deps, offer)
    return offer


async def close_open_offer(
    session: AsyncSession, *, entry_id: uuid.UUID, state: OfferState, now: datetime
) -> WaitlistOfferRow | None:
    """Close the entry's OFFERED offer (if any) in the caller's transaction; it or None."""
    statement = (
        select(WaitlistOfferRow)
        .where(
            col(WaitlistOfferRow.entry_id) == entry_id,
            col(WaitlistOfferRow.state) == OfferState.OFFERED.value,
        )
        .with_for_update()
    )
    offer = (await session.exec(statement)).first()
    if offer is None:
        return None
    close(session, offer, state, now)
    return offer


def close(session: AsyncSession, offer: WaitlistOfferRow, state: OfferState, now: datetime) -> None:
    """Close an open offer in the caller's transaction, telling others its hold ended."""
    offer.state, offer.updated_at = state.value, now
    session.add(offer)
    closed = events.WaitlistOfferClosed(
        occurred_at=now,
        offer_id=offer.id,
        doctor_id=offer.doctor_id,
        start=offer.slot_start,
        end=offer.slot_end,
        expires_at=offer.expires_at,
        state=state.value,
    )
    outbox.record(session, closed, source=events.SOURCE)


async def run_sweeper(deps: Deps, *, interval_seconds: float = SWEEP_SECONDS) -> None:
    """Expire due offers every `interval_seconds`, until cancelled (failures are logged)."""
    while True:
        try:
            await expire_due(deps)
        except Exception:  # the next round tries again; offers past their hold do not hold
            log.warning("waitlist sweep failed", exc_info=True)
        await asyncio.sleep(interval_seconds)


def _require_open(offer: WaitlistOfferRow, now: datetime) -> None:
    if offer.state == OfferState.DECLINED.value:
        raise OfferClosed("You declined this offer.", field="offerId")
    if offer.state == OfferState.ACCEPTED.value:
        raise OfferClosed("This offer was already accepted.", field="offerId")
    if offer.state == OfferState.EXPIRED.value or offer.expires_at <= now:
        raise OfferExpired(
            "This offer has expired; the slot went to the next patient in line.",
            field="offerId",
        )


async def _close_gone(deps: Deps, actor: Actor, offer_id: uuid.UUID) -> None:
    """The offered slot is no longer to be had: close the offer (nobody else gets it)."""
    now = deps.clock()
    async with deps.db.transaction() as session:
        offer = await _own_offer(session, actor, offer_id, lock=True)
        if offer.state != OfferState.OFFERED.value:
            return
        close(session, offer, OfferState.EXPIRED, now)


async def _own_offer(
    session: AsyncSession, actor: Actor, offer_id: uuid.UUID, *, lock: bool = False
) -> WaitlistOfferRow:
    statement = select(WaitlistOfferRow).where(col(WaitlistOfferRow.id) == offer_id)
    if lock:
        statement = statement.with_for_update()
    offer = (await session.exec(statement)).first()
    if offer is None or offer.patient_id != actor.user_id:
        raise NotFound("No such waitlist offer.", field="offerId")
    return offer


async def _slot_offered(
    session: AsyncSession, *, doctor_id: uuid.UUID, start: datetime, now: datetime
) -> bool:
    """Whether an offer of the doctor's slot at `start` is open (past its hold: expired now)."""
    statement = select(WaitlistOfferRow).where(
        col(WaitlistOfferRow.doctor_id) == doctor_id,
        col(WaitlistOfferRow.slot_start) == start,
        col(WaitlistOfferRow.state) == OfferState.OFFERED.value,
    )
    offer = (await session.exec(statement)).first()
    if offer is None:
        return False
    if offer.expires_at > now:
        return True
    close(session, offer, OfferState.EXPIRED, now)
    await session.flush()
    return False
