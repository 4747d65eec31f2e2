"""The review queue's API for every role, on SQLite and PostgreSQL: one item per message, bulk decisions that
hold across rescans, owner scopes that never mix, exports, rule precision, suppressions, pseudonyms."""

from __future__ import annotations

import csv
import io
import json
import time
import uuid
from collections.abc import Iterator

import httpx
import pytest
from openpyxl import load_workbook

from qingfeng.core.models import CATEGORIES, SEVERITY_RANK, Message
from qingfeng.web.core.config import Settings

from .conftest import SAMPLE, Server, ThreadedServer

ROLES = ("member", "owner", "officer", "admin")
SECRET = "这份材料是机密件，看完删掉"


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def bearer(server: Server, role: str) -> dict[str, str]:
    name = unique(role[0])
    server.add_user(name, role)
    return {"Authorization": f"Bearer {server.token(name)}"}


def scan(http: httpx.Client, auth: dict[str, str], name: str, body: bytes) -> dict:
    response = http.post("/api/scans", files={"file": (name, body)}, headers=auth)
    assert response.status_code == 202, response.text
    job = response.json()
    deadline = time.monotonic() + 60
    while job["status"] in ("queued", "running") and time.monotonic() < deadline:
        time.sleep(0.1)
        job = http.get(f"/api/scans/{job['id']}", headers=auth).json()
    assert job["status"] == "done", job
    return job


def queue(http: httpx.Client, auth: dict[str, str], **params: object) -> dict:
    response = http.get("/api/queue", params={"limit": 500, **params}, headers=auth)
    assert response.status_code == 200, response.text
    return response.json()


