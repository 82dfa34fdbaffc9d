"""Demo data: 23 approved doctors and one pending, seeded once, never re-created by events."""

from __future__ import annotations

import uuid

from subgraphs.doctors.seed import seed
from subgraphs.shared.auth import Role
from tests.integration.doctors.helpers import Api, published

SILVA = "dr.silva@healthbook.local"
SILVA_USER = uuid.uuid5(uuid.NAMESPACE_URL, f"healthbook:user:{SILVA}")
SILVA_DOCTOR = uuid.uuid5(uuid.NAMESPACE_URL, f"healthbook:doctor:{SILVA}")
PENDING_USER = uuid.uuid5(uuid.NAMESPACE_URL, "healthbook:user:dr.pending@healthbook.local")
CHECK = """query($id: ID!, $start: DateTime!) {
  slotAvailability(doctorId: $id, start: $start) { offered slotEnd } }"""


async def test_seed_loads_the_demo_doctors_once_with_deterministic_ids(api: Api) -> None:
    await seed(api.resources)
    await seed(api.resources)
    search = await api.data("{ doctors(page: {first: 100}) { totalCount nodes { id name } } }")
    assert search["doctors"]["totalCount"] == 23
    assert {"id": str(SILVA_DOCTOR), "name": "Dr. Silva"} in search["doctors"]["nodes"]
    queue = await api.data("{ pendingDoctors { userId } }", user=uuid.uuid4(), role=Role.ADMIN)
    assert queue["pendingDoctors"] == [{"userId": str(PENDING_USER)}]
    cities = await api.data('{ doctors(filter: {city: "Berlin"}) { totalCount } }')
    assert cities["doctors"]["totalCount"] >= 2
    assert await published(api, "DoctorRegistered") == []


async def test_replayed_identity_events_do_not_recreate_seeded_doctors(api: Api) -> None:
    await seed(api.resources)
    await api.deliver(
        "UserRegistered",
        {"user_id": str(SILVA_USER), "email": SILVA, "name": "Dr. Silva", "role": "DOCTOR"},
    )
    await api.deliver("DoctorInvited", {"user_id": str(SILVA_USER), "email": SILVA, "name": "x"})
    search = await api.data("{ doctors(page: {first: 100}) { totalCount } }")
    assert search["doctors"]["totalCount"] == 23
    assert await published(api, "DoctorRegistered") == []


async def test_the_appointments_demo_visit_times_are_offered(api: Api) -> None:
    await seed(api.resources)
    # Tuesday 5 January 2027, 10:00 in Berlin: Dr. Silva's clinic hours, 30-minute slots.
    variables = {"id": str(SILVA_DOCTOR), "start": "2027-01-05T10:00:00+01:00"}
    answer = (await api.data(CHECK, variables))["slotAvailability"]
    assert answer == {"offered": True, "slotEnd": "2027-01-05T09:30:00+00:00"}
