"""Generated strings and datetimes in every argument get documented codes, never a crash."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import pytest
from hypothesis import given
from hypothesis import strategies as st

from subgraphs.shared.auth import Role
from subgraphs.shared.database import Database
from subgraphs.shared.settings import Settings
from tests.integration.notifications.api import Api, open_api
from tests.support.fuzz_test import FUZZ_SETTINGS, check_one_example
from tests.support.tokens import bearer


@pytest.fixture
async def api(db: Database, settings: Settings) -> AsyncIterator[Api]:
    api = open_api(db, settings)
    async with api.client:
        yield api


@FUZZ_SETTINGS
@given(data=st.data())
async def test_every_argument_answers_only_documented_codes(api: Api, data: st.DataObject) -> None:
    callers: list[dict[str, str]] = [{}] + [
        bearer(api.mint(uuid.uuid4(), r)) for r in (Role.PATIENT, Role.ADMIN)
    ]
    await check_one_example(api.client, data, callers)
