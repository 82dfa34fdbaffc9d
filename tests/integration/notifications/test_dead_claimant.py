"""A worker that dies holding a delivery: retried once its lease passed, never DEAD for it."""

from __future__ import annotations

from datetime import timedelta

from subgraphs.notifications.channels import Channels
from subgraphs.notifications.domain import Channel, DeliveryStatus
from subgraphs.notifications.service import delivery, dispatcher
from subgraphs.notifications.service.delivery import DEFAULT_LEASE, Outcome
from subgraphs.shared.database import Database
from subgraphs.shared.pubsub import MemoryPubSub
from tests.integration.notifications.conftest import CONFIG
from tests.integration.notifications.scenario import NOW
from tests.integration.notifications.test_delivery import booked, load
from tests.integration.notifications.test_dispatcher import Recorder


async def test_exhausted_retries_behind_a_dead_claimant_leave_it_to_the_dispatcher(
    db: Database, channels: Channels
) -> None:
    cast, ids = await booked(db)
    email = ids[(cast.patient_id, Channel.EMAIL)]
    # A worker claims the row, then is SIGKILLed before it sends or records anything.
    claimed = await delivery._claim(db, email, now=NOW, lease=DEFAULT_LEASE)
    assert not isinstance(claimed, delivery.Attempt)
    # Its peers' retries all met DeliveryBusy and ran out (in ~45 s): not DEAD for that.
    assert not await delivery.mark_dead(
        db=db, notification_id=email, now=NOW + timedelta(seconds=45)
    )
    assert (await load(db, email)).status is DeliveryStatus.PENDING
    # Before the lease passes the dispatcher leaves it alone, after it enqueues it again...
    enqueue = Recorder()
    await dispatcher.dispatch_due(
        db=db, enqueue=enqueue, now=NOW + timedelta(minutes=1), config=CONFIG
    )
    assert email not in [i for i, _ in enqueue.items]
    later = NOW + DEFAULT_LEASE + timedelta(seconds=1)
    await dispatcher.dispatch_due(db=db, enqueue=enqueue, now=later, config=CONFIG)
    assert (email, Channel.EMAIL) in enqueue.items
    # ...once only, until another claim lapses.
    again = Recorder()
    await dispatcher.dispatch_due(
        db=db, enqueue=again, now=later + timedelta(seconds=5), config=CONFIG
    )
    assert email not in [i for i, _ in again.items]
    attempt = await delivery.deliver(
        db=db, notification_id=email, channels=channels, pubsub=MemoryPubSub(), now=later
    )
    assert attempt.outcome is Outcome.SENT
    assert (await load(db, email)).status is DeliveryStatus.SENT


async def test_a_stale_attempt_cannot_overwrite_what_a_newer_one_recorded(
    db: Database, channels: Channels
) -> None:
    cast, ids = await booked(db)
    email = ids[(cast.patient_id, Channel.EMAIL)]
    stale = await delivery._claim(db, email, now=NOW, lease=DEFAULT_LEASE)
    assert not isinstance(stale, delivery.Attempt)
    later = NOW + DEFAULT_LEASE + timedelta(seconds=1)
    await delivery.deliver(
        db=db, notification_id=email, channels=channels, pubsub=MemoryPubSub(), now=later
    )
    # The first attempt wakes up and reports a failure: the record keeps what was sent.
    await delivery._finish(
        db, email, DeliveryStatus.FAILED, now=later, error="timeout", mine=stale.attempts
    )
    row = await load(db, email)
    assert row.status is DeliveryStatus.SENT
    assert row.last_error is None
