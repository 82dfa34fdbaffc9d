"""The live resources one component needs, opened in its lifespan and closed on shutdown."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from subgraphs.shared.auth import Anonymous, Authenticator
from subgraphs.shared.bus import EventBus
from subgraphs.shared.cache import Cache, MemoryCache, RedisCache
from subgraphs.shared.database import Database
from subgraphs.shared.pubsub import MemoryPubSub, PubSub, RedisPubSub
from subgraphs.shared.settings import Settings


@dataclass
class Shared:
    """In-process cache and pub/sub for the embedded mode, shared by every component."""

    cache: Cache = field(default_factory=MemoryCache)
    pubsub: PubSub = field(default_factory=MemoryPubSub)


@dataclass
class Resources:
    """A component's store, cache, pub/sub, event bus and authenticator."""

    component: str
    settings: Settings
    database: Database
    cache: Cache
    pubsub: PubSub
    bus: EventBus | None = None
    authenticator: Authenticator = field(default_factory=Anonymous)
    extras: dict[str, Any] = field(default_factory=dict)
    _owns_cache: bool = False

    @classmethod
    def open(
        cls,
        component: str,
        settings: Settings,
        *,
        shared: Shared | None = None,
        bus: EventBus | None = None,
        authenticator: Authenticator | None = None,
    ) -> Resources:
        """Open connections per the settings: Redis when configured, else the in-process ones."""
        database = Database.from_url(settings.require_database(component))
        cache: Cache
        pubsub: PubSub
        if settings.redis_url:
            cache = RedisCache.from_url(settings.redis_url, prefix=settings.redis_prefix)
            pubsub = RedisPubSub.from_url(settings.redis_url, prefix=settings.redis_prefix)
            owns = True
        else:
            local = shared or Shared()
            cache, pubsub, owns = local.cache, local.pubsub, shared is None
        return cls(
            component=component,
            settings=settings,
            database=database,
            cache=cache,
            pubsub=pubsub,
            bus=bus,
            authenticator=authenticator or Anonymous(),
            _owns_cache=owns,
        )

    async def close(self) -> None:
        await self.database.dispose()
        if self._owns_cache:
            await self.cache.close()
            await self.pubsub.close()
