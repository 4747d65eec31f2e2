"""Open a chat archive and read its messages, whatever the export format (gzip-compressed or not)."""

from __future__ import annotations

import gzip
import zlib
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import orjson

from qingfeng.ingest.chatcsv import read_chat_csv
from qingfeng.ingest.errors import InputError, InputProblem
from qingfeng.ingest.jsonl import read_message_lines
from qingfeng.ingest.limits import Limits, bounded
from qingfeng.ingest.wecom import read_wecom_lines
from qingfeng.models import Message

FORMATS = ("jsonl", "csv", "wecom")
LINE_FORMATS = ("jsonl", "wecom")  # one record per line: can be cut into chunks anywhere between lines
_GZIP_MAGIC = b"\x1f\x8b"
_WECOM_ACTIONS = frozenset({"send", "recall", "switch"})
_HEAD = 64 * 1024


@dataclass
class Archive:
    """An open archive: ``stream`` gives the (decompressed) bytes, ``raw`` the file, for progress."""

    path: Path
    raw: BinaryIO
    stream: BinaryIO
    format: str
    compressed: bool
    limits: Limits

    def position(self) -> int:
        """Bytes of the file read so far (compressed bytes for a gzip file)."""
        return self.raw.tell()

    def close(self) -> None:
        self.stream.close()
        self.raw.close()

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def detect_format(head: bytes) -> str:
    """The format of an archive from its first bytes: WeCom records, message records, else CSV."""
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not text.startswith(b"{"):
        return "csv"
    try:
        first = orjson.loads(text.split(b"\n", 1)[0])
    except orjson.JSONDecodeError:
        return "jsonl"  # its bad lines are reported one by one
    wecom = isinstance(first, dict) and ("msgtype" in first or first.get("action") in _WECOM_ACTIONS)
    return "wecom" if wecom else "jsonl"


def open_archive(path: Path, input_format: str | None = None, limits: Limits | None = None) -> Archive:
    """The archive at ``path``, its bytes read within ``limits`` (the defaults when not given)."""
    where = str(path)
    limits = limits or Limits()
    try:
        raw = path.open("rb")
    except OSError as error:
        raise InputError(InputProblem(where, None, None, error.strerror or "cannot open")) from None
    compressed = raw.read(2) == _GZIP_MAGIC
    raw.seek(0)
    stream: BinaryIO = gzip.GzipFile(fileobj=raw, mode="rb") if compressed else raw  # type: ignore[assignment]
    if input_format is None:
        try:
            head = stream.read(_HEAD)
            stream.seek(0)
        except (OSError, EOFError, zlib.error) as error:
            raw.close()
            raise InputError(InputProblem(where, None, None, f"unreadable gzip file: {error}")) from None
        input_format = detect_format(head)
    elif input_format not in FORMATS:
        raw.close()
        raise InputError(InputProblem(where, None, None, f"unknown input format {input_format!r}"))
    return Archive(path, raw, bounded(stream, where, limits), input_format, compressed, limits)


def read_records(
    archive: Archive, columns: Mapping[str, str] | None = None, skipped: Counter[str] | None = None
) -> Iterator[tuple[int, Message | InputProblem]]:
    """(line number, message or that line's problem) for every record; records that are not messages
    (WeCom's ``switch``, kinds of message not checked) are counted in ``skipped``."""
    where = str(archive.path)
    with gzip_errors(where):
        if archive.format == "csv":
            yield from read_chat_csv(archive.stream, where, columns, archive.limits)
        else:
            yield from read_lines(archive.format, archive.stream, where, 1, skipped)


def read_lines(
    input_format: str, lines: Iterable[bytes], path: str, first_line: int, skipped: Counter[str] | None = None
) -> Iterator[tuple[int, Message | InputProblem]]:
    """Records of a one-record-per-line format, from any run of its lines (for reading in chunks)."""
    if input_format == "wecom":
        return read_wecom_lines(lines, path, skipped, first_line)
    return read_message_lines(lines, path, first_line)


@contextmanager
def gzip_errors(path: str) -> Iterator[None]:
    """A truncated or corrupt gzip stream is bad input, not a crash."""
    try:
        yield
    except (OSError, EOFError, zlib.error) as error:
        raise InputError(InputProblem(path, None, None, f"unreadable file: {error}")) from None


def read_archive(
    path: Path,
    input_format: str | None = None,
    columns: Mapping[str, str] | None = None,
    limits: Limits | None = None,
) -> Iterator[tuple[int, Message | InputProblem]]:
    """(line number, message or that line's problem) for every record of the archive."""
    with open_archive(path, input_format, limits) as archive:
        yield from read_records(archive, columns)
