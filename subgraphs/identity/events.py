"""Events the identity subgraph publishes."""

from __future__ import annotations

import dataclasses
import uuid

from subgraphs.shared.events import DomainEvent

SOURCE = "identity"


@dataclasses.dataclass(frozen=True, kw_only=True)
class UserRegistered(DomainEvent):
    type = "UserRegistered"

    user_id: uuid.UUID
    email: str
    name: str
    role: str
