"""Rescheduling the rest of a series: every occurrence from one on, moved the same way.

Each moved occurrence is checked as `lifecycle.reschedule` checks one appointment: the
aggregate's rules (who, status, notice and window, a patient's cut-off and reschedule
limit, a patient's move waiting for confirmation again), the doctors subgraph's slot at
the new time (its own busy time ignored), then the store's overlap guard and the
waitlist's holds. Where they go is `series/moves.py`.

Modes and dry runs as for booking a series: ALL_OR_NOTHING moves every occurrence in one
transaction or none (the error names the first refused); BOOK_AVAILABLE moves those that
can be and leaves the others where they are, reported. The idempotency key (the caller's,
patient or doctor) names the series; a repeat gets the same report, rebuilt from the
occurrences' history and the refusals kept on the series.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from subgraphs.appointments import events
from subgraphs.appointments.domain import (
    ACTIVE,
    Action,
    Actor,
    Appointment,
    can_read,
    clean_reason,
)
from subgraphs.appointments.errors import RescheduleLimitReached
from subgraphs.appointments.models import AppointmentRow, SeriesRow
from subgraphs.appointments.series.moves import Move
from subgraphs.appointments.service import idempotency, live, store
from subgraphs.appointments.service.lifecycle import Deps, ensure_bookable, offered_slot
from subgraphs.appointments.service.series import REFUSALS, Mode, naming
from subgraphs.appointments.service.series_moves_report import (
    Plan,
    fingerprint,
    refusals,
    repeat_report,
    reported,
)
from subgraphs.appointments.service.series_report import Booking
from subgraphs.shared import outbox
from subgraphs.shared.errors import BadUserInput, Conflict, DomainError, NotFound

MOVE_REFUSALS = (*REFUSALS, RescheduleLimitReached)
"""What refuses one occurrence's move; anything else refuses them all."""
ACTIVE_VALUES = tuple(status.value for status in ACTIVE)


async def reschedule_rest(
    *,
    deps: Deps,
    actor: Actor,
    series_id: uuid.UUID,
    from_appointment_id: uuid.UUID,
    start: datetime,
    reason: str | None,
    idempotency_key: str,
    mode: Mode,
    dry_run: bool = False,
) -> Booking:
    """Move (or, with `dry_run`, only check) the series' active occurrences from one on."""
    key = idempotency.clean_key(idempotency_key)
    reason = clean_reason(reason)
    now = deps.clock()
    async with deps.db.session() as session:
        series = await _series(session, actor, series_id)
        pivot = await session.get(AppointmentRow, from_appointment_id)
        if pivot is None or pivot.series_id != series.id:
            raise BadUserInput(
                "That appointment is not an occurrence of this series.", field="fromAppointmentId"
            )
        if start.tzinfo is None:
            raise BadUserInput("Times need a UTC offset (ISO 8601).", field="start")
        print_ = fingerprint(series.id, pivot.id, start, mode, reason)
        if not dry_run:  # a repeat first: its pivot is at `start` by now
            replayed = await repeat_report(session, actor=actor, key=key, print_=print_, now=now)
            if replayed is not None:
                return replayed
        move = Move.of(
            rule=series.rule,
            time_zone=series.time_zone,
            pivot_start=pivot.starts_at,
            new_start=start,
        )
        rest = await _rest(session, series.id, pivot)
    if pivot.status not in ACTIVE_VALUES:
        raise Conflict(f"A {pivot.status} appointment cannot be rescheduled.", status=pivot.status)
    plans = [
        await _plan(
            deps, actor=actor, row=row, start=move.start_for(row.starts_at), reason=reason, now=now
        )
        for row in rest
    ]
    if dry_run:
        return Booking(None, [reported(plan) for plan in plans])
    _require_movable(plans, mode)
    try:
        moved = await _write(
            deps, series, plans, mode=mode, key=key, print_=print_, actor=actor, reason=reason
        )
    except DomainError:
        async with deps.db.session() as session:  # a concurrent repeat of this key won?
            replayed = await repeat_report(session, actor=actor, key=key, print_=print_, now=now)
        if replayed is not None:
            return replayed
        raise
    if moved is None:
        async with deps.db.session() as session:
            replayed = await repeat_report(session, actor=actor, key=key, print_=print_, now=now)
        assert replayed is not None
        return replayed
    for row in moved:
        await live.announce(deps.pubsub, row, Action.RESCHEDULED)
    rows = {row.id: row for row in moved}
    return Booking(series, [reported(plan, rows.get(plan.row.id)) for plan in plans])


async def _series(session: AsyncSession, actor: Actor, series_id: uuid.UUID) -> SeriesRow:
    series = await session.get(SeriesRow, series_id)
    if series is None or not can_read(
        actor, patient_id=series.patient_id, doctor_user_id=series.doctor_user_id
    ):
        raise NotFound("No such appointment series.", field="seriesId")
    return series


