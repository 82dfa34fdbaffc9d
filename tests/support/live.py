"""A client of `appointmentUpdates` over graphql-transport-ws, as the web app and phones use it:
it records every update it hears, and reconnects (noting when) if the socket drops."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Mapping
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

    def periods(self) -> list[tuple[float, float]]:
        """(subscribed, dropped) of each (re)subscription; the last one may still be open."""
        spans = []
        for began in self.subscribed_at:
            later = [d for d in self.dropped_at if d >= began]
            spans.append((began, later[0] if later else float("inf")))
        return spans

    def live_periods(
        self, published_by: Mapping[tuple[str, str], float] | None = None
    ) -> list[tuple[float, float]]:
        """(live from, dropped) of each (re)subscription that was observably live: from
        the first update it heard (no message says when the router's upstream subscription
        is open, and right after an outage the subgraph's Redis client may still be backing
        off), or earlier if `published_by` says that update's change was published sooner
        (its mutation answered before the update arrived). A subscription that never heard
        anything is not in the list: nothing shows it was ever live."""
        published_by = published_by or {}
        spans = []
        for began, ended in self.periods():
            heard = [u for u in self.updates if began <= u.at < ended]
            if heard:
                first = heard[0]
                known = published_by.get((first.appointment_id, first.action), first.at)
                spans.append((max(began, min(first.at, known)), ended))
        return spans

    def owed(
        self,
        made: float,
        published: float,
        published_by: Mapping[tuple[str, str], float] | None = None,
        *,
        deliver: float = 2.0,
    ) -> bool:
        """Whether a change whose request began at `made` and was published by `published`
        (monotonic; a change is published at commit, before its mutation answers) is owed
        to this subscriber: it was observably live before the change began, and stayed up
        `deliver` seconds past its publication (the subgraph reads the change before fanning
        it out, and a cut during that read ends the stream without the update)."""
        return any(
            live_from <= made and published + deliver < ended
            for live_from, ended in self.live_periods(published_by)
        )

    def heard_since_subscribed(self) -> bool:
        """Whether its latest subscription has heard an update (is observably live)."""
        periods = self.periods()
        return bool(periods) and any(u.at >= periods[-1][0] for u in self.updates)

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
