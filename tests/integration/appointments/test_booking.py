"""Booking through the service on a real store: the rules, the history and the outbox."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from sqlmodel import col, select

from subgraphs.appointments.domain import Policy
from subgraphs.appointments.errors import DoctorNotBookable, OutsideAvailability, SlotTaken, TooLate
from subgraphs.appointments.models import AppointmentChangeRow
from subgraphs.appointments.service import lifecycle as service
from subgraphs.shared.audit.entry import AUDIT_RECORDED
from subgraphs.shared.database import Database
from subgraphs.shared.errors import ServiceUnavailable
from subgraphs.shared.outbox import OutboxMessage
from tests.integration.appointments.support import (
    Clock,
    FakeAvailability,
    at,
    make_deps,
    patient,
)

EVENT_FIELDS = {
    "appointment_id",
    "doctor_id",
    "doctor_user_id",
    "patient_id",
    "start",
    "end",
    "status",
    "time_zone",
    "series_id",  # null: not an occurrence of a series
    "series_event_id",  # null: not announced by a series event
    "recurrence_start",  # null: no rule instance outside a series
}

NOT_AUDIT = col(OutboxMessage.event_type) != AUDIT_RECORDED  # audit entries: tests of their own


async def test_a_booking_is_pending_with_history_and_an_event(
    db: Database, availability: FakeAvailability
) -> None:
    doctor = availability.add()
    who = patient()
    row = await service.book(
        deps=make_deps(db, availability=availability),
        actor=who,
        doctor_id=doctor,
        start=at(2, 9),
        reason="Check-up",
        idempotency_key="k1",
    )
    assert (row.status, row.ends_at, row.patient_id) == ("PENDING", at(2, 9, 30), who.user_id)
    assert row.doctor_user_id == availability.doctors[doctor].user_id
    async with db.session() as session:
        changes = (await session.exec(select(AppointmentChangeRow))).all()
        messages = (await session.exec(select(OutboxMessage).where(NOT_AUDIT))).all()
    assert [(c.action, c.from_status, c.to_status) for c in changes] == [
        ("BOOKED", None, "PENDING")
    ]
    [message] = messages
    assert message.event_type == "AppointmentBooked"
    assert set(message.payload) == EVENT_FIELDS
    assert "reason" not in message.payload
    assert message.payload["time_zone"] == "Europe/Lisbon"


async def test_an_auto_confirming_deployment_books_confirmed(
    db: Database, availability: FakeAvailability
) -> None:
    deps = make_deps(db, availability=availability, policy=Policy(require_confirmation=False))
    row = await service.book(
        deps=deps,
        actor=patient(),
        doctor_id=availability.add(),
        start=at(2, 9),
        reason=None,
        idempotency_key="k",
    )
    assert row.status == "CONFIRMED"


async def test_refusals_name_the_reason_and_write_nothing(
    db: Database, availability: FakeAvailability
) -> None:
    deps = make_deps(db, availability=availability)
    closed = availability.add(offers=lambda start: start.hour < 12)
    unapproved = availability.add(approved=False)
    cases = [
        (closed, at(2, 15), OutsideAvailability),
        (unapproved, at(2, 9), DoctorNotBookable),
        (availability.add(), at(0, 8, 30), TooLate),
        (availability.add(), at(120, 9), OutsideAvailability),
        (availability.add(refusal="TOO_LATE"), at(2, 9), TooLate),
        (availability.add(refusal="TOO_FAR_AHEAD"), at(2, 9), OutsideAvailability),
        (availability.add(refusal="SLOT_TAKEN"), at(2, 9), SlotTaken),
    ]
    for doctor, start, error in cases:
        with pytest.raises(error):
            await service.book(
                deps=deps,
                actor=patient(),
                doctor_id=doctor,
                start=start,
                reason=None,
                idempotency_key="k",
            )
    with pytest.raises(DoctorNotBookable):
        await service.book(
            deps=deps,
            actor=patient(),
            doctor_id=uuid.uuid4(),
            start=at(2, 9),
            reason=None,
            idempotency_key="k",
        )
    async with db.session() as session:
        assert (await session.exec(select(OutboxMessage))).all() == []


async def test_an_unavailable_doctors_subgraph_refuses_cleanly(db: Database) -> None:
    class Down:
        async def check(self, **_: object) -> None:
            raise ServiceUnavailable("down")

    deps = make_deps(db)
    deps = type(deps)(
        db=db, pubsub=deps.pubsub, availability=Down(), policy=deps.policy, clock=deps.clock
    )
    with pytest.raises(ServiceUnavailable):
        await service.book(
            deps=deps,
            actor=patient(),
            doctor_id=uuid.uuid4(),
            start=at(2, 9),
            reason=None,
            idempotency_key="k",
        )


async def test_a_taken_slot_is_slot_taken_and_a_freed_slot_is_bookable_again(
    db: Database, availability: FakeAvailability
) -> None:
    deps = make_deps(db, availability=availability)
    doctor = availability.add()
    first = await service.book(
        deps=deps,
        actor=patient(),
        doctor_id=doctor,
        start=at(2, 9),
        reason=None,
        idempotency_key="a",
    )
    with pytest.raises(SlotTaken):
        await service.book(
            deps=deps,
            actor=patient(),
            doctor_id=doctor,
            start=at(2, 9, 15),
            reason=None,
            idempotency_key="b",
        )
    await service.cancel(
        deps=deps, actor=availability.user_of(doctor), appointment_id=first.id, reason="ill"
    )
    again = await service.book(
        deps=deps,
        actor=patient(),
        doctor_id=doctor,
        start=at(2, 9),
        reason=None,
        idempotency_key="c",
    )
    assert again.status == "PENDING"


async def test_back_to_back_slots_do_not_overlap(
    db: Database, availability: FakeAvailability
) -> None:
    deps = make_deps(db, availability=availability)
    doctor = availability.add()
    who = patient()
    for index, start in enumerate((at(2, 9), at(2, 9, 30), at(2, 10))):
        await service.book(
            deps=deps,
            actor=who,
            doctor_id=doctor,
            start=start,
            reason=None,
            idempotency_key=str(index),
        )


async def test_a_patient_cannot_be_with_two_doctors_at_once(
    db: Database, availability: FakeAvailability
) -> None:
    deps = make_deps(db, availability=availability)
    who = patient()
    await service.book(
        deps=deps,
        actor=who,
        doctor_id=availability.add(),
        start=at(2, 9),
        reason=None,
        idempotency_key="1",
    )
    with pytest.raises(SlotTaken) as caught:
        await service.book(
            deps=deps,
            actor=who,
            doctor_id=availability.add(),
            start=at(2, 9, 10),
            reason=None,
            idempotency_key="2",
        )
    assert caught.value.extensions["whose"] == "patient"


async def test_a_slot_the_doctors_subgraph_no_longer_offers_because_it_is_ours_is_slot_taken(
    db: Database, availability: FakeAvailability, clock: Clock
) -> None:
    deps = make_deps(db, availability=availability, clock=clock)
    taken: set[object] = set()
    doctor = availability.add(offers=lambda start: start not in taken)
    await service.book(
        deps=deps,
        actor=patient(),
        doctor_id=doctor,
        start=at(2, 9),
        reason=None,
        idempotency_key="1",
    )
    taken.add(at(2, 9))
    with pytest.raises(SlotTaken):
        await service.book(
            deps=deps,
            actor=patient(),
            doctor_id=doctor,
            start=at(2, 9),
            reason=None,
            idempotency_key="2",
        )
    async with db.session() as session:
        rows = (
            await session.exec(
                select(AppointmentChangeRow).where(col(AppointmentChangeRow.action) == "BOOKED")
            )
        ).all()
    assert len(rows) == 1
    assert clock.now + timedelta(days=2) > at(2, 9) - timedelta(days=1)
