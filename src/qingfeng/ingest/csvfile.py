"""Tables with a header: CSV or tab-separated text in any encoding ``ingest.encoding`` recognises, or the first
sheet of an .xlsx workbook. Rows come as dicts keyed by canonical column names (``ingest.headers``: Chinese
headers need no option), each with the line it came from."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from itertools import chain
from pathlib import Path
from typing import BinaryIO, TextIO

from qingfeng.ingest import encoding, headers
from qingfeng.ingest.dates import office_datetime
from qingfeng.ingest.errors import InputError, InputProblem
from qingfeng.ingest.limits import CellCount
from qingfeng.ingest.xlsx import read_xlsx

Rows = Iterator[tuple[int, list[str]]]


class Row(dict[str, str]):
    """A data row by canonical column, knowing the file's name of each (to name a bad field as the file does)."""

    __slots__ = ("columns",)

    def __init__(self, cells: dict[str, str], columns: Mapping[str, str]) -> None:
        super().__init__(cells)
        self.columns = columns


def read_csv(path: Path, required: Sequence[str], kind: str | None = None) -> Iterator[tuple[int, Row]]:
    """(line number, row) for each data row; the header must name every required column."""
    where = str(path)
    with open_table(path, where) as rows:
        yield from Table(rows, where, required, kind)


def open_input(path: Path, where: str) -> BinaryIO:
    """The file for reading, or the error every command words the same way."""
    try:
        if path.is_dir():
            raise InputError(InputProblem.of(where, None, None, "not_text"))
        return path.open("rb")
    except FileNotFoundError:
        raise InputError(InputProblem.of(where, None, None, "no_file")) from None
    except OSError as error:
        raise InputError(InputProblem.of(where, None, None, "cannot_open", why=error.strerror or "?")) from None


@contextmanager
def open_table(path: Path, where: str) -> Iterator[Rows]:
    """The rows of a text table or a workbook, as lists of cells."""
    with open_input(path, where) as raw:
        head = raw.read(encoding.HEAD)
        raw.seek(0)
        if encoding.is_spreadsheet(head):
            yield read_xlsx(raw, where)
        else:
            yield text_rows(io.TextIOWrapper(raw, encoding=encoding.sniff(head, where), newline=""), where)


def text_rows(text: TextIO, where: str) -> Rows:
    """Rows of CSV, or of tab-separated text (Excel's "Unicode text") when the first line has more tabs."""
    line = 0
    try:
        first = text.readline()
        delimiter = "\t" if first.count("\t") > first.count(",") else ","
        reader = csv.reader(chain([first], text), delimiter=delimiter)
        for cells in reader:
            line = reader.line_num
            yield line, cells
    except csv.Error:
        raise InputError(InputProblem.of(where, line + 1, None, "bad_csv")) from None
    except UnicodeError:  # a decode error, or UTF-16 with no BOM to say its byte order
        raise encoding.bad_encoding(where, line + 1, getattr(text, "encoding", "utf-8")) from None


class Table:
    """The rows of a table under its header, mapped to canonical columns (``columns``: canonical → file column).

    The header is the first row with a cell; a header without a required column is an InputError that lists
    the header found, so the user sees what the file holds."""

    def __init__(self, rows: Iterable[tuple[int, list[str]]], where: str, required: Sequence[str] = (),
                 kind: str | None = None, explicit: Mapping[str, str] | None = None,
                 cells: CellCount | None = None) -> None:
        self._rows = iter(rows)
        self._cells = cells  # bounds the table's size (an archive's; registers are read whole)
        self.where = where
        self.header: list[str] = []
        for _, cells in self._rows:
            if any(cell.strip() for cell in cells):
                self.header = [cell.strip().lstrip("\ufeff") for cell in cells]
                break
        if not self.header and required:
            raise InputError(InputProblem.of(where, None, None, "empty_file"))
        self.columns = headers.columns(kind, self.header, explicit)
        missing = [name for name in required if name not in self.columns]
        if missing:
            raise InputError(InputProblem.of(where, 1, None, "missing_columns", columns=", ".join(missing),
                                             header=self.shown_header()))
        self._values = headers.values(kind)
        self._dates = headers.dates(kind) & self.columns.keys()

    def shown_header(self) -> str:
        return " | ".join(name or "（空）" for name in self.header)

    def __iter__(self) -> Iterator[tuple[int, Row]]:
        index = {canonical: self.header.index(column) for canonical, column in self.columns.items()}
        for line, cells in self._rows:
            if self._cells is not None:
                self._cells.add(line, len(cells))
            if not any(cell.strip() for cell in cells):
                continue
            row = Row({name: cells[at].strip() if at < len(cells) else "" for name, at in index.items()}, self.columns)
            for name, words in self._values.items():
                if row.get(name) in words:
                    row[name] = words[row[name]]
            for name in self._dates:
                row[name] = office_datetime(row[name])
            yield line, row
