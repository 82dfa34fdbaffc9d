"""Live updates over graphql-transport-ws."""

from __future__ import annotations

from collections.abc import AsyncGenerator, Iterable
from typing import Any, Final

import strawberry

from subgraphs.appointments.schema.context import Info, deps
from subgraphs.appointments.schema.types import (
    AppointmentAction,
    AppointmentType,
    AppointmentUpdate,
)
from subgraphs.appointments.service import delivery_audit, live

# Fields of an update that carry the patient's data (audited per delivered event).
PATIENT_FIELDS: Final = frozenset({"reason", "statusReason"})


def _asks_patient_data(selections: Iterable[Any]) -> bool:
    """True when the selection (fragments included) reaches one of `PATIENT_FIELDS`."""
    for selection in selections:
        if getattr(selection, "name", None) in PATIENT_FIELDS:
            return True
        if _asks_patient_data(getattr(selection, "selections", ())):
            return True
    return False


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
        audited = _asks_patient_data(info.selected_fields)
        async for row, action in live.updates_for(deps(info), principal):
            if audited:
                await delivery_audit.delivered(deps(info).db, principal, row, action)
            yield AppointmentUpdate(
                action=AppointmentAction(action.value), appointment=AppointmentType.from_model(row)
            )
