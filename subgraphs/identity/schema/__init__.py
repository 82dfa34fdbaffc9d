"""Identity's GraphQL schema: the `User` entity, account and admin operations."""

from __future__ import annotations

import strawberry

from subgraphs.identity.schema.account import AccountMutations
from subgraphs.identity.schema.admin import AdminMutations
from subgraphs.identity.schema.query import Query
from subgraphs.identity.schema.statistics import StatisticsUsers
from subgraphs.identity.schema.types import UserType


@strawberry.type
class Mutation(AccountMutations, AdminMutations):
    pass


TYPES = [UserType, StatisticsUsers]

__all__ = ["TYPES", "Mutation", "Query", "UserType"]
