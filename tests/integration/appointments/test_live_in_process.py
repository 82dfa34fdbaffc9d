"""Live updates in the embedded mode (in-process pub/sub): who hears which change."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncGenerator

from subgraphs.appointments.domain import Action
from subgraphs.appointments.models import AppointmentRow
from subgraphs.appointments.service import lifecycle as service
from subgraphs.appointments.service import live
from subgraphs.shared.auth import Principal, Role
from subgraphs.shared.database import Database
from subgraphs.shared.pubsub import MemoryPubSub
from tests.integration.appointments.support import FakeAvailability, at, make_deps, patient

BOUND_SECONDS = 30  # against hanging only


async def next_of(
    stream: AsyncGenerator[tuple[AppointmentRow, Action], None],
) -> tuple[AppointmentRow, Action]:
    return await anext(stream)


async def test_patient_doctor_and_admins_hear_a_change_and_strangers_do_not(
    db: Database, availability: FakeAvailability
) -> None:
    pubsub = MemoryPubSub()
    deps = make_deps(db, availability=availability, pubsub=pubsub)
    doctor, who = availability.add(), patient()
    dr = availability.user_of(doctor)
    streams = {
        name: live.updates_for(deps, Principal(user_id=user, role=role))
        for name, (user, role) in {
            "patient": (who.user_id, Role.PATIENT),
            "doctor": (dr.user_id, Role.DOCTOR),
            "admin": (uuid.uuid4(), Role.ADMIN),
            "stranger": (uuid.uuid4(), Role.PATIENT),
        }.items()
    }
    pending = {name: asyncio.create_task(next_of(stream)) for name, stream in streams.items()}
    for _ in range(100):  # let every generator reach its subscription (no timing involved)
        if len(pubsub._subscribers) == 4:
            break
        await asyncio.sleep(0)
    assert len(pubsub._subscribers) == 4
    row = await service.book(
        deps=deps, actor=who, doctor_id=doctor, start=at(2, 9), reason=None, idempotency_key="k"
    )
    for name in ("patient", "doctor", "admin"):
        heard, action = await asyncio.wait_for(pending[name], BOUND_SECONDS)
        assert (heard.id, action) == (row.id, Action.BOOKED), name
    assert not pending["stranger"].done()
    pending["stranger"].cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await pending["stranger"]
    for stream in streams.values():
        await stream.aclose()
