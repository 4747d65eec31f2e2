"""The attacks of issue 18, replayed on real servers, on SQLite and on PostgreSQL (QINGFENG_TEST_DATABASE_URL;
skipped with the reason outside CI, a failure under CI=true), each in a schema of its own so the shared web-test
server's tables are never touched.

- ``site``: in-process servers with tight limits and 127.0.0.1 as the trusted reverse proxy. Every client names
  the address it stands for in X-Forwarded-For, as a proxy would, so each test is its own set of callers. A
  client that must not be behind the proxy binds 127.0.0.2 instead: an untrusted peer.
- ``Service``: `qingfeng serve` in a subprocess (one or two workers). Memory is the server processes' peak
  resident set (VmHWM in /proc), read after the attack.
"""

from __future__ import annotations

import gzip
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker

from qingfeng.store import crud
from qingfeng.store.db import make_engine, migrate, normalize_url, session_factory
from qingfeng.web.core.config import Settings
from web.conftest import CSRF_INPUT, PASSWORD, PG_ENV, ThreadedServer, free_port, unavailable, wait_for

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


def postgres_url(schema: str = SCHEMA) -> str:
    """The test database with ``schema`` of its own, emptied, or a skip saying why."""
    base = os.environ.get(PG_ENV)
    if not base:
        unavailable(f"PostgreSQL: set {PG_ENV} (e.g. postgresql://user:pass@127.0.0.1/db)")
    url = normalize_url(base)
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    engine.dispose()
    return url + ("&" if "?" in url else "?") + f"options=-csearch_path%3D{schema}"


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


GB = 1 << 30
RSS_BOUND = GB  # the bound on the server's memory through every attack
BOMB_GB = 4
ATTACK_SCHEMA = "qf_attack_tests"


def peak_rss(pid: int) -> int:
    """The most memory the process ever held resident, in bytes."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    raise AssertionError(f"no VmHWM for {pid}")


def workers_of(pid: int) -> list[int]:
    """uvicorn's worker processes under its supervisor ``pid`` (not multiprocessing's resource tracker)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
                command = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid and b"spawn_main" in command:
                found.append(int(entry.name))
    return found


def gzip_bomb(path: Path, byte: bytes, gigabytes: int = BOMB_GB) -> Path:
    """A gzip file that expands to ``gigabytes`` of ``byte``: one 64 MB member written again and again
    (gzip readers read concatenated members as one stream), about 1 MB on disk per GB."""
    member = gzip.compress(byte * (64 << 20), compresslevel=9)
    with path.open("wb") as sink:
        for _ in range(gigabytes * 16):
            sink.write(member)
    return path


class Service:
    """`qingfeng serve` with its own data folder and database, and an owner account with an API token."""

    def __init__(self, data_dir: Path, database_url: str | None, workers: int = 1, **settings: str) -> None:
        self.data_dir = data_dir
        self.database_url = database_url
        self.workers = workers
        self.port = free_port()
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("QINGFENG_")}
        if database_url:
            self.env["QINGFENG_DATABASE_URL"] = database_url
        self.env.update({f"QINGFENG_{key.upper()}": value for key, value in settings.items()})
        self.process: subprocess.Popen[bytes] | None = None
        self.token = ""
        self._sessions: sessionmaker[Session] | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def settings(self) -> Settings:
        return Settings(data_dir=self.data_dir, database_url=self.database_url)

    def start(self) -> None:
        qingfeng = str(Path(sys.executable).parent / "qingfeng")
        command = [qingfeng, "serve", "--port", str(self.port), "--data-dir", str(self.data_dir)]
        command += ["--workers", str(self.workers)]
        self.log_path = self.data_dir.parent / f"serve-{self.port}.log"
        self.log = self.log_path.open("wb")
        self.process = subprocess.Popen(command, stdout=self.log, stderr=subprocess.STDOUT, env=self.env)
        wait_for(self.base + "/api/rules", seconds=90)
        self.wait_workers()
        if not self.token:
            self.token = self._owner_token()

    def stop(self) -> None:
        if self.process is not None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            self.process = None
            self.log.close()

    def wait_workers(self) -> None:
        """Until every worker runs (uvicorn replaces a killed one within a second or so) and has built its app."""
        deadline = time.monotonic() + 90
        while len(self.worker_pids()) < self.workers:
            assert time.monotonic() < deadline, "uvicorn did not bring its workers back"
            time.sleep(0.2)
        wait_for(self.base + "/api/rules", seconds=90)

    def worker_pids(self) -> list[int]:
        """The processes that serve requests: the workers under uvicorn's supervisor, or the one process."""
        assert self.process is not None
        if self.workers == 1:
            return [self.process.pid]
        return workers_of(self.process.pid)

    def sessions(self) -> sessionmaker[Session]:
        """Sessions on the service's database (its schema is current once the service has started)."""
        if self._sessions is None:
            engine = make_engine(self.settings.db_url)
            migrate(engine)
            self._sessions = session_factory(engine)
        return self._sessions

    def _owner_token(self) -> str:
        with self.sessions()() as db:
            user = crud.get_user_by_name(db, name="owner") or crud.create_user(
                db, name="owner", password="correct horse battery", role="owner"
            )
            return crud.create_api_token(db, user=user, label="attack")[1]

    def client(self, timeout: float = 30) -> httpx.Client:
        headers = {"Authorization": f"Bearer {self.token}"}
        return httpx.Client(base_url=self.base, headers=headers, timeout=timeout)

    def upload(self, path: Path, name: str | None = None) -> int:
        with self.client(timeout=120) as http, path.open("rb") as stream:
            answer = http.post("/api/scans", files={"file": (name or path.name, stream)})
        assert answer.status_code == 202, answer.text
        return answer.json()["id"]

    def wait_job(self, job_id: int, seconds: float = 180) -> dict:
        deadline = time.monotonic() + seconds
        with self.client() as http:
            while time.monotonic() < deadline:
                job = http.get(f"/api/scans/{job_id}").json()
                if job["status"] in ("done", "failed"):
                    return job
                time.sleep(0.3)
        raise AssertionError(f"job {job_id} still {job['status']} after {seconds}s: {job}")


def database_url(backend: str) -> str | None:
    """None for SQLite (in the data folder); for PostgreSQL the test database in the attack schema."""
    return None if backend == "sqlite" else postgres_url(ATTACK_SCHEMA)


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    """One worker on SQLite, for the attacks on memory and time: its peak memory is that of every attack
    of the module so far."""
    server = Service(tmp_path_factory.mktemp("service") / "data", None)
    server.start()
    yield server
    server.stop()
