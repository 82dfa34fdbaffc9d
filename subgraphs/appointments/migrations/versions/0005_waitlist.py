"""waitlist: patients waiting for a doctor's freed slots, and the offers of those slots

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03 06:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# One WAITING entry per patient and doctor, one OFFERED offer per doctor and slot start:
# partial unique indexes on both stores, so that concurrent joins or offers cannot double up.
WAITING = "state = 'WAITING'"
OFFERED = "state = 'OFFERED'"


def upgrade() -> None:
    op.create_table(
        "waitlist_entries",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("patient_id", sa.Uuid(), nullable=False),
        sa.Column("doctor_id", sa.Uuid(), nullable=False),
        sa.Column("time_zone", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("first_day", sa.Date(), nullable=False),
        sa.Column("last_day", sa.Date(), nullable=False),
        sa.Column("earliest", sa.Time(), nullable=False),
        sa.Column("latest", sa.Time(), nullable=True),
        sa.Column("state", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("waitlist_entries", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_waitlist_entries_patient_id"), ["patient_id"], unique=False
        )
        batch_op.create_index(
            "ix_waitlist_entries_doctor_line", ["doctor_id", "state", "created_at"], unique=False
        )
        batch_op.create_index(
            "ux_waitlist_entries_waiting",
            ["patient_id", "doctor_id"],
            unique=True,
            sqlite_where=sa.text(WAITING),
            postgresql_where=sa.text(WAITING),
        )

    op.create_table(
        "waitlist_offers",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("entry_id", sa.Uuid(), nullable=False),
        sa.Column("patient_id", sa.Uuid(), nullable=False),
        sa.Column("doctor_id", sa.Uuid(), nullable=False),
        sa.Column("slot_start", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("slot_end", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("time_zone", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("freed_appointment_id", sa.Uuid(), nullable=True),
        sa.Column("state", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("expires_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("appointment_id", sa.Uuid(), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["entry_id"], ["waitlist_entries.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("waitlist_offers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_waitlist_offers_entry_id"), ["entry_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_waitlist_offers_patient_id"), ["patient_id"], unique=False
        )
        batch_op.create_index(
            "ix_waitlist_offers_doctor_slot", ["doctor_id", "slot_start"], unique=False
        )
        batch_op.create_index(
            "ix_waitlist_offers_state_expiry", ["state", "expires_at"], unique=False
        )
        batch_op.create_index(
            "ux_waitlist_offers_open_slot",
            ["doctor_id", "slot_start"],
            unique=True,
            sqlite_where=sa.text(OFFERED),
            postgresql_where=sa.text(OFFERED),
        )


def downgrade() -> None:
    op.drop_table("waitlist_offers")
    op.drop_table("waitlist_entries")
