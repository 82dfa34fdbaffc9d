"""Identity's extra HTTP routes (the JWKS) and what it does on start (the first admin)."""

from __future__ import annotations

from collections.abc import Sequence

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import BaseRoute, Route

from subgraphs.identity import service
from subgraphs.identity.wiring import identity_of
from subgraphs.shared.resources import Resources

JWKS_PATH = "/.well-known/jwks.json"


def routes(resources: Resources) -> Sequence[BaseRoute]:
    """`GET /.well-known/jwks.json`: the public keys verifiers accept (keys load at start)."""
    ident = identity_of(resources)

    async def jwks(_: Request) -> JSONResponse:
        return JSONResponse(ident.keys.jwks(), headers={"Cache-Control": "public, max-age=300"})

    return [Route(JWKS_PATH, jwks, methods=["GET"])]


async def on_start(resources: Resources) -> None:
    """Create the first admin from HEALTHBOOK_ADMIN_EMAIL/PASSWORD when there is none."""
    await service.ensure_first_admin(ident=identity_of(resources))
