"""The event consumers' duplicate-key races leave no hash, token, email or name in any log.

Issue 15 item 1: duplicate events raced in the consumers once logged SQLAlchemy's
`UniqueViolationError` with its bound parameters (emails, names). Here, on PostgreSQL, every
subgraph that consumes events gets one event delivered several times at once and several
events of one row at once, while the loggers are captured as LOG_LEVEL=DEBUG sets them
(SQLAlchemy's statements logged, so the check would see parameters if any were written). Neither the
lines as the log formatter writes them nor the raw messages may hold the events' personal
data, and no consumer raises (Dramatiq would log the exception)."""

from __future__ import annotations

import asyncio
import traceback
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from sqlalchemy import text

from subgraphs.appointments import consumers as appointments_consumers
from subgraphs.appointments.service import lifecycle
from subgraphs.doctors import consumers as doctors_consumers
from subgraphs.identity import consumers as identity_consumers
from subgraphs.notifications import consumers as notifications_consumers
from subgraphs.shared.cache import MemoryCache
from subgraphs.shared.database import Database
from subgraphs.shared.events import EventEnvelope
from subgraphs.shared.logs import JsonFormatter, logger_levels
from subgraphs.shared.pubsub import MemoryPubSub
from subgraphs.shared.resources import Resources
from subgraphs.shared.settings import Settings
from tests.conftest import MakeStore
from tests.integration.appointments.support import FakeAvailability, at, make_deps, patient
from tests.integration.appointments.test_withdrawal import suspended
from tests.integration.identity.test_logs_hold_no_secrets import SECRET_SHAPES
from tests.integration.notifications.scenario import Cast
from tests.integration.shared.test_audit_chain import envelope as audit_envelope
from tests.support import services

Handle = Callable[[EventEnvelope, Resources], Awaitable[None]]
COPIES = 4
REASON = "Pat's private chest pain"  # an appointment's reason is personal too
# The personal data the events below carry (see Cast): none may reach a log line.
PERSONAL = (
    "pat@example.test",
    "Pat Patient",
    "+15550001111",
    "dr.who@example.test",
    "Dana Who",
    "+49301234567",
    "Hauptstr. 1",
    REASON,
)


@pytest.fixture
def backend() -> str:
    """The races that logged parameters were PostgreSQL's unique violations."""
    services.require("PostgreSQL", services.POSTGRES)
    return "postgresql"


