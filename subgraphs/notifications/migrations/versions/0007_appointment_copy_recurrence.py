"""appointment copies: the series and rule instance of an occurrence (its RECURRENCE-ID)

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 12:45:00

Nullable, no backfill: a copy made before keeps its own calendar entry (UID
`appointment-<id>`), which its e-mailed invitations already put in the calendar.
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("notification_appointments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("series_id", sa.Uuid(), nullable=True))
        batch_op.add_column(
            sa.Column("recurrence_start", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True)
        )
        batch_op.create_index(
            batch_op.f("ix_notification_appointments_series_id"), ["series_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("notification_appointments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_notification_appointments_series_id"))
        batch_op.drop_column("recurrence_start")
        batch_op.drop_column("series_id")
