"""The notifications subgraph's root types: a user's inbox and preferences, admin tracking."""

from __future__ import annotations

from subgraphs.notifications.schema.mutation import Mutation
from subgraphs.notifications.schema.query import Query
from subgraphs.notifications.schema.subscription import Subscription
from subgraphs.notifications.schema.types import NotificationType

__all__ = ["Mutation", "NotificationType", "Query", "Subscription"]
