"""Open a chat archive and read its messages, whatever the export format (gzip-compressed or not)."""

from __future__ import annotations

import codecs
import gzip
import io
import zlib
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import orjson

from qingfeng.core.models import Message
from qingfeng.ingest import encoding as encodings
from qingfeng.ingest.chatcsv import read_chat_table
from qingfeng.ingest.csvfile import Table, open_input, text_rows
from qingfeng.ingest.errors import InputError, InputProblem
from qingfeng.ingest.jsonl import read_message_lines
from qingfeng.ingest.limits import CellCount, Limits, bounded
from qingfeng.ingest.wecom import read_wecom_lines
from qingfeng.ingest.xlsx import read_xlsx

FORMATS = ("jsonl", "csv", "wecom", "xlsx")
LINE_FORMATS = ("jsonl", "wecom")  # one record per line: can be cut into chunks anywhere between lines
_GZIP_MAGIC = b"\x1f\x8b"
_WECOM_ACTIONS = frozenset({"send", "recall", "switch"})


@dataclass
class Archive:
    """An open archive: ``stream`` gives the (decompressed) bytes, ``raw`` the file, for progress."""

    path: Path
    raw: BinaryIO
    stream: BinaryIO
    format: str
    compressed: bool
    limits: Limits
    encoding: str = "utf-8"  # of the text; the line formats' ``stream`` is always UTF-8

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
    raw = open_input(path, where)
    try:
        return _open(path, raw, input_format, limits)
    except BaseException:
        raw.close()
        raise


def _open(path: Path, raw: BinaryIO, input_format: str | None, limits: Limits) -> Archive:
    where = str(path)
    compressed = raw.read(2) == _GZIP_MAGIC
    raw.seek(0)
    stream: BinaryIO = gzip.GzipFile(fileobj=raw, mode="rb") if compressed else raw  # type: ignore[assignment]
    try:
        head = stream.read(encodings.HEAD)
        stream.seek(0)
    except (OSError, EOFError, zlib.error):
        raise InputError(InputProblem.of(where, None, None, "broken_gzip")) from None
    if input_format is not None and input_format not in FORMATS:
        raise InputError(InputProblem.of(where, None, None, "unknown_format", name=input_format))
    if encodings.is_spreadsheet(head):
        return Archive(path, raw, stream, "xlsx", compressed, limits)  # a zip: its cells are counted
    try:
        encoding = encodings.sniff(head, where)
    except InputError:
        if compressed:  # a gzip bomb is mostly NUL bytes: name the bound it breaks, not just "not text"
            drained = bounded(stream, where, limits)
            with gzip_errors(where):
                while drained.read(1 << 20):
                    pass
        raise
    utf8_head = head.decode(encoding, errors="ignore").encode()
    input_format = input_format or detect_format(utf8_head)
    stream = bounded(stream, where, limits)
    if input_format in LINE_FORMATS and encoding == "utf-8-sig":
        stream.read(len(codecs.BOM_UTF8))  # else the first record would not be JSON
    elif input_format in LINE_FORMATS and encoding != "utf-8":
        # Lines are cut on b"\n", which only UTF-8 (and GB18030) keep whole: recode as the file is read.
        stream = codecs.EncodedFile(stream, "utf-8", encoding)  # type: ignore[assignment]
    return Archive(path, raw, stream, input_format, compressed, limits, encoding)


def read_records(
    archive: Archive, columns: Mapping[str, str] | None = None, skipped: Counter[str] | None = None
) -> Iterator[tuple[int, Message | InputProblem]]:
    """(line number, message or that line's problem) for every record; records that are not messages
    (WeCom's ``switch``, kinds of message not checked) are counted in ``skipped``."""
    where = str(archive.path)
    with gzip_errors(where, archive.encoding):
        if archive.format in ("csv", "xlsx"):
            cells = CellCount(where, archive.limits)
            table = Table(table_rows(archive), where, kind="message", explicit=columns, cells=cells)
            yield from read_chat_table(table)
        else:
            yield from read_lines(archive.format, archive.stream, where, 1, skipped)


def table_rows(archive: Archive) -> Iterator[tuple[int, list[str]]]:
    """The rows of a CSV or .xlsx archive as lists of cells."""
    where = str(archive.path)
    if archive.format == "xlsx":
        yield from read_xlsx(archive.stream, where)
        return
    encoding = "utf-8-sig" if archive.encoding == "utf-8" else archive.encoding
    text = io.TextIOWrapper(archive.stream, encoding=encoding, newline="")
    try:
        yield from text_rows(text, where)
    finally:
        if not archive.stream.closed:
            text.detach()  # the archive owns the byte stream (and the progress read from it)


def read_lines(
    input_format: str, lines: Iterable[bytes], path: str, first_line: int, skipped: Counter[str] | None = None
) -> Iterator[tuple[int, Message | InputProblem]]:
    """Records of a one-record-per-line format, from any run of its lines (for reading in chunks)."""
    if input_format == "wecom":
        return read_wecom_lines(lines, path, skipped, first_line)
    return read_message_lines(lines, path, first_line)


@contextmanager
def gzip_errors(path: str, encoding: str = "utf-8") -> Iterator[None]:
    """A truncated or corrupt gzip stream, or text that stops being in its encoding, is bad input, not a crash."""
    try:
        yield
    except UnicodeError:  # a decode error, or UTF-16 with no BOM to say its byte order
        raise encodings.bad_encoding(path, None, encoding) from None
    except (OSError, EOFError, zlib.error):
        raise InputError(InputProblem.of(path, None, None, "broken_gzip")) from None


def read_archive(
    path: Path,
    input_format: str | None = None,
    columns: Mapping[str, str] | None = None,
    limits: Limits | None = None,
) -> Iterator[tuple[int, Message | InputProblem]]:
    """(line number, message or that line's problem) for every record of the archive."""
    with open_archive(path, input_format, limits) as archive:
        yield from read_records(archive, columns)
