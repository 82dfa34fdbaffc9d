from __future__ import annotations

import pytest

from subgraphs.shared.database import Database
from tests.conftest import MakeStore
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
