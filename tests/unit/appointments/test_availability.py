"""Asking the doctors subgraph about a slot: signed, bounded, clear when it is down."""

from __future__ import annotations

import ssl
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import orjson
import pytest

from subgraphs.appointments.service.availability import HttpAvailabilityChecker
from subgraphs.shared.errors import ServiceUnavailable
from subgraphs.shared.signing import SIGNATURE_HEADER, verify

URL = "http://doctors.test/graphql"
KEY = "router-and-subgraphs-secret"
DOCTOR = uuid.uuid4()
DOCTOR_USER = uuid.uuid4()
START = datetime(2030, 3, 4, 9, 0, tzinfo=UTC)

Handler = Callable[[httpx.Request], httpx.Response]


def answer(**fields: object) -> dict[str, Any]:
    check = {
        "doctorUserId": str(DOCTOR_USER),
        "approved": True,
        "available": True,
        "slotEnd": (START + timedelta(minutes=20)).isoformat(),
        "reason": None,
        "timeZone": "Europe/Lisbon",
        **fields,
    }
    return {"data": {"slotAvailability": check}}


def replying(document: dict[str, Any], seen: list[httpx.Request]) -> Handler:
    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=document)

    return handler


def checker(handler: Handler, *, key: str = KEY) -> HttpAvailabilityChecker:
    return HttpAvailabilityChecker(
        URL, timeout_seconds=1, signing_key=key, transport=httpx.MockTransport(handler)
    )


async def test_the_request_is_signed_carries_no_credentials_and_learns_the_slot_end() -> None:
    seen: list[httpx.Request] = []
    ignore = uuid.uuid4()
    slot = await checker(replying(answer(), seen)).check(
        doctor_id=DOCTOR, start=START, ignore_appointment_id=ignore
    )
    [request] = seen
    assert verify(request.headers[SIGNATURE_HEADER], request.content, key=KEY)
    assert "authorization" not in request.headers
    variables = orjson.loads(request.content)["variables"]
    assert variables == {"doctorId": str(DOCTOR), "start": START.isoformat(), "ignore": str(ignore)}
    assert slot is not None
    assert (slot.approved, slot.offered, slot.doctor_user_id) == (True, True, DOCTOR_USER)
    assert (slot.slot_end, slot.time_zone, slot.refusal) == (
        START + timedelta(minutes=20),
        "Europe/Lisbon",
        None,
    )


async def test_without_a_key_nothing_is_signed_and_refusals_come_through() -> None:
    seen: list[httpx.Request] = []
    document = answer(available=False, slotEnd=None, reason="TOO_LATE")
    slot = await checker(replying(document, seen), key="").check(doctor_id=DOCTOR, start=START)
    assert SIGNATURE_HEADER not in seen[0].headers
    assert slot is not None
    assert (slot.offered, slot.slot_end, slot.refusal) == (False, None, "TOO_LATE")


async def test_an_unknown_or_hidden_doctor_is_none() -> None:
    error = {"message": "No such doctor.", "extensions": {"code": "NOT_FOUND"}}
    handler = replying({"data": None, "errors": [error]}, [])
    assert await checker(handler).check(doctor_id=DOCTOR, start=START) is None


@pytest.mark.parametrize(
    "failure",
    [
        httpx.ConnectError("refused"),
        httpx.ReadTimeout("slow"),
        httpx.Response(503),
        httpx.Response(200, json={"errors": [{"message": "boom"}]}),
        httpx.Response(200, content=b"not json"),
        httpx.Response(200, json={"data": {"slotAvailability": {"approved": True}}}),
    ],
)
async def test_a_down_slow_or_confused_doctors_subgraph_is_service_unavailable(
    failure: Exception | httpx.Response,
) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if isinstance(failure, Exception):
            raise failure
        return failure

    with pytest.raises(ServiceUnavailable) as caught:
        await checker(handler).check(doctor_id=DOCTOR, start=START)
    assert caught.value.extensions == {"code": "SERVICE_UNAVAILABLE", "service": "doctors"}


async def test_every_check_reuses_one_tls_context(monkeypatch: pytest.MonkeyPatch) -> None:
    # Building one loads the CA bundle (~30 ms of CPU): never once per booking.
    verified: list[object] = []
    real = httpx.AsyncClient

    def client(**options: Any) -> httpx.AsyncClient:
        verified.append(options.get("verify"))
        return real(**options)

    monkeypatch.setattr(httpx, "AsyncClient", client)
    checks = checker(replying(answer(), []))
    for _ in range(2):
        await checks.check(doctor_id=DOCTOR, start=START)
    first, second = verified
    assert isinstance(first, ssl.SSLContext)
    assert second is first
