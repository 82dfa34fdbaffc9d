"""The users part of the dashboard: totals by role and status, registrations, active users.

Each figure is one aggregate query in identity's store (GROUP BY in the database).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, func
from sqlmodel import col, select
from sqlmodel.sql.sqltypes import UTCDateTime

from subgraphs.identity.models import Session, User
from subgraphs.shared.auth import Role
from subgraphs.shared.database import Database
from subgraphs.shared.statistics import Window, bucket_table


@dataclass(frozen=True)
class RoleCount:
    role: Role
    active: int
    deactivated: int


@dataclass
class BucketUsers:
    """Registrations by role, and distinct users who signed in, in one bucket."""

    registered: dict[Role, int] = field(default_factory=dict)
    signed_in: int = 0


@dataclass(frozen=True)
class UserFigures:
    by_role: list[RoleCount]
    buckets: list[BucketUsers]
    registered: dict[Role, int]
    signed_in: int
    """Distinct users who signed in at least once in the whole range."""


def _in(column: Any, window: Window) -> Any:
    return and_(column >= window.start, column < window.end)


async def user_figures(*, db: Database, window: Window) -> UserFigures:
    """Every users figure of the dashboard over `window` (the caller checked the role)."""
    table = bucket_table(window, dialect=db.dialect, type_=UTCDateTime())
    buckets = [BucketUsers() for _ in window.spans()]
    created, signed = col(User.created_at), col(Session.created_at)
    totals = select(User.role, User.active, func.count()).group_by(col(User.role), col(User.active))
    registrations = (
        select(table.c.idx, User.role, func.count())
        .select_from(table)
        .join(User, and_(created >= table.c.lo, created < table.c.hi))
        .group_by(table.c.idx, col(User.role))
    )
    sign_ins = (
        select(table.c.idx, func.count(func.distinct(Session.user_id)))
        .select_from(table)
        .join(Session, and_(signed >= table.c.lo, signed < table.c.hi))
        .group_by(table.c.idx)
    )
    distinct = select(func.count(func.distinct(Session.user_id))).where(_in(signed, window))
    async with db.session() as session:
        counted: dict[Role, dict[bool, int]] = {role: {} for role in Role}
        for role, active, count in (await session.exec(totals)).all():
            counted[Role(role)][bool(active)] = count
        for idx, role, count in (await session.exec(registrations)).all():
            buckets[idx].registered[Role(role)] = count
        for idx, count in (await session.exec(sign_ins)).all():
            buckets[idx].signed_in = count
        signed_in = (await session.exec(distinct)).one()
    registered = {role: sum(b.registered.get(role, 0) for b in buckets) for role in Role}
    return UserFigures(
        by_role=[
            RoleCount(role=r, active=c.get(True, 0), deactivated=c.get(False, 0))
            for r, c in counted.items()
        ],
        buckets=buckets,
        registered=registered,
        signed_in=signed_in,
    )
