"""A client of `appointmentUpdates` over graphql-transport-ws, as the web app and phones use it:
it records every update it hears, and reconnects (noting when) if the socket drops."""

from __future__ import annotations

import asyncio
import contextlib
import time
from dataclasses import dataclass, field
from typing import Any

import orjson
from websockets.asyncio.client import connect
from websockets.exceptions import WebSocketException

SUBSCRIBE = "subscription { appointmentUpdates { action appointment { id status start } } }"


@dataclass
class Update:
    appointment_id: str
    action: str
    at: float  # time.monotonic() when heard


@dataclass
class Subscriber:
    """`asyncio.create_task(subscriber.run())`; `subscriber.updates` fills as changes happen."""

    router: str  # http://host:port
    token: str
    name: str
    updates: list[Update] = field(default_factory=list)
    errors: list[Any] = field(default_factory=list)
    subscribed_at: list[float] = field(default_factory=list)  # each (re)subscription
    dropped_at: list[float] = field(default_factory=list)

    def connected_at(self, moment: float, *, reopen: float = 5.0, deliver: float = 2.0) -> bool:
        """Whether the subscription was live at `moment` (monotonic) and stayed so long
        enough to hear of it: from the first update it heard (no message says when the
        router's upstream subscription is open), and `reopen` seconds past a re-subscription
        (right after an outage the subgraph's Redis client is still backing off before it
        subscribes again), until `deliver` seconds before it dropped (a change committed
        just before Redis was cut is published after the commit, into the cut)."""
        live_from = self.updates[0].at if self.updates else float("inf")
        for index, began in enumerate(self.subscribed_at):
            later = [d for d in self.dropped_at if d >= began]
            ended = later[0] if later else float("inf")
            if max(live_from, began + (0.0 if index == 0 else reopen)) <= moment < ended - deliver:
                return True
        return False

    @property
    def url(self) -> str:
        return self.router.replace("http://", "ws://") + "/graphql"

    async def run(self) -> None:
        while True:
            with contextlib.suppress(OSError, WebSocketException, TimeoutError):
                await self._once()
            self.dropped_at.append(time.monotonic())
            await asyncio.sleep(0.5)

    async def _once(self) -> None:
        async with connect(self.url, subprotocols=["graphql-transport-ws"]) as socket:  # type: ignore[list-item]
            init = {"type": "connection_init", "payload": {"authorization": f"Bearer {self.token}"}}
            await socket.send(orjson.dumps(init).decode())
            ack = orjson.loads(await asyncio.wait_for(socket.recv(), 30))
            if ack.get("type") != "connection_ack":
                self.errors.append(ack)
                return
            subscribe = {"id": "1", "type": "subscribe", "payload": {"query": SUBSCRIBE}}
            await socket.send(orjson.dumps(subscribe).decode())
            self.subscribed_at.append(time.monotonic())
            async for raw in socket:
                message = orjson.loads(raw)
                kind = message.get("type")
                if kind == "ping":
                    await socket.send(orjson.dumps({"type": "pong"}).decode())
                elif kind == "next":
                    self._record(message["payload"])
                elif kind in ("error", "complete"):
                    self.errors.append(message)
                    return

    def _record(self, payload: dict[str, Any]) -> None:
        data = payload.get("data") or {}
        update = data.get("appointmentUpdates")
        if update is None:
            self.errors.append(payload)
            return
        self.updates.append(
            Update(str(update["appointment"]["id"]), str(update["action"]), time.monotonic())
        )


@contextlib.asynccontextmanager
async def subscribed(subscribers: list[Subscriber]) -> Any:
    """Run the subscribers for the duration of the block."""
    tasks = [asyncio.create_task(s.run()) for s in subscribers]
    try:
        yield subscribers
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
