"""The server secret feed tokens are sealed with, and the feed's public address.

`CALENDAR_FEED_SECRET` when set; otherwise derived from `HEALTHBOOK_SIGNING_KEY` (required
in production) under a label of its own, so the router's request MAC and feed tokens never
share a key. A development setup with neither keeps a random secret in a 0600 file of its
data directory, so feed addresses survive a restart.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from subgraphs.shared.private_files import private_file

_DERIVATION_LABEL: Final = b"healthbook calendar feed secret v1"
DEV_SECRET_FILE: Final = "calendar-feed.secret"  # noqa: S105 (a file name)


@dataclass(frozen=True)
class FeedConfig:
    """How feed tokens are sealed and where their addresses point."""

    secret: bytes
    public_url: str

    def url(self, token: str) -> str:
        return f"{self.public_url.rstrip('/')}/calendar/{token}.ics"


def feed_secret(*, configured: str, signing_key: str, data_dir: Path) -> bytes:
    """The secret: configured, derived from the signing key, or a development file."""
    if configured:
        return configured.encode()
    if signing_key:
        return hmac.new(signing_key.encode(), _DERIVATION_LABEL, hashlib.sha256).digest()
    path = data_dir / DEV_SECRET_FILE
    private_file(path)
    existing = path.read_text(encoding="ascii").strip()
    if existing:
        return existing.encode()
    fresh = secrets.token_urlsafe(32)
    path.write_text(fresh, encoding="ascii")
    return fresh.encode()
