"""State changes are audited in the transaction of the change, naming the caller."""

from __future__ import annotations

import uuid

import pytest

from subgraphs.identity.events import AuthenticationAudited, UserRoleChanged
from subgraphs.shared import outbox
from subgraphs.shared.audit import capture
from subgraphs.shared.audit.caller import Caller, acting_as
from subgraphs.shared.logs import request_id_var
from tests.conftest import MakeStore
from tests.integration.shared.audit_support import recorded

ADMIN = Caller(user_id=uuid.uuid4(), role="ADMIN", client_address="198.51.100.7")


def role_changed(user_id: uuid.UUID) -> UserRoleChanged:
    return UserRoleChanged(user_id=user_id, role="DOCTOR", previous_role="PATIENT")


async def test_a_committed_change_has_exactly_one_entry_naming_the_caller(
    make_store: MakeStore,
) -> None:
    db = await make_store("identity")
    user = uuid.uuid4()
    token = request_id_var.set("req-42")
    try:
        with acting_as(ADMIN):
            async with db.transaction() as session:
                event = role_changed(user)
                outbox.record(session, event, source="identity")
    finally:
        request_id_var.reset(token)
    [entry] = await recorded(db)
    assert entry["action"] == "UserRoleChanged"
    assert entry["outcome"] == "ALLOWED"
    assert (entry["actor_id"], entry["actor_role"]) == (str(ADMIN.user_id), "ADMIN")
    assert (entry["subject_type"], entry["subject_id"]) == ("User", str(user))
    assert (entry["client_address"], entry["request_id"]) == ("198.51.100.7", "req-42")
    assert entry["component"] == "identity"


async def test_a_rolled_back_change_leaves_no_entry(make_store: MakeStore) -> None:
    db = await make_store("identity")

    async def failing_use_case() -> None:
        async with db.transaction() as session:
            outbox.record(session, role_changed(uuid.uuid4()), source="identity")
            raise RuntimeError("the use case failed after writing its event")

    with acting_as(ADMIN), pytest.raises(RuntimeError):
        await failing_use_case()
    assert await recorded(db) == []


async def test_a_change_flushed_early_is_audited_once(make_store: MakeStore) -> None:
    db = await make_store("identity")
    async with db.transaction() as session:
        outbox.record(session, role_changed(uuid.uuid4()), source="identity")
        await session.flush()
        await session.flush()
    [entry] = await recorded(db)
    assert entry["actor_role"] == "SYSTEM"  # no request: an event consumer or a command


async def test_a_sign_in_record_beside_a_domain_event_adds_no_second_entry(
    make_store: MakeStore,
) -> None:
    db = await make_store("identity")
    user = uuid.uuid4()
    with acting_as(ADMIN):
        async with db.transaction() as session:
            outbox.record(session, role_changed(user), source="identity")
            outbox.record(
                session,
                AuthenticationAudited(
                    audit_id=uuid.uuid4(),
                    action="ROLE_CHANGE",
                    outcome="SUCCESS",
                    actor_id=ADMIN.user_id,
                    subject_id=user,
                    client_address=ADMIN.client_address,
                    reason=None,
                ),
                source="identity",
            )
    assert [e["action"] for e in await recorded(db)] == ["UserRoleChanged"]


async def test_a_failed_sign_in_is_a_refused_entry(make_store: MakeStore) -> None:
    db = await make_store("identity")
    async with db.transaction() as session:
        outbox.record(
            session,
            AuthenticationAudited(
                audit_id=uuid.uuid4(),
                action="LOGIN",
                outcome="FAILURE",
                actor_id=None,
                subject_id=None,
                client_address="192.0.2.1",
                reason="BAD_CREDENTIALS",
            ),
            source="identity",
        )
    [entry] = await recorded(db)
    assert (entry["action"], entry["outcome"], entry["reason"]) == (
        "AUTHENTICATION_LOGIN",
        "REFUSED",
        "BAD_CREDENTIALS",
    )


async def test_a_read_by_someone_else_is_recorded_per_patient_and_not_by_the_patient(
    make_store: MakeStore,
) -> None:
    db = await make_store("appointments")
    patient, other = uuid.uuid4(), uuid.uuid4()
    doctor = Caller(user_id=uuid.uuid4(), role="DOCTOR")
    with acting_as(doctor):
        await capture.read(
            db,
            component="appointments",
            action="AppointmentsListed",
            subject_type="Appointment",
            patients=[patient, other, patient],
        )
    with acting_as(Caller(user_id=patient, role="PATIENT")):
        await capture.read(
            db,
            component="appointments",
            action="AppointmentRead",
            subject_type="Appointment",
            subject_id=uuid.uuid4(),
            patients=[patient],
        )
    entries = await recorded(db)
    assert [(e["patient_id"], e["actor_role"]) for e in entries] == [
        (str(patient), "DOCTOR"),
        (str(other), "DOCTOR"),
    ]
