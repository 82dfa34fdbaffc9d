"""Booking against the real doctors subgraph app (in memory), on SQLite and PostgreSQL.

Proves the contract of `slotAvailability` end to end: signed requests, the slot's end and the
doctor's user from the doctors subgraph, its refusals, and its busy time following our events.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import AsyncIterator
from datetime import datetime, time, timedelta

import httpx
import pytest
from sqlmodel import col, select

from healthbook.components import SUPERGRAPH_PATH
from router.app import create_app as create_router
from router.config import RouterConfig
from router.subgraph_client import SignableRequest
from router.supergraph import load_supergraph
from subgraphs.appointments.app import SPEC as APPOINTMENTS
from subgraphs.appointments.domain import Actor
from subgraphs.appointments.errors import DoctorNotBookable, OutsideAvailability, SlotTaken
from subgraphs.appointments.models import AppointmentRow
from subgraphs.appointments.service import lifecycle as service
from subgraphs.appointments.service import waitlist, waitlist_offers
from subgraphs.appointments.service.availability import HttpAvailabilityChecker
from subgraphs.appointments.service.lifecycle import Deps
from subgraphs.appointments.waitlist.rules import Wish
from subgraphs.doctors.app import SPEC as DOCTORS
from subgraphs.doctors.schema.context import CLOCK
from subgraphs.doctors.service.catalog import ensure_specializations
from subgraphs.shared.app import create_subgraph_app
from subgraphs.shared.auth import Role
from subgraphs.shared.database import Database
from subgraphs.shared.errors import ServiceUnavailable
from subgraphs.shared.outbox import OutboxMessage
from subgraphs.shared.resources import Resources
from subgraphs.shared.settings import Settings
from subgraphs.shared.signing import SIGNATURE_HEADER, sign
from tests.conftest import MakeStore
from tests.integration.appointments.api import build_resources
from tests.integration.appointments.support import Clock, make_deps, patient
from tests.integration.doctors.helpers import (
    NOW,
    Api,
    NewDoctor,
    approved_doctor,
    registered_doctor,
    weekdays,
)
from tests.support.tokens import make_test_tokens

KEY = "router-signing-key-for-this-test"
TUESDAY_9_BERLIN = datetime.fromisoformat("2027-01-05T08:00:00+00:00")


@dataclasses.dataclass
class World:
    doctors: Api
    doctors_app: httpx.ASGITransport
    deps: Deps
    db: Database


@pytest.fixture
async def world(make_store: MakeStore, settings: Settings) -> AsyncIterator[World]:
    signed = dataclasses.replace(settings, signing_key=KEY)
    doctors_db = await make_store("doctors")
    authenticator, mint = make_test_tokens()
    resources = Resources.open("doctors", signed, authenticator=authenticator)
    await resources.database.dispose()
    resources.database = doctors_db
    resources.extras[CLOCK] = lambda: NOW
    await ensure_specializations(db=doctors_db)
    transport = httpx.ASGITransport(app=create_subgraph_app(DOCTORS, resources))
    checker = HttpAvailabilityChecker(
        "http://doctors/graphql", timeout_seconds=10, signing_key=KEY, transport=transport
    )
    db = await make_store("appointments")
    deps = dataclasses.replace(make_deps(db, clock=Clock(NOW)), availability=checker)
    async with httpx.AsyncClient(transport=transport, base_url="http://doctors") as http:
        # The doctors app checks signatures, so the test's own admin calls are signed too.
        http.event_hooks["request"] = [_sign]
        yield World(Api(http=http, resources=resources, mint=mint), transport, deps, db)
    await resources.cache.close()


async def _sign(request: httpx.Request) -> None:
    request.headers[SIGNATURE_HEADER] = sign(
        request.content, key=KEY, path=request.url.path, headers=request.headers
    )


async def book(world: World, doctor: NewDoctor, start: datetime) -> uuid.UUID:
    row = await service.book(
        deps=world.deps,
        actor=patient(),
        doctor_id=uuid.UUID(doctor.id),
        start=start,
        reason=None,
        idempotency_key=uuid.uuid4().hex,
    )
    return row.id


async def test_a_published_slot_books_with_its_end_zone_and_doctor_user(world: World) -> None:
    doctor = await approved_doctor(world.doctors, rules=weekdays("09:00", "12:00", 30))
    row = await service.book(
        deps=world.deps,
        actor=patient(),
        doctor_id=uuid.UUID(doctor.id),
        start=TUESDAY_9_BERLIN,
        reason="Chest pain",
        idempotency_key="k",
    )
    assert row.ends_at == TUESDAY_9_BERLIN + timedelta(minutes=30)
    assert (row.doctor_user_id, row.time_zone) == (doctor.user_id, "Europe/Berlin")


async def test_the_doctors_refusals_reach_the_patient(world: World) -> None:
    doctor = await approved_doctor(world.doctors, rules=weekdays("09:00", "12:00", 30))
    for start in (TUESDAY_9_BERLIN + timedelta(minutes=10), TUESDAY_9_BERLIN + timedelta(hours=4)):
        with pytest.raises(OutsideAvailability):
            await book(world, doctor, start)
    pending = await registered_doctor(world.doctors, "Pending Doctor")
    with pytest.raises(DoctorNotBookable):
        await book(world, pending, TUESDAY_9_BERLIN)


async def test_busy_time_follows_our_events_and_reschedule_ignores_its_own(world: World) -> None:
    doctor = await approved_doctor(world.doctors, rules=weekdays("09:00", "12:00", 30))
    first = await book(world, doctor, TUESDAY_9_BERLIN)
    await deliver_our_events(world)
    with pytest.raises(SlotTaken):
        await book(world, doctor, TUESDAY_9_BERLIN)
    moved = await service.reschedule(
        deps=world.deps,
        actor=await patient_of(world, first),
        appointment_id=first,
        start=TUESDAY_9_BERLIN + timedelta(minutes=30),
    )
    assert moved.starts_at == TUESDAY_9_BERLIN + timedelta(minutes=30)


async def test_a_wrong_signing_key_is_service_unavailable(world: World) -> None:
    doctor = await approved_doctor(world.doctors, rules=weekdays("09:00", "12:00", 30))
    forged = HttpAvailabilityChecker(
        "http://doctors/graphql",
        timeout_seconds=10,
        signing_key="wrong",
        transport=world.doctors_app,
    )
    deps = dataclasses.replace(world.deps, availability=forged)
    with pytest.raises(ServiceUnavailable):
        await service.book(
            deps=deps,
            actor=patient(),
            doctor_id=uuid.UUID(doctor.id),
            start=TUESDAY_9_BERLIN,
            reason=None,
            idempotency_key="k",
        )


async def deliver_our_events(world: World) -> None:
    """Hand this store's outbox to the doctors consumer, as the relay and worker would."""
    async with world.db.session() as session:
        messages = (
            await session.exec(select(OutboxMessage).order_by(col(OutboxMessage.created_at)))
        ).all()
    for message in messages:
        await world.doctors.deliver(
            message.event_type,
            message.payload,
            event_id=str(message.id),
            source="appointments",
            occurred_at=message.occurred_at.isoformat(),
        )


