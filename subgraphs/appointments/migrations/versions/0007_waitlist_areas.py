"""waitlist areas: entries for any doctor of a specialization in a city

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 11:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

WAITING = "state = 'WAITING'"


def upgrade() -> None:
    # An area entry has no doctor: doctor_id becomes optional. The partial unique index is
    # dropped and made again around the change (SQLite rebuilds the table for it).
    with op.batch_alter_table("waitlist_entries", schema=None) as batch_op:
        batch_op.drop_index("ux_waitlist_entries_waiting")
    with op.batch_alter_table("waitlist_entries", schema=None) as batch_op:
        batch_op.alter_column("doctor_id", existing_type=sa.Uuid(), nullable=True)
        batch_op.add_column(
            sa.Column("specialization", sqlmodel.sql.sqltypes.AutoString(length=50), nullable=True)
        )
        batch_op.add_column(
            sa.Column("city", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True)
        )
        batch_op.add_column(
            sa.Column("city_key", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True)
        )
    with op.batch_alter_table("waitlist_entries", schema=None) as batch_op:
        batch_op.create_index(
            "ux_waitlist_entries_waiting",
            ["patient_id", "doctor_id"],
            unique=True,
            sqlite_where=sa.text(WAITING),
            postgresql_where=sa.text(WAITING),
        )
        batch_op.create_index(
            "ix_waitlist_entries_area_line",
            ["specialization", "city_key", "state", "created_at"],
            unique=False,
        )
        # One WAITING area entry per patient and area (doctor entries have NULL keys here,
        # which unique indexes never compare equal).
        batch_op.create_index(
            "ux_waitlist_entries_area_waiting",
            ["patient_id", "specialization", "city_key"],
            unique=True,
            sqlite_where=sa.text(WAITING),
            postgresql_where=sa.text(WAITING),
        )


def downgrade() -> None:
    op.execute(
        "DELETE FROM waitlist_offers WHERE entry_id IN "
        "(SELECT id FROM waitlist_entries WHERE doctor_id IS NULL)"
    )
    op.execute("DELETE FROM waitlist_entries WHERE doctor_id IS NULL")
    with op.batch_alter_table("waitlist_entries", schema=None) as batch_op:
        batch_op.drop_index("ux_waitlist_entries_area_waiting")
        batch_op.drop_index("ix_waitlist_entries_area_line")
        batch_op.drop_index("ux_waitlist_entries_waiting")
    with op.batch_alter_table("waitlist_entries", schema=None) as batch_op:
        batch_op.drop_column("city_key")
        batch_op.drop_column("city")
        batch_op.drop_column("specialization")
        batch_op.alter_column("doctor_id", existing_type=sa.Uuid(), nullable=False)
    with op.batch_alter_table("waitlist_entries", schema=None) as batch_op:
        batch_op.create_index(
            "ux_waitlist_entries_waiting",
            ["patient_id", "doctor_id"],
            unique=True,
            sqlite_where=sa.text(WAITING),
            postgresql_where=sa.text(WAITING),
        )
