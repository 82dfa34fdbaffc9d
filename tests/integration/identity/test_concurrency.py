"""Concurrent use of one refresh token, and concurrent guesses against the account limit."""

from __future__ import annotations

import asyncio
import uuid

from subgraphs.identity import service
from subgraphs.identity.credentials.throttle import LoginThrottle
from subgraphs.identity.domain import InvalidToken
from subgraphs.shared.cache import RedisCache
from subgraphs.shared.errors import RateLimited
from tests.integration.identity.conftest import Api


async def test_one_refresh_token_used_concurrently_succeeds_at_most_once(api: Api) -> None:
    await api.register("ann@example.org")
    tokens = await api.login("ann@example.org")

    async def use() -> service.Tokens | Exception:
        try:
            return await service.refresh(
                ident=api.ident, refresh_token=tokens["refreshToken"], origin=service.Origin()
            )
        except InvalidToken as error:
            return error

    results = await asyncio.gather(*(use() for _ in range(8)))
    winners = [r for r in results if isinstance(r, service.Tokens)]
    assert len(winners) <= 1
    assert len(results) - len(winners) >= 7
    # Whoever lost replayed the token: the family is revoked, the winner's tokens too.
    for winner in winners:
        again = await api.gql(
            "mutation($t: String!) { refreshToken(input: {refreshToken: $t}) { accessToken } }",
            {"t": winner.refresh_token},
        )
        assert again["errors"][0]["extensions"]["code"] == "INVALID_TOKEN"


async def _guesses(limiter: LoginThrottle, account: str, count: int) -> int:
    async def attempt(n: int) -> bool:
        try:
            await limiter.check(account, f"10.1.{n // 200}.{n % 200}")
        except RateLimited:
            return False
        return True

    return sum(await asyncio.gather(*(attempt(n) for n in range(count))))


async def test_concurrent_guesses_never_exceed_the_account_limit_on_redis(redis_url: str) -> None:
    cache = RedisCache.from_url(redis_url, prefix=f"test-{uuid.uuid4().hex}:")
    try:
        limiter = LoginThrottle(cache, max_per_account_hour=20)
        assert await _guesses(limiter, "ann@example.org", 60) == 20
    finally:
        await cache.close()
