"""A real browser (Debian's Chromium through Playwright) against `qingfeng serve` in a subprocess."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from qingfeng.store import crud
from qingfeng.store.db import make_engine, migrate, session_factory, sqlite_url

from .conftest import PASSWORD, SAMPLE, ServerProcess

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture(scope="module")
def browser(chromium_path: str) -> Iterator[object]:
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium_path, args=ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    """One server for this module's tests (a test may restart it on the same data)."""
    tmp_path = tmp_path_factory.mktemp("browser")
    engine = make_engine(sqlite_url(tmp_path))
    migrate(engine)
    with session_factory(engine)() as db:
        crud.create_user(db, name="officer", password=PASSWORD, role="officer", display_name="李明")
        crud.create_user(db, name="member", password=PASSWORD, role="member")
    engine.dispose()
    process = ServerProcess(tmp_path)
    process.start()
    yield process
    process.stop()


def sign_in(page, base: str, name: str) -> None:
    page.goto(base + "/login")
    page.fill("input[name=name]", name)
    page.fill("input[name=password]", PASSWORD)
    page.click("form[action='/login'] button[type=submit]")
    page.wait_for_url(base + "/check")


def test_officer_checks_scans_confirms_and_the_decision_survives_a_restart(browser, served: ServerProcess) -> None:
    page = browser.new_page()
    sign_in(page, served.base, "officer")

    # Self-check: findings appear while typing, the span highlighted in the draft.
    page.fill("textarea[name=text]", "刚拿到的机密文件，我拍了几张放群里")
    mark = page.wait_for_selector("#results mark.sev-block")
    assert mark.inner_text() == "机密"
    assert "SEC001" in page.inner_text("#results")

    # Upload an archive; the background job shows progress and ends done.
    page.goto(served.base + "/scans")
    page.set_input_files("input[type=file]", str(SAMPLE))
    page.click("form[action='/scans'] button[type=submit]")
    page.wait_for_selector("#job-progress[data-status=done]", timeout=30_000)
    page.click("text=查看审核队列")

    # Confirm the first finding of the queue, with a note.
    first = page.locator(".review-item").first
    fingerprint = first.get_attribute("data-fingerprint")
    first.locator("input[name=note]").fill("已核实")
    first.locator("button[value=confirmed]").click()
    done = page.locator(f".review-item[data-fingerprint='{fingerprint}'] [data-testid=decision-state]")
    pytest.importorskip("playwright.sync_api").expect(done).to_have_text("已确认")

    # Restart the server on the same data: the decision is still there.
    served.stop()
    served.start()
    page = browser.new_page()
    sign_in(page, served.base, "officer")
    page.goto(served.base + "/review?status=confirmed")
    kept = page.locator(f".review-item[data-fingerprint='{fingerprint}']")
    assert kept.locator("[data-testid=decision-state]").inner_text() == "已确认"
    assert "已核实" in kept.inner_text()


def test_member_cannot_open_the_review_queue(browser, served: ServerProcess) -> None:
    page = browser.new_page()
    sign_in(page, served.base, "member")
    assert "审核" not in page.inner_text("nav.menu")
    response = page.goto(served.base + "/review")
    assert response.status == 403
    assert "没有访问此页面的权限" in page.inner_text("main")
