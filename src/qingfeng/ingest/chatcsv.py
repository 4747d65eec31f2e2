"""Chat exports as tables with a header (CSV, tab-separated text or .xlsx), mapped to message records.

Columns named like message-record fields (``time``, ``text``, ``room_name``…) or as Chinese exports and the
WeChat desktop exporters name them (发送时间, 内容, 群名称, StrContent… see ``headers.yaml``) are recognised;
``--columns time=时间列,text=内容列`` names any other columns.
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Mapping

from pydantic import ValidationError

from qingfeng.core.models import Message
from qingfeng.ingest.csvfile import Table, text_rows
from qingfeng.ingest.dates import on_day
from qingfeng.ingest.encoding import sniff
from qingfeng.ingest.errors import InputError, InputProblem, problems_from_validation

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


def read_chat_table(table: Table) -> Iterator[tuple[int, Message | InputProblem]]:
    """(line number, message or that row's problem) for every data row."""
    if not table.header:
        return
    if "text" not in table.columns:
        raise InputError(InputProblem.of(table.where, 1, None, "no_text_column", header=table.shown_header()))
    for line, row in table:
        yield _message(line, row, table.columns, table.where)


def read_chat_bytes(
    data: bytes, where: str, columns: Mapping[str, str] | None = None
) -> Iterator[tuple[int, Message | InputProblem]]:
    """A whole chat CSV held in memory (as a Spark task holds it), in whatever encoding the office saved it."""
    encoding = sniff(data[: 1 << 16], where)
    text = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8-sig" if encoding == "utf-8" else encoding, newline="")
    yield from read_chat_table(Table(text_rows(text, where), where, kind="message", explicit=columns))


def _message(line: int, row: dict[str, str], used: dict[str, str], path: str) -> tuple[int, Message | InputProblem]:
    record: dict[str, str | None] = {field: row.get(field) or None for field in used if field in FIELDS}
    if record.get("text") is None:
        record["text"] = ""
    if "channel" not in used and (record.get("room") or record.get("room_name")):
        record["channel"] = "group"  # a row naming a room was said in a group
    if (clock := record.get("time")) and (day := row.get("date")) and (joined := on_day(day, clock)):
        record["time"] = joined  # 日期 and 时间 in two columns
    try:
        return line, Message.model_validate(record)
    except ValidationError as error:
        return line, problems_from_validation(path, line, error, used)
