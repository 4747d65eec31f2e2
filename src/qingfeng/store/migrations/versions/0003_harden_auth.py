"""Throttling and credentials, and the sealed reporting channel: login attempts and throttle hits in the
database, token expiry and revocation, TOTP secrets, sealed report texts with an expiry, report messages.

Revision ID: harden_auth
Revises: 0001
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "harden_auth"
down_revision = "review_people"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("password_changed_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("totp_secret", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("totp_last_step", sa.Integer(), nullable=True))
    with op.batch_alter_table("api_tokens") as batch:
        batch.add_column(sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "login_attempts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("account", sa.String(length=64), nullable=False),
        sa.Column("address", sa.String(length=64), nullable=False),
        sa.Column("success", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("login_attempts") as batch:
        batch.create_index("ix_login_attempts_at", ["at"])
        batch.create_index("ix_login_attempts_account", ["account"])
        batch.create_index("ix_login_attempts_address", ["address"])
    op.create_table(
        "throttle_hits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scope", sa.String(length=16), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("throttle_hits") as batch:
        batch.create_index("ix_throttle_hits_at", ["at"])
        batch.create_index("ix_throttle_hits_scope_key", ["scope", "key"])
    # Reports filed before this revision are still plain text: `sealed` false until the app seals them with
    # the key, which the migration never sees.
    with op.batch_alter_table("reports") as batch:
        batch.alter_column("contact", existing_type=sa.String(length=255), type_=sa.Text(), existing_nullable=True)
        batch.add_column(sa.Column("sealed", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True))
        batch.create_index("ix_reports_expires_at", ["expires_at"])
    op.create_table(
        "report_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("author", sa.String(length=16), nullable=False),
        sa.Column("officer_id", sa.Integer(), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["report_id"], ["reports.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["officer_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("report_messages") as batch:
        batch.create_index("ix_report_messages_report_id", ["report_id"])


def downgrade() -> None:
    op.drop_table("report_messages")
    with op.batch_alter_table("reports") as batch:
        batch.drop_index("ix_reports_expires_at")
        batch.drop_column("expires_at")
        batch.drop_column("sealed")
        batch.alter_column("contact", existing_type=sa.Text(), type_=sa.String(length=255), existing_nullable=True)
    op.drop_table("throttle_hits")
    op.drop_table("login_attempts")
    with op.batch_alter_table("api_tokens") as batch:
        batch.drop_column("revoked_at")
        batch.drop_column("expires_at")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("totp_last_step")
        batch.drop_column("totp_secret")
        batch.drop_column("password_changed_at")
