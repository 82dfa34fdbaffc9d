"""CSRF prevention: only requests a browser cannot send cross-site without a preflight.

A "simple" request (GET, or POST with a form/text content type and no custom header) can be
fired by any web page at a logged-in user's browser. We execute an operation only when the
request carries a content type other than the three simple ones, or one of the non-simple
headers below, which browsers never add cross-site without a CORS preflight we do not grant.
GET queries therefore need a header too (GraphiQL and our clients send one).
"""

from __future__ import annotations

from starlette.datastructures import Headers

from router.edge.refusal import Refusal

__all__ = ["PREFLIGHT_HEADERS", "check_csrf"]

PREFLIGHT_HEADERS = ("apollo-require-preflight", "x-apollo-operation-name", "x-healthbook-csrf")
_SIMPLE_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data", "text/plain")


def check_csrf(headers: Headers) -> None:
    """Raise `Refusal` (400 `CSRF_PREVENTED`) for a request that could be a forged one."""
    if any(headers.get(name) for name in PREFLIGHT_HEADERS):
        return
    content_type = headers.get("content-type")
    if content_type is not None:
        media = content_type.split(";", 1)[0].strip().lower()
        if media and media not in _SIMPLE_TYPES:
            return
    raise Refusal(
        400,
        "CSRF_PREVENTED",
        "This request could have been sent by another site: send it with "
        "content-type application/json or the header 'x-healthbook-csrf: 1'.",
    )
