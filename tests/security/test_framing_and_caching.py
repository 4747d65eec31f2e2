"""Issue 18.8: `/docs` had no content policy or frame header, and signed-in pages no `Cache-Control`. Now every
answer forbids framing and carries a content policy, and nothing but the static files may be cached; the API
docs still work in a real browser under their policy (its one inline script allowed by hash)."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from web.conftest import CHROMIUM, unavailable

from .conftest import Service

ANONYMOUS = ["/", "/check", "/rules", "/rules/SEC001", "/learn", "/report", "/login", "/docs", "/openapi.json",
             "/api/rules", "/static/app.css", "/no-such-page"]
SIGNED_IN = ["/", "/scans", "/check", "/rules", "/report"]
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def _sign_in(http: httpx.Client) -> None:
    token = re.search(r'name="csrf_token" value="([0-9a-f]+)"', http.get("/login").text)
    assert token
    form = {"name": "owner", "password": "correct horse battery", "csrf_token": token.group(1)}
    assert http.post("/login", data=form).status_code == 303


def test_no_answer_may_be_framed(service: Service) -> None:
    with httpx.Client(base_url=service.base, timeout=30) as http:
        for path in ANONYMOUS:
            headers = http.get(path).headers
            assert headers["x-frame-options"] == "DENY", path
            assert "frame-ancestors 'none'" in headers["content-security-policy"], path


def test_signed_in_answers_are_never_cached(service: Service) -> None:
    with httpx.Client(base_url=service.base, timeout=30) as http:
        _sign_in(http)
        for path in [*SIGNED_IN, "/api/scans", "/api/me"]:
            answer = http.get(path)
            assert answer.status_code < 400, path
            assert answer.headers["cache-control"] == "no-store", path
        assert "cache-control" not in http.get("/static/app.css").headers


@pytest.fixture(scope="module")
def chromium() -> Iterator[object]:
    if not Path(CHROMIUM).exists() or shutil.which("chromium") is None:
        unavailable(f"browser tests need Debian's chromium at {CHROMIUM}")
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield launched
        launched.close()


@pytest.mark.parametrize("width", [1280, 390])
def test_the_api_docs_work_under_their_policy(service: Service, chromium, tmp_path: Path, width: int) -> None:  # type: ignore[no-untyped-def]
    page = chromium.new_page(viewport={"width": width, "height": 900})
    refused: list[str] = []
    page.on("console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text
            else None)
    page.goto(service.base + "/docs")
    page.wait_for_selector(".swagger-ui .info .title", timeout=20_000)
    assert "清风 qingfeng" in page.inner_text(".swagger-ui .info .title")
    assert page.locator(".opblock-summary-path").count() > 10  # the operations, read from /openapi.json
    page.screenshot(path=str(tmp_path / f"docs-{width}.png"))
    page.close()
    assert refused == []
