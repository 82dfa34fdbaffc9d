"""The operations port: `/metrics` and `/health/*` apart from the public port.

With `HEALTHBOOK_OPS_PORT` set, a server's public port no longer answers `/metrics` or
`/health/*` (what an Ingress publishes never shows them) and a second listener on the ops
port answers only those, for probes and Prometheus. The router's metrics are read from its
registry directly, so its HTTPS policy (which exempts only health checks) does not refuse a
plain-HTTP scrape from inside the cluster.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Final

from prometheus_client import CONTENT_TYPE_LATEST
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

from subgraphs.shared.settings import ConfigError, Variable

__all__ = ["VARIABLES", "ops_app", "ops_port", "public_app"]

VARIABLES: Final = (
    Variable(
        "HEALTHBOOK_OPS_PORT",
        "port of /metrics and /health/* apart from the public port (never published); "
        "0: both on the public port (worker, scheduler: no HTTP at all)",
        "0",
    ),
)
HEALTH_PATHS: Final = ("/health/live", "/health/ready")


def ops_port(environ: Mapping[str, str]) -> int | None:
    """The configured ops port, or None when it is unset or 0."""
    raw = environ.get("HEALTHBOOK_OPS_PORT", "").strip() or "0"
    try:
        port = int(raw)
    except ValueError:
        raise ConfigError(f"HEALTHBOOK_OPS_PORT must be a port number, got {raw!r}") from None
    if not 0 <= port <= 65535:
        raise ConfigError(f"HEALTHBOOK_OPS_PORT must be between 0 and 65535, got {port}")
    return port or None


def _is_ops_path(path: str) -> bool:
    return path == "/metrics" or path.startswith("/health/")


def public_app(app: ASGIApp) -> ASGIApp:
    """`app` without `/metrics` and `/health/*` (404), for the public port."""

    async def serve(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and _is_ops_path(scope["path"]):
            await JSONResponse({"errors": [{"message": "Not found."}]}, 404)(scope, receive, send)
            return
        await app(scope, receive, send)

    return serve


async def _lifespan(receive: Receive, send: Send) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return


def ops_app(app: ASGIApp, exposition: Callable[[], bytes] | None = None) -> ASGIApp:
    """The ops listener of `app`: its health checks, and `exposition()` (or its own
    `/metrics`) as `/metrics`. `app`'s lifespan stays with the public server."""

    async def serve(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await _lifespan(receive, send)
            return
        path = scope.get("path", "")
        if scope["type"] == "http" and path == "/metrics" and exposition is not None:
            response = Response(exposition(), media_type=CONTENT_TYPE_LATEST)
            await response(scope, receive, send)
        elif scope["type"] == "http" and (path in HEALTH_PATHS or path == "/metrics"):
            await app(scope, receive, send)
        elif scope["type"] == "http":
            await JSONResponse({"errors": [{"message": "Not found."}]}, 404)(scope, receive, send)
        else:
            await send({"type": "websocket.close", "code": 1008})

    return serve
