"""CSV input with a header: rows as dicts, each with the line number it came from."""

from __future__ import annotations

import csv
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TextIO

from qingfeng.ingest.errors import InputError, InputProblem
from qingfeng.ingest.limits import CellCount


def read_csv(path: Path, required: Sequence[str]) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number, row) for each data row; the header must name every required column."""
    try:
        stream = path.open(encoding="utf-8-sig", newline="")
    except OSError as error:
        raise InputError(InputProblem(str(path), None, None, error.strerror or "cannot open")) from None
    with stream:
        yield from read_csv_stream(stream, str(path), required)


def read_csv_stream(
    stream: TextIO, path: str, required: Sequence[str], cells: CellCount | None = None
) -> Iterator[tuple[int, dict[str, str]]]:
    """As ``read_csv``, over an open text stream (a plain or a decompressed file); ``cells`` bounds its size."""
    reader = csv.DictReader(stream)
    header = [name.strip() for name in reader.fieldnames or []]
    missing = [name for name in required if name not in header]
    if missing:
        raise InputError(InputProblem(path, 1, None, f"missing column(s): {', '.join(missing)}"))
    reader.fieldnames = header
    try:
        for row in reader:
            if cells is not None:
                cells.add(reader.line_num, len(row))
            if not any((value or "").strip() for value in row.values() if isinstance(value, str)):
                continue
            yield reader.line_num, {key: (value or "").strip() for key, value in row.items() if key}
    except (csv.Error, UnicodeDecodeError) as error:
        raise InputError(InputProblem(path, reader.line_num, None, f"unreadable CSV: {error}")) from None
