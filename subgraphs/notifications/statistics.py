"""The notifications part of the dashboard: sent / failed / dead per channel and bucket,
and delivery latency (creation to sent) per channel. One aggregate query each, in SQL.
Notifications count in the bucket of their creation."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, func
from sqlmodel import col, select
from sqlmodel.sql.sqltypes import UTCDateTime

from subgraphs.notifications.domain import Channel, DeliveryStatus
from subgraphs.notifications.models import Notification
from subgraphs.shared.database import Database
from subgraphs.shared.statistics import Window, at_rank, bucket_table, seconds_between

Counts = dict[tuple[Channel, DeliveryStatus], int]


@dataclass(frozen=True)
class Latency:
    channel: Channel
    sent: int
    median_seconds: int | None
    p90_seconds: int | None


@dataclass(frozen=True)
class NotificationFigures:
    buckets: list[Counts]
    latency: list[Latency]


def _seconds(value: object) -> int | None:
    return None if value is None else round(float(str(value)))


async def notification_figures(*, db: Database, window: Window) -> NotificationFigures:
    """Every notifications figure of the dashboard over `window` (the caller checked the role)."""
    table = bucket_table(window, dialect=db.dialect, type_=UTCDateTime())
    created, sent = col(Notification.created_at), col(Notification.sent_at)
    channel, status = col(Notification.channel), col(Notification.status)
    per_bucket = (
        select(table.c.idx, channel, status, func.count())
        .select_from(table)
        .join(Notification, and_(created >= table.c.lo, created < table.c.hi))
        .group_by(table.c.idx, channel, status)
    )
    waited = seconds_between(sent, created, dialect=db.dialect)
    ranked = (
        select(
            channel.label("channel"),
            waited.label("value"),
            func.row_number().over(partition_by=channel, order_by=waited).label("rank"),
            func.count().over(partition_by=channel).label("n"),
        )
        .where(
            created >= window.start,
            created < window.end,
            status == DeliveryStatus.SENT.value,
            sent.is_not(None),
        )
        .subquery("ranked")
    )
    latency = select(
        ranked.c.channel,
        func.count(),
        func.min(at_rank(ranked, 1, 2)),
        func.min(at_rank(ranked, 9, 10)),
    ).group_by(ranked.c.channel)
    buckets: list[Counts] = [{} for _ in window.spans()]
    async with db.session() as session:
        for idx, ch, st, count in (await session.exec(per_bucket)).all():
            buckets[idx][(Channel(ch), DeliveryStatus(st))] = count
        found = {
            Channel(ch): Latency(Channel(ch), n, _seconds(median), _seconds(p90))
            for ch, n, median, p90 in (await session.exec(latency)).all()
        }
    return NotificationFigures(
        buckets=buckets,
        latency=[found.get(c, Latency(c, 0, None, None)) for c in Channel],
    )
