"""The people register, officers' notifications and passwords, per role, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from sqlalchemy import select

from qingfeng.store import crud
from qingfeng.store.db import make_engine, session_factory
from qingfeng.store.models import FindingRecord
from qingfeng.store.people import sender_names
from qingfeng.web.core.config import Settings
from qingfeng.web.notify import announce_escalation

from .conftest import PASSWORD, SAMPLE, Browser, Server, ThreadedServer
from .test_web_api import unique, wait_for_job

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "groups"
PEOPLE = "id,name,unit,rank,official\nw01,周敏,县税务局,3,yes\nw03,刘伟,县税务局,2,yes\nf05,罗小六,,,no\n"


def bearer(server: Server, name: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {server.token(name)}"}


def users(server: Server, *roles: str) -> list[str]:
    names = [unique(role[0]) for role in roles]
    for name, role in zip(names, roles, strict=True):
        server.add_user(name, role)
    return names


def with_db(server: Server, work):
    engine = make_engine(server.settings.db_url)
    with session_factory(engine)() as db:
        value = work(db)
    engine.dispose()
    return value


# ---- the people register ----------------------------------------------------------------------------


def test_people_register_api_by_role_and_bad_files(server: Server) -> None:
    member, owner, officer = users(server, "member", "owner", "officer")
    with server.client() as http:
        assert http.get("/api/people").status_code == 401
        assert http.get("/api/people", headers=bearer(server, member)).status_code == 403
        files = {"file": ("名册.csv", PEOPLE.encode())}
        assert http.put("/api/people", files=files, headers=bearer(server, member)).status_code == 403
        replaced = http.put("/api/people", files=files, headers=bearer(server, owner))
        assert replaced.status_code == 200, replaced.text
        assert replaced.json() == {"people": 3, "skipped": []}
        listed = http.get("/api/people", headers=bearer(server, officer)).json()
        assert listed["total"] == 3
        assert {(p["id"], p["name"]) for p in listed["items"]} == {("w01", "周敏"), ("w03", "刘伟"), ("f05", "罗小六")}

        bad_row = "id,name,rank\nw01,周敏,3\nw02,陈刚,高\n"
        partly = http.put(
            "/api/people", files={"file": ("people.csv", bad_row.encode())}, headers=bearer(server, owner)
        )
        assert partly.status_code == 200
        assert partly.json()["people"] == 1
        (skipped,) = partly.json()["skipped"]
        assert skipped.startswith("people.csv:3: rank") and "/tmp" not in skipped
        no_name = http.put(
            "/api/people", files={"file": ("花名册.csv", b"id,unit\nw01,x\n")}, headers=bearer(server, owner)
        )
        assert no_name.status_code == 422
        assert "花名册.csv:1" in no_name.json()["detail"] and "name" in no_name.json()["detail"]
        # A refused file leaves the register as it was.
        assert http.get("/api/people", headers=bearer(server, officer)).json()["total"] == 1


def test_people_page_replaces_the_register_for_owners_only(server: Server) -> None:
    member, owner = users(server, "member", "owner")
    assert server.login(member).http.get("/people").status_code == 403
    browser = server.login(owner)
    page = browser.http.get("/people")
    assert page.status_code == 200 and "人员名册" in page.text
    token = browser.csrf("/people")
    saved = browser.http.post("/people", files={"file": ("people.csv", PEOPLE.encode())}, data={"csrf_token": token})
    assert saved.status_code == 200 and "已保存 3 人" in saved.text and "罗小六" in saved.text
    refused = browser.http.post("/people", files={"file": ("坏.csv", b"name\nx\n")}, data={"csrf_token": token})
    assert refused.status_code == 422 and "坏.csv" in refused.text
    empty = browser.http.post("/people", data={"csrf_token": token})
    assert empty.status_code == 422


def test_a_scan_with_a_people_register_shows_names_for_ids(server: Server, tmp_path: Path) -> None:
    (owner,) = users(server, "owner")
    headers = bearer(server, owner)
    ids_only = [json.loads(line) for line in SAMPLE.read_text(encoding="utf-8").splitlines() if line.strip()]
    for record in ids_only:
        record.pop("sender_name", None)
    archive = "\n".join(json.dumps(record, ensure_ascii=False) for record in ids_only).encode()
    register = f"id,name\nw03,{uuid.uuid4().hex[:6]}刘\nf05,{uuid.uuid4().hex[:6]}罗\n"
    expected = dict(line.split(",") for line in register.splitlines()[1:])
    with server.client() as http:
        files = {"file": ("ids.jsonl", archive), "people": ("people.csv", register.encode())}
        response = http.post("/api/scans", files=files, headers=headers)
        assert response.status_code == 202, response.text
        job = wait_for_job(http, response.json(), headers)
        bad = http.post(
            "/api/scans", files={"file": ("ids.jsonl", archive), "people": ("p.csv", b"x\n1\n")}, headers=headers
        )
    assert bad.status_code == 422 and "p.csv" in bad.json()["detail"]
    rows = with_db(
        server,
        lambda db: db.execute(
            select(FindingRecord.sender, FindingRecord.sender_name).where(FindingRecord.job_id == job["id"])
        ).all(),
    )
    named = {sender: name for sender, name in rows if sender in expected}
    assert named and all(name == expected[sender] for sender, name in named.items())
    assert all(name is None for sender, name in rows if sender not in expected)  # unknown ids stay ids
    # The function the review queue calls to show names for ids.
    assert with_db(server, lambda db: sender_names(db, ["w03", "f05", "nobody", None])) == expected


def test_group_audit_uses_the_stored_register_when_no_people_file_is_sent(server: Server) -> None:
    (owner,) = users(server, "owner")
    headers = bearer(server, owner)
    files = {name: (f"{name}.csv", (EXAMPLES / f"{name}.csv").read_bytes()) for name in ("groups", "members")}
    with server.client() as http:
        with_file = http.post(
            "/api/groups/audit",
            files=files | {"people": ("people.csv", (EXAMPLES / "people.csv").read_bytes())},
            data={"as_of": "2024-05-20"},
            headers=headers,
        )
        people = {"file": ("people.csv", (EXAMPLES / "people.csv").read_bytes())}
        assert http.put("/api/people", files=people, headers=headers).status_code == 200
        stored = http.post("/api/groups/audit", files=files, data={"as_of": "2024-05-20"}, headers=headers)
    assert with_file.status_code == 200 and stored.status_code == 200, stored.text
    key = sorted((f["rule"], f["room"]) for f in with_file.json()["findings"])
    assert sorted((f["rule"], f["room"]) for f in stored.json()["findings"]) == key


# ---- notifications ----------------------------------------------------------------------------------


def test_an_anonymous_report_notifies_every_officer(server: Server) -> None:
    member, owner, officer, admin = users(server, "member", "owner", "officer", "admin")
    with server.client() as http:
        for name in (member, owner):
            assert http.get("/api/notifications", headers=bearer(server, name)).status_code == 403
        before = len(http.get("/api/notifications?unread=true", headers=bearer(server, officer)).json())
        assert http.post("/api/reports", json={"text": "有人在群里收红包", "category": "gifts"}).status_code == 201
        unread = http.get("/api/notifications?unread=true", headers=bearer(server, officer)).json()
        assert len(unread) == before + 1
        newest = unread[0]
        assert newest["kind"] == "report" and newest["link"].startswith("/reports/") and "红包礼金" in newest["text"]
        assert "收红包" not in newest["text"]  # the report's words stay in the case, not in notifications
        marked = http.post(f"/api/notifications/{newest['id']}/read", headers=bearer(server, officer))
        assert marked.json() == {"marked": 1}
        assert len(http.get("/api/notifications?unread=true", headers=bearer(server, officer)).json()) == before
        # Another officer's notification cannot be marked from this account.
        admin_newest = http.get("/api/notifications", headers=bearer(server, admin)).json()[0]
        assert (
            http.post(f"/api/notifications/{admin_newest['id']}/read", headers=bearer(server, officer)).status_code
            == 404
        )
        assert http.post("/api/notifications/read", headers=bearer(server, admin)).json()["marked"] >= 1


def test_the_officers_header_shows_the_unread_count_and_the_list(server: Server) -> None:
    member, officer = users(server, "member", "officer")
    browser = server.login(officer)
    assert 'data-testid="unread"' not in browser.http.get("/check").text
    reporter = Browser(server.client())
    reporter.post_form("/report", {"text": "群里有人发赌博链接"}, page="/report")
    header = browser.http.get("/check").text
    assert 'data-testid="unread">1<' in header
    listed = browser.http.get("/notifications")
    assert listed.status_code == 200 and "收到新举报" in listed.text
    opened = browser.post_form("/notifications/read", {}, page="/notifications")
    assert opened.status_code == 303
    assert 'data-testid="unread"' not in browser.http.get("/check").text
    member_browser = server.login(member)
    assert 'href="/notifications"' not in member_browser.http.get("/check").text
    assert member_browser.http.get("/notifications").status_code == 403


class Robot:
    """A stand-in WeCom group robot on 127.0.0.1 that records what it is sent."""

    def __init__(self) -> None:
        self.received: list[dict] = []
        self.arrived = threading.Event()
        received, arrived = self.received, self.arrived

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                received.append(json.loads(self.rfile.read(int(self.headers["content-length"]))))
                body = b'{"errcode": 0, "errmsg": "ok"}'
                self.send_response(200)
                self.send_header("content-length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                arrived.set()

            def log_message(self, *_args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/cgi-bin/webhook/send?key=k"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def robot() -> Iterator[Robot]:
    started = Robot()
    yield started
    started.server.shutdown()
    started.server.server_close()


def test_notifications_also_go_to_a_wecom_robot_when_configured(tmp_path: Path, robot: Robot) -> None:
    settings = Settings(data_dir=tmp_path, wecom_webhook=robot.url)
    with ThreadedServer(settings) as base, Server(base, settings).client() as http:
        assert http.post("/api/reports", json={"text": "举报内容不外传"}).status_code == 201
        assert robot.arrived.wait(10)
    (message,) = robot.received
    assert message["msgtype"] == "markdown"
    assert "收到新举报" in message["markdown"]["content"] and "举报内容不外传" not in message["markdown"]["content"]


def test_a_bad_robot_url_is_refused_at_start(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="wecom_webhook"):
        Settings(data_dir=tmp_path, wecom_webhook="not a url")


# ---- passwords --------------------------------------------------------------------------------------


def test_users_change_their_own_password(server: Server) -> None:
    (member,) = users(server, "member")
    browser = server.login(member)
    form = {"current": "wrong password", "new": "new-pass-123", "repeat": "new-pass-123"}
    wrong = browser.post_form("/account/password", form, page="/account")
    assert wrong.status_code == 422 and "当前密码不正确" in wrong.text
    differ = browser.post_form(
        "/account/password", form | {"current": PASSWORD, "repeat": "other-pass-123"}, page="/account"
    )
    assert differ.status_code == 422 and "不一致" in differ.text
    short = browser.post_form(
        "/account/password", {"current": PASSWORD, "new": "short", "repeat": "short"}, page="/account"
    )
    assert short.status_code == 422
    changed = browser.post_form("/account/password", form | {"current": PASSWORD}, page="/account")
    assert changed.status_code == 200 and "密码已修改" in changed.text
    assert browser.http.get("/api/me").json()["name"] == member  # this browser stays signed in
    assert Browser(server.client()).login(member, PASSWORD).status_code == 401
    assert Browser(server.client()).login(member, "new-pass-123").status_code == 303


def test_password_change_api(server: Server) -> None:
    (owner,) = users(server, "owner")
    with server.client() as http:
        body = {"current": PASSWORD, "new": "api-pass-456", "repeat": "api-pass-456"}
        assert http.post("/api/me/password", json=body).status_code == 401
        headers = bearer(server, owner)
        assert http.post("/api/me/password", json=body | {"current": "nope"}, headers=headers).status_code == 403
        assert http.post("/api/me/password", json=body | {"repeat": "x"}, headers=headers).status_code == 422
        assert http.post("/api/me/password", json=body, headers=headers).status_code == 204
    assert Browser(server.client()).login(owner, "api-pass-456").status_code == 303


def test_admins_reset_a_password_and_no_one_else_may(server: Server) -> None:
    member, officer, admin = users(server, "member", "officer", "admin")
    target_id = with_db(server, lambda db: crud.get_user_by_name(db, name=member).id)
    officer_browser = server.login(officer)
    refused = officer_browser.post_form(f"/admin/users/{target_id}", {"password": "taken-over-1"}, page="/admin")
    assert refused.status_code == 403
    browser = server.login(admin)
    assert 'name="password"' in browser.http.get("/admin").text
    short = browser.post_form(f"/admin/users/{target_id}", {"password": "short"}, page="/admin")
    assert short.status_code == 422
    reset = browser.post_form(f"/admin/users/{target_id}", {"password": "reset-by-admin"}, page="/admin")
    assert reset.status_code == 303
    assert Browser(server.client()).login(member, PASSWORD).status_code == 401
    assert Browser(server.client()).login(member, "reset-by-admin").status_code == 303
    audit = browser.http.get("/api/audit", params={"target": f"user:{member}"}).json()
    changes = [entry["detail"] for entry in audit if entry["action"] == "user.change"]
    assert changes == [{"password": "reset"}]  # the password itself is never logged


def test_an_escalation_notifies_officers_with_who_and_where(server: Server) -> None:
    officer, other = users(server, "officer", "officer")

    def escalate(db) -> None:
        announce_escalation(
            db,
            server.settings,
            officer=crud.get_user_by_name(db, name=officer),
            messages=3,
            link="/review?status=escalated",
        )

    with_db(server, escalate)
    with server.client() as http:
        (newest, *_) = http.get("/api/notifications?unread=true", headers=bearer(server, other)).json()
    assert newest["kind"] == "escalation" and newest["text"] == f"{officer} 上报了 3 条消息"
    assert newest["link"] == "/review?status=escalated"
