"""Live updates over graphql-transport-ws."""

from __future__ import annotations

from collections.abc import AsyncGenerator

import strawberry

from subgraphs.appointments.schema.context import Info, deps
from subgraphs.appointments.schema.types import (
    AppointmentAction,
    AppointmentType,
    AppointmentUpdate,
)
from subgraphs.appointments.service import live


@strawberry.type
class Subscription:
    @strawberry.subscription(
        description="Changes to the signed-in user's appointments (a patient's own, a doctor's "
        "calendar; admins: all) from the moment of subscribing, made on any replica. Updates "
        "missed while disconnected are not replayed: after reconnecting, query "
        "`myAppointments` (or `doctorCalendar`) to catch up."
    )
    async def appointment_updates(self, info: Info) -> AsyncGenerator[AppointmentUpdate, None]:
        principal = info.context.require()
        async for row, action in live.updates_for(deps(info), principal):
            yield AppointmentUpdate(
                action=AppointmentAction(action.value), appointment=AppointmentType.from_model(row)
            )
