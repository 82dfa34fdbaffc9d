"""What the router's own HTTP routes (FHIR, the calendar feed, the audit export, cookie
sessions) are handed to run GraphQL operations through the gateway as a client would."""

from __future__ import annotations

from collections.abc import Callable

from starlette.requests import Request

from router.gateway import Gateway

__all__ = ["GatewayRef", "HeadersOf"]

GatewayRef = Callable[[], Gateway | None]
"""The serving gateway, or None while the router is starting or reloading."""

HeadersOf = Callable[[Request], dict[str, str]]
"""The headers a client request forwards to the subgraphs (its token, its address)."""
