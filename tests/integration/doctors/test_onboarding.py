"""Onboarding through the API and identity's events: pending, approved, rejected, suspended."""

from __future__ import annotations

import uuid

import pytest

from subgraphs.shared.auth import Role
from tests.integration.doctors.helpers import (
    APPROVE,
    Api,
    approved_doctor,
    error_code,
    published,
    registered_doctor,
)

DOCTOR = "query($id: ID!) { doctor(id: $id) { id name status statusReason } }"
HISTORY = """query($id: ID!) { doctor(id: $id) {
  status statusHistory { fromStatus toStatus reason changedBy } } }"""
PENDING = "{ pendingDoctors { id name status } }"
REJECT = "mutation($id: ID!, $r: String!) { rejectDoctor(id: $id, reason: $r) { id status } }"
SUSPEND = "mutation($id: ID!, $r: String) { suspendDoctor(id: $id, reason: $r) { id status } }"


def registration(user_id: uuid.UUID, role: str = "DOCTOR") -> dict[str, str]:
    return {
        "user_id": str(user_id),
        "email": "dr.new@example.org",
        "name": "Noa  Levi",
        "role": role,
        "language": "en",
        "time_zone": "Asia/Jerusalem",
    }


async def test_doctor_registration_creates_one_pending_doctor_even_when_delivered_twice(
    api: Api,
) -> None:
    user_id = uuid.uuid4()
    event_id = await api.deliver("UserRegistered", registration(user_id))
    await api.deliver("UserRegistered", registration(user_id), event_id=event_id)
    data = await api.data(
        "{ myDoctorProfile { name status timeZone } }", user=user_id, role=Role.DOCTOR
    )
    assert data["myDoctorProfile"] == {
        "name": "Noa Levi",
        "status": "PENDING",
        "timeZone": "Asia/Jerusalem",
    }
    assert [p["status"] for p in await published(api, "DoctorRegistered")] == ["PENDING"]


async def test_a_replayed_registration_with_a_new_event_id_creates_nothing(api: Api) -> None:
    user_id = uuid.uuid4()
    await api.deliver("UserRegistered", registration(user_id))
    await api.deliver("UserRegistered", registration(user_id))
    assert len(await published(api, "DoctorRegistered")) == 1


async def test_patient_registration_creates_no_doctor(api: Api) -> None:
    user_id = uuid.uuid4()
    await api.deliver("UserRegistered", registration(user_id, role="PATIENT"))
    result = await api.call("{ myDoctorProfile { id } }", user=user_id, role=Role.DOCTOR)
    assert error_code(result) == "NOT_FOUND"


async def test_invited_doctor_starts_approved_and_is_public(api: Api) -> None:
    user_id = uuid.uuid4()
    await api.deliver("DoctorInvited", {"user_id": str(user_id), "email": "x@y.org", "name": "Ola"})
    own = await api.data("{ myDoctorProfile { id status } }", user=user_id, role=Role.DOCTOR)
    assert own["myDoctorProfile"]["status"] == "APPROVED"
    public = await api.data(DOCTOR, {"id": own["myDoctorProfile"]["id"]})
    assert public["doctor"]["status"] == "APPROVED"


@pytest.mark.parametrize("invitation_first", [True, False])
async def test_an_invited_doctor_is_approved_whichever_event_arrives_first(
    api: Api, invitation_first: bool
) -> None:
    user_id, admin = uuid.uuid4(), uuid.uuid4()
    registered = {**registration(user_id), "city": "Porto"}
    invited = {
        "user_id": str(user_id),
        "email": "dr.new@example.org",
        "name": "Noa Levi",
        "language": "en",
        "time_zone": "Asia/Jerusalem",
        "invited_by": str(admin),
        "delivery_id": "d1",
        "expires_at": "2027-01-07T06:00:00+00:00",
    }
    order = [("DoctorInvited", invited), ("UserRegistered", registered)]
    for event_type, payload in order if invitation_first else order[::-1]:
        await api.deliver(event_type, payload)
    own = await api.data(
        "{ myDoctorProfile { status statusHistory { toStatus changedBy } } }",
        user=user_id,
        role=Role.DOCTOR,
    )
    assert own["myDoctorProfile"]["status"] == "APPROVED"
    assert own["myDoctorProfile"]["statusHistory"][-1] == {
        "toStatus": "APPROVED",
        "changedBy": str(admin),
    }
    assert len(await published(api, "DoctorRegistered")) == 1


