"""Live updates: after a change commits, tell the patient's and the doctor's subscribers.

Messages go through `resources.pubsub` (Redis channels in the distributed mode, so a
subscriber connected to any replica hears changes made on any other; in-process in the
embedded mode). They carry only the appointment id and what happened. Each process listens
to a channel once for all its subscribers of it (`Fanout`): the appointment is read once per
change and handed to every subscriber, each of which checks its own right to read it. Pub/sub
is fire-and-forget: a client that reconnects catches up by querying `myAppointments` (or
`doctorCalendar`).

When the channel's subscription fails (Redis cut, the store unreachable while reading a
change), every subscriber's stream ends with SERVICE_UNAVAILABLE (resubscribe later, then catch
up), the cause chained for the log; anything else ends it as an internal error.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import AsyncGenerator, AsyncIterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final

from subgraphs.appointments.domain import Action, Actor, can_read
from subgraphs.appointments.models import AppointmentRow
from subgraphs.appointments.service import queries
from subgraphs.shared.auth import Principal
from subgraphs.shared.errors import ServiceUnavailable, is_outage
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


Change = tuple[AppointmentRow, Action]
QUEUE_SIZE: Final = 1000  # per subscriber; a stalled one loses its oldest changes
UNAVAILABLE_MESSAGE: Final = (
    "Live updates are unavailable right now; subscribe again later and query your "
    "appointments to catch up."
)


class ListeningFailed(Exception):
    """The channel's pub/sub subscription failed (`cause`); its subscribers' streams end."""

    def __init__(self, channel: str, cause: Exception) -> None:
        super().__init__(channel)
        self.channel = channel
        self.cause = cause

    def for_subscriber(self) -> Exception:
        """What a subscriber's stream ends with (raise it `from self.cause`): an outage is
        SERVICE_UNAVAILABLE, which the client may retry; anything else is this failure."""
        if is_outage(self.cause):
            return ServiceUnavailable(UNAVAILABLE_MESSAGE)
        return ListeningFailed(self.channel, self.cause)


@dataclass(eq=False)
class _Channel:
    ready: asyncio.Future[None]
    listeners: set[asyncio.Queue[Change | ListeningFailed]] = field(default_factory=set)
    task: asyncio.Task[None] | None = None


class Fanout:
    """Every subscriber of a channel in this process behind one pub/sub subscription: each
    change is read from the store once and offered to all of them."""

    def __init__(self) -> None:
        self._channels: dict[str, _Channel] = {}

    def listeners(self, channel: str) -> int:
        entry = self._channels.get(channel)
        return len(entry.listeners) if entry else 0

    @contextlib.asynccontextmanager
    async def listening(
        self, deps: Deps, channel: str
    ) -> AsyncIterator[asyncio.Queue[Change | ListeningFailed]]:
        """A queue of the channel's changes from the moment it is yielded."""
        entry = self._channels.get(channel)
        if entry is None:
            entry = _Channel(ready=asyncio.get_running_loop().create_future())
            self._channels[channel] = entry
            entry.task = asyncio.create_task(self._pump(deps, channel, entry))
        queue: asyncio.Queue[Change | ListeningFailed] = asyncio.Queue(QUEUE_SIZE)
        entry.listeners.add(queue)
        try:
            await asyncio.shield(entry.ready)
            yield queue
        finally:
            entry.listeners.discard(queue)
            if not entry.listeners and entry.task is not None:
                entry.task.cancel()
                if self._channels.get(channel) is entry:
                    del self._channels[channel]

    async def _pump(self, deps: Deps, channel: str, entry: _Channel) -> None:
        try:
            async with deps.pubsub.subscription(channel) as stream:
                entry.ready.set_result(None)
                async for message in stream:
                    appointment_id = uuid.UUID(str(message["appointment_id"]))
                    row = (await queries.by_ids(deps.db, [appointment_id])).get(appointment_id)
                    if row is None:
                        continue
                    change = (row, Action(str(message["action"])))
                    for queue in list(entry.listeners):
                        _offer(queue, change)
        except asyncio.CancelledError:
            raise
        except Exception as error:
            log.warning(
                "live updates: listening failed",
                extra={"channel": channel, "error": type(error).__name__},
            )
            if self._channels.get(channel) is entry:
                del self._channels[channel]
            if not entry.ready.done():
                entry.ready.set_exception(ListeningFailed(channel, error))
            for queue in list(entry.listeners):
                _offer(queue, ListeningFailed(channel, error))


def _offer(queue: asyncio.Queue[Change | ListeningFailed], item: Change | ListeningFailed) -> None:
    if queue.full():
        queue.get_nowait()
    queue.put_nowait(item)


async def updates_for(
    deps: Deps, principal: Principal
) -> AsyncGenerator[tuple[AppointmentRow, Action], None]:
    """Changes the principal may see, as they happen (read once for all subscribers).
    Raises `ServiceUnavailable` when the channel cannot be listened to (see the module)."""
    actor = Actor(user_id=principal.user_id, role=principal.role)
    try:
        async with deps.fanout.listening(deps, channel_for(principal)) as changes:
            while True:
                item = await changes.get()
                if isinstance(item, ListeningFailed):
                    raise item
                row, action = item
                if can_read(actor, patient_id=row.patient_id, doctor_user_id=row.doctor_user_id):
                    yield row, action
    except ListeningFailed as failed:
        raise failed.for_subscriber() from failed.cause
