"""The one access-token verifier, used by the router and every subgraph.

Identity signs access tokens (JWT, EdDSA/Ed25519, 15 minutes) and serves its public keys as
a JWKS at `/.well-known/jwks.json`. :class:`JwtVerifier` implements the
:class:`~subgraphs.shared.auth.Authenticator` protocol and accepts a token only when:

- the header's `alg` is `EdDSA` (the allow-list; `none`, HS*/RS* are refused, so HMAC
  signed with the public key cannot pass), it has a `kid` that the JWKS knows, and it has no
  `jku`, `x5u`, `jwk`, `x5c` or `crit` header (keys never come from the token itself);
- the signature verifies; `exp`, `nbf`, `iat`, `iss`, `aud`, `sub`, `jti` and `role` are
  present, `iss`/`aud` match, `exp`/`nbf` hold (with a small leeway for clock skew);
- the session state that identity publishes in the :class:`~subgraphs.shared.cache.Cache`
  (Redis in the distributed mode, the shared in-process cache in the embedded one) allows it.

Cache key namespace (written by identity, read here; values are small JSON/bytes):

- ``auth:user:<user uuid>`` → ``{"active": bool, "role": "PATIENT|DOCTOR|ADMIN",
  "valid_after": <unix seconds, float>}``, written whenever a user is deactivated or
  reactivated, changes role, or ends all sessions (password change/reset). Tokens issued
  before `valid_after` (`iat` carries milliseconds), with another role, or of an inactive
  user are refused. TTL at least the access-token lifetime: older tokens are expired anyway.
- ``auth:session:<sid>`` → ``b"revoked"``: the session (refresh-token family, the `sid`
  claim) was ended by logout or reuse detection; its access tokens are refused.

JWKS keys come from a URL (fetched with httpx, cached for `JWKS_MAX_AGE_SECONDS`, re-fetched
on an unknown `kid` at most once per `JWKS_REFRESH_SECONDS`) or are given statically.
"""

from __future__ import annotations

import asyncio
import base64
import logging
import os
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Final, Protocol

import httpx
import jwt
import orjson
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from subgraphs.shared.auth import Principal, Role, bearer_token
from subgraphs.shared.cache import Cache
from subgraphs.shared.errors import Unauthenticated
from subgraphs.shared.settings import ConfigError, Settings, Variable

log = logging.getLogger("healthbook.tokens")

ALGORITHM: Final = "EdDSA"
FORBIDDEN_HEADERS: Final = frozenset({"jku", "x5u", "jwk", "x5c", "crit"})
REQUIRED_CLAIMS: Final = ("exp", "nbf", "iat", "iss", "aud", "sub", "jti", "role")
MAX_TOKEN_LENGTH: Final = 4096
USER_STATE_PREFIX: Final = "auth:user:"
SESSION_PREFIX: Final = "auth:session:"

VARIABLES: Final[tuple[Variable, ...]] = (
    Variable(
        "JWT_ISSUER", "`iss` of access tokens (identity signs, everyone checks)", "healthbook"
    ),
    Variable("JWT_AUDIENCE", "`aud` of access tokens", "healthbook"),
    Variable(
        "JWKS_URL",
        "where verifiers fetch identity's public keys",
        "http://127.0.0.1:4001/.well-known/jwks.json",
    ),
    Variable("JWKS_REFRESH_SECONDS", "least time between re-fetches on an unknown kid", "30"),
    Variable("JWKS_MAX_AGE_SECONDS", "how long fetched keys are trusted before re-fetching", "300"),
    Variable("JWT_LEEWAY_SECONDS", "clock skew tolerated on exp/nbf", "10"),
)


def _read(environ: Mapping[str, str], name: str) -> str:
    declared = next(item for item in VARIABLES if item.name == name)
    return environ.get(name) or declared.default or ""


def _seconds(environ: Mapping[str, str], name: str) -> int:
    raw = _read(environ, name)
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number of seconds, got {raw!r}") from None
    if value < 0:
        raise ConfigError(f"{name} must not be negative, got {value}")
    return value


@dataclass(frozen=True)
class TokenSettings:
    """How verifiers find and judge tokens; read once by :meth:`from_env`."""

    issuer: str
    audience: str
    jwks_url: str
    jwks_refresh_seconds: int
    jwks_max_age_seconds: int
    leeway_seconds: int

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> TokenSettings:
        values = dict(os.environ) if environ is None else dict(environ)
        url = _read(values, "JWKS_URL")
        if not url.startswith(("http://", "https://")):
            raise ConfigError(f"JWKS_URL must be an http(s) URL, got {url!r}")
        return cls(
            issuer=_read(values, "JWT_ISSUER"),
            audience=_read(values, "JWT_AUDIENCE"),
            jwks_url=url,
            jwks_refresh_seconds=_seconds(values, "JWKS_REFRESH_SECONDS"),
            jwks_max_age_seconds=_seconds(values, "JWKS_MAX_AGE_SECONDS"),
            leeway_seconds=_seconds(values, "JWT_LEEWAY_SECONDS"),
        )


# ---------------------------------------------------------------- session state in the cache


@dataclass(frozen=True)
class UserState:
    """What identity says about a user right now, for every verifier to honour."""

    active: bool
    role: Role
    valid_after: float

    def to_bytes(self) -> bytes:
        return orjson.dumps(
            {"active": self.active, "role": self.role.value, "valid_after": self.valid_after}
        )

    @classmethod
    def from_bytes(cls, raw: bytes) -> UserState:
        data = orjson.loads(raw)
        return cls(
            active=bool(data["active"]),
            role=Role(data["role"]),
            valid_after=float(data["valid_after"]),
        )


