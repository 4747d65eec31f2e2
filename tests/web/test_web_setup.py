"""Start-up pieces: migrations match the models, the page registry, the users command, `qingfeng demo`."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import httpx
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from typer.testing import CliRunner

from qingfeng.cli import app
from qingfeng.store.db import make_engine, migrate, sqlite_url
from qingfeng.store.models import Base, User
from qingfeng.web.core.config import Settings
from qingfeng.web.registry import PAGES, Page, available, menu

from .conftest import Browser, ThreadedServer, free_port, wait_for

runner = CliRunner()


def test_migrations_build_exactly_the_models(tmp_path: Path) -> None:
    engine = make_engine(sqlite_url(tmp_path))
    migrate(engine)
    migrate(engine)  # running again on a current schema changes nothing
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    engine.dispose()
    assert differences == []


def test_pages_of_a_missing_capability_are_hidden() -> None:
    absent = Page("x", "/x", "某功能", "Something", "x", needs="qingfeng_no_such_capability")
    officer = User(name="o", role="officer", password_hash="")
    assert absent not in menu(officer, (*PAGES, absent))
    ledger = next(page for page in PAGES if page.key == "ledger")
    # The 红包台账 page is offered exactly when the ledger package can be imported.
    assert (ledger in menu(officer)) == available("qingfeng.ledger")
    member = User(name="m", role="member", password_hash="")
    assert {page.key for page in menu(member)} >= {"check", "rules", "learn", "report", "register"}
    assert not {"review", "scans", "admin"} & {page.key for page in menu(member)}
    assert {page.key for page in menu(None)} == {"check", "rules", "learn", "report"}


def test_users_add_and_token_work_against_the_api(tmp_path: Path) -> None:
    data = ["--data-dir", str(tmp_path)]
    added = runner.invoke(app, ["users", "add", "li", "--role", "officer", "--password", "s3cret-pass", *data])
    assert added.exit_code == 0, added.output
    again = runner.invoke(app, ["users", "add", "li", "--role", "officer", "--password", "another-pass", *data])
    assert again.exit_code == 2 and "exists" in again.output
    short = runner.invoke(app, ["users", "add", "sun", "--password", "x", *data])
    assert short.exit_code == 2 and "8" in short.output
    wrong_role = runner.invoke(app, ["users", "add", "wang", "--role", "boss", "--password", "x", *data])
    assert wrong_role.exit_code == 2
    prompted = runner.invoke(app, ["users", "add", "zhao", *data], input="pw-typed-in\npw-typed-in\n")
    assert prompted.exit_code == 0, prompted.output
    token = runner.invoke(app, ["users", "token", "li", *data]).output.strip()
    assert token.startswith("qf_")
    listed = runner.invoke(app, ["users", "list", *data]).output
    assert "li" in listed and "officer" in listed and "zhao" in listed and "member" in listed

    reset = runner.invoke(app, ["users", "set", "zhao", "--password", *data], input="pw-reset-here\npw-reset-here\n")
    assert reset.exit_code == 0, reset.output

    with ThreadedServer(Settings(data_dir=tmp_path)) as base:
        assert httpx.get(base + "/api/findings", headers={"Authorization": f"Bearer {token}"}).status_code == 200
        browser = Browser(httpx.Client(base_url=base))
        assert browser.login("zhao", "pw-typed-in").status_code == 401
        assert browser.login("zhao", "pw-reset-here").status_code == 303
        assert browser.http.get("/api/me").json()["role"] == "member"


def test_demo_serves_the_sample_data_with_printed_passwords(tmp_path: Path) -> None:
    port = free_port()
    qingfeng = str(Path(sys.executable).parent / "qingfeng")
    env = {k: v for k, v in os.environ.items() if k != "QINGFENG_DATABASE_URL"}
    process = subprocess.Popen(
        [qingfeng, "demo", "--port", str(port), "--data-dir", str(tmp_path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=env,
        text=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        wait_for(base + "/api/rules", seconds=60)
        printed = ""
        while "receipt" not in printed:
            printed += process.stdout.readline()  # type: ignore[union-attr]
        password = re.search(r"│ officer\s+│ officer\s+│ (\S+)", printed)
        receipt = re.search(r"receipt: (\S+)", printed)
        assert password and receipt, printed
        browser = Browser(httpx.Client(base_url=base))
        assert browser.login("officer", password.group(1)).status_code == 303
        queue = browser.http.get("/api/findings").json()
        assert queue["total"] > 0
        assert httpx.get(f"{base}/api/reports/{receipt.group(1)}").json()["status"] == "received"
    finally:
        process.terminate()
        process.wait(timeout=15)


def test_a_second_demo_says_one_is_running_and_the_demo_cleans_up(tmp_path: Path) -> None:
    import socket

    qingfeng = str(Path(sys.executable).parent / "qingfeng")
    env = {k: v for k, v in os.environ.items() if k != "QINGFENG_DATABASE_URL"} | {"TMPDIR": str(tmp_path)}
    with socket.socket() as taken:  # something else holds the port asked for: the demo picks another
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        first = subprocess.Popen([qingfeng, "demo", "--port", str(port)], stdout=subprocess.PIPE,
                                 stderr=subprocess.DEVNULL, env=env, text=True)
        try:
            printed = ""
            while "http://" not in printed:
                printed += first.stdout.readline()  # type: ignore[union-attr]
            assert f"port {port} is taken" in printed, printed
            chosen = int(re.search(r"http://127\.0\.0\.1:(\d+)/", printed).group(1))
            wait_for(f"http://127.0.0.1:{chosen}/api/rules", seconds=60)
            assert list(tmp_path.glob("qingfeng-demo-*"))
            second = subprocess.run([qingfeng, "demo", "--port", str(chosen)], capture_output=True, text=True,
                                    env=env, timeout=60)
            assert second.returncode == 0 and "already running" in second.stdout
            assert "password" not in second.stdout and "Traceback" not in second.stderr
        finally:
            first.terminate()
            first.wait(timeout=15)
    assert not list(tmp_path.glob("qingfeng-demo-*"))  # the demo's data went with it
