"""doctors keep their next free slot (search sorts and filters by it in SQL)

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01 21:55:00
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("doctors", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("next_free_start", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True)
        )
        batch_op.add_column(
            sa.Column("next_free_end", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True)
        )
        batch_op.add_column(
            sa.Column("next_free_valid_until", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True)
        )
        batch_op.add_column(
            sa.Column("next_free_epoch", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.create_index("ix_doctors_next_free_start", ["next_free_start"], unique=False)
        batch_op.create_index(
            "ix_doctors_next_free_valid_until", ["next_free_valid_until"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("doctors", schema=None) as batch_op:
        batch_op.drop_index("ix_doctors_next_free_valid_until")
        batch_op.drop_index("ix_doctors_next_free_start")
        batch_op.drop_column("next_free_epoch")
        batch_op.drop_column("next_free_valid_until")
        batch_op.drop_column("next_free_end")
        batch_op.drop_column("next_free_start")
