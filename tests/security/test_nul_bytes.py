"""Issue 18.8: NUL characters were stored in reports, and PostgreSQL rejects them (a 500 there). Now a JSON
body, form, query or multipart text field carrying one is answered 422 before any handler runs, and an archive
line carrying one is a bad line that the scan reports and goes past; on SQLite and on PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from .conftest import Service, database_url


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    service = Service(tmp_path_factory.mktemp("nul") / "data", database_url(request.param))
    service.start()
    yield service
    service.stop()


def test_a_report_with_a_nul_character_is_422(server: Service) -> None:
    with httpx.Client(base_url=server.base, timeout=30) as http:
        assert http.post("/api/reports", json={"text": "群里有人\u0000转发机密文件"}).status_code == 422
        assert http.post("/api/reports", json={"text": "群里有人转发机密文件"}).status_code == 201
        page = http.get("/report")
        token = page.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
        form = {"text": "群里有人\x00转发机密文件", "csrf_token": token}
        assert http.post("/report", data=form).status_code == 422


def test_a_draft_query_or_path_with_a_nul_character_is_422(server: Service) -> None:
    with httpx.Client(base_url=server.base, timeout=30) as http:
        assert http.post("/api/check", json={"text": "a\u0000b"}).status_code == 422
        assert http.get("/rules?q=%00").status_code == 422
        assert http.get("/rules/SEC%00001").status_code == 422
        # An escaped backslash before "u0000" is no NUL character: the draft is checked.
        assert http.post("/api/check", json={"text": "路径 C:\\u0000"}).status_code == 200


def test_an_archive_line_with_a_nul_character_is_a_bad_line(server: Service, tmp_path: Path) -> None:
    archive = tmp_path / "导出.jsonl"
    archive.write_text('{"text": "好的\\u0000收到"}\n{"text": "这份材料是机密件，看完删掉"}\n', encoding="utf-8")
    job = server.wait_job(server.upload(archive))
    assert job["status"] == "done" and job["messages"] == 1 and job["bad_lines"] == 1
    assert job["problems"][0].startswith("导出.jsonl 第 1 行，「text」：不能含有 NUL 字符")
