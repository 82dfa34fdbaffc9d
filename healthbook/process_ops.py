"""The ops port of the worker and the scheduler: /health/live, /health/ready, /metrics.

Liveness says only that the process still runs its loop: a RabbitMQ outage must not get the
pod restarted (the broker client reconnects by itself). Readiness asks the broker (a TCP
connection) and each store (`SELECT 1`), every check bounded by a timeout.
"""

from __future__ import annotations

import asyncio
import contextlib
import urllib.parse
from collections.abc import Awaitable, Callable, Mapping

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

__all__ = ["Check", "broker_check", "process_ops_app"]

Check = Callable[[], Awaitable[None]]
CHECK_TIMEOUT_SECONDS = 3.0


AMQP_HEADER = b"AMQP\x00\x00\x09\x01"
METHOD_FRAME = b"\x01"


def broker_check(broker_url: str) -> Check:
    """The broker of `broker_url` answers the AMQP 0-9-1 greeting with its Connection.Start
    frame (a port that accepts and hangs up is not a broker). Nothing to reach in-process."""

    async def check() -> None:
        if not broker_url:
            return
        parts = urllib.parse.urlsplit(broker_url)
        secure = parts.scheme == "amqps"
        port = parts.port or (5671 if secure else 5672)
        reader, writer = await asyncio.open_connection(
            parts.hostname or "", port, ssl=True if secure else None
        )
        try:
            writer.write(AMQP_HEADER)
            await writer.drain()
            if await reader.read(1) != METHOD_FRAME:
                raise ConnectionError("the broker did not greet")
        finally:
            writer.close()
            with contextlib.suppress(OSError):
                await writer.wait_closed()

    return check


async def _failed(checks: Mapping[str, Check]) -> list[str]:
    async def run(name: str, check: Check) -> str | None:
        try:
            await asyncio.wait_for(check(), CHECK_TIMEOUT_SECONDS)
        except Exception:
            return name
        return None

    results = await asyncio.gather(*(run(name, check) for name, check in checks.items()))
    return [name for name in results if name]


def process_ops_app(
    registry: CollectorRegistry,
    checks: Mapping[str, Check],
    *,
    alive: Callable[[], bool] = lambda: True,
    before_scrape: Check | None = None,
) -> Starlette:
    """The ops app: `checks` decide readiness, `alive()` liveness, `registry` the metrics
    (refreshed by `before_scrape` first, whose failure leaves the previous values)."""

    async def live(_request: Request) -> Response:
        if alive():
            return JSONResponse({"status": "ok"})
        return JSONResponse({"status": "stopped"}, 503)

    async def ready(_request: Request) -> Response:
        failed = await _failed(checks)
        if failed:
            return JSONResponse({"status": "unavailable", "failed": failed}, 503)
        return JSONResponse({"status": "ready"})

    async def metrics(_request: Request) -> Response:
        if before_scrape is not None:
            await _failed({"scrape": before_scrape})
        return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)

    return Starlette(
        routes=[
            Route("/health/live", live),
            Route("/health/ready", ready),
            Route("/metrics", metrics),
        ]
    )
