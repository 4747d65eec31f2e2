"""From OCR lines to a message text, keeping where each run of the text was read in the picture.

A document reads top to bottom, a row's pieces left to right, and a red seal stamped on it adds a line
``【印章】`` whose box is the seal's. A chat screenshot reads as a conversation:
lines on a bubble (a fill unlike the screen's background) are turns, the own bubbles on the right are
"我", and a small line on the background just above another's bubble names its speaker.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from qingfeng.media.marks import SEAL, seals
from qingfeng.media.ocr import Box, Line

if TYPE_CHECKING:
    from PIL import Image

SELF = "我"
_FILL_DIFFERS = 24  # summed RGB difference that tells a bubble from the background
_SAME_BUBBLE_GAP = 0.6  # a wrapped bubble's next line starts within this share of a line height


@dataclass(frozen=True, slots=True)
class Piece:
    """Characters [start, end) of the text, read from ``box``."""

    start: int
    end: int
    box: Box


@dataclass(frozen=True, slots=True)
class Reading:
    text: str
    pieces: tuple[Piece, ...]
    width: int
    height: int
    chat: bool = False

    def boxes(self, start: int | None, end: int | None) -> list[list[int]]:
        """The parts of the picture a text span [start, end) was read from, one box per line it touches;
        within a line the box is cut in proportion to the characters."""
        if start is None or end is None:
            return []
        found = []
        for piece in self.pieces:
            lo, hi = max(start, piece.start), min(end, piece.end)
            if lo >= hi:
                continue
            x0, y0, x1, y1 = piece.box
            share = (x1 - x0) / max(piece.end - piece.start, 1)
            found.append([round(x0 + share * (lo - piece.start)), y0, round(x0 + share * (hi - piece.start)), y1])
        return found


class _Writer:
    def __init__(self) -> None:
        self.parts: list[str] = []
        self.pieces: list[Piece] = []
        self.size = 0

    def add(self, text: str, box: Box | None = None) -> None:
        if box is not None:
            self.pieces.append(Piece(self.size, self.size + len(text), box))
        self.parts.append(text)
        self.size += len(text)


def _fill(picture: Image.Image, box: Box) -> tuple[int, int, int]:
    """The dominant colour under a line: its background, since text strokes cover the lesser part."""
    region = picture.crop(box).reduce(4) if box[2] - box[0] > 8 and box[3] - box[1] > 8 else picture.crop(box)
    colours = region.getcolors(maxcolors=1 << 16) or [(1, (255, 255, 255))]
    return max(colours)[1]


def _background(picture: Image.Image) -> tuple[int, int, int]:
    width, height = picture.size
    strip = picture.crop((0, height // 2, max(width // 50, 1), height))  # the left edge, below any title bar
    colours = strip.getcolors(maxcolors=1 << 16) or [(1, (255, 255, 255))]
    return max(colours)[1]


def _on_bubble(picture: Image.Image, box: Box, background: tuple[int, int, int]) -> bool:
    """A fill unlike the background that stops short of both edges (a title bar runs edge to edge)."""
    fill = _fill(picture, box)
    if not _differs(fill, background):
        return False
    middle = (box[1] + box[3]) // 2
    edges = (picture.getpixel((1, middle)), picture.getpixel((picture.width - 2, middle)))
    return all(_differs(fill, edge) for edge in edges)  # type: ignore[arg-type]


def _differs(a: tuple[int, int, int], b: tuple[int, int, int]) -> bool:
    return sum(abs(x - y) for x, y in zip(a, b, strict=True)) > _FILL_DIFFERS


def _rows(lines: list[Line]) -> list[list[Line]]:
    """Lines grouped into rows (boxes overlapping by half their height), top to bottom, left to right."""
    rows: list[list[Line]] = []
    for line in sorted(lines, key=lambda item: (item.box[1], item.box[0])):
        last = rows[-1][-1].box if rows else None
        height = line.box[3] - line.box[1]
        if last is not None and min(last[3], line.box[3]) - max(last[1], line.box[1]) > height / 2:
            rows[-1].append(line)
        else:
            rows.append([line])
    return [sorted(row, key=lambda item: item.box[0]) for row in rows]


def compose(lines: list[Line], picture: Image.Image) -> Reading:
    width, height = picture.size
    background = _background(picture)
    bubbles = {id(line) for line in lines if _on_bubble(picture, line.box, background)}
    rows = _rows(lines)
    if len(bubbles) >= 2 and any(len(row) == 1 for row in rows):
        return _conversation(rows, bubbles, width, height)
    writer = _Writer()
    for number, row in enumerate(rows):
        if number:
            writer.add("\n")
        for index, line in enumerate(row):
            if index:
                writer.add(" ")
            writer.add(line.text, line.box)
    for seal in seals(picture):  # a stamped seal: one more sign of an official document (rule SEC020)
        writer.add("\n" if writer.size else "")
        writer.add(SEAL, seal)
    return Reading("".join(writer.parts), tuple(writer.pieces), width, height)


def _conversation(rows: list[list[Line]], bubbles: set[int], width: int, height: int) -> Reading:
    writer = _Writer()
    sequence = [line for row in rows for line in row]
    previous: Line | None = None
    speaker: Line | None = None
    for index, line in enumerate(sequence):
        x0, y0, x1, y1 = line.box
        own = (width - x1) < x0
        if id(line) not in bubbles:
            following = sequence[index + 1] if index + 1 < len(sequence) else None
            names_next = (
                following is not None and id(following) in bubbles and not own
                and following.box[1] - y1 < (y1 - y0) * 2 and (following.box[3] - following.box[1]) > (y1 - y0)
            )
            if names_next:
                speaker = line
                continue
            if writer.size:
                writer.add("\n")
            writer.add(line.text, line.box)  # a title bar, a time stamp, a system notice
            previous = None
            continue
        same_bubble = (
            previous is not None and ((width - previous.box[2]) < previous.box[0]) == own and speaker is None
            and y0 - previous.box[3] < (y1 - y0) * _SAME_BUBBLE_GAP
        )
        if not same_bubble:
            if writer.size:
                writer.add("\n")
            if own:
                writer.add(SELF)
            elif speaker is not None:
                writer.add(speaker.text, speaker.box)
            else:
                writer.add("对方")
            writer.add("：")
        writer.add(line.text, line.box)
        previous, speaker = line, None
    return Reading("".join(writer.parts), tuple(writer.pieces), width, height, chat=True)
