"""recipient channels (identity's profile choice) and events held for unknown recipients

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 20:50:00
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("notification_recipients", schema=None) as batch_op:
        batch_op.add_column(sa.Column("channels", sa.JSON(), nullable=True))
    op.create_table(
        "notification_held_events",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("event_type", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("occurred_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column(
            "status", sa.Enum("WAITING", "PLANNED", "EXPIRED", name="holdstatus"), nullable=False
        ),
        sa.Column("wait_until", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("resolved_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_notification_held_events_user",
        "notification_held_events",
        ["user_id", "status"],
        unique=False,
    )
    op.create_index(
        "ix_notification_held_events_due",
        "notification_held_events",
        ["status", "wait_until"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_notification_held_events_due", table_name="notification_held_events")
    op.drop_index("ix_notification_held_events_user", table_name="notification_held_events")
    op.drop_table("notification_held_events")
    sa.Enum(name="holdstatus").drop(op.get_bind(), checkfirst=True)
    with op.batch_alter_table("notification_recipients", schema=None) as batch_op:
        batch_op.drop_column("channels")
