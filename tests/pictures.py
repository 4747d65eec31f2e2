"""Test pictures drawn with Debian's Noto CJK fonts (fonts-noto-cjk): a red-header confidential page, an ID
card, a chat screenshot offering a shopping card and a clean meeting notice. Shared by tests and bench/."""

from __future__ import annotations

import io
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

FONT_DIR = Path("/usr/share/fonts/opentype/noto")
SANS = FONT_DIR / "NotoSansCJK-Regular.ttc"
SERIF_BOLD = FONT_DIR / "NotoSerifCJK-Bold.ttc"
RED = (200, 20, 20)
INK = (30, 30, 30)


def fonts_present() -> bool:
    return SANS.exists() and SERIF_BOLD.exists()


def _font(size: int, path: Path = SANS) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(path), size, index=2)  # index 2: the Simplified Chinese face of the collection


def _centred(draw: ImageDraw.ImageDraw, width: int, y: int, text: str, font: ImageFont.FreeTypeFont, fill) -> None:
    left, _, right, _ = draw.textbbox((0, 0), text, font=font)
    draw.text(((width - (right - left)) // 2, y), text, font=font, fill=fill)


def red_header_page() -> Image.Image:
    """A photographed official document: red header, document number, classification marking, seal."""
    width, height = 900, 1150
    image = Image.new("RGB", (width, height), (250, 248, 242))
    draw = ImageDraw.Draw(image)
    draw.text((70, 50), "机密★1年", font=_font(30), fill=INK)
    _centred(draw, width, 120, "县财政局文件", _font(80, SERIF_BOLD), RED)
    _centred(draw, width, 260, "县财〔2026〕12号", _font(30), INK)
    draw.line((60, 320, width - 60, 320), fill=RED, width=4)
    _centred(draw, width, 360, "关于2026年县直单位机构编制调整的通知", _font(34), INK)
    body = ["各股室、局属各单位：", "现将县直单位机构编制调整方案印发给你们，", "请严格按照要求组织实施。"]
    for number, line in enumerate(body):
        draw.text((90, 450 + number * 56), line, font=_font(30), fill=INK)
    draw.ellipse((560, 760, 800, 1000), outline=RED, width=6)
    _centred_at(draw, 680, 860, "县财政局", _font(34), RED)
    draw.text((560, 1030), "2026年3月1日", font=_font(30), fill=INK)
    return image


def _centred_at(draw: ImageDraw.ImageDraw, x: int, y: int, text: str, font: ImageFont.FreeTypeFont, fill) -> None:
    left, _, right, _ = draw.textbbox((0, 0), text, font=font)
    draw.text((x - (right - left) // 2, y), text, font=font, fill=fill)


def id_card() -> Image.Image:
    """The front of a resident ID card with a valid 18-digit number."""
    image = Image.new("RGB", (856, 540), (226, 236, 244))
    draw = ImageDraw.Draw(image)
    label, value = _font(26), _font(30)
    rows = [("姓名", "王秀兰", 60), ("性别", "女    民族  汉", 130), ("出生", "1968年4月9日", 200),
            ("住址", "河南省漯河市源汇区交通路17号", 270)]
    for name, text, y in rows:
        draw.text((50, y), name, font=label, fill=(60, 90, 140))
        draw.text((150, y - 2), text, font=value, fill=INK)
    draw.rectangle((600, 60, 800, 320), fill=(200, 210, 220))
    draw.text((50, 430), "公民身份号码", font=label, fill=(60, 90, 140))
    draw.text((250, 426), "411502196804091521", font=_font(36), fill=INK)
    return image


BUBBLE_GREEN = (149, 236, 105)


def chat_screenshot() -> Image.Image:
    """A WeChat group screenshot: names over the others' white bubbles, one's own in green on the right."""
    width, height = 720, 1000
    image = Image.new("RGB", (width, height), (237, 237, 237))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, width, 90), fill=(247, 247, 247))
    _centred(draw, width, 25, "县财政局办公室工作群(12)", _font(32), INK)
    body, small = _font(30), _font(22)
    y = 130
    turns = [("张科长", "小李，节日快乐！"), (None, "谢谢张科长！"),
             ("张科长", "给你准备了一张500元的购物卡，"), ("张科长", "放你办公室抽屉里了"),
             (None, "好的，谢谢领导")]
    for speaker, text in turns:
        left, top, right, bottom = draw.textbbox((0, 0), text, font=body)
        w, h = right - left, bottom - top
        if speaker:
            draw.rectangle((24, y, 96, y + 72), fill=(90, 140, 200))
            draw.text((120, y - 4), speaker, font=small, fill=(120, 120, 120))
            draw.rounded_rectangle((116, y + 30, 116 + w + 40, y + 30 + h + 36), 8, fill=(255, 255, 255))
            draw.text((136, y + 30 + 18 - top), text, font=body, fill=INK)
            y += 30 + h + 36 + 40
        else:
            draw.rectangle((width - 96, y, width - 24, y + 72), fill=(200, 150, 90))
            x1 = width - 116
            draw.rounded_rectangle((x1 - w - 40, y, x1, y + h + 36), 8, fill=BUBBLE_GREEN)
            draw.text((x1 - w - 20, y + 18 - top), text, font=body, fill=INK)
            y += h + 36 + 40
    return image


def meeting_notice() -> Image.Image:
    """A clean notice: nothing in it breaks a rule."""
    width, height = 800, 560
    image = Image.new("RGB", (width, height), (255, 255, 255))
    draw = ImageDraw.Draw(image)
    _centred(draw, width, 40, "关于召开第一季度工作会议的通知", _font(34), INK)
    lines = ["各股室：", "定于3月12日（周四）下午2:30在三楼会议室", "召开第一季度工作会议，请各股室负责人参加。",
             "县财政局办公室", "2026年3月9日"]
    for number, line in enumerate(lines):
        draw.text((60 if number < 3 else 480, 130 + number * 70), line, font=_font(28), fill=INK)
    return image


PICTURES: dict[str, tuple[Callable[[], Image.Image], str | None]] = {
    "red_header": (red_header_page, "secrecy"),
    "id_card": (id_card, "privacy"),
    "chat": (chat_screenshot, "gifts"),
    "notice": (meeting_notice, None),
}


def png_bytes(image: Image.Image, format_: str = "PNG") -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=format_)
    return buffer.getvalue()


# Where each picture's offending text was drawn (tests/pictures.py): the words, y0 and y1 of their line, the
# left bound.
DRAWN = {"red_header": ("机密", 50, 100, 60), "id_card": ("411502196804091521", 426, 480, 240),
         "chat": ("购物卡", 405, 470, 116)}


def need_ocr() -> None:
    reason = None
    if not fonts_present():
        reason = "Noto CJK fonts (apt-get install fonts-noto-cjk)"
    else:
        try:
            import rapidocr_onnxruntime  # noqa: F401
        except ImportError:
            reason = "OCR (pip install 'qingfeng[ocr]')"
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(f"required in CI: {reason}")
        pytest.skip(f"needs {reason}")


def lead_category(findings: list[dict]) -> str | None:
    serious = [f for f in findings if f["severity"] in ("warn", "block")]
    order = {"block": 0, "warn": 1}
    return min(serious, key=lambda f: order[f["severity"]])["category"] if serious else None


def check_boxes(name: str, findings: list[dict], text: str) -> None:
    """Every finding with a span has boxes; the expected one lies where its text was drawn."""
    for finding in findings:
        if finding["start"] is not None:
            assert finding["boxes"], finding
    if name in DRAWN:
        words, y0, y1, left = DRAWN[name]
        lead = next(f for f in findings if f["excerpt"] == words)
        box = lead["boxes"][0]
        assert y0 <= (box[1] + box[3]) / 2 <= y1 and box[0] >= left, (name, lead["excerpt"], box)
        assert text[lead["start"]:lead["end"]] == lead["excerpt"]
