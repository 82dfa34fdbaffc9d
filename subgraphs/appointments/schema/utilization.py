"""Booked hours per doctor, the appointments half of `Statistics.utilization`.

`DoctorUtilization` is an entity keyed by the window and the doctor: this subgraph gives the
booked hours (its store), the doctors subgraph adds the offered hours (its store) and the
ratio, which `@requires` the booked hours; the router joins the two.
"""

from __future__ import annotations

from typing import Final, Self

import strawberry

from subgraphs.appointments import statistics
from subgraphs.appointments.schema.context import Info, deps
from subgraphs.appointments.schema.entities import DoctorRef
from subgraphs.shared.errors import BadUserInput
from subgraphs.shared.statistics import Window, doctor_key, from_doctor_key, require_admin

TOP_MAX: Final = 100


@strawberry.federation.type(
    name="DoctorUtilization",
    keys=["key"],
    description="One doctor's booked and offered hours over the dashboard's window.",
)
class DoctorUtilizationType:
    key: str = strawberry.field(description="Opaque: the window and the doctor.")
    doctor: DoctorRef
    appointments: int = strawberry.field(
        description="Appointments starting in the window that hold time (pending to no-show)."
    )
    booked_hours: float = strawberry.field(description="Their length, in hours.")

    @classmethod
    def of(cls, window: Window, load: statistics.DoctorLoad) -> Self:
        return cls(
            key=doctor_key(window, load.doctor_id),
            doctor=DoctorRef(id=strawberry.ID(str(load.doctor_id))),
            appointments=load.appointments,
            booked_hours=load.booked_seconds / 3600,
        )

    @classmethod
    async def resolve_reference(cls, info: Info, key: str) -> Self:
        require_admin(info.context.principal)
        window, doctor_id = from_doctor_key(key)
        load = await statistics.booked_of(db=deps(info).db, window=window, doctor_id=doctor_id)
        return cls.of(window, load)


async def most_booked(info: Info, window: Window, top: int) -> list[DoctorUtilizationType]:
    """The `top` doctors with the most booked hours (1 to 100, else BAD_USER_INPUT)."""
    require_admin(info.context.principal)
    if not 1 <= top <= TOP_MAX:
        raise BadUserInput(f"top must be 1 to {TOP_MAX}, got {top}.", field="top")
    found = await statistics.most_booked(db=deps(info).db, window=window, top=top)
    return [DoctorUtilizationType.of(window, load) for load in found]


__all__ = ["DoctorUtilizationType", "most_booked"]
