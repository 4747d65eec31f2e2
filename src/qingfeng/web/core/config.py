"""One settings object, read from QINGFENG_* environment variables and the command line."""

from __future__ import annotations

import secrets
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from qingfeng.store.db import sqlite_url


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="QINGFENG_", extra="ignore")

    data_dir: Path = Path("qingfeng-data")
    database_url: str | None = None  # default: SQLite in data_dir
    secret_key: str | None = None  # default: generated once and kept in data_dir
    lang: str = "zh"
    session_hours: int = Field(default=12, ge=1)
    cookie_secure: bool = False  # set behind HTTPS
    max_upload_mb: int = Field(default=200, ge=1)
    login_failures: int = Field(default=5, ge=1)  # allowed per account and address per window
    login_window_s: int = Field(default=900, ge=1)
    pseudonymise: bool = False  # reviewers see 成员-3F2A for senders until an officer reveals one

    @property
    def db_url(self) -> str:
        return self.database_url or sqlite_url(self.data_dir)

    @property
    def upload_dir(self) -> Path:
        return self.data_dir / "uploads"

    def prepare(self) -> None:
        """Create the data folder and settle the secret key (kept across restarts so sessions survive)."""
        self.upload_dir.mkdir(parents=True, exist_ok=True)
        if self.secret_key:
            return
        key_file = self.data_dir / "secret_key"
        if not key_file.exists():
            key_file.touch(mode=0o600)
            key_file.write_text(secrets.token_urlsafe(48), encoding="ascii")
        self.secret_key = key_file.read_text(encoding="ascii").strip()
