"""Live updates that carry the patient's data (`reason`, `statusReason`) to a doctor or an
admin are audited as reads: one `AppointmentRead` per delivered event per subscriber, none
for the patient's own subscription or a selection without patient fields, and a repeated
delivery of one event is one entry. Over the socket the router multiplexes subscriptions on.
"""

from __future__ import annotations

import uuid
from typing import Any

from subgraphs.appointments.domain import Action
from subgraphs.appointments.service import delivery_audit, live
from subgraphs.appointments.service import lifecycle as service
from subgraphs.shared.auth import Principal, Role
from subgraphs.shared.database import Database
from subgraphs.shared.logs import request_id_var
from tests.integration.appointments.support import FakeAvailability, at, make_deps, patient
from tests.integration.appointments.test_live_shared_socket import (
    Subgraph,
    answer,
    raw_socket,
    signed,
    subgraph,
    subscribe,
    until,
)
from tests.integration.shared.audit_support import recorded

__all__ = ["subgraph"]  # the fixture, shared with the shared-socket tests

WITH_REASON = (
    "subscription { appointmentUpdates { action appointment { id reason statusReason } } }"
)
PLAIN = "subscription { appointmentUpdates { action appointment { id status } } }"


def reads(entries: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    return [
        (e["action"], e["actor_id"], e["actor_role"], e["subject_id"], e["patient_id"])
        for e in entries
        if e["action"] == "AppointmentRead"
    ]


async def test_a_doctor_sent_the_reason_is_one_entry_per_event_and_the_patient_none(
    subgraph: Subgraph, db: Database
) -> None:
    doctor = subgraph.availability.add()
    dr = subgraph.availability.user_of(doctor)
    who = patient()
    as_dr, as_patient = subgraph.bearer(dr), subgraph.bearer(who)
    async with raw_socket(subgraph.url) as socket:
        await socket.send(
            subscribe("dr", {"query": WITH_REASON}, signed({"query": WITH_REASON}, as_dr))
        )
        await socket.send(subscribe("dr-plain", {"query": PLAIN}, signed({"query": PLAIN}, as_dr)))
        await socket.send(
            subscribe("own", {"query": WITH_REASON}, signed({"query": WITH_REASON}, as_patient))
        )
        await until(lambda: subgraph.deps.fanout.listeners(live.user_channel(dr.user_id)) == 2)
        await until(lambda: subgraph.deps.fanout.listeners(live.user_channel(who.user_id)) == 1)
        before = len(await recorded(db))
        row = await service.book(
            deps=subgraph.deps, actor=who, doctor_id=doctor, start=at(2, 9),
            reason="Persistent cough", idempotency_key="k-live-audit",
        )  # fmt: skip
        heard = {(await answer(socket))["id"] for _ in range(3)}
        assert heard == {"dr", "dr-plain", "own"}
        await service.cancel(deps=subgraph.deps, actor=who, appointment_id=row.id, reason="Better")
        messages = [await answer(socket) for _ in range(3)]
        sent = {m["id"]: m["payload"]["data"]["appointmentUpdates"] for m in messages}
        assert sent["dr"]["appointment"]["statusReason"] == "Better"
    entry = ("AppointmentRead", str(dr.user_id), "DOCTOR", str(row.id), str(who.user_id))
    assert reads((await recorded(db))[before:]) == [entry, entry]  # booked, cancelled


async def test_a_delivery_repeated_for_one_event_is_one_entry_and_the_next_event_another(
    db: Database, availability: FakeAvailability
) -> None:
    deps = make_deps(db, availability=availability)
    doctor, who = availability.add(), patient()
    row = await service.book(
        deps=deps, actor=who, doctor_id=doctor, start=at(2, 9), reason="x", idempotency_key="k"
    )
    admin = Principal(user_id=uuid.uuid4(), role=Role.ADMIN)
    own = Principal(user_id=who.user_id, role=Role.PATIENT)
    before = len(await recorded(db))
    token = request_id_var.set("one-subscription")
    try:
        # No request caller bound (a client's own socket): the subscriber is named anyway.
        for _ in range(2):
            await delivery_audit.delivered(db, admin, row, Action.BOOKED)
        await delivery_audit.delivered(db, admin, row, Action.CONFIRMED)
        await delivery_audit.delivered(db, own, row, Action.CONFIRMED)
    finally:
        request_id_var.reset(token)
    entries = (await recorded(db))[before:]
    assert [e["request_id"] for e in entries] == ["one-subscription"] * 2
    assert (
        reads(entries)
        == [("AppointmentRead", str(admin.user_id), "ADMIN", str(row.id), str(who.user_id))] * 2
    )
