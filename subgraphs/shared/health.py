"""Liveness and readiness endpoints: live means the process answers, ready means its
dependencies (store, broker, cache) answer too."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

Check = Callable[[], Awaitable[None]]
CHECK_TIMEOUT_SECONDS = 3.0


async def _run(check: Check) -> str:
    try:
        await asyncio.wait_for(check(), CHECK_TIMEOUT_SECONDS)
    except Exception as error:
        return f"down: {type(error).__name__}"
    return "up"


def health_routes(checks: Mapping[str, Check]) -> list[Route]:
    """`/health/live` and `/health/ready` (503 with the failing checks named)."""

    async def live(_: Request) -> JSONResponse:
        return JSONResponse({"status": "live"})

    async def ready(_: Request) -> JSONResponse:
        names = list(checks)
        results = await asyncio.gather(*(_run(checks[name]) for name in names))
        report = dict(zip(names, results, strict=True))
        ok = all(result == "up" for result in results)
        return JSONResponse(
            {"status": "ready" if ok else "not ready", "checks": report},
            status_code=200 if ok else 503,
        )

    return [Route("/health/live", live), Route("/health/ready", ready)]
