"""GraphQL over SSE through the router: events completed from other subgraphs, the header
token, keep-alive comments, failures and expiry as a last error event."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import orjson
import pytest

from subgraphs.shared.auth import Role
from tests.router.subscriptions.support import SUBSCRIBE, ExpiringSoon, federation, update
from tests.support.tokens import bearer, make_test_tokens

pytestmark = pytest.mark.timeout(60)

SSE = {"accept": "text/event-stream", "content-type": "application/json"}


async def events(response: httpx.Response) -> AsyncIterator[tuple[str, Any]]:
    """(event name, decoded data) for each SSE event; comments come as ("comment", text)."""
    event = ""
    async for line in response.aiter_lines():
        if line.startswith(":"):
            yield "comment", line[1:].strip()
        elif line.startswith("event: "):
            event = line[len("event: ") :]
        elif line.startswith("data: "):
            data = line[len("data: ") :]
            yield event, orjson.loads(data) if data else None


async def test_an_sse_subscription_gets_federated_events_then_complete() -> None:
    authenticator, mint = make_test_tokens()
    token = bearer(mint(uuid.uuid4(), Role.PATIENT))
    async with (
        federation(authenticator=authenticator) as (appointments, address),
        httpx.AsyncClient(timeout=20) as http,
        http.stream(
            "POST", f"http://{address}/graphql", json={"query": SUBSCRIBE}, headers=SSE | token
        ) as response,
    ):
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        stream = events(response)
        assert await anext(stream) == ("comment", "connected")
        await asyncio.wait_for(appointments.connected.wait(), 20)
        forwarded = appointments.subscribed[0]["extensions"]["forwarded"]
        assert forwarded["authorization"] == token["Authorization"]
        await appointments.script.put(update())
        name, data = await anext(stream)
        assert name == "next"
        doctor = data["data"]["appointmentUpdates"]["appointment"]["doctor"]
        assert doctor == {"name": "Dr. Ada Lovelace", "specializations": [{"name": "Cardiology"}]}
        await appointments.script.put("complete")
        assert await anext(stream) == ("complete", None)


async def test_a_refusing_upstream_ends_the_stream_with_an_error_event() -> None:
    async with (
        federation(ping_seconds=0.2) as (appointments, address),
        httpx.AsyncClient(timeout=20) as http,
        http.stream(
            "POST", f"http://{address}/graphql", json={"query": SUBSCRIBE}, headers=SSE
        ) as response,
    ):
        stream = events(response)
        await anext(stream)
        await asyncio.wait_for(appointments.connected.wait(), 20)
        assert await anext(stream) == ("comment", "ping")  # keep-alive while idle
        await appointments.script.put("error")
        received = [item async for item in stream if item[0] != "comment"]
        assert received[0][0] == "next"
        code = received[0][1]["errors"][0]["extensions"]["code"]
        assert code == "SUBSCRIPTION_UPSTREAM_FAILED"
        assert received[-1] == ("complete", None)


async def test_an_expiring_token_ends_the_sse_stream_with_unauthenticated() -> None:
    token = {"Authorization": "Bearer soon-expired"}
    async with (
        federation(authenticator=ExpiringSoon()) as (appointments, address),
        httpx.AsyncClient(timeout=20) as http,
        http.stream(
            "POST", f"http://{address}/graphql", json={"query": SUBSCRIBE}, headers=SSE | token
        ) as response,
    ):
        received = [item async for item in events(response) if item[0] != "comment"]
        assert received[0][1]["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
        assert received[-1] == ("complete", None)
        await asyncio.wait_for(appointments.completed_by_router.wait(), 20)


async def test_sse_refuses_bad_tokens_csrf_and_invalid_operations_before_streaming() -> None:
    authenticator, _mint = make_test_tokens()
    async with (
        federation(authenticator=authenticator) as (_appointments, address),
        httpx.AsyncClient(timeout=20) as http,
    ):
        url = f"http://{address}/graphql"
        forged = await http.post(url, json={"query": SUBSCRIBE}, headers=SSE | bearer("x"))
        assert forged.status_code == 401
        simple = await http.get(url, params={"query": SUBSCRIBE}, headers={"accept": SSE["accept"]})
        assert simple.json()["errors"][0]["extensions"]["code"] == "CSRF_PREVENTED"
        invalid = await http.post(url, json={"query": "subscription { nope }"}, headers=SSE)
        assert invalid.status_code == 400
        assert invalid.json()["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"


async def test_a_query_over_sse_is_one_event_then_complete() -> None:
    async with (
        federation() as (_appointments, address),
        httpx.AsyncClient(timeout=20) as http,
        http.stream(
            "GET",
            f"http://{address}/graphql",
            params={"query": "{ __typename }"},
            headers={"accept": "text/event-stream", "x-healthbook-csrf": "1"},
        ) as response,
    ):
        received = [item async for item in events(response) if item[0] != "comment"]
        assert received == [("next", {"data": {"__typename": "Query"}}), ("complete", None)]
