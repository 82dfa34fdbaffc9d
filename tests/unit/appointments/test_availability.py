"""Asking the doctors subgraph about a slot: signed, bounded, clear when it is down."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

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


def standing(**fields: object) -> dict[str, Any]:
    check = {
        "userId": str(DOCTOR_USER),
        "approved": True,
        "timeZone": "Europe/Lisbon",
        "earliestStart": (START - timedelta(days=1)).isoformat(),
        "latestStart": (START + timedelta(days=60)).isoformat(),
        **fields,
    }
    return {"data": {"slotAvailability": check}}


def open_slots(*starts: datetime) -> dict[str, Any]:
    slots = [
        {"start": s.isoformat(), "end": (s + timedelta(minutes=20)).isoformat()} for s in starts
    ]
    return {"data": {"availableSlots": slots}}


Handler = Callable[[httpx.Request], httpx.Response]


def doctors(check: dict[str, Any], slots: dict[str, Any], seen: list[httpx.Request]) -> Handler:
    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        query = orjson.loads(request.content)["query"]
        return httpx.Response(200, json=check if "slotAvailability" in query else slots)

    return handler


def checker(handler: Handler, *, key: str = KEY) -> HttpAvailabilityChecker:
    return HttpAvailabilityChecker(
        URL, timeout_seconds=1, signing_key=key, transport=httpx.MockTransport(handler)
    )


async def test_requests_are_signed_carry_no_credentials_and_find_the_slot_end() -> None:
    seen: list[httpx.Request] = []
    handler = doctors(standing(), open_slots(START - timedelta(minutes=20), START), seen)
    slot = await checker(handler).check(doctor_id=DOCTOR, start=START)
    assert len(seen) == 2
    for request in seen:
        assert verify(request.headers[SIGNATURE_HEADER], request.content, key=KEY)
        assert "authorization" not in request.headers
        assert orjson.loads(request.content)["variables"]["doctorId"] == str(DOCTOR)
    assert slot is not None
    assert (slot.approved, slot.offered, slot.doctor_user_id) == (True, True, DOCTOR_USER)
    assert slot.slot_end == START + timedelta(minutes=20)
    assert slot.time_zone == "Europe/Lisbon"


async def test_without_a_key_nothing_is_signed_and_a_missing_slot_is_not_offered() -> None:
    seen: list[httpx.Request] = []
    slot = await checker(doctors(standing(), open_slots(), seen), key="").check(
        doctor_id=DOCTOR, start=START
    )
    assert all(SIGNATURE_HEADER not in request.headers for request in seen)
    assert slot is not None
    assert not slot.offered
    assert slot.slot_end is None


async def test_an_unapproved_doctor_is_not_asked_for_slots() -> None:
    seen: list[httpx.Request] = []
    handler = doctors(standing(approved=False, userId=None), open_slots(START), seen)
    slot = await checker(handler).check(doctor_id=DOCTOR, start=START)
    assert slot is not None
    assert not slot.approved
    assert len(seen) == 1


@pytest.mark.parametrize(
    ("bounds", "refusal"),
    [
        ({"earliestStart": (START + timedelta(hours=1)).isoformat()}, "TOO_LATE"),
        ({"latestStart": (START - timedelta(hours=1)).isoformat()}, "TOO_FAR_AHEAD"),
    ],
)
async def test_the_doctors_notice_and_window_are_honoured(
    bounds: dict[str, str], refusal: str
) -> None:
    slot = await checker(doctors(standing(**bounds), open_slots(START), [])).check(
        doctor_id=DOCTOR, start=START
    )
    assert slot is not None
    assert slot.refusal == refusal


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
    failure: Exception | httpx.Response,
) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if isinstance(failure, Exception):
            raise failure
        return failure

    with pytest.raises(ServiceUnavailable) as caught:
        await checker(handler).check(doctor_id=DOCTOR, start=START)
    assert caught.value.extensions["code"] == "SERVICE_UNAVAILABLE"
