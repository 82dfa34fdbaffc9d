"""Idempotency keys: a retry gets the first result; a reused key for another request is refused."""

from __future__ import annotations

import asyncio
import dataclasses
import random
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func
from sqlmodel import select

from subgraphs.appointments.domain import Actor
from subgraphs.appointments.models import AppointmentRow
from subgraphs.appointments.service import lifecycle as service
from subgraphs.appointments.service import store
from subgraphs.appointments.service.availability import SlotAnswer
from subgraphs.appointments.service.lifecycle import Deps
from subgraphs.shared.database import Database
from subgraphs.shared.errors import Conflict
from tests.integration.appointments.support import Clock, FakeAvailability, at, make_deps, patient


async def book(deps: Deps, who: Actor, doctor: object, start: object, key: str) -> AppointmentRow:
    return await service.book(
        deps=deps,
        actor=who,
        doctor_id=doctor,  # type: ignore[arg-type]
        start=start,  # type: ignore[arg-type]
        reason="Follow-up",
        idempotency_key=key,
    )


async def count(db: Database) -> int:
    async with db.session() as session:
        return int((await session.exec(select(func.count()).select_from(AppointmentRow))).one())


async def test_the_same_key_and_request_returns_the_first_result(
    db: Database, availability: FakeAvailability
) -> None:
    deps = make_deps(db, availability=availability)
    doctor, who = availability.add(), patient()
    first = await book(deps, who, doctor, at(2, 9), "retry-me")
    calls = availability.calls
    again = await book(deps, who, doctor, at(2, 9).astimezone(), "retry-me")
    assert again.id == first.id
    assert availability.calls == calls  # answered from the key, nothing asked again
    assert await count(db) == 1


async def test_concurrent_repeats_of_one_request_make_one_booking(
    db: Database, availability: FakeAvailability
) -> None:
    deps = make_deps(db, availability=availability)
    doctor, who = availability.add(), patient()
    results = await asyncio.gather(
        *(book(deps, who, doctor, at(2, 9), "double-click") for _ in range(20))
    )
    assert len({row.id for row in results}) == 1
    assert await count(db) == 1


async def test_the_same_key_with_another_request_is_conflict(
    db: Database, availability: FakeAvailability
) -> None:
    deps = make_deps(db, availability=availability)
    doctor, who = availability.add(), patient()
    await book(deps, who, doctor, at(2, 9), "k")
    with pytest.raises(Conflict):
        await book(deps, who, doctor, at(2, 11), "k")
    assert await count(db) == 1


async def test_keys_belong_to_one_patient(db: Database, availability: FakeAvailability) -> None:
    deps = make_deps(db, availability=availability)
    doctor = availability.add()
    mine = await book(deps, patient(), doctor, at(2, 9), "same-key")
    theirs = await book(deps, patient(), doctor, at(2, 10), "same-key")
    assert mine.id != theirs.id


async def test_keys_expire_after_a_day(db: Database, availability: FakeAvailability) -> None:
    clock = Clock()
    deps = make_deps(db, availability=availability, clock=clock)
    doctor, who = availability.add(), patient()
    await book(deps, who, doctor, at(2, 9), "k")
    clock.advance(timedelta(hours=24, seconds=1))
    later = await book(deps, who, doctor, at(3, 11), "k")
    assert later.starts_at == at(3, 11)
    assert await count(db) == 2


@dataclass
class DoctorsThatSeeCommits:
    """Like the doctors subgraph once it has the first booking's event: its time is busy."""

    inner: FakeAvailability
    db: Database

    async def check(
        self,
        *,
        doctor_id: uuid.UUID,
        start: datetime,
        ignore_appointment_id: uuid.UUID | None = None,
    ) -> SlotAnswer | None:
        await asyncio.sleep(random.random() / 50)  # answers arrive in any order
        answer = await self.inner.check(doctor_id=doctor_id, start=start)
        async with self.db.session() as session:
            busy = await store.doctor_busy(
                session, doctor_id=doctor_id, start=start, end=start + timedelta(minutes=1)
            )
        if answer is None or not busy:
            return answer
        return dataclasses.replace(answer, offered=False, slot_end=None, refusal="SLOT_TAKEN")


async def test_fifty_concurrent_repeats_all_get_the_first_booking(
    db: Database, availability: FakeAvailability
) -> None:
    deps = make_deps(db, availability=availability)
    deps = dataclasses.replace(deps, availability=DoctorsThatSeeCommits(availability, db))
    doctor, who = availability.add(), patient()
    outcomes = await asyncio.gather(
        *(book(deps, who, doctor, at(2, 9), "fifty-clicks") for _ in range(50)),
        return_exceptions=True,
    )
    refusals = [o for o in outcomes if isinstance(o, BaseException)]
    assert refusals == []
    assert len({o.id for o in outcomes if isinstance(o, AppointmentRow)}) == 1
    assert await count(db) == 1
