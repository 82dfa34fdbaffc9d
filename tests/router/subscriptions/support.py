"""A scripted appointments subgraph speaking graphql-transport-ws, canned doctors over HTTP,
and our router in front of them, all in the test's event loop on loopback ports."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import time
import uuid
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import httpx
import orjson
import uvicorn
from starlette.applications import Starlette
from starlette.routing import WebSocketRoute
from starlette.websockets import WebSocket, WebSocketDisconnect

from healthbook.gateway import request_signer
from router.app import create_app
from router.config import RouterConfig
from router.edge.config import EdgeConfig
from router.edge.guard import Edge
from router.supergraph import load_supergraph
from router.testing.servers import free_port
from subgraphs.shared.auth import Authenticator, Principal, Role
from subgraphs.shared.signing import SIGNATURE_HEADER, operation_bytes, verify

SUPERGRAPH = Path(__file__).resolve().parents[3] / "schema" / "supergraph.graphql"
KEY = "test-signing-key"
DOCTOR_ID = "0b7c9c1e-0000-4000-8000-000000000001"
SUBSCRIBE = (
    "subscription { appointmentUpdates { action appointment { id start "
    "doctor { name specializations { name } } } } }"
)


class ExpiringSoon:
    """Admits any bearer token as a patient whose token expires a second after it is checked
    (load on the machine cannot make it expire before the connection is accepted)."""

    async def authenticate(self, authorization: str | None) -> Principal | None:
        if not authorization:
            return None
        return Principal(user_id=uuid.uuid4(), role=Role.PATIENT, claims={"exp": time.time() + 1.0})


def update(action: str = "RESCHEDULED", start: str = "2030-01-07T09:00:00+00:00") -> Any:
    """An `appointmentUpdates` event as the appointments subgraph sends it."""
    return {
        "data": {
            "appointmentUpdates": {
                "action": action,
                "appointment": {
                    "id": "a1",
                    "start": start,
                    "status": "CONFIRMED",
                    "doctor": {"__typename": "Doctor", "id": DOCTOR_ID},
                },
            }
        }
    }


@dataclasses.dataclass
class ScriptedSubgraph:
    """The appointments side, multiplexed as the router speaks to it: any number of
    subscriptions on one socket. The test puts what to send on `script`; it records the rest.

    Script items: a dict (sent as `next` to every active subscription), ("next", id, dict)
    (to one), "complete", "error" (to every active subscription), or "drop" (the socket
    closed without completing anything).
    """

    script: asyncio.Queue[Any] = dataclasses.field(default_factory=asyncio.Queue)
    inits: list[Any] = dataclasses.field(default_factory=list)
    subscribed: list[Any] = dataclasses.field(default_factory=list)
    signed: list[bool] = dataclasses.field(default_factory=list)
    # Per subscribe: its forwarded headers carry a valid signature of them and the operation.
    signed_subscriptions: list[bool] = dataclasses.field(default_factory=list)
    active: dict[str, Any] = dataclasses.field(default_factory=dict)
    completed: list[str] = dataclasses.field(default_factory=list)
    completed_by_router: asyncio.Event = dataclasses.field(default_factory=asyncio.Event)
    connected: asyncio.Event = dataclasses.field(default_factory=asyncio.Event)
    changed: asyncio.Event = dataclasses.field(default_factory=asyncio.Event)
    refuse: bool = False  # refuse new sockets (HTTP 403), as a subgraph that stays down
    router_streams: Any = None  # the router's StreamService (set by `federation`)

    def app(self) -> Starlette:
        return Starlette(routes=[WebSocketRoute("/graphql", self.serve)])

    async def wait_for(self, condition: Callable[[], bool], seconds: float = 20) -> None:
        async with asyncio.timeout(seconds):
            while not condition():
                self.changed.clear()
                await self.changed.wait()

    async def serve(self, websocket: WebSocket) -> None:
        if self.refuse:
            await websocket.close()
            return
        signature = websocket.headers.get(SIGNATURE_HEADER)
        self.signed.append(verify(signature, b"", key=KEY, headers=websocket.headers))
        await websocket.accept(subprotocol="graphql-transport-ws")
        init = orjson.loads(await websocket.receive_text())
        self.inits.append(init.get("payload"))
        await websocket.send_text('{"type":"connection_ack"}')
        self.active.clear()
        listener = asyncio.create_task(self._listen(websocket))
        try:
            while True:
                getter = asyncio.create_task(self.script.get())
                await asyncio.wait({getter, listener}, return_when=asyncio.FIRST_COMPLETED)
                if not getter.done():  # the router went away
                    getter.cancel()
                    return
                item = getter.result()
                if item == "drop":
                    self.active.clear()
                    await websocket.close(1011)
                    return
                if isinstance(item, tuple):
                    _, operation_id, event = item
                    targets: list[tuple[str, Any]] = [(operation_id, event)]
                else:
                    targets = [(operation_id, item) for operation_id in list(self.active)]
                for operation_id, event in targets:
                    if event == "complete":
                        self.active.pop(operation_id, None)
                        message: Any = {"id": operation_id, "type": "complete"}
                    elif event == "error":
                        self.active.pop(operation_id, None)
                        message = {"id": operation_id, "type": "error", "payload": [NOPE]}
                    else:
                        message = {"id": operation_id, "type": "next", "payload": event}
                    await websocket.send_text(orjson.dumps(message).decode())
        except (WebSocketDisconnect, RuntimeError):
            pass
        finally:
            listener.cancel()

    async def _listen(self, websocket: WebSocket) -> None:
        with contextlib.suppress(WebSocketDisconnect, RuntimeError):
            while True:
                message = orjson.loads(await websocket.receive_text())
                if message.get("type") == "subscribe":
                    payload = message["payload"]
                    self.subscribed.append(payload)
                    forwarded = (payload.get("extensions") or {}).get("forwarded") or {}
                    self.signed_subscriptions.append(
                        verify(
                            forwarded.get(SIGNATURE_HEADER),
                            operation_bytes(payload),
                            key=KEY,
                            headers=forwarded,
                        )
                    )
                    self.active[message["id"]] = payload
                    self.connected.set()
                elif message.get("type") == "complete":
                    self.active.pop(message["id"], None)
                    self.completed.append(message["id"])
                    self.completed_by_router.set()
                self.changed.set()


NOPE: Any = {"message": "nope"}


def doctors(request: httpx.Request) -> httpx.Response:
    """The doctors subgraph over HTTP: `_entities` for Doctor."""
    body = orjson.loads(request.content)
    signature = request.headers.get(SIGNATURE_HEADER)
    assert verify(signature, request.content, key=KEY, headers=request.headers)
    reps = body["variables"]["representations"]
    entities = [
        {"name": "Dr. Ada Lovelace", "specializations": [{"name": "Cardiology"}]} for _ in reps
    ]
    return httpx.Response(200, json={"data": {"_entities": entities}})


@contextlib.asynccontextmanager
async def serving(app: Any) -> AsyncIterator[str]:
    """Serve `app` in this event loop on a free loopback port; yields host:port."""
    config = uvicorn.Config(
        app, host="127.0.0.1", port=free_port(), log_level="warning", lifespan="auto"
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    async with asyncio.timeout(10):
        while not server.started:
            if task.done():
                task.result()
            await asyncio.sleep(0.01)
    try:
        yield f"127.0.0.1:{config.port}"
    finally:
        server.should_exit = True
        await asyncio.wait_for(task, 10)


@contextlib.asynccontextmanager
async def federation(
    *,
    authenticator: Authenticator | None = None,
    handler: Callable[[httpx.Request], httpx.Response] = doctors,
    appointments_url: str | None = None,
    share_subscriptions: bool = True,
    **edge: Any,
) -> AsyncIterator[tuple[ScriptedSubgraph, str]]:
    """(the scripted appointments subgraph, the router's host:port)."""
    appointments = ScriptedSubgraph()
    async with serving(appointments.app()) as upstream:
        url = appointments_url or f"http://{upstream}/graphql"
        config = RouterConfig(
            subgraph_urls={"APPOINTMENTS": url}, share_subscriptions=share_subscriptions
        )
        router = create_app(
            config,
            supergraph=load_supergraph(SUPERGRAPH),
            signer=request_signer(KEY),
            transport=httpx.MockTransport(handler),
            edge=Edge(dataclasses.replace(EdgeConfig(), **edge), authenticator=authenticator),
        )
        appointments.router_streams = router.state.streams
        async with serving(router) as address:
            yield appointments, address