def secret_csv(rows: list[tuple[str, str, str]]) -> bytes:
    """A chat export without message ids: the same sentence from each (sender, room, time)."""
    lines = ["time,channel,sender,sender_name,room,room_name,text"]
    lines += [f"{when},group,{sender},{sender},{room},{room},{SECRET}" for sender, room, when in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


@pytest.fixture(scope="module")
def scanned(server: Server) -> Iterator[tuple[dict[str, str], dict]]:
    """An officer and one scan of the bundled archive (the module's tests share it, each with its own filter)."""
    officer = bearer(server, "officer")
    with server.client() as http:
        job = scan(http, officer, "archive.jsonl", SAMPLE.read_bytes())
    yield officer, job


def test_every_endpoint_for_every_role(server: Server, scanned: tuple[dict[str, str], dict]) -> None:
    officer, job = scanned
    owner = bearer(server, "owner")
    with server.client() as http:
        some = queue(http, officer, job=job["id"])["items"][0]["message_id"]
        calls = {
            "queue": lambda h: http.get("/api/queue", headers=h),
            "export": lambda h: http.get("/api/queue/export", params={"format": "csv"}, headers=h),
            "stats": lambda h: http.get("/api/rules/stats", headers=h),
            "labels": lambda h: http.get("/api/queue/labels", headers=h),
            "suppressions": lambda h: http.get("/api/suppressions", headers=h),
            "decide": lambda h: http.post(
                "/api/queue/decisions", json={"message_ids": [some], "decision": "confirm"}, headers=h
            ),
            "assign": lambda h: http.post(
                "/api/queue/assign", json={"message_ids": [some], "assignee": None}, headers=h
            ),
            "reveal": lambda h: http.post(
                "/api/queue/reveal", json={"message_id": some, "reason": "核查需要"}, headers=h
            ),
        }
        readers = {"queue", "export"}  # owners read their own scans' queue; the rest is for officers
        for name, call in calls.items():
            assert call({}).status_code == 401, name
            for role in ROLES:
                auth = officer if role == "officer" else owner if role == "owner" else bearer(server, role)
                allowed = role in ("officer", "admin") or (role == "owner" and name in readers)
                status = call(auth).status_code
                assert (status == 200) == allowed and (allowed or status == 403), (name, role, status)
        # An owner's queue holds only the owner's scans: here, none.
        assert queue(http, owner) == {"items": [], "total": 0, "offset": 0, "limit": 500}


def test_one_item_per_message_severity_first(server: Server, scanned: tuple[dict[str, str], dict]) -> None:
    officer, job = scanned
    records = [json.loads(line) for line in SAMPLE.read_text(encoding="utf-8").splitlines() if line.strip()]
    with server.client() as http:
        page = queue(http, officer, job=job["id"])
        with_info = queue(http, officer, job=job["id"], info="true")
        blocks = queue(http, officer, job=job["id"], severity="block")
    items = page["items"]
    assert items and page["total"] == len(items)
    assert len({item["message_id"] for item in items}) == len(items)
    assert len({item["source_id"] for item in items}) == len(items)  # one item per archived message
    assert {item["severity"] for item in items} <= {"block", "warn"}  # coaching left out unless asked for
    assert with_info["total"] >= page["total"]
    assert {i["message_id"] for i in items} <= {i["message_id"] for i in with_info["items"]}
    order = [(-SEVERITY_RANK[i["severity"]], -i["findings"][0]["confidence"]) for i in items]
    assert order == sorted(order)
    texts = {r["id"]: r["text"] for r in records}
    for item in items:
        findings = item["findings"]
        assert item["text"] == texts[item["source_id"]]
        assert findings[0]["severity"] == item["severity"]
        assert all(SEVERITY_RANK[f["severity"]] <= SEVERITY_RANK[item["severity"]] for f in findings)
        assert item["categories"] == list(dict.fromkeys(f["category"] for f in findings))
        assert all(f["message_id"] == item["source_id"] for f in findings)
    assert blocks["items"] and all(i["severity"] == "block" for i in blocks["items"])
    category = items[-1]["categories"][-1]
    with server.client() as http:
        same = queue(http, officer, job=job["id"], category=category)["items"]
        room = next(i["room_name"] for i in items if i["room_name"])
        in_room = queue(http, officer, job=job["id"], room=room)["items"]
        assert http.get("/api/queue", params={"assignee": "nobody-here"}, headers=officer).status_code == 422
    assert same and all(category in i["categories"] for i in same)
    assert in_room and all(i["room_name"] == room for i in in_room)


def test_bulk_decisions_hold_across_a_rescan_and_feed_the_rule_stats(server: Server) -> None:
    officer = bearer(server, "officer")
    other = unique("o2")
    server.add_user(other, "officer")
    with server.client() as http:
        first = scan(http, officer, "archive.jsonl", SAMPLE.read_bytes())
        items = queue(http, officer, job=first["id"])["items"]
        dismissed, confirmed, escalated = [i["message_id"] for i in items[:2]], items[2], items[3]
        bulk = {"message_ids": dismissed, "decision": "dismiss", "note": "正常工作交流"}
        assert http.post("/api/queue/decisions", json=bulk, headers=officer).json() == {
            "decision": "dismissed",
            "decided": 2,
        }
        one = {"message_ids": [confirmed["message_id"]], "decision": "confirm"}
        assert http.post("/api/queue/decisions", json=one, headers=officer).status_code == 200
        bare = {"message_ids": [escalated["message_id"]], "decision": "escalate", "note": "  "}
        assert http.post("/api/queue/decisions", json=bare, headers=officer).status_code == 422  # needs a note
        noted = {**bare, "note": "转纪检组"}
        assert http.post("/api/queue/decisions", json=noted, headers=officer).status_code == 200
        other_auth = {"Authorization": f"Bearer {server.token(other)}"}
        news = http.get("/api/notifications", params={"unread": "true"}, headers=other_auth).json()
        assert any(n["kind"] == "escalation" and n["link"] == "/review?decision=escalated" for n in news)
        unknown = {"message_ids": ["0" * 32], "decision": "confirm"}
        assert http.post("/api/queue/decisions", json=unknown, headers=officer).status_code == 404
        assign = {"message_ids": [escalated["message_id"]], "assignee": other}
        assert http.post("/api/queue/assign", json=assign, headers=officer).json()["assigned"] == 1
        member = unique("m")
        server.add_user(member, "member")
        refused = {"message_ids": [escalated["message_id"]], "assignee": member}
        assert http.post("/api/queue/assign", json=refused, headers=officer).status_code == 422

        second = scan(http, officer, "archive.jsonl", SAMPLE.read_bytes())
        rescanned = queue(http, officer, job=second["id"])
        assert [i["message_id"] for i in rescanned["items"]] == [i["message_id"] for i in items]  # same instances
        everything = queue(http, officer, info="true")["items"]
        assert len({i["message_id"] for i in everything}) == len(everything)  # no duplicates after a rescan
        by_id = {i["message_id"]: i for i in rescanned["items"]}
        assert [by_id[k]["decision"] for k in dismissed] == ["dismissed", "dismissed"]
        assert by_id[escalated["message_id"]]["decision"] == "escalated"
        assert by_id[escalated["message_id"]]["note"] == "转纪检组"
        assert by_id[escalated["message_id"]]["assignee"] == other
        assert by_id[confirmed["message_id"]]["reviewer"]
        mine = queue(http, other_auth, assignee="me")["items"]
        assert [i["message_id"] for i in mine] == [escalated["message_id"]]
        assert queue(http, officer, decision="escalated", job=second["id"])["total"] == 1
        stats = {s["rule"]: s for s in http.get("/api/rules/stats", headers=officer).json()}
        log = http.get("/api/audit", params={"target": f"message:{dismissed[0]}"}, headers=officer).json()
    decided_rules = {f["rule"] for i in items[:4] for f in i["findings"]}
    assert decided_rules <= set(stats)
    for s in stats.values():
        decided = s["confirmed"] + s["dismissed"]
        assert decided and s["precision"] == round(s["confirmed"] / decided, 3)
    lead = items[3]["findings"][0]["rule"]
    assert stats[lead]["escalated"] >= 1
    assert [e["detail"]["status"] for e in log if e["action"] == "finding.decide"] == ["dismissed"]


def test_owners_never_see_each_others_messages_or_notes(server: Server) -> None:
    """Issue 18: identical wording in different messages or scans never merges them, across owners least of all."""
    officer = bearer(server, "officer")
    owner_a, owner_b = bearer(server, "owner"), bearer(server, "owner")
    b_rows = [("u1", "g1", "2026-03-02 09:00"), ("u2", "g2", "2026-03-02 09:00"), ("u3", "g3", "2026-03-03 10:00")]
    with server.client() as http:
        b_job = scan(http, owner_b, "b.csv", secret_csv(b_rows))
        b_items = queue(http, owner_b, job=b_job["id"])["items"]
        assert len(b_items) == 3 and {i["sender"] for i in b_items} == {"u1", "u2", "u3"}
        target = b_items[0]["message_id"]
        note = "CONFIDENTIAL: under investigation"
        body = {"message_ids": [target], "decision": "confirm", "note": note}
        assert http.post("/api/queue/decisions", json=body, headers=officer).status_code == 200

        a_job = scan(http, owner_a, "a.csv", secret_csv([("u1", "g1", "2026-03-02 09:00")]))  # B's first, word for word
        a_items = queue(http, owner_a)["items"]
        assert [i["decision"] for i in a_items] == [None] and a_items[0]["note"] == ""
        assert a_items[0]["message_id"] not in {i["message_id"] for i in b_items}
        a_export = http.get("/api/queue/export", params={"format": "csv"}, headers=owner_a).text
        assert "CONFIDENTIAL" not in a_export
        assert queue(http, owner_a, decision="confirmed")["total"] == 0
        # Owner A cannot decide, nor reach B's message by its id.
        assert http.post("/api/queue/decisions", json=body, headers=owner_a).status_code == 403

        # The officer sees all four, B's originals untouched by A's copy.
        everyone = [i for i in queue(http, officer)["items"] if i["job_id"] in (a_job["id"], b_job["id"])]
        assert len(everyone) == 4
        kept = next(i for i in everyone if i["message_id"] == target)
        assert kept["note"] == note and kept["job_id"] == b_job["id"]
        b_after = queue(http, owner_b)["items"]
        assert {i["job_id"] for i in b_after} == {b_job["id"]} and len(b_after) == 3

        # A rescan of B's archive by B keeps the decision; nothing is duplicated.
        again = scan(http, owner_b, "b.csv", secret_csv(b_rows))
        b_again = queue(http, owner_b)["items"]
        assert len(b_again) == 3 and {i["job_id"] for i in b_again} == {again["id"]}
        assert next(i for i in b_again if i["message_id"] == target)["note"] == note


def test_identical_timeless_lines_stay_separate(server: Server) -> None:
    owner = bearer(server, "owner")
    body = f"channel,room_name,text\ngroup,财务群,{SECRET}\ngroup,财务群,{SECRET}\n".encode()
    with server.client() as http:
        job = scan(http, owner, "no-times.csv", body)
        first = queue(http, owner, job=job["id"])["items"]
        rescan = scan(http, owner, "no-times.csv", body)
        second = queue(http, owner, job=rescan["id"])["items"]
    assert len(first) == 2 and {i["line"] for i in first} == {2, 3}
    assert {i["message_id"] for i in first} == {i["message_id"] for i in second}


def test_exports_one_row_per_message(server: Server, scanned: tuple[dict[str, str], dict]) -> None:
    officer, job = scanned
    with server.client() as http:
        page = queue(http, officer, job=job["id"], severity="warn")
        as_csv = http.get(
            "/api/queue/export", params={"format": "csv", "job": job["id"], "severity": "warn"}, headers=officer
        )
        as_xlsx = http.get(
            "/api/queue/export", params={"format": "xlsx", "job": job["id"], "severity": "warn"}, headers=officer
        )
        english = http.get("/api/queue/export", params={"job": job["id"], "lang": "en"}, headers=officer)
        bad = http.get("/api/queue/export", params={"format": "pdf"}, headers=officer)
    assert as_csv.status_code == 200 and as_csv.content.startswith(b"\xef\xbb\xbf")
    assert as_csv.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(as_csv.content.decode("utf-8-sig"))))
    header = ["时间", "群", "发送人", "内容", "类别", "级别", "决定", "备注", "审核人", "负责人"]
    assert rows[0] == header and len(rows) == page["total"] + 1
    assert [r[3] for r in rows[1:]] == [i["text"] for i in page["items"]]
    sheet = load_workbook(io.BytesIO(as_xlsx.content), read_only=True).active
    cells = [[c if c is not None else "" for c in row] for row in sheet.iter_rows(values_only=True)]
    assert cells == rows
    assert english.content.decode("utf-8-sig").startswith("time,room,sender,text,categories")
    assert bad.status_code == 422


