"""Identity's own configuration variables (the token verifier's are in `shared/tokens.py`)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

from subgraphs.shared.settings import ConfigError, Variable

_IDENTITY = ("identity",)

VARIABLES: Final[tuple[Variable, ...]] = (
    Variable(
        "JWT_PRIVATE_KEY",
        "PEM (PKCS#8) Ed25519 private key that signs access tokens; "
        "the embedded mode generates one into the data directory when unset",
        required_in_production=True,
        components=_IDENTITY,
    ),
    Variable(
        "JWT_ADDITIONAL_PUBLIC_KEYS",
        "extra PEM public keys served in the JWKS (key rotation): the next key before it "
        "signs, the retired key until the tokens it signed have expired",
        components=_IDENTITY,
    ),
    Variable("ACCESS_TOKEN_TTL_SECONDS", "access token lifetime", "900", components=_IDENTITY),
    Variable("REFRESH_TOKEN_TTL_DAYS", "absolute session lifetime", "30", components=_IDENTITY),
    Variable(
        "PASSWORD_RESET_TTL_MINUTES", "password reset token lifetime", "60", components=_IDENTITY
    ),
    Variable("INVITATION_TTL_HOURS", "doctor invitation lifetime", "72", components=_IDENTITY),
    Variable(
        "LOGIN_MAX_FAILURES_PER_HOUR",
        "failed logins per account per hour (from addresses it never signed in from)",
        "100",
        components=_IDENTITY,
    ),
    Variable(
        "LOGIN_MAX_FAILURES_PER_ADDRESS_PER_HOUR",
        "failed logins per client address per hour, across accounts",
        "300",
        components=_IDENTITY,
    ),
    Variable("ARGON2_TIME_COST", "argon2id iterations (at least 2)", "2", components=_IDENTITY),
    Variable(
        "ARGON2_MEMORY_KIB",
        "argon2id memory in KiB (at least 19456)",
        "19456",
        components=_IDENTITY,
    ),
    Variable("ARGON2_PARALLELISM", "argon2id lanes (at least 1)", "1", components=_IDENTITY),
    Variable(
        "HEALTHBOOK_ADMIN_EMAIL",
        "email of the first admin, created on start when no admin exists",
        components=_IDENTITY,
    ),
    Variable(
        "HEALTHBOOK_ADMIN_PASSWORD",
        "password of that first admin (8 to 128 characters, not a common one)",
        components=_IDENTITY,
    ),
)


def _text(values: Mapping[str, str], name: str) -> str:
    declared = next(item for item in VARIABLES if item.name == name)
    return values.get(name) or declared.default or ""


def _integer(values: Mapping[str, str], name: str, *, minimum: int, maximum: int = 2**31) -> int:
    raw = _text(values, name)
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, got {raw!r}") from None
    if not minimum <= value <= maximum:
        raise ConfigError(f"{name} must be between {minimum} and {maximum}, got {value}")
    return value


@dataclass(frozen=True)
class IdentitySettings:
    """Identity's configuration, read once at start."""

    private_key_pem: str = ""
    additional_public_keys_pem: str = ""
    access_token_ttl_seconds: int = 900
    refresh_token_ttl_days: int = 30
    password_reset_ttl_minutes: int = 60
    invitation_ttl_hours: int = 72
    login_max_failures_per_hour: int = 100
    login_max_failures_per_address_per_hour: int = 300
    argon2_time_cost: int = 2
    argon2_memory_kib: int = 19456
    argon2_parallelism: int = 1
    admin_email: str = ""
    admin_password: str = ""

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> IdentitySettings:
        values = dict(os.environ) if environ is None else dict(environ)
        admin_email, admin_password = (
            _text(values, "HEALTHBOOK_ADMIN_EMAIL"),
            _text(values, "HEALTHBOOK_ADMIN_PASSWORD"),
        )
        if bool(admin_email) != bool(admin_password):
            raise ConfigError(
                "HEALTHBOOK_ADMIN_EMAIL and HEALTHBOOK_ADMIN_PASSWORD must be set together"
            )
        return cls(
            private_key_pem=_text(values, "JWT_PRIVATE_KEY"),
            additional_public_keys_pem=_text(values, "JWT_ADDITIONAL_PUBLIC_KEYS"),
            access_token_ttl_seconds=_integer(values, "ACCESS_TOKEN_TTL_SECONDS", minimum=30),
            refresh_token_ttl_days=_integer(values, "REFRESH_TOKEN_TTL_DAYS", minimum=1),
            password_reset_ttl_minutes=_integer(values, "PASSWORD_RESET_TTL_MINUTES", minimum=1),
            invitation_ttl_hours=_integer(values, "INVITATION_TTL_HOURS", minimum=1),
            login_max_failures_per_hour=_integer(
                values, "LOGIN_MAX_FAILURES_PER_HOUR", minimum=1, maximum=100
            ),
            login_max_failures_per_address_per_hour=_integer(
                values, "LOGIN_MAX_FAILURES_PER_ADDRESS_PER_HOUR", minimum=1
            ),
            argon2_time_cost=_integer(values, "ARGON2_TIME_COST", minimum=2),
            argon2_memory_kib=_integer(values, "ARGON2_MEMORY_KIB", minimum=19456),
            argon2_parallelism=_integer(values, "ARGON2_PARALLELISM", minimum=1),
            admin_email=admin_email,
            admin_password=admin_password,
        )
