"""The lifecycle through the service on a real store: cut-off, reschedule, transitions."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from sqlmodel import col, select

from subgraphs.appointments.errors import RescheduleLimitReached, SlotTaken, TooLate
from subgraphs.appointments.models import AppointmentChangeRow, AppointmentRow
from subgraphs.appointments.service import lifecycle as service
from subgraphs.appointments.service.lifecycle import Deps
from subgraphs.shared.audit.entry import AUDIT_RECORDED
from subgraphs.shared.database import Database
from subgraphs.shared.errors import Conflict, Forbidden
from subgraphs.shared.outbox import OutboxMessage
from tests.integration.appointments.support import Clock, FakeAvailability, at, make_deps, patient

Setup = tuple[Deps, uuid.UUID]

NOT_AUDIT = col(OutboxMessage.event_type) != AUDIT_RECORDED  # audit entries: tests of their own


@pytest.fixture
def setup(db: Database, availability: FakeAvailability, clock: Clock) -> Setup:
    deps = make_deps(db, availability=availability, clock=clock)
    return deps, availability.add()


async def test_patient_cannot_cancel_inside_cutoff_but_the_doctor_can(
    setup: Setup,
    availability: FakeAvailability,
    clock: Clock,
) -> None:
    deps, doctor = setup
    who = patient()
    row = await service.book(
        deps=deps, actor=who, doctor_id=doctor, start=at(2, 9), reason=None, idempotency_key="k"
    )
    clock.now = at(2, 9) - timedelta(hours=23)
    with pytest.raises(TooLate):
        await service.cancel(deps=deps, actor=who, appointment_id=row.id, reason=None)
    with pytest.raises(TooLate):
        await service.reschedule(deps=deps, actor=who, appointment_id=row.id, start=at(4, 9))
    done = await service.cancel(
        deps=deps, actor=availability.user_of(doctor), appointment_id=row.id, reason="ill"
    )
    assert (done.status, done.status_reason) == ("CANCELLED", "ill")


async def test_reschedule_moves_atomically_and_frees_the_old_time(
    setup: Setup,
    db: Database,
) -> None:
    deps, doctor = setup
    who, other = patient(), patient()
    row = await service.book(
        deps=deps, actor=who, doctor_id=doctor, start=at(2, 9), reason=None, idempotency_key="k"
    )
    blocker = await service.book(
        deps=deps, actor=other, doctor_id=doctor, start=at(2, 11), reason=None, idempotency_key="k"
    )
    with pytest.raises(SlotTaken):
        await service.reschedule(deps=deps, actor=who, appointment_id=row.id, start=at(2, 11, 15))
    moved = await service.reschedule(deps=deps, actor=who, appointment_id=row.id, start=at(2, 14))
    assert (moved.starts_at, moved.ends_at, moved.reschedule_count) == (at(2, 14), at(2, 14, 30), 1)
    # the old time is free again, the new one is held
    await service.book(
        deps=deps, actor=other, doctor_id=doctor, start=at(2, 9), reason=None, idempotency_key="2"
    )
    assert blocker.status == "PENDING"
    async with db.session() as session:
        changes = (
            await session.exec(
                select(AppointmentChangeRow)
                .where(col(AppointmentChangeRow.appointment_id) == row.id)
                .order_by(col(AppointmentChangeRow.id))
            )
        ).all()
        event = (
            await session.exec(
                select(OutboxMessage).where(
                    col(OutboxMessage.event_type) == "AppointmentRescheduled"
                )
            )
        ).one()
    assert [c.action for c in changes] == ["BOOKED", "RESCHEDULED"]
    assert (changes[1].from_start, changes[1].to_start) == (at(2, 9), at(2, 14))
    assert event.payload["previous_start"] == at(2, 9).isoformat()
    assert event.payload["start"] == at(2, 14).isoformat()


async def test_patient_reschedules_are_capped_at_three(setup: Setup) -> None:
    deps, doctor = setup
    who = patient()
    row = await service.book(
        deps=deps, actor=who, doctor_id=doctor, start=at(2, 9), reason=None, idempotency_key="k"
    )
    for day in (3, 4, 5):
        row = await service.reschedule(
            deps=deps, actor=who, appointment_id=row.id, start=at(day, 9)
        )
    with pytest.raises(RescheduleLimitReached):
        await service.reschedule(deps=deps, actor=who, appointment_id=row.id, start=at(6, 9))


async def test_the_doctor_runs_the_visit_from_request_to_completion(
    setup: Setup,
    availability: FakeAvailability,
    clock: Clock,
    db: Database,
) -> None:
    deps, doctor = setup
    who, dr = patient(), availability.user_of(doctor)
    row = await service.book(
        deps=deps, actor=who, doctor_id=doctor, start=at(2, 9), reason=None, idempotency_key="k"
    )
    with pytest.raises(Forbidden):
        await service.confirm(deps=deps, actor=who, appointment_id=row.id)
    await service.confirm(deps=deps, actor=dr, appointment_id=row.id)
    with pytest.raises(Conflict):
        await service.confirm(deps=deps, actor=dr, appointment_id=row.id)
    with pytest.raises(Conflict):
        await service.complete(deps=deps, actor=dr, appointment_id=row.id)  # not started yet
    clock.now = at(2, 9, 35)
    done = await service.complete(deps=deps, actor=dr, appointment_id=row.id)
    assert done.status == "COMPLETED"
    with pytest.raises(Conflict):
        await service.cancel(deps=deps, actor=dr, appointment_id=row.id, reason=None)
    async with db.session() as session:
        types = (
            await session.exec(
                select(OutboxMessage.event_type)
                .where(NOT_AUDIT)
                .order_by(col(OutboxMessage.created_at))
            )
        ).all()
    assert types == ["AppointmentBooked", "AppointmentConfirmed", "AppointmentCompleted"]


async def test_rejection_and_no_show_are_recorded_with_reasons(
    setup: Setup,
    availability: FakeAvailability,
    clock: Clock,
    db: Database,
) -> None:
    deps, doctor = setup
    dr = availability.user_of(doctor)
    first = await service.book(
        deps=deps,
        actor=patient(),
        doctor_id=doctor,
        start=at(2, 9),
        reason=None,
        idempotency_key="k",
    )
    rejected = await service.reject(
        deps=deps, actor=dr, appointment_id=first.id, reason="Please see a cardiologist"
    )
    second = await service.book(
        deps=deps,
        actor=patient(),
        doctor_id=doctor,
        start=at(2, 9),
        reason=None,
        idempotency_key="k",
    )
    await service.confirm(deps=deps, actor=dr, appointment_id=second.id)
    clock.now = at(2, 9, 20)
    missed = await service.mark_no_show(deps=deps, actor=dr, appointment_id=second.id)
    assert (rejected.status, missed.status) == ("REJECTED", "NO_SHOW")
    async with db.session() as session:
        rows = (await session.exec(select(AppointmentRow))).all()
        payloads = {
            m.event_type: m.payload
            for m in (await session.exec(select(OutboxMessage).where(NOT_AUDIT))).all()
        }
    assert {r.status for r in rows} == {"REJECTED", "NO_SHOW"}
    assert payloads["AppointmentRejected"]["reason"] == "Please see a cardiologist"
    assert payloads["AppointmentMarkedNoShow"]["status"] == "NO_SHOW"


async def test_cancellation_event_says_who_cancelled(setup: Setup, db: Database) -> None:
    deps, doctor = setup
    who = patient()
    row = await service.book(
        deps=deps, actor=who, doctor_id=doctor, start=at(2, 9), reason=None, idempotency_key="k"
    )
    await service.cancel(deps=deps, actor=who, appointment_id=row.id, reason="Feeling better")
    async with db.session() as session:
        event = (
            await session.exec(
                select(OutboxMessage).where(col(OutboxMessage.event_type) == "AppointmentCancelled")
            )
        ).one()
    assert event.payload["cancelled_by"] == "PATIENT"
    assert event.payload["status"] == "CANCELLED"
