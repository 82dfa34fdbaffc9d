from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from subgraphs.shared.database import Database
from subgraphs.shared.settings import Settings
from tests.conftest import MakeStore
from tests.integration.appointments.api import Api, asgi_client, build_resources
from tests.integration.appointments.support import Clock, FakeAvailability


@pytest.fixture
async def db(make_store: MakeStore) -> Database:
    """An empty, migrated appointments store, on SQLite and on PostgreSQL."""
    return await make_store("appointments")


@pytest.fixture
def availability() -> FakeAvailability:
    return FakeAvailability()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def api(
    db: Database, settings: Settings, availability: FakeAvailability, clock: Clock
) -> AsyncIterator[Api]:
    """The subgraph's GraphQL API over `db`, with test tokens and the fake doctors subgraph."""
    resources, mint = build_resources(db, settings, availability, clock)
    async with asgi_client(resources) as client:
        yield Api(client, mint)
