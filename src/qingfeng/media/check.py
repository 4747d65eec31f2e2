"""A picture through the engine: its recognised text checked as an ``image`` message, spans mapped to boxes."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from qingfeng.core.models import Finding, Message
from qingfeng.media.layout import Reading, compose
from qingfeng.media.ocr import recognise
from qingfeng.media.picture import MAX_BYTES, MAX_PIXELS, open_picture, thumbnail_uri
from qingfeng.pipeline.engine import Checker


@dataclass(frozen=True, slots=True)
class PictureResult:
    reading: Reading
    findings: list[Finding]
    thumbnail: str | None = None  # a data: URI, when asked for

    def to_dict(self) -> dict[str, Any]:
        """The API's answer: the recognised text, the picture's size (the boxes' frame) and the findings."""
        return {
            "text": self.reading.text,
            "width": self.reading.width,
            "height": self.reading.height,
            "findings": [finding.to_dict() for finding in self.findings],
        }


def read_picture(
    data: bytes, *, max_bytes: int = MAX_BYTES, max_pixels: int = MAX_PIXELS, thumbnail: bool = False
) -> tuple[Reading, str | None]:
    """The text read from a picture (raises PictureError when it cannot be read) and, if asked, a thumbnail."""
    picture = open_picture(data, max_bytes, max_pixels)
    reading = compose(recognise(picture), picture)
    return reading, thumbnail_uri(picture) if thumbnail else None


def with_boxes(findings: list[Finding], reading: Reading, offset: int = 0) -> list[Finding]:
    """Each finding with ``boxes``: where its span (``offset`` characters into the message) lies in the picture."""
    placed = []
    for finding in findings:
        start = None if finding.start is None else finding.start - offset
        end = None if finding.end is None else finding.end - offset
        placed.append(replace(finding, extra={**finding.extra, "boxes": reading.boxes(start, end)}))
    return placed


def check_picture(
    checker: Checker, data: bytes, fields: Mapping[str, Any] | None = None, **limits: Any
) -> PictureResult:
    """Check a picture as one ``image`` message (``fields``: channel, room_name, time…)."""
    reading, thumbnail = read_picture(data, **limits)
    message = Message.model_validate({**(fields or {}), "type": "image", "text": reading.text})
    return PictureResult(reading, with_boxes(checker.check(message), reading), thumbnail)
