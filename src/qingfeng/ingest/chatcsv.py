"""Chat exports as CSV with a header, mapped to message records by a column mapping.

Without a mapping, a column named like a message-record field (``time``, ``text``, ``room_name``…) is that
field; ``--columns time=发送时间,text=内容`` names the columns of exports whose headers differ.
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Mapping
from typing import BinaryIO

from pydantic import ValidationError

from qingfeng.ingest.csvfile import read_csv_stream
from qingfeng.ingest.errors import InputError, InputProblem, problems_from_validation
from qingfeng.ingest.limits import CellCount, Limits
from qingfeng.models import Message

FIELDS = tuple(Message.model_fields)


def parse_columns(spec: str | None) -> dict[str, str]:
    """``field=column,...`` as {field: column}; unknown fields are a usage error."""
    mapping: dict[str, str] = {}
    for part in (spec or "").split(","):
        if not part.strip():
            continue
        field, sep, column = part.partition("=")
        field, column = field.strip(), column.strip()
        if not sep or not column:
            raise ValueError(f"--columns: {part.strip()!r} is not field=column")
        if field not in FIELDS:
            raise ValueError(f"--columns: unknown field {field!r}; known: {', '.join(FIELDS)}")
        mapping[field] = column
    return mapping


def read_chat_csv(
    stream: BinaryIO, path: str, columns: Mapping[str, str] | None = None, limits: Limits | None = None
) -> Iterator[tuple[int, Message | InputProblem]]:
    """(line number, message or that row's problem) for every data row."""
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    cells = CellCount(path, limits or Limits())
    try:
        yield from _rows(text, path, {field: field for field in FIELDS} | dict(columns or {}), cells)
    finally:
        text.detach()  # the caller owns the byte stream (and the progress read from it)


def _rows(
    text: io.TextIOWrapper, path: str, mapping: dict[str, str], cells: CellCount
) -> Iterator[tuple[int, Message | InputProblem]]:
    rows = read_csv_stream(text, path, required=(), cells=cells)
    try:
        first = next(rows)
    except StopIteration:
        return
    header = first[1].keys()
    if mapping["text"] not in header:
        raise InputError(InputProblem(path, 1, None, f"no column {mapping['text']!r} for the message text "
                                      "(name it with --columns text=COLUMN)"))
    used = {field: column for field, column in mapping.items() if column in header}
    yield _message(*first, used, path)
    for line, row in rows:
        yield _message(line, row, used, path)


def _message(line: int, row: dict[str, str], used: dict[str, str], path: str) -> tuple[int, Message | InputProblem]:
    record: dict[str, str | None] = {field: row.get(column) or None for field, column in used.items()}
    if record.get("text") is None:
        record["text"] = ""
    if "channel" not in used and (record.get("room") or record.get("room_name")):
        record["channel"] = "group"  # a row naming a room was said in a group
    if record.get("time"):
        record["time"] = record["time"].replace("/", "-")  # 2026/03/02 09:05 as exported by desktop tools
    try:
        return line, Message.model_validate(record)
    except ValidationError as error:
        problem = problems_from_validation(path, line, error)
        shown = used.get(problem.field or "", problem.field)
        return line, InputProblem(path, line, shown, problem.reason)
