"""Storage: SQLAlchemy models, data-access functions and migrations (SQLite by default, PostgreSQL)."""