async def test_patients_and_anonymous_cannot_see_unapproved_doctors(api: Api) -> None:
    doctor = await registered_doctor(api)
    assert (await api.data(DOCTOR, {"id": doctor.id}))["doctor"] is None
    patient = await api.data(DOCTOR, {"id": doctor.id}, user=uuid.uuid4())
    assert patient["doctor"] is None
    other_doctor = await api.data(DOCTOR, {"id": doctor.id}, user=uuid.uuid4(), role=Role.DOCTOR)
    assert other_doctor["doctor"] is None
    themself = await doctor.call(api, DOCTOR, {"id": doctor.id})
    assert themself["data"]["doctor"]["status"] == "PENDING"
    assert (await api.admin(DOCTOR, {"id": doctor.id}))["doctor"]["status"] == "PENDING"
    search = await api.data("{ doctors { totalCount nodes { id } } }")
    assert search["doctors"]["totalCount"] == 0


async def test_admin_sees_the_approval_queue_and_others_are_refused(api: Api) -> None:
    first = await registered_doctor(api, "First Pending")
    await registered_doctor(api, "Second Pending")
    queue = (await api.admin(PENDING))["pendingDoctors"]
    assert [d["name"] for d in queue] == ["First Pending", "Second Pending"]
    assert error_code(await api.call(PENDING)) == "UNAUTHENTICATED"
    assert error_code(await first.call(api, PENDING)) == "FORBIDDEN"
    await api.admin(APPROVE, {"id": first.id})
    assert [d["name"] for d in (await api.admin(PENDING))["pendingDoctors"]] == ["Second Pending"]


async def test_every_transition_is_audited_and_published(api: Api) -> None:
    doctor = await registered_doctor(api, "Ana Silva")
    await api.admin(REJECT, {"id": doctor.id, "r": "Licence number not found"})
    await api.admin(APPROVE, {"id": doctor.id})
    await api.admin(SUSPEND, {"id": doctor.id, "r": "Complaint under review"})
    data = await api.admin(HISTORY, {"id": doctor.id})
    history = data["doctor"]["statusHistory"]
    assert [(h["fromStatus"], h["toStatus"], h["reason"]) for h in history] == [
        (None, "PENDING", None),
        ("PENDING", "REJECTED", "Licence number not found"),
        ("REJECTED", "APPROVED", None),
        ("APPROVED", "SUSPENDED", "Complaint under review"),
    ]
    assert history[0]["changedBy"] is None
    assert len({h["changedBy"] for h in history[1:]}) == 1
    assert history[1]["changedBy"] is not None
    rejected = await published(api, "DoctorRejected")
    assert rejected[0]["reason"] == "Licence number not found"
    assert rejected[0]["doctor_id"] == doctor.id
    assert set(rejected[0]) >= {
        "doctor_id",
        "user_id",
        "name",
        "time_zone",
        "city",
        "clinic_address",
        "clinic_phone",
    }
    assert len(await published(api, "DoctorApproved")) == 1
    assert len(await published(api, "DoctorSuspended")) == 1


async def test_rejection_needs_a_reason_and_impossible_transitions_conflict(api: Api) -> None:
    doctor = await registered_doctor(api)
    result = await api.call(
        REJECT, {"id": doctor.id, "r": "  "}, user=uuid.uuid4(), role=Role.ADMIN
    )
    assert error_code(result) == "BAD_USER_INPUT"
    result = await api.call(SUSPEND, {"id": doctor.id}, user=uuid.uuid4(), role=Role.ADMIN)
    assert error_code(result) == "CONFLICT"


async def test_only_admins_change_onboarding_status(api: Api) -> None:
    doctor = await registered_doctor(api)
    assert error_code(await doctor.call(api, APPROVE, {"id": doctor.id})) == "FORBIDDEN"
    assert error_code(await api.call(APPROVE, {"id": doctor.id})) == "UNAUTHENTICATED"


async def test_rejection_reason_is_private_to_admins_and_the_doctor(api: Api) -> None:
    doctor = await approved_doctor(api)
    await api.admin(SUSPEND, {"id": doctor.id, "r": "Unpaid fees"})
    await api.admin(APPROVE, {"id": doctor.id})
    await api.admin(SUSPEND, {"id": doctor.id, "r": "Second notice"})
    own = await doctor.call(api, DOCTOR, {"id": doctor.id})
    assert own["data"]["doctor"]["statusReason"] == "Second notice"
    history = await api.data(HISTORY, {"id": doctor.id}, user=uuid.uuid4())
    assert history["doctor"] is None  # suspended: hidden from patients
