"""Identity's part of the dashboard: `Statistics.users` (the entity is owned by appointments,
which serves the root field `statistics`; the router reaches this through `_entities`)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Self

import strawberry

from subgraphs.identity.schema.context import ident
from subgraphs.identity.schema.types import Info
from subgraphs.identity.service.statistics import user_figures
from subgraphs.shared.auth import Role
from subgraphs.shared.statistics import Window, require_admin


@strawberry.type(description="Users of one role now, by status.")
class UsersByRole:
    role: Role
    active: int
    deactivated: int


@strawberry.type(description="Registrations by role, and users who signed in, in one bucket.")
class UserBucket:
    start: date = strawberry.field(description="The bucket's first local date.")
    starts_at: datetime
    ends_at: datetime
    registrations: int
    patient_registrations: int
    doctor_registrations: int
    admin_registrations: int
    active_users: int = strawberry.field(description="Distinct users who signed in.")


@strawberry.type
class UserStatistics:
    by_role: list[UsersByRole] = strawberry.field(description="All users now, whatever the range.")
    registrations: int = strawberry.field(description="Accounts created in the range.")
    active_users: int = strawberry.field(
        description="Distinct users who signed in at least once in the range."
    )
    buckets: list[UserBucket]


@strawberry.federation.type(name="Statistics", keys=["key"])
class StatisticsUsers:
    key: str

    @classmethod
    def resolve_reference(cls, key: str) -> Self:
        return cls(key=key)

    @strawberry.field
    async def users(self, info: Info) -> UserStatistics:
        require_admin(info.context.principal)
        window = Window.from_key(self.key)
        found = await user_figures(db=ident(info).db, window=window)
        return UserStatistics(
            by_role=[
                UsersByRole(role=r.role, active=r.active, deactivated=r.deactivated)
                for r in found.by_role
            ],
            registrations=sum(found.registered.values()),
            active_users=found.signed_in,
            buckets=[
                UserBucket(
                    start=span.first_day,
                    starts_at=span.start,
                    ends_at=span.end,
                    registrations=sum(b.registered.values()),
                    patient_registrations=b.registered.get(Role.PATIENT, 0),
                    doctor_registrations=b.registered.get(Role.DOCTOR, 0),
                    admin_registrations=b.registered.get(Role.ADMIN, 0),
                    active_users=b.signed_in,
                )
                for span, b in zip(window.spans(), found.buckets, strict=True)
            ],
        )
