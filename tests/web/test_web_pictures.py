"""POST /api/check/image: a picture in, its text and findings with boxes out; no sign-in, nothing stored."""

from __future__ import annotations

import base64
from pathlib import Path

import httpx
import pytest
from PIL import Image

from pictures import PICTURES, check_boxes, lead_category, need_ocr, png_bytes
from qingfeng.web.core.config import Settings

from .conftest import ThreadedServer
from .test_web_browser import ARGS


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory):
    need_ocr()
    data_dir = tmp_path_factory.mktemp("web-pictures")
    with ThreadedServer(Settings(data_dir=data_dir, max_image_mb=1, max_image_pixels=1_100_000)) as url:
        yield url, data_dir


def test_api_check_image(base: tuple[str, Path]) -> None:
    url, data_dir = base
    with httpx.Client(base_url=url, timeout=60) as http:
        for name, (draw, category) in PICTURES.items():
            answer = http.post("/api/check/image", files={"file": (f"{name}.webp", png_bytes(draw(), "WEBP"))})
            assert answer.status_code == 200, answer.text
            found = answer.json()
            assert lead_category(found["findings"]) == category, (name, found)
            check_boxes(name, found["findings"], found["text"])
        bad = http.post("/api/check/image?lang=en", files={"file": ("scan.png", b"GIF89a nonsense")})
        assert bad.status_code == 422
        assert bad.json()["detail"] == "scan.png: not a readable picture (PNG, JPEG, WebP, HEIC)"
        big = http.post("/api/check/image", files={"file": ("big.png", b"\0" * (2 << 20))})
        assert big.status_code == 413  # refused by its length, before the body is read
        wide = png_bytes(Image.new("RGB", (1100, 1100), "white"))  # small in bytes, past the pixel bound
        answer = http.post("/api/check/image?lang=en", files={"file": ("wide.png", wide)})
        assert answer.status_code == 413 and answer.json()["detail"] == "wide.png: picture too large (over 1 MP)"
    assert not any((data_dir / "uploads").iterdir())  # nothing stored


def test_check_page_takes_a_pasted_screenshot(base: tuple[str, Path], chromium_path: str) -> None:
    """Chromium: a screenshot pasted on /check is read; its finding is listed and outlined on the picture."""
    playwright_api = pytest.importorskip("playwright.sync_api")
    url, _ = base
    picture = base64.b64encode(png_bytes(PICTURES["chat"][0]())).decode("ascii")
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=ARGS)
        page = browser.new_page()
        page.goto(url + "/check")
        page.evaluate(
            """(data) => {
                const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
                const pasted = new DataTransfer();
                pasted.items.add(new File([bytes], "screenshot.png", {type: "image/png"}));
                document.dispatchEvent(new ClipboardEvent("paste", {clipboardData: pasted}));
            }""",
            picture,
        )
        page.wait_for_selector("#picture-result svg.picture rect.box.sev-block", timeout=60_000)
        assert "GFT005" in page.inner_text("#picture-result")
        assert "张科长：给你准备了一张500元的购物卡" in page.inner_text("#picture-result .draft-view")
        browser.close()
