"""Identical in-flight subgraph queries share one exchange; mutations never do."""

from __future__ import annotations

import asyncio

import httpx
import orjson

from router.edge.dedupe import DeduplicatingTransport


class SlowSubgraph(httpx.AsyncBaseTransport):
    def __init__(self) -> None:
        self.calls = 0
        self.release = asyncio.Event()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.calls += 1
        await self.release.wait()
        return httpx.Response(200, json={"data": {"n": self.calls}})


async def _together(transport: DeduplicatingTransport, bodies: list[tuple[str, str]]) -> list[int]:
    inner = transport.inner
    assert isinstance(inner, SlowSubgraph)
    async with httpx.AsyncClient(transport=transport) as client:
        tasks = [
            asyncio.create_task(
                client.post(
                    "http://doctors/graphql",
                    content=orjson.dumps({"query": query}),
                    headers={"authorization": auth, "x-healthbook-signature": f"t={i}"},
                )
            )
            for i, (query, auth) in enumerate(bodies)
        ]
        while inner.calls == 0 or transport.shared + inner.calls < len(bodies):
            await asyncio.sleep(0.001)
        inner.release.set()
        responses = await asyncio.gather(*tasks)
    return [r.json()["data"]["n"] for r in responses]


async def test_identical_concurrent_queries_are_sent_once() -> None:
    transport = DeduplicatingTransport(SlowSubgraph())
    answers = await _together(transport, [("query { a }", "Bearer x")] * 5)
    assert answers == [1] * 5
    assert transport.shared == 4
    assert transport.in_flight == {}


async def test_mutations_and_other_callers_are_never_shared() -> None:
    inner = SlowSubgraph()
    transport = DeduplicatingTransport(inner)
    bodies = [
        ("mutation { book }", "Bearer x"),
        ("mutation { book }", "Bearer x"),
        ("query { a }", "Bearer x"),
        ("query { a }", "Bearer y"),
    ]
    await _together(transport, bodies)
    assert inner.calls == 4
    assert transport.shared == 0
