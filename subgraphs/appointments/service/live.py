"""Live updates: after a change commits, tell the patient's and the doctor's subscribers.

Messages go through `resources.pubsub` (Redis channels in the distributed mode, so a
subscriber connected to any replica hears changes made on any other; in-process in the
embedded mode). They carry only the appointment id and what happened: the subscription
re-reads the appointment with the subscriber's rights. Pub/sub is fire-and-forget: a client
that reconnects catches up by querying `myAppointments` (or `doctorCalendar`).
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import AsyncGenerator
from typing import TYPE_CHECKING, Any, Final

from subgraphs.appointments.domain import Action, Actor, can_read
from subgraphs.appointments.models import AppointmentRow
from subgraphs.appointments.service import queries
from subgraphs.shared.auth import Principal
from subgraphs.shared.pubsub import PubSub

if TYPE_CHECKING:
    from subgraphs.appointments.service.lifecycle import Deps

log = logging.getLogger(__name__)

ALL: Final = "appointments:all"


def user_channel(user_id: uuid.UUID) -> str:
    return f"appointments:user:{user_id}"


def channel_for(principal: Principal) -> str:
    """Admins hear every change; patients and doctors hear changes of their own."""
    return ALL if principal.is_admin else user_channel(principal.user_id)


async def announce(pubsub: PubSub, row: AppointmentRow, action: Action) -> None:
    """Publish one change (after commit); a pub/sub outage never fails the committed change."""
    message: dict[str, Any] = {"appointment_id": str(row.id), "action": action.value}
    for channel in (user_channel(row.patient_id), user_channel(row.doctor_user_id), ALL):
        try:
            await pubsub.publish(channel, message)
        except Exception:  # clients catch up by querying; the change itself is committed
            log.warning("live update not published", extra={"appointment_id": str(row.id)})


async def updates_for(
    deps: Deps, principal: Principal
) -> AsyncGenerator[tuple[AppointmentRow, Action], None]:
    """Changes the principal may see, as they happen, each read fresh from the store."""
    actor = Actor(user_id=principal.user_id, role=principal.role)
    async with deps.pubsub.subscription(channel_for(principal)) as stream:
        async for message in stream:
            appointment_id = uuid.UUID(str(message["appointment_id"]))
            row = (await queries.by_ids(deps.db, [appointment_id])).get(appointment_id)
            if row is not None and can_read(
                actor, patient_id=row.patient_id, doctor_user_id=row.doctor_user_id
            ):
                yield row, Action(str(message["action"]))
