"""a covering index by creation time, for the dashboard's statistics

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 10:00:00
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # `statistics` counts notifications by the bucket of their creation, per channel and
    # status, and their delivery latency: every column it reads, so range scans stay in it.
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.create_index(
            "ix_notifications_figures",
            ["created_at", "channel", "status", "sent_at"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.drop_index("ix_notifications_figures")
