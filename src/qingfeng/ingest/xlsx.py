"""The first sheet of an .xlsx workbook as rows of text.

Two readers, measured by bench/xlsx_read.py (200,000 rows, 5.3 MB): python-calamine reads about 20 times
quicker (2 s against 45 s) but holds the whole sheet (150 MB peak against 77 MB); openpyxl's read-only mode
streams with flat memory. Workbooks up to STREAM_FROM_BYTES go to calamine, larger ones are streamed.
"""

from __future__ import annotations

import os
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from datetime import date, datetime, time
from typing import BinaryIO
from xml.etree.ElementTree import ParseError

from python_calamine import CalamineError, CalamineWorkbook

from qingfeng.ingest.errors import InputError, InputProblem

STREAM_FROM_BYTES = 4 * 1024 * 1024  # about 150,000 short rows: calamine's whole sheet stays near 100 MB

# What a damaged or cut-short workbook raises from the readers and the zip and XML layers under them.
_BROKEN = (CalamineError, zipfile.BadZipFile, zlib.error, ParseError, KeyError, ValueError,
           TypeError, IndexError, EOFError, OSError)


def read_xlsx(stream: BinaryIO, where: str) -> Iterator[tuple[int, list[str]]]:
    """(row number, the cells as text) for every row of the first sheet."""
    size = stream.seek(0, os.SEEK_END)
    stream.seek(0)
    try:
        rows = _calamine(stream) if size <= STREAM_FROM_BYTES else _streamed(stream)
        for number, row in enumerate(rows, start=1):
            yield number, [cell_text(value) for value in row]
    except _BROKEN:
        raise InputError(InputProblem.of(where, None, None, "broken_xlsx")) from None


def _calamine(stream: BinaryIO) -> Iterable[list[object]]:
    return CalamineWorkbook.from_filelike(stream).get_sheet_by_index(0).iter_rows()


def _streamed(stream: BinaryIO) -> Iterator[tuple[object, ...]]:
    # Imported here: openpyxl pulls in Pillow, which a text-only run (a pre-send check) must not pay for.
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(stream, read_only=True, data_only=True)
    except InvalidFileException as error:
        raise ValueError(str(error)) from None
    try:
        yield from book.worksheets[0].iter_rows(values_only=True)
    finally:
        book.close()


def cell_text(value: object) -> str:
    """A cell as the CSV export of the same sheet would write it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(sep=" ")
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value)
