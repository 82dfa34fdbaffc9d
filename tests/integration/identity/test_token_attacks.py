"""The token attack matrix against the identity app: every forged or stale token is refused."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization

from tests.integration.identity.conftest import TOKENS, Api
from tests.support.tokens import Minter

ME = "{ me { id role } }"
REFRESH = "mutation($t: String!) { refreshToken(input: {refreshToken: $t}) { accessToken } }"
LOGOUT = "mutation { logout { sessionsEnded } }"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def forger(api: Api) -> Minter:
    """Signs with identity's real key: only the claim or header under test is wrong."""
    keys = api.ident.keys
    return Minter(keys.signing_key, keys.kid, TOKENS.issuer, TOKENS.audience)


def claims(user_id: str, **changes: Any) -> dict[str, Any]:
    now = int(time.time())
    base: dict[str, Any] = {
        "iss": TOKENS.issuer,
        "aud": TOKENS.audience,
        "sub": user_id,
        "role": "ADMIN",
        "iat": now,
        "nbf": now,
        "exp": now + 600,
        "jti": uuid.uuid4().hex,
    }
    base.update(changes)
    return {k: v for k, v in base.items() if v is not None}


def unsigned(m: Minter, uid: str) -> str:
    header = _b64(json.dumps({"alg": "none", "kid": m.kid}).encode())
    return f"{header}.{_b64(json.dumps(claims(uid)).encode())}."


def hmac_with_public_key(m: Minter, uid: str) -> str:
    public = m.private_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    head = _b64(json.dumps({"alg": "HS256", "typ": "JWT", "kid": m.kid}).encode())
    signing_input = f"{head}.{_b64(json.dumps(claims(uid)).encode())}"
    signature = hmac.new(public, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{_b64(signature)}"


def tampered(m: Minter, uid: str) -> str:
    header, _, signature = m.encode(claims(uid, role="PATIENT")).split(".")
    return f"{header}.{_b64(json.dumps(claims(uid)).encode())}.{signature}"


FORGERIES: dict[str, Callable[[Minter, str], str]] = {
    "alg none": unsigned,
    "HS256 signed with the public key": hmac_with_public_key,
    "expired": lambda m, uid: m.encode(claims(uid, exp=int(time.time()) - 30)),
    "not yet valid": lambda m, uid: m.encode(claims(uid, nbf=int(time.time()) + 300)),
    "wrong audience": lambda m, uid: m.encode(claims(uid, aud="another-app")),
    "wrong issuer": lambda m, uid: m.encode(claims(uid, iss="https://evil.example")),
    "missing exp": lambda m, uid: m.encode(claims(uid, exp=None)),
    "unknown kid": lambda m, uid: m.encode(claims(uid), headers={"kid": "rotated-away"}),
    "jku header": lambda m, uid: m.encode(claims(uid), headers={"jku": "https://evil/jwks"}),
    "x5u header": lambda m, uid: m.encode(claims(uid), headers={"x5u": "https://evil/cert"}),
    "jwk header": lambda m, uid: m.encode(claims(uid), headers={"jwk": Minter().jwks()["keys"][0]}),
    "tampered payload": tampered,
    "another key with the same kid": lambda m, uid: Minter(kid=m.kid).encode(claims(uid)),
}


@pytest.mark.parametrize("forgery", sorted(FORGERIES))
async def test_forged_tokens_are_refused(api: Api, forgery: str) -> None:
    user = await api.register("ann@example.org")
    m = forger(api)
    assert (await api.ok(ME, token=m.encode(claims(user["id"]))))["me"]  # the control passes
    error = await api.error(ME, token=FORGERIES[forgery](m, user["id"]))
    assert error["extensions"]["code"] == "UNAUTHENTICATED"


async def test_a_replayed_refresh_token_revokes_the_family(api: Api) -> None:
    await api.register("ann@example.org")
    tokens = await api.login("ann@example.org")
    rotated = (await api.ok(REFRESH, {"t": tokens["refreshToken"]}))["refreshToken"]
    assert (await api.error(REFRESH, {"t": tokens["refreshToken"]}))["extensions"]["code"] == (
        "INVALID_TOKEN"
    )
    assert (await api.error(ME, token=rotated["accessToken"]))["extensions"]["code"] == (
        "UNAUTHENTICATED"
    )


async def test_tokens_after_logout_are_refused(api: Api) -> None:
    await api.register("ann@example.org")
    tokens = await api.login("ann@example.org")
    await api.ok(LOGOUT, token=tokens["accessToken"])
    assert (await api.error(ME, token=tokens["accessToken"]))["extensions"]["code"] == (
        "UNAUTHENTICATED"
    )
    assert (await api.error(REFRESH, {"t": tokens["refreshToken"]}))["extensions"]["code"] == (
        "INVALID_TOKEN"
    )


async def _admin(api: Api) -> Any:
    from subgraphs.identity import service

    admin = await service.create_admin(
        db=api.ident.db, email="root@example.org", password="root password 1", name="Root",
        hasher=api.ident.hasher,
    )  # fmt: skip
    return admin


async def test_tokens_after_deactivation_are_refused(api: Api) -> None:
    from subgraphs.identity import service
    from subgraphs.shared.auth import Principal, Role

    user = await api.register("ann@example.org")
    tokens = await api.login("ann@example.org")
    admin = await _admin(api)
    await service.deactivate_user(
        ident=api.ident, actor=Principal(admin.id, Role.ADMIN), user_id=uuid.UUID(user["id"]),
        reason=None, origin=service.Origin(),
    )  # fmt: skip
    assert (await api.error(ME, token=tokens["accessToken"]))["extensions"]["code"] == (
        "UNAUTHENTICATED"
    )


async def test_tokens_after_a_role_change_are_refused(api: Api) -> None:
    from subgraphs.identity import service
    from subgraphs.shared.auth import Principal, Role

    user = await api.register("ann@example.org")
    tokens = await api.login("ann@example.org")
    admin = await _admin(api)
    await service.set_user_role(
        ident=api.ident, actor=Principal(admin.id, Role.ADMIN), user_id=uuid.UUID(user["id"]),
        role=Role.DOCTOR, origin=service.Origin(),
    )  # fmt: skip
    assert (await api.error(ME, token=tokens["accessToken"]))["extensions"]["code"] == (
        "UNAUTHENTICATED"
    )
