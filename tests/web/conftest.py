"""Real servers for the web tests: uvicorn on a free loopback port, over SQLite and over PostgreSQL.

PostgreSQL comes from QINGFENG_TEST_DATABASE_URL (`.ci/run` starts one); Chromium is Debian's
/usr/bin/chromium. Outside CI a test that needs either skips with the reason; under CI=true it fails.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import uvicorn
from sqlalchemy import text

from qingfeng.store import crud
from qingfeng.store.db import make_engine, migrate, normalize_url, session_factory
from qingfeng.web.app import create_app
from qingfeng.web.core.config import Settings

PG_ENV = "QINGFENG_TEST_DATABASE_URL"
CHROMIUM = "/usr/bin/chromium"
SAMPLE = Path(__file__).resolve().parents[2] / "src" / "qingfeng" / "samples" / "archive.jsonl"
PASSWORD = "correct horse battery"
GENEROUS = {"login_address_failures": 10_000, "report_per_hour": 10_000, "receipt_failures": 10_000}


def unavailable(reason: str) -> None:
    """Skip outside CI; in CI a missing service is a failure, never a silent skip."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"required in CI: {reason}")
    pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=1).status_code < 500:
                return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise TimeoutError(f"{url} did not answer within {seconds}s")


def reset_postgres(url: str) -> None:
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@dataclass
class Server:
    base: str
    settings: Settings

    def add_user(self, name: str, role: str, password: str = PASSWORD) -> None:
        engine = make_engine(self.settings.db_url)
        migrate(engine)
        with session_factory(engine)() as db:
            crud.create_user(db, name=name, password=password, role=role)
        engine.dispose()

    def token(self, name: str) -> str:
        engine = make_engine(self.settings.db_url)
        with session_factory(engine)() as db:
            user = crud.get_user_by_name(db, name=name)
            assert user is not None
            _, token = crud.create_api_token(db, user=user, label="test")
        engine.dispose()
        return token

    def client(self) -> httpx.Client:
        return httpx.Client(base_url=self.base, timeout=10, follow_redirects=False)

    def login(self, name: str, password: str = PASSWORD) -> Browser:
        browser = Browser(self.client())
        browser.login(name, password)
        return browser


CSRF_INPUT = re.compile(r'name="csrf_token" value="([0-9a-f]+)"')


class Browser:
    """An HTTP client that behaves like a browser on our pages: cookies, and the form's CSRF token."""

    def __init__(self, client: httpx.Client) -> None:
        self.http = client

    def csrf(self, path: str = "/login") -> str:
        match = CSRF_INPUT.search(self.http.get(path).text)
        assert match, f"no CSRF token on {path}"
        return match.group(1)

    def login(self, name: str, password: str) -> httpx.Response:
        token = self.csrf("/login")
        return self.http.post("/login", data={"name": name, "password": password, "csrf_token": token})

    def post_form(self, path: str, data: dict[str, str], page: str = "/check") -> httpx.Response:
        return self.http.post(path, data={**data, "csrf_token": self.csrf(page)})


class ThreadedServer:
    def __init__(self, settings: Settings) -> None:
        self.port = free_port()
        config = uvicorn.Config(create_app(settings), host="127.0.0.1", port=self.port, log_level="warning")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> str:
        self.thread.start()
        base = f"http://127.0.0.1:{self.port}"
        wait_for(base + "/api/rules")
        return base

    def __exit__(self, *_exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """One live server per database backend, shared by the API tests (they use their own accounts)."""
    data_dir = tmp_path_factory.mktemp(f"web-{request.param}")
    database_url = None
    if request.param == "postgresql":
        database_url = os.environ.get(PG_ENV)
        if not database_url:
            unavailable(f"PostgreSQL: set {PG_ENV} (e.g. postgresql://user:pass@127.0.0.1/db)")
        reset_postgres(normalize_url(database_url))
    # Every test here calls from 127.0.0.1: only the per-account limit is kept tight. The address-wide and
    # reporting-channel limits are the attack tests' (tests/security), which give each caller its own address.
    settings = Settings(data_dir=data_dir, database_url=database_url, login_failures=3, **GENEROUS)
    with ThreadedServer(settings) as base:
        yield Server(base, settings)


@pytest.fixture(scope="module")
def chromium_path() -> str:
    if not Path(CHROMIUM).exists() or shutil.which("chromium") is None:
        unavailable(f"browser tests need Debian's chromium at {CHROMIUM} (apt-get install chromium)")
    return CHROMIUM


class ServerProcess:
    """`qingfeng serve` in a subprocess, so a test can stop it and start it again on the same data."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        qingfeng = str(Path(sys.executable).parent / "qingfeng")
        command = [qingfeng, "serve", "--port", str(self.port), "--data-dir", str(self.data_dir)]
        env = {k: v for k, v in os.environ.items() if k != "QINGFENG_DATABASE_URL"}
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        wait_for(self.base + "/api/rules")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=15)
            self.process = None
