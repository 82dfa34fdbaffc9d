"""Router-to-subgraph request signing: HMAC-SHA256 over a timestamp, a nonce, the path, the
forwarded identity headers and the request body.

The router adds `X-Healthbook-Signature: t=<unix seconds>,n=<nonce>,v2=<hex>` to every
subgraph request; subgraphs refuse requests without a valid, fresh signature, so that
internal operations such as `_entities` cannot be called from outside. The MAC covers
`Authorization`, `X-Forwarded-For` and `X-Request-ID`, so a captured request cannot be sent
again with another token, address or request id (the id reads are audited once per), and the
path; each nonce is accepted once within the validity
window (`NonceLedger`: Redis when configured, in-process otherwise), so it cannot be
replayed as it is either. Operations the router multiplexes over one WebSocket carry the
same signature per `subscribe`, over `operation_bytes` instead of a body
(`subgraphs/shared/shared_socket.py`).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from collections.abc import Mapping
from typing import Any, Final, Protocol

import orjson

SIGNATURE_HEADER = "x-healthbook-signature"
DEFAULT_TOLERANCE_SECONDS = 300
# The forwarded headers that say who is asking, and the request id reads are audited once per:
# a signature holds only with these values.
BOUND_HEADERS: Final = ("authorization", "x-forwarded-for", "x-request-id")


def _message(
    moment: int, nonce: str, path: str, headers: Mapping[str, str] | None, body: bytes
) -> bytes:
    bound = [(headers or {}).get(name) or "" for name in BOUND_HEADERS]
    return "\n".join([str(moment), nonce, path, *bound, ""]).encode() + body


def sign(
    body: bytes,
    *,
    key: str,
    timestamp: int | None = None,
    path: str = "/graphql",
    headers: Mapping[str, str] | None = None,
    nonce: str | None = None,
) -> str:
    """The signature header value for a request to `path` carrying `headers` and `body`
    (the body of a POST, the query string of a GET, nothing for a WebSocket upgrade)."""
    moment = int(time.time()) if timestamp is None else timestamp
    once = nonce or secrets.token_urlsafe(16)
    digest = hmac.new(
        key.encode(), _message(moment, once, path, headers, body), hashlib.sha256
    ).hexdigest()
    return f"t={moment},n={once},v2={digest}"


def operation_bytes(payload: Mapping[str, Any]) -> bytes:
    """What a signature covers for an operation sent over a shared WebSocket (in place of an
    HTTP body): its query, variables and operation name, as canonical JSON."""
    canonical = {
        "operationName": payload.get("operationName"),
        "query": payload.get("query"),
        "variables": payload.get("variables") or {},
    }
    return orjson.dumps(canonical, option=orjson.OPT_SORT_KEYS)


def nonce_of(header: str | None) -> str | None:
    parts = dict(item.split("=", 1) for item in (header or "").split(",") if "=" in item)
    return parts.get("n")


def verify(
    header: str | None,
    body: bytes,
    *,
    key: str,
    now: int | None = None,
    tolerance_seconds: int = DEFAULT_TOLERANCE_SECONDS,
    path: str = "/graphql",
    headers: Mapping[str, str] | None = None,
) -> bool:
    """True when `header` is a valid signature of this request made within the tolerance."""
    if not header:
        return False
    parts = dict(item.split("=", 1) for item in header.split(",") if "=" in item)
    try:
        moment = int(parts["t"])
        nonce = parts["n"]
        given = parts["v2"]
    except (KeyError, ValueError):
        return False
    current = int(time.time()) if now is None else now
    if abs(current - moment) > tolerance_seconds or not nonce:
        return False
    expected = hmac.new(
        key.encode(), _message(moment, nonce, path, headers, body), hashlib.sha256
    ).hexdigest()
    return hmac.compare_digest(expected, given)


class _Counter(Protocol):
    async def increment(self, key: str, *, ttl_seconds: int) -> int: ...


class NonceLedger:
    """Remembers the nonces of accepted signatures for twice the validity window."""

    def __init__(
        self, cache: _Counter, *, tolerance_seconds: int = DEFAULT_TOLERANCE_SECONDS
    ) -> None:
        self.cache = cache
        self.ttl = 2 * tolerance_seconds + 1

    async def first_use(self, nonce: str) -> bool:
        """True the first time `nonce` is seen (atomically, across replicas sharing Redis)."""
        digest = hashlib.sha256(nonce.encode()).hexdigest()[:32]
        return await self.cache.increment(f"signing:nonce:{digest}", ttl_seconds=self.ttl) == 1
