"""The feed route: the token in the path is the only credential; anything wrong is a 404."""

from __future__ import annotations

import hashlib
import re
from typing import Final

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from router.calendar.ics import render
from router.edge.guard import Edge
from router.edge.refusal import Refusal
from router.gateway import GraphQLRequest
from router.through_gateway import GatewayRef, HeadersOf

__all__ = ["FEED_QUERY", "calendar_routes"]


FEED_QUERY: Final = """query CalendarFeed($token: String!) {
  calendarFeed(token: $token) {
    entries {
      id start end status timeZone updatedAt role seriesId recurrenceStart doctor { name }
    }
    series { id rule firstStart timeZone refusedStarts }
  }
}"""
ICS: Final = "text/calendar; charset=utf-8"
# Calendar apps poll; five minutes keeps them current without asking on every refresh.
CACHE_CONTROL: Final = "private, max-age=300"
_TOKEN: Final = re.compile(r"[A-Za-z0-9_-]{48}")
_NOT_FOUND: Final = {"cache-control": "no-store"}


def calendar_routes(gateway_ref: GatewayRef, edge: Edge | None, headers_of: HeadersOf) -> Route:
    """`GET /calendar/<token>.ics`, read from the appointments subgraph as nobody but the token."""

    async def feed(request: Request) -> Response:
        token = request.path_params["token"]
        gateway = gateway_ref()
        if gateway is None:
            return Response(status_code=503, headers={"retry-after": "5"})
        try:
            if edge is not None:
                await edge.limit_rate(request, None)
        except Refusal as refusal:
            return Response(status_code=refusal.status, headers=refusal.headers)
        if not _TOKEN.fullmatch(token):
            return Response(status_code=404, headers=_NOT_FOUND)
        # The caller's own credentials are not forwarded: the feed is its owner's view.
        headers = {k: v for k, v in headers_of(request).items() if k != "authorization"}
        outcome = await gateway.execute(
            GraphQLRequest(query=FEED_QUERY, variables={"token": token}), headers=headers
        )
        data = outcome.body.get("data") or {}
        found = data.get("calendarFeed")
        if outcome.body.get("errors") and found is None:
            return Response(status_code=503, headers={"retry-after": "5", **_NOT_FOUND})
        if found is None:
            return Response(status_code=404, headers=_NOT_FOUND)
        body = render(found["entries"], found.get("series") or [])
        etag = f'"{hashlib.sha256(body).hexdigest()[:32]}"'
        cached = {"etag": etag, "cache-control": CACHE_CONTROL}
        if etag in _tags(request.headers.get("if-none-match")):
            return Response(status_code=304, headers=cached)
        return Response(body, 200, headers=cached, media_type=ICS)

    return Route("/calendar/{token}.ics", feed, methods=["GET", "HEAD"])


def _tags(header: str | None) -> set[str]:
    if not header:
        return set()
    return {part.strip().removeprefix("W/") for part in header.split(",")}
