"""Offered hours and utilization per doctor: the doctors half of `Statistics.utilization`.

Appointments returns `DoctorUtilization` entities with their booked hours; the router sends
them here (with `bookedHours`, which `utilization` `@requires`) to add the offered hours
computed from the doctor's availability. One batched load per window and request.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from typing import Self

import strawberry

from subgraphs.doctors.schema.context import Info, loader
from subgraphs.doctors.service.offered import offered_seconds
from subgraphs.shared.statistics import Window, from_doctor_key, require_admin


async def _offered(info: Info, keys: Sequence[str]) -> list[int]:
    wanted: dict[str, tuple[Window, list[uuid.UUID]]] = {}
    parsed = [from_doctor_key(key) for key in keys]
    for window, doctor_id in parsed:
        wanted.setdefault(window.key, (window, []))[1].append(doctor_id)
    found: dict[str, dict[uuid.UUID, int]] = defaultdict(dict)
    for window_key, (window, ids) in wanted.items():
        db = info.context.resources.database
        found[window_key] = await offered_seconds(db=db, window=window, doctor_ids=ids)
    return [found[window.key][doctor_id] for window, doctor_id in parsed]


@strawberry.federation.type(name="DoctorUtilization", keys=["key"])
class DoctorUtilizationType:
    key: str
    booked_hours: float = strawberry.federation.field(external=True)
    offered_seconds: strawberry.Private[int]

    @classmethod
    async def resolve_reference(cls, info: Info, key: str, **required: object) -> Self:
        require_admin(info.context.principal)
        from_doctor_key(key)  # BAD_USER_INPUT before any loading

        async def load(keys: Sequence[str]) -> list[int]:
            return await _offered(info, keys)

        offered = await loader(info, "doctors.offered", load).load(key)
        booked = required.get("bookedHours")
        hours = float(booked) if isinstance(booked, int | float) else 0.0
        return cls(key=key, booked_hours=hours, offered_seconds=offered)

    @strawberry.field(
        description="Hours the doctor's availability offers in the window (weekly rules and "
        "ad-hoc slots minus exceptions, in the doctor's time zone), booked or not."
    )
    def offered_hours(self) -> float:
        return self.offered_seconds / 3600

    @strawberry.federation.field(
        requires=["bookedHours"],
        description="Booked hours ÷ offered hours (null when the doctor offered no time; "
        "above 1 when more was booked than offered, e.g. availability removed later).",
    )
    def utilization(self) -> float | None:
        if self.offered_seconds == 0:
            return None
        return self.booked_hours * 3600 / self.offered_seconds
