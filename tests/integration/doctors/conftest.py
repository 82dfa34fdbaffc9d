"""A doctors subgraph over a fresh store (SQLite and PostgreSQL), real tokens, a fixed clock."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from subgraphs.doctors.app import SPEC
from subgraphs.doctors.schema.context import CLOCK
from subgraphs.doctors.service.catalog import ensure_specializations
from subgraphs.shared.app import create_subgraph_app
from subgraphs.shared.resources import Resources
from subgraphs.shared.settings import Settings
from tests.conftest import MakeStore
from tests.integration.doctors.helpers import NOW, Api
from tests.support.tokens import make_test_tokens


@pytest.fixture
async def api(make_store: MakeStore, settings: Settings) -> AsyncIterator[Api]:
    database = await make_store("doctors")
    authenticator, mint = make_test_tokens()
    resources = Resources.open("doctors", settings, authenticator=authenticator)
    await resources.database.dispose()
    resources.database = database
    resources.extras[CLOCK] = lambda: NOW
    await ensure_specializations(db=database)
    app = create_subgraph_app(SPEC, resources)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://doctors") as http:
        yield Api(http=http, resources=resources, mint=mint)
    await resources.cache.close()
