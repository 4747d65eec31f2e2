"""The review queue's golden path in a real browser (Debian's Chromium through Playwright), at desktop and at
390 px: scan, queue, bulk dismiss by keyboard, confirm, escalate with a note, export. Each width has its own
officer and scan, so their decisions never meet. Screenshots of the queue go to $QINGFENG_SCREENSHOTS when set
(docs/review-queue-*.png are made by `QINGFENG_SCREENSHOTS=docs pytest tests/web/test_review_browser.py`)."""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from qingfeng.store import crud
from qingfeng.store.db import make_engine, migrate, session_factory, sqlite_url

from .conftest import PASSWORD, SAMPLE, ServerProcess
from .test_web_browser import browser, sign_in  # noqa: F401 - the module's Chromium, shared

WIDTHS = {"desktop": (1280, 900), "390": (390, 844)}


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    tmp_path = tmp_path_factory.mktemp("review-browser")
    engine = make_engine(sqlite_url(tmp_path))
    migrate(engine)
    with session_factory(engine)() as db:
        for width, name in (("desktop", "李明"), ("390", "王芳")):
            crud.create_user(db, name=f"officer-{width}", password=PASSWORD, role="officer", display_name=name)
    engine.dispose()
    process = ServerProcess(tmp_path)
    process.start()
    yield process
    process.stop()


def counts(page) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """The header's counts (every scan the officer may review, not just this one)."""
    words = page.inner_text("#review-counts").replace("·", " ").split()
    return {word: int(number) for word, number in zip(words[::2], words[1::2], strict=True)}


@pytest.mark.parametrize("width", WIDTHS)
def test_golden_path(browser, served: ServerProcess, width: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    expect = pytest.importorskip("playwright.sync_api").expect
    w, h = WIDTHS[width]
    context = browser.new_context(viewport={"width": w, "height": h}, accept_downloads=True)
    page = context.new_page()
    sign_in(page, served.base, f"officer-{width}")

    # Scan the bundled archive and open its queue.
    page.goto(served.base + "/scans")
    page.set_input_files("input[type=file]", str(SAMPLE))
    page.click("form[action='/scans'] button[type=submit]")
    page.wait_for_selector("#job-progress[data-status=done]", timeout=60_000)
    page.click("text=查看审核队列")
    page.wait_for_selector("#queue .review-item")
    items = page.locator("#queue .review-item")
    total = items.count()
    assert total >= 4
    severities = [items.nth(i).get_attribute("class").split()[1] for i in range(total)]
    assert severities == sorted(severities, key=["sev-block", "sev-warn"].index)  # block first, no coaching
    before = counts(page)
    assert before["待审核"] >= total

    # Bulk dismiss by keyboard: j j x j x, a note, d.
    for key in "jjxjx":
        page.keyboard.press(key)
    expect(page.locator("#selected-count")).to_have_text("2")
    picked = [items.nth(i).get_attribute("data-key") for i in (1, 2)]
    page.fill("#bulk-note", "正常工作安排")
    page.keyboard.press("Escape")  # keys type while in a field; Escape hands them back to the queue
    page.keyboard.press("d")
    page.wait_for_url("**done=2**")
    for key in picked:
        expect(page.locator(f"#m-{key} [data-testid=decision-state]")).to_have_text("已排除")
    assert counts(page)["已排除"] == before["已排除"] + 2

    # Confirm the first (most severe) message from its card: swapped in place, the header counts follow.
    first = page.locator("#queue .review-item").first
    first_key = first.get_attribute("data-key")
    first.locator("button[value=confirmed]").click()
    expect(page.locator(f"#m-{first_key} [data-testid=decision-state]")).to_have_text("已确认")
    expect(page.locator("#review-counts")).to_contain_text(f"已确认 {before['已确认'] + 1}")

    # Escalate: refused without a note, and visibly not a confirmation.
    target = page.locator("#queue .review-item").nth(3)
    key = target.get_attribute("data-key")
    escalate = target.locator("button[value=escalated]")
    confirm = target.locator("button[value=confirmed]")
    colour = "(b) => getComputedStyle(b).backgroundColor"
    assert escalate.evaluate(colour) != confirm.evaluate(colour)
    escalate.click()
    expect(target.locator("input[name=note]")).to_have_attribute("aria-invalid", "true")
    expect(page.locator(f"#m-{key} [data-testid=decision-state]")).to_have_text("待审核")
    target.locator("input[name=note]").fill("涉密，转纪检组")
    escalate.click()
    expect(page.locator(f"#m-{key} [data-testid=decision-state]")).to_have_text("已上报")
    expect(page.locator(f"#m-{key}")).to_contain_text("涉密，转纪检组")
    expect(page.locator("#review-counts")).to_contain_text(f"已上报 {before['已上报'] + 1}")
    assert counts(page)["待审核"] == before["待审核"] - 4

    # Export what the queue shows.
    with page.expect_download() as download:
        page.click("[data-testid=export-csv]")
    saved = tmp_path / "queue.csv"
    download.value.save_as(saved)
    raw = saved.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(rows) == total + 1
    assert sorted(r[6] for r in rows[1:]).count("已排除") == 2 and any(r[7] == "涉密，转纪检组" for r in rows)

    page.goto(page.url.split("&done=")[0].split("?done=")[0])
    page.wait_for_selector("#queue .review-item")
    assert page.evaluate("document.documentElement.scrollWidth") <= w  # nothing runs off a phone's screen
    shots = Path(os.environ.get("QINGFENG_SCREENSHOTS") or tmp_path)  # QINGFENG_SCREENSHOTS=docs: the README's
    page.screenshot(path=str(shots / f"review-queue-{width}.png"), full_page=False)
    context.close()
