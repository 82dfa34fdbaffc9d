"""Login throttling rules, on the in-process cache with a controlled clock."""

from __future__ import annotations

import pytest

from subgraphs.identity.credentials.throttle import HOUR, LoginThrottle, backoff_seconds
from subgraphs.shared.cache import MemoryCache
from subgraphs.shared.errors import RateLimited


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def throttle(**limits: int) -> tuple[LoginThrottle, Clock]:
    clock = Clock()
    return LoginThrottle(MemoryCache(), clock=clock, **limits), clock


def test_back_off_doubles_after_three_failures_up_to_fifteen_minutes() -> None:
    assert [backoff_seconds(n) for n in range(1, 8)] == [0, 0, 2, 4, 8, 16, 32]
    assert backoff_seconds(40) == 900


async def test_failures_from_one_address_wait_ever_longer() -> None:
    limiter, clock = throttle()
    for _ in range(3):
        await limiter.check("ann@example.org", "1.1.1.1")
        await limiter.failed("ann@example.org", "1.1.1.1")
    with pytest.raises(RateLimited) as refused:
        await limiter.check("ann@example.org", "1.1.1.1")
    assert refused.value.extensions["retryAfterSeconds"] == 2
    clock.now += 2
    await limiter.check("ann@example.org", "1.1.1.1")
    await limiter.failed("ann@example.org", "1.1.1.1")
    clock.now += 3
    with pytest.raises(RateLimited):
        await limiter.check("ann@example.org", "1.1.1.1")
    clock.now += 1
    await limiter.check("ann@example.org", "1.1.1.1")


async def test_the_owner_signing_in_elsewhere_is_not_slowed_by_an_attacker() -> None:
    limiter, _ = throttle()
    for _ in range(5):
        await limiter.failed("ann@example.org", "6.6.6.6")
    with pytest.raises(RateLimited):
        await limiter.check("ann@example.org", "6.6.6.6")
    await limiter.check("ann@example.org", "1.1.1.1")


async def test_at_most_the_hourly_limit_per_account_from_unknown_addresses() -> None:
    limiter, clock = throttle(max_per_account_hour=100)
    for n in range(100):
        await limiter.check("ann@example.org", f"10.0.{n // 250}.{n % 250}")
        await limiter.failed("ann@example.org", f"10.0.{n // 250}.{n % 250}")
    with pytest.raises(RateLimited):
        await limiter.check("ann@example.org", "10.9.9.9")
    clock.now += 2 * HOUR  # not permanent
    await limiter.check("ann@example.org", "10.9.9.9")


async def test_addresses_the_account_signed_in_from_bypass_the_account_limit() -> None:
    limiter, _ = throttle(max_per_account_hour=5)
    await limiter.check("ann@example.org", "1.1.1.1")
    await limiter.succeeded("ann@example.org", "1.1.1.1")
    for n in range(10):
        try:
            await limiter.check("ann@example.org", f"10.0.0.{n}")
        except RateLimited:
            continue
        await limiter.failed("ann@example.org", f"10.0.0.{n}")
    with pytest.raises(RateLimited):
        await limiter.check("ann@example.org", "10.0.0.99")
    await limiter.check("ann@example.org", "1.1.1.1")


async def test_a_password_reset_forgives_the_account() -> None:
    limiter, _ = throttle(max_per_account_hour=3)
    for n in range(3):
        await limiter.check("ann@example.org", f"10.0.0.{n}")
    with pytest.raises(RateLimited):
        await limiter.check("ann@example.org", "10.0.0.9")
    await limiter.forgive_account("ann@example.org")
    await limiter.check("ann@example.org", "10.0.0.9")


async def test_one_address_cannot_try_accounts_without_end() -> None:
    limiter, _ = throttle(max_per_address_hour=20)
    for n in range(20):
        await limiter.check(f"user{n}@example.org", "6.6.6.6")
        await limiter.failed(f"user{n}@example.org", "6.6.6.6")
    with pytest.raises(RateLimited):
        await limiter.check("someone@example.org", "6.6.6.6")
    await limiter.check("someone@example.org", "1.1.1.1")


async def test_concurrent_guesses_never_exceed_the_account_limit() -> None:
    import asyncio

    limiter, _ = throttle(max_per_account_hour=20)

    async def attempt(n: int) -> bool:
        try:
            await limiter.check("ann@example.org", f"10.1.0.{n}")
        except RateLimited:
            return False
        return True

    assert sum(await asyncio.gather(*(attempt(n) for n in range(100)))) == 20
