"""The shared access-token verifier: what it accepts and the attack matrix it refuses."""

from __future__ import annotations

import base64
import json
import time
import uuid
from collections.abc import Callable
from typing import Any

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from subgraphs.shared.auth import Role
from subgraphs.shared.cache import MemoryCache
from subgraphs.shared.errors import ServiceUnavailable, Unauthenticated
from subgraphs.shared.settings import ConfigError, Settings
from subgraphs.shared.tokens import (
    JwtVerifier,
    RemoteJwks,
    StaticJwks,
    TokenSettings,
    UserState,
    authenticator_from_settings,
    parse_jwks,
    publish_session_revoked,
    publish_user_state,
)
from tests.support.tokens import Minter, bearer, make_test_tokens

USER = uuid.uuid4()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _claims(minter: Minter, **changes: Any) -> dict[str, Any]:
    now = int(time.time())
    claims: dict[str, Any] = {
        "iss": minter.issuer,
        "aud": minter.audience,
        "sub": str(USER),
        "role": "PATIENT",
        "iat": now,
        "nbf": now,
        "exp": now + 900,
        "jti": uuid.uuid4().hex,
    }
    claims.update(changes)
    return {k: v for k, v in claims.items() if v is not None}


async def test_valid_token_gives_the_principal() -> None:
    authenticator, mint = make_test_tokens()
    principal = await authenticator.authenticate(f"Bearer {mint(USER, Role.DOCTOR)}")
    assert principal is not None
    assert principal.user_id == USER
    assert principal.role is Role.DOCTOR
    assert principal.token_id


async def test_no_header_is_anonymous_and_other_schemes_are_refused() -> None:
    authenticator, _ = make_test_tokens()
    assert await authenticator.authenticate(None) is None
    with pytest.raises(Unauthenticated):
        await authenticator.authenticate("Basic dXNlcjpwYXNz")


def _alg_none(minter: Minter) -> str:
    header = _b64(json.dumps({"alg": "none", "typ": "JWT", "kid": minter.kid}).encode())
    return f"{header}.{_b64(json.dumps(_claims(minter)).encode())}."


