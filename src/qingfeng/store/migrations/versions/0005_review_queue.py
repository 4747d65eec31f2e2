"""Review queue: decisions belong to message instances in their owner's scope; assignees; suppressions.

Findings get a ``message_key`` (``store.models.message_key``). The old ``decisions`` table, keyed by a
finding fingerprint that two owners' messages could share, becomes ``message_reviews``: each old decision is
carried to every stored message that had a finding with its fingerprint, in that message's owner's scope.

Revision ID: review_queue
Revises: harden_auth
Create Date: 2026-12-07
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from qingfeng.store.models import message_key

revision = "review_queue"
down_revision = "harden_jobs"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("findings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("message_key", sa.String(length=32), nullable=True))
        batch_op.create_index(batch_op.f("ix_findings_message_key"), ["message_key"], unique=False)
    op.create_table(
        "message_reviews",
        sa.Column("message_key", sa.String(length=32), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("officer_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("assignee_id", sa.Integer(), nullable=True),
        sa.Column("assigned_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["owner_id"], ["users.id"]),
        sa.ForeignKeyConstraint(["officer_id"], ["users.id"]),
        sa.ForeignKeyConstraint(["assignee_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("message_key"),
    )
    with op.batch_alter_table("message_reviews", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_message_reviews_owner_id"), ["owner_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_message_reviews_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_message_reviews_assignee_id"), ["assignee_id"], unique=False)
    op.create_table(
        "suppressions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("pattern", sa.String(length=32), nullable=False),
        sa.Column("scope", sa.String(length=16), nullable=False),
        sa.Column("target", sa.String(length=255), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("lifted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("lifted_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["author_id"], ["users.id"]),
        sa.ForeignKeyConstraint(["lifted_by_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    _carry_over(op.get_bind())
    op.drop_table("decisions")


def _carry_over(bind: sa.Connection) -> None:
    """Key the stored findings by message instance, and move each old decision onto those instances."""
    meta = sa.MetaData()
    findings = sa.Table("findings", meta, autoload_with=bind)
    decisions = sa.Table("decisions", meta, autoload_with=bind)
    reviews = sa.Table("message_reviews", meta, autoload_with=bind)
    columns = (findings.c.id, findings.c.owner_id, findings.c.message_id, findings.c.room, findings.c.sender)
    rows = bind.execute(sa.select(*columns, findings.c.sent_at, findings.c.text, findings.c.line)).all()
    for row in rows:
        key = message_key(
            row.owner_id,
            source_id=row.message_id,
            room=row.room,
            sender=row.sender,
            sent_at=_utc(row.sent_at),
            text=row.text,
            line=row.line,
        )
        bind.execute(findings.update().where(findings.c.id == row.id).values(message_key=key))
    for old in bind.execute(sa.select(decisions)).all():
        instances = bind.execute(
            sa.select(findings.c.message_key, findings.c.owner_id)
            .where(findings.c.fingerprint == old.fingerprint, findings.c.job_id.is_not(None))
            .distinct()
        ).all()
        for key, owner_id in instances:
            if bind.execute(sa.select(reviews.c.message_key).where(reviews.c.message_key == key)).first():
                continue
            bind.execute(
                reviews.insert().values(
                    message_key=key,
                    owner_id=owner_id,
                    status=old.status,
                    note=old.note,
                    officer_id=old.officer_id,
                    decided_at=old.decided_at,
                )
            )


def _utc(moment: datetime | None) -> datetime | None:
    """SQLite keeps no zone; stored times are UTC."""
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment


def downgrade() -> None:
    op.drop_table("suppressions")
    op.create_table(
        "decisions",
        sa.Column("fingerprint", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("officer_id", sa.Integer(), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["officer_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("fingerprint"),
    )
    op.drop_table("message_reviews")
    with op.batch_alter_table("findings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_findings_message_key"))
        batch_op.drop_column("message_key")
