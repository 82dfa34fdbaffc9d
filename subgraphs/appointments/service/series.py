"""Booking a recurring series: every occurrence through the single booking's rules.

Each occurrence is checked like one booking (`lifecycle.book`): the deployment's notice and
window, the doctors subgraph's slot (published, free, the doctor's notice and window), then
the store's overlap guard and the waitlist's holds. The doctor's time zone, which the
series is expanded in, is the doctors subgraph's answer for the first start.

Modes: ALL_OR_NOTHING writes every occurrence in one transaction or nothing (the error
names the first occurrence refused); BOOK_AVAILABLE writes those that can be and reports
the others. A dry run makes the same checks and writes nothing, so the patient sees the
report before choosing. The idempotency key names the series: a repeat gets the same
series and report.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Final

from sqlalchemy.exc import IntegrityError

from subgraphs.appointments import events
from subgraphs.appointments.domain import (
    Action,
    Actor,
    Appointment,
    clean_reason,
)
from subgraphs.appointments.errors import DoctorNotBookable, OutsideAvailability, SlotTaken, TooLate
from subgraphs.appointments.models import AppointmentRow, SeriesRow
from subgraphs.appointments.series.rules import SeriesRule, occurrences, rrule
from subgraphs.appointments.service import idempotency, live, store
from subgraphs.appointments.service.lifecycle import Deps, ensure_bookable, new_appointment
from subgraphs.appointments.service.series_report import (
    Booking,
    Occurrence,
    occurrences_of,
    report,
)
from subgraphs.shared import outbox
from subgraphs.shared.auth import Role
from subgraphs.shared.errors import BadUserInput, DomainError, Forbidden

REFUSALS: Final = (SlotTaken, OutsideAvailability, TooLate)
"""What refuses one occurrence; anything else (no such doctor, an outage) refuses them all."""


class Mode(StrEnum):
    ALL_OR_NOTHING = "ALL_OR_NOTHING"
    BOOK_AVAILABLE = "BOOK_AVAILABLE"


@dataclass
class _Plan:
    start: datetime
    appointment: Appointment | None = None
    refusal: DomainError | None = None


async def book_series(
    *,
    deps: Deps,
    actor: Actor,
    doctor_id: uuid.UUID,
    start: datetime,
    rule: SeriesRule,
    reason: str | None,
    idempotency_key: str,
    mode: Mode,
    dry_run: bool = False,
) -> Booking:
    """Book (or, with `dry_run`, only check) every occurrence of the series for the patient."""
    if actor.role is not Role.PATIENT:
        raise Forbidden("Only patients book appointments.")
    key = idempotency.clean_key(idempotency_key)
    if start.tzinfo is None:
        raise BadUserInput("Times need a UTC offset (ISO 8601).", field="start")
    reason = clean_reason(reason)
    rule.validate()
    now = deps.clock()
    first = await deps.availability.check(doctor_id=doctor_id, start=start)
    if first is None or not first.approved:
        raise DoctorNotBookable(
            "This doctor does not exist or does not take bookings.", field="doctorId"
        )
    starts = occurrences(rule, start=start, time_zone=first.time_zone)
    text = rrule(rule, start=start, time_zone=first.time_zone)
    print_ = idempotency.series_fingerprint(
        doctor_id=doctor_id, start=starts[0], rule=text, mode=mode.value, reason=reason
    )
    if not dry_run:
        replay = await _replay(deps, actor=actor, key=key, print_=print_, now=now)
        if replay is not None:
            return replay
    if dry_run:
        plans = await _plans(
            deps, actor=actor, doctor_id=doctor_id, starts=starts, reason=reason, now=now
        )
        return Booking(None, [_reported(plan) for plan in plans])
    series = SeriesRow(
        id=uuid.uuid4(),
        patient_id=actor.user_id,
        doctor_id=doctor_id,
        doctor_user_id=first.doctor_user_id,
        rule=text,
        time_zone=first.time_zone,
        first_start=starts[0],
        created_at=now,
    )
    try:
        plans = await _plans(
            deps, actor=actor, doctor_id=doctor_id, starts=starts, reason=reason, now=now
        )
        _require_bookable(plans, mode)
        booked = await _write(deps, series, plans, mode=mode, key=key, print_=print_, now=now)
    except DomainError:
        # A concurrent repeat of this key may have booked the series in between (its
        # occurrences then hold the times this request asks for).
        replay = await _replay(deps, actor=actor, key=key, print_=print_, now=now)
        if replay is not None:
            return replay
        raise
    if booked is None:  # a concurrent repeat won the key
        replay = await _replay(deps, actor=actor, key=key, print_=print_, now=now)
        assert replay is not None
        return replay
    for row in booked:
        await live.announce(deps.pubsub, row, Action.BOOKED)
    return report(series, booked)


async def _plans(
    deps: Deps,
    *,
    actor: Actor,
    doctor_id: uuid.UUID,
    starts: list[datetime],
    reason: str | None,
    now: datetime,
) -> list[_Plan]:
    """Each start checked as a single booking is, in order."""
    return [
        await _plan(deps, actor=actor, doctor_id=doctor_id, start=start, reason=reason, now=now)
        for start in starts
    ]


async def _plan(
    deps: Deps,
    *,
    actor: Actor,
    doctor_id: uuid.UUID,
    start: datetime,
    reason: str | None,
    now: datetime,
) -> _Plan:
    """One occurrence checked as a single booking is, short of writing it."""
    try:
        appointment = await new_appointment(
            deps, actor=actor, doctor_id=doctor_id, start=start, reason=reason, now=now
        )
        async with deps.db.session() as session:
            await ensure_bookable(session, appointment, now=now)
    except REFUSALS as refusal:
        return _Plan(start, refusal=refusal)
    return _Plan(start, appointment=appointment)


def _require_bookable(plans: list[_Plan], mode: Mode) -> None:
    """The first refusal, naming its occurrence, unless the mode books what it can (if any)."""
    refused = [(n, plan) for n, plan in enumerate(plans, 1) if plan.refusal is not None]
    if not refused or (mode is Mode.BOOK_AVAILABLE and len(refused) < len(plans)):
        return
    number, plan = refused[0]
    assert plan.refusal is not None
    raise naming(plan.refusal, number, plan.start)


def naming(refusal: DomainError, number: int, start: datetime) -> DomainError:
    """The refusal again, its message and extensions naming the occurrence."""
    return type(refusal)(
        f"Occurrence {number} ({start.isoformat()}): {refusal.message}",
        **{**refusal.details, "occurrence": number, "occurrenceStart": start.isoformat()},
    )


async def _write(
    deps: Deps,
    series: SeriesRow,
    plans: list[_Plan],
    *,
    mode: Mode,
    key: str,
    print_: str,
    now: datetime,
) -> list[AppointmentRow] | None:
    """The series and its occurrences in one transaction; None if a repeat holds the key."""
    booked: list[AppointmentRow] = []
    announced = uuid.uuid4()  # the series event's id, named by each occurrence's event
    try:
        async with deps.db.transaction() as session:
            if await idempotency.claim(
                session,
                patient_id=series.patient_id,
                key=key,
                print_=print_,
                appointment_id=series.id,
                now=now,
            ):
                return None
            session.add(series)
            await session.flush()
            for number, plan in enumerate(plans, 1):
                if plan.appointment is None:
                    continue
                try:
                    await ensure_bookable(session, plan.appointment, now=now)
                except REFUSALS as refusal:  # taken since it was checked
                    if mode is Mode.ALL_OR_NOTHING:
                        raise naming(refusal, number, plan.start) from None
                    plan.appointment, plan.refusal = None, refusal
                    continue
                booked.append(
                    await store.save(
                        session,
                        plan.appointment,
                        None,
                        now=now,
                        series_id=series.id,
                        series_event_id=announced,
                    )
                )
            _require_bookable(plans, mode)
            series.refused = [
                {"start": p.start.isoformat(), "code": p.refusal.code, "message": p.refusal.message}
                for p in plans
                if p.refusal is not None
            ]
            session.add(series)
            event = events.AppointmentSeriesBooked(
                event_id=announced,
                occurred_at=now,
                **events.series_fields(series),
                occurrences=[events.occurrence_of(row) for row in booked],
            )
            outbox.record(session, event, source=events.SOURCE)
    except IntegrityError as error:
        store.raise_if_overlap(error)
        if store.sqlstate(error) == store.UNIQUE_VIOLATION:
            return None
        raise
    return booked


async def _replay(
    deps: Deps, *, actor: Actor, key: str, print_: str, now: datetime
) -> Booking | None:
    async with deps.db.session() as session:
        existing = await idempotency.find(session, patient_id=actor.user_id, key=key, now=now)
        if existing is None:
            return None
        series_id = idempotency.replayed_id(existing, print_)
        series = await session.get(SeriesRow, series_id)
        if series is None:  # the key made a single booking with the same fingerprint: never
            return None
        rows = await occurrences_of(session, series.id)
    return report(series, list(rows))


def _reported(plan: _Plan) -> Occurrence:
    if plan.refusal is not None:
        return Occurrence(plan.start, refusal=plan.refusal.code, message=plan.refusal.message)
    assert plan.appointment is not None
    return Occurrence(plan.start, end=plan.appointment.end)
