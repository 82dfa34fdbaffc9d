"""What identity's use cases need, assembled once per process from its resources."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from argon2 import PasswordHasher

from subgraphs.identity.credentials import keys, passwords
from subgraphs.identity.credentials.keys import KeyRing
from subgraphs.identity.credentials.throttle import LoginThrottle
from subgraphs.identity.settings import IdentitySettings
from subgraphs.shared.cache import Cache
from subgraphs.shared.database import Database
from subgraphs.shared.resources import Resources
from subgraphs.shared.tokens import TokenSettings

STATE_MARGIN_SECONDS = 120
EXTRA_KEY = "identity"


def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass
class Identity:
    """Store, cache, configuration, signing keys, password hasher, throttle and clock."""

    db: Database
    cache: Cache
    settings: IdentitySettings
    tokens: TokenSettings
    keys: KeyRing
    hasher: PasswordHasher
    throttle: LoginThrottle
    clock: Callable[[], datetime] = field(default=utcnow)

    @property
    def state_ttl_seconds(self) -> int:
        """How long published session state must live: past the last token it concerns."""
        return (
            self.settings.access_token_ttl_seconds
            + self.tokens.leeway_seconds
            + (STATE_MARGIN_SECONDS)
        )

    @classmethod
    def build(
        cls,
        *,
        db: Database,
        cache: Cache,
        settings: IdentitySettings,
        tokens: TokenSettings,
        keys: KeyRing,
        hasher: PasswordHasher | None = None,
    ) -> Identity:
        return cls(
            db=db,
            cache=cache,
            settings=settings,
            tokens=tokens,
            keys=keys,
            hasher=hasher
            or passwords.hasher(
                time_cost=settings.argon2_time_cost,
                memory_kib=settings.argon2_memory_kib,
                parallelism=settings.argon2_parallelism,
            ),
            throttle=LoginThrottle(
                cache,
                max_per_account_hour=settings.login_max_failures_per_hour,
                max_per_address_hour=settings.login_max_failures_per_address_per_hour,
            ),
        )


def identity_of(resources: Resources) -> Identity:
    """The process's `Identity`, read from the environment on first use (tests may preset it)."""
    existing = resources.extras.get(EXTRA_KEY)
    if isinstance(existing, Identity):
        return existing
    settings = IdentitySettings.from_env()
    ring = keys.load(
        settings, data_dir=resources.settings.data_dir, production=resources.settings.production
    )
    built = Identity.build(
        db=resources.database,
        cache=resources.cache,
        settings=settings,
        tokens=TokenSettings.from_env(),
        keys=ring,
    )
    resources.extras[EXTRA_KEY] = built
    return built
