"""The outbox relay: publishes committed events, marking them sent once the broker confirms."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlmodel import col, select

from subgraphs.shared.bus import EventBus
from subgraphs.shared.database import Database
from subgraphs.shared.events import EventEnvelope
from subgraphs.shared.outbox import OutboxMessage, OutboxStatus

log = logging.getLogger(__name__)


def _envelope(message: OutboxMessage) -> EventEnvelope:
    return EventEnvelope(
        id=str(message.id),
        type=message.event_type,
        version=message.version,
        source=message.source,
        occurred_at=message.occurred_at.astimezone(UTC).isoformat(),
        payload=message.payload,
        traceparent=message.traceparent,
    )


@dataclass
class OutboxRelay:
    """Moves pending outbox rows of one store to the bus, in order, at least once."""

    database: Database
    bus: EventBus
    batch_size: int = 100
    poll_seconds: float = 1.0
    max_backoff_seconds: float = 30.0
    _wakeup: asyncio.Event = field(default_factory=asyncio.Event, init=False, repr=False)
    # One thread publishes, so that its one broker connection can be kept alive between
    # batches (`EventBus.keep_alive`).
    _thread: ThreadPoolExecutor = field(
        default_factory=lambda: ThreadPoolExecutor(1, thread_name_prefix="outbox-relay"),
        init=False,
        repr=False,
    )

    async def _on_thread(self, call: Callable[[], object]) -> object:
        return await asyncio.get_running_loop().run_in_executor(self._thread, call)

    def wake(self) -> None:
        """Ask the running relay to look for new events now instead of at its next poll."""
        self._wakeup.set()

    async def run_once(self) -> int:
        """Publish one batch of pending events; returns how many were published.

        Rows are locked (`SKIP LOCKED` on PostgreSQL, the write lock on SQLite) so that
        several relays never publish the same row at the same time. On the first failure
        the batch stops, keeping the order, and the row records the error for the next try.
        """
        statement = (
            select(OutboxMessage)
            .where(OutboxMessage.status == OutboxStatus.PENDING)
            .order_by(col(OutboxMessage.created_at), col(OutboxMessage.id))
            .limit(self.batch_size)
        )
        if self.database.dialect == "postgresql":
            statement = statement.with_for_update(skip_locked=True)
        published = 0
        failure: str | None = None
        async with self.database.transaction() as session:
            rows = (await session.exec(statement)).all()
            for row in rows:
                try:
                    await self._on_thread(functools.partial(self.bus.publish, _envelope(row)))
                except Exception as error:  # the broker is down or refused: keep the row
                    row.attempts += 1
                    row.last_error = f"{type(error).__name__}: {error}"[:500]
                    log.warning(
                        "event publication failed; will retry",
                        extra={"event_id": str(row.id), "event_type": row.event_type},
                    )
                    failure = row.last_error
                    break
                row.status = OutboxStatus.SENT
                row.published_at = datetime.now(UTC)
                published += 1
        if failure is not None and published == 0:
            raise RelayUnavailable(failure)
        return published

    async def run_forever(self) -> None:
        """Poll until cancelled, backing off exponentially while the broker is unreachable."""
        delay = self.poll_seconds
        while True:
            try:
                published = await self.run_once()
                delay = self.poll_seconds
            except RelayUnavailable:
                delay = min(max(delay * 2, self.poll_seconds), self.max_backoff_seconds)
                published = 0
            except Exception:
                log.exception("outbox relay failed; retrying")
                delay = min(max(delay * 2, self.poll_seconds), self.max_backoff_seconds)
                published = 0
            if published >= self.batch_size:
                continue
            with contextlib.suppress(Exception):
                await self._on_thread(self.bus.keep_alive)
            self._wakeup.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wakeup.wait(), timeout=delay)


class RelayUnavailable(RuntimeError):
    """The bus refused or could not be reached; pending events stay pending."""
