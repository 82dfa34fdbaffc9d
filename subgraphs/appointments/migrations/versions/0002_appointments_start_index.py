"""index appointments by start time, for the dashboard's statistics

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02 09:30:00
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # `statistics` counts appointments by the bucket their start falls in, over a range.
    with op.batch_alter_table("appointments", schema=None) as batch_op:
        batch_op.create_index("ix_appointments_start", ["starts_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("appointments", schema=None) as batch_op:
        batch_op.drop_index("ix_appointments_start")
