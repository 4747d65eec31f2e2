"""Text in pictures, end to end: pictures drawn with Noto CJK, read by the local OCR, checked by the rules.

Each OCR costs about a second, so every picture is read once per entry point (check --image here, scan
--media here, POST /api/check/image in tests/web/test_web_pictures.py)."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import orjson
import pytest
from typer.testing import CliRunner

from pictures import PICTURES, check_boxes, lead_category, need_ocr, png_bytes
from qingfeng.cli import app

runner = CliRunner()


@pytest.fixture(scope="module")
def drawn(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    need_ocr()
    folder = tmp_path_factory.mktemp("pictures")
    paths = {}
    for name, (draw, _) in PICTURES.items():
        paths[name] = folder / f"{name}.png"
        paths[name].write_bytes(png_bytes(draw()))
    return paths


def test_check_image_reads_each_picture_and_maps_spans_to_boxes(drawn: dict[str, Path]) -> None:
    answers = {}
    for name, (_, category) in PICTURES.items():
        result = runner.invoke(app, ["check", "--image", str(drawn[name]), "--format", "json"])
        assert result.exit_code == (1 if category else 0), (name, result.output)
        answers[name] = answer = orjson.loads(result.stdout)
        assert lead_category(answer["findings"]) == category, (name, answer["text"], answer["findings"])
        check_boxes(name, answer["findings"], answer["text"])
    chat = answers["chat"]["text"]
    # A conversation: the speaker's name before the turn, the screenshot owner's own bubbles as 我.
    assert "张科长：给你准备了一张500元的购物卡" in chat and "我：谢谢张科长" in chat
    # The red seal is read as a mark of its own.
    header = answers["red_header"]
    assert header["text"].endswith("【印章】") and "【印章】" not in answers["notice"]["text"]
    assert any(f["rule"] == "SEC020" for f in header["findings"])


def test_a_red_seal_is_found_and_red_header_characters_are_not() -> None:
    need_ocr()
    from qingfeng.media.marks import seals

    # Drawn as an ellipse in (560, 760)-(800, 1000), beside an 80-pixel red header whose 国-like shapes are boxes.
    assert seals(PICTURES["red_header"][0]()) == [(560, 760, 801, 1001)]
    assert seals(PICTURES["id_card"][0]()) == seals(PICTURES["chat"][0]()) == []


def test_check_image_refuses_what_is_not_a_picture(tmp_path: Path) -> None:
    bad = tmp_path / "notes.png"
    bad.write_bytes(b"not a picture at all")
    result = runner.invoke(app, ["check", "--image", str(bad), "--lang", "en"])
    assert result.exit_code == 2
    assert f"{bad}: not a readable picture" in result.stderr and "Traceback" not in result.output


def _archive(tmp_path: Path, drawn: dict[str, Path]) -> tuple[Path, Path, Path]:
    media = tmp_path / "media"
    media.mkdir()
    (media / "chat.png").write_bytes(drawn["chat"].read_bytes())
    (media / "notice.jpg").write_bytes(drawn["notice"].read_bytes())
    (media / "broken.png").write_bytes(b"\x89PNG truncated")
    records = [
        {"id": "m1", "type": "text", "text": "明天上午九点开会"},
        {"id": "m2", "type": "image", "text": "", "media": "chat.png", "channel": "private"},
        {"id": "m3", "type": "image", "media": "notice.jpg"},
        {"id": "m4", "type": "image", "media": "broken.png"},
        {"id": "m5", "type": "image", "media": "../../etc/passwd"},
    ]
    jsonl = tmp_path / "chat.jsonl"
    jsonl.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in records))
    # WeCom records name their media by md5sum and sdkfileid, as the archive SDK's downloads are saved.
    header, card = drawn["red_header"].read_bytes(), drawn["id_card"].read_bytes()
    md5 = hashlib.md5(header).hexdigest()
    (media / f"{md5}.png").write_bytes(header)
    (media / "CtYKJDA3ZmFlNGI").write_bytes(card)
    wecom = [
        {"msgid": "w1", "action": "send", "from": "zs", "tolist": ["ls"], "roomid": "", "msgtime": 1772000000000,
         "msgtype": "image", "image": {"md5sum": md5, "filesize": len(header), "sdkfileid": "CtYKJDBhYmM"}},
        {"msgid": "w2", "action": "send", "from": "zs", "tolist": ["ls"], "roomid": "", "msgtime": 1772000001000,
         "msgtype": "image", "image": {"md5sum": "0" * 32, "filesize": len(card), "sdkfileid": "CtYKJDA3ZmFlNGI"}},
    ]
    archive = tmp_path / "wecom.jsonl"
    archive.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in wecom))
    return jsonl, archive, media


def test_scan_media_reads_pictures_in_archives(tmp_path: Path, drawn: dict[str, Path]) -> None:
    jsonl, wecom, media = _archive(tmp_path, drawn)
    result = runner.invoke(app, ["scan", str(jsonl), "--media", str(media), "--format", "json", "--jobs", "1",
                                 "--lang", "en"])
    assert result.exit_code == 1, result.output
    document = orjson.loads(result.stdout)
    by_id: dict[str, list[dict]] = {}
    for finding in document["findings"]:
        by_id.setdefault(finding["message_id"], []).append(finding)
    assert lead_category(by_id["m2"]) == "gifts" and all(f["boxes"] for f in by_id["m2"])
    assert "m3" not in by_id and "m1" not in by_id
    # Unreadable or missing pictures are bad lines, named by the archive as the user gave it, never fatal.
    assert document["summary"]["bad_lines"] == 2 and document["summary"]["messages"] == 3
    assert f"{jsonl}:4: media: broken.png: not a readable picture" in document["problems"][0]
    assert f"{jsonl}:5: media: ../../etc/passwd: picture file not found" in document["problems"][1]

    html = tmp_path / "report.html"
    result = runner.invoke(app, ["scan", str(wecom), "--media", str(media), "--format", "html", "--out", str(html),
                                 "--jobs", "1"])
    assert result.exit_code == 1, result.output
    page = html.read_text()
    assert page.count('class="picture"') == 2 and "data:image/jpeg;base64," in page and "<rect" in page
    result = runner.invoke(app, ["scan", str(wecom), "--media", str(media), "--format", "jsonl", "--jobs", "1"])
    records = [orjson.loads(line) for line in result.stdout.splitlines()]
    assert {r["message_id"]: r["category"] for r in records if r["lead"]} == {"w1": "secrecy", "w2": "privacy"}


def test_scans_without_media_or_with_no_ocr_leave_pictures_alone(tmp_path: Path, drawn: dict[str, Path]) -> None:
    jsonl, _, media = _archive(tmp_path, drawn)
    plain = runner.invoke(app, ["scan", str(jsonl), "--format", "json"])
    skipped = runner.invoke(app, ["scan", str(jsonl), "--format", "json", "--media", str(media), "--no-ocr"])
    assert plain.exit_code == skipped.exit_code == 0
    assert orjson.loads(plain.stdout) == orjson.loads(skipped.stdout)
    assert orjson.loads(plain.stdout)["summary"]["messages"] == 5


def test_text_only_runs_never_load_ocr() -> None:
    code = (
        "import sys; from qingfeng.cli import app; from qingfeng import Checker; Checker().check('明天开会');"
        "print(sorted(m for m in ('rapidocr_onnxruntime', 'onnxruntime', 'cv2', 'PIL') if m in sys.modules))"
    )
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "[]"


@pytest.mark.parametrize("format_", ["PNG", "JPEG", "WEBP", "HEIF"])
def test_pictures_open_in_each_format_shrunk_to_what_ocr_needs(format_: str) -> None:
    need_ocr()
    from PIL import Image

    from qingfeng.media.picture import OCR_SIDE, PictureError, open_picture

    if format_ == "HEIF":
        pillow_heif = pytest.importorskip("pillow_heif", reason="HEIC needs pillow-heif (the ocr extra)")
        pillow_heif.register_heif_opener()
    large = Image.new("RGB", (OCR_SIDE * 2, OCR_SIDE), "white")
    assert open_picture(png_bytes(large, format_)).size == (OCR_SIDE, OCR_SIDE // 2)
    with pytest.raises(PictureError) as refused:
        open_picture(png_bytes(large, format_), max_pixels=OCR_SIDE * OCR_SIDE)
    assert refused.value.reason == "too_large"
