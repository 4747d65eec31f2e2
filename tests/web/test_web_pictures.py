"""POST /api/check/image: a picture in, its text and findings with boxes out; no sign-in, nothing stored."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from pictures import PICTURES, check_boxes, lead_category, need_ocr, png_bytes
from qingfeng.web.core.config import Settings

from .conftest import ThreadedServer


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory):
    need_ocr()
    data_dir = tmp_path_factory.mktemp("web-pictures")
    with ThreadedServer(Settings(data_dir=data_dir, max_image_mb=1)) as url:
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
        assert big.status_code == 413
    assert not any((data_dir / "uploads").iterdir())  # nothing stored
