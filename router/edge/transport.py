"""The HTTPS policy: HSTS over TLS, plain HTTP refused in production (health checks aside),
and forwarded headers believed only from configured proxies."""

from __future__ import annotations

import ipaddress

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from router.edge.config import Network
from router.edge.refusal import Refusal

__all__ = ["TransportPolicy", "client_behind_proxies", "from_trusted_proxy"]


def from_trusted_proxy(scope: Scope, proxies: tuple[Network, ...]) -> bool:
    client = scope.get("client")
    if not proxies or not client:
        return False
    try:
        address = ipaddress.ip_address(client[0])
    except ValueError:
        return False
    return any(address in network for network in proxies)


def client_behind_proxies(header: str, proxies: tuple[Network, ...]) -> str | None:
    """The right-most `X-Forwarded-For` address that is not one of our proxies.

    Each proxy appends the address it saw, so entries left of the last untrusted one were
    written by the client and prove nothing. None when that entry is not an address.
    """
    entries = [part.strip() for part in header.split(",") if part.strip()]
    for entry in reversed(entries):
        try:
            address = ipaddress.ip_address(entry)
        except ValueError:
            return None
        if not any(address in network for network in proxies):
            return entry
    return entries[0] if entries else None


class TransportPolicy:
    """ASGI middleware applying the HTTPS policy and the trusted-proxy rules."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        require_https: bool,
        hsts_max_age: int,
        trusted_proxies: tuple[Network, ...] = (),
    ) -> None:
        self.app = app
        self.require_https = require_https
        self.hsts = f"max-age={hsts_max_age}; includeSubDomains".encode()
        self.proxies = trusted_proxies

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        secure = scope.get("scheme") in ("https", "wss")
        if from_trusted_proxy(scope, self.proxies):
            headers = Headers(scope=scope)
            proto = headers.get("x-forwarded-proto", "").split(",")[0].strip().lower()
            if proto:
                secure = proto in ("https", "wss")
            forwarded_for = client_behind_proxies(headers.get("x-forwarded-for", ""), self.proxies)
            if forwarded_for:
                scope = {**scope, "client": (forwarded_for, 0)}
        if not secure and self.require_https and not scope["path"].startswith("/health/"):
            if scope["type"] == "websocket":
                await send({"type": "websocket.close", "code": 4403, "reason": "HTTPS required"})
                return
            refusal = Refusal(403, "HTTPS_REQUIRED", "Use HTTPS to reach this service.")
            await refusal.response()(scope, receive, send)
            return
        if not secure or scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_hsts(message: Message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", []).append((b"strict-transport-security", self.hsts))
            await send(message)

        await self.app(scope, receive, send_with_hsts)
