"""The phone layout in a real browser (Debian's Chromium): the menu folds behind one button and shows every
section, /check's findings sit under (phone) or beside (desktop) the draft, 帮我改好 rewrites the draft, and
officers' notifications show in the header. Screenshots go to $QINGFENG_SCREENSHOTS when set (docs/screenshots
holds the committed ones), else to the test's temporary folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from qingfeng.store.models import User
from qingfeng.web.registry import menu

from .conftest import ServerProcess
from .test_web_browser import browser, served, sign_in  # noqa: F401  (module-scoped Chromium and server)

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
NOTICE = "明天上午9点在三楼会议室开会。请带上笔记本。请提前十分钟到场。请各科室报送材料。"


def shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("QINGFENG_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def expect():
    return pytest.importorskip("playwright.sync_api").expect


def test_the_phone_menu_shows_every_section(browser, served: ServerProcess, tmp_path: Path) -> None:  # noqa: F811
    page = browser.new_page(viewport=PHONE)
    sign_in(page, served.base, "officer")
    links = page.locator("nav#main-menu a")
    expected = [p.label("zh") for p in menu(User(name="x", role="officer"))]
    button = page.locator("[data-testid=menu-button]")
    expect()(button).to_be_visible()
    expect()(links.first).to_be_hidden()  # folded until asked for
    assert "自查" in button.inner_text()  # it says where one is
    button.click()
    expect()(button).to_have_attribute("aria-expanded", "true")
    assert links.all_inner_texts() == expected
    for link in links.all():
        box = link.bounding_box()
        assert box and link.is_visible() and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    page.screenshot(path=str(shots(tmp_path) / "menu-390.png"))
    page.click("nav#main-menu >> text=学习")
    page.wait_for_url(served.base + "/learn")
    assert page.locator("[data-testid=menu-button]").inner_text().endswith("学习")
    page.close()

    wide = browser.new_page(viewport=DESKTOP)
    sign_in(wide, served.base, "officer")
    expect()(wide.locator("[data-testid=menu-button]")).to_be_hidden()
    assert all(link.is_visible() for link in wide.locator("nav#main-menu a").all())
    wide.screenshot(path=str(shots(tmp_path) / "menu-desktop.png"))
    wide.close()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390", "desktop"])
def test_check_results_and_fix_it_for_me(browser, served: ServerProcess, tmp_path: Path, viewport) -> None:  # noqa: F811
    page = browser.new_page(viewport=viewport)
    page.goto(served.base + "/check")
    page.fill("textarea[name=text]", NOTICE)
    page.wait_for_selector("#results [data-testid=draft-view]")
    draft, results = page.locator("textarea[name=text]").bounding_box(), page.locator("#results").bounding_box()
    assert draft and results
    assert results["x"] + results["width"] <= viewport["width"]
    if viewport is PHONE:  # right under the draft, above the options
        assert 0 <= results["y"] - (draft["y"] + draft["height"]) < 40
        assert page.locator("select[name=channel]").bounding_box()["y"] > results["y"] + results["height"]
    else:  # beside it
        assert results["x"] >= draft["x"] + draft["width"] and abs(results["y"] - draft["y"]) < 60
    page.click("[data-testid=fix-button]")
    fixed = page.locator("#fixed-text")
    expect()(fixed).to_contain_text("【请填写落款：单位或姓名】")
    expect()(fixed).to_contain_text("1. ")
    width = "390" if viewport is PHONE else "desktop"
    page.screenshot(path=str(shots(tmp_path) / f"check-fix-{width}.png"), full_page=True)
    page.click("[data-testid=use-fixed]")
    page.wait_for_selector("#results [data-testid=draft-view]")
    assert page.input_value("textarea[name=text]").startswith("【请填写称呼")
    page.close()


def test_a_new_report_shows_in_the_officers_header(browser, served: ServerProcess, tmp_path: Path) -> None:  # noqa: F811
    reporter = browser.new_page(viewport=PHONE)
    reporter.goto(served.base + "/report")
    reporter.fill("textarea[name=text]", "有人在工作群里发赌博网站链接")
    reporter.click("form[action='/report'] button[type=submit]")
    reporter.wait_for_selector("text=回执")
    reporter.close()
    for viewport, width in ((PHONE, "390"), (DESKTOP, "desktop")):
        page = browser.new_page(viewport=viewport)
        sign_in(page, served.base, "officer")
        badge = page.locator("[data-testid=unread]")
        expect()(badge).to_be_visible()
        assert int(badge.inner_text()) >= 1
        page.click("[data-testid=notifications-link]")
        page.wait_for_url(served.base + "/notifications")
        expect()(page.locator("[data-testid=notification]").first).to_contain_text("收到新举报")
        page.screenshot(path=str(shots(tmp_path) / f"notifications-{width}.png"), full_page=True)
        page.close()
    page = browser.new_page(viewport=PHONE)
    sign_in(page, served.base, "officer")
    page.goto(served.base + "/notifications")
    page.locator("[data-testid=notification] button").first.click()
    page.wait_for_url("**/reports/*")
    page.close()
