"""Making doctors the way production does: identity's events, then an admin's approval."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx
import orjson

from subgraphs.doctors import consumers
from subgraphs.shared.auth import Role
from subgraphs.shared.events import EventEnvelope
from subgraphs.shared.resources import Resources
from tests.support.tokens import Minter, bearer

# Monday 4 January 2027, 06:00 UTC: every test sees the same "now".
NOW = datetime(2027, 1, 4, 6, 0, tzinfo=UTC)
ADMIN = uuid.uuid4()


@dataclass
class Api:
    """Posts GraphQL to the subgraph as a given user (or anonymously)."""

    http: httpx.AsyncClient
    resources: Resources
    mint: Minter

    async def call(
        self,
        query: str,
        variables: Mapping[str, Any] | None = None,
        *,
        user: uuid.UUID | None = None,
        role: Role = Role.PATIENT,
    ) -> dict[str, Any]:
        headers = {"content-type": "application/json"}
        if user is not None:
            headers.update(bearer(self.mint(user, role)))
        body = orjson.dumps({"query": query, "variables": dict(variables or {})})
        response = await self.http.post("/graphql", content=body, headers=headers)
        result: dict[str, Any] = response.json()
        return result

    async def data(
        self,
        query: str,
        variables: Mapping[str, Any] | None = None,
        *,
        user: uuid.UUID | None = None,
        role: Role = Role.PATIENT,
    ) -> dict[str, Any]:
        """The `data` of a call that must succeed."""
        result = await self.call(query, variables, user=user, role=role)
        assert "errors" not in result, result["errors"]
        data: dict[str, Any] = result["data"]
        return data

    async def admin(self, query: str, variables: Mapping[str, Any] | None = None) -> dict[str, Any]:
        return await self.data(query, variables, user=ADMIN, role=Role.ADMIN)

    async def deliver(self, event_type: str, payload: Mapping[str, Any], **kw: Any) -> str:
        """Hand one event to the consumer, as the worker does; returns the event id."""
        envelope = EventEnvelope(
            id=kw.get("event_id", str(uuid.uuid4())),
            type=event_type,
            version=1,
            source=kw.get("source", "identity"),
            occurred_at=kw.get("occurred_at", NOW.isoformat()),
            payload=dict(payload),
        )
        await consumers.handle(envelope, self.resources)
        return envelope.id


def error_code(result: Mapping[str, Any]) -> str:
    code: str = result["errors"][0]["extensions"]["code"]
    return code


PROFILE = """mutation($id: ID, $input: DoctorProfileInput!) {
  updateDoctorProfile(id: $id, input: $input) { id name status city fee currency timeZone }
}"""
APPROVE = "mutation($id: ID!) { approveDoctor(id: $id) { id status } }"
SET_RULES = """mutation($doctorId: ID, $rules: [WeeklyRuleInput!]!) {
  setWeeklyAvailability(doctorId: $doctorId, rules: $rules) { id weekday start end slotMinutes }
}"""
MY_PROFILE = "{ myDoctorProfile { id userId status } }"


@dataclass(frozen=True)
class NewDoctor:
    id: str
    user_id: uuid.UUID

    async def call(self, api: Api, query: str, variables: dict[str, Any] | None = None) -> Any:
        return await api.call(query, variables, user=self.user_id, role=Role.DOCTOR)


async def registered_doctor(api: Api, name: str = "Ana Silva") -> NewDoctor:
    """A self-registered (PENDING) doctor, created from identity's `UserRegistered`."""
    user_id = uuid.uuid4()
    await api.deliver(
        "UserRegistered",
        {
            "user_id": str(user_id),
            "email": f"{user_id.hex[:8]}@example.org",
            "name": name,
            "role": "DOCTOR",
            "language": "en",
            "time_zone": "Europe/Berlin",
        },
    )
    data = await api.data(MY_PROFILE, user=user_id, role=Role.DOCTOR)
    return NewDoctor(id=data["myDoctorProfile"]["id"], user_id=user_id)


async def approved_doctor(
    api: Api,
    name: str = "Ana Silva",
    *,
    profile: dict[str, Any] | None = None,
    rules: list[dict[str, Any]] | None = None,
) -> NewDoctor:
    """A registered doctor an admin approved, with a profile and weekly rules."""
    doctor = await registered_doctor(api, name)
    await api.admin(APPROVE, {"id": doctor.id})
    defaults: dict[str, Any] = {
        "city": "Berlin",
        "specializations": ["cardiology"],
        "languages": ["de", "en"],
        "fee": "80.00",
        "currency": "EUR",
        "timeZone": "Europe/Berlin",
    }
    await api.admin(PROFILE, {"id": doctor.id, "input": {**defaults, **(profile or {})}})
    if rules is not None:
        await api.admin(SET_RULES, {"doctorId": doctor.id, "rules": rules})
    return doctor


def weekdays(start: str = "09:00", end: str = "12:00", minutes: int = 30) -> list[dict[str, Any]]:
    names = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY")
    return [{"weekday": d, "start": start, "end": end, "slotMinutes": minutes} for d in names]


async def published(api: Api, event_type: str) -> list[dict[str, Any]]:
    """Payloads of the events of `event_type` in the doctors outbox, oldest first."""
    from sqlmodel import col, select

    from subgraphs.shared.outbox import OutboxMessage

    async with api.resources.database.session() as session:
        rows = await session.exec(
            select(OutboxMessage)
            .where(col(OutboxMessage.event_type) == event_type)
            .order_by(col(OutboxMessage.created_at))
        )
        return [row.payload for row in rows]
