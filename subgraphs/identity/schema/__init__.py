"""Identity's GraphQL schema: the `User` entity, account and admin operations."""

from __future__ import annotations

from subgraphs.identity.schema.mutation import Mutation
from subgraphs.identity.schema.query import Query
from subgraphs.identity.schema.statistics import StatisticsUsers
from subgraphs.identity.schema.types import UserType

TYPES = [UserType, StatisticsUsers]

__all__ = ["TYPES", "Mutation", "Query", "UserType"]
