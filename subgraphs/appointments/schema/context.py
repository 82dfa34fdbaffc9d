"""What every resolver of this subgraph needs from `info`: the use cases' deps and the actor."""

from __future__ import annotations

import uuid

import strawberry

from subgraphs.appointments import wiring
from subgraphs.appointments.domain import Actor
from subgraphs.appointments.service.lifecycle import Deps
from subgraphs.shared.errors import BadUserInput
from subgraphs.shared.graphql import Context

Info = strawberry.Info[Context, None]


def deps(info: Info) -> Deps:
    return wiring.install(info.context.resources)


def actor(info: Info) -> Actor:
    """The signed-in caller (UNAUTHENTICATED otherwise)."""
    principal = info.context.require()
    return Actor(user_id=principal.user_id, role=principal.role)


def maybe_actor(info: Info) -> Actor | None:
    principal = info.context.principal
    return None if principal is None else Actor(user_id=principal.user_id, role=principal.role)


def parse_id(value: strawberry.ID | str, field: str = "id") -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise BadUserInput("Not a valid id.", field=field) from None
