"""The notifications subgraph's composition root."""

from __future__ import annotations

from subgraphs.notifications.schema import Mutation, NotificationType, Query, Subscription
from subgraphs.notifications.schema.statistics import StatisticsNotifications
from subgraphs.shared.app import SubgraphSpec, schema_factory

SPEC = SubgraphSpec(
    name="notifications",
    schema=schema_factory(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        types=[NotificationType, StatisticsNotifications],
    ),
)
