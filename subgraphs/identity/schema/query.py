"""Identity's queries: the caller's own account, and users and the audit trail for admins."""

from __future__ import annotations

from typing import Annotated

import strawberry

from subgraphs.identity import service
from subgraphs.identity.schema.context import user_id
from subgraphs.identity.schema.inputs import AuditEventFilter, UserFilter
from subgraphs.identity.schema.paging import FirstArg, LimitArg, OffsetArg, read_window
from subgraphs.identity.schema.trail import TrailQueries
from subgraphs.identity.schema.types import (
    AuditEventPage,
    AuditEventType,
    Info,
    UserPage,
    UserType,
)
from subgraphs.identity.service import profiles
from subgraphs.shared.auth import IsAuthenticated, Role, has_role
from subgraphs.shared.connections import AfterArg

AdminOnly = has_role(Role.ADMIN)


@strawberry.type
class Query(TrailQueries):
    @strawberry.field(description="Whether the identity service answers (a GraphQL probe).")
    def identity_ready(self) -> bool:
        return True

    @strawberry.field(description="The signed-in user.", permission_classes=[IsAuthenticated])
    async def me(self, info: Info) -> UserType:
        principal = info.context.require()
        db = info.context.resources.database
        return UserType.from_model(await service.get_user(db=db, user_id=principal.user_id))

    @strawberry.field(description="A user by id (admins).", permission_classes=[AdminOnly])
    async def user(self, info: Info, id: strawberry.ID) -> UserType:
        db = info.context.resources.database
        found = await service.get_user(db=db, user_id=user_id(id, field="id"))
        await profiles.profile_read(db=db, user=found)
        return UserType.from_model(found)

    @strawberry.field(
        description="Users by name, filtered, paginated (admins).", permission_classes=[AdminOnly]
    )
    async def users(
        self,
        info: Info,
        filter: UserFilter | None = None,
        offset: Annotated[int | None, OffsetArg] = None,
        limit: Annotated[int | None, LimitArg] = None,
        first: Annotated[int | None, FirstArg] = None,
        after: Annotated[str | None, AfterArg] = None,
    ) -> UserPage:
        given = filter or UserFilter()
        query = service.UserQuery(search=given.search, role=given.role, active=given.active)
        at = read_window(
            list_name="identity.users",
            offset=offset,
            limit=limit,
            first=first,
            after=after,
            default_size=20,
        )
        db = info.context.resources.database
        rows, total = await service.list_users(db=db, query=query, offset=at.offset, limit=at.limit)
        await profiles.profiles_listed(db=db, users=rows)
        nodes = [UserType.from_model(r) for r in rows]
        return UserPage.of(list_name="identity.users", at=at, nodes=nodes, total=total)

    @strawberry.field(
        description="The authentication audit trail, newest first (admins).",
        permission_classes=[AdminOnly],
        deprecation_reason="Use auditTrail",
    )
    async def audit_events(
        self,
        info: Info,
        filter: AuditEventFilter | None = None,
        offset: Annotated[int | None, OffsetArg] = None,
        limit: Annotated[int | None, LimitArg] = None,
        first: Annotated[int | None, FirstArg] = None,
        after: Annotated[str | None, AfterArg] = None,
    ) -> AuditEventPage:
        given = filter or AuditEventFilter()
        query = service.AuditQuery(
            user_id=user_id(given.user_id) if given.user_id else None,
            action=given.action,
            outcome=given.outcome,
            since=given.since,
            until=given.until,
        )
        at = read_window(
            list_name="identity.auditEvents",
            offset=offset,
            limit=limit,
            first=first,
            after=after,
            default_size=50,
        )
        rows, total = await service.list_audit(
            db=info.context.resources.database, query=query, offset=at.offset, limit=at.limit
        )
        items = [AuditEventType.from_model(r) for r in rows]
        return AuditEventPage.of(list_name="identity.auditEvents", at=at, nodes=items, total=total)
