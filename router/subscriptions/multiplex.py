"""One graphql-transport-ws socket per subgraph, shared by every client subscription the
router runs there (one operation id each), each `subscribe` carrying its own caller.

The socket's upgrade is signed as the router's own request (no caller headers) and its
`connection_init` carries no token. Each subscription's `payload.extensions.forwarded` holds
the headers its HTTP request would have carried (the caller's `Authorization`,
`X-Forwarded-For`, trace context) plus the router's signature over them and the operation
(`subgraphs.shared.signing.operation_bytes`: query, variables, operation name; a fresh nonce
each time), so the subgraph authenticates every subscription on its own and a captured
`subscribe` can neither be replayed nor moved to another identity or operation.

When the socket drops, the multiplexer opens a new one and subscribes every active
subscription again (newly signed); events published in between are not replayed (clients
catch up by querying, as after any reconnect). When no socket can be opened after a few
tries, every waiting subscription ends with `UpstreamFailed`.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
from collections.abc import AsyncIterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

import httpx
import orjson
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidStatus
from websockets.typing import Subprotocol

from router.executor import Json
from router.subgraph_client import RequestSigner
from router.subscriptions.upstream import PROTOCOL, UpstreamFailed, websocket_url
from subgraphs.shared.signing import operation_bytes

__all__ = ["RECONNECT_DELAYS", "Multiplexer"]

# Seconds to wait before each new try to open the socket; after the last, waiting
# subscriptions fail.
RECONNECT_DELAYS: Final = (0.05, 0.25, 1.0)


@dataclass(eq=False)
class _Subscription:
    body: Json
    headers: dict[str, str]
    inbox: asyncio.Queue[tuple[str, Any]] = field(default_factory=asyncio.Queue)
    sent_on: ClientConnection | None = None


class Multiplexer:
    """The client subscriptions of one router process on one subgraph, over one socket."""

    def __init__(
        self,
        subgraph: str,
        url: str,
        *,
        signer: RequestSigner | None,
        ack_timeout: float = 10.0,
        reconnect_delays: Sequence[float] = RECONNECT_DELAYS,
    ) -> None:
        self.subgraph = subgraph
        self.url = url
        self.signer = signer
        self.ack_timeout = ack_timeout
        self.reconnect_delays = tuple(reconnect_delays)
        self.sockets_opened = 0
        self._subscriptions: dict[str, _Subscription] = {}
        self._ids = itertools.count(1)
        self._socket: ClientConnection | None = None
        self._wanted = asyncio.Event()
        self._supervisor: asyncio.Task[None] | None = None

    @property
    def active(self) -> int:
        return len(self._subscriptions)

    async def subscribe(self, body: Json, headers: Mapping[str, str]) -> AsyncIterator[Json]:
        """Each `next` payload of `body` run as the caller of `headers`; ends when the
        subgraph completes, raises `UpstreamFailed` when it refuses or cannot be reached.
        Closing the generator completes the subscription upstream (the socket stays)."""
        operation_id = str(next(self._ids))
        subscription = _Subscription(body, dict(headers))
        self._subscriptions[operation_id] = subscription
        self._wanted.set()
        if self._supervisor is None or self._supervisor.done():
            self._supervisor = asyncio.create_task(self._supervise(), name=f"mux-{self.subgraph}")
        finished = False
        try:
            if self._socket is not None:
                await self._send_subscribe(self._socket, operation_id, subscription)
            while True:
                kind, value = await subscription.inbox.get()
                if kind == "next":
                    yield value
                    continue
                finished = True
                if kind == "complete":
                    return
                if kind == "error":
                    raise UpstreamFailed(self.subgraph, "refused the subscription", errors=value)
                raise UpstreamFailed(self.subgraph, str(value))
        finally:
            self._subscriptions.pop(operation_id, None)
            socket = subscription.sent_on
            if not finished and socket is not None and socket is self._socket:
                with contextlib.suppress(ConnectionClosed):
                    await socket.send(f'{{"id":"{operation_id}","type":"complete"}}')

    async def aclose(self) -> None:
        """Stop: the socket is closed, running subscriptions end as failed."""
        if self._supervisor is not None:
            self._supervisor.cancel()
            await asyncio.gather(self._supervisor, return_exceptions=True)
        self._fail_all("was disconnected by the router")

    async def _supervise(self) -> None:
        failures = 0
        while True:
            await self._wanted.wait()
            try:
                socket = await self._open()
            except UpstreamFailed as failure:
                if failures >= len(self.reconnect_delays):
                    failures = 0
                    self._fail_all(failure.reason)
                    continue
                await asyncio.sleep(self.reconnect_delays[failures])
                failures += 1
                continue
            failures = 0
            self.sockets_opened += 1
            self._socket = socket
            try:
                for operation_id, subscription in list(self._subscriptions.items()):
                    await self._send_subscribe(socket, operation_id, subscription)
                await self._read(socket)
            except ConnectionClosed:
                pass
            finally:
                self._socket = None
                await socket.close()
            if not self._subscriptions:
                self._wanted.clear()
            await asyncio.sleep(self.reconnect_delays[0])  # a subgraph dropping at once

    async def _open(self) -> ClientConnection:
        # The router's own upgrade: signed over no body with no caller headers.
        upgrade = httpx.Request("GET", self.url)
        if self.signer is not None:
            self.signer(upgrade)
        extra = {k: v for k, v in upgrade.headers.items() if k.startswith("x-healthbook")}
        try:
            socket = await connect(
                websocket_url(self.url),
                subprotocols=[Subprotocol(PROTOCOL)],
                additional_headers=extra,
                open_timeout=self.ack_timeout,
                max_size=16 * 1024 * 1024,
                max_queue=None,
            )
        except (OSError, InvalidHandshake, TimeoutError) as error:
            status = error.response.status_code if isinstance(error, InvalidStatus) else None
            reason = f"refused the WebSocket (HTTP {status})" if status else "could not be reached"
            raise UpstreamFailed(self.subgraph, reason) from None
        try:
            await socket.send('{"type":"connection_init","payload":{}}')
            async with asyncio.timeout(self.ack_timeout):
                while True:
                    message = orjson.loads(await socket.recv())
                    if message.get("type") == "connection_ack":
                        return socket
                    if message.get("type") == "ping":
                        await socket.send('{"type":"pong"}')
        except (TimeoutError, ConnectionClosed):
            await socket.close()
            raise UpstreamFailed(self.subgraph, "did not acknowledge the connection") from None

    async def _read(self, socket: ClientConnection) -> None:
        async for raw in socket:
            message = orjson.loads(raw)
            kind = message.get("type")
            if kind == "ping":
                await socket.send('{"type":"pong"}')
                continue
            subscription = self._subscriptions.get(str(message.get("id")))
            if subscription is None:
                continue  # completed by the client meanwhile
            if kind == "next":
                subscription.inbox.put_nowait(("next", message.get("payload") or {}))
            elif kind == "error":
                errors = message.get("payload")
                subscription.inbox.put_nowait(("error", errors if isinstance(errors, list) else []))
            elif kind == "complete":
                subscription.inbox.put_nowait(("complete", None))

    async def _send_subscribe(
        self, socket: ClientConnection, operation_id: str, subscription: _Subscription
    ) -> None:
        if subscription.sent_on is socket:
            return
        subscription.sent_on = socket
        payload = {
            **subscription.body,
            "extensions": {"forwarded": self._forwarded(subscription)},
        }
        message = {"id": operation_id, "type": "subscribe", "payload": payload}
        await socket.send(orjson.dumps(message).decode())

    def _forwarded(self, subscription: _Subscription) -> dict[str, str]:
        """The caller's headers, signed with the operation as an HTTP request would be."""
        headers = subscription.headers
        if self.signer is None:
            return headers
        request = httpx.Request(
            "POST", self.url, headers=headers, content=operation_bytes(subscription.body)
        )
        self.signer(request)
        signed = {k: v for k, v in request.headers.items() if k.startswith("x-healthbook")}
        return {**headers, **signed}

    def _fail_all(self, reason: str) -> None:
        for subscription in self._subscriptions.values():
            subscription.inbox.put_nowait(("failed", reason))
        self._subscriptions.clear()
        self._wanted.clear()
