"""The graphql-transport-ws server (the protocol of the `graphql-ws` library) at /graphql.

connection_init carries `authorization` in its payload (verified at the edge; a bad token
closes with 4403, a token that cannot be checked right now (the session cache is down) with
1013 "try again later", which clients retry); operations run as `subscribe` messages, any
number at once; either side may `complete`; pings are answered and sent every
`ping_seconds`; when the access token expires, every running operation gets an
UNAUTHENTICATED error and the socket closes (4401).
"""

from __future__ import annotations

import asyncio
import contextlib
import time
import uuid
from typing import Any

import orjson
from starlette.websockets import WebSocket, WebSocketDisconnect

from router.edge.refusal import Refusal
from router.executor import Json
from router.gateway import GraphQLRequest
from router.subgraph_client import REQUEST_ID
from router.subscriptions.service import (
    OperationRefused,
    StreamService,
    closing,
    expiry_of,
    upstream_failure,
)
from router.subscriptions.upstream import PROTOCOL, UpstreamFailed

__all__ = ["serve_websocket"]

# How a refused connection_init closes, by the refusal's HTTP status (else 4429).
_CLOSE_CODES = {401: 4403, 503: 1013}
EXPIRED: Json = {
    "message": "The access token has expired.",
    "extensions": {"code": "UNAUTHENTICATED"},
}


async def serve_websocket(websocket: WebSocket, service: StreamService) -> None:
    if PROTOCOL not in websocket.scope.get("subprotocols", []):
        await websocket.accept()
        await websocket.close(4406, "Subprotocol not acceptable")
        return
    await websocket.accept(subprotocol=PROTOCOL)
    await _Connection(websocket, service).run()


class _Connection:
    def __init__(self, websocket: WebSocket, service: StreamService) -> None:
        self.websocket = websocket
        self.service = service
        self.lock = asyncio.Lock()
        self.operations: dict[str, asyncio.Task[None]] = {}
        self.headers: dict[str, str] = {}
        self.principal: Any = None
        self.closed = False

    async def send(self, message: Json) -> None:
        async with self.lock:
            if not self.closed:
                await self.websocket.send_text(orjson.dumps(message).decode())

    async def close(self, code: int, reason: str) -> None:
        async with self.lock:
            if not self.closed:
                self.closed = True
                with contextlib.suppress(RuntimeError, WebSocketDisconnect):
                    await self.websocket.close(code, reason)

    async def run(self) -> None:
        helpers: list[asyncio.Task[None]] = []
        try:
            if not await self.initialise():
                return
            helpers.append(asyncio.create_task(self.keep_alive()))
            expires = expiry_of(self.principal)
            if expires is not None:
                helpers.append(asyncio.create_task(self.expire_at(expires)))
            while not self.closed:
                message = await self.receive()
                if message is None:
                    return
                await self.handle(message)
        except (WebSocketDisconnect, RuntimeError):
            pass  # the client went away, or we closed the socket
        finally:
            for task in [*helpers, *self.operations.values()]:
                task.cancel()
            await asyncio.gather(*helpers, *self.operations.values(), return_exceptions=True)
            await self.close(1000, "Normal closure")

    async def receive(self) -> Json | None:
        raw = await self.websocket.receive_text()
        try:
            message = orjson.loads(raw)
        except orjson.JSONDecodeError:
            message = None
        if not isinstance(message, dict) or not isinstance(message.get("type"), str):
            await self.close(4400, "Invalid message received")
            return None
        return message

    async def initialise(self) -> bool:
        try:
            async with asyncio.timeout(self.service.init_timeout):
                message = await self.receive()
        except TimeoutError:
            await self.close(4408, "Connection initialisation timeout")
            return False
        if message is None:
            return False
        if message["type"] != "connection_init":
            await self.close(4401, "Unauthorized")
            return False
        payload = message.get("payload") or {}
        authorization = payload.get("authorization") if isinstance(payload, dict) else None
        if not isinstance(authorization, str):
            authorization = self.websocket.headers.get("authorization")
        edge = self.service.edge
        try:
            if edge is not None:
                self.principal = await edge.authenticate(authorization)
                await edge.limit_rate(self.websocket, self.principal)
        except Refusal as refusal:
            await self.close(_CLOSE_CODES.get(refusal.status, 4429), refusal.message[:120])
            return False
        if authorization:
            self.headers["authorization"] = authorization
        for name in ("traceparent", "tracestate"):
            if value := self.websocket.headers.get(name):
                self.headers[name] = value
        # As over HTTP: subgraphs throttle and audit the client, not the router.
        if self.websocket.client is not None and self.websocket.client.host:
            self.headers["x-forwarded-for"] = self.websocket.client.host
        await self.send({"type": "connection_ack"})
        return True

    async def handle(self, message: Json) -> None:
        kind = message["type"]
        if kind == "ping":
            await self.send(
                {
                    "type": "pong",
                    **({"payload": message["payload"]} if "payload" in message else {}),
                }
            )
        elif kind == "pong":
            return
        elif kind == "connection_init":
            await self.close(4429, "Too many initialisation requests")
        elif kind == "subscribe":
            await self.subscribe(message)
        elif kind == "complete":
            task = self.operations.pop(str(message.get("id")), None)
            if task is not None:
                task.cancel()
        else:
            await self.close(4400, f"Unexpected message type {kind[:40]!r}")

    async def subscribe(self, message: Json) -> None:
        operation_id = message.get("id")
        payload = message.get("payload")
        if not isinstance(operation_id, str) or not isinstance(payload, dict):
            await self.close(4400, "Invalid subscribe message")
            return
        if operation_id in self.operations:
            await self.close(4409, f"Subscriber for {operation_id[:80]} already exists")
            return
        request = GraphQLRequest(
            query=payload.get("query") or "",
            operation_name=payload.get("operationName"),
            variables=payload.get("variables"),
            extensions=payload.get("extensions"),
        )
        task = asyncio.create_task(self.operate(operation_id, request))
        self.operations[operation_id] = task

    async def operate(self, operation_id: str, request: GraphQLRequest) -> None:
        try:
            edge = self.service.edge
            if edge is not None:
                await edge.limit_rate(self.websocket, self.principal)
            # One fresh request id per operation, as over HTTP (logs, audit once per request).
            headers = {**self.headers, REQUEST_ID: uuid.uuid4().hex}
            async with closing(self.service.start(request, headers)) as stream:
                async for body in stream:
                    await self.send({"id": operation_id, "type": "next", "payload": body})
            await self.send({"id": operation_id, "type": "complete"})
        except Refusal as refusal:
            await self.send(
                {"id": operation_id, "type": "error", "payload": refusal.body()["errors"]}
            )
        except OperationRefused as refused:
            await self.send({"id": operation_id, "type": "error", "payload": refused.errors})
        except UpstreamFailed as failure:
            await self.send(
                {"id": operation_id, "type": "error", "payload": upstream_failure(failure)}
            )
        finally:
            self.operations.pop(operation_id, None)

    async def keep_alive(self) -> None:
        while True:
            await asyncio.sleep(self.service.ping_seconds)
            await self.send({"type": "ping"})

    async def expire_at(self, moment: float) -> None:
        await asyncio.sleep(max(0.0, moment - time.time()))
        for operation_id, task in list(self.operations.items()):
            task.cancel()
            await self.send({"id": operation_id, "type": "error", "payload": [EXPIRED]})
        await self.close(4401, "Unauthorized: the access token expired")
