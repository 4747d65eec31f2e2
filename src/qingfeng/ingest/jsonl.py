"""Message-record JSONL (the contract in ARCHITECTURE.md), read as a stream."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import orjson
from pydantic import ValidationError

from qingfeng.core.models import Message
from qingfeng.ingest.errors import InputProblem, problems_from_validation


def json_objects(
    lines: Iterable[bytes], path: str, first_line: int = 1
) -> Iterator[tuple[int, dict[str, Any] | InputProblem]]:
    """(line number, the line's JSON object or its problem) for every non-blank line."""
    for number, raw in enumerate(lines, start=first_line):
        if not raw.strip():
            continue
        try:
            record = orjson.loads(raw)
        except orjson.JSONDecodeError:
            yield number, InputProblem.of(path, number, None, "bad_json")
            continue
        if not isinstance(record, dict):
            yield number, InputProblem.of(path, number, None, "not_object")
            continue
        yield number, record


def read_message_lines(
    lines: Iterable[bytes], path: str, first_line: int = 1
) -> Iterator[tuple[int, Message | InputProblem]]:
    """(line number, message or the problem with that line) for every non-blank line."""
    for number, record in json_objects(lines, path, first_line):
        if isinstance(record, InputProblem):
            yield number, record
            continue
        try:
            yield number, Message.model_validate(record)
        except ValidationError as error:
            yield number, problems_from_validation(path, number, error)
