"""Bounds on what reading one file may cost: its size once decompressed, the length of a line, its lines and
cells. A file past a bound is refused as a whole (a gzip bomb, a file of newlines, a line without end), with
a message naming the file as the user named it and the bound it went past."""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass
from typing import BinaryIO

from qingfeng.core.i18n import t
from qingfeng.ingest.errors import InputError, InputProblem

_READ = 1 << 16


@dataclass(frozen=True)
class Limits:
    decompressed_bytes: int = 1 << 30
    line_bytes: int = 1 << 20
    rows: int = 5_000_000
    cells: int = 50_000_000

    @property
    def shown(self) -> dict[str, str]:
        """Each bound as a user reads it (and as the i18n texts name it)."""
        return {
            "decompressed": f"{self.decompressed_bytes / (1 << 20):g} MB",
            "line": f"{self.line_bytes / (1 << 10):g} KB",
            "rows": f"{self.rows:,}",
            "cells": f"{self.cells:,}",
        }


class LimitExceeded(InputError):
    """A file went past one of its ``Limits`` (``bound`` is decompressed, line, rows or cells)."""

    def __init__(self, path: str, line: int | None, bound: str, limits: Limits) -> None:
        self.path, self.line, self.bound, self.limit = path, line, bound, limits.shown[bound]
        super().__init__(InputProblem(path, line, None, self.text("en")))

    def describe(self, lang: str = "en", names: Mapping[str, str] | None = None) -> str:
        return self.text(lang, (names or {}).get(self.path))

    def text(self, lang: str, path: str | None = None) -> str:
        """The refusal in ``lang``, naming the file as ``path`` (the uploader's name) when given."""
        where = path or self.path
        if self.line is not None:
            where = f"{where}:{self.line}"
        return t(f"limit.{self.bound}", lang, path=where, limit=self.limit)




class _BoundedRaw(io.RawIOBase):
    """The bytes of ``source``, refused past the decompressed size, the line length or the line count."""

    def __init__(self, source: BinaryIO, path: str, limits: Limits) -> None:
        self.source, self.path, self.limits = source, path, limits
        self.total = 0  # bytes read
        self.lines = 0  # newlines read
        self.run = 0  # bytes since the last newline

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        data = self.source.read(min(len(buffer), _READ))
        size = len(data)
        buffer[:size] = data
        self._account(data)
        return size

    def _account(self, data: bytes) -> None:
        limits = self.limits
        self.total += len(data)
        if self.total > limits.decompressed_bytes:
            raise LimitExceeded(self.path, None, "decompressed", limits)
        newlines = data.count(b"\n")
        if newlines == 0:
            self.run += len(data)
        else:
            first, last = data.index(b"\n"), data.rindex(b"\n")
            longest = self.run + first
            if last - first - 1 > limits.line_bytes:  # only then can a line inside this read be too long
                longest = max(longest, *map(len, data[first + 1 : last].split(b"\n")))
            self.run = len(data) - last - 1
            if longest > limits.line_bytes:
                raise LimitExceeded(self.path, self.lines + 1, "line", limits)
        self.lines += newlines
        if self.run > limits.line_bytes:
            raise LimitExceeded(self.path, self.lines + 1, "line", limits)
        if self.lines > limits.rows:
            raise LimitExceeded(self.path, None, "rows", limits)


def bounded(source: BinaryIO, path: str, limits: Limits) -> BinaryIO:
    """``source`` (decompressed bytes) read through ``limits``: a read past one raises LimitExceeded, so no
    reader above it (line splitting, CSV, JSON) ever holds more than a line's bound in memory."""
    return io.BufferedReader(_BoundedRaw(source, path, limits), buffer_size=_READ)  # type: ignore[return-value]


class CellCount:
    """Cells of a table read so far (rows × their fields), refused past ``limits.cells``."""

    def __init__(self, path: str, limits: Limits) -> None:
        self.path, self.limits, self.cells = path, limits, 0

    def add(self, line: int, fields: int) -> None:
        self.cells += fields
        if self.cells > self.limits.cells:
            raise LimitExceeded(self.path, line, "cells", self.limits)
