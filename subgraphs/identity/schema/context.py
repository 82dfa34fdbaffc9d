"""What resolvers take from the request: identity's runtime, the client's address, ids, pages."""

from __future__ import annotations

import uuid

from subgraphs.identity.schema.types import Info
from subgraphs.identity.service import Origin
from subgraphs.identity.wiring import Identity, identity_of
from subgraphs.shared.errors import BadUserInput

MAX_PAGE = 100


def ident(info: Info) -> Identity:
    return identity_of(info.context.resources)


def origin(info: Info) -> Origin:
    """The client address: the last `X-Forwarded-For` entry (added by the router), else the peer."""
    request = info.context.request
    forwarded = [part.strip() for part in request.headers.get("x-forwarded-for", "").split(",")]
    address = next((part for part in reversed(forwarded) if part), None)
    if address is None and request.client is not None:
        address = request.client.host
    return Origin(address=address[:64] if address else None)


def user_id(raw: object, *, field: str = "userId") -> uuid.UUID:
    try:
        return uuid.UUID(str(raw))
    except ValueError:
        raise BadUserInput("Not a user id.", field=field) from None


def page(offset: int, limit: int) -> tuple[int, int]:
    if offset < 0 or not 1 <= limit <= MAX_PAGE:
        raise BadUserInput(f"offset must be ≥ 0 and limit 1 to {MAX_PAGE}.", field="limit")
    return offset, limit
