"""A bounded closed-loop load generator: N workers, each sending its next request when the
previous answer arrives (like k6's constant VUs), every answer checked."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

__all__ = ["LoadResult", "closed_loop"]

# One iteration: does the work, returns whether the answer was right.
Iteration = Callable[[], Awaitable[bool]]


@dataclass(frozen=True)
class LoadResult:
    requests: int
    failures: int
    seconds: float
    latencies: list[float]

    @property
    def rps(self) -> float:
        return self.requests / self.seconds

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies)
        if not ordered:
            return float("nan")
        return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]


async def closed_loop(iteration: Iteration, *, concurrency: int, seconds: float) -> LoadResult:
    """Run `concurrency` workers for `seconds`; requests still in flight then are waited for."""
    latencies: list[float] = []
    failures = 0
    started = time.perf_counter()
    stop = started + seconds

    async def worker() -> None:
        nonlocal failures
        while time.perf_counter() < stop:
            begin = time.perf_counter()
            try:
                ok = await iteration()
            except Exception:
                ok = False
            latencies.append(time.perf_counter() - begin)
            if not ok:
                failures += 1

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return LoadResult(len(latencies), failures, time.perf_counter() - started, latencies)
