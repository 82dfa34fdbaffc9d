"""The trail is hash-chained, append-only in the store, verifiable, and purged by segments."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from subgraphs.identity import consumers
from subgraphs.shared.audit import chain
from subgraphs.shared.audit.caller import Caller
from subgraphs.shared.audit.entry import entry
from subgraphs.shared.audit.trail import GENESIS
from subgraphs.shared.cache import MemoryCache
from subgraphs.shared.database import Database
from subgraphs.shared.events import EventEnvelope
from subgraphs.shared.pubsub import MemoryPubSub
from subgraphs.shared.resources import Resources
from subgraphs.shared.settings import Settings
from tests.conftest import MakeStore
from tests.integration.shared.audit_support import trail_entries

DOCTOR = Caller(user_id=uuid.uuid4(), role="DOCTOR", client_address="10.0.0.9")


def envelope(action: str = "AppointmentRead") -> EventEnvelope:
    audited = entry(
        DOCTOR,
        component="appointments",
        action=action,
        subject_type="Appointment",
        subject_id=uuid.uuid4(),
        patient_id=uuid.uuid4(),
    )
    return audited.envelope(source="appointments")


def resources(db: Database, settings: Settings) -> Resources:
    return Resources(
        component="identity",
        settings=settings,
        database=db,
        cache=MemoryCache(),
        pubsub=MemoryPubSub(),
    )


async def deliver(db: Database, settings: Settings, *envelopes: EventEnvelope) -> None:
    for one in envelopes:
        await consumers.handle(one, resources(db, settings))


async def raw(db: Database, sql: str) -> None:
    async with db.engine.begin() as connection:
        await connection.execute(text(sql))


async def without_guards(db: Database, sql: str) -> None:
    """Tamper as someone with the database owner's powers (the triggers switched off)."""
    if db.dialect == "postgresql":
        async with db.engine.begin() as connection:
            await connection.execute(text("SET LOCAL session_replication_role = replica"))
            await connection.execute(text(sql))
        return
    async with db.engine.begin() as connection:
        for name in ("audit_trail_no_update", "audit_trail_no_delete"):
            await connection.execute(text(f"DROP TRIGGER {name}"))
        await connection.execute(text(sql))


async def test_entries_chain_in_order_and_a_repeat_delivery_adds_nothing(
    make_store: MakeStore, settings: Settings
) -> None:
    db = await make_store("identity")
    first, second = envelope(), envelope("AppointmentsListed")
    await deliver(db, settings, first, second, first)
    rows = await trail_entries(db)
    assert [(r.seq, str(r.id)) for r in rows] == [(1, first.id), (2, second.id)]
    assert rows[0].prev_hash == GENESIS
    assert rows[1].prev_hash == rows[0].hash
    assert (rows[0].actor_id, rows[0].client_address) == (DOCTOR.user_id, "10.0.0.9")
    result = await chain.verify(db)
    assert (result.ok, result.checked, result.head_hash) == (True, 2, rows[1].hash)


async def test_verify_reports_an_altered_entry(make_store: MakeStore, settings: Settings) -> None:
    db = await make_store("identity")
    await deliver(db, settings, envelope(), envelope(), envelope())
    await without_guards(db, "UPDATE audit_trail SET actor_role = 'ADMIN' WHERE seq = 2")
    result = await chain.verify(db)
    assert result.broken is not None
    assert (result.broken.seq, result.checked) == (2, 1)
    assert "altered" in result.broken.problem


async def test_verify_reports_a_removed_entry(make_store: MakeStore, settings: Settings) -> None:
    db = await make_store("identity")
    await deliver(db, settings, envelope(), envelope(), envelope())
    await without_guards(db, "DELETE FROM audit_trail WHERE seq = 2")
    result = await chain.verify(db)
    assert result.broken is not None
    assert result.broken.seq == 2
    assert "missing" in result.broken.problem


async def test_verify_reports_a_rewritten_hash_at_the_next_link(
    make_store: MakeStore, settings: Settings
) -> None:
    db = await make_store("identity")
    await deliver(db, settings, envelope(), envelope(), envelope())
    rows = await trail_entries(db)
    forged = rows[1].model_copy(update={"actor_role": "ADMIN"})
    forged_hash = chain.digest(forged)
    await without_guards(
        db,
        f"UPDATE audit_trail SET actor_role = 'ADMIN', hash = '{forged_hash}' WHERE seq = 2",  # noqa: S608
    )
    result = await chain.verify(db)
    assert result.broken is not None
    assert result.broken.seq == 3
    assert "previous hash" in result.broken.problem


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_trail SET outcome = 'REFUSED'",
        "DELETE FROM audit_trail",
        "UPDATE audit_anchors SET hash = 'x'",
    ],
)
async def test_the_application_cannot_update_or_delete_trail_rows(
    make_store: MakeStore, settings: Settings, sql: str
) -> None:
    db = await make_store("identity")
    await deliver(db, settings, envelope())
    assert await chain.purge(db, before=datetime.now(UTC)) == 1  # an anchor to tamper with
    await deliver(db, settings, envelope(), envelope())
    with pytest.raises(DBAPIError, match="append-only"):
        await raw(db, sql)
    assert len(await trail_entries(db)) == 2
    assert (await chain.verify(db)).ok


async def test_the_purge_flag_alone_does_not_allow_deleting_unanchored_entries(
    make_store: MakeStore, settings: Settings
) -> None:
    db = await make_store("identity")
    if db.dialect != "postgresql":
        pytest.skip("the purge flag is PostgreSQL's")
    await deliver(db, settings, envelope())
    async with db.engine.begin() as connection:
        await connection.execute(text("SELECT set_config('healthbook.audit_purge', 'on', true)"))
        with pytest.raises(DBAPIError, match="append-only"):
            await connection.execute(text("DELETE FROM audit_trail"))


async def test_a_purge_removes_the_old_segment_and_the_rest_still_verifies(
    make_store: MakeStore, settings: Settings
) -> None:
    db = await make_store("identity")
    await deliver(db, settings, envelope(), envelope())
    cut = (await trail_entries(db))[-1].recorded_at + timedelta(microseconds=1)
    await deliver(db, settings, envelope(), envelope(), envelope())
    removed = await chain.purge(db, before=cut)
    assert removed == 2
    rows = await trail_entries(db)
    assert [r.seq for r in rows] == [3, 4, 5]
    result = await chain.verify(db)
    assert (result.ok, result.checked, result.anchored_through) == (True, 3, 2)
    await deliver(db, settings, envelope())
    assert (await chain.verify(db)).checked == 4
