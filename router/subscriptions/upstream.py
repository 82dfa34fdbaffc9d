"""A graphql-transport-ws client for one subscription on a subgraph (signed upgrade)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Mapping
from typing import Any

import httpx
import orjson
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidStatus
from websockets.typing import Subprotocol

from router.executor import Json
from router.subgraph_client import RequestSigner

__all__ = ["PROTOCOL", "UpstreamFailed", "subscribe", "websocket_url"]

PROTOCOL = "graphql-transport-ws"


class UpstreamFailed(Exception):
    """The subgraph's stream could not be opened, failed, or closed without completing."""

    def __init__(self, subgraph: str, reason: str, *, errors: list[Json] | None = None) -> None:
        super().__init__(f"{subgraph}: {reason}")
        self.subgraph = subgraph
        self.reason = reason
        self.errors = errors or []


def websocket_url(http_url: str) -> str:
    if http_url.startswith("https://"):
        return "wss://" + http_url[len("https://") :]
    if http_url.startswith("http://"):
        return "ws://" + http_url[len("http://") :]
    return http_url


async def subscribe(
    subgraph: str,
    url: str,
    body: Json,
    *,
    headers: Mapping[str, str],
    signer: RequestSigner | None,
    ack_timeout: float = 10.0,
) -> AsyncIterator[Json]:
    """Yield each `next` payload of the subscription `body` on the subgraph at `url` (http).

    Ends when the subgraph completes; raises `UpstreamFailed` on errors or an early close.
    Closing the generator completes the subscription upstream and closes the socket.
    """
    forwarded = {k: v for k, v in headers.items() if k != "authorization"}
    # Signed like a GET without a query (over b""), with the headers the upgrade carries.
    upgrade = httpx.Request("GET", url, headers=forwarded)
    if signer is not None:
        signer(upgrade)
    extra = {k: v for k, v in upgrade.headers.items() if k.startswith("x-healthbook")}
    extra.update({k: v for k, v in headers.items() if k != "authorization"})
    try:
        socket = await connect(
            websocket_url(url),
            subprotocols=[Subprotocol(PROTOCOL)],
            additional_headers=extra,
            open_timeout=ack_timeout,
            max_size=16 * 1024 * 1024,
        )
    except (OSError, InvalidHandshake, TimeoutError) as error:
        status = error.response.status_code if isinstance(error, InvalidStatus) else None
        reason = f"refused the WebSocket (HTTP {status})" if status else "could not be reached"
        raise UpstreamFailed(subgraph, reason) from None
    completed = False
    try:
        payload: dict[str, Any] = {}
        if headers.get("authorization"):
            payload["authorization"] = headers["authorization"]
        await socket.send(orjson.dumps({"type": "connection_init", "payload": payload}).decode())
        await _acknowledged(subgraph, socket, ack_timeout)
        await socket.send(orjson.dumps({"id": "1", "type": "subscribe", "payload": body}).decode())
        async for raw in socket:
            message = orjson.loads(raw)
            kind = message.get("type")
            if kind == "next":
                yield message.get("payload") or {}
            elif kind == "ping":
                await socket.send('{"type":"pong"}')
            elif kind == "error":
                completed = True
                errors = message.get("payload")
                raise UpstreamFailed(
                    subgraph,
                    "refused the subscription",
                    errors=errors if isinstance(errors, list) else [],
                )
            elif kind == "complete":
                completed = True
                return
        raise UpstreamFailed(subgraph, f"closed the stream ({socket.close_code})")
    except ConnectionClosed as closed:
        raise UpstreamFailed(
            subgraph, f"closed the stream ({closed.rcvd.code if closed.rcvd else 1006})"
        ) from None
    finally:
        if not completed:
            with contextlib.suppress(ConnectionClosed):
                await socket.send('{"id":"1","type":"complete"}')
        await socket.close()


async def _acknowledged(subgraph: str, socket: ClientConnection, seconds: float) -> None:
    try:
        async with asyncio.timeout(seconds):
            while True:
                message = orjson.loads(await socket.recv())
                if message.get("type") == "connection_ack":
                    return
                if message.get("type") == "ping":
                    await socket.send('{"type":"pong"}')
    except TimeoutError:
        raise UpstreamFailed(subgraph, "did not acknowledge the connection") from None
