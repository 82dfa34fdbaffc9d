"""The reference web app (`web/`, built by Vite into `router/static/web/`) served at `/`.

Files the build made are served as they are (hashed `/assets/*` cached for a year); any other
GET path that is not an API or asset route gets `index.html`, so deep links such as
`/doctors/<id>` or `/reset-password?token=…` open the app, which routes in the browser.
The page has no inline script; a strict Content-Security-Policy says so.
"""

from __future__ import annotations

from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

__all__ = ["CSP", "WEB_ASSETS", "web_routes"]

WEB_ASSETS = Path(__file__).resolve().parent / "static" / "web"
# Paths other routes own: never answered with the app's page.
RESERVED = ("/graphql", "/graphiql", "/health", "/metrics", "/auth", "/assets")
CSP = "; ".join(
    (
        "default-src 'none'",
        "script-src 'self'",
        # React Aria, Recharts and the calendar set style attributes at run time; no script.
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        # FullCalendar's icon font is a data: URL.
        "font-src 'self' data:",
        "connect-src 'self'",
        "manifest-src 'self'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "object-src 'none'",
    )
)
_PAGE_HEADERS = {
    "content-security-policy": CSP,
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "cache-control": "no-cache",
    "x-frame-options": "DENY",
}
_MISSING = (
    "<!doctype html><title>Healthbook</title>"
    "<p>The web app is not built: run <code>make node</code> (or <code>make run</code>).</p>"
)


class _ImmutableFiles(StaticFiles):
    """Content-hashed build output: cacheable for a year, sniffing off."""

    async def get_response(self, path: str, scope: Scope) -> Response:
        response = await super().get_response(path, scope)
        if response.status_code == 200:
            response.headers["cache-control"] = "public, max-age=31536000, immutable"
        response.headers["x-content-type-options"] = "nosniff"
        return response


def _is_reserved(path: str) -> bool:
    return any(path == prefix or path.startswith(prefix + "/") for prefix in RESERVED)


def web_routes(assets: Path = WEB_ASSETS) -> list[BaseRoute]:
    """`/assets/*` from the build, top-level build files, and the app page for everything else."""

    async def page(request: Request) -> Response:
        path = request.url.path
        if _is_reserved(path):
            return Response("Not Found", 404, media_type="text/plain")
        index = assets / "index.html"
        if not index.is_file():
            return HTMLResponse(_MISSING, 503, headers=_PAGE_HEADERS)
        name = path.strip("/")
        if name and "/" not in name and name != "index.html":
            candidate = assets / name
            if candidate.is_file():  # favicon.svg, robots.txt, …
                return FileResponse(candidate, headers={"x-content-type-options": "nosniff"})
        return FileResponse(index, media_type="text/html", headers=_PAGE_HEADERS)

    return [
        Mount(
            "/assets",
            app=_ImmutableFiles(directory=assets / "assets", check_dir=False),
            name="web-assets",
        ),
        Route("/{path:path}", page, methods=["GET", "HEAD"], name="web-app"),
    ]
