"""Identity's public keys as verifiers see them: a JWKS given statically or fetched.

:class:`RemoteJwks` fetches the JWKS URL with httpx, trusts it for `max_age_seconds`, and
re-fetches on an unknown `kid` at most once per `min_refresh_seconds` (so forged kids cannot
make a verifier hammer identity); a failed fetch keeps the keys it had.
"""

from __future__ import annotations

import asyncio
import base64
import logging
import time
from collections.abc import Callable, Mapping
from typing import Any, Final, Protocol

import httpx
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

log = logging.getLogger("healthbook.tokens")

ALGORITHM: Final = "EdDSA"


class KeySource(Protocol):
    async def key(self, kid: str) -> Ed25519PublicKey | None: ...


def _b64url(data: str) -> bytes:
    return base64.urlsafe_b64decode(data + "=" * (-len(data) % 4))


def parse_jwks(document: Mapping[str, Any]) -> dict[str, Ed25519PublicKey]:
    """The Ed25519 signing keys of a JWKS by `kid`; other key types are ignored."""
    keys: dict[str, Ed25519PublicKey] = {}
    for entry in document.get("keys", []):
        if not isinstance(entry, Mapping):
            continue
        if entry.get("kty") != "OKP" or entry.get("crv") != "Ed25519":
            continue
        if entry.get("use", "sig") != "sig" or entry.get("alg", ALGORITHM) != ALGORITHM:
            continue
        kid, x = entry.get("kid"), entry.get("x")
        if isinstance(kid, str) and kid and isinstance(x, str):
            try:
                keys[kid] = Ed25519PublicKey.from_public_bytes(_b64url(x))
            except ValueError:
                continue
    return keys


class StaticJwks:
    """Keys given up front (tests, or identity verifying with its own key ring)."""

    def __init__(self, document: Mapping[str, Any]) -> None:
        self._keys = parse_jwks(document)

    async def key(self, kid: str) -> Ed25519PublicKey | None:
        return self._keys.get(kid)


class RemoteJwks:
    """Keys from identity's JWKS URL: cached, re-fetched on an unknown kid at a bounded rate."""

    def __init__(
        self,
        url: str,
        *,
        client: httpx.AsyncClient | None = None,
        min_refresh_seconds: float = 30.0,
        max_age_seconds: float = 300.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.url = url
        self._client = client
        self._min_refresh = min_refresh_seconds
        self._max_age = max_age_seconds
        self._clock = clock
        self._keys: dict[str, Ed25519PublicKey] = {}
        self._fetched_at: float | None = None
        self._lock = asyncio.Lock()

    async def key(self, kid: str) -> Ed25519PublicKey | None:
        stale = self._fetched_at is None or self._clock() - self._fetched_at >= self._max_age
        if stale or kid not in self._keys:
            await self._refresh(force=stale)
        return self._keys.get(kid)

    async def _refresh(self, *, force: bool) -> None:
        async with self._lock:
            now = self._clock()
            # Another caller may have refreshed while we waited for the lock.
            wait = self._max_age if force else self._min_refresh
            if self._fetched_at is not None and now - self._fetched_at < wait:
                return
            self._fetched_at = now
            try:
                client = self._client or httpx.AsyncClient(timeout=5.0)
                try:
                    response = await client.get(self.url)
                    response.raise_for_status()
                    document = response.json()
                finally:
                    if self._client is None:
                        await client.aclose()
            except (httpx.HTTPError, ValueError) as error:
                log.warning("jwks fetch failed", extra={"url": self.url, "error": str(error)})
                return
            if isinstance(document, Mapping):
                self._keys = parse_jwks(document)
