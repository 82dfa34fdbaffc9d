"""Healthbook as processes behind a real reverse proxy (http-proxy, appending to
`X-Forwarded-For` as production proxies do, round robin over two routers): whatever a client
writes in `X-Forwarded-For`, the login limit and the audit trail see the address its
connection came from, over HTTP and over WebSockets, and a client that skips the proxy is
its own socket's address.

Distinct loopback addresses make the trust meaningful: the client connects from 127.0.0.2,
the proxy listens on and connects out from 127.0.0.3, the routers trust exactly 127.0.0.3/32
and listen on 127.0.0.1."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from contextlib import ExitStack, asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx
import orjson
import pytest
from websockets.asyncio.client import ClientConnection, connect
from websockets.typing import Subprotocol

from healthbook.components import present_subgraphs
from tests.support.forwarding_proxy import ForwardingProxy, forwarding_proxy
from tests.support.graphql import GraphQLClient
from tests.support.node import require_node_package
from tests.support.processes import free_ports, healthbook, wait_ready
from tests.support.proxy import free_port

CLIENT = "127.0.0.2"  # the client behind the proxy
PROXY = "127.0.0.3"  # the proxy, the only address the routers trust
STRAIGHT = "127.0.0.4"  # another client, reaching a router without the proxy
FORGED = "127.66.9.9"
LIMIT = 4  # failed logins per client address per hour
DEMO_PASSWORD = "healthbook-demo"
PATIENT = "patient@healthbook.local"
LOGIN = "mutation($i: LoginInput!) { login(input: $i) { accessToken } }"
AUDIT = """
query($since: DateTime!) {
  auditEvents(filter: {action: LOGIN, since: $since}, first: 100) {
    nodes { outcome email clientAddress }
  }
}"""
TRAIL = """
query($since: DateTime!) {
  auditTrail(filter: {action: "AUTHENTICATION_LOGIN", since: $since}, first: 100) {
    nodes { clientAddress }
  }
}"""


@dataclass(frozen=True)
class Stack:
    routers: list[str]  # base URLs, straight to each router
    proxy: ForwardingProxy


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """`healthbook up --seed` (every subgraph and a router) plus a second router process
    (`healthbook serve router`) on the same subgraphs, both behind the proxy."""
    require_node_package("http-proxy")
    tmp = tmp_path_factory.mktemp("behind-a-proxy")
    ports = free_ports()
    env = {
        **ports,
        "HEALTHBOOK_DATA_DIR": str(tmp / "data"),
        "HEALTHBOOK_SIGNING_KEY": "behind-a-proxy-test-signing-key",  # both routers sign
        "LOG_LEVEL": "WARNING",
        "ROUTER_TRUSTED_PROXIES": f"{PROXY}/32",
        "LOGIN_MAX_FAILURES_PER_ADDRESS_PER_HOUR": str(LIMIT),
    }
    subgraphs = {
        f"ROUTER_SUBGRAPH_{name.upper()}_URL": f"http://127.0.0.1:{ports[f'{name.upper()}_PORT']}/graphql"
        for name in present_subgraphs()
    }
    second_port = free_port()
    routers = [f"http://127.0.0.1:{port}" for port in (ports["ROUTER_PORT"], second_port)]
    with ExitStack() as stack:
        up = stack.enter_context(healthbook(["up", "--seed"], env, tmp / "up.log"))
        second = stack.enter_context(
            healthbook(
                ["serve", "router", "--port", str(second_port)],
                {**env, **subgraphs},
                tmp / "router-2.log",
            )
        )
        wait_ready(f"{routers[0]}/health/ready", up, tmp / "up.log", 180)
        wait_ready(f"{routers[1]}/health/ready", second, tmp / "router-2.log", 180)
        proxy = stack.enter_context(
            forwarding_proxy(*routers, listen=PROXY, local=PROXY, log=tmp / "proxy.log")
        )
        yield Stack(routers=routers, proxy=proxy)


def _outcome(body: dict[str, Any]) -> str:
    """The outcome: "signed in", or the first error's code."""
    if body.get("errors"):
        return str(body["errors"][0].get("extensions", {}).get("code"))
    assert body["data"]["login"]["accessToken"], body
    return "signed in"


def _variables(email: str, password: str) -> dict[str, Any]:
    return {"i": {"email": email, "password": password}}


async def _login(
    http: httpx.AsyncClient, url: str, email: str, password: str, forged: str
) -> tuple[int, str]:
    response = await http.post(
        f"{url}/graphql",
        json={"query": LOGIN, "variables": _variables(email, password)},
        headers={"X-Forwarded-For": forged},
    )
    return response.status_code, _outcome(response.json())


def _from(address: str) -> httpx.AsyncClient:
    """A client whose connections leave from `address`."""
    return httpx.AsyncClient(transport=httpx.AsyncHTTPTransport(local_address=address), timeout=30)


