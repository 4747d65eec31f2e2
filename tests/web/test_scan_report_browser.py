"""The HTML scan report in a real browser (Debian's Chromium): it renders offline, with its marks and chart."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from qingfeng.cli import app

from .conftest import SAMPLE
from .test_web_browser import browser  # noqa: F401  (the module-scoped Chromium fixture)


def test_report_renders_offline_in_chromium(browser, tmp_path: Path) -> None:  # noqa: F811
    report = tmp_path / "report.html"
    result = CliRunner().invoke(app, ["scan", str(SAMPLE), "--format", "html", "--out", str(report)])
    assert result.exit_code == 1, result.output
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(report.as_uri())
    page.wait_for_load_state("networkidle")
    assert requested == [report.as_uri()], "the report fetches nothing"
    assert page.locator("#heat rect").count() == 7 * 24
    marks = page.locator("table.findings mark")
    assert marks.count() > 10 and marks.first.is_visible()
    background = marks.first.evaluate("m => getComputedStyle(m).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent"), "spans are visibly marked"
    assert page.locator("#by-category tr").count() > 2
    page.screenshot(path=str(tmp_path / "report.png"), full_page=True)
    assert (tmp_path / "report.png").stat().st_size > 50_000
    page.close()


def test_report_at_phone_width_keeps_the_message_readable(browser, tmp_path: Path) -> None:  # noqa: F811
    report = tmp_path / "report.html"
    CliRunner().invoke(app, ["scan", str(SAMPLE), "--format", "html", "--out", str(report)])
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(report.as_uri())
    message = page.locator("table.findings tr.finding .msg").first
    assert message.bounding_box()["width"] > 300, "the message keeps the card's width, not one character"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, "nothing scrolls sideways"
    cards = page.locator("table.findings tr.finding")
    assert cards.count() == len({cards.nth(i).get_attribute("data-line") for i in range(cards.count())})
    page.close()
