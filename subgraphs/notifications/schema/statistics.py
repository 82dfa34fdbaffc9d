"""The notifications part of the dashboard: `Statistics.notifications` (the entity is served
by appointments' `statistics` root field; the router reaches this through `_entities`)."""

from __future__ import annotations

from datetime import date
from typing import Self

import strawberry

from subgraphs.notifications.domain import Channel, DeliveryStatus
from subgraphs.notifications.schema.types import Info, NotificationCount
from subgraphs.notifications.statistics import Counts, notification_figures
from subgraphs.shared.statistics import Window, require_admin


@strawberry.type(description="Notifications created in one bucket, by channel and status.")
class NotificationBucket:
    start: date
    counts: list[NotificationCount]


@strawberry.type(description="Creation to sent, of the range's sent notifications (nearest rank).")
class DeliveryLatency:
    channel: Channel
    sent: int
    median_seconds: int | None
    p90_seconds: int | None


@strawberry.type
class NotificationStatistics:
    totals: list[NotificationCount] = strawberry.field(
        description="Every channel and status over the range (zeros included)."
    )
    buckets: list[NotificationBucket]
    latency: list[DeliveryLatency]


def _listed(counts: Counts) -> list[NotificationCount]:
    return [
        NotificationCount(channel=c, status=s, count=counts.get((c, s), 0))
        for c in Channel
        for s in DeliveryStatus
    ]


@strawberry.federation.type(name="Statistics", keys=["key"])
class StatisticsNotifications:
    key: str

    @classmethod
    def resolve_reference(cls, key: str) -> Self:
        return cls(key=key)

    @strawberry.field
    async def notifications(self, info: Info) -> NotificationStatistics:
        require_admin(info.context.principal)
        window = Window.from_key(self.key)
        found = await notification_figures(db=info.context.resources.database, window=window)
        totals: Counts = {}
        for bucket in found.buckets:
            for pair, count in bucket.items():
                totals[pair] = totals.get(pair, 0) + count
        return NotificationStatistics(
            totals=_listed(totals),
            buckets=[
                NotificationBucket(start=s.first_day, counts=_listed(b))
                for s, b in zip(window.spans(), found.buckets, strict=True)
            ],
            latency=[
                DeliveryLatency(
                    channel=x.channel,
                    sent=x.sent,
                    median_seconds=x.median_seconds,
                    p90_seconds=x.p90_seconds,
                )
                for x in found.latency
            ],
        )
