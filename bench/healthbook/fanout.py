"""Subscription fan-out: N patient devices subscribed through the router, one reschedule by
the doctor, the time until every device has the update (doctor fields resolved per event)."""

from __future__ import annotations

import asyncio
import statistics
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import orjson
from websockets.asyncio.client import ClientConnection, connect
from websockets.typing import Subprotocol

__all__ = ["FanOut", "fan_out"]

PATIENT = "patient@healthbook.local"
DOCTOR = "dr.silva@healthbook.local"
SUBSCRIPTION = (
    "subscription { appointmentUpdates { action appointment { id start "
    "doctor { name specializations { name } } } } }"
)
RESCHEDULE = "mutation($i: RescheduleAppointmentInput!) { rescheduleAppointment(input: $i) { id } }"


@dataclass(frozen=True)
class FanOut:
    subscribers: int
    rounds: list[list[float]]  # per measured change: each subscriber's delay in seconds

    def cells(self) -> list[str]:
        last = [max(r) * 1000 for r in self.rounds]
        medians = [statistics.median(r) * 1000 for r in self.rounds]
        return [
            str(self.subscribers),
            str(len(self.rounds)),
            f"{statistics.median(medians):.1f}",
            f"{statistics.median(last):.1f}",
            f"{max(last):.1f}",
        ]


HEADER = ["subscribers", "changes", "median delay ms", "all received ms (median)", "worst ms"]


async def _graphql(client: httpx.AsyncClient, url: str, token: str, query: str, **v: Any) -> Any:
    response = await client.post(
        url,
        json={"query": query, "variables": v},
        headers={"authorization": f"Bearer {token}"},
    )
    body = response.json()
    if "errors" in body:
        raise RuntimeError(body["errors"])
    return body["data"]


async def fan_out(
    router: str, tokens: dict[str, str], subscribers: int, *, changes: int = 3
) -> FanOut:
    """Measure `changes` reschedules heard by `subscribers` sockets on `router` (host:port)."""
    url = f"http://{router}/graphql"
    patient, doctor = tokens[PATIENT], tokens[DOCTOR]
    async with httpx.AsyncClient(timeout=60) as client:
        mine = await _graphql(client, url, doctor, "{ myDoctorProfile { id } }")
        doctor_id = mine["myDoctorProfile"]["id"]
        visits = await _graphql(
            client, url, patient, "{ myAppointments { items { id doctor { id } } } }"
        )
        visit = next(v for v in visits["myAppointments"]["items"] if v["doctor"]["id"] == doctor_id)
        now = datetime.now(UTC)
        slots = await _graphql(
            client,
            url,
            doctor,
            "query($d: ID!, $f: DateTime!, $t: DateTime!) "
            "{ availableSlots(doctorId: $d, from: $f, to: $t) { start } }",
            d=doctor_id,
            f=(now + timedelta(days=1)).isoformat(),
            t=(now + timedelta(days=60)).isoformat(),
        )
        starts = iter([s["start"] for s in slots["availableSlots"]])
        heard: list[float] = []
        round_done = asyncio.Event()

        async def device(socket: ClientConnection) -> None:
            async for raw in socket:
                message = orjson.loads(raw)
                if message.get("type") == "next":
                    heard.append(time.perf_counter())
                    if len(heard) >= subscribers:
                        round_done.set()
                elif message.get("type") == "ping":
                    await socket.send('{"type":"pong"}')

        sockets = []
        try:
            for _ in range(subscribers):
                socket = await connect(
                    f"ws://{router}/graphql",
                    subprotocols=[Subprotocol("graphql-transport-ws")],
                    max_queue=None,
                )
                sockets.append(socket)
                init = {
                    "type": "connection_init",
                    "payload": {"authorization": f"Bearer {patient}"},
                }
                await socket.send(orjson.dumps(init).decode())
                await socket.recv()  # connection_ack
                subscribe = {"id": "1", "type": "subscribe", "payload": {"query": SUBSCRIPTION}}
                await socket.send(orjson.dumps(subscribe).decode())
            readers = [asyncio.create_task(device(s)) for s in sockets]

            async def change() -> float:
                heard.clear()
                round_done.clear()
                started = time.perf_counter()
                await _graphql(
                    client, url, doctor, RESCHEDULE, i={"id": visit["id"], "start": next(starts)}
                )
                return started

            # Warm-up changes until every device hears one (upstream subscriptions are open).
            for _ in range(10):
                await change()
                try:
                    await asyncio.wait_for(round_done.wait(), 10)
                    break
                except TimeoutError:
                    continue
            else:
                raise RuntimeError(f"only {len(heard)} of {subscribers} devices hear changes")
            rounds = []
            for _ in range(changes):
                started = await change()
                await asyncio.wait_for(round_done.wait(), 120)
                rounds.append([t - started for t in heard[:subscribers]])
            for reader in readers:
                reader.cancel()
            return FanOut(subscribers, rounds)
        finally:
            await asyncio.gather(*(s.close() for s in sockets), return_exceptions=True)
