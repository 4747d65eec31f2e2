"""The HTML report in a real Chromium: the summary, the timeline and the flow chart render, offline."""

from __future__ import annotations

import os
from pathlib import Path

from qingfeng.ledger.config import Thresholds
from qingfeng.ledger.screen import screen_file
from qingfeng.report.ledger_html import render_html

from .conftest import EXAMPLES


def _result(lang: str = "zh"):
    return screen_file(EXAMPLES / "transfers.csv", people=EXAMPLES / "people.csv",
                       relations=EXAMPLES / "relations.csv", elections=EXAMPLES / "elections.csv",
                       thresholds=Thresholds(as_of="2024-07-01"), lang=lang)  # type: ignore[arg-type]


def test_the_report_renders_in_chromium_without_fetching_anything(browser, tmp_path: Path) -> None:
    page_file = tmp_path / "report.html"
    page_file.write_text(render_html(_result()), encoding="utf-8")
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(page_file.as_uri())
    assert requests == [page_file.as_uri()]
    officials = page.locator("#officials tr.official")
    assert officials.count() == 4
    assert officials.first.inner_text().startswith("刘志明")
    dots = page.locator("#timeline circle")
    assert dots.count() == 91 - 3  # every flagged transfer: not the AA money, the family's, a non-official's share
    box = page.locator("#timeline").bounding_box()
    assert box is not None and box["width"] > 900 and box["height"] > 150
    flows = page.locator("#flows title").all_text_contents()
    assert "张某（粮商） → 李建国: 4,200" in flows and "刘志明 → 城关镇 41 名成员: 8,200" in flows
    assert "「欢乐一家人」 → 王芳: 140" in flows
    assert len(flows) == 8  # one band per payer and payee, however many rules flagged the money
    assert page.locator("tr.finding").count() == 13
    page.screenshot(path=str(tmp_path / "report.png"), full_page=True)
    if shots := os.environ.get("QINGFENG_SCREENSHOTS"):  # to look at it: a folder for the picture
        page.screenshot(path=str(Path(shots) / "ledger-report.png"), full_page=True)
    assert (tmp_path / "report.png").stat().st_size > 20_000
    context.close()


def test_the_english_report() -> None:
    page = render_html(_result("en"), "en")
    assert '<html lang="en">' in page and "Who paid whom" in page and "Timeline of flagged money" in page
