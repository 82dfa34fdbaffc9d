"""Real access tokens for the tests of every component, without the identity service.

    authenticator, mint = make_test_tokens()             # or make_test_tokens(cache=cache)
    resources.authenticator = authenticator
    headers = bearer(mint(user_id, Role.PATIENT))

`authenticator` is the production :class:`JwtVerifier` over a static JWKS holding a fresh
Ed25519 test key; `mint` signs access tokens with that key exactly as identity does (its
attributes and `encode` let attack tests forge variants).
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import jwt
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from jwt.algorithms import OKPAlgorithm

from subgraphs.shared.auth import Role
from subgraphs.shared.cache import Cache
from subgraphs.shared.tokens import JwtVerifier, StaticJwks

TEST_ISSUER = "healthbook-test"
TEST_AUDIENCE = "healthbook-test"


@dataclass
class Minter:
    """Signs access tokens with a test key; call it with a user id and a role."""

    private_key: Ed25519PrivateKey = field(default_factory=Ed25519PrivateKey.generate)
    kid: str = field(default_factory=lambda: f"test-{uuid.uuid4().hex[:12]}")
    issuer: str = TEST_ISSUER
    audience: str = TEST_AUDIENCE

    def __call__(
        self,
        user_id: uuid.UUID | str,
        role: Role | str = Role.PATIENT,
        *,
        ttl_seconds: int = 900,
        session_id: str | None = None,
        claims: Mapping[str, Any] | None = None,
    ) -> str:
        """An access token for `user_id` with `role`; `claims` override or add claims."""
        now = time.time()
        payload: dict[str, Any] = {
            "iss": self.issuer,
            "aud": self.audience,
            "sub": str(user_id),
            "role": role.value if isinstance(role, Role) else role,
            "iat": round(now, 3),
            "nbf": int(now),
            "exp": int(now) + ttl_seconds,
            "jti": uuid.uuid4().hex,
            "sid": session_id or uuid.uuid4().hex,
        }
        payload.update(claims or {})
        return self.encode(payload)

    def encode(
        self, payload: Mapping[str, Any], *, headers: Mapping[str, Any] | None = None
    ) -> str:
        """Sign any payload with the test key (headers default to `kid` = this key's id)."""
        return jwt.encode(
            dict(payload),
            self.private_key,
            algorithm="EdDSA",
            headers={"kid": self.kid, **(headers or {})},
        )

    def jwks(self) -> dict[str, Any]:
        """The public JWKS of the test key."""
        jwk = OKPAlgorithm.to_jwk(self.private_key.public_key(), as_dict=True)
        return {"keys": [{**jwk, "kid": self.kid, "alg": "EdDSA", "use": "sig"}]}


class TokenKit(NamedTuple):
    authenticator: JwtVerifier
    mint: Minter


def make_test_tokens(*, cache: Cache | None = None) -> TokenKit:
    """(an authenticator trusting a fresh test key, a function minting tokens with that key).

    Pass the component's `cache` to have deactivation / role changes / logout published by
    identity's helpers (`subgraphs.shared.tokens.publish_*`) honoured, as in production.
    """
    minter = Minter()
    verifier = JwtVerifier(
        keys=StaticJwks(minter.jwks()),
        issuer=minter.issuer,
        audience=minter.audience,
        cache=cache,
        leeway_seconds=0,
    )
    return TokenKit(verifier, minter)


def bearer(token: str) -> dict[str, str]:
    """The request headers carrying `token`."""
    return {"Authorization": f"Bearer {token}"}
