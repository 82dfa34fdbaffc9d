"""Appointment use cases: keyword-only functions, one transaction each, live update after commit."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from subgraphs.appointments.domain import (
    Action,
    Actor,
    Appointment,
    Policy,
    check_bookable_time,
    clean_reason,
)
from subgraphs.appointments.errors import DoctorNotBookable, OutsideAvailability, SlotTaken, TooLate
from subgraphs.appointments.models import AppointmentRow
from subgraphs.appointments.service import idempotency, live, store, waitlist_holds
from subgraphs.appointments.service.availability import AvailabilityChecker, SlotAnswer
from subgraphs.appointments.service.openings import OpeningsFinder
from subgraphs.shared.auth import Role
from subgraphs.shared.database import Database
from subgraphs.shared.errors import BadUserInput, DomainError, Forbidden
from subgraphs.shared.pubsub import PubSub


def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Deps:
    """What the use cases work with: the store, pub/sub, the doctors' answer, rules and clock."""

    db: Database
    pubsub: PubSub
    availability: AvailabilityChecker
    policy: Policy
    clock: Callable[[], datetime] = utcnow
    # One pub/sub subscription and one read per change for this process's subscribers.
    fanout: live.Fanout = field(default_factory=live.Fanout)
    openings: OpeningsFinder | None = None
    """The doctors' open slots, for offers of new availability (None: no such offers)."""


Within = Callable[[AsyncSession, AppointmentRow, datetime], Awaitable[None]]
"""More work in a new booking's own transaction (accepting a waitlist offer marks it taken)."""
# A booking PostgreSQL rolled back to break a deadlock runs again, this many times in all.
DEADLOCK_ATTEMPTS = 3


async def book(
    *,
    deps: Deps,
    actor: Actor,
    doctor_id: uuid.UUID,
    start: datetime,
    reason: str | None,
    idempotency_key: str,
    ignore_appointment_id: uuid.UUID | None = None,
    within: Within | None = None,
) -> AppointmentRow:
    """Book a slot for the patient: checked with the doctors subgraph, guarded by the store.

    `ignore_appointment_id`: a no longer active appointment whose busy time the doctors
    subgraph may not have freed yet (a waitlist offer names the one that freed its slot);
    `within` runs in the booking's transaction, only for a new booking.
    """
    if actor.role is not Role.PATIENT:
        raise Forbidden("Only patients book appointments.")
    key = idempotency.clean_key(idempotency_key)
    start = _utc(start)
    print_ = idempotency.fingerprint(doctor_id=doctor_id, start=start, reason=clean_reason(reason))
    now = deps.clock()
    replay = await _replay(deps.db, actor=actor, key=key, print_=print_, now=now)
    if replay is not None:
        return replay
    try:
        row, fresh = await _book_new_after_deadlocks(
            deps,
            actor=actor,
            doctor_id=doctor_id,
            start=start,
            reason=reason,
            key=key,
            print_=print_,
            now=now,
            ignore_appointment_id=ignore_appointment_id,
            within=within,
        )
    except DomainError:
        # A concurrent repeat of this key may have booked the time in between: it is then
        # the answer (the doctors subgraph, or our store, counted its time as busy).
        replay = await _replay(deps.db, actor=actor, key=key, print_=print_, now=now)
        if replay is not None:
            return replay
        raise
    if fresh:
        await live.announce(deps.pubsub, row, Action.BOOKED)
    return row


async def _book_new_after_deadlocks(deps: Deps, **booking: Any) -> tuple[AppointmentRow, bool]:
    """`_book_new`, again when PostgreSQL chose it as a deadlock's victim: two inserts that
    overlap wait for each other while checking the exclusion constraints, and one of them is
    rolled back (it was INTERNAL_SERVER_ERROR). Again, it meets the winner's committed row:
    SLOT_TAKEN, or the winner's booking for a repeat of its key."""
    for attempt in range(1, DEADLOCK_ATTEMPTS + 1):
        try:
            return await _book_new(deps, **booking)
        except DBAPIError as error:
            if attempt == DEADLOCK_ATTEMPTS or not store.is_deadlock(error):
                raise
    raise AssertionError("unreachable")


