"""The limit: the very subgraph calls our router makes for the query, made by the client.

The calls (and their order: a fetch starts when those it depends on are done) are
recorded once through the router's own planner and executor, then replayed as they are.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

import httpx
import orjson

from router.document import prepare_operation
from router.executor import execute_plan
from router.plan import Fetch, QueryPlan
from router.planner import Planner
from router.supergraph import Supergraph

__all__ = ["RecordedCalls", "record"]


@dataclass(frozen=True)
class RecordedCalls:
    plan: QueryPlan
    urls: dict[str, str]
    bodies: dict[int, bytes]
    answers: dict[int, bytes]

    async def replay(self, client: httpx.AsyncClient) -> bool:
        """Make every call, dependencies first; True when each answer is the recorded one."""
        tasks: dict[int, asyncio.Task[bool]] = {}

        async def one(fetch: Fetch) -> bool:
            if fetch.depends_on:
                await asyncio.gather(*(tasks[d] for d in fetch.depends_on))
            body = self.bodies.get(fetch.id)
            if body is None:
                return True
            response = await client.post(
                self.urls[fetch.subgraph],
                content=body,
                headers={"content-type": "application/json"},
            )
            return response.content == self.answers[fetch.id]

        for fetch in self.plan.fetches:
            tasks[fetch.id] = asyncio.ensure_future(one(fetch))
        return all(await asyncio.gather(*tasks.values()))


async def record(supergraph: Supergraph, query: str) -> RecordedCalls:
    prepared = prepare_operation(supergraph.api_schema, query, None)
    plan = Planner(supergraph).plan(prepared.operation, prepared.fragments, {})
    urls = {g.name: g.url for g in supergraph.graphs.values()}
    bodies: dict[int, bytes] = {}
    answers: dict[int, bytes] = {}
    async with httpx.AsyncClient() as client:

        async def call(fetch: Fetch, body: dict[str, Any]) -> dict[str, Any]:
            bodies[fetch.id] = orjson.dumps(body)
            response = await client.post(
                urls[fetch.subgraph],
                content=bodies[fetch.id],
                headers={"content-type": "application/json"},
            )
            answers[fetch.id] = response.content
            answer: dict[str, Any] = orjson.loads(response.content)
            return answer

        await execute_plan(plan, {}, call)
    return RecordedCalls(plan, urls, bodies, answers)