async def patient_of(world: World, appointment_id: uuid.UUID) -> Actor:
    async with world.db.session() as session:
        row = await session.get(AppointmentRow, appointment_id)
    assert row is not None
    return Actor(row.patient_id, Role.PATIENT)


class Dispatch(httpx.AsyncBaseTransport):
    """Sends each subgraph request to the in-memory app listening on its URL's port."""

    def __init__(self, apps: dict[int, httpx.AsyncBaseTransport]) -> None:
        self.apps = apps

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        port = request.url.port
        assert port is not None
        return await self.apps[port].handle_async_request(request)


async def test_booking_and_reading_through_the_router_joins_the_doctor(
    world: World, settings: Settings
) -> None:
    doctor = await approved_doctor(world.doctors, rules=weekdays("09:00", "12:00", 30))
    resources, _ = build_resources(world.db, settings, world.deps.availability, Clock(NOW))
    resources.authenticator = world.doctors.resources.authenticator
    appointments = httpx.ASGITransport(app=create_subgraph_app(APPOINTMENTS, resources))
    router = create_router(
        RouterConfig(),
        supergraph=load_supergraph(SUPERGRAPH_PATH),
        signer=_sign_now,
        transport=Dispatch({4002: world.doctors_app, 4003: appointments}),
    )
    who = patient()
    token = {"Authorization": f"Bearer {world.doctors.mint(who.user_id, who.role)}"}
    booking = """mutation($input: BookAppointmentInput!) {
      bookAppointment(input: $input) { id status end doctor { id name } }
    }"""
    variables = {
        "input": {
            "doctorId": doctor.id,
            "start": TUESDAY_9_BERLIN.isoformat(),
            "reason": "Palpitations",
            "idempotencyKey": "router-1",
        }
    }
    async with (
        router.router.lifespan_context(router),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=router), base_url="http://r") as http,
    ):
        response = await http.post(
            "/graphql", json={"query": booking, "variables": variables}, headers=token
        )
        booked = response.json()["data"]["bookAppointment"]
        assert booked["doctor"] == {"id": doctor.id, "name": "Ana Silva"}
        assert (booked["status"], booked["end"]) == (
            "PENDING",
            (TUESDAY_9_BERLIN + timedelta(minutes=30)).isoformat(),
        )
        mine = "{ myAppointments { total items { id reason doctor { name } } } }"
        listed = (await http.post("/graphql", json={"query": mine}, headers=token)).json()
        assert listed["data"]["myAppointments"] == {
            "total": 1,
            "items": [
                {"id": booked["id"], "reason": "Palpitations", "doctor": {"name": "Ana Silva"}}
            ],
        }


