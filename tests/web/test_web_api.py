"""The JSON API and the pages' rules of access, against a live server on SQLite and on PostgreSQL."""

from __future__ import annotations

import json
import time
import uuid
from datetime import datetime

import httpx
import pytest
from sqlalchemy import func, select

from qingfeng.store.db import make_engine, session_factory
from qingfeng.store.models import AuditEntry, FindingRecord, Report
from qingfeng.store.security import digest

from .conftest import PASSWORD, SAMPLE, Browser, Server

FINDING_KEYS = {"message_id", "rule", "category", "severity", "start", "end", "excerpt", "advice", "sources"}


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def count(server: Server, statement) -> int:
    engine = make_engine(server.settings.db_url)
    with session_factory(engine)() as db:
        value = db.scalar(statement)
    engine.dispose()
    return value or 0


def upload_and_wait(http: httpx.Client, headers: dict[str, str]) -> dict:
    with SAMPLE.open("rb") as stream:
        response = http.post("/api/scans", files={"file": ("archive.jsonl", stream)}, headers=headers)
    assert response.status_code == 202, response.text
    return wait_for_job(http, response.json(), headers)


def wait_for_job(http: httpx.Client, job: dict, headers: dict[str, str]) -> dict:
    """Poll a scan until it ends; it must end done."""
    deadline = time.monotonic() + 30
    while job["status"] in ("queued", "running") and time.monotonic() < deadline:
        time.sleep(0.1)
        job = http.get(f"/api/scans/{job['id']}", headers=headers).json()
    assert job["status"] == "done", job
    return job


def test_check_returns_finding_records_and_stores_nothing(server: Server) -> None:
    before = count(server, select(func.count(FindingRecord.id)))
    record = {"id": "m1", "channel": "group", "room_name": "县财政局办公室工作群", "text": "这份材料是机密件，看完删掉"}
    with server.client() as http:
        response = http.post("/api/check", json=record)
        clean = http.post("/api/check", json={"text": "明天上午九点开会，请准时参加。"})
        bad = http.post("/api/check", json={"text": "x", "channel": "telegram"})
    assert response.status_code == 200
    findings = response.json()["findings"]
    assert findings and set(findings[0]) >= FINDING_KEYS
    first = findings[0]
    assert first["message_id"] == "m1" and first["category"] == "secrecy"
    assert record["text"][first["start"] : first["end"]] == first["excerpt"]
    assert clean.json() == {"findings": []}
    assert bad.status_code == 422
    assert count(server, select(func.count(FindingRecord.id))) == before


def test_findings_need_an_officer(server: Server) -> None:
    member, officer = unique("m"), unique("o")
    server.add_user(member, "member")
    server.add_user(officer, "officer")
    with server.client() as http:
        assert http.get("/api/findings").status_code == 401
        assert http.get("/api/findings", headers={"Authorization": "Bearer qf_wrong"}).status_code == 401
        assert http.get("/api/findings", headers={"Authorization": f"Bearer {server.token(member)}"}).status_code == 403
        ok = http.get("/api/findings", headers={"Authorization": f"Bearer {server.token(officer)}"})
    assert ok.status_code == 200 and {"total", "items"} <= set(ok.json())
    browser = server.login(officer)
    assert browser.http.get("/api/findings").status_code == 200
    assert server.login(member).http.get("/api/findings").status_code == 403


def test_reports_receipt_status_and_handling(server: Server) -> None:
    officer = unique("o")
    server.add_user(officer, "officer")
    auth = {"Authorization": f"Bearer {server.token(officer)}"}
    with server.client() as http:
        filed = http.post("/api/reports", json={"text": "有人在工作群里发红包拉票", "category": "gifts"})
        assert filed.status_code == 201
        receipt = filed.json()["receipt"]
        assert len(receipt.replace("-", "")) == 16
        status = http.get(f"/api/reports/{receipt}")
        assert status.status_code == 200 and status.json()["status"] == "received"
        assert http.get(f"/api/reports/{receipt.lower().replace('-', ' ')}").status_code == 200  # read back by hand
        assert http.get("/api/reports/AAAA-BBBB-CCCC-DDDD").status_code == 404
        assert http.post("/api/reports", json={"text": ""}).status_code == 422
        assert http.post("/api/reports", json={"text": "x", "category": "politics"}).status_code == 422
        cases = http.get("/api/report-cases", headers=auth).json()
        case = next(c for c in cases if c["text"] == "有人在工作群里发红包拉票")
        handled = http.put(
            f"/api/report-cases/{case['id']}",
            headers=auth,
            json={"status": "in_progress", "reply": "已转纪检组核查", "note": "内部"},
        )
        assert handled.status_code == 200
        after = http.get(f"/api/reports/{receipt}").json()
    assert after["status"] == "in_progress" and after["reply"] == "已转纪检组核查"
    assert "note" not in after  # the internal note never reaches the receipt holder
    assert count(server, select(func.count(Report.id)).where(Report.receipt_digest == digest(receipt))) == 1


