"""No double booking under load: 50 clients at once, on SQLite and on PostgreSQL.

The store is the guard (exclusion constraints on PostgreSQL, the serialized write
transaction on SQLite), so each round must end with exactly one booking and SLOT_TAKEN for
everyone else, whatever the interleaving.
"""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from subgraphs.appointments.domain import Actor
from subgraphs.appointments.models import AppointmentRow
from subgraphs.appointments.service import lifecycle as service
from subgraphs.appointments.service import store
from subgraphs.appointments.service.lifecycle import Deps
from subgraphs.shared.auth import Role
from subgraphs.shared.database import Database
from subgraphs.shared.errors import DomainError
from tests.integration.appointments.support import FakeAvailability, at, make_deps, patient

CLIENTS = 50
ROUNDS = 3


async def attempt(deps: Deps, actor: Actor, doctor_id: uuid.UUID, start: datetime) -> str:
    try:
        await service.book(
            deps=deps,
            actor=actor,
            doctor_id=doctor_id,
            start=start,
            reason=None,
            idempotency_key=uuid.uuid4().hex,
        )
    except DomainError as error:
        return error.code
    return "BOOKED"


async def active_count(db: Database, **where: uuid.UUID) -> int:
    statement = (
        select(func.count())
        .select_from(AppointmentRow)
        .where(
            col(AppointmentRow.status).in_(["PENDING", "CONFIRMED"]),
            *(getattr(AppointmentRow, name) == value for name, value in where.items()),
        )
    )
    async with db.session() as session:
        return int((await session.exec(statement)).one())


async def test_fifty_clients_booking_the_same_slot_get_exactly_one(
    db: Database, availability: FakeAvailability
) -> None:
    deps = make_deps(db, availability=availability)
    doctor = availability.add()
    for round_ in range(ROUNDS):
        start = at(1 + round_, 9)
        outcomes = await asyncio.gather(
            *(attempt(deps, patient(), doctor, start) for _ in range(CLIENTS))
        )
        assert Counter(outcomes) == {"BOOKED": 1, "SLOT_TAKEN": CLIENTS - 1}
    assert await active_count(db, doctor_id=doctor) == ROUNDS


async def test_fifty_clients_booking_overlapping_ranges_get_exactly_one(
    db: Database, availability: FakeAvailability
) -> None:
    deps = make_deps(db, availability=availability)
    doctor = availability.add()  # 30-minute slots starting at any minute
    for round_ in range(ROUNDS):
        base = at(1 + round_, 9)
        outcomes = await asyncio.gather(
            *(
                attempt(deps, patient(), doctor, base + timedelta(minutes=index % 30))
                for index in range(CLIENTS)
            )
        )
        assert Counter(outcomes) == {"BOOKED": 1, "SLOT_TAKEN": CLIENTS - 1}
    assert await active_count(db, doctor_id=doctor) == ROUNDS


async def test_one_patient_booking_fifty_doctors_at_once_gets_exactly_one(
    db: Database, availability: FakeAvailability
) -> None:
    deps = make_deps(db, availability=availability)
    who = patient()
    for round_ in range(ROUNDS):
        base = at(1 + round_, 14)
        outcomes = await asyncio.gather(
            *(
                attempt(deps, who, availability.add(), base + timedelta(minutes=index % 20))
                for index in range(CLIENTS)
            )
        )
        assert Counter(outcomes) == {"BOOKED": 1, "SLOT_TAKEN": CLIENTS - 1}
    assert await active_count(db, patient_id=who.user_id) == ROUNDS


async def test_concurrent_reschedules_into_one_free_slot_move_exactly_one(
    db: Database, availability: FakeAvailability
) -> None:
    deps = make_deps(db, availability=availability)
    doctor = availability.add()
    booked = []
    for index in range(10):
        row = await service.book(
            deps=deps,
            actor=patient(),
            doctor_id=doctor,
            start=at(2, 8) + timedelta(minutes=30 * index),
            reason=None,
            idempotency_key="k",
        )
        booked.append(row)
    target = at(3, 9)

    async def move(row: AppointmentRow) -> str:
        try:
            await service.reschedule(
                deps=deps,
                actor=Actor(row.patient_id, Role.PATIENT),
                appointment_id=row.id,
                start=target,
            )
        except DomainError as error:
            return error.code
        return "MOVED"

    outcomes = await asyncio.gather(*(move(row) for row in booked))
    assert Counter(outcomes) == {"MOVED": 1, "SLOT_TAKEN": len(booked) - 1}
    assert await active_count(db, doctor_id=doctor) == len(booked)


async def test_postgresql_itself_refuses_overlapping_active_rows(db: Database) -> None:
    """The exclusion constraint holds even for writers that skip the service's check."""
    if db.dialect != "postgresql":
        pytest.skip("SQLite has no exclusion constraints; its guard is the serialized check")
    doctor = uuid.uuid4()

    def row(start: datetime, status: str = "CONFIRMED") -> AppointmentRow:
        return AppointmentRow(
            id=uuid.uuid4(),
            doctor_id=doctor,
            doctor_user_id=uuid.uuid4(),
            patient_id=uuid.uuid4(),
            starts_at=start,
            ends_at=start + timedelta(minutes=30),
            status=status,
            time_zone="UTC",
        )

    async with db.transaction() as session:
        session.add(row(at(2, 9)))
        session.add(row(at(2, 9, 10), status="CANCELLED"))  # inactive rows do not count
        session.add(row(at(2, 9, 30)))  # touching is not overlapping
    with pytest.raises(IntegrityError) as caught:
        async with db.transaction() as session:
            session.add(row(at(2, 9, 15), status="PENDING"))
    assert store.sqlstate(caught.value) == store.EXCLUSION_VIOLATION