@pytest.fixture
def logs(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    """Every logger as `configure_logging` sets them at LOG_LEVEL=DEBUG: the app's at DEBUG,
    SQLAlchemy's at INFO (each statement logged as it runs), the noisy libraries'."""
    for name, level in logger_levels("DEBUG").items():
        caplog.set_level(level, logger=name)
    caplog.set_level("DEBUG")  # last: each call also sets the capturing handler's level
    return caplog


def resources(component: str, db: Database, settings: Settings) -> Resources:
    return Resources(
        component=component,
        settings=settings,
        database=db,
        cache=MemoryCache(),
        pubsub=MemoryPubSub(),
    )


def again(event: EventEnvelope) -> EventEnvelope:
    """Another event with the same content (a second publication of one fact)."""
    return EventEnvelope(**{**event.to_dict(), "id": str(uuid.uuid4())})


async def race(handle: Handle, where: Resources, events: list[EventEnvelope]) -> list[str]:
    """Each event delivered COPIES times at once, and COPIES events of its content at once;
    the tracebacks of any that raised."""
    deliveries = [e for event in events for e in [event] * COPIES]
    deliveries += [again(event) for event in events for _ in range(COPIES)]
    outcomes = await asyncio.gather(
        *(handle(event, where) for event in deliveries), return_exceptions=True
    )
    return ["".join(traceback.format_exception(o)) for o in outcomes if isinstance(o, Exception)]


async def count(db: Database, sql: str, **params: Any) -> int:
    async with db.engine.connect() as connection:
        return int((await connection.execute(text(sql), params)).scalar_one())


def check(logs: pytest.LogCaptureFixture, component: str, raised: list[str]) -> None:
    formatter = JsonFormatter(component)
    lines = [formatter.format(record) for record in logs.records]
    raw = [record.getMessage() for record in logs.records] + raised
    assert any("INSERT" in line for line in raw), "no statement logged: the check proves nothing"
    for line in lines + raw:
        for shape in SECRET_SHAPES:
            assert not shape.search(line), line
        for value in PERSONAL:
            assert value not in line, line
    assert not raised, raised[0]


async def test_doctors_consumer_races_log_no_personal_data(
    make_store: MakeStore, settings: Settings, logs: pytest.LogCaptureFixture
) -> None:
    db = await make_store("doctors")
    cast = Cast()
    doctor = cast.doctor_registered()
    booked = cast.appointment("AppointmentBooked")
    logs.clear()
    raised = await race(doctors_consumers.handle, resources("doctors", db, settings), [doctor])
    raised += await race(doctors_consumers.handle, resources("doctors", db, settings), [booked])
    check(logs, "doctors", raised)
    assert await count(db, "SELECT count(*) FROM doctors WHERE user_id = :u",
                       u=cast.doctor_user_id) == 1  # fmt: skip
    assert await count(db, "SELECT count(*) FROM doctor_busy_times") == 1


async def test_notifications_consumer_races_log_no_personal_data(
    make_store: MakeStore, settings: Settings, logs: pytest.LogCaptureFixture
) -> None:
    db = await make_store("notifications")
    cast = Cast()
    where = resources("notifications", db, settings)
    setup = cast.setup_events()
    booked = cast.appointment("AppointmentBooked")
    logs.clear()
    raised = await race(notifications_consumers.handle, where, setup)
    raised += await race(notifications_consumers.handle, where, [booked])
    check(logs, "notifications", raised)
    assert await count(db, "SELECT count(*) FROM notification_recipients") == 2
    assert await count(db, "SELECT count(*) FROM notification_appointments") == 1
    duplicates = await count(
        db,
        "SELECT count(*) FROM (SELECT 1 FROM notifications GROUP BY source_event_id, user_id, "
        "channel HAVING count(*) > 1) AS repeated",
    )
    assert duplicates == 0
    assert await count(db, "SELECT count(*) FROM notifications WHERE source_event_id = :e",
                       e=uuid.UUID(booked.id)) > 0  # fmt: skip


async def test_appointments_consumer_races_log_no_personal_data(
    make_store: MakeStore, settings: Settings, logs: pytest.LogCaptureFixture
) -> None:
    db = await make_store("appointments")
    availability = FakeAvailability()
    leaving = availability.add()
    for day in (3, 4):
        await lifecycle.book(
            deps=make_deps(db, availability=availability),
            actor=patient(),
            doctor_id=leaving,
            start=at(day, 9),
            reason=REASON,
            idempotency_key=str(uuid.uuid4()),
        )
    event = suspended(leaving, str(uuid.uuid4()))
    logs.clear()
    where = resources("appointments", db, settings)
    raised = await race(appointments_consumers.handle, where, [event])
    check(logs, "appointments", raised)
    assert await count(db, "SELECT count(*) FROM appointments WHERE status = 'CANCELLED'") == 2
    assert await count(
        db, "SELECT count(*) FROM appointment_changes WHERE action = 'CANCELLED'"
    ) == 2  # fmt: skip


async def test_identity_consumer_races_log_no_personal_data(
    make_store: MakeStore, settings: Settings, logs: pytest.LogCaptureFixture
) -> None:
    db = await make_store("identity")
    entries = [audit_envelope(), audit_envelope("AppointmentCancelled")]
    logs.clear()
    outcomes = await asyncio.gather(
        *(
            identity_consumers.handle(entry, resources("identity", db, settings))
            for entry in entries
            for _ in range(COPIES)
        ),
        return_exceptions=True,
    )  # an audit entry is one fact under one id: only its repeats race
    raised = ["".join(traceback.format_exception(o)) for o in outcomes if isinstance(o, Exception)]
    check(logs, "identity", raised)
    assert await count(db, "SELECT count(*) FROM audit_trail") == len(entries)
