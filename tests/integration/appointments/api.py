"""The appointments subgraph app in memory, with real test tokens, for GraphQL-level tests."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import httpx

from subgraphs.appointments import wiring
from subgraphs.appointments.app import SPEC
from subgraphs.appointments.domain import Actor, Policy
from subgraphs.appointments.service.availability import AvailabilityChecker
from subgraphs.appointments.service.openings import OpeningsFinder
from subgraphs.appointments.settings import AppointmentsSettings
from subgraphs.shared.app import create_subgraph_app
from subgraphs.shared.cache import MemoryCache
from subgraphs.shared.database import Database
from subgraphs.shared.pubsub import MemoryPubSub, PubSub
from subgraphs.shared.resources import Resources
from subgraphs.shared.settings import Settings
from tests.integration.appointments.support import Clock
from tests.support.tokens import Minter, bearer, make_test_tokens

APPOINTMENT_FIELDS = "id start end status fhirStatus timeZone reason statusReason rescheduleCount"


@dataclass
class Api:
    client: httpx.AsyncClient
    mint: Minter

    async def call(
        self, query: str, variables: dict[str, Any] | None = None, *, as_: Actor | None = None
    ) -> dict[str, Any]:
        headers = bearer(self.mint(as_.user_id, as_.role)) if as_ else {}
        response = await self.client.post(
            "/graphql", json={"query": query, "variables": variables or {}}, headers=headers
        )
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    async def data(
        self, query: str, variables: dict[str, Any] | None = None, *, as_: Actor | None = None
    ) -> dict[str, Any]:
        body = await self.call(query, variables, as_=as_)
        assert "errors" not in body, body["errors"]
        data: dict[str, Any] = body["data"]
        return data

    async def error_code(
        self, query: str, variables: dict[str, Any] | None = None, *, as_: Actor | None = None
    ) -> str:
        body = await self.call(query, variables, as_=as_)
        assert body.get("errors"), body
        code: str = body["errors"][0]["extensions"]["code"]
        return code

    async def book(self, who: Actor, doctor_id: uuid.UUID, start: str, key: str = "k") -> str:
        data = await self.data(
            "mutation($input: BookAppointmentInput!) { bookAppointment(input: $input) { id } }",
            {
                "input": {
                    "doctorId": str(doctor_id),
                    "start": start,
                    "reason": "Persistent cough",
                    "idempotencyKey": key,
                }
            },
            as_=who,
        )
        appointment_id: str = data["bookAppointment"]["id"]
        return appointment_id


def build_resources(
    db: Database,
    settings: Settings,
    availability: AvailabilityChecker,
    clock: Clock,
    *,
    policy: Policy | None = None,
    pubsub: PubSub | None = None,
) -> tuple[Resources, Minter]:
    authenticator, mint = make_test_tokens()
    resources = Resources(
        component="appointments",
        settings=settings,
        database=db,
        cache=MemoryCache(),
        pubsub=pubsub or MemoryPubSub(),
        authenticator=authenticator,
    )
    wiring.install(
        resources,
        settings=AppointmentsSettings.from_env({}),
        availability=availability,
        clock=clock,
        policy=policy,
        openings=availability if isinstance(availability, OpeningsFinder) else None,
    )
    return resources, mint


def asgi_client(resources: Resources) -> httpx.AsyncClient:
    app = create_subgraph_app(SPEC, resources)
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://appointments.test"
    )
