"""Feed tokens: who the feed is of and which version of it, sealed with a server secret.

A token is base64url(user id (16 bytes) ‖ version (4 bytes, big-endian) ‖ MAC (16 bytes)),
the MAC being the first 16 bytes of HMAC-SHA256(secret, label ‖ user id ‖ version). It
holds no name or e-mail. Rotating a feed bumps the version stored for the user, so every
earlier token stops matching; the secret never leaves the server.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import struct
import uuid
from dataclasses import dataclass
from typing import Final

_LABEL: Final = b"healthbook calendar feed v1\0"
_MAC_BYTES: Final = 16
_TOKEN_BYTES: Final = 16 + 4 + _MAC_BYTES
MAX_VERSION: Final = 2**32 - 1


@dataclass(frozen=True)
class FeedClaim:
    """What a well-formed, authentic token says: whose feed, which version."""

    user_id: uuid.UUID
    version: int


def _mac(secret: bytes, payload: bytes) -> bytes:
    return hmac.new(secret, _LABEL + payload, hashlib.sha256).digest()[:_MAC_BYTES]


def mint(secret: bytes, user_id: uuid.UUID, version: int) -> str:
    """The token of `user_id`'s feed at `version` (the same inputs give the same token)."""
    if not 1 <= version <= MAX_VERSION:
        raise ValueError("feed versions run from 1 to 2**32 - 1")
    payload = user_id.bytes + struct.pack(">I", version)
    raw = payload + _mac(secret, payload)
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def read(secret: bytes, token: str) -> FeedClaim | None:
    """The claim of an authentic token; None for anything else (no reason given)."""
    if len(token) != 48 or not token.isascii():
        return None
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
    except (binascii.Error, ValueError):
        return None
    if len(raw) != _TOKEN_BYTES:
        return None
    payload, mac = raw[:-_MAC_BYTES], raw[-_MAC_BYTES:]
    if not hmac.compare_digest(mac, _mac(secret, payload)):
        return None
    (version,) = struct.unpack(">I", payload[16:])
    return FeedClaim(user_id=uuid.UUID(bytes=payload[:16]), version=version)
