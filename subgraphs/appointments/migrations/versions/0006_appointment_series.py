"""appointment series: recurring visits, and each appointment's series

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03 07:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "appointment_series",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("patient_id", sa.Uuid(), nullable=False),
        sa.Column("doctor_id", sa.Uuid(), nullable=False),
        sa.Column("doctor_user_id", sa.Uuid(), nullable=False),
        sa.Column("rule", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("time_zone", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("first_start", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("refused", sa.JSON(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("appointment_series", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_appointment_series_patient_id"), ["patient_id"], unique=False
        )
    # A nullable column without a default: no table rewrite, so PostgreSQL's exclusion
    # constraints on `appointments` stay as they are (op.add_column, not a batch copy).
    op.add_column("appointments", sa.Column("series_id", sa.Uuid(), nullable=True))
    op.create_index("ix_appointments_series_id", "appointments", ["series_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("appointments", schema=None) as batch_op:
        batch_op.drop_index("ix_appointments_series_id")
        batch_op.drop_column("series_id")
    op.drop_table("appointment_series")