@asynccontextmanager
async def _socket(url: str, *, forged: str) -> AsyncIterator[ClientConnection]:
    """A graphql-transport-ws connection from CLIENT, acknowledged, its upgrade forging
    `X-Forwarded-For`."""
    async with connect(
        url.replace("http://", "ws://") + "/graphql",
        subprotocols=[Subprotocol("graphql-transport-ws")],
        additional_headers={"X-Forwarded-For": forged},
        local_addr=(CLIENT, 0),
        open_timeout=30,
    ) as socket:
        await socket.send(orjson.dumps({"type": "connection_init", "payload": {}}).decode())
        assert orjson.loads(await socket.recv(decode=False))["type"] == "connection_ack"
        yield socket


async def _login_over(socket: ClientConnection, operation: str, email: str, password: str) -> str:
    message = {
        "id": operation,
        "type": "subscribe",
        "payload": {"query": LOGIN, "variables": _variables(email, password)},
    }
    await socket.send(orjson.dumps(message).decode())
    outcome = None
    while True:
        answer = orjson.loads(await socket.recv(decode=False))
        if answer.get("id") != operation:
            continue
        if answer["type"] == "next":
            outcome = _outcome(answer["payload"])
        elif answer["type"] == "error":
            return str(answer["payload"][0].get("extensions", {}).get("code"))
        elif answer["type"] == "complete":
            assert outcome is not None
            return outcome


async def _trail_addresses(admin: GraphQLClient, since: str, n: int) -> Counter[str]:
    """The client addresses of the trail's login entries since `since`, once it holds `n`."""
    found: list[dict[str, str]] = []
    for _ in range(150):  # a bound against hanging, not a timing assertion
        found = (await admin.execute(TRAIL, since=since))["auditTrail"]["nodes"]
        if len(found) >= n:
            break
        await asyncio.sleep(0.2)
    return Counter(entry["clientAddress"] for entry in found)


@pytest.mark.timeout(300)
async def test_a_forged_forwarded_for_is_the_connections_address_for_the_limit_and_the_audit(
    stack: Stack,
) -> None:
    since = datetime.now(UTC).isoformat()
    async with _socket(stack.proxy.url, forged=FORGED) as socket:
        # Over the WebSocket through the proxy: a sign-in (gives its attempt back) and a guess.
        assert await _login_over(socket, "s1", PATIENT, DEMO_PASSWORD) == "signed in"
        assert await _login_over(socket, "s2", "ws-guess@example.org", "wrong") == "UNAUTHENTICATED"
        # Over HTTP through the proxy, forging another first entry each time: the guesses
        # share the one budget of CLIENT with the socket's, whichever router they reach.
        async with _from(CLIENT) as http:
            answers = [
                await _login(
                    http, stack.proxy.url, f"guess{n}@example.org", "wrong", f"127.66.9.{n}"
                )
                for n in range(LIMIT)
            ]
            assert answers == [(200, "UNAUTHENTICATED")] * (LIMIT - 1) + [(200, "RATE_LIMITED")]
            # Straight to a router (not the trusted proxy), the header is not believed either.
            straight = await _login(http, stack.routers[1], "straight@example.org", "wrong", FORGED)
            assert straight == (200, "RATE_LIMITED")
        # The socket still open meets the same limit.
        assert await _login_over(socket, "s3", "ws-late@example.org", "wrong") == "RATE_LIMITED"
    async with _from(STRAIGHT) as other:
        elsewhere = await _login(other, stack.routers[0], "other@example.org", "wrong", FORGED)
        assert elsewhere == (200, "UNAUTHENTICATED")  # its own budget: it is not CLIENT

    admin = await GraphQLClient(f"{stack.routers[0]}/graphql").login(
        "admin@healthbook.local", DEMO_PASSWORD
    )
    nodes = (await admin.execute(AUDIT, since=since))["auditEvents"]["nodes"]
    audited = Counter(
        (n["outcome"], n["email"], n["clientAddress"])
        for n in nodes
        if n["email"] != "admin@healthbook.local"
    )
    assert audited == Counter(
        [
            ("SUCCESS", PATIENT, CLIENT),
            ("FAILURE", "ws-guess@example.org", CLIENT),
            *[("FAILURE", f"guess{n}@example.org", CLIENT) for n in range(LIMIT - 1)],
            ("THROTTLED", f"guess{LIMIT - 1}@example.org", CLIENT),
            ("THROTTLED", "straight@example.org", CLIENT),
            ("THROTTLED", "ws-late@example.org", CLIENT),
            ("FAILURE", "other@example.org", STRAIGHT),
        ]
    ), audited
    # The hash-chained trail (fed through identity's outbox) names the same addresses.
    expected = Counter(n["clientAddress"] for n in nodes)  # the admin's own sign-in too
    assert await _trail_addresses(admin, since, sum(expected.values())) == expected
    # Round robin: both routers served requests through the proxy, the socket included.
    targets = stack.proxy.targets()
    assert set(targets) == set(stack.routers), targets
    assert len(targets) == 1 + LIMIT, targets