def _sign_now(request: SignableRequest) -> None:
    request.headers[SIGNATURE_HEADER] = sign(
        request.content, key=KEY, path=request.url.path, headers=request.headers
    )


async def test_a_slot_freed_before_the_doctors_hear_of_it_goes_to_the_waitlist(
    world: World,
) -> None:
    """The doctors subgraph still counts the cancelled visit as busy (its event is not
    delivered yet): the offer and its acceptance ask with that visit ignored."""
    doctor = await approved_doctor(world.doctors, rules=weekdays("09:00", "12:00", 30))
    doctor_id = uuid.UUID(doctor.id)
    waiting = patient()
    day = TUESDAY_9_BERLIN.date()
    place = await waitlist.join(
        deps=world.deps,
        actor=waiting,
        doctor_id=doctor_id,
        wish=Wish(day, day, time(9), time(10)),
    )
    assert place.entry.time_zone == "Europe/Berlin"
    first = await book(world, doctor, TUESDAY_9_BERLIN)
    await deliver_our_events(world)
    await service.cancel(
        deps=world.deps,
        actor=Actor(doctor.user_id, Role.DOCTOR),
        appointment_id=first,
        reason="Called away",
    )
    offer = await waitlist_offers.slot_freed(
        world.deps, doctor_id=doctor_id, start=TUESDAY_9_BERLIN, appointment_id=first
    )
    assert offer is not None
    assert (offer.patient_id, offer.slot_end) == (
        waiting.user_id,
        TUESDAY_9_BERLIN + timedelta(minutes=30),
    )
    booked = await waitlist_offers.accept(deps=world.deps, actor=waiting, offer_id=offer.id)
    assert (booked.patient_id, booked.starts_at) == (waiting.user_id, TUESDAY_9_BERLIN)
    await deliver_our_events(world)  # now the doctors hear of both: busy again
    with pytest.raises(SlotTaken):
        await book(world, doctor, TUESDAY_9_BERLIN)
