"""The edge rules for one request, in order: transport (middleware), CSRF, authentication,
rate limit, persisted queries, operation limits. `Edge` also warms the plan cache from the
persisted operations and scrubs field suggestions from errors when they are off."""

from __future__ import annotations

import contextlib
import logging
import re
from collections.abc import AsyncIterator
from typing import Any

from graphql import parse
from redis.asyncio import Redis
from starlette.middleware import Middleware
from starlette.requests import HTTPConnection

from router.cache import LRUCache
from router.edge.body import BodyCap
from router.edge.config import EdgeConfig
from router.edge.csrf import check_csrf
from router.edge.demand_control import CostModel, DemandControl
from router.edge.limits import OperationLimits
from router.edge.persisted import Manifest, PersistedQueries, load_manifest
from router.edge.ratelimit import MemoryCounter, RateLimiter, RedisCounter, WindowCounter
from router.edge.refusal import Refusal
from router.edge.transport import TransportPolicy
from router.gateway import Gateway, GraphQLRequest, RequestError
from router.selection import PlanningError
from subgraphs.shared.auth import Authenticator, Principal
from subgraphs.shared.errors import ServiceUnavailable, Unauthenticated

__all__ = ["Edge"]

log = logging.getLogger("healthbook.router.edge")
_SUGGESTION = re.compile(r"\s*Did you mean .*\?$")


class Edge:
    """What the router checks before the query pipeline (one per process)."""

    def __init__(
        self,
        config: EdgeConfig,
        *,
        authenticator: Authenticator | None = None,
        counter: WindowCounter | None = None,
    ) -> None:
        self.config = config
        self.authenticator = authenticator
        self.counter = counter
        self.manifest: Manifest | None = (
            load_manifest(config.persisted_operations) if config.persisted_operations else None
        )
        self.persisted = PersistedQueries(
            apq=config.apq,
            cache_size=config.apq_cache_size,
            manifest=self.manifest,
            safelist=config.safelist,
        )
        self.demand: DemandControl | None = None  # set by `warm`, once the supergraph is known
        self.limits = OperationLimits(
            max_tokens=config.max_tokens,
            max_depth=config.max_depth,
            max_aliases=config.max_aliases,
            max_root_fields=config.max_root_fields,
            introspection=config.introspection,
        )
        # The limits' verdict per query text: True when within them.
        self.verdicts: LRUCache[str, Refusal | bool] = LRUCache(4096)
        self.rate_limiter: RateLimiter | None = None

    def middleware(self) -> list[Middleware]:
        """ASGI middleware for the whole app: HTTPS policy outermost, then the body cap."""
        return [
            Middleware(
                TransportPolicy,
                require_https=self.config.require_https,
                hsts_max_age=self.config.hsts_max_age,
                trusted_proxies=self.config.trusted_proxies,
            ),
            Middleware(BodyCap, limit=self.config.max_body_bytes),
        ]

    @contextlib.asynccontextmanager
    async def running(self) -> AsyncIterator[None]:
        """Connect the rate-limit counter (Redis when `REDIS_URL` is set) for the app's life."""
        redis: Redis | None = None
        counter = self.counter
        if counter is None:
            if self.config.redis_url:
                redis = Redis.from_url(self.config.redis_url)
                counter = RedisCounter(redis, self.config.redis_prefix)
            else:
                counter = MemoryCounter()
        self.rate_limiter = RateLimiter(
            counter, limit=self.config.rate_limit, window=self.config.rate_limit_window
        )
        try:
            yield
        finally:
            self.rate_limiter = None
            if redis is not None:
                await redis.aclose()

    async def admit(self, connection: HTTPConnection, *, csrf: bool = True) -> Principal | None:
        """CSRF, authentication and rate limit for an HTTP request; `Refusal` otherwise."""
        if csrf and self.config.csrf_prevention:
            check_csrf(connection.headers)
        principal = await self.authenticate(connection.headers.get("authorization"))
        await self.limit_rate(connection, principal)
        return principal

    async def authenticate(self, authorization: str | None) -> Principal | None:
        """The caller, None when anonymous; `Refusal` (401 UNAUTHENTICATED) for bad tokens,
        503 SERVICE_UNAVAILABLE when a token cannot be checked right now (retry, not sign in)."""
        if self.authenticator is None or not authorization:
            return None
        try:
            return await self.authenticator.authenticate(authorization)
        except Unauthenticated as error:
            raise Refusal(401, "UNAUTHENTICATED", str(error) or "Unauthenticated.") from None
        except ServiceUnavailable as error:
            raise Refusal(
                503, "SERVICE_UNAVAILABLE", error.message, headers={"retry-after": "1"}
            ) from None

    async def limit_rate(self, connection: HTTPConnection, principal: Principal | None) -> None:
        if self.rate_limiter is None:
            return
        if principal is not None:
            client = f"user:{principal.user_id}"
        else:
            client = f"addr:{connection.client.host if connection.client else 'unknown'}"
        await self.rate_limiter.check(client)

    def resolve(self, request: GraphQLRequest) -> GraphQLRequest:
        """Persisted queries and operation limits; `Refusal` when either says no."""
        resolved = self.persisted.resolve(request)
        verdict = self.verdicts.get(resolved.query)
        if verdict is None:
            try:
                self.limits.check(resolved.query)
            except Refusal as refusal:
                verdict = refusal
            else:
                verdict = True
            self.verdicts.put(resolved.query, verdict)
        if isinstance(verdict, Refusal):
            raise verdict
        if self.demand is not None:
            self.demand.check(parse(resolved.query), resolved.variables, resolved.operation_name)
        return resolved

    def scrub(self, body: dict[str, Any]) -> dict[str, Any]:
        """Remove 'Did you mean …?' hints from error messages when suggestions are off."""
        if self.config.field_suggestions or not body.get("errors"):
            return body
        for error in body["errors"]:
            if isinstance(error, dict) and isinstance(error.get("message"), str):
                error["message"] = _SUGGESTION.sub("", error["message"])
        return body

    def warm(self, gateway: Gateway) -> int:
        """Parse, validate and plan every persisted operation; how many plans are cached.
        Also reads the supergraph's `@cost`/`@listSize` for demand control when it is on."""
        if self.config.max_cost > 0:
            model = CostModel.from_schema(gateway.supergraph.schema)
            self.demand = DemandControl(model, self.config.max_cost, self.config.default_list_size)
        if self.manifest is None:
            return 0
        warmed = 0
        for body in self.manifest.bodies():
            try:
                prepared = gateway.prepare(GraphQLRequest(query=body))
                gateway.plan(prepared, {})
            except (RequestError, PlanningError) as error:
                log.warning("persisted operation not warmed: %s", error)
                continue
            warmed += 1
        return warmed
