"""The two operations measured, the demo accounts they run as, and the direct-call baseline."""

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

__all__ = ["OPERATIONS", "DirectCalls", "login", "record"]

PASSWORD = "healthbook-demo"  # noqa: S105 - the documented demo password

DOCTOR_SEARCH = """query DoctorSearch {
  doctors(filter: { availableWithinDays: 14 }) {
    totalCount
    nodes { id name city specializations { name } nextAvailable { start end } }
  }
}"""

MY_APPOINTMENTS = """query MyAppointments {
  myAppointments {
    items {
      id start end status
      doctor { name city clinicAddress specializations { name } nextAvailable { start } }
    }
  }
}"""

# name → (query, who runs it: None for anonymous, else a demo account's email)
OPERATIONS: dict[str, tuple[str, str | None]] = {
    "doctor search with availability": (DOCTOR_SEARCH, None),
    "patient's appointments with doctors": (MY_APPOINTMENTS, "patient@healthbook.local"),
}


async def login(client: httpx.AsyncClient, identity_url: str, email: str) -> str:
    """An access token for a demo account (identity's `login`)."""
    response = await client.post(
        identity_url,
        json={
            "query": "mutation($i: LoginInput!) { login(input: $i) { accessToken } }",
            "variables": {"i": {"email": email, "password": PASSWORD}},
        },
    )
    token: str = response.json()["data"]["login"]["accessToken"]
    return token


@dataclass(frozen=True)
class DirectCalls:
    """The subgraph calls our router makes for one operation, replayed by the client."""

    plan: QueryPlan
    urls: dict[str, str]
    bodies: dict[int, bytes]
    headers: dict[str, str]

    async def replay(self, client: httpx.AsyncClient) -> bool:
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
                headers={"content-type": "application/json", **self.headers},
            )
            return response.status_code == 200 and b'"errors"' not in response.content

        for fetch in self.plan.fetches:
            tasks[fetch.id] = asyncio.ensure_future(one(fetch))
        return all(await asyncio.gather(*tasks.values()))


async def record(
    supergraph: Supergraph, query: str, headers: dict[str, str], client: httpx.AsyncClient
) -> DirectCalls:
    prepared = prepare_operation(supergraph.api_schema, query, None)
    plan = Planner(supergraph).plan(prepared.operation, prepared.fragments, {})
    urls = {g.name: g.url for g in supergraph.graphs.values()}
    bodies: dict[int, bytes] = {}

    async def call(fetch: Fetch, body: dict[str, Any]) -> dict[str, Any]:
        bodies[fetch.id] = orjson.dumps(body)
        response = await client.post(
            urls[fetch.subgraph],
            content=bodies[fetch.id],
            headers={"content-type": "application/json", **headers},
        )
        answer: dict[str, Any] = orjson.loads(response.content)
        return answer

    await execute_plan(plan, {}, call)
    return DirectCalls(plan, urls, bodies, headers)