def test_decision_survives_a_rescan_and_is_audited(server: Server) -> None:
    officer = unique("o")
    server.add_user(officer, "officer")
    auth = {"Authorization": f"Bearer {server.token(officer)}"}
    with server.client() as http:
        first = upload_and_wait(http, auth)
        assert first["messages"] > 0 and first["flagged"] > 0
        items = http.get("/api/findings", params={"job": first["id"]}, headers=auth).json()["items"]
        assert items
        # Send times come back as the same instants on every backend, and date filters use China dates.
        sent = {r["id"]: r["time"] for r in map(json.loads, SAMPLE.read_text(encoding="utf-8").splitlines())}
        for item in items:
            assert datetime.fromisoformat(item["sent_at"]) == datetime.fromisoformat(sent[item["message_id"]])
        day = datetime.fromisoformat(sent[items[0]["message_id"]]).date().isoformat()
        same_day = http.get(
            "/api/findings", params={"job": first["id"], "since": day, "until": day}, headers=auth
        ).json()["items"]
        assert same_day and all(sent[item["message_id"]].startswith(day) for item in same_day)
        target = items[0]
        decided = http.put(
            f"/api/findings/{target['id']}/decision",
            headers=auth,
            json={"status": "confirmed", "note": "属实"},
        )
        assert decided.status_code == 200 and decided.json()["status"] == "confirmed"
        assert decided.json()["message_id"] == target["message_key"]
        assert http.put("/api/findings/999999/decision", headers=auth, json={"status": "confirmed"}).status_code == 404
        second = upload_and_wait(http, auth)
        rescanned = http.get("/api/findings", params={"job": second["id"]}, headers=auth).json()["items"]
        again = next(item for item in rescanned if item["fingerprint"] == target["fingerprint"])
        assert again["id"] != target["id"] and again["message_key"] == target["message_key"]
        assert again["decision"]["status"] == "confirmed" and again["decision"]["note"] == "属实"
        confirmed = http.get("/api/findings", params={"status": "confirmed"}, headers=auth).json()["items"]
        assert target["fingerprint"] in {item["fingerprint"] for item in confirmed}
        http.put(f"/api/findings/{again['id']}/decision", headers=auth, json={"status": "dismissed"})
        log = http.get("/api/audit", params={"target": f"message:{target['message_key']}"}, headers=auth).json()
    decisions = [entry["detail"]["status"] for entry in log if entry["action"] == "finding.decide"]
    assert decisions == ["dismissed", "confirmed"]  # newest first: every decision kept
    views = select(func.count(AuditEntry.id)).where(AuditEntry.action == "findings.view")
    assert count(server, views) >= 3


def test_unsafe_requests_need_the_csrf_token(server: Server) -> None:
    officer = unique("o")
    server.add_user(officer, "officer")
    with server.client() as http:
        # Signing in itself is a form: without the token it is refused.
        refused = http.post("/login", data={"name": officer, "password": PASSWORD})
        assert refused.status_code == 400 and "qf_session" not in refused.cookies
    browser = server.login(officer)
    assert browser.http.post("/report", data={"text": "无令牌"}).status_code == 400
    put = browser.http.put("/api/findings/1/decision", json={"status": "confirmed"})
    assert put.status_code == 403  # a session-authenticated API call without the X-CSRF-Token header
    token = browser.csrf("/check")
    ok = browser.http.post("/check/preview", data={"text": "机密文件"}, headers={"X-CSRF-Token": token})
    assert ok.status_code == 200 and "<mark" in ok.text


def test_session_cookie_is_httponly_and_samesite(server: Server) -> None:
    name = unique("m")
    server.add_user(name, "member")
    browser = Browser(server.client())
    response = browser.login(name, PASSWORD)
    assert response.status_code == 303
    cookie = response.headers["set-cookie"].lower()
    assert "qf_session=" in cookie and "httponly" in cookie and "samesite=lax" in cookie
    assert browser.http.get("/api/me").json()["name"] == name
    browser.post_form("/logout", {})
    assert browser.http.get("/api/me").status_code == 401


