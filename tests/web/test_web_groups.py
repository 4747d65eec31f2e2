"""The work-group audit page and API: the same audit as `qingfeng groups audit`, on uploaded files."""

from __future__ import annotations

import uuid
from datetime import date
from pathlib import Path

from sqlalchemy import func, select

from qingfeng.groups import read_register, run_audit
from qingfeng.ingest.archive import read_archive
from qingfeng.store.models import AuditEntry

from .conftest import Server
from .test_web_api import count

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "groups"
AS_OF = "2024-05-20"


def _files(*names: str) -> dict[str, tuple[str, bytes]]:
    return {name: (f"{name}.csv", (EXAMPLES / f"{name}.csv").read_bytes()) for name in names}


def _expected(with_archive: bool) -> list[tuple[str, str]]:
    register = read_register(EXAMPLES / "groups.csv", EXAMPLES / "members.csv", EXAMPLES / "people.csv")
    messages = (item for _, item in read_archive(EXAMPLES / "archive.jsonl")) if with_archive else None
    result = run_audit(register, as_of=date.fromisoformat(AS_OF), messages=messages)
    return sorted((f.rule, f.extra["room"]) for f in result.findings)


def test_api_audit_matches_the_library_and_is_logged(server: Server) -> None:
    owner = f"o-{uuid.uuid4().hex[:8]}"
    server.add_user(owner, "owner")
    files = _files("groups", "members", "people") | {
        "archive": ("archive.jsonl", (EXAMPLES / "archive.jsonl").read_bytes())
    }
    audits = select(func.count(AuditEntry.id)).where(AuditEntry.action == "groups.audit")
    before = count(server, audits)
    with server.client() as http:
        headers = {"Authorization": f"Bearer {server.token(owner)}"}
        response = http.post("/api/groups/audit", files=files, data={"as_of": AS_OF}, headers=headers)
        missing = http.post("/api/groups/audit", files=_files("groups", "members"), headers=headers)
        anonymous = http.post("/api/groups/audit", files=files)
    assert response.status_code == 200, response.text
    body = response.json()
    assert sorted((f["rule"], f["room"]) for f in body["findings"]) == _expected(with_archive=True)
    assert body["summary"]["archive"]["messages"] > 0
    assert missing.status_code == 422
    assert anonymous.status_code == 401
    assert count(server, audits) == before + 1  # the refused and unauthenticated calls audit nothing


def test_page_lists_groups_findings_and_bad_rows(server: Server) -> None:
    owner, member = f"o-{uuid.uuid4().hex[:8]}", f"m-{uuid.uuid4().hex[:8]}"
    server.add_user(owner, "owner")
    server.add_user(member, "member")
    browser = server.login(owner)
    token = browser.csrf("/groups")
    files = _files("groups", "members", "people")
    broken = files["groups"][1] + "g99,坏行群,work,p001,县财政局,not-a-date,no\n".encode()
    files["groups"] = ("我的群登记.csv", broken)
    page = browser.http.post("/groups", files=files, data={"as_of": AS_OF, "csrf_token": token})
    assert page.status_code == 200, page.text
    expected = _expected(with_archive=False)
    assert f'data-testid="finding-count">{len(expected)}<' in page.text
    for rule, _room in expected:
        assert f'href="/rules/{rule}"' in page.text
    assert "我的群登记.csv 第 10 行，「created」" in page.text  # the bad row, named by the uploader's file name
    assert "/tmp" not in page.text and str(server.settings.upload_dir) not in page.text
    report = browser.http.post(
        "/groups", files=_files("groups", "members", "people"),
        data={"as_of": AS_OF, "output": "html", "csrf_token": token},
    )
    assert report.status_code == 200 and "attachment" in report.headers["content-disposition"]
    assert "<style" in report.text and "县财政局办公室工作群" in report.text
    assert server.login(member).http.get("/groups").status_code == 403
    assert not list(server.settings.upload_dir.glob("tmp*")), "uploaded register files must not be kept"
