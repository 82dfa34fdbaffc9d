"""Asking the doctors subgraph about a slot: signed, bounded, clear when it is down."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import httpx
import orjson
import pytest

from subgraphs.appointments.availability import HttpAvailabilityChecker
from subgraphs.shared.errors import ServiceUnavailable
from subgraphs.shared.signing import SIGNATURE_HEADER, verify

URL = "http://doctors.test/graphql"
KEY = "router-and-subgraphs-secret"
DOCTOR = uuid.uuid4()
DOCTOR_USER = uuid.uuid4()
START = datetime(2030, 3, 4, 9, 0, tzinfo=UTC)


def answer(**fields: object) -> dict[str, object]:
    slot = {
        "approved": True,
        "offered": True,
        "timeZone": "Europe/Lisbon",
        "doctorUserId": str(DOCTOR_USER),
        "slotEnd": (START + timedelta(minutes=30)).isoformat(),
        **fields,
    }
    return {"data": {"slotAvailability": slot}}


def checker(handler: object, *, key: str = KEY) -> HttpAvailabilityChecker:
    return HttpAvailabilityChecker(
        URL,
        timeout_seconds=1,
        signing_key=key,
        transport=httpx.MockTransport(handler),  # type: ignore[arg-type]
    )


async def test_the_request_is_signed_and_carries_no_credentials() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=answer())

    slot = await checker(handler).check(doctor_id=DOCTOR, start=START)
    [request] = seen
    assert verify(request.headers[SIGNATURE_HEADER], request.content, key=KEY)
    assert "authorization" not in request.headers
    body = orjson.loads(request.content)
    assert body["variables"]["doctorId"] == str(DOCTOR)
    assert slot is not None
    assert (slot.approved, slot.offered, slot.doctor_user_id) == (True, True, DOCTOR_USER)
    assert slot.slot_end == START + timedelta(minutes=30)


async def test_without_a_key_nothing_is_signed() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        assert SIGNATURE_HEADER not in request.headers
        return httpx.Response(200, json=answer(offered=False, slotEnd=None))

    slot = await checker(handler, key="").check(doctor_id=DOCTOR, start=START)
    assert slot is not None
    assert not slot.offered
    assert slot.slot_end is None


async def test_an_unknown_doctor_is_none() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        error = {"message": "No such doctor.", "extensions": {"code": "NOT_FOUND"}}
        return httpx.Response(200, json={"data": None, "errors": [error]})

    assert await checker(handler).check(doctor_id=DOCTOR, start=START) is None


@pytest.mark.parametrize(
    "failure",
    [
        httpx.ConnectError("refused"),
        httpx.ReadTimeout("slow"),
        httpx.Response(503),
        httpx.Response(200, json={"errors": [{"message": "boom"}]}),
        httpx.Response(200, content=b"not json"),
    ],
)
async def test_a_down_slow_or_confused_doctors_subgraph_is_service_unavailable(
    failure: object,
) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if isinstance(failure, Exception):
            raise failure
        assert isinstance(failure, httpx.Response)
        return failure

    with pytest.raises(ServiceUnavailable) as caught:
        await checker(handler).check(doctor_id=DOCTOR, start=START)
    assert caught.value.extensions["code"] == "SERVICE_UNAVAILABLE"
