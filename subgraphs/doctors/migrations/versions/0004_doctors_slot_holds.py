"""slots held for waitlist offers (projected from the appointments subgraph's events)

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03 11:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "doctor_slot_holds",
        sa.Column("offer_id", sa.Uuid(), nullable=False),
        sa.Column("doctor_id", sa.Uuid(), nullable=False),
        sa.Column("start", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("end", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("held_until", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("offer_id"),
    )
    with op.batch_alter_table("doctor_slot_holds", schema=None) as batch_op:
        batch_op.create_index(
            "ix_doctor_slot_holds_doctor", ["doctor_id", "active", "held_until"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("doctor_slot_holds", schema=None) as batch_op:
        batch_op.drop_index("ix_doctor_slot_holds_doctor")
    op.drop_table("doctor_slot_holds")
