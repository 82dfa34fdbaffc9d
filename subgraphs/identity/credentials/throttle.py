"""Login throttling with counters in the shared cache (Redis, or in-process when embedded).

Three limits, checked before a password is verified (so a throttled attempt learns nothing):

- per account and client address: after 3 consecutive failures the next attempt waits
  2, 4, 8, … seconds (at most 15 minutes). Attempts batched as aliases in one GraphQL
  request run one after another, so each meets the wait set by the one before.
- per account: at most `LOGIN_MAX_FAILURES_PER_HOUR` (≤ 100) attempts per rolling hour
  from addresses the account has not signed in from. Counted *before* the check
  (atomically), so concurrent attempts cannot overshoot.
- per client address: at most `LOGIN_MAX_FAILURES_PER_ADDRESS_PER_HOUR` failures per
  rolling hour across all accounts (credential stuffing). Each attempt is reserved
  before its password is checked and given back when it succeeds, so concurrent
  attempts cannot overshoot either.

No permanent lock-out: every limit expires (at most two hours after the attack stops);
the account limit does not apply from addresses where the account signed in during the
last 30 days; a completed password reset clears the account's counters. Unknown and known
accounts are treated alike. Keys hold digests, never the email address or client address:
`throttle:login:…`.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from subgraphs.shared.cache import Cache
from subgraphs.shared.errors import RateLimited

FREE_FAILURES = 3
MAX_BACKOFF_SECONDS = 900
HOUR = 3600
TRUSTED_SECONDS = 30 * 24 * HOUR
PREFIX = "throttle:login:"


def _h(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()[:24]


def backoff_seconds(consecutive_failures: int) -> int:
    """The wait before the next attempt after this many consecutive failures."""
    if consecutive_failures < FREE_FAILURES:
        return 0
    return int(min(2 ** (consecutive_failures - FREE_FAILURES + 1), MAX_BACKOFF_SECONDS))


def _refuse(retry_after: float) -> RateLimited:
    return RateLimited(
        "Too many sign-in attempts; try again later.",
        retryAfterSeconds=max(1, int(retry_after + 0.999)),
    )


@dataclass
class LoginThrottle:
    cache: Cache
    max_per_account_hour: int = 100
    max_per_address_hour: int = 300
    clock: Callable[[], float] = field(default=time.time)

    def _keys(self, account: str, address: str) -> tuple[str, str, str, str]:
        a, c = _h(account), _h(address)
        return (
            f"{PREFIX}acct:{a}",
            f"{PREFIX}addr:{c}",
            f"{PREFIX}pair:{a}:{c}",
            f"{PREFIX}trusted:{a}:{c}",
        )

    async def _window(self, key: str, *, count: bool) -> int:
        """Attempts in the current and previous hour buckets (a rolling-hour upper bound)."""
        bucket = int(self.clock() // HOUR)
        previous = await self.cache.get(f"{key}:{bucket - 1}")
        if count:
            current = await self.cache.increment(f"{key}:{bucket}", ttl_seconds=2 * HOUR)
        else:
            raw = await self.cache.get(f"{key}:{bucket}")
            current = int(raw) if raw else 0
        return current + (int(previous) if previous else 0)

    async def _reserve(self, key: str) -> int:
        """Count this attempt now, before its password is checked: the attempts in the
        current and previous hour buckets, less those given back (`_release`)."""
        bucket = int(self.clock() // HOUR)
        current = await self.cache.increment(f"{key}:{bucket}", ttl_seconds=2 * HOUR)
        total = current
        for name in (f"{key}:{bucket - 1}",):
            raw = await self.cache.get(name)
            total += int(raw) if raw else 0
        for name in (f"{key}:back:{bucket}", f"{key}:back:{bucket - 1}"):
            raw = await self.cache.get(name)
            total -= int(raw) if raw else 0
        return total

    async def _release(self, key: str) -> None:
        """Give back a reserved attempt that did not fail (signed in, or refused untried)."""
        bucket = int(self.clock() // HOUR)
        await self.cache.increment(f"{key}:back:{bucket}", ttl_seconds=2 * HOUR)

    async def check(self, account: str, address: str) -> None:
        """Raise RATE_LIMITED when this attempt must not be tried now.

        The address's attempt is reserved here, atomically, so that concurrent attempts
        cannot overshoot the per-address limit; `succeeded` gives it back.
        """
        acct, addr, pair, trusted = self._keys(account, address)
        until = await self.cache.get(f"{pair}:until")
        now = self.clock()
        if until is not None and now < float(until):
            raise _refuse(float(until) - now)
        if await self._reserve(addr) > self.max_per_address_hour:
            await self._release(addr)
            raise _refuse(HOUR - now % HOUR)
        untrusted = await self.cache.get(trusted) is None
        if untrusted and await self._window(acct, count=True) > self.max_per_account_hour:
            await self._release(addr)
            raise _refuse(HOUR - now % HOUR)

    async def failed(self, account: str, address: str) -> None:
        """After a checked attempt failed (its address attempt stays counted)."""
        _, _, pair, _ = self._keys(account, address)
        streak = await self.cache.increment(f"{pair}:streak", ttl_seconds=HOUR)
        wait = backoff_seconds(streak)
        if wait:
            until = str(self.clock() + wait).encode()
            await self.cache.set(f"{pair}:until", until, ttl_seconds=wait + 1)

    async def succeeded(self, account: str, address: str) -> None:
        _, addr, pair, trusted = self._keys(account, address)
        await self._release(addr)
        await self.cache.delete(f"{pair}:streak")
        await self.cache.delete(f"{pair}:until")
        await self.cache.set(trusted, b"1", ttl_seconds=TRUSTED_SECONDS)

    async def forgive_account(self, account: str) -> None:
        """Clear the account's hourly counter (after its owner proved control by a reset)."""
        acct = self._keys(account, "")[0]
        bucket = int(self.clock() // HOUR)
        for offset in (0, 1):
            await self.cache.delete(f"{acct}:{bucket - offset}")
