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

import logging
import os
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Final

import httpx
import jwt
import orjson

from subgraphs.shared.auth import Principal, Role, bearer_token
from subgraphs.shared.cache import Cache
from subgraphs.shared.errors import ServiceUnavailable, Unauthenticated
from subgraphs.shared.jwks import ALGORITHM, KeySource, RemoteJwks, StaticJwks, parse_jwks
from subgraphs.shared.settings import ConfigError, Settings, Variable

__all__ = [
    "ALGORITHM",
    "VARIABLES",
    "JwtVerifier",
    "KeySource",
    "RemoteJwks",
    "StaticJwks",
    "TokenSettings",
    "UserState",
    "authenticator_from_settings",
    "parse_jwks",
    "publish_session_revoked",
    "publish_user_state",
    "verifier_from_settings",
]

log = logging.getLogger("healthbook.tokens")

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
        """The principal of a valid access token; UNAUTHENTICATED for anything else, or
        SERVICE_UNAVAILABLE when the session state cannot be read (the cache is down)."""
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
        except Exception:  # the cache is down: fail closed, but not as a bad token
            # UNAUTHENTICATED would tell clients to sign in again (the web app does): every
            # user would be signed out by a Redis outage. The token may be fine; retry.
            log.warning("session state unavailable", exc_info=True)
            raise ServiceUnavailable("Your session cannot be checked right now; retry.") from None
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
