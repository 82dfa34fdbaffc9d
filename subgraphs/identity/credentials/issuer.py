"""Making credentials: signed access tokens and opaque secrets (stored only as digests)."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import jwt

from subgraphs.identity.credentials.keys import KeyRing
from subgraphs.shared.auth import Role
from subgraphs.shared.tokens import ALGORITHM


@dataclass(frozen=True)
class AccessToken:
    token: str
    expires_at: datetime


def mint_access_token(
    keys: KeyRing,
    *,
    user_id: uuid.UUID,
    role: Role,
    session_id: uuid.UUID,
    issuer: str,
    audience: str,
    ttl_seconds: int,
    now: datetime,
) -> AccessToken:
    """An EdDSA JWT with sub, role, iss, aud, exp, iat (milliseconds), nbf, jti, sid; `kid` set."""
    issued = now.timestamp()
    expires = now + timedelta(seconds=ttl_seconds)
    claims: dict[str, str | int | float] = {
        "iss": issuer,
        "aud": audience,
        "sub": str(user_id),
        "role": role.value,
        "iat": round(issued, 3),
        "nbf": int(issued),
        "exp": int(expires.timestamp()),
        "jti": uuid.uuid4().hex,
        "sid": str(session_id),
    }
    token = jwt.encode(
        claims, keys.signing_key, algorithm=ALGORITHM, headers={"kid": keys.kid, "typ": "JWT"}
    )
    return AccessToken(token, datetime.fromtimestamp(int(expires.timestamp()), UTC))


def new_secret() -> str:
    """A random, URL-safe secret of 256 bits (refresh, reset and invitation tokens)."""
    return secrets.token_urlsafe(32)


def digest(secret: str) -> str:
    """What is stored of a secret: its SHA-256 (the secret itself has 256 bits of entropy)."""
    return hashlib.sha256(secret.encode()).hexdigest()