async def _rest(
    session: AsyncSession, series_id: uuid.UUID, pivot: AppointmentRow
) -> list[AppointmentRow]:
    """The series' active occurrences from the pivot on, soonest first."""
    statement = (
        select(AppointmentRow)
        .where(
            col(AppointmentRow.series_id) == series_id,
            col(AppointmentRow.status).in_(ACTIVE_VALUES),
            col(AppointmentRow.starts_at) >= pivot.starts_at,
        )
        .order_by(col(AppointmentRow.starts_at))
    )
    return list((await session.exec(statement)).all())


async def _plan(
    deps: Deps,
    *,
    actor: Actor,
    row: AppointmentRow,
    start: datetime,
    reason: str | None,
    now: datetime,
) -> Plan:
    """One occurrence's move checked as `lifecycle.reschedule` checks it, short of writing."""
    try:
        _moved(deps, actor, row, start, row.ends_at - row.starts_at, reason, now)
        slot = await offered_slot(
            deps, doctor_id=row.doctor_id, start=start, ignore_appointment_id=row.id
        )
        assert slot.slot_end is not None
        appointment = _moved(deps, actor, row, start, slot.slot_end - start, reason, now)
        async with deps.db.session() as session:
            await ensure_bookable(session, appointment, now=now, ignore_id=row.id)
    except MOVE_REFUSALS as refusal:
        return Plan(row, start, refusal=refusal)
    return Plan(row, start, appointment=appointment)


def _moved(
    deps: Deps,
    actor: Actor,
    row: AppointmentRow,
    start: datetime,
    duration: timedelta,
    reason: str | None,
    now: datetime,
) -> Appointment:
    """The occurrence as it would be at `start` (the aggregate's rules applied)."""
    appointment = store.to_domain(row)
    appointment.reschedule(
        actor=actor, start=start, end=start + duration, now=now, policy=deps.policy, reason=reason
    )
    return appointment


def _require_movable(plans: list[Plan], mode: Mode) -> None:
    """The first refusal, naming its occurrence, unless the mode moves what it can (if any)."""
    refused = [(n, plan) for n, plan in enumerate(plans, 1) if plan.refusal is not None]
    if not refused or (mode is Mode.BOOK_AVAILABLE and len(refused) < len(plans)):
        return
    number, plan = refused[0]
    assert plan.refusal is not None
    raise naming(plan.refusal, number, plan.start)


async def _write(
    deps: Deps,
    series: SeriesRow,
    plans: list[Plan],
    *,
    mode: Mode,
    key: str,
    print_: str,
    actor: Actor,
    reason: str | None,
) -> list[AppointmentRow] | None:
    """Every move in one transaction; None if a concurrent repeat holds the key."""
    now = deps.clock()
    moved: list[AppointmentRow] = []
    previous: list[datetime] = []
    announced = uuid.uuid4()  # the series event's id, named by each occurrence's event
    try:
        async with deps.db.transaction() as session:
            if await idempotency.claim(
                session,
                patient_id=actor.user_id,
                key=key,
                print_=print_,
                appointment_id=series.id,
                now=now,
            ):
                return None
            for number, plan in enumerate(plans, 1):
                if plan.appointment is None:
                    continue
                row = await store.load_for_update(session, plan.row.id)
                if row.starts_at != plan.row.starts_at or row.status not in ACTIVE_VALUES:
                    raise Conflict(
                        "The series changed meanwhile; please look at it and try again.",
                        field="fromAppointmentId",
                    )
                appointment = store.to_domain(row)
                try:
                    appointment.reschedule(
                        actor=actor,
                        start=plan.appointment.start,
                        end=plan.appointment.end,
                        now=now,
                        policy=deps.policy,
                        reason=reason,
                    )
                    await ensure_bookable(session, appointment, now=now, ignore_id=row.id)
                except MOVE_REFUSALS as refusal:  # taken since it was checked
                    if mode is Mode.ALL_OR_NOTHING:
                        raise naming(refusal, number, plan.start) from None
                    plan.appointment, plan.refusal = None, refusal
                    continue
                previous.append(row.starts_at)
                moved.append(
                    await store.save(session, appointment, row, now=now, series_event_id=announced)
                )
            _require_movable(plans, mode)
            fresh = await session.get(SeriesRow, series.id)
            assert fresh is not None
            fresh.refused = [*fresh.refused, *refusals(plans, print_)]
            session.add(fresh)
            event = events.AppointmentSeriesRescheduled(
                event_id=announced,
                occurred_at=now,
                **events.series_fields(fresh),
                occurrences=[
                    events.occurrence_of(row, previous_start=start)
                    for row, start in zip(moved, previous, strict=True)
                ],
                rescheduled_by=actor.role.value,
            )
            outbox.record(session, event, source=events.SOURCE)
    except IntegrityError as error:
        store.raise_if_overlap(error)
        if store.sqlstate(error) == store.UNIQUE_VIOLATION:
            return None
        raise
    return moved
