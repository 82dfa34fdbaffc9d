"""GraphiQL for admins at `GET /graphql` (Accept: text/html), served by the router itself.

The page loads only files the router serves under `/graphiql/`: React, GraphiQL and the
explorer plugin copied from npm at build time (`make node` → `router/static/vendor/`), and
our small `app/graphiql.js`. No inline script, no CDN; a strict Content-Security-Policy says so.
"""

from __future__ import annotations

from pathlib import Path

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

__all__ = ["ASSETS", "CSP", "graphiql_page", "graphiql_route", "wants_graphiql"]

ASSETS = Path(__file__).resolve().parent / "static"
PREFIX = "/graphiql"
VENDOR_FILES = (
    "react.production.min.js",
    "react-dom.production.min.js",
    "graphiql.min.js",
    "graphiql.min.css",
    "plugin-explorer.umd.js",
    "plugin-explorer.css",
)
CSP = "; ".join(
    (
        "default-src 'none'",
        "script-src 'self'",
        # CodeMirror and GraphiQL set style attributes at run time.
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
    )
)
_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Healthbook GraphiQL</title>
<link rel="stylesheet" href="{prefix}/vendor/graphiql.min.css">
<link rel="stylesheet" href="{prefix}/vendor/plugin-explorer.css">
<link rel="stylesheet" href="{prefix}/app/graphiql.css">
</head>
<body>
<div id="graphiql" data-endpoint="{endpoint}">Loading GraphiQL…</div>
<script src="{prefix}/vendor/react.production.min.js"></script>
<script src="{prefix}/vendor/react-dom.production.min.js"></script>
<script src="{prefix}/vendor/graphiql.min.js"></script>
<script src="{prefix}/vendor/plugin-explorer.umd.js"></script>
<script src="{prefix}/app/graphiql.js"></script>
</body>
</html>
"""
_SECURITY_HEADERS = {
    "content-security-policy": CSP,
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "cache-control": "no-store",
}


def wants_graphiql(request: Request) -> bool:
    """A browser navigating to the endpoint (GET asking for HTML; `?query=` prefills)."""
    return request.method == "GET" and "text/html" in request.headers.get("accept", "")


def graphiql_page(endpoint: str = "/graphql", assets: Path = ASSETS) -> Response:
    """The GraphiQL page, or 503 naming the build step when the assets were not copied."""
    missing = [name for name in VENDOR_FILES if not (assets / "vendor" / name).is_file()]
    if missing:
        return HTMLResponse(
            "<p>GraphiQL's assets are not installed: run <code>make node</code>.</p>",
            503,
            headers=_SECURITY_HEADERS,
        )
    page = _PAGE.format(prefix=PREFIX, endpoint=endpoint)
    return HTMLResponse(page, headers=_SECURITY_HEADERS)


def graphiql_route(assets: Path = ASSETS) -> Mount:
    """The static files under /graphiql (vendor/ and app/)."""
    return Mount(PREFIX, app=StaticFiles(directory=assets, check_dir=False), name="graphiql")
