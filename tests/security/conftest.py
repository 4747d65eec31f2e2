"""Servers for the attack tests: tight limits, 127.0.0.1 as the trusted reverse proxy, on SQLite and on
PostgreSQL (its own schema, so the shared web-test server's tables are never touched).

Every client names the address it stands for in X-Forwarded-For, as a proxy would, so each test is its own
set of callers. A client that must not be behind the proxy binds 127.0.0.2 instead: an untrusted peer.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from sqlalchemy import text

from qingfeng.store import crud
from qingfeng.store.db import make_engine, migrate, normalize_url, session_factory
from qingfeng.web.core.config import Settings
from web.conftest import CSRF_INPUT, PASSWORD, PG_ENV, ThreadedServer, unavailable

SCHEMA = "qf_security_tests"
TIGHT = {
    "login_failures": 3,
    "login_account_failures": 6,
    "login_address_failures": 8,
    "report_per_hour": 3,
    "receipt_failures": 3,
    "trusted_proxies": "127.0.0.1",
}


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def new_address() -> str:
    """A fresh client address (documentation range 198.18.0.0/15) for one caller of one test."""
    number = uuid.uuid4().int
    return f"198.{18 + number % 2}.{number >> 8 & 255}.{number >> 16 & 255}"


def postgres_url() -> str:
    base = os.environ.get(PG_ENV)
    if not base:
        unavailable(f"PostgreSQL: set {PG_ENV} (e.g. postgresql://user:pass@127.0.0.1/db)")
    url = normalize_url(base)
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
        connection.execute(text(f"CREATE SCHEMA {SCHEMA}"))
    engine.dispose()
    return url + ("&" if "?" in url else "?") + f"options=-csearch_path%3D{SCHEMA}"


class Client:
    """A browser at one address: cookies, the page's CSRF token, and X-Forwarded-For from the proxy."""

    def __init__(self, base: str, address: str | None = None, peer: str = "127.0.0.1") -> None:
        self.address = address or new_address()
        headers = {"X-Forwarded-For": self.address}
        transport = httpx.HTTPTransport(local_address=peer)
        self.http = httpx.Client(base_url=base, headers=headers, transport=transport, timeout=15)

    def csrf(self, path: str = "/login") -> str:
        match = CSRF_INPUT.search(self.http.get(path).text)
        assert match, f"no CSRF token on {path}"
        return match.group(1)

    def form(self, path: str, data: dict[str, str], page: str = "/login") -> httpx.Response:
        return self.http.post(path, data={**data, "csrf_token": self.csrf(page)})

    def login(self, name: str, password: str = PASSWORD) -> httpx.Response:
        return self.form("/login", {"name": name, "password": password})


@dataclass
class Site:
    settings: Settings
    bases: list[str] = field(default_factory=list)  # one per app instance ("worker") on the same database

    @property
    def base(self) -> str:
        return self.bases[0]

    def client(self, address: str | None = None, peer: str = "127.0.0.1", worker: int = 0) -> Client:
        return Client(self.bases[worker], address, peer)

    def db(self) -> Any:
        engine = make_engine(self.settings.db_url)
        migrate(engine)
        return session_factory(engine)()

    def add_user(self, role: str = "member", password: str = PASSWORD) -> str:
        name = unique(role)
        with self.db() as db:
            crud.create_user(db, name=name, password=password, role=role)
        return name


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """Two app instances on one database, as `qingfeng serve --workers 2` runs them."""
    database_url = postgres_url() if request.param == "postgresql" else None
    data_dir = tmp_path_factory.mktemp(f"security-{request.param}")
    settings = Settings(data_dir=data_dir, database_url=database_url, **TIGHT)
    with ThreadedServer(settings) as first, ThreadedServer(settings) as second:
        yield Site(settings, [first, second])
