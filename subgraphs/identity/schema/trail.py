"""The audit trail for admins: `auditTrail` (search, paginated) and `exportAuditTrail`."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Self

import strawberry

from subgraphs.identity.schema.connection import ListPage
from subgraphs.identity.schema.paging import FirstArg, LimitArg, OffsetArg, read_window
from subgraphs.identity.schema.types import Info
from subgraphs.identity.service import trail_search
from subgraphs.identity.service.trail_export import CONTENT_TYPES, ExportFormat, render
from subgraphs.shared.audit.trail import TrailEntry
from subgraphs.shared.auth import Role, has_role
from subgraphs.shared.connections import AfterArg
from subgraphs.shared.errors import BadUserInput

AdminOnly = has_role(Role.ADMIN)
strawberry.enum(ExportFormat, name="AuditExportFormat", description="NDJSON or CSV.")


@strawberry.input(description="Every given field must match; `until` is exclusive.")
class AuditTrailFilter:
    patient_id: strawberry.ID | None = strawberry.field(
        default=None, description="The patient whose data was concerned."
    )
    actor_id: strawberry.ID | None = strawberry.field(default=None, description="Who acted.")
    action: str | None = strawberry.field(
        default=None, description="e.g. AppointmentRead, AppointmentBooked, Query.auditTrail."
    )
    subject_type: str | None = strawberry.field(default=None, description="e.g. Appointment.")
    subject_id: strawberry.ID | None = None
    outcome: str | None = strawberry.field(default=None, description="ALLOWED or REFUSED.")
    since: datetime | None = None
    until: datetime | None = None


@strawberry.type(name="AuditTrailEntry", description="One entry of the hash-chained trail.")
class AuditTrailEntryType:
    seq: int
    id: strawberry.ID
    occurred_at: datetime
    recorded_at: datetime
    component: str
    action: str
    outcome: str
    actor_id: strawberry.ID | None
    actor_role: str
    subject_type: str | None
    subject_id: strawberry.ID | None
    patient_id: strawberry.ID | None
    reason: str | None
    client_address: str | None
    request_id: str | None
    trace_id: str | None
    hash: str

    @classmethod
    def from_model(cls, row: TrailEntry) -> Self:
        def ident(value: object) -> strawberry.ID | None:
            return strawberry.ID(str(value)) if value is not None else None

        return cls(
            seq=row.seq,
            id=strawberry.ID(str(row.id)),
            occurred_at=row.occurred_at,
            recorded_at=row.recorded_at,
            component=row.component,
            action=row.action,
            outcome=row.outcome,
            actor_id=ident(row.actor_id),
            actor_role=row.actor_role,
            subject_type=row.subject_type,
            subject_id=ident(row.subject_id),
            patient_id=ident(row.patient_id),
            reason=row.reason,
            client_address=row.client_address,
            request_id=row.request_id,
            trace_id=row.trace_id,
            hash=row.hash,
        )


@strawberry.type(description="A page of trail entries, newest first.")
class AuditTrailPage(ListPage[AuditTrailEntryType]):
    pass


@strawberry.type(
    description="One batch of an export, in chain order. While `complete` is false, ask again "
    "with `afterSeq: lastSeq` for the next batch."
)
class AuditTrailExport:
    format: ExportFormat
    content_type: str
    count: int
    last_seq: int
    complete: bool
    body: str


def _uuid(raw: object, field: str) -> uuid.UUID | None:
    if raw is None:
        return None
    try:
        return uuid.UUID(str(raw))
    except ValueError:
        raise BadUserInput("Not an id.", field=field) from None


def _query(given: AuditTrailFilter | None) -> trail_search.TrailQuery:
    f = given or AuditTrailFilter()
    if f.outcome is not None and f.outcome not in ("ALLOWED", "REFUSED"):
        raise BadUserInput("outcome is ALLOWED or REFUSED.", field="outcome")
    return trail_search.TrailQuery(
        patient_id=_uuid(f.patient_id, "patientId"),
        actor_id=_uuid(f.actor_id, "actorId"),
        action=f.action,
        subject_type=f.subject_type,
        subject_id=str(f.subject_id) if f.subject_id is not None else None,
        outcome=f.outcome,
        since=f.since,
        until=f.until,
    )


@strawberry.type
class TrailQueries:
    @strawberry.field(
        description="The audit trail of every component, newest first (admins; audited).",
        permission_classes=[AdminOnly],
    )
    async def audit_trail(
        self,
        info: Info,
        filter: AuditTrailFilter | None = None,
        offset: Annotated[int | None, OffsetArg] = None,
        limit: Annotated[int | None, LimitArg] = None,
        first: Annotated[int | None, FirstArg] = None,
        after: Annotated[str | None, AfterArg] = None,
    ) -> AuditTrailPage:
        query = _query(filter)
        at = read_window(
            list_name="identity.auditTrail",
            offset=offset,
            limit=limit,
            first=first,
            after=after,
            default_size=50,
        )
        rows, total = await trail_search.search_trail(
            db=info.context.resources.database, query=query, offset=at.offset, limit=at.limit
        )
        items = [AuditTrailEntryType.from_model(r) for r in rows]
        return AuditTrailPage.of(list_name="identity.auditTrail", at=at, nodes=items, total=total)

    @strawberry.field(
        description="Export the trail (NDJSON or CSV) in batches of at most 10,000 entries, in "
        "chain order with each entry's hashes (admins; audited).",
        permission_classes=[AdminOnly],
    )
    async def export_audit_trail(
        self,
        info: Info,
        filter: AuditTrailFilter | None = None,
        format: ExportFormat = ExportFormat.NDJSON,
        after_seq: int = 0,
        limit: int = trail_search.EXPORT_MAX,
    ) -> AuditTrailExport:
        if after_seq < 0 or not 1 <= limit <= trail_search.EXPORT_MAX:
            raise BadUserInput(
                f"afterSeq must be ≥ 0 and limit 1 to {trail_search.EXPORT_MAX}.", field="limit"
            )
        rows = await trail_search.export_trail(
            db=info.context.resources.database,
            query=_query(filter),
            after_seq=after_seq,
            limit=limit,
        )
        return AuditTrailExport(
            format=format,
            content_type=CONTENT_TYPES[format],
            count=len(rows),
            last_seq=rows[-1].seq if rows else after_seq,
            complete=len(rows) < limit,
            body=render(rows, format),
        )
