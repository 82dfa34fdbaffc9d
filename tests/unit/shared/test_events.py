from __future__ import annotations

import dataclasses
import uuid
from datetime import UTC, datetime

import pytest

from subgraphs.shared.events import DomainEvent, EventEnvelope


@dataclasses.dataclass(frozen=True, kw_only=True)
class ThingHappened(DomainEvent):
    type = "ThingHappened"
    version = 2

    thing_id: uuid.UUID
    at: datetime


def test_envelope_carries_id_type_version_time_and_json_payload() -> None:
    thing = uuid.uuid4()
    event = ThingHappened(thing_id=thing, at=datetime(2026, 3, 29, 1, 30, tzinfo=UTC))
    envelope = event.envelope(source="tests")
    assert envelope.id == str(event.event_id)
    assert envelope.type == "ThingHappened"
    assert envelope.version == 2
    assert envelope.payload == {"thing_id": str(thing), "at": "2026-03-29T01:30:00+00:00"}
    assert EventEnvelope.from_dict(envelope.to_dict()) == envelope


def test_naive_times_are_refused() -> None:
    event = ThingHappened(thing_id=uuid.uuid4(), at=datetime(2026, 3, 29, 1, 30))
    with pytest.raises(ValueError, match="timezone-aware"):
        event.envelope(source="tests")


def test_malformed_envelopes_are_refused() -> None:
    with pytest.raises(ValueError, match="malformed event envelope"):
        EventEnvelope.from_dict({"id": "x"})
