"""The review-queue migration: findings get their message instance, and each decision made before it (keyed by
a fingerprint two owners could share) lands on every message instance that had that finding, owner by owner."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from alembic import command

from qingfeng.store.db import alembic_config, make_engine, sqlite_url
from qingfeng.store.models import message_key


def test_old_decisions_move_onto_message_instances(tmp_path: Path) -> None:
    engine = make_engine(sqlite_url(tmp_path))
    config = alembic_config(engine)
    command.upgrade(config, "harden_auth")
    sent = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
    with engine.begin() as db:
        for uid, name in ((1, "officer"), (2, "owner-a"), (3, "owner-b")):
            db.execute(
                sa.text(
                    "INSERT INTO users (id, name, display_name, role, password_hash, active, created_at)"
                    " VALUES (:id, :name, '', 'owner', 'x', 1, :at)"
                ),
                {"id": uid, "name": name, "at": sent},
            )
        for job, owner in ((1, 2), (2, 3)):
            db.execute(
                sa.text(
                    "INSERT INTO scan_jobs (id, owner_id, filename, stored_path, status, total, done, messages,"
                    " flagged, bad_lines, problems, rulebook, created_at)"
                    " VALUES (:id, :owner, 'a.csv', '/x', 'done', 1, 1, 1, 1, 0, '[]', '', :at)"
                ),
                {"id": job, "owner": owner, "at": sent},
            )
        for fid, job, owner, sender, fingerprint in (
            (1, 1, 2, "u1", "f1"),
            (2, 2, 3, "u1", "f1"),
            (3, 2, 3, "u2", "f2"),
        ):
            db.execute(
                sa.text(
                    "INSERT INTO findings (id, fingerprint, job_id, owner_id, line, rule, category, severity, excerpt,"
                    " confidence, explanation, sources, text, channel, room, sender, sent_at, created_at)"
                    " VALUES (:id, :fp, :job, :owner, 2, 'SEC001', 'secrecy', 'block', '机密', 1, '', '[]',"
                    " '机密件', 'group', 'g1', :sender, :at, :at)"
                ),
                {"id": fid, "fp": fingerprint, "job": job, "owner": owner, "sender": sender, "at": sent},
            )
        db.execute(
            sa.text(
                "INSERT INTO decisions (fingerprint, status, note, officer_id, decided_at)"
                " VALUES ('f1', 'confirmed', '属实', 1, :at)"
            ),
            {"at": sent},
        )
    command.upgrade(config, "head")
    with engine.connect() as db:
        keys = dict(db.execute(sa.text("SELECT id, message_key FROM findings")).all())
        reviews = db.execute(sa.text("SELECT message_key, owner_id, status, note FROM message_reviews")).all()
        tables = sa.inspect(db).get_table_names()
    engine.dispose()

    def key(owner: int, sender: str) -> str:
        return message_key(owner, source_id=None, room="g1", sender=sender, sent_at=sent, text="机密件", line=2)

    assert keys == {1: key(2, "u1"), 2: key(3, "u1"), 3: key(3, "u2")}
    assert len(set(keys.values())) == 3  # the same words from two owners are two instances
    assert sorted(reviews) == sorted([(keys[1], 2, "confirmed", "属实"), (keys[2], 3, "confirmed", "属实")])
    assert "decisions" not in tables
