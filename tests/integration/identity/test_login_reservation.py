"""The per-address login limit holds under concurrency: attempts are reserved before checking."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from tests.integration.identity.conftest import LOGIN, PASSWORD, Api

LIMIT = 10


@pytest.fixture
def identity_settings() -> dict[str, Any]:
    return {"login_max_failures_per_address_per_hour": LIMIT}


async def test_concurrent_failures_from_one_address_stop_at_the_limit(api: Api) -> None:
    attempts = [
        api.gql(
            LOGIN,
            {"i": {"email": f"who{n}@example.org", "password": "a wrong guess"}},
            address="192.0.2.50",
        )
        for n in range(50)
    ]
    bodies = await asyncio.gather(*attempts)
    codes = [b["errors"][0]["extensions"]["code"] for b in bodies]
    assert codes.count("UNAUTHENTICATED") == LIMIT  # passwords checked
    assert codes.count("RATE_LIMITED") == 50 - LIMIT


async def test_sign_ins_give_their_attempt_back(api: Api) -> None:
    await api.register("ok@example.org")
    for _ in range(LIMIT + 5):
        await api.login("ok@example.org", PASSWORD, address="192.0.2.51")
    wrong = {"i": {"email": "ok@example.org", "password": "a wrong guess"}}
    body = await api.gql(LOGIN, wrong, address="192.0.2.51")
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