def test_labelled_export_is_training_data(server: Server) -> None:
    officer = bearer(server, "officer")
    with server.client() as http:
        job = scan(http, officer, "archive.jsonl", SAMPLE.read_bytes())
        items = queue(http, officer, job=job["id"])["items"]
        for item, verb in zip(items[:2], ("confirm", "dismiss"), strict=True):
            body = {"message_ids": [item["message_id"]], "decision": verb}
            http.post("/api/queue/decisions", json=body, headers=officer)
        lines = http.get("/api/queue/labels", headers=officer).text.splitlines()
    records = {r["id"]: r for r in map(json.loads, lines)}
    confirmed, dismissed = records[items[0]["source_id"]], records[items[1]["source_id"]]
    assert confirmed["labels"] == items[0]["categories"] and dismissed["labels"] == []
    for record in records.values():
        assert Message.model_validate(record).text == record["text"]  # the training scripts' reader
        assert set(record["labels"]) <= set(CATEGORIES)


def test_suppressions_hide_and_return(server: Server) -> None:
    officer, owner = bearer(server, "officer"), bearer(server, "owner")
    room = unique("医院病例群")
    body = f"time,channel,sender,room,room_name,text\n2026-03-02 09:00,group,d1,{room},{room},{SECRET}\n".encode()
    with server.client() as http:
        job = scan(http, owner, "hospital.csv", body)
        before = queue(http, officer, job=job["id"])["items"]
        assert before
        category = before[0]["categories"][0]
        made = {"kind": "category", "pattern": category, "scope": "room", "target": room, "reason": "匿名病例讨论"}
        assert http.post("/api/suppressions", json=made, headers=owner).status_code == 403
        assert http.post("/api/suppressions", json={**made, "pattern": "nonsense"}, headers=officer).status_code == 422
        created = http.post("/api/suppressions", json=made, headers=officer)
        assert created.status_code == 201
        sid = created.json()["id"]
        hidden = queue(http, officer, job=job["id"])["items"]
        listed = http.get("/api/suppressions", headers=officer).json()
        lifted = http.delete(f"/api/suppressions/{sid}", headers=officer)
        back = queue(http, officer, job=job["id"])["items"]
        assert http.delete("/api/suppressions/999999", headers=officer).status_code == 404
    assert all(category not in i["categories"] for i in hidden)
    shown = next(s for s in listed if s["id"] == sid)
    assert shown["reason"] == "匿名病例讨论" and shown["author"] and shown["lifted_at"] is None
    assert lifted.json()["lifted_at"] and lifted.json()["lifted_by"]
    assert [i["message_id"] for i in back] == [i["message_id"] for i in before]


