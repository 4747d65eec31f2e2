"""One settings object, read from QINGFENG_* environment variables and the command line."""

from __future__ import annotations

import secrets
from functools import cached_property
from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from qingfeng.groups.notify import WebhookURL
from qingfeng.ingest.limits import Limits
from qingfeng.store.db import sqlite_url
from qingfeng.store.security import Network, parse_networks


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="QINGFENG_", extra="ignore")

    data_dir: Path = Path("qingfeng-data")
    database_url: str | None = None  # default: SQLite in data_dir
    secret_key: str | None = None  # default: generated once and kept in data_dir
    lang: str = "zh"
    session_hours: int = Field(default=12, ge=1)
    cookie_secure: bool = False  # set behind HTTPS
    max_upload_mb: int = Field(default=200, ge=1)
    # Bounds on what one request or upload may cost (docs/limits.md says what happens at each).
    max_check_kb: int = Field(default=64, ge=1)  # a /api/check body
    max_body_mb: int = Field(default=8, ge=1)  # any other request that is not a file upload
    max_decompressed_mb: int = Field(default=1024, ge=1)  # an archive, after gunzip
    max_line_kb: int = Field(default=1024, ge=1)  # one line (one record) of an archive
    max_rows: int = Field(default=5_000_000, ge=1)  # lines of one archive, blank ones included
    max_cells: int = Field(default=50_000_000, ge=1)  # CSV or spreadsheet cells of one upload
    upload_retention_days: int = Field(default=7, ge=0)  # an archive is deleted this long after its scan ends
    upload_quota_mb: int = Field(default=1024, ge=1)  # archives one owner may keep on the server at once
    # Background scans: a worker holds a job by a lease it renews as it goes; a lease not renewed for
    # job_lease_s marks a dead worker, and a living one (which looks every job_poll_s) takes the job over.
    job_lease_s: float = Field(default=30, gt=0)
    job_poll_s: float = Field(default=5, gt=0)
    # Pictures checked by OCR (POST /api/check/image, the /check page): bytes and pixels per picture.
    max_image_mb: int = Field(default=10, ge=1)
    max_image_pixels: int = Field(default=40_000_000, ge=1)
    # Sign-in throttling (docs: SECURITY.md "Sign-in throttling"); failures counted in the database per window.
    login_failures: int = Field(default=5, ge=1)  # per account from one address
    login_account_failures: int = Field(default=20, ge=1)  # per account from all addresses
    login_address_failures: int = Field(default=50, ge=1)  # per address over all accounts
    login_window_s: int = Field(default=900, ge=1)
    pseudonymise: bool = False  # reviewers see 成员-3F2A for senders until an officer reveals one
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

    @property
    def limits(self) -> Limits:
        return Limits(
            decompressed_bytes=self.max_decompressed_mb << 20,
            line_bytes=self.max_line_kb << 10,
            rows=self.max_rows,
            cells=self.max_cells,
        )

    def prepare(self) -> None:
        """Create the data folder and settle the secret key (kept across restarts so sessions survive).

        The folder is the owner's alone (0700), and so are the files in it (0600): the SQLite database is
        created here before SQLite opens it, because SQLite gives its -wal and -shm files the database's mode."""
        for folder in (self.data_dir, self.upload_dir):
            folder.mkdir(parents=True, exist_ok=True)
            folder.chmod(0o700)
        if self.database_url is None:
            database = self.data_dir / "qingfeng.db"
            database.touch(mode=0o600)
            for path in (database, database.with_name("qingfeng.db-wal"), database.with_name("qingfeng.db-shm")):
                if path.exists():  # files of an older, readable folder
                    path.chmod(0o600)
        if self.secret_key:
            return
        key_file = self.data_dir / "secret_key"
        if not key_file.exists():
            key_file.touch(mode=0o600)
            key_file.write_text(secrets.token_urlsafe(48), encoding="ascii")
        self.secret_key = key_file.read_text(encoding="ascii").strip()
