"""recurrence start: each series occurrence's rule instance (its RECURRENCE-ID)

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03 12:30:00

The backfill expands each series' rule from its first start in its zone, drops the
instances that were refused at booking (`refused` entries without `moved`), and gives the
series' occurrences those instances in start order (a move keeps the order of a series).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from alembic import op
from dateutil.rrule import rrulestr
from sqlmodel.sql.sqltypes import UTCDateTime

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

UTC_DATETIME = UTCDateTime

_series = sa.table(
    "appointment_series",
    sa.column("id", sa.Uuid()),
    sa.column("rule", sa.String()),
    sa.column("time_zone", sa.String()),
    sa.column("first_start", UTC_DATETIME()),
    sa.column("refused", sa.JSON()),
)
_appointments = sa.table(
    "appointments",
    sa.column("id", sa.Uuid()),
    sa.column("series_id", sa.Uuid()),
    sa.column("starts_at", UTC_DATETIME()),
    sa.column("recurrence_start", UTC_DATETIME()),
)


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def booked_instances(
    rule: str, time_zone: str, first_start: datetime, refused: list[dict[str, Any]]
) -> list[datetime]:
    """The series' rule instances (UTC) that were booked: all but the booking's refusals."""
    local = _utc(first_start).astimezone(ZoneInfo(time_zone))
    expanded = [_utc(moment) for moment in rrulestr(rule, dtstart=local)]
    skipped = {
        _utc(datetime.fromisoformat(entry["start"])) for entry in refused if "moved" not in entry
    }
    return [moment for moment in expanded if moment not in skipped]


def upgrade() -> None:
    # A nullable column without a default: no table rewrite (as in 0006).
    op.add_column("appointments", sa.Column("recurrence_start", UTC_DATETIME(), nullable=True))
    connection = op.get_bind()
    for series in connection.execute(sa.select(_series)).all():
        instances = booked_instances(
            series.rule, series.time_zone, series.first_start, list(series.refused or [])
        )
        occurrences = connection.execute(
            sa.select(_appointments.c.id)
            .where(_appointments.c.series_id == series.id)
            .order_by(_appointments.c.starts_at, _appointments.c.id)
        ).all()
        for occurrence, instance in zip(occurrences, instances, strict=False):
            connection.execute(
                sa.update(_appointments)
                .where(_appointments.c.id == occurrence.id)
                .values(recurrence_start=instance)
            )


def downgrade() -> None:
    with op.batch_alter_table("appointments", schema=None) as batch_op:
        batch_op.drop_column("recurrence_start")
