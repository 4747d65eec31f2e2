"""Open a chat archive and read its messages, whatever the export format."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from qingfeng.ingest.errors import InputError, InputProblem
from qingfeng.ingest.jsonl import read_message_lines
from qingfeng.models import Message


def read_archive(path: Path) -> Iterator[tuple[int, Message | InputProblem]]:
    """(line number, message or that line's problem) for every record of the archive."""
    try:
        stream = path.open("rb")
    except OSError as error:
        raise InputError(InputProblem(str(path), None, None, error.strerror or "cannot open")) from None
    with stream:
        yield from read_message_lines(stream, str(path))
