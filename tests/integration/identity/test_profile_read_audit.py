"""An admin reading a patient's profile is on the audit trail; doctors' and admins' are not."""

from __future__ import annotations

from tests.integration.identity.conftest import Api
from tests.integration.identity.test_admin import USER, USERS, admin_token
from tests.integration.shared.audit_support import recorded


async def test_an_admin_reading_a_patients_profile_is_one_entry(api: Api) -> None:
    token = await admin_token(api)
    ann = await api.register("ann@example.org")
    doctor = await api.register("doc@example.org", role="DOCTOR", name="Dr D")
    before = len(await recorded(api.ident.db))
    await api.ok(USER, {"id": ann["id"]}, token=token)
    await api.ok(USER, {"id": doctor["id"]}, token=token)
    entries = (await recorded(api.ident.db))[before:]
    assert [
        (e["action"], e["actor_role"], e["subject_type"], e["subject_id"], e["patient_id"])
        for e in entries
    ] == [("PatientProfileRead", "ADMIN", "User", ann["id"], ann["id"])]


async def test_an_admin_listing_users_is_recorded_once_per_patient_listed(api: Api) -> None:
    token = await admin_token(api)
    ann = await api.register("ann@example.org")
    bob = await api.register("bob@example.org", name="Bob")
    await api.register("doc@example.org", role="DOCTOR", name="Dr D")
    before = len(await recorded(api.ident.db))
    await api.ok(USERS, {"l": 100}, token=token)
    await api.ok(USERS, {"f": {"role": "DOCTOR"}}, token=token)  # no patient in it: no entry
    entries = (await recorded(api.ident.db))[before:]
    assert sorted((e["action"], e["patient_id"]) for e in entries) == sorted(
        [("PatientProfilesListed", ann["id"]), ("PatientProfilesListed", bob["id"])]
    )
