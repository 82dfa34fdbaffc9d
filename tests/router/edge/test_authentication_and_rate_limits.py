"""Tokens are verified at the edge and still forwarded; clients are rate limited."""

from __future__ import annotations

import uuid

import httpx
import pytest
from redis.asyncio import Redis
from starlette.testclient import TestClient

from router.edge.ratelimit import MemoryCounter, RateLimiter, RedisCounter
from router.edge.refusal import Refusal
from subgraphs.shared.auth import Role
from subgraphs.shared.cache import MemoryCache
from tests.router.edge.support import canned, edge_app
from tests.support.services import REDIS, require
from tests.support.tokens import bearer, make_test_tokens


def test_a_bad_token_is_refused_at_the_edge_before_any_subgraph_call() -> None:
    authenticator, mint = make_test_tokens()
    calls: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        return canned(request)

    with TestClient(edge_app(handler, authenticator=authenticator)) as client:
        expired = mint(uuid.uuid4(), Role.PATIENT, ttl_seconds=-60)
        for headers in (bearer("not-a-token"), bearer(expired), {"authorization": "Basic x"}):
            response = client.post("/graphql", json={"query": "{ me { id } }"}, headers=headers)
            assert response.status_code == 401
            assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert calls == []


def test_a_token_that_cannot_be_checked_is_503_to_retry_not_401_to_sign_in_again() -> None:
    """Issue 15: with Redis cut, every request answered 401 and clients signed users out."""

    class Down(MemoryCache):
        async def get(self, key: str) -> bytes | None:
            raise ConnectionError("redis is down")

    authenticator, mint = make_test_tokens(cache=Down())
    calls: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        return canned(request)

    with TestClient(edge_app(handler, authenticator=authenticator)) as client:
        token = mint(uuid.uuid4(), Role.PATIENT)
        response = client.post("/graphql", json={"query": "{ me { id } }"}, headers=bearer(token))
        assert response.status_code == 503
        assert response.headers["retry-after"] == "1"
        assert response.json()["errors"][0]["extensions"]["code"] == "SERVICE_UNAVAILABLE"
    assert calls == []  # still fails closed


def test_a_valid_token_passes_and_is_forwarded_to_subgraphs() -> None:
    authenticator, mint = make_test_tokens()
    seen: list[str | None] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers.get("authorization"))
        return canned(request)

    token = mint(uuid.uuid4(), Role.ADMIN)
    with TestClient(edge_app(handler, authenticator=authenticator)) as client:
        response = client.post("/graphql", json={"query": "{ me { id } }"}, headers=bearer(token))
        assert response.json() == {"data": {"me": {"id": "1"}}}
        anonymous = client.post("/graphql", json={"query": "{ me { id } }"})
        assert anonymous.status_code == 200
    assert seen == [f"Bearer {token}", None]


def test_clients_over_the_rate_limit_get_429_rate_limited_per_user() -> None:
    authenticator, mint = make_test_tokens()
    alice, bob = bearer(mint(uuid.uuid4())), bearer(mint(uuid.uuid4()))
    app = edge_app(authenticator=authenticator, rate_limit=3, rate_limit_window=3600)
    with TestClient(app) as client:
        for _ in range(3):
            ok = client.post("/graphql", json={"query": "{ me { id } }"}, headers=alice)
            assert ok.status_code == 200
        refused = client.post("/graphql", json={"query": "{ me { id } }"}, headers=alice)
        assert refused.status_code == 429
        assert refused.json()["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
        assert int(refused.headers["retry-after"]) > 0
        # Another user, and anonymous callers (keyed by address), have their own budgets.
        assert client.post("/graphql", json={"query": "{ me { id } }"}, headers=bob).is_success
        assert client.post("/graphql", json={"query": "{ me { id } }"}).is_success


async def test_windows_reset_and_limit_zero_turns_limits_off() -> None:
    now = [1000.0]
    limiter = RateLimiter(MemoryCounter(), limit=1, window=10, clock=lambda: now[0])
    await limiter.check("a")
    with pytest.raises(Refusal):
        await limiter.check("a")
    now[0] += 10
    await limiter.check("a")
    off = RateLimiter(MemoryCounter(), limit=0, window=10)
    for _ in range(5):
        await off.check("a")


@pytest.mark.redis
async def test_replicas_share_the_count_in_redis() -> None:
    require("Redis", REDIS)
    redis = Redis(host=REDIS[0], port=REDIS[1])
    prefix = f"test-{uuid.uuid4().hex}:"
    try:
        first = RateLimiter(RedisCounter(redis, prefix), limit=2, window=60)
        second = RateLimiter(RedisCounter(redis, prefix), limit=2, window=60)
        await first.check("user:1")
        await second.check("user:1")
        with pytest.raises(Refusal) as refused:
            await first.check("user:1")
        assert refused.value.code == "RATE_LIMITED"
        assert refused.value.status == 429
    finally:
        keys = [key async for key in redis.scan_iter(f"{prefix}*")]
        if keys:
            await redis.delete(*keys)
        await redis.aclose()