def _hs256_with_public_key(minter: Minter) -> str:
    public_pem = minter.private_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    header = {"alg": "HS256", "typ": "JWT", "kid": minter.kid}
    signing_input = (
        f"{_b64(json.dumps(header).encode())}.{_b64(json.dumps(_claims(minter)).encode())}"
    )
    import hashlib
    import hmac

    signature = hmac.new(public_pem, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{_b64(signature)}"


def _tampered(minter: Minter) -> str:
    token = minter.encode(_claims(minter))
    header, _payload, signature = token.split(".")
    forged = _b64(json.dumps(_claims(minter, role="ADMIN")).encode())
    return f"{header}.{forged}.{signature}"


def _other_key(minter: Minter) -> str:
    stranger = Minter(kid=minter.kid)
    return stranger.encode(_claims(minter))


ATTACKS: dict[str, Callable[[Minter], str]] = {
    "alg none": _alg_none,
    "HS256 signed with the public key": _hs256_with_public_key,
    "expired": lambda m: m.encode(_claims(m, exp=int(time.time()) - 60)),
    "not yet valid": lambda m: m.encode(_claims(m, nbf=int(time.time()) + 600)),
    "wrong audience": lambda m: m.encode(_claims(m, aud="someone-else")),
    "audience list": lambda m: m.encode(_claims(m, aud=[m.audience, "x"])),
    "wrong issuer": lambda m: m.encode(_claims(m, iss="https://evil.example")),
    "missing exp": lambda m: m.encode(_claims(m, exp=None)),
    "missing role": lambda m: m.encode(_claims(m, role=None)),
    "unknown role": lambda m: m.encode(_claims(m, role="ROOT")),
    "subject not a user id": lambda m: m.encode(_claims(m, sub="admin")),
    "unknown kid": lambda m: m.encode(_claims(m), headers={"kid": "nobody"}),
    "missing kid": lambda m: jwt.encode(_claims(m), m.private_key, algorithm="EdDSA"),
    "jku header": lambda m: m.encode(_claims(m), headers={"jku": "https://evil.example/j"}),
    "x5u header": lambda m: m.encode(_claims(m), headers={"x5u": "https://evil.example/c"}),
    "jwk header": lambda m: m.encode(_claims(m), headers={"jwk": Minter().jwks()["keys"][0]}),
    "tampered payload": _tampered,
    "signed by another key": _other_key,
    "garbage": lambda m: "not.a.token",
}


@pytest.mark.parametrize("attack", sorted(ATTACKS))
async def test_attack_is_refused(attack: str) -> None:
    authenticator, mint = make_test_tokens()
    token = ATTACKS[attack](mint)
    with pytest.raises(Unauthenticated):
        await authenticator.authenticate(f"Bearer {token}")


async def test_token_after_deactivation_is_refused() -> None:
    cache = MemoryCache()
    authenticator, mint = make_test_tokens(cache=cache)
    token = mint(USER, Role.PATIENT)
    assert await authenticator.authenticate(f"Bearer {token}") is not None
    state = UserState(active=False, role=Role.PATIENT, valid_after=time.time())
    await publish_user_state(cache, USER, state, ttl_seconds=60)
    with pytest.raises(Unauthenticated):
        await authenticator.authenticate(f"Bearer {token}")


async def test_token_after_role_change_is_refused_and_new_one_accepted() -> None:
    cache = MemoryCache()
    authenticator, mint = make_test_tokens(cache=cache)
    old = mint(USER, Role.PATIENT)
    state = UserState(active=True, role=Role.DOCTOR, valid_after=round(time.time(), 3))
    await publish_user_state(cache, USER, state, ttl_seconds=60)
    with pytest.raises(Unauthenticated):
        await authenticator.authenticate(f"Bearer {old}")
    new = mint(USER, Role.DOCTOR, claims={"iat": state.valid_after})
    principal = await authenticator.authenticate(f"Bearer {new}")
    assert principal is not None
    assert principal.role is Role.DOCTOR


async def test_token_issued_before_sessions_valid_after_is_refused() -> None:
    cache = MemoryCache()
    authenticator, mint = make_test_tokens(cache=cache)
    token = mint(USER, Role.PATIENT, claims={"iat": time.time() - 5})
    state = UserState(active=True, role=Role.PATIENT, valid_after=time.time() - 1)
    await publish_user_state(cache, USER, state, ttl_seconds=60)
    with pytest.raises(Unauthenticated):
        await authenticator.authenticate(f"Bearer {token}")


async def test_token_of_a_revoked_session_is_refused() -> None:
    cache = MemoryCache()
    authenticator, mint = make_test_tokens(cache=cache)
    token = mint(USER, Role.PATIENT, session_id="s1")
    other = mint(USER, Role.PATIENT, session_id="s2")
    await publish_session_revoked(cache, "s1", ttl_seconds=60)
    with pytest.raises(Unauthenticated):
        await authenticator.authenticate(f"Bearer {token}")
    assert await authenticator.authenticate(f"Bearer {other}") is not None


async def test_unavailable_cache_fails_closed_as_service_unavailable_not_as_a_bad_token() -> None:
    """Issue 15: with Redis cut, UNAUTHENTICATED made clients sign every user out."""

    class Broken(MemoryCache):
        async def get(self, key: str) -> bytes | None:
            raise ConnectionError("down")

    authenticator, mint = make_test_tokens(cache=Broken())
    with pytest.raises(ServiceUnavailable) as refused:
        await authenticator.authenticate(f"Bearer {mint(USER)}")
    assert refused.value.code == "SERVICE_UNAVAILABLE"
    with pytest.raises(Unauthenticated):  # a bad token is still a bad token
        await authenticator.authenticate("Bearer forged")


def test_bearer_helper_builds_the_header() -> None:
    assert bearer("abc") == {"Authorization": "Bearer abc"}


def test_jwks_parsing_keeps_only_ed25519_signing_keys() -> None:
    minter = Minter()
    document = minter.jwks()
    document["keys"].append({"kty": "RSA", "kid": "rsa", "n": "x", "e": "AQAB"})
    document["keys"].append({**document["keys"][0], "kid": "enc", "use": "enc"})
    assert list(parse_jwks(document)) == [minter.kid]


class _Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def test_remote_jwks_refetches_unknown_kid_at_most_once_per_interval() -> None:
    old, new = Minter(), Minter()
    served = {"document": old.jwks()}
    calls = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request.url)
        return httpx.Response(200, json=served["document"])

    clock = _Clock()
    async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as client:
        keys = RemoteJwks(
            "http://identity/jwks", client=client, min_refresh_seconds=30, clock=clock
        )
        verifier = JwtVerifier(keys=keys, issuer=old.issuer, audience=old.audience)
        assert await verifier.verify(old(USER)) is not None
        assert len(calls) == 1
        served["document"] = {"keys": old.jwks()["keys"] + new.jwks()["keys"]}  # rotation
        with pytest.raises(Unauthenticated):  # within the interval: no re-fetch
            await verifier.verify(new(USER))
        with pytest.raises(Unauthenticated):
            await verifier.verify(new(USER))
        assert len(calls) == 1
        clock.now += 31
        assert await verifier.verify(new(USER)) is not None
        assert await verifier.verify(old(USER)) is not None  # old key kept
        assert len(calls) == 2


async def test_remote_jwks_keeps_known_keys_when_the_fetch_fails() -> None:
    minter = Minter()
    healthy = {"up": True}

    def handler(request: httpx.Request) -> httpx.Response:
        if healthy["up"]:
            return httpx.Response(200, json=minter.jwks())
        return httpx.Response(503)

    clock = _Clock()
    async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as client:
        keys = RemoteJwks("http://identity/jwks", client=client, max_age_seconds=60, clock=clock)
        assert await keys.key(minter.kid) is not None
        healthy["up"] = False
        clock.now += 120
        assert await keys.key(minter.kid) is not None


def test_static_jwks_of_a_generated_key() -> None:
    key = Ed25519PrivateKey.generate()
    minter = Minter(private_key=key, kid="k1")
    assert "k1" in parse_jwks(minter.jwks())
    assert StaticJwks(minter.jwks()) is not None


def test_token_settings_defaults_and_errors() -> None:
    settings = TokenSettings.from_env({})
    assert settings.jwks_url == "http://127.0.0.1:4001/.well-known/jwks.json"
    assert settings.issuer == "healthbook"
    with pytest.raises(ConfigError, match="JWKS_URL"):
        TokenSettings.from_env({"JWKS_URL": "file:///etc/passwd"})
    with pytest.raises(ConfigError, match="JWKS_REFRESH_SECONDS"):
        TokenSettings.from_env({"JWKS_REFRESH_SECONDS": "soon"})


def test_process_authenticator_follows_the_identity_port_unless_jwks_url_is_set() -> None:
    settings = Settings.from_env({"IDENTITY_PORT": "5001"})
    verifier = authenticator_from_settings(settings, None, environ={})
    assert isinstance(verifier.keys, RemoteJwks)
    assert verifier.keys.url == "http://127.0.0.1:5001/.well-known/jwks.json"
    explicit = {"JWKS_URL": "https://id.example/jwks"}
    verifier = authenticator_from_settings(settings, None, environ=explicit)
    assert isinstance(verifier.keys, RemoteJwks)
    assert verifier.keys.url == "https://id.example/jwks"
