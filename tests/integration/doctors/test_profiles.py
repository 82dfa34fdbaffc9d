"""Profiles: doctors edit their own, admins any; values are validated and published."""

from __future__ import annotations

import uuid

from subgraphs.shared.auth import Role
from tests.integration.doctors.helpers import PROFILE, Api, approved_doctor, error_code, published

FULL = """query($id: ID!) { doctor(id: $id) {
  name city clinicAddress clinicPhone languages bio consultationMinutes fee currency
  acceptedInsurance photoUrl timeZone acceptingNewPatients specializations { code } } }"""


async def test_a_doctor_edits_their_own_profile_and_it_is_published(api: Api) -> None:
    doctor = await approved_doctor(api)
    changes = {
        "name": "Dr. Ana Silva",
        "clinicAddress": "Invalidenstraße 1, 10115 Berlin",
        "clinicPhone": "+49 30 1234567",
        "languages": ["PT-BR", "en", "en"],
        "bio": "Cardiologist.",
        "consultationMinutes": 45,
        "fee": "95.5",
        "currency": "eur",
        "acceptedInsurance": ["AOK", "aok", "Techniker"],
        "photoUrl": "https://example.org/ana.jpg",
        "specializations": ["cardiology", "general-practice"],
        "acceptingNewPatients": False,
    }
    result = await doctor.call(api, PROFILE, {"input": changes})
    assert "errors" not in result, result
    data = (await api.data(FULL, {"id": doctor.id}))["doctor"]
    assert data["languages"] == ["pt-br", "en"]
    assert data["acceptedInsurance"] == ["AOK", "Techniker"]
    assert (data["fee"], data["currency"]) == ("95.50", "EUR")
    assert data["consultationMinutes"] == 45
    assert [s["code"] for s in data["specializations"]] == ["cardiology", "general-practice"]
    updates = await published(api, "DoctorProfileUpdated")
    assert updates[-1]["name"] == "Dr. Ana Silva"
    assert updates[-1]["clinic_phone"] == "+49 30 1234567"


async def test_a_doctor_cannot_edit_another_doctor_but_an_admin_can(api: Api) -> None:
    mine = await approved_doctor(api, "Mine")
    theirs = await approved_doctor(api, "Theirs")
    refused = await mine.call(api, PROFILE, {"id": theirs.id, "input": {"bio": "hacked"}})
    assert error_code(refused) == "FORBIDDEN"
    patient = await api.call(PROFILE, {"id": theirs.id, "input": {"bio": "x"}}, user=uuid.uuid4())
    assert error_code(patient) == "FORBIDDEN"
    await api.admin(PROFILE, {"id": theirs.id, "input": {"bio": "Edited by admin"}})
    data = await api.data(FULL, {"id": theirs.id})
    assert data["doctor"]["bio"] == "Edited by admin"


async def test_invalid_profile_values_are_bad_user_input(api: Api) -> None:
    doctor = await approved_doctor(api)
    for changes in (
        {"timeZone": "Mars/Olympus_Mons"},
        {"specializations": ["astrology"]},
        {"fee": "-1"},
        {"fee": "10.001"},
        {"currency": "EURO"},
        {"languages": ["not a language"]},
        {"photoUrl": "javascript:alert(1)"},
        {"consultationMinutes": 0},
        {"clinicPhone": "call me"},
    ):
        result = await doctor.call(api, PROFILE, {"input": changes})
        assert error_code(result) == "BAD_USER_INPUT", changes


async def test_specializations_is_the_managed_list(api: Api) -> None:
    data = await api.data("{ specializations { code name } }")
    codes = [s["code"] for s in data["specializations"]]
    assert "cardiology" in codes
    assert len(codes) == len(set(codes)) >= 10


async def test_my_doctor_profile_needs_a_signed_in_doctor(api: Api) -> None:
    assert error_code(await api.call("{ myDoctorProfile { id } }")) == "UNAUTHENTICATED"
    result = await api.call("{ myDoctorProfile { id } }", user=uuid.uuid4(), role=Role.DOCTOR)
    assert error_code(result) == "NOT_FOUND"
