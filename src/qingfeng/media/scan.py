"""Pictures in an archive scan: image records with a ``media`` name are read where the chunk is checked
(in the worker processes for a large archive), so OCR runs in the scan's process pool."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from qingfeng.core.models import Finding, Message
from qingfeng.ingest.errors import InputProblem
from qingfeng.media.check import read_picture, with_boxes
from qingfeng.media.folder import MediaFolder
from qingfeng.media.layout import Reading
from qingfeng.media.picture import PictureError, open_picture, thumbnail_uri


@dataclass(frozen=True, slots=True)
class Shown:
    """A flagged picture as a report draws it: a thumbnail and the frame its findings' boxes are in."""

    thumbnail: str
    width: int
    height: int


@dataclass(frozen=True, slots=True)
class Pictures:
    folder: MediaFolder
    lang: str = "zh"

    def read(
        self, records: Iterable[tuple[int, Message | InputProblem]], path: str, readings: dict[int, tuple[Reading, int]]
    ) -> Iterator[tuple[int, Message | InputProblem]]:
        """The records with each picture's text in its message; an unreadable picture is that line's problem."""
        for line, item in records:
            if isinstance(item, Message) and item.type == "image" and item.media:
                try:
                    reading, _ = read_picture(self.folder.read(item.media), max_bytes=self.folder.max_bytes)
                except PictureError as error:
                    yield line, InputProblem(path, line, "media", f"{item.media[0]}: {error.text(self.lang)}")
                    continue
                offset = len(item.text) + 1 if item.text else 0
                readings[line] = (reading, offset)
                item = item.model_copy(update={"text": f"{item.text}\n{reading.text}" if offset else reading.text})
            yield line, item

    def place(
        self, message: Message, findings: list[Finding], reading: tuple[Reading, int]
    ) -> tuple[list[Finding], Shown]:
        """Findings with their boxes, and the picture shown small (opened again: only flagged ones are)."""
        found, offset = reading
        picture = open_picture(self.folder.read(message.media), self.folder.max_bytes)
        shown = Shown(thumbnail_uri(picture), found.width, found.height)
        return with_boxes(findings, found, offset), shown