async def _book_new(
    deps: Deps,
    *,
    actor: Actor,
    doctor_id: uuid.UUID,
    start: datetime,
    reason: str | None,
    key: str,
    print_: str,
    now: datetime,
    ignore_appointment_id: uuid.UUID | None = None,
    within: Within | None = None,
) -> tuple[AppointmentRow, bool]:
    """The booking itself and True, or a concurrent repeat's booking and False."""
    appointment = await new_appointment(
        deps,
        actor=actor,
        doctor_id=doctor_id,
        start=start,
        reason=reason,
        now=now,
        ignore_appointment_id=ignore_appointment_id,
    )
    try:
        async with deps.db.transaction() as session:
            existing = await idempotency.claim(
                session,
                patient_id=actor.user_id,
                key=key,
                print_=print_,
                appointment_id=appointment.id,
                now=now,
            )
            if existing is not None:
                replayed = idempotency.replayed_id(existing, print_)
                return await store.load(session, replayed), False
            await ensure_bookable(session, appointment, now=now)
            row = await store.save(session, appointment, None, now=now)
            if within is not None:
                await within(session, row, now)
    except IntegrityError as error:
        store.raise_if_overlap(error)
        if store.sqlstate(error) == store.UNIQUE_VIOLATION:  # a concurrent repeat won the key
            replay = await _replay(deps.db, actor=actor, key=key, print_=print_, now=now)
            if replay is not None:
                return replay, False
        raise
    return row, True


async def reschedule(
    *,
    deps: Deps,
    actor: Actor,
    appointment_id: uuid.UUID,
    start: datetime,
    reason: str | None = None,
) -> AppointmentRow:
    """Move to another offered slot in one update: the old time is freed only with the new."""
    start = _utc(start)
    now = deps.clock()
    async with deps.db.session() as session:
        current = await store.load(session, appointment_id)
    # Refuse what the rules refuse before asking the doctors subgraph.
    trial = store.to_domain(current)
    duration = current.ends_at - current.starts_at
    trial.reschedule(
        actor=actor, start=start, end=start + duration, now=now, policy=deps.policy, reason=reason
    )
    slot = await offered_slot(
        deps, doctor_id=current.doctor_id, start=start, ignore_appointment_id=appointment_id
    )
    assert slot.slot_end is not None
    try:
        async with deps.db.transaction() as session:
            row = await store.load_for_update(session, appointment_id)
            appointment = store.to_domain(row)
            appointment.reschedule(
                actor=actor,
                start=start,
                end=slot.slot_end,
                now=now,
                policy=deps.policy,
                reason=reason,
            )
            await ensure_bookable(session, appointment, now=now, ignore_id=row.id)
            row = await store.save(session, appointment, row, now=now)
    except IntegrityError as error:
        store.raise_if_overlap(error)
        raise
    await live.announce(deps.pubsub, row, Action.RESCHEDULED)
    return row


async def cancel(
    *, deps: Deps, actor: Actor, appointment_id: uuid.UUID, reason: str | None
) -> AppointmentRow:
    """Cancel: the patient until the cut-off, the doctor and admins at any time."""
    policy = deps.policy
    return await _change(
        deps,
        appointment_id,
        Action.CANCELLED,
        lambda a, now: a.cancel(actor=actor, reason=reason, now=now, policy=policy),
    )


async def confirm(*, deps: Deps, actor: Actor, appointment_id: uuid.UUID) -> AppointmentRow:
    """The doctor (or an admin) accepts a pending request."""
    return await _change(
        deps, appointment_id, Action.CONFIRMED, lambda a, now: a.confirm(actor=actor, now=now)
    )


async def reject(
    *, deps: Deps, actor: Actor, appointment_id: uuid.UUID, reason: str | None
) -> AppointmentRow:
    """The doctor (or an admin) declines a pending request, saying why."""
    return await _change(
        deps,
        appointment_id,
        Action.REJECTED,
        lambda a, now: a.reject(actor=actor, reason=reason, now=now),
    )


async def complete(*, deps: Deps, actor: Actor, appointment_id: uuid.UUID) -> AppointmentRow:
    """The doctor (or an admin) records that the visit took place."""
    return await _change(
        deps, appointment_id, Action.COMPLETED, lambda a, now: a.complete(actor=actor, now=now)
    )


async def mark_no_show(*, deps: Deps, actor: Actor, appointment_id: uuid.UUID) -> AppointmentRow:
    """The doctor (or an admin) records that the patient did not come."""
    return await _change(
        deps,
        appointment_id,
        Action.MARKED_NO_SHOW,
        lambda a, now: a.mark_no_show(actor=actor, now=now),
    )