async def publish_user_state(
    cache: Cache, user_id: uuid.UUID, state: UserState, *, ttl_seconds: int
) -> None:
    """Tell every verifier the user's current role/active flag and sessions-valid-after time."""
    await cache.set(f"{USER_STATE_PREFIX}{user_id}", state.to_bytes(), ttl_seconds=ttl_seconds)


async def publish_session_revoked(cache: Cache, session_id: str, *, ttl_seconds: int) -> None:
    """Tell every verifier that access tokens of this session (`sid`) are no longer valid."""
    await cache.set(f"{SESSION_PREFIX}{session_id}", b"revoked", ttl_seconds=ttl_seconds)


# ---------------------------------------------------------------- keys


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


# ---------------------------------------------------------------- the verifier


class JwtVerifier:
    """The :class:`Authenticator` of every component: EdDSA JWT access tokens from identity."""

    def __init__(
        self,
        *,
        keys: KeySource,
        issuer: str,
        audience: str,
        cache: Cache | None = None,
        leeway_seconds: float = 10.0,
    ) -> None:
        self.keys = keys
        self.issuer = issuer
        self.audience = audience
        self.cache = cache
        self.leeway = leeway_seconds

    async def authenticate(self, authorization: str | None) -> Principal | None:
        token = bearer_token(authorization)
        return None if token is None else await self.verify(token)

    async def verify(self, token: str) -> Principal:
        """The principal of a valid access token; UNAUTHENTICATED for anything else."""
        claims = await self._decode(token)
        try:
            principal = Principal(
                user_id=uuid.UUID(str(claims["sub"])),
                role=Role(claims["role"]),
                token_id=str(claims["jti"]),
                issued_at=datetime.fromtimestamp(float(claims["iat"]), UTC),
                claims=claims,
            )
        except (ValueError, TypeError, OverflowError):
            raise _invalid() from None
        await self._check_session(principal, float(claims["iat"]), claims.get("sid"))
        return principal

    async def _decode(self, token: str) -> dict[str, Any]:
        if len(token) > MAX_TOKEN_LENGTH:
            raise _invalid()
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError:
            raise _invalid() from None
        kid = header.get("kid")
        if header.get("alg") != ALGORITHM or FORBIDDEN_HEADERS & header.keys():
            raise _invalid()
        if not isinstance(kid, str) or not kid:
            raise _invalid()
        key = await self.keys.key(kid)
        if key is None:
            raise _invalid()
        try:
            return jwt.decode(
                token,
                key=key,
                algorithms=[ALGORITHM],
                audience=self.audience,
                issuer=self.issuer,
                leeway=self.leeway,
                options={"require": list(REQUIRED_CLAIMS), "strict_aud": True},
            )
        except jwt.ExpiredSignatureError:
            raise Unauthenticated("The access token has expired.") from None
        except jwt.PyJWTError:
            raise _invalid() from None

    async def _check_session(self, principal: Principal, issued_at: float, sid: object) -> None:
        if self.cache is None:
            return
        try:
            raw = await self.cache.get(f"{USER_STATE_PREFIX}{principal.user_id}")
            revoked = (
                await self.cache.get(f"{SESSION_PREFIX}{sid}") if isinstance(sid, str) else None
            )
        except Exception:  # the cache is down: fail closed
            log.warning("session state unavailable", exc_info=True)
            raise Unauthenticated("Your session cannot be checked right now; retry.") from None
        if revoked is not None:
            raise Unauthenticated("This session has ended; sign in again.")
        if raw is None:
            return
        state = UserState.from_bytes(raw)
        if not state.active or issued_at < state.valid_after or state.role is not principal.role:
            raise Unauthenticated("This session is no longer valid; sign in again.")


def _invalid() -> Unauthenticated:
    return Unauthenticated("The access token is invalid.")


def verifier_from_settings(
    settings: TokenSettings, *, cache: Cache | None, client: httpx.AsyncClient | None = None
) -> JwtVerifier:
    """The verifier of a component that fetches keys from identity's JWKS URL."""
    keys = RemoteJwks(
        settings.jwks_url,
        client=client,
        min_refresh_seconds=settings.jwks_refresh_seconds,
        max_age_seconds=settings.jwks_max_age_seconds,
    )
    return JwtVerifier(
        keys=keys,
        issuer=settings.issuer,
        audience=settings.audience,
        cache=cache,
        leeway_seconds=settings.leeway_seconds,
    )


def authenticator_from_settings(
    settings: Settings, cache: Cache | None, environ: Mapping[str, str] | None = None
) -> JwtVerifier:
    """The verifier of a process: token variables from the environment, session state from
    `cache`; without an explicit `JWKS_URL` the keys come from the local identity port."""
    values = dict(os.environ) if environ is None else dict(environ)
    if not values.get("JWKS_URL"):
        host = "127.0.0.1" if settings.host in ("0.0.0.0", "::", "") else settings.host  # noqa: S104
        port = settings.ports["identity"]
        values["JWKS_URL"] = f"http://{host}:{port}/.well-known/jwks.json"
    return verifier_from_settings(TokenSettings.from_env(values), cache=cache)
