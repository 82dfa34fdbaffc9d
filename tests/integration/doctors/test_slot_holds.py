"""Slots held for waitlist offers are busy in search, open slots and the stored next free
slot for exactly the hold (both stores); the booking check leaves holds to appointments."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlmodel import select

from subgraphs.doctors.models import SlotHold
from subgraphs.doctors.schema.context import CLOCK
from tests.integration.doctors.helpers import NOW, Api, approved_doctor, weekdays
from tests.integration.doctors.test_next_free_slot import stored_start

# NOW is Monday 2027-01-04 06:00 UTC; two hours' notice: Monday 09:00 Berlin comes first.
MON_9 = ("2027-01-04T08:00:00+00:00", "2027-01-04T08:30:00+00:00")
MON_930 = datetime(2027, 1, 4, 8, 30, tzinfo=UTC)
HOLD_ENDS = NOW + timedelta(minutes=15)
SLOTS = """query($id: ID!, $from: DateTime!, $to: DateTime!) {
  availableSlots(doctorId: $id, from: $from, to: $to) { start } }"""
SEARCH = """{ doctors(filter: {city: "Berlin"}, sort: NEXT_AVAILABLE) {
  nodes { id nextAvailable { start } } } }"""
CHECK = """query($id: ID!, $start: DateTime!) {
  slotAvailability(doctorId: $id, start: $start) { available } }"""


def offer(offer_id: str, doctor_id: str, **extra: Any) -> dict[str, Any]:
    return {
        "offer_id": offer_id,
        "entry_id": str(uuid.uuid4()),
        "patient_id": str(uuid.uuid4()),
        "doctor_id": doctor_id,
        "start": MON_9[0],
        "end": MON_9[1],
        "time_zone": "Europe/Berlin",
        "expires_at": HOLD_ENDS.isoformat(),
        **extra,
    }


async def first_open(api: Api, doctor_id: str) -> str:
    window = {"from": NOW.isoformat(), "to": (NOW + timedelta(days=1)).isoformat()}
    slots = (await api.data(SLOTS, {"id": doctor_id, **window}))["availableSlots"]
    first: str = slots[0]["start"]
    return first


async def searched_next(api: Api, doctor_id: str) -> str | None:
    nodes = (await api.data(SEARCH))["doctors"]["nodes"]
    [node] = [n for n in nodes if n["id"] == doctor_id]
    return None if node["nextAvailable"] is None else str(node["nextAvailable"]["start"])


async def holds(api: Api) -> list[SlotHold]:
    async with api.resources.database.session() as session:
        return list(await session.exec(select(SlotHold)))


def at(iso: str) -> datetime:
    return datetime.fromisoformat(iso)


async def test_a_held_slot_is_busy_until_its_offer_closes(api: Api) -> None:
    doctor = await approved_doctor(api, rules=weekdays("09:00", "12:00", 30))
    assert at(await first_open(api, doctor.id)) == at(MON_9[0])
    offer_id = str(uuid.uuid4())
    made = await api.deliver("WaitlistOfferMade", offer(offer_id, doctor.id), source="appointments")
    await api.deliver(
        "WaitlistOfferMade", offer(offer_id, doctor.id), source="appointments", event_id=made
    )
    assert len(await holds(api)) == 1  # redelivered: one hold

    assert at(await first_open(api, doctor.id)) == MON_930
    assert await stored_start(api, doctor.id) == MON_930
    assert at(str(await searched_next(api, doctor.id))) == MON_930
    # The booking check leaves holds to the appointments subgraph: the patient offered the
    # slot must be able to book it, and appointments refuses everybody else.
    check = await api.data(CHECK, {"id": doctor.id, "start": MON_9[0]})
    assert check["slotAvailability"]["available"] is True

    closed = {**offer(offer_id, doctor.id), "state": "DECLINED"}
    await api.deliver("WaitlistOfferClosed", closed, source="appointments")
    assert at(await first_open(api, doctor.id)) == at(MON_9[0])
    assert await stored_start(api, doctor.id) == at(MON_9[0])
    assert at(str(await searched_next(api, doctor.id))) == at(MON_9[0])


async def test_a_hold_ends_by_itself_when_its_offer_expires(api: Api) -> None:
    doctor = await approved_doctor(api, rules=weekdays("09:00", "12:00", 30))
    half_past = {"start": MON_930.isoformat(), "end": "2027-01-04T09:00:00+00:00"}
    await api.deliver(
        "WaitlistOfferMade", offer(str(uuid.uuid4()), doctor.id, **half_past), source="appointments"
    )
    # A minute before the hold ends, 09:00 Berlin is inside the notice and 09:30 is held.
    before = HOLD_ENDS - timedelta(minutes=1)
    api.resources.extras[CLOCK] = lambda: before
    assert at(await first_open(api, doctor.id)) == MON_930 + timedelta(minutes=30)
    assert await stored_start(api, doctor.id, now=before) == MON_930 + timedelta(minutes=30)
    # No closing event yet (the sweep has not run): past its expiry the hold holds nothing,
    # and the stored next slot was only right until then.
    api.resources.extras[CLOCK] = lambda: HOLD_ENDS
    assert at(await first_open(api, doctor.id)) == MON_930
    assert await stored_start(api, doctor.id, now=HOLD_ENDS) == MON_930


async def test_a_closing_seen_before_its_offer_leaves_the_slot_free(api: Api) -> None:
    doctor = await approved_doctor(api, rules=weekdays("09:00", "12:00", 30))
    offer_id = str(uuid.uuid4())
    closed = {**offer(offer_id, doctor.id), "state": "EXPIRED"}
    await api.deliver("WaitlistOfferClosed", closed, source="appointments")
    await api.deliver("WaitlistOfferMade", offer(offer_id, doctor.id), source="appointments")
    assert [hold.active for hold in await holds(api)] == [False]
    assert at(await first_open(api, doctor.id)) == at(MON_9[0])
    assert await stored_start(api, doctor.id) == at(MON_9[0])
