"""Inbound deduplication: identical in-flight requests share an execution, users never do."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterator, Mapping

import httpx
import orjson

from router.app import create_app
from router.config import RouterConfig
from router.inflight import request_key
from router.testing.servers import running
from tests.router.scenarios import all_scenarios


class SlowAccounts:
    """Answers `me` with the caller's own id (from its token), slowly enough to overlap."""

    def __init__(self) -> None:
        self.calls: list[str] = []

    async def __call__(self, request: httpx.Request) -> httpx.Response:
        token = request.headers.get("authorization", "anonymous")
        self.calls.append(token)
        await asyncio.sleep(0.3)
        body = orjson.loads(request.content)
        if "mutation" in body["query"]:
            return httpx.Response(200, json={"data": {"appendLog": [token]}})
        return httpx.Response(200, json={"data": {"me": {"id": token, "name": token}}})


@contextlib.contextmanager
def router(config: RouterConfig) -> Iterator[tuple[str, SlowAccounts]]:
    shop = next(s for s in all_scenarios() if s.name == "shop")
    accounts = SlowAccounts()
    # Subgraph dedupe off: every sharing seen here is the router's inbound dedupe.
    config = RouterConfig(
        deduplicate_subgraph_requests=False,
        deduplicate_requests=config.deduplicate_requests,
        deduplicate_mutations=config.deduplicate_mutations,
    )
    app = create_app(config, supergraph=shop.supergraph(), transport=httpx.MockTransport(accounts))
    with running(app) as base:
        yield base, accounts


async def _post_all(base: str, body: Mapping[str, object], tokens: list[str]) -> list[object]:
    async with httpx.AsyncClient(timeout=10) as client:
        responses = await asyncio.gather(
            *(
                client.post(f"{base}/graphql", json=body, headers={"authorization": token})
                for token in tokens
            )
        )
    return [r.json() for r in responses]


ME = {"query": "{ me { id name } }"}


def test_identical_concurrent_queries_share_one_execution() -> None:
    with router(RouterConfig()) as (base, accounts):
        answers = asyncio.run(_post_all(base, ME, ["Bearer ada"] * 5))
    assert answers == [{"data": {"me": {"id": "Bearer ada", "name": "Bearer ada"}}}] * 5
    assert accounts.calls == ["Bearer ada"]


def test_two_users_identical_concurrent_queries_never_share_an_answer() -> None:
    with router(RouterConfig()) as (base, accounts):
        answers = asyncio.run(_post_all(base, ME, ["Bearer ada", "Bearer bob"] * 3))
    for token, answer in zip(["Bearer ada", "Bearer bob"] * 3, answers, strict=True):
        assert answer == {"data": {"me": {"id": token, "name": token}}}
    assert sorted(accounts.calls) == ["Bearer ada", "Bearer bob"]


def test_different_variables_are_different_requests() -> None:
    query = "query($upc: String!) { product(upc: $upc) { upc } }"
    bodies = [{"query": query, "variables": {"upc": upc}} for upc in ("1", "2")]

    async def both(base: str) -> None:
        async with httpx.AsyncClient(timeout=10) as client:
            await asyncio.gather(*(client.post(f"{base}/graphql", json=b) for b in bodies))

    shop = next(s for s in all_scenarios() if s.name == "shop")
    seen: list[bytes] = []

    async def products(request: httpx.Request) -> httpx.Response:
        seen.append(request.content)
        await asyncio.sleep(0.3)
        upc = orjson.loads(request.content)["variables"]["upc"]
        return httpx.Response(200, json={"data": {"product": {"upc": upc}}})

    config = RouterConfig(deduplicate_subgraph_requests=False)
    app = create_app(config, supergraph=shop.supergraph(), transport=httpx.MockTransport(products))
    with running(app) as base:
        asyncio.run(both(base))
    assert len(seen) == 2


def test_mutations_are_not_shared_by_default() -> None:
    mutation = {"query": 'mutation { appendLog(text: "x") }'}
    with router(RouterConfig()) as (base, accounts):
        asyncio.run(_post_all(base, mutation, ["Bearer ada"] * 3))
    assert accounts.calls == ["Bearer ada"] * 3


def test_mutations_may_be_shared_when_configured() -> None:
    mutation = {"query": 'mutation { appendLog(text: "x") }'}
    with router(RouterConfig(deduplicate_mutations=True)) as (base, accounts):
        asyncio.run(_post_all(base, mutation, ["Bearer ada"] * 3))
    assert accounts.calls == ["Bearer ada"]


def test_inbound_dedupe_can_be_turned_off() -> None:
    with router(RouterConfig(deduplicate_requests=False)) as (base, accounts):
        asyncio.run(_post_all(base, ME, ["Bearer ada"] * 3))
    assert accounts.calls == ["Bearer ada"] * 3


def test_the_per_request_id_does_not_keep_identical_requests_apart() -> None:
    base = {"authorization": "Bearer t", "x-forwarded-for": "10.0.0.1"}
    one = request_key("op", {"a": 1}, {**base, "x-request-id": "1"})
    assert one == request_key("op", {"a": 1}, {**base, "x-request-id": "2"})
    assert one != request_key("op", {"a": 1}, {**base, "authorization": "Bearer u"})
