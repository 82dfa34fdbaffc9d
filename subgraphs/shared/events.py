"""Domain events: named in the past tense, versioned, with an id, a UTC time and a payload.

Each subgraph defines its own events (its `events.py`) as frozen dataclasses deriving
from :class:`DomainEvent`; consumers keep their own copy of the shape they read and only
see the :class:`EventEnvelope` that travels on the bus.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Mapping
from datetime import UTC, date, datetime, time
from decimal import Decimal
from enum import Enum
from typing import Any, ClassVar


def _jsonable(value: Any) -> Any:
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError("event times must be timezone-aware")
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_jsonable(v) for v in value]
    return value


@dataclasses.dataclass(frozen=True, kw_only=True)
class DomainEvent:
    """Base of every event a subgraph publishes; subclasses add payload fields."""

    type: ClassVar[str]
    version: ClassVar[int] = 1

    event_id: uuid.UUID = dataclasses.field(default_factory=uuid.uuid4)
    occurred_at: datetime = dataclasses.field(default_factory=lambda: datetime.now(UTC))

    def payload(self) -> dict[str, Any]:
        """The event's own fields as JSON-ready values."""
        return {
            f.name: _jsonable(getattr(self, f.name))
            for f in dataclasses.fields(self)
            if f.name not in ("event_id", "occurred_at")
        }

    def envelope(self, *, source: str, traceparent: str | None = None) -> EventEnvelope:
        return EventEnvelope(
            id=str(self.event_id),
            type=self.type,
            version=self.version,
            source=source,
            occurred_at=self.occurred_at.astimezone(UTC).isoformat(),
            payload=self.payload(),
            traceparent=traceparent,
        )


@dataclasses.dataclass(frozen=True)
class EventEnvelope:
    """What travels on the bus; plain JSON so that consumers depend on no publisher code."""

    id: str
    type: str
    version: int
    source: str
    occurred_at: str
    payload: dict[str, Any]
    traceparent: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> EventEnvelope:
        try:
            return cls(
                id=str(data["id"]),
                type=str(data["type"]),
                version=int(data["version"]),
                source=str(data["source"]),
                occurred_at=str(data["occurred_at"]),
                payload=dict(data["payload"]),
                traceparent=data.get("traceparent"),
            )
        except (KeyError, TypeError, ValueError) as error:
            raise ValueError(f"malformed event envelope: {error}") from error

    @property
    def uuid(self) -> uuid.UUID:
        return uuid.UUID(self.id)

    @property
    def time(self) -> datetime:
        return datetime.fromisoformat(self.occurred_at)
