"""Standard Webhooks signing (https://www.standardwebhooks.com/, symmetric `v1`).

The secret is `whsec_` + base64 of random bytes; the signature of a message is
`v1,` + base64(HMAC-SHA256(secret bytes, "<webhook-id>.<webhook-timestamp>.<body>")).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from collections.abc import Sequence
from typing import Final

PREFIX: Final = "whsec_"
SECRET_BYTES: Final = 32


def new_secret() -> str:
    return PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode("ascii")


def _key(secret: str) -> bytes:
    return base64.b64decode(secret.removeprefix(PREFIX))


def signature(secret: str, message_id: str, timestamp: int, body: str) -> str:
    signed = f"{message_id}.{timestamp}.{body}".encode()
    digest = hmac.new(_key(secret), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode("ascii")


def headers(
    signing_secrets: Sequence[str], message_id: str, timestamp: int, body: str
) -> dict[str, str]:
    """The three headers of a signed delivery (plus its JSON content type).

    Several secrets (a rotation's rollover: the old one, then the new) give several
    space-separated signatures, as the spec allows; a receiver accepts any that it verifies.
    """
    return {
        "content-type": "application/json",
        "webhook-id": message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": " ".join(
            signature(secret, message_id, timestamp, body) for secret in signing_secrets
        ),
    }
