"""index doctors by creation time and status changes by time, for the dashboard

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02 10:02:00
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # `statistics` counts profiles created and first approvals by bucket over a range.
    with op.batch_alter_table("doctors", schema=None) as batch_op:
        batch_op.create_index("ix_doctors_created_at", ["created_at"], unique=False)
    with op.batch_alter_table("doctor_status_changes", schema=None) as batch_op:
        batch_op.create_index(
            "ix_doctor_status_changes_figures",
            ["changed_at", "to_status", "from_status", "doctor_id"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("doctor_status_changes", schema=None) as batch_op:
        batch_op.drop_index("ix_doctor_status_changes_figures")
    with op.batch_alter_table("doctors", schema=None) as batch_op:
        batch_op.drop_index("ix_doctors_created_at")
