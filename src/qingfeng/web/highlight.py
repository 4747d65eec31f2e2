"""A text cut into plain and marked pieces, so templates can highlight finding spans safely."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from qingfeng.core.models import SEVERITY_RANK


class Span(Protocol):
    start: int | None
    end: int | None
    severity: str


@dataclass(frozen=True)
class Segment:
    text: str
    severity: str | None  # the most severe finding covering it; None: unmarked
    number: int | None  # the (1-based) finding it belongs to, for linking mark and card


def segments(text: str, findings: Iterable[Span]) -> list[Segment]:
    marks: list[tuple[int, str] | None] = [None] * len(text)
    for number, finding in enumerate(findings, start=1):
        if finding.start is None or finding.end is None:
            continue
        for index in range(max(finding.start, 0), min(finding.end, len(text))):
            current = marks[index]
            if current is None or SEVERITY_RANK[finding.severity] > SEVERITY_RANK[current[1]]:
                marks[index] = (number, finding.severity)
    pieces: list[Segment] = []
    start = 0
    for index in range(1, len(text) + 1):
        if index == len(text) or marks[index] != marks[start]:
            mark = marks[start]
            pieces.append(Segment(text[start:index], mark[1] if mark else None, mark[0] if mark else None))
            start = index
    return pieces