def test_page_decision_refreshes_the_header_counts(server: Server, scanned: tuple[dict[str, str], dict]) -> None:
    """Issue 12: the /review header counts used to stay stale after a decision."""
    name = unique("o")
    server.add_user(name, "officer")
    browser = server.login(name)
    _, job = scanned
    page = browser.http.get("/review", params={"job": job["id"]})
    assert page.status_code == 200
    key = page.text.split('data-key="', 1)[1].split('"', 1)[0]
    counts = browser.http.get("/api/queue", params={"limit": 1}).json()
    token = browser.csrf("/review")
    response = browser.http.post(
        "/review/decisions",
        data={"message_ids": key, "decision": "confirmed", "csrf_token": token, "back": "/review"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200 and 'hx-swap-oob="true"' in response.text
    confirmed = response.text.split('id="review-counts"', 1)[1]
    decided = browser.http.get("/api/queue", params={"decision": "confirmed", "limit": 1}).json()["total"]
    assert f"已确认 <b>{decided}</b>" in confirmed and counts["total"] >= 1
    refused = browser.http.post(
        "/review/decisions", data={"message_ids": key, "decision": "escalated", "csrf_token": token}
    )
    assert refused.status_code == 303 and "error=note" in refused.headers["location"]
    lead = next(
        i for i in browser.http.get("/api/queue", params={"limit": 500}).json()["items"] if i["message_id"] == key
    )
    detail = browser.http.get(f"/review/findings/{lead['findings'][0]['id']}").text
    history = detail.split('class="history"', 1)[1].split("</ul>", 1)[0]
    entries = history.split("<li>")[1:]
    assert any("<strong>已确认</strong>" in e for e in entries)
    assert all("<strong>" in e or "指派给" in e for e in entries)  # decisions and assignments, not looks at the page


@pytest.fixture(scope="module")
def pseudonymised(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    settings = Settings(data_dir=tmp_path_factory.mktemp("pseudonyms"), pseudonymise=True)
    with ThreadedServer(settings) as base:
        yield Server(base, settings)


def test_pseudonyms_until_an_officer_reveals_one(pseudonymised: Server) -> None:
    server = pseudonymised
    officer, owner = bearer(server, "officer"), bearer(server, "owner")
    rows = [("wrr4", "g1", "2026-03-02 09:00"), ("wrr4", "g2", "2026-03-02 10:00"), ("f05", "g3", "2026-03-02 11:00")]
    with server.client() as http:
        scan(http, owner, "wecom.csv", secret_csv(rows))
        items = queue(http, owner)["items"]
        export = http.get("/api/queue/export", headers=owner).text
        refused = http.post(
            "/api/queue/reveal", json={"message_id": items[0]["message_id"], "reason": "核查"}, headers=owner
        )
        short = http.post(
            "/api/queue/reveal", json={"message_id": items[0]["message_id"], "reason": ""}, headers=officer
        )
        shown = http.post(
            "/api/queue/reveal",
            json={"message_id": items[0]["message_id"], "reason": "纪检组调查需要"},
            headers=officer,
        )
        log = http.get("/api/audit", params={"target": f"message:{items[0]['message_id']}"}, headers=officer).json()
    senders = [i["sender"] for i in items]
    assert all(s.startswith("成员-") and len(s) == 7 for s in senders)
    by_time = {i["time"][:16]: i["sender"] for i in items}
    assert len(set(senders)) == 2 and "wrr4" not in export and "f05" not in export
    assert by_time["2026-03-02T01:00"] == by_time["2026-03-02T02:00"]  # the same person, the same pseudonym
    assert refused.status_code == 403 and short.status_code == 422
    assert shown.status_code == 200 and shown.json()["sender"] in ("wrr4", "f05")
    assert shown.json()["pseudonym"] == items[0]["sender"]
    reveal = next(e for e in log if e["action"] == "person.reveal")
    assert reveal["detail"]["reason"] == "纪检组调查需要"

    # The page shows pseudonyms too, and an officer's reveal there is one more audited look.
    name = unique("o")
    server.add_user(name, "officer")
    browser = server.login(name)
    page = browser.http.get("/review").text
    assert items[0]["sender"] in page and ">wrr4<" not in page and "· wrr4" not in page
    shown_here = browser.post_form(
        "/review/reveal", {"message_id": items[1]["message_id"], "reason": "复核"}, page="/review"
    )
    assert shown_here.status_code == 200 and items[1]["sender"] in shown_here.text
    assert ("wrr4" in shown_here.text) or ("f05" in shown_here.text)
