"""Router-to-subgraph request signing: HMAC-SHA256 over a timestamp and the request body.

The router adds `X-Healthbook-Signature: t=<unix seconds>,v1=<hex>` to every subgraph
request; subgraphs refuse requests without a valid, fresh signature, so that internal
operations such as `_entities` cannot be called from outside.
"""

from __future__ import annotations

import hashlib
import hmac
import time

SIGNATURE_HEADER = "x-healthbook-signature"
DEFAULT_TOLERANCE_SECONDS = 300


def sign(body: bytes, *, key: str, timestamp: int | None = None) -> str:
    """The signature header value for `body` at `timestamp` (now by default)."""
    moment = int(time.time()) if timestamp is None else timestamp
    digest = hmac.new(key.encode(), f"{moment}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={moment},v1={digest}"


def verify(
    header: str | None,
    body: bytes,
    *,
    key: str,
    now: int | None = None,
    tolerance_seconds: int = DEFAULT_TOLERANCE_SECONDS,
) -> bool:
    """True when `header` is a valid signature of `body` made within the tolerance."""
    if not header:
        return False
    parts = dict(item.split("=", 1) for item in header.split(",") if "=" in item)
    try:
        moment = int(parts["t"])
        given = parts["v1"]
    except (KeyError, ValueError):
        return False
    current = int(time.time()) if now is None else now
    if abs(current - moment) > tolerance_seconds:
        return False
    expected = sign(body, key=key, timestamp=moment).split("v1=", 1)[1]
    return hmac.compare_digest(expected, given)
