"""Identity's `UserDeactivated` suspends an approved doctor: hidden from search, not bookable,
announced as `DoctorSuspended` (once, however often the event is delivered)."""

from __future__ import annotations

from subgraphs.shared.auth import Role
from tests.integration.doctors.helpers import Api, approved_doctor, published, registered_doctor

SEARCH = '{ doctors(filter: {text: "Silva"}) { nodes { id } } }'
STATUS = "{ myDoctorProfile { status statusReason } }"


async def test_a_deactivated_doctor_is_suspended_and_hidden_once(api: Api) -> None:
    doctor = await approved_doctor(api)
    assert [d["id"] for d in (await api.data(SEARCH))["doctors"]["nodes"]] == [doctor.id]
    event_id = await api.deliver("UserDeactivated", {"user_id": str(doctor.user_id)})
    await api.deliver("UserDeactivated", {"user_id": str(doctor.user_id)}, event_id=event_id)
    own = await api.data(STATUS, user=doctor.user_id, role=Role.DOCTOR)
    assert own["myDoctorProfile"] == {"status": "SUSPENDED", "statusReason": "account deactivated"}
    assert (await api.data(SEARCH))["doctors"]["nodes"] == []
    suspended = await published(api, "DoctorSuspended")
    assert [(p["doctor_id"], p["reason"]) for p in suspended] == [
        (doctor.id, "account deactivated")
    ]


async def test_deactivating_a_pending_doctor_or_a_patient_changes_nothing(api: Api) -> None:
    doctor = await registered_doctor(api)
    await api.deliver("UserDeactivated", {"user_id": str(doctor.user_id)})
    own = await api.data(STATUS, user=doctor.user_id, role=Role.DOCTOR)
    assert own["myDoctorProfile"]["status"] == "PENDING"
    await api.deliver("UserDeactivated", {"user_id": "00000000-0000-0000-0000-00000000beef"})
    assert await published(api, "DoctorSuspended") == []
