"""Live updates across processes: a change made on one server reaches a subscriber on another.

Two appointments servers (separate processes on loopback) share the store and a real Redis
(under a private key prefix); the subscriber speaks graphql-transport-ws to one, the change
is made through the other.
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
import redis.asyncio as aioredis
from websockets.asyncio.client import ClientConnection, connect
from websockets.typing import Subprotocol

from subgraphs.appointments.domain import Actor
from subgraphs.appointments.service import lifecycle as service
from subgraphs.appointments.service import live
from subgraphs.shared.database import Database
from tests.integration.appointments.support import Clock, FakeAvailability, make_deps, patient
from tests.support.suite_logs import keep
from tests.support.tokens import Minter, make_test_tokens

pytestmark = pytest.mark.redis

REPO = Path(__file__).resolve().parents[3]
SUBSCRIBE = "subscription { appointmentUpdates { action appointment { id status } } }"
BOUND_SECONDS = 30  # an upper bound against hanging, never a timing assertion


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def server(env: dict[str, str], log: Path) -> Iterator[str]:
    """One appointments server process; yields its base URL once it answers."""
    port = free_port()
    with log.open("w") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "tests.integration.appointments.instance", str(port)],
            cwd=REPO,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        yield f"127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=BOUND_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        keep(log)


async def wait_until_live(address: str) -> None:
    async with httpx.AsyncClient() as client:
        for _ in range(BOUND_SECONDS * 10):
            try:
                if (await client.get(f"http://{address}/health/live")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.1)
    raise AssertionError(f"the server at {address} never answered")


async def wait_for_subscribers(redis_url: str, channel: str, count: int) -> None:
    client = aioredis.Redis.from_url(redis_url)
    try:
        for _ in range(BOUND_SECONDS * 10):
            [(_name, subscribers)] = await client.pubsub_numsub(channel)
            if subscribers >= count:
                return
            await asyncio.sleep(0.1)
    finally:
        await client.aclose()
    raise AssertionError(f"nobody subscribed to {channel}")


@asynccontextmanager
async def subscribed(address: str, token: str) -> AsyncIterator[ClientConnection]:
    async with connect(
        f"ws://{address}/graphql", subprotocols=[Subprotocol("graphql-transport-ws")]
    ) as ws:
        await ws.send(
            json.dumps({"type": "connection_init", "payload": {"authorization": f"Bearer {token}"}})
        )
        ack = json.loads(await asyncio.wait_for(ws.recv(), BOUND_SECONDS))
        assert ack["type"] == "connection_ack", ack
        await ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": {"query": SUBSCRIBE}}))
        yield ws


async def next_update(ws: ClientConnection) -> dict[str, Any]:
    message = json.loads(await asyncio.wait_for(ws.recv(), BOUND_SECONDS))
    assert message["type"] == "next", message
    update: dict[str, Any] = message["payload"]["data"]["appointmentUpdates"]
    return update


def environment(
    db: Database, redis_url: str, prefix: str, mint: Minter, data: Path
) -> dict[str, str]:
    return {
        **os.environ,
        "PYTHONPATH": str(REPO),
        "HEALTHBOOK_DATA_DIR": str(data),
        "APPOINTMENTS_DATABASE_URL": db.engine.url.render_as_string(hide_password=False),
        "REDIS_URL": redis_url,
        "REDIS_PREFIX": prefix,
        "TEST_JWKS": json.dumps(mint.jwks()),
        "HEALTHBOOK_SIGNING_KEY": "",
    }


async def test_a_change_on_one_process_reaches_subscribers_on_another(
    db: Database, availability: FakeAvailability, redis_url: str, tmp_path: Path
) -> None:
    now = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    doctor = availability.add()
    dr, who = availability.user_of(doctor), patient()
    row = await service.book(
        deps=make_deps(db, availability=availability, clock=Clock(now)),
        actor=who,
        doctor_id=doctor,
        start=now + timedelta(days=3),
        reason=None,
        idempotency_key="k",
    )
    _, mint = make_test_tokens()
    prefix = f"hb-test-{uuid.uuid4().hex}:"
    env = environment(db, redis_url, prefix, mint, tmp_path / "data")
    with server(env, tmp_path / "a.log") as first, server(env, tmp_path / "b.log") as second:
        await asyncio.gather(wait_until_live(first), wait_until_live(second))
        async with (
            subscribed(second, mint(who.user_id, who.role)) as patient_ws,
            subscribed(first, mint(dr.user_id, dr.role)) as doctor_ws,
            subscribed(second, mint(patient().user_id, who.role)) as stranger_ws,
        ):
            for user in (who, dr):
                await wait_for_subscribers(redis_url, prefix + live.user_channel(user.user_id), 1)
            await confirm_through(first, mint, dr, row.id)
            expected = {
                "action": "CONFIRMED",
                "appointment": {"id": str(row.id), "status": "CONFIRMED"},
            }
            assert await next_update(patient_ws) == expected
            assert await next_update(doctor_ws) == expected
            await assert_heard_nothing(stranger_ws)


async def confirm_through(address: str, mint: Minter, dr: Actor, appointment_id: uuid.UUID) -> None:
    async with httpx.AsyncClient() as client:
        response = await client.post(
            f"http://{address}/graphql",
            json={
                "query": "mutation($id: ID!) { confirmAppointment(id: $id) { status } }",
                "variables": {"id": str(appointment_id)},
            },
            headers={"Authorization": f"Bearer {mint(dr.user_id, dr.role)}"},
        )
    assert response.json() == {"data": {"confirmAppointment": {"status": "CONFIRMED"}}}


async def assert_heard_nothing(ws: ClientConnection) -> None:
    """A patient with no part in the appointment heard nothing: their stream is still empty."""
    await ws.send(json.dumps({"type": "ping"}))
    reply = json.loads(await asyncio.wait_for(ws.recv(), BOUND_SECONDS))
    assert reply["type"] == "pong", reply
