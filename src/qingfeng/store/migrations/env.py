"""Alembic environment: the engine comes from the caller (``store.db.migrate``), never from an ini file."""

from __future__ import annotations

from alembic import context

from qingfeng.store.models import Base

engine = context.config.attributes["engine"]
with engine.begin() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters tables by copying them
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
