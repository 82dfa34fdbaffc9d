"""`Appointment.patient { ... }`: identity resolving a patient's `User` through `_entities` for
someone else (a doctor, an admin) records one PatientProfileRead per request; a doctor asking
for the patient's private fields is also recorded as refused (FORBIDDEN); the patient's own
lookups and doctors' profiles are not recorded."""

from __future__ import annotations

from typing import Any

from tests.integration.identity.conftest import Api
from tests.integration.identity.test_admin import admin_token
from tests.integration.shared.audit_support import recorded

NAME = """
query($r: [_Any!]!) { _entities(representations: $r) { ... on User { id name role } } }"""
EMAIL = """
query($r: [_Any!]!) { _entities(representations: $r) { ... on User { id name email phone } } }"""


def refs(*ids: str) -> dict[str, Any]:
    return {"r": [{"__typename": "User", "id": i} for i in ids]}


async def post(
    api: Api, query: str, variables: dict[str, Any], token: str, request_id: str
) -> dict[str, Any]:
    """A call as the router makes it: the caller's token and the client request's id."""
    headers = {"Authorization": f"Bearer {token}", "X-Request-ID": request_id}
    response = await api.http.post(
        "/graphql", json={"query": query, "variables": variables}, headers=headers
    )
    body: dict[str, Any] = response.json()
    return body


async def reads_since(api: Api, before: int) -> list[tuple[Any, ...]]:
    return [
        (e["action"], e["outcome"], e["actor_role"], e["subject_id"], e["patient_id"],
         e["reason"], e["request_id"])
        for e in (await recorded(api.ident.db))[before:]
    ]  # fmt: skip


async def test_a_doctor_resolving_a_patient_is_one_read_per_request_across_hops(api: Api) -> None:
    ann = await api.register("ann@example.org")
    doctor = await api.register("doc@example.org", role="DOCTOR", name="Dr D")
    token = (await api.login("doc@example.org"))["accessToken"]
    before = len(await recorded(api.ident.db))
    for _ in range(2):  # two hops of one request, the patient named twice in each
        body = await post(api, NAME, refs(ann["id"], ann["id"], doctor["id"]), token, "req-1")
        assert [u["name"] for u in body["data"]["_entities"]] == ["Ann", "Ann", "Dr D"]
    assert await reads_since(api, before) == [
        ("PatientProfileRead", "ALLOWED", "DOCTOR", ann["id"], ann["id"], None, "req-1")
    ]


async def test_a_doctor_refused_the_patients_contact_fields_is_recorded_as_refused(
    api: Api,
) -> None:
    ann = await api.register("ann@example.org")
    await api.register("doc@example.org", role="DOCTOR", name="Dr D")
    token = (await api.login("doc@example.org"))["accessToken"]
    before = len(await recorded(api.ident.db))
    body = await post(api, EMAIL, refs(ann["id"]), token, "req-1")
    assert {e["extensions"]["code"] for e in body["errors"]} == {"FORBIDDEN"}
    assert await reads_since(api, before) == [
        ("PatientProfileRead", "ALLOWED", "DOCTOR", ann["id"], ann["id"], None, "req-1"),
        ("PatientProfileRead", "REFUSED", "DOCTOR", ann["id"], ann["id"], "FORBIDDEN", "req-1"),
    ]  # fmt: skip


async def test_an_admin_lookup_is_recorded_and_the_patients_own_is_not(api: Api) -> None:
    ann = await api.register("ann@example.org")
    admin = await admin_token(api)
    own = (await api.login("ann@example.org"))["accessToken"]
    before = len(await recorded(api.ident.db))
    await post(api, EMAIL, refs(ann["id"]), own, "req-1")
    body = await post(api, EMAIL, refs(ann["id"]), admin, "req-2")
    assert body["data"]["_entities"][0]["email"] == "ann@example.org"
    assert [r[:3] + r[-1:] for r in await reads_since(api, before)] == [
        ("PatientProfileRead", "ALLOWED", "ADMIN", "req-2")
    ]
