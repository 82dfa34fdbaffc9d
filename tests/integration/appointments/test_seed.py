from __future__ import annotations

import uuid
from datetime import UTC, datetime

from subgraphs.appointments.domain import Actor
from subgraphs.appointments.seed import DEMO_VISITS, seed
from subgraphs.appointments.service import queries
from subgraphs.shared.auth import Role
from subgraphs.shared.cache import MemoryCache
from subgraphs.shared.database import Database
from subgraphs.shared.pubsub import MemoryPubSub
from subgraphs.shared.resources import Resources
from subgraphs.shared.settings import Settings

PATIENT = uuid.uuid5(uuid.NAMESPACE_URL, "healthbook:user:patient@healthbook.local")
SILVA = uuid.uuid5(uuid.NAMESPACE_URL, "healthbook:doctor:dr.silva@healthbook.local")


async def test_demo_patient_gets_upcoming_visits_once(db: Database, settings: Settings) -> None:
    resources = Resources(
        component="appointments",
        settings=settings,
        database=db,
        cache=MemoryCache(),
        pubsub=MemoryPubSub(),
    )
    await seed(resources)
    await seed(resources)  # a second run leaves a non-empty store alone
    now = datetime.now(UTC)
    admin = Actor(uuid.uuid4(), Role.ADMIN)
    everything = await queries.search(
        db=db, actor=admin, filter=queries.Filter(), offset=0, limit=100
    )
    assert everything.total == len(DEMO_VISITS)
    assert all(row.starts_at > now for row in everything.items)
    mine = await queries.mine(
        db=db, actor=Actor(PATIENT, Role.PATIENT), upcoming=True, now=now, offset=0, limit=10
    )
    assert mine.total == 3
    assert {row.status for row in mine.items} == {"PENDING", "CONFIRMED"}
    assert SILVA in {row.doctor_id for row in mine.items}