async def new_appointment(
    deps: Deps,
    *,
    actor: Actor,
    doctor_id: uuid.UUID,
    start: datetime,
    reason: str | None,
    now: datetime,
    ignore_appointment_id: uuid.UUID | None = None,
) -> Appointment:
    """The appointment a booking at `start` would make (nothing written): the time within
    the booking bounds, the slot offered by the doctor (the doctors subgraph's answer)."""
    check_bookable_time(start, now=now, policy=deps.policy)
    slot = await offered_slot(
        deps, doctor_id=doctor_id, start=start, ignore_appointment_id=ignore_appointment_id
    )
    assert slot.slot_end is not None
    return Appointment.book(
        actor=actor,
        doctor_id=doctor_id,
        doctor_user_id=slot.doctor_user_id,
        start=start,
        end=slot.slot_end,
        time_zone=slot.time_zone,
        reason=reason,
        now=now,
        policy=deps.policy,
    )


async def ensure_bookable(
    session: AsyncSession,
    appointment: Appointment,
    *,
    now: datetime,
    ignore_id: uuid.UUID | None = None,
) -> None:
    """SLOT_TAKEN unless the appointment's time is free for its doctor and patient (the row
    `ignore_id` aside: the one being moved) and not held for another patient's waitlist offer;
    the doctor's time stays locked against concurrent offers until the transaction ends."""
    await store.lock_doctor_time(session, appointment.doctor_id)
    await store.ensure_free(
        session,
        doctor_id=appointment.doctor_id,
        patient_id=appointment.patient_id,
        start=appointment.start,
        end=appointment.end,
        ignore_id=ignore_id,
    )
    await waitlist_holds.ensure_not_held(
        session,
        doctor_id=appointment.doctor_id,
        patient_id=appointment.patient_id,
        start=appointment.start,
        end=appointment.end,
        now=now,
    )


async def _change(
    deps: Deps,
    appointment_id: uuid.UUID,
    action: Action,
    apply: Callable[[Appointment, datetime], None],
) -> AppointmentRow:
    now = deps.clock()
    async with deps.db.transaction() as session:
        row = await store.load_for_update(session, appointment_id)
        appointment = store.to_domain(row)
        apply(appointment, now)
        row = await store.save(session, appointment, row, now=now)
    await live.announce(deps.pubsub, row, action)
    return row


async def _replay(
    db: Database, *, actor: Actor, key: str, print_: str, now: datetime
) -> AppointmentRow | None:
    async with db.session() as session:
        existing = await idempotency.find(session, patient_id=actor.user_id, key=key, now=now)
        if existing is None:
            return None
        appointment_id = idempotency.replayed_id(existing, print_)
        statement = select(AppointmentRow).where(col(AppointmentRow.id) == appointment_id)
        return (await session.exec(statement)).first()


async def offered_slot(
    deps: Deps,
    *,
    doctor_id: uuid.UUID,
    start: datetime,
    ignore_appointment_id: uuid.UUID | None = None,
) -> SlotAnswer:
    """The doctors subgraph's slot at `start`, or the precise refusal."""
    slot = await deps.availability.check(
        doctor_id=doctor_id, start=start, ignore_appointment_id=ignore_appointment_id
    )
    if slot is None or not slot.approved:
        raise DoctorNotBookable(
            "This doctor does not exist or does not take bookings.", field="doctorId"
        )
    if slot.offered and slot.slot_end is not None and slot.slot_end > start:
        return slot
    if slot.refusal == "TOO_LATE":
        raise TooLate("This doctor needs more notice for a booking.", field="start")
    if slot.refusal == "TOO_FAR_AHEAD":
        raise OutsideAvailability("This doctor's calendar is not open that far.", field="start")
    if slot.refusal == "SLOT_TAKEN":
        raise SlotTaken("This time is no longer available.", field="start")
    # Not offered: say SLOT_TAKEN when our own store holds the time, else OUTSIDE_AVAILABILITY.
    async with deps.db.session() as session:
        busy = await store.doctor_busy(
            session, doctor_id=doctor_id, start=start, end=start + timedelta(microseconds=1)
        )
    if busy:
        raise SlotTaken("This time is no longer available.", field="start")
    raise OutsideAvailability("The doctor offers no appointment at that time.", field="start")


def _utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise BadUserInput("Times need a UTC offset (ISO 8601).", field="start")
    return moment.astimezone(UTC)
