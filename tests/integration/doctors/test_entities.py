"""`_entities` for Doctor: what other subgraphs' fields (Appointment.doctor) resolve through."""

from __future__ import annotations

import uuid

from subgraphs.shared.auth import Role
from tests.integration.doctors.helpers import Api, approved_doctor, registered_doctor

ENTITIES = """query($representations: [_Any!]!) { _entities(representations: $representations) {
  ... on Doctor { id userId name timeZone status } } }"""


async def test_doctors_resolve_by_key_in_order_with_unknown_ones_null(api: Api) -> None:
    first = await approved_doctor(api, "First")
    second = await approved_doctor(api, "Second")
    unknown = str(uuid.uuid4())
    representations = [
        {"__typename": "Doctor", "id": second.id},
        {"__typename": "Doctor", "id": unknown},
        {"__typename": "Doctor", "id": first.id},
    ]
    data = await api.data(ENTITIES, {"representations": representations})
    entities = data["_entities"]
    assert [e and e["name"] for e in entities] == ["Second", None, "First"]
    assert entities[0] == {
        "id": second.id,
        "userId": str(second.user_id),
        "name": "Second",
        "timeZone": "Europe/Berlin",
        "status": "APPROVED",
    }


async def test_pending_doctors_resolve_only_for_admins_and_themselves(api: Api) -> None:
    pending = await registered_doctor(api, "Pending")
    representations = [{"__typename": "Doctor", "id": pending.id}]
    anonymous = await api.data(ENTITIES, {"representations": representations})
    assert anonymous["_entities"] == [None]
    admin = await api.data(
        ENTITIES, {"representations": representations}, user=uuid.uuid4(), role=Role.ADMIN
    )
    assert admin["_entities"][0]["status"] == "PENDING"


async def test_a_suspended_doctor_still_resolves_on_existing_appointments(api: Api) -> None:
    doctor = await approved_doctor(api, "Suspended")
    await api.admin("mutation($id: ID!) { suspendDoctor(id: $id) { id } }", {"id": doctor.id})
    data = await api.data(
        ENTITIES, {"representations": [{"__typename": "Doctor", "id": doctor.id}]}
    )
    assert data["_entities"][0]["status"] == "SUSPENDED"
