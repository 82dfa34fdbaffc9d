"""A subgraph answers GraphQL over GET and over WebSocket (graphql-transport-ws), and
continues the caller's trace into the events it records."""

from __future__ import annotations

import dataclasses
import urllib.parse
from collections.abc import Iterator

import pytest
from sqlmodel import select
from starlette.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from subgraphs.identity.app import SPEC
from subgraphs.shared.app import create_subgraph_app
from subgraphs.shared.migrations import upgrade
from subgraphs.shared.outbox import OutboxMessage
from subgraphs.shared.resources import Resources
from subgraphs.shared.settings import Settings
from subgraphs.shared.signing import SIGNATURE_HEADER, sign
from subgraphs.shared.telemetry import configure_tracing

KEY = "transport-test-key"
TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736"


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    settings = dataclasses.replace(settings, signing_key=KEY)
    upgrade("identity", settings.database_urls["identity"])
    app = create_subgraph_app(SPEC, Resources.open("identity", settings))
    with TestClient(app, base_url="http://identity") as test_client:
        yield test_client


def test_queries_are_served_over_get_when_signed(client: TestClient) -> None:
    query_string = urllib.parse.urlencode({"query": "{ _service { sdl } }"})
    headers = {SIGNATURE_HEADER: sign(query_string.encode(), key=KEY)}
    response = client.get(f"/graphql?{query_string}", headers=headers)
    assert response.status_code == 200
    assert "type User" in response.json()["data"]["_service"]["sdl"]


def test_websocket_speaks_graphql_transport_ws(client: TestClient) -> None:
    headers = {SIGNATURE_HEADER: sign(b"", key=KEY)}
    with client.websocket_connect(
        "/graphql", subprotocols=["graphql-transport-ws"], headers=headers
    ) as socket:
        socket.send_json({"type": "connection_init", "payload": {}})
        assert socket.receive_json()["type"] == "connection_ack"
        socket.send_json(
            {"id": "1", "type": "subscribe", "payload": {"query": "{ identityReady }"}}
        )
        assert socket.receive_json() == {
            "id": "1",
            "type": "next",
            "payload": {"data": {"identityReady": True}},
        }
        assert socket.receive_json() == {"id": "1", "type": "complete"}


def test_unsigned_websockets_are_refused(client: TestClient) -> None:
    with (
        pytest.raises(WebSocketDisconnect) as refused,
        client.websocket_connect("/graphql", subprotocols=["graphql-transport-ws"]),
    ):
        pass
    assert refused.value.code == 4403


def test_the_callers_trace_continues_into_recorded_events(
    client: TestClient, settings: Settings
) -> None:
    configure_tracing(service_name="tests", namespace="tests", otlp_endpoint="")
    body = (
        b'{"query": "mutation { register(input: {email: \\"tr@example.org\\", '
        b'password: \\"long enough\\", name: \\"Tr\\"}) { user { id } } }"}'
    )
    headers = {
        "content-type": "application/json",
        "traceparent": f"00-{TRACE_ID}-00f067aa0ba902b7-01",
        SIGNATURE_HEADER: sign(body, key=KEY),
    }
    response = client.post("/graphql", content=body, headers=headers)
    assert "errors" not in response.json(), response.text

    async def recorded() -> list[OutboxMessage]:
        resources = Resources.open("identity", settings)
        async with resources.database.session() as session:
            query = select(OutboxMessage).where(OutboxMessage.event_type == "UserRegistered")
            rows = list((await session.exec(query)).all())
        await resources.close()
        return rows

    (row,) = client.portal.call(recorded) if client.portal else []
    assert row.traceparent is not None
    assert row.traceparent.split("-")[1] == TRACE_ID
