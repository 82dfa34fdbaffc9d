"""Is this slot bookable? The doctors subgraph decides; we ask it at booking time.

Choice: a synchronous, signed GraphQL call to the doctors subgraph's internal
`slotAvailability` query rather than a local projection of availability. The doctors
subgraph owns weekly rules, exceptions, time zones and daylight-saving expansion; copying
all of that here would duplicate the hardest logic in the system and lag behind it. The
call has a short timeout and fails as SERVICE_UNAVAILABLE (nothing is written), so a
booking is never accepted on stale availability. Double booking is not the doctors
subgraph's job: this store enforces it (see `models.py`).

One query, `slotAvailability(doctorId, start, ignoreAppointmentId)`, answers whether the
doctor is approved, whether a bookable slot starts at `start` (published, free, notice,
window) and where it ends, the doctor's user id and time zone, or why not.

Doctors own each doctor's minimum notice and booking window too; this subgraph's own
APPOINTMENTS_MIN_NOTICE_MINUTES / APPOINTMENTS_BOOKING_WINDOW_DAYS are deployment-wide
bounds applied in addition.

The request is signed with HEALTHBOOK_SIGNING_KEY (as the router signs subgraph requests)
and carries nothing of the caller's: no token, no patient data.
"""

from __future__ import annotations

import functools
import logging
import ssl
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final, Protocol, TypeVar

import httpx
import orjson

from subgraphs.shared.errors import ServiceUnavailable
from subgraphs.shared.signing import SIGNATURE_HEADER, sign

T = TypeVar("T")

log = logging.getLogger(__name__)

SLOT_AVAILABILITY_QUERY: Final = """
query SlotAvailability($doctorId: ID!, $start: DateTime!, $ignore: ID) {
  slotAvailability(doctorId: $doctorId, start: $start, ignoreAppointmentId: $ignore) {
    doctorUserId
    approved
    available
    slotEnd
    reason
    timeZone
  }
}
"""


@dataclass(frozen=True)
class SlotAnswer:
    """What the doctors subgraph says about one doctor at one moment."""

    approved: bool
    """The doctor is approved (not pending, rejected or suspended): bookable at all."""
    offered: bool
    """A bookable slot starts exactly at the requested start: published, free of other
    appointments' busy time, after the doctor's notice and inside their window."""
    time_zone: str
    doctor_user_id: uuid.UUID
    slot_end: datetime | None
    """When that slot ends; None when nothing is offered."""
    refusal: str | None = None
    """Why not, in the doctors subgraph's words: DOCTOR_NOT_APPROVED, OUTSIDE_AVAILABILITY,
    TOO_LATE, TOO_FAR_AHEAD or SLOT_TAKEN."""


class AvailabilityChecker(Protocol):
    """Asks whether `doctor_id` offers a slot starting at `start`.

    None when the doctor does not exist or is hidden (not approved) from an anonymous caller.
    """

    async def check(
        self,
        *,
        doctor_id: uuid.UUID,
        start: datetime,
        ignore_appointment_id: uuid.UUID | None = None,
    ) -> SlotAnswer | None: ...


class DoctorsEndpoint:
    """Internal queries to the doctors subgraph over HTTP: signed, bounded in time, failing
    as SERVICE_UNAVAILABLE (unreachable, not 200, not JSON, or an answer `parse` cannot read)."""

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

    async def ask(self, query: str, variables: dict[str, Any], parse: Callable[[Any], T]) -> T:
        document = await ask_doctors(
            self.url,
            query,
            variables,
            limit=self.timeout,
            signing_key=self.signing_key,
            transport=self.transport,
        )
        try:
            return parse(document)
        except (ValueError, KeyError, TypeError) as error:
            raise unavailable(f"unexpected answer ({type(error).__name__})") from None


class HttpAvailabilityChecker(DoctorsEndpoint):
    """The doctors subgraph's internal `slotAvailability` query. Without an `end`, it answers
    for the slot that starts at `start` and tells where that slot ends."""

    async def check(
        self,
        *,
        doctor_id: uuid.UUID,
        start: datetime,
        ignore_appointment_id: uuid.UUID | None = None,
    ) -> SlotAnswer | None:
        variables = {
            "doctorId": str(doctor_id),
            "start": start.isoformat(),
            "ignore": str(ignore_appointment_id) if ignore_appointment_id else None,
        }
        return await self.ask(SLOT_AVAILABILITY_QUERY, variables, parse_answer)


async def ask_doctors(
    url: str,
    query: str,
    variables: dict[str, Any],
    *,
    limit: httpx.Timeout,
    signing_key: str,
    transport: httpx.AsyncBaseTransport | None,
) -> Any:
    """POST one signed GraphQL request to the doctors subgraph; its JSON document.

    SERVICE_UNAVAILABLE when it cannot be reached, answers other than 200, or not JSON.
    """
    body = orjson.dumps({"query": query, "variables": variables})
    headers = {"content-type": "application/json"}
    if signing_key:
        path = httpx.URL(url).path
        headers[SIGNATURE_HEADER] = sign(body, key=signing_key, path=path, headers=headers)
    try:
        async with httpx.AsyncClient(
            timeout=limit, transport=transport, verify=tls_context()
        ) as client:
            response = await client.post(url, content=body, headers=headers)
    except httpx.HTTPError as error:
        raise unavailable(type(error).__name__) from None
    if response.status_code != 200:
        raise unavailable(f"HTTP {response.status_code}")
    try:
        return response.json()
    except ValueError:
        raise unavailable("unexpected answer (not JSON)") from None


@functools.cache
def tls_context() -> ssl.SSLContext:
    """The TLS context httpx builds for a client by default (its CA bundle, SSL_CERT_FILE /
    SSL_CERT_DIR honoured), built once per process: loading the bundle cost ~30 ms of CPU,
    which a new client per booking and per reschedule paid every time (bench/SUBGRAPHS.md)."""
    return httpx.create_ssl_context()


def parse_answer(document: Any) -> SlotAnswer | None:
    """The answer in a GraphQL response; None for NOT_FOUND; ValueError for other errors."""
    errors = document.get("errors") or []
    if any((error.get("extensions") or {}).get("code") == "NOT_FOUND" for error in errors):
        return None
    if errors:
        raise ValueError("the doctors subgraph answered with errors")
    check = document["data"]["slotAvailability"]
    if check is None:
        return None
    slot_end = check.get("slotEnd")
    available = bool(check["available"])
    return SlotAnswer(
        approved=bool(check["approved"]),
        offered=available and bool(slot_end),
        time_zone=str(check["timeZone"]),
        doctor_user_id=uuid.UUID(str(check["doctorUserId"])),
        slot_end=datetime.fromisoformat(slot_end) if slot_end else None,
        refusal=None if available else check.get("reason"),
    )


def unavailable(detail: str) -> ServiceUnavailable:
    log.warning("doctors subgraph unavailable", extra={"detail": detail})
    return ServiceUnavailable(
        "Doctor availability cannot be checked right now; please try again.", service="doctors"
    )
