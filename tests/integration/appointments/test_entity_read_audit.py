"""Through the subgraph's API: an Appointment looked up through `_entities` (the router's hop
when another subgraph names an appointment) and any `history` read audit a doctor's or an
admin's read of the patient's data once per request; a refused lookup is REFUSED/NOT_FOUND;
the patient's own reads are not recorded."""

from __future__ import annotations

import uuid
from typing import Any

from subgraphs.appointments.domain import Actor
from subgraphs.shared.auth import Role
from subgraphs.shared.database import Database
from tests.integration.appointments.api import Api
from tests.integration.appointments.support import FakeAvailability, at, patient
from tests.integration.shared.audit_support import recorded
from tests.support.tokens import bearer

LOOKUP = """
query($r: [_Any!]!) { _entities(representations: $r) {
  ... on Appointment { id reason statusReason } } }"""
START_ONLY = """
query($r: [_Any!]!) { _entities(representations: $r) { ... on Appointment { id start } } }"""
HISTORY = """
query($r: [_Any!]!) { _entities(representations: $r) {
  ... on Appointment { history { action } } } }"""
ONE_WITH_HISTORY = "query($id: ID!) { appointment(id: $id) { id reason history { action } } }"


def refs(*ids: str) -> dict[str, Any]:
    return {"r": [{"__typename": "Appointment", "id": i} for i in ids]}


async def post(
    api: Api, query: str, variables: dict[str, Any], who: Actor, request_id: str
) -> dict[str, Any]:
    """A call as the router makes it: the caller's token and the client request's id."""
    headers = {
        **bearer(api.mint(who.user_id, who.role)),
        "x-request-id": request_id,
        "x-forwarded-for": "203.0.113.7",  # the client's address, as the router names it
    }
    response = await api.client.post(
        "/graphql", json={"query": query, "variables": variables}, headers=headers
    )
    body: dict[str, Any] = response.json()
    return body


async def booked(api: Api, availability: FakeAvailability) -> tuple[Actor, Actor, str]:
    doctor, who = availability.add(), patient()
    appointment_id = await api.book(who, doctor, at(2, 9).isoformat())
    return availability.user_of(doctor), who, appointment_id


async def reads_since(db: Database, before: int) -> list[tuple[Any, ...]]:
    return [
        (e["action"], e["outcome"], e["actor_role"], e["subject_id"], e["patient_id"],
         e["reason"], e["request_id"])
        for e in (await recorded(db))[before:]
    ]  # fmt: skip


async def test_a_doctors_entity_lookup_of_the_reason_is_one_entry_even_across_two_hops(
    api: Api, db: Database, availability: FakeAvailability
) -> None:
    doctor, who, appointment_id = await booked(api, availability)
    before = len(await recorded(db))
    # The same request asks for the appointment twice, and the router makes two hops of it.
    for _ in range(2):
        body = await post(api, LOOKUP, refs(appointment_id, appointment_id), doctor, "req-1")
        assert body["data"]["_entities"][0]["reason"] == "Persistent cough"
    assert await reads_since(db, before) == [
        ("AppointmentRead", "ALLOWED", "DOCTOR", appointment_id, str(who.user_id), None, "req-1")
    ]
    [entry] = (await recorded(db))[before:]
    assert (entry["actor_id"], entry["subject_type"], entry["client_address"]) == (
        str(doctor.user_id),
        "Appointment",
        "203.0.113.7",
    )
    assert "trace_id" in entry  # the when is the outbox row's occurred_at
    # Another request is another read.
    await post(api, LOOKUP, refs(appointment_id), doctor, "req-2")
    assert [r[-1] for r in await reads_since(db, before)] == ["req-1", "req-2"]


async def test_a_lookup_without_patient_data_and_the_patients_own_reads_are_not_recorded(
    api: Api, db: Database, availability: FakeAvailability
) -> None:
    doctor, who, appointment_id = await booked(api, availability)
    before = len(await recorded(db))
    await post(api, START_ONLY, refs(appointment_id), doctor, "req-1")
    await post(api, LOOKUP, refs(appointment_id), who, "req-2")
    await post(api, HISTORY, refs(appointment_id), who, "req-3")
    assert await reads_since(db, before) == []


async def test_a_refused_lookup_is_recorded_as_not_found(
    api: Api, db: Database, availability: FakeAvailability
) -> None:
    _, who, appointment_id = await booked(api, availability)
    stranger = patient()
    missing = str(uuid.uuid4())
    before = len(await recorded(db))
    body = await post(api, LOOKUP, refs(appointment_id, missing), stranger, "req-1")
    assert body["data"]["_entities"] == [None, None]
    assert await reads_since(db, before) == [
        ("AppointmentRead", "REFUSED", "PATIENT", appointment_id, str(who.user_id), "NOT_FOUND",
         "req-1"),
        ("AppointmentRead", "REFUSED", "PATIENT", missing, None, "NOT_FOUND", "req-1"),
    ]  # fmt: skip


async def test_an_admin_reading_the_history_is_one_entry_beside_the_appointment_read(
    api: Api, db: Database, availability: FakeAvailability
) -> None:
    _, who, appointment_id = await booked(api, availability)
    admin = Actor(uuid.uuid4(), Role.ADMIN)
    before = len(await recorded(db))
    body = await post(api, ONE_WITH_HISTORY, {"id": appointment_id}, admin, "req-1")
    assert [h["action"] for h in body["data"]["appointment"]["history"]] == ["BOOKED"]
    await post(api, HISTORY, refs(appointment_id), admin, "req-1")  # a second hop: same read
    assert [r[:5] for r in await reads_since(db, before)] == [
        ("AppointmentRead", "ALLOWED", "ADMIN", appointment_id, str(who.user_id)),
        ("AppointmentHistoryRead", "ALLOWED", "ADMIN", appointment_id, str(who.user_id)),
    ]
