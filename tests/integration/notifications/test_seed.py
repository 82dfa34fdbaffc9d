"""Demo contacts: the ids every seed agrees on, written once."""

from __future__ import annotations

import uuid

from sqlalchemy import func
from sqlmodel import select

from subgraphs.notifications import seed
from subgraphs.notifications.models import DoctorCard, Recipient
from subgraphs.shared.cache import MemoryCache
from subgraphs.shared.database import Database
from subgraphs.shared.pubsub import MemoryPubSub
from subgraphs.shared.resources import Resources
from subgraphs.shared.settings import Settings


async def test_seed_writes_the_demo_contacts_once_with_the_shared_ids(
    db: Database, settings: Settings
) -> None:
    resources = Resources("notifications", settings, db, MemoryCache(), MemoryPubSub())
    await seed.seed(resources)
    await seed.seed(resources)
    patient = uuid.uuid5(uuid.NAMESPACE_URL, "healthbook:user:patient@healthbook.local")
    silva = uuid.uuid5(uuid.NAMESPACE_URL, "healthbook:doctor:dr.silva@healthbook.local")
    async with db.session() as session:
        person = await session.get(Recipient, patient)
        doctor = await session.get(DoctorCard, silva)
        people = await session.scalar(select(func.count()).select_from(Recipient))
    assert person is not None
    assert person.phone == "+4915100000001"
    assert doctor is not None
    assert doctor.name == "Dr. Silva"
    assert people == 3 + 24
