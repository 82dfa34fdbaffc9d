"""Login throttling through the API, including attempts batched as aliases in one request."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from typing import Any

import pytest

from tests.integration.identity.conftest import PASSWORD, Api

# graphql-core creates the coroutines of every mutation field up front and drops the rest
# once a non-null field fails: Python then warns that they were never awaited (harmless).
pytestmark = [
    pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning"),
    pytest.mark.filterwarnings("ignore:coroutine .* was never awaited:RuntimeWarning"),
]


@pytest.fixture(autouse=True)
def collect_dropped_coroutines() -> Iterator[None]:
    """Collect them here, where their warnings are expected, not in a later test."""
    yield
    gc.collect()


def batch(count: int, *, first_guess: str = "a wrong guess", email: str = "ann@example.org") -> str:
    fields = []
    for n in range(count):
        password = first_guess if n == 0 else f"guess number {n}"
        fields.append(
            f'a{n}: login(input: {{email: "{email}", password: "{password}"}}) {{ accessToken }}'
        )
    return "mutation { " + " ".join(fields) + " }"


def codes(body: dict[str, Any]) -> list[str]:
    return [error["extensions"]["code"] for error in body["errors"]]


async def test_aliased_login_attempts_in_one_request_are_throttled(api: Api) -> None:
    await api.register("ann@example.org")
    # Mutation fields run one after another and a failed (non-null) login ends the request,
    # so a batch of aliases buys one guess; each guess meets the wait the previous one set.
    for _ in range(3):
        body = await api.gql(batch(10), address="192.0.2.66")
        assert body["data"] is None
        assert codes(body) == ["UNAUTHENTICATED"]
    refused = await api.gql(batch(10, first_guess=PASSWORD), address="192.0.2.66")
    assert codes(refused) == ["RATE_LIMITED"]  # even with the right password
    assert refused["errors"][0]["extensions"]["retryAfterSeconds"] >= 1


async def test_throttled_unknown_accounts_look_like_known_ones(api: Api) -> None:
    await api.register("ann@example.org")
    known, unknown = [], []
    for _ in range(5):
        known += codes(await api.gql(batch(3), address="192.0.2.1"))
        unknown += codes(await api.gql(batch(3, email="nobody@example.org"), address="192.0.2.1"))
    assert known == unknown == ["UNAUTHENTICATED"] * 3 + ["RATE_LIMITED"] * 2


async def test_the_owner_still_signs_in_from_another_address(api: Api) -> None:
    await api.register("ann@example.org")
    for _ in range(5):
        await api.gql(batch(10), address="192.0.2.66")
    assert (await api.login("ann@example.org", address="198.51.100.20"))["accessToken"]


async def test_throttled_attempts_are_audited(api: Api) -> None:
    await api.register("ann@example.org")
    for _ in range(5):
        await api.gql(batch(2), address="192.0.2.66")
    (event,) = [
        row
        for row in await api.outbox("AuthenticationAudited")
        if row.payload["outcome"] == "THROTTLED"
    ][:1]
    assert event.payload["action"] == "LOGIN"
    assert event.payload["client_address"] == "192.0.2.66"
