"""Message-record JSONL (the contract in ARCHITECTURE.md), read as a stream."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import orjson
from pydantic import ValidationError

from qingfeng.ingest.errors import InputProblem, problems_from_validation
from qingfeng.models import Message


def read_message_lines(
    lines: Iterable[bytes], path: str, first_line: int = 1
) -> Iterator[tuple[int, Message | InputProblem]]:
    """(line number, message or the problem with that line) for every non-blank line."""
    for number, raw in enumerate(lines, start=first_line):
        if not raw.strip():
            continue
        try:
            record = orjson.loads(raw)
        except orjson.JSONDecodeError as error:
            yield number, InputProblem(path, number, None, f"not valid JSON ({error.msg})")
            continue
        if not isinstance(record, dict):
            yield number, InputProblem(path, number, None, "a message record must be a JSON object")
            continue
        try:
            yield number, Message.model_validate(record)
        except ValidationError as error:
            yield number, problems_from_validation(path, number, error)
