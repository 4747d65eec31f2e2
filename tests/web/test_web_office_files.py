"""Office files through the web app: a GBK CSV scans as its UTF-8 original does, an unrecognised header gets a
form to pick its columns, errors name the file as uploaded, and the ledger report is shown inside the app."""

from __future__ import annotations

import re
import time
import uuid
from pathlib import Path

import httpx
import pytest

from .conftest import Server

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
MESSAGES = (EXAMPLES / "scan" / "messages.csv").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def owner(server: Server):
    name = f"office-{uuid.uuid4().hex[:8]}"
    server.add_user(name, "owner")
    return name, server.login(name)


def _finished(http: httpx.Client, job: dict, headers: dict[str, str]) -> dict:
    deadline = time.monotonic() + 30
    while job["status"] in ("queued", "running") and time.monotonic() < deadline:
        time.sleep(0.1)
        job = http.get(f"/api/scans/{job['id']}", headers=headers).json()
    return job


def test_a_gbk_csv_posted_to_the_api_scans_as_its_utf8_original(server: Server, owner) -> None:
    headers = {"Authorization": f"Bearer {server.token(owner[0])}"}
    jobs = {}
    with server.client() as http:
        for encoding in ("utf-8", "gbk"):
            sent = http.post("/api/scans", files={"file": ("messages.csv", MESSAGES.encode(encoding))}, headers=headers)
            assert sent.status_code == 202, sent.text
            jobs[encoding] = _finished(http, sent.json(), headers)
    for key in ("status", "messages", "flagged", "bad_lines", "problems"):
        assert jobs["gbk"][key] == jobs["utf-8"][key], key
    assert jobs["gbk"]["status"] == "done" and jobs["gbk"]["flagged"] > 10
    assert jobs["gbk"]["problems"] == ["messages.csv 第 26 行，「金额」：应为数字（实际为 '五十'）"]


def _job_page(browser, response: httpx.Response) -> str:
    assert response.status_code == 303, response.text[:300]
    location = response.headers["location"]
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        page = browser.http.get(location + "/progress").text
        if 'data-status="done"' in page or 'data-status="failed"' in page:
            return page
        time.sleep(0.1)
    raise AssertionError("the scan did not finish")


def test_the_bundled_csv_scans_on_the_page(owner) -> None:
    _, browser = owner
    response = browser.http.post("/scans", files={"file": ("messages.csv", MESSAGES.encode("utf-8"))},
                                 data={"csrf_token": browser.csrf("/scans")})
    page = _job_page(browser, response)
    assert 'data-status="done"' in page and "uploads" not in page and "messages.csv 第 26 行" in page


def test_an_unrecognised_header_gets_a_form_to_pick_columns(owner) -> None:
    _, browser = owner
    export = "序号,说话的人,话\n1,张三,这份文件是机密，不要外传\n2,李四,收到\n".encode("gbk")
    form = browser.http.post("/scans", files={"file": ("导出.csv", export)},
                             data={"csrf_token": browser.csrf("/scans")})
    assert form.status_code == 200 and 'id="choose-columns"' in form.text
    assert "<code>说话的人</code>" in form.text and "--columns" not in form.text
    token = re.search(r'name="token" value="([^"]+)"', form.text).group(1)
    fields = {"token": token, "filename": "导出.csv", "text": "话", "sender_name": "说话的人"}
    page = _job_page(browser, browser.post_form("/scans/columns", fields, page="/scans"))
    assert 'data-status="done"' in page and "<strong>2</strong>" in page and "<strong>1</strong>" in page
    assert browser.post_form("/scans/columns", fields | {"token": "../etc"}, page="/scans").status_code == 404


def test_bad_uploads_are_named_as_uploaded_and_show_no_percentage(owner) -> None:
    _, browser = owner
    binary = browser.http.post("/scans", files={"file": ("照片.csv", bytes(range(256)) * 8)},
                               data={"csrf_token": browser.csrf("/scans")})
    assert binary.status_code == 422 and "照片.csv：不是文本或表格文件" in binary.text
    empty = _job_page(browser, browser.http.post("/scans", files={"file": ("empty.jsonl", b"")},
                                                 data={"csrf_token": browser.csrf("/scans")}))
    assert 'data-status="failed"' in empty and "%" not in re.sub(r"<[^>]+>", "", empty)
    assert "empty.jsonl：没有读到任何消息" in empty


def _ledger_files(encoding: str = "utf-8", transfers: bytes | None = None) -> dict[str, tuple[str, bytes]]:
    files = {name: (f"{name}.csv", (EXAMPLES / "ledger" / f"{name}.csv").read_text(encoding="utf-8").encode(encoding))
             for name in ("transfers", "people", "relations", "elections")}
    if transfers is not None:
        files["transfers"] = ("我的台账.csv", transfers)
    return files


def test_the_ledger_report_is_shown_inside_the_app(owner) -> None:
    _, browser = owner
    pages = {}
    for encoding in ("utf-8", "gbk"):
        pages[encoding] = browser.http.post("/ledger", files=_ledger_files(encoding),
                                            data={"csrf_token": browser.csrf("/ledger"), "as_of": "2024-07-01"})
        assert pages[encoding].status_code == 200
    page = pages["gbk"].text
    assert '<link rel="stylesheet" href="/static/app.css">' in page and 'class="ledger-report"' in page
    assert "<style" not in page and "style=" not in page  # the CSP allows no inline style
    assert page.count('<tr class="finding"') == pages["utf-8"].text.count('<tr class="finding"') == 13


def test_a_binary_ledger_says_so_without_sql_or_server_paths(owner) -> None:
    _, browser = owner
    response = browser.http.post("/ledger", files=_ledger_files(transfers=bytes(range(256)) * 8),
                                 data={"csrf_token": browser.csrf("/ledger")})
    assert response.status_code == 422 and "我的台账.csv：不是文本或表格文件" in response.text
    assert "SELECT" not in response.text and "uploads" not in response.text


def test_a_gbk_register_is_audited(owner) -> None:
    _, browser = owner
    files = {name: (f"{name}.csv", (EXAMPLES / "groups" / f"{name}.csv").read_text(encoding="utf-8")
                    .encode("gbk", errors="ignore")) for name in ("groups", "members", "people")}
    response = browser.http.post("/groups", files=files, data={"csrf_token": browser.csrf("/groups"),
                                                               "as_of": "2024-05-20"})
    assert response.status_code == 200 and "县财政局办公室工作群" in response.text


def test_group_kinds_and_audit_actions_are_in_words(server: Server, owner) -> None:
    _, browser = owner
    files = {name: (f"{name}.csv", (EXAMPLES / "groups" / f"{name}.csv").read_bytes())
             for name in ("groups", "members", "people")}
    form = {"csrf_token": browser.csrf("/groups"), "as_of": "2024-05-20"}
    page = browser.http.post("/groups", files=files, data=form)
    assert "<td>工作群</td>" in page.text and "<td>work</td>" not in page.text
    admin = f"admin-{uuid.uuid4().hex[:8]}"
    server.add_user(admin, "admin")
    log = server.login(admin).http.get("/admin").text
    assert "审计了工作群" in log and "<code>groups.audit</code>" not in log