def test_login_is_rate_limited(server: Server) -> None:
    name = unique("m")
    server.add_user(name, "member")
    browser = Browser(server.client())
    for _ in range(server.settings.login_failures):
        assert browser.login(name, "wrong password").status_code == 401
    throttled = browser.login(name, PASSWORD)
    assert throttled.status_code == 429 and "qf_session" not in throttled.cookies


def test_members_see_only_their_own(server: Server) -> None:
    alice, bob, owner = unique("alice"), unique("bob"), unique("owner")
    for name, role in ((alice, "member"), (bob, "member"), (owner, "owner")):
        server.add_user(name, role)
    a, b = server.login(alice), server.login(bob)
    saved = a.post_form("/check/save", {"text": "这是机密文件，别外传", "channel": "group", "room_kind": "work"})
    assert saved.status_code == 200
    draft_id = a.http.get("/api/drafts").json()[0]["id"]
    assert a.http.get(f"/api/drafts/{draft_id}").json()["findings"]
    assert b.http.get(f"/api/drafts/{draft_id}").status_code == 404
    assert b.http.get(f"/drafts/{draft_id}").status_code == 404
    assert b.http.get("/api/drafts").json() == []
    # A member cannot open the review queue, nor another member's report.
    assert a.http.get("/review").status_code == 403
    a.post_form("/report", {"text": "alice 的举报", "link_account": "true"}, page="/report")
    report_id = next(r for r in a.http.get("/reports").text.split('href="/reports/')[1:]).split('"')[0]
    assert a.http.get(f"/reports/{report_id}").status_code == 200
    assert b.http.get(f"/reports/{report_id}").status_code == 404
    # Registrations: members see their own, owners the whole register.
    declared = a.http.post(
        "/api/registrations",
        headers={"X-CSRF-Token": a.csrf("/register")},
        json={"kind": "group", "platform": "wecom", "name": f"{alice} 项目群"},
    )
    assert declared.status_code == 201
    assert all(r["name"] != f"{alice} 项目群" for r in b.http.get("/api/registrations").json())
    assert any(r["name"] == f"{alice} 项目群" for r in server.login(owner).http.get("/api/registrations").json())


def test_quiz_scores_signed_in_answers(server: Server) -> None:
    name = unique("m")
    server.add_user(name, "member")
    browser = server.login(name)
    question = browser.http.get("/api/quiz/question").json()
    assert question["options"] and question["text"]
    token = browser.csrf("/learn")
    for option in question["options"]:
        result = browser.http.post(
            "/api/quiz/answer",
            json={"question": question["id"], "answer": option["value"]},
            headers={"X-CSRF-Token": token},
        ).json()
        assert result["correct"] == (option["value"] in result["answers"])
    scores = browser.http.get("/api/quiz/scores").json()
    assert scores == [{"name": name, "correct": 1, "total": len(question["options"])}]


@pytest.mark.parametrize("path", ["/check", "/rules", "/rules/coverage", "/learn", "/report", "/login", "/docs"])
def test_public_pages_render_in_both_languages(server: Server, path: str) -> None:
    with server.client() as http:
        page = http.get(path)
        english = http.get(path, params={"lang": "en"})
        kept = http.get("/check")  # the choice is remembered in a cookie
    assert page.status_code == 200 and "清风" in page.text
    if path != "/docs":  # Swagger UI's own page runs an inline script, so it is left out of the page CSP
        assert "default-src 'self'" in page.headers["content-security-policy"]
        assert 'lang="zh-CN"' in page.text and 'lang="en"' in english.text
        assert "Sign in" in english.text and "Self-check" in kept.text


def test_the_check_says_why_the_verifier_doubts_a_finding(server: Server) -> None:
    name = unique("m")
    server.add_user(name, "member")
    browser = server.login(name)
    token = browser.csrf("/check")
    for lang, said in (("zh", "由禁止降为警告"), ("en", "moved from block to warn")):
        page = browser.http.post("/check/preview", params={"lang": lang}, headers={"X-CSRF-Token": token},
                                 data={"text": "游戏里的内部资料站更新了攻略"})  # SEC002's block on a game's guide site
        assert page.status_code == 200 and 'data-testid="doubt"' in page.text and said in page.text
        assert "游戏里" in page.text.split('data-testid="doubt"')[1].split("</p>")[0]
