"""Is this slot bookable? The doctors subgraph decides; we ask it at booking time.

Choice: a synchronous, signed GraphQL call to the doctors subgraph's internal
`slotAvailability` query rather than a local projection of availability. The doctors
subgraph owns weekly rules, exceptions, time zones and daylight-saving expansion; copying
all of that here would duplicate the hardest logic in the system and lag behind it. The
call has a short timeout and fails as SERVICE_UNAVAILABLE (nothing is written), so a
booking is never accepted on stale availability. Double booking is not the doctors
subgraph's job: this store enforces it (see `models.py`).

Doctors own each doctor's minimum notice and booking window too; this subgraph's own
APPOINTMENTS_MIN_NOTICE_MINUTES / APPOINTMENTS_BOOKING_WINDOW_DAYS are deployment-wide
bounds applied in addition.

The request is signed with HEALTHBOOK_SIGNING_KEY (as the router signs subgraph requests)
and carries nothing of the caller's: no token, no patient data.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any, Final, Protocol

import httpx
import orjson

from subgraphs.shared.errors import ServiceUnavailable
from subgraphs.shared.signing import SIGNATURE_HEADER, sign

log = logging.getLogger(__name__)

PROBE: Final = timedelta(minutes=1)

SLOT_CHECK_QUERY: Final = """
query SlotCheck($doctorId: ID!, $start: DateTime!, $end: DateTime!, $ignore: ID) {
  slotAvailability(doctorId: $doctorId, start: $start, end: $end, ignoreAppointmentId: $ignore) {
    userId
    approved
    timeZone
    earliestStart
    latestStart
  }
}
"""

OPEN_SLOTS_QUERY: Final = """
query OpenSlots($doctorId: ID!, $from: DateTime!, $to: DateTime!) {
  availableSlots(doctorId: $doctorId, from: $from, to: $to) { start end }
}
"""


@dataclass(frozen=True)
class SlotAnswer:
    """What the doctors subgraph says about one doctor at one moment."""

    approved: bool
    """The doctor is approved (not pending, rejected or suspended): bookable at all."""
    offered: bool
    """A bookable slot (published, free, after the doctor's notice, inside their window)
    starts exactly at the requested start."""
    time_zone: str
    doctor_user_id: uuid.UUID | None
    slot_end: datetime | None
    """When that slot ends; None when nothing is offered."""
    refusal: str | None = None
    """Why not, when the doctor's own policy tells: TOO_LATE or TOO_FAR_AHEAD."""


class AvailabilityChecker(Protocol):
    """Asks whether `doctor_id` offers a slot starting at `start` (None: no such doctor)."""

    async def check(
        self,
        *,
        doctor_id: uuid.UUID,
        start: datetime,
        ignore_appointment_id: uuid.UUID | None = None,
    ) -> SlotAnswer | None: ...


class HttpAvailabilityChecker:
    """The doctors subgraph over HTTP: signed, bounded in time, failing as SERVICE_UNAVAILABLE.

    Two internal queries: `slotAvailability` (is the doctor approved, their user, zone and
    booking bounds) and, for an approved doctor, `availableSlots` over one minute from the
    start, which yields the slot beginning there (and so its end) if it is bookable.
    """

    def __init__(
        self,
        url: str,
        *,
        timeout_seconds: float,
        signing_key: str = "",
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.url = url
        self.timeout = httpx.Timeout(timeout_seconds)
        self.signing_key = signing_key
        self.transport = transport

    async def check(
        self,
        *,
        doctor_id: uuid.UUID,
        start: datetime,
        ignore_appointment_id: uuid.UUID | None = None,
    ) -> SlotAnswer | None:
        async with httpx.AsyncClient(timeout=self.timeout, transport=self.transport) as client:
            found = await self._query(
                client,
                SLOT_CHECK_QUERY,
                {
                    "doctorId": str(doctor_id),
                    "start": start.isoformat(),
                    "end": (start + PROBE).isoformat(),
                    "ignore": str(ignore_appointment_id) if ignore_appointment_id else None,
                },
            )
            if found is None:
                return None
            answer = parse_check(found["slotAvailability"], start)
            if not answer.approved or answer.refusal is not None:
                return answer
            slots = await self._query(
                client,
                OPEN_SLOTS_QUERY,
                {
                    "doctorId": str(doctor_id),
                    "from": start.isoformat(),
                    "to": (start + PROBE).isoformat(),
                },
            )
        return with_slot(answer, slots["availableSlots"] if slots else [], start)

    async def _query(
        self, client: httpx.AsyncClient, query: str, variables: dict[str, Any]
    ) -> dict[str, Any] | None:
        """The `data` of one signed request; None when the doctor does not exist."""
        body = orjson.dumps({"query": query, "variables": variables})
        headers = {"content-type": "application/json"}
        if self.signing_key:
            headers[SIGNATURE_HEADER] = sign(body, key=self.signing_key)
        try:
            response = await client.post(self.url, content=body, headers=headers)
        except httpx.HTTPError as error:
            raise _unavailable(type(error).__name__) from None
        if response.status_code != 200:
            raise _unavailable(f"HTTP {response.status_code}")
        try:
            return data_of(response.json())
        except (ValueError, KeyError, TypeError) as error:
            raise _unavailable(f"unexpected answer ({type(error).__name__})") from None


def data_of(document: Any) -> dict[str, Any] | None:
    """A GraphQL response's data; None for NOT_FOUND; ValueError for any other error."""
    errors = document.get("errors") or []
    if any((error.get("extensions") or {}).get("code") == "NOT_FOUND" for error in errors):
        return None
    if errors or not isinstance(document.get("data"), dict):
        raise ValueError("the doctors subgraph answered with errors")
    data: dict[str, Any] = document["data"]
    return data


def parse_check(check: dict[str, Any], start: datetime) -> SlotAnswer:
    """The doctor's standing and, from their notice and window, a refusal if `start` misses."""
    user_id = check.get("userId")
    refusal = None
    if start < datetime.fromisoformat(check["earliestStart"]):
        refusal = "TOO_LATE"
    elif start > datetime.fromisoformat(check["latestStart"]):
        refusal = "TOO_FAR_AHEAD"
    return SlotAnswer(
        approved=bool(check["approved"]) and user_id is not None,
        offered=False,
        time_zone=str(check["timeZone"]),
        doctor_user_id=uuid.UUID(str(user_id)) if user_id else None,
        slot_end=None,
        refusal=refusal,
    )


def with_slot(answer: SlotAnswer, slots: list[dict[str, Any]], start: datetime) -> SlotAnswer:
    """The answer, offered with its end when one of `slots` starts exactly at `start`."""
    for slot in slots:
        if datetime.fromisoformat(slot["start"]) == start:
            end = datetime.fromisoformat(slot["end"])
            return replace(answer, offered=True, slot_end=end)
    return answer


def _unavailable(detail: str) -> ServiceUnavailable:
    log.warning("doctors subgraph unavailable", extra={"detail": detail})
    return ServiceUnavailable(
        "Doctor availability cannot be checked right now; please try again.", service="doctors"
    )
