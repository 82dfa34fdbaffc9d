"""Identity's mutations: the account's own (`account.py`) and the admins' (`admin.py`)."""

from __future__ import annotations

import strawberry

from subgraphs.identity.schema.account import AccountMutations
from subgraphs.identity.schema.admin import AdminMutations


@strawberry.type
class Mutation(AccountMutations, AdminMutations):
    pass
