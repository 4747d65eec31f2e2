"""One settings object, read from QINGFENG_* environment variables and the command line."""

from __future__ import annotations

import secrets
from functools import cached_property
from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from qingfeng.groups.notify import WebhookURL
from qingfeng.store.db import sqlite_url
from qingfeng.web.core.security import Network, parse_networks


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="QINGFENG_", extra="ignore")

    data_dir: Path = Path("qingfeng-data")
    database_url: str | None = None  # default: SQLite in data_dir
    secret_key: str | None = None  # default: generated once and kept in data_dir
    lang: str = "zh"
    session_hours: int = Field(default=12, ge=1)
    cookie_secure: bool = False  # set behind HTTPS
    max_upload_mb: int = Field(default=200, ge=1)
    # Sign-in throttling (docs: SECURITY.md "Sign-in throttling"); failures counted in the database per window.
    login_failures: int = Field(default=5, ge=1)  # per account from one address
    login_account_failures: int = Field(default=20, ge=1)  # per account from all addresses
    login_address_failures: int = Field(default=50, ge=1)  # per address over all accounts
    login_window_s: int = Field(default=900, ge=1)
    wecom_webhook: WebhookURL | None = None  # a WeCom group robot that also gets officers' notifications
    login_known_days: int = Field(default=30, ge=1)  # a sign-in makes its address "known" for the account this long
    trusted_proxies: str = ""  # addresses / CIDRs of reverse proxies whose X-Forwarded-For is believed
    token_days: int = Field(default=90, ge=0)  # lifetime of a new API token; 0: until revoked
    totp_required: bool = False  # officers and admins must sign in with a TOTP code
    # The reporting channel.
    report_keys: str | None = None  # Fernet keys sealing report texts, newest first; default: data_dir/report.key
    report_retention_days: int = Field(default=365, ge=0)  # a new report is deleted this long after; 0: kept
    report_per_hour: int = Field(default=10, ge=1)  # reports and reporter messages per address per hour
    receipt_failures: int = Field(default=10, ge=1)  # wrong receipt codes per address per window
    receipt_window_s: int = Field(default=900, ge=1)

    @field_validator("trusted_proxies")
    @classmethod
    def _networks(cls, value: str) -> str:
        parse_networks(value)  # a wrong entry stops the start with pydantic's message naming it
        return value

    @cached_property
    def proxies(self) -> tuple[Network, ...]:
        return parse_networks(self.trusted_proxies)

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
