"""The API error paths of doctors, appointments and notifications leave no personal data in
any log (issue 15 item 1; identity's are `identity/test_logs_hold_no_secrets.py`).

On PostgreSQL, each subgraph gets requests that fail in the store with personal data as the
statement's parameters: concurrent writes of one row (unique and exclusion violations),
values longer than their columns. The loggers are captured as LOG_LEVEL=DEBUG sets them
(statements logged); neither the formatted lines nor the raw messages may hold the personal
data, a token or an email, and no answer is INTERNAL_SERVER_ERROR."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from subgraphs.appointments.domain import Actor
from subgraphs.doctors.app import SPEC as DOCTORS
from subgraphs.doctors.schema.context import CLOCK
from subgraphs.doctors.service.catalog import ensure_specializations
from subgraphs.shared.app import create_subgraph_app
from subgraphs.shared.auth import Role
from subgraphs.shared.logs import JsonFormatter, logger_levels
from subgraphs.shared.resources import Resources
from subgraphs.shared.settings import Settings
from tests.conftest import MakeStore
from tests.integration.appointments.api import Api as AppointmentsApi
from tests.integration.appointments.api import asgi_client, build_resources
from tests.integration.appointments.support import Clock, FakeAvailability, at, patient
from tests.integration.doctors.helpers import NOW, PROFILE, approved_doctor
from tests.integration.doctors.helpers import Api as DoctorsApi
from tests.integration.identity.test_logs_hold_no_secrets import SECRET_SHAPES
from tests.integration.notifications.api import open_api
from tests.support import services
from tests.support.tokens import make_test_tokens

COPIES = 6
REASON = "Pat's private chest pain"
NAME = "Dr. Dana Who"
ADDRESS = "Hauptstr. 1, 10115 Berlin"
PHONE = "+49 30 1234567"
PERSONAL = (REASON, NAME, ADDRESS, PHONE, "Dana Who", "Hauptstr")


@pytest.fixture
def backend() -> str:
    """The store errors that carried parameters were PostgreSQL's."""
    services.require("PostgreSQL", services.POSTGRES)
    return "postgresql"


@pytest.fixture
def logs(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    for name, level in logger_levels("DEBUG").items():  # as configure_logging sets them
        caplog.set_level(level, logger=name)
    caplog.set_level("DEBUG")  # last: each call also sets the capturing handler's level
    return caplog


def codes(bodies: list[dict[str, Any]]) -> list[str]:
    return [e.get("extensions", {}).get("code", "") for b in bodies for e in b.get("errors") or ()]


def assert_clean(
    logs: pytest.LogCaptureFixture, component: str, bodies: list[dict[str, Any]]
) -> None:
    formatter = JsonFormatter(component)
    lines = [formatter.format(record) for record in logs.records]
    raw = [record.getMessage() for record in logs.records]
    assert any("UPDATE" in m or "INSERT" in m for m in raw), "no statement logged: proves nothing"
    for line in lines + raw:
        for shape in SECRET_SHAPES:
            assert not shape.search(line), line
        for value in PERSONAL:
            assert value not in line, line
    assert "INTERNAL_SERVER_ERROR" not in codes(bodies), bodies


@pytest.fixture
async def doctors(make_store: MakeStore, settings: Settings) -> AsyncIterator[DoctorsApi]:
    database = await make_store("doctors")
    authenticator, mint = make_test_tokens()
    resources = Resources.open("doctors", settings, authenticator=authenticator)
    await resources.database.dispose()
    resources.database = database
    resources.extras[CLOCK] = lambda: NOW
    await ensure_specializations(db=database)
    app = create_subgraph_app(DOCTORS, resources)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://doctors") as http:
        yield DoctorsApi(http=http, resources=resources, mint=mint)
    await resources.cache.close()


async def test_doctors_profile_writes_failing_in_the_store_log_no_personal_data(
    doctors: DoctorsApi, logs: pytest.LogCaptureFixture
) -> None:
    doctor = await approved_doctor(doctors)
    personal = {"name": NAME, "clinicAddress": ADDRESS, "clinicPhone": PHONE}
    too_long = [
        {**personal, "clinicAddress": ADDRESS + " " + "x" * 300},
        {**personal, "name": NAME + " " + "x" * 200},
        {**personal, "city": "Berlin " + ADDRESS + "x" * 100},
    ]
    logs.clear()
    bodies = await asyncio.gather(
        *(doctor.call(doctors, PROFILE, {"input": personal}) for _ in range(COPIES))
    )
    for changes in too_long:
        bodies.append(await doctor.call(doctors, PROFILE, {"input": changes}))
    assert_clean(logs, "doctors", list(bodies))


async def test_appointments_bookings_failing_in_the_store_log_no_personal_data(
    make_store: MakeStore, settings: Settings, logs: pytest.LogCaptureFixture
) -> None:
    db = await make_store("appointments")
    availability = FakeAvailability()
    resources, mint = build_resources(db, settings, availability, Clock())
    doctor = availability.add()
    async with asgi_client(resources) as client:
        api = AppointmentsApi(client, mint)

        async def book(who: Actor, reason: str, key: str) -> dict[str, Any]:
            variables = {
                "input": {
                    "doctorId": str(doctor),
                    "start": at(2, 9).isoformat(),
                    "reason": reason,
                    "idempotencyKey": key,
                }
            }
            return await api.call(
                "mutation($input: BookAppointmentInput!) { bookAppointment(input: $input) { id } }",
                variables,
                as_=who,
            )

        one = patient()
        logs.clear()
        # Patients racing for one slot (the exclusion constraint), one key repeated at once.
        bodies = list(
            await asyncio.gather(
                *(book(patient(), REASON, uuid.uuid4().hex) for _ in range(COPIES))
            )
        )
        bodies += await asyncio.gather(*(book(one, REASON, "same-key") for _ in range(COPIES)))
        bodies.append(await book(patient(), REASON + " " + "x" * 500, "long"))
    assert_clean(logs, "appointments", bodies)


async def test_notifications_preference_writes_failing_in_the_store_log_no_personal_data(
    make_store: MakeStore, settings: Settings, logs: pytest.LogCaptureFixture
) -> None:
    db = await make_store("notifications")
    api = open_api(db, settings)
    user = uuid.uuid4()
    update = """mutation($i: NotificationPreferencesInput!) {
      updateNotificationPreferences(input: $i) { language reminderLeadMinutes } }"""
    async with api.client:
        logs.clear()
        # The first write of a user's preferences, at once (one row to insert).
        bodies = list(
            await asyncio.gather(
                *(
                    api.call(update, {"i": {"reminderLeadMinutes": [60 + n]}}, user=user)
                    for n in range(COPIES)
                )
            )
        )
        bodies.append(
            await api.call(update, {"i": {"language": "x" * 20}}, user=user, role=Role.PATIENT)
        )
    assert_clean(logs, "notifications", bodies)
