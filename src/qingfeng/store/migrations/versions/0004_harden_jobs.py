"""Durable scans: a job is held by a lease its worker renews, and records the last line whose findings are stored.

Revision ID: harden_jobs
Revises: 0001
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "harden_jobs"
down_revision = "harden_auth"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("scan_jobs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("lease_owner", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("checkpoint", sa.Integer(), nullable=False, server_default="0"))
        batch_op.create_index("ix_scan_jobs_status", ["status"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("scan_jobs", schema=None) as batch_op:
        batch_op.drop_index("ix_scan_jobs_status")
        batch_op.drop_column("checkpoint")
        batch_op.drop_column("lease_until")
        batch_op.drop_column("lease_owner")
