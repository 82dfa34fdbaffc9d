"""Each resource's read and search, as GraphQL operations over the supergraph."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from router.fhir import resources
from router.fhir.graphql import Caller
from router.fhir.outcome import FhirError
from router.fhir.params import DateRange, Page, SearchParams
from subgraphs.shared.auth import Principal, Role

__all__ = ["Found", "read", "search"]

Resource = dict[str, Any]
Found = tuple[list[Resource], int]

_DOCTOR = f"query($id: ID!) {{ doctor(id: $id) {{ {resources.DOCTOR_FIELDS} }} }}"
_DOCTORS = f"""query($filter: DoctorFilter, $page: PageInput) {{
  doctors(filter: $filter, page: $page) {{ totalCount nodes {{ {resources.DOCTOR_FIELDS} }} }}
}}"""
_FREE = "query($id: ID!, $from: DateTime!, $to: DateTime!) { availableSlots(doctorId: $id, from: $from, to: $to) { start end } }"  # noqa: E501
_APPOINTMENT = f"query($id: ID!) {{ appointment(id: $id) {{ {resources.APPOINTMENT_FIELDS} }} }}"
_ADMIN_APPOINTMENTS = f"""query($filter: AppointmentFilter, $page: AppointmentPageInput) {{
  appointments(filter: $filter, page: $page) {{ total items {{ {resources.APPOINTMENT_FIELDS} }} }}
}}"""
_MY_APPOINTMENTS = f"""query($when: AppointmentWhen!, $page: AppointmentPageInput) {{
  myAppointments(when: $when, page: $page) {{ total items {{ {resources.APPOINTMENT_FIELDS} }} }}
}}"""
_MY_DOCTOR = "{ myDoctorProfile { id } }"

# FHIR `Appointment.status` codes → our states.
_STATUSES = {
    "pending": ["PENDING"],
    "booked": ["CONFIRMED"],
    "fulfilled": ["COMPLETED"],
    "cancelled": ["CANCELLED", "REJECTED"],
    "noshow": ["NO_SHOW"],
}
# How far a patient's or doctor's own list is read to answer one search (pages of 100).
_OWN_LIST_LIMIT = 500
_SLOT_DAYS = 31


async def read(kind: str, ident: str, caller: Caller, principal: Principal | None) -> Resource:
    if kind == "Slot":
        return await _read_slot(ident, caller, principal)
    if kind == "Appointment":
        _require_user(principal)
        data = await caller.query(_APPOINTMENT, {"id": ident})
        return resources.appointment(data["appointment"])
    doctor = await _doctor(caller, ident)
    if doctor is None:
        raise FhirError(404, "not-found", f"{kind}/{ident} is not known.")
    return _DOCTOR_RESOURCES[kind](doctor)


async def search(
    kind: str, params: SearchParams, caller: Caller, principal: Principal | None
) -> Found:
    page = params.page()
    if kind == "Slot":
        return await _search_slots(params, caller, principal, page)
    if kind == "Appointment":
        return await _search_appointments(params, caller, principal, page)
    ident = _doctor_reference(kind, params)
    if ident is not None:
        doctor = await _doctor(caller, ident)
        found = [] if doctor is None else [doctor]
        return [_DOCTOR_RESOURCES[kind](d) for d in found][page.offset :][: page.count], len(found)
    doctor_filter = {
        "text": params.text("name") if kind == "Practitioner" else None,
        "city": params.text("address-city") if kind != "Schedule" else None,
        "language": params.text("communication") if kind == "Practitioner" else None,
        "specialization": params.text("specialty") if kind == "PractitionerRole" else None,
    }
    data = await caller.query(
        _DOCTORS,
        {
            "filter": {k: v for k, v in doctor_filter.items() if v is not None},
            "page": {"first": page.count, "offset": page.offset},
        },
    )
    result = data["doctors"]
    return [_DOCTOR_RESOURCES[kind](d) for d in result["nodes"]], result["totalCount"]


def _doctor_reference(kind: str, params: SearchParams) -> str | None:
    """The one doctor a directory search names, if it names one."""
    if kind == "PractitionerRole":
        return params.reference("practitioner", "Practitioner")
    ident = params.text("_id")
    if kind == "Schedule":
        return ident or params.reference("actor", "Practitioner")
    return ident


_DOCTOR_RESOURCES = {
    "Practitioner": resources.practitioner,
    "PractitionerRole": resources.practitioner_role,
    "Schedule": resources.schedule,
}


async def _doctor(caller: Caller, ident: str) -> dict[str, Any] | None:
    try:
        data = await caller.query(_DOCTOR, {"id": ident})
    except FhirError as error:
        if error.status in (400, 404):  # a malformed id is as unknown as a missing one
            return None
        raise
    doctor: dict[str, Any] | None = data["doctor"]
    return doctor


async def _search_slots(
    params: SearchParams, caller: Caller, principal: Principal | None, page: Page
) -> Found:
    doctor_id = params.reference("schedule", "Schedule")
    if doctor_id is None:
        raise FhirError(400, "required", "Slot search needs schedule=Schedule/<id>.")
    start, end = params.dates("start").require("start", max_days=_SLOT_DAYS)
    wanted = params.tokens("status", ("free", "busy", "busy-tentative"))
    found = await _slots(caller, principal, doctor_id, start, end, wanted)
    return found[page.offset :][: page.count], len(found)


async def _read_slot(ident: str, caller: Caller, principal: Principal | None) -> Resource:
    doctor_id, _, epoch = ident.rpartition(".")
    if not doctor_id or not epoch.isdigit():
        raise FhirError(404, "not-found", f"Slot/{ident} is not known.")
    try:
        start = datetime.fromtimestamp(int(epoch), UTC)
    except (OverflowError, ValueError, OSError):
        raise FhirError(404, "not-found", f"Slot/{ident} is not known.") from None
    for found in await _slots(caller, principal, doctor_id, start, start + timedelta(seconds=1)):
        if found["id"] == ident:
            return found
    raise FhirError(404, "not-found", f"Slot/{ident} is not open or not visible to you.")


async def _slots(
    caller: Caller,
    principal: Principal | None,
    doctor_id: str,
    start: datetime,
    end: datetime,
    wanted: list[str] | None = None,
) -> list[Resource]:
    """Free slots for anyone; busy time only for the doctor themself and admins."""
    may_see_busy = principal is not None and (
        principal.role is Role.ADMIN
        or (principal.role is Role.DOCTOR and await _own_doctor_id(caller) == doctor_id)
    )
    if wanted is not None and set(wanted) - {"free"} and not may_see_busy:
        raise FhirError(403, "forbidden", "Only the doctor and admins see busy slots.")
    found: list[Resource] = []
    if wanted is None or "free" in wanted:
        window = {"id": doctor_id, "from": start.isoformat(), "to": end.isoformat()}
        data = await caller.query(_FREE, window)
        found += [resources.slot(doctor_id, s, "free") for s in data["availableSlots"]]
    if may_see_busy and wanted != ["free"]:
        taken = await _appointments_of_doctor(caller, principal, doctor_id, start, end)
        for item in taken:
            busy = "busy" if item["status"] == "CONFIRMED" else "busy-tentative"
            if wanted is None or busy in wanted:
                found.append(resources.slot(doctor_id, item, busy))
    return sorted(found, key=lambda s: str(s["start"]))


async def _own_doctor_id(caller: Caller) -> str | None:
    try:
        data = await caller.query(_MY_DOCTOR)
    except FhirError:
        return None
    return str(data["myDoctorProfile"]["id"])


async def _appointments_of_doctor(
    caller: Caller, principal: Principal | None, doctor_id: str, start: datetime, end: datetime
) -> list[dict[str, Any]]:
    active = ["PENDING", "CONFIRMED"]
    if principal is not None and principal.role is Role.ADMIN:
        where = {"doctorId": doctor_id, "from": start.isoformat(), "to": end.isoformat()}
        data = await caller.query(
            _ADMIN_APPOINTMENTS,
            {"filter": {**where, "statuses": active}, "page": {"limit": 100}},
        )
        return list(data["appointments"]["items"])
    own = await _own_appointments(caller)
    return [a for a in own if a["status"] in active and _overlaps(a, DateRange(start, end))]


async def _search_appointments(
    params: SearchParams, caller: Caller, principal: Principal | None, page: Page
) -> Found:
    user = _require_user(principal)
    patient = params.reference("patient", "Patient")
    doctor = params.reference("practitioner", "Practitioner")
    period = params.dates("date")
    chosen = params.tokens("status", _STATUSES)
    statuses = [ours for code in chosen for ours in _STATUSES[code]] if chosen else None
    if user.role is Role.ADMIN:
        where: dict[str, Any] = {"patientId": patient, "doctorId": doctor, "statuses": statuses}
        if period.start is not None:
            where["from"] = period.start.isoformat()
        if period.end is not None:
            where["to"] = period.end.isoformat()
        data = await caller.query(
            _ADMIN_APPOINTMENTS,
            {
                "filter": {k: v for k, v in where.items() if v is not None},
                "page": {"offset": page.offset, "limit": page.count},
            },
        )
        result = data["appointments"]
        return [resources.appointment(a) for a in result["items"]], result["total"]
    if user.role is Role.PATIENT and patient not in (None, str(user.user_id)):
        raise FhirError(403, "forbidden", "Patients read only their own appointments.")
    matches = [
        a
        for a in await _own_appointments(caller)
        if (patient is None or a["patient"]["id"] == patient)
        and (doctor is None or a["doctor"]["id"] == doctor)
        and (statuses is None or a["status"] in statuses)
        and _overlaps(a, period)
    ]
    matches.sort(key=lambda a: str(a["start"]))
    shown = matches[page.offset :][: page.count]
    return [resources.appointment(a) for a in shown], len(matches)


async def _own_appointments(caller: Caller) -> list[dict[str, Any]]:
    """The caller's own list (a patient's bookings, a doctor's visits), upcoming and past."""
    items: list[dict[str, Any]] = []
    for when in ("UPCOMING", "PAST"):
        offset = 0
        while offset < _OWN_LIST_LIMIT:
            page = {"offset": offset, "limit": 100}
            data = await caller.query(_MY_APPOINTMENTS, {"when": when, "page": page})
            batch = data["myAppointments"]
            items += batch["items"]
            offset += 100
            if offset >= batch["total"]:
                break
    return items


def _overlaps(item: dict[str, Any], period: DateRange) -> bool:
    start, end = datetime.fromisoformat(item["start"]), datetime.fromisoformat(item["end"])
    return period.contains(start, end)


def _require_user(principal: Principal | None) -> Principal:
    if principal is None:
        raise FhirError(401, "login", "Appointments need a bearer token.")
    return principal
